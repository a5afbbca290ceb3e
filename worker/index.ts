/**
 * The worker on its own (production: one or more per deployment). Connects to TEMPORAL_ADDRESS
 * and runs the pre-built workflow bundle named by WORKFLOW_BUNDLE, or bundles the sources.
 */
import { NativeConnection } from '@temporalio/worker';
import path from 'node:path';
import { ConfigError, loadConfig, requirePayloadKeys } from '../src/config';
import { evidenceLocation } from '../src/evidence/location';
import { openEvidenceStore } from '../src/evidence/store';
import { createLogger, temporalLogger } from '../src/logger';
import { installWorkerRuntime } from './metrics';
import { activityDepsFromConfig, createWorker } from './worker';

/** Before the configuration is read (or when it is invalid), lines go out at the default level. */
let logger = createLogger({ level: 'info', service: 'worker' });

async function main() {
  const config = loadConfig();
  logger = createLogger({ level: config.log.level, service: 'worker' });
  const payloadKeys = requirePayloadKeys(config);
  // Once per process, before any connection: the SDK's lines, the Rust core's and every workflow
  // and activity `log` call; and the metrics endpoint (worker/metrics.ts).
  installWorkerRuntime(temporalLogger(logger), config.metrics.workerAddress);
  if (config.metrics.workerAddress) logger.info(`worker metrics at http://${config.metrics.workerAddress}/metrics`);
  const connection = await NativeConnection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
  });
  // PostgreSQL at DATABASE_URL (npm start serves its PGlite there too); a worker alone without it
  // opens the PGlite directory itself.
  const evidence = await openEvidenceStore(evidenceLocation(config));
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { ...activityDepsFromConfig(config), evidence },
    payloadKeys,
    tuning: config.worker,
    workflowBundle: process.env.WORKFLOW_BUNDLE ? { codePath: path.resolve(process.env.WORKFLOW_BUNDLE) } : undefined,
  });
  const running = worker.run(); // stops on SIGINT/SIGTERM (the SDK installs those handlers)
  logger.info(`worker polling task queue ${config.temporal.taskQueue}`);
  process.send?.('ready'); // to the supervisor of `npm start`, when there is one (src/supervisor.ts)
  await running;
  await connection.close();
  await evidence.close();
}

main().catch((error) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the worker stopped on an error');
  process.exit(1);
});
