/** The HTTP API on its own (production): connects to TEMPORAL_ADDRESS and listens on PORT. */
import { Client, Connection } from '@temporalio/client';
import { calendarFromConfig, ConfigError, loadConfig, requirePayloadKeys } from '../config';
import { createLogger } from '../logger';
import { EncryptionCodec, encryptingDataConverter } from '../payload-codec';
import { evidenceLocation, describeLocation } from '../evidence/location';
import { EvidenceReports } from '../evidence/reports';
import { openEvidenceStore } from '../evidence/store';
import { createApp } from './app';
import { createAuthenticator } from './auth';
import { createHttpServer } from './http-server';
import { createApiMetrics } from './metrics';
import { ProcessService } from './process-service';
import { webOptionsFrom } from '../web/options';

/** Before the configuration is read (or when it is invalid), lines go out at the default level. */
let logger = createLogger({ level: 'info', service: 'api' });

async function main() {
  const config = loadConfig();
  logger = createLogger({ level: config.log.level, service: 'api' });
  const payloadKeys = requirePayloadKeys(config);
  const dataConverter = encryptingDataConverter(payloadKeys);
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
  });
  const service = new ProcessService({
    client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }),
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    webUiUrl: config.temporal.webUiUrl,
  });
  const calendar = calendarFromConfig(config);
  // The worktray and the reports read the evidence the worker writes (npm start serves its PGlite).
  const location = evidenceLocation(config);
  const store = await openEvidenceStore(location);
  logger.info(`evidence store: ${describeLocation(location)}`);
  const web = webOptionsFrom(config);
  const app = createApp({
    service,
    calendar,
    reports: new EvidenceReports({ store, calendar, organisation: config.organisation }),
    authenticator: createAuthenticator(config),
    mailDomains: config.mail.allowedDomains,
    codec: { codec: new EncryptionCodec(payloadKeys), namespace: config.temporal.namespace, ...config.codec },
    logger,
    web,
    metrics: createApiMetrics({ processMetrics: true }),
  });
  const server = createHttpServer(app).listen(config.http.port, config.http.host, () => {
    logger.info(`API listening on http://${config.http.host}:${config.http.port}/v1`);
    logger.info(`Identity: ${config.jwt ? `JWTs from ${config.jwt.issuer}, and ` : ''}the static token table`);
    logger.info(`codec server for the Web UI (${config.codec.webUiOrigins.join(', ')}) at /codec`);
    logger.info(web ? `pages for managers at ${config.web.publicUrl}/` : 'no pages for managers: set SESSION_SECRET');
  });
  const stop = () =>
    server.close(() => void Promise.allSettled([connection.close(), store.close()]).then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the API could not start');
  process.exit(1);
});
