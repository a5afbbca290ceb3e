/** The HTTP API on its own (production): connects to TEMPORAL_ADDRESS and listens on PORT. */
import { Client, Connection } from '@temporalio/client';
import { calendarFromConfig, ConfigError, loadConfig, requirePayloadKeys } from '../config';
import { encryptingDataConverter } from '../payload-codec';
import { createApp } from './app';
import { createAuthenticator } from './auth';
import { ProcessService } from './process-service';

async function main() {
  const config = loadConfig();
  const dataConverter = encryptingDataConverter(requirePayloadKeys(config));
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
  });
  const service = new ProcessService({
    client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }),
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    webUiUrl: config.temporal.webUiUrl,
  });
  const server = createApp({
    service,
    calendar: calendarFromConfig(config),
    authenticator: createAuthenticator(config),
    mailDomains: config.mail.allowedDomains,
  }).listen(config.http.port, config.http.host, () => {
    console.log(`API listening on http://${config.http.host}:${config.http.port}/v1`);
    console.log(`Identity: ${config.jwt ? `JWTs from ${config.jwt.issuer}, and ` : ''}the static token table`);
  });
  const stop = () => server.close(() => void connection.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
