/** The HTTP API on its own (production): connects to TEMPORAL_ADDRESS and listens on PORT. */
import { Client, Connection } from '@temporalio/client';
import { calendarFromConfig, ConfigError, loadConfig } from '../config';
import { EncryptionCodec, parsePayloadKeys } from '../payload-codec';
import { createApp } from './app';
import { ProcessService } from './process-service';

/** Until PAYLOAD_KEYS is part of the configuration: the codec server only where keys are given. */
function codecFromEnv(): EncryptionCodec | undefined {
  const keys = process.env.PAYLOAD_KEYS;
  if (keys === undefined) return undefined;
  try {
    return new EncryptionCodec(parsePayloadKeys(keys, process.env.PAYLOAD_KEY_CURRENT));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

async function main() {
  const config = loadConfig();
  const codec = codecFromEnv();
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
  });
  const service = new ProcessService({
    client: new Client({ connection, namespace: config.temporal.namespace }),
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    webUiUrl: config.temporal.webUiUrl,
  });
  const server = createApp({
    service,
    calendar: calendarFromConfig(config),
    tokens: config.tokens,
    mailDomains: config.mail.allowedDomains,
    codec: codec && { codec, namespace: config.temporal.namespace, ...config.codec },
  }).listen(config.http.port, config.http.host, () => {
    console.log(`API listening on http://${config.http.host}:${config.http.port}/v1`);
    if (codec) console.log(`codec server for the Web UI (${config.codec.webUiOrigins.join(', ')}) at /codec`);
  });
  const stop = () => server.close(() => void connection.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
