/**
 * The worker on its own (production: one or more per deployment). Connects to TEMPORAL_ADDRESS
 * and runs the pre-built workflow bundle named by WORKFLOW_BUNDLE, or bundles the sources.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import path from 'node:path';
import { ConfigError, loadConfig, requirePayloadKeys } from '../src/config';
import { activityDepsFromConfig, createWorker } from './worker';

async function main() {
  const config = loadConfig();
  const payloadKeys = requirePayloadKeys(config);
  Runtime.install({ logger: new DefaultLogger('INFO') });
  const connection = await NativeConnection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
  });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: activityDepsFromConfig(config),
    payloadKeys,
    workflowBundle: process.env.WORKFLOW_BUNDLE ? { codePath: path.resolve(process.env.WORKFLOW_BUNDLE) } : undefined,
  });
  const running = worker.run(); // stops on SIGINT/SIGTERM (the SDK installs those handlers)
  console.log(`worker polling task queue ${config.temporal.taskQueue}`);
  process.send?.('ready'); // to the supervisor of `npm start`, when there is one (src/supervisor.ts)
  await running;
  await connection.close();
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
