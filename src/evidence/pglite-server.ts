/**
 * The evidence store's PGlite, served to several processes (the worker and the API of `npm start`,
 * which runs it as a supervised child and gives them its DATABASE_URL): `node --require scripts/supervised-child.cjs --import
 * tsx src/evidence/pglite-server.ts`. Says `ready` over IPC once it accepts connections at the URL
 * `pgliteServerAddress` gives, and closes PGlite cleanly on SIGTERM or SIGINT.
 */
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { servePglite } from './serve-pglite';

/** Before the configuration is read (or when it is invalid), lines go out at the default level. */
let logger = createLogger({ level: 'info', service: 'evidence' });

async function main() {
  const config = loadConfig();
  logger = createLogger({ level: config.log.level, service: 'evidence' });
  if (config.evidence.databaseUrl) {
    throw new ConfigError('DATABASE_URL is set: the evidence store is that PostgreSQL, and no PGlite server is needed');
  }
  const server = await servePglite({ pgliteDir: config.evidence.pgliteDir });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    logger.info('evidence store closed');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  logger.info(`evidence store (PGlite in ${config.evidence.pgliteDir}) at ${server.databaseUrl}`);
  process.send?.('ready'); // to a supervisor (src/supervisor.ts), when there is one
}

main().catch((error) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the evidence store stopped on an error');
  process.exit(1);
});
