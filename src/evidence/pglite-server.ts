/**
 * PGlite served over the PostgreSQL wire protocol, for `npm start`: the worker (which writes the
 * evidence) and the API (which reads it) are separate processes, and a PGlite data directory may be
 * opened by one process only. This process owns it; both connect with `pg` through DATABASE_URL,
 * exactly as they would to a production PostgreSQL, so there is one code path.
 *
 * It listens on a Unix socket in a directory only this user may enter (mode 0700), not on a TCP
 * port: PGlite has no passwords, and a socket on 127.0.0.1 would let any local user read the store.
 * The migrations run here, before the first connection is accepted.
 *
 * `@electric-sql/pglite-socket` multiplexes several connections over PGlite's single session:
 * statements are queued and run one at a time, and while one connection has a transaction open
 * only that connection's statements run. Session state (SET, temporary tables, prepared statement
 * names) is shared by all connections, which the evidence store never relies on.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PGliteDialect } from 'kysely';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { migrateToLatest } from './migrate';
import type { EvidenceDatabase } from './schema';

/** The file name PostgreSQL clients look for in a socket directory, for the default port. */
const SOCKET_FILE = '.s.PGSQL.5432';
/** Unix socket paths are limited to 107 bytes on Linux. */
const MAX_SOCKET_PATH = 107;
/** Enough for the pools of the worker and the API (10 each) and a psql or two. */
const MAX_CONNECTIONS = 32;

export interface PgliteServerLocation {
  /** The PGlite data directory (the configuration's `evidence.pgliteDir`). */
  pgliteDir: string;
  /** The directory of the Unix socket; `<pgliteDir>-socket` unless told. */
  socketDir?: string;
}

/** Where a server for `pgliteDir` listens, and the DATABASE_URL its clients use. */
export function pgliteServerAddress({ pgliteDir, socketDir }: PgliteServerLocation) {
  const dir = path.resolve(socketDir ?? `${pgliteDir}-socket`);
  const socketPath = path.join(dir, SOCKET_FILE);
  const databaseUrl = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
  return { socketDir: dir, socketPath, databaseUrl };
}

export interface PgliteServer {
  databaseUrl: string;
  close(): Promise<void>;
}

export async function servePglite(location: PgliteServerLocation): Promise<PgliteServer> {
  const { socketDir, socketPath, databaseUrl } = pgliteServerAddress(location);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(
      `the evidence socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes: use a shorter DATA_DIR`,
    );
  }
  mkdirSync(location.pgliteDir, { recursive: true, mode: 0o700 });
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  if (await answers(socketPath)) {
    throw new Error(`another evidence server already listens on ${socketPath}`);
  }
  rmSync(socketPath, { force: true }); // left by a server that was killed

  const pglite = await PGlite.create(location.pgliteDir);
  try {
    // Kysely on the PGlite instance itself, for the migrations only: not destroyed (that would
    // close the instance), and done before the socket server takes PGlite's lock.
    await migrateToLatest(new Kysely<EvidenceDatabase>({ dialect: new PGliteDialect({ pglite }) }));
    const server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections: MAX_CONNECTIONS });
    await server.start();
    return {
      databaseUrl,
      close: async () => {
        await server.stop();
        await pglite.close();
        rmSync(socketPath, { force: true });
      },
    };
  } catch (error) {
    await pglite.close();
    throw error;
  }
}

const answers = (socketPath: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(socketPath, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** `node --import tsx src/evidence/pglite-server.ts`, as a child of `npm start` (src/main.ts). */
async function main() {
  const { ConfigError, loadConfig } = await import('../config');
  const { createLogger } = await import('../logger');
  let logger = createLogger({ level: 'info', service: 'evidence' });
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.log.level, service: 'evidence' });
    if (config.evidence.databaseUrl) {
      throw new ConfigError('DATABASE_URL is set: the evidence store is that PostgreSQL, no PGlite server is needed');
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
    process.send?.('ready'); // to the supervisor of `npm start` (src/supervisor.ts)
  } catch (error) {
    if (error instanceof ConfigError) logger.fatal(error.message);
    else logger.fatal({ err: error }, 'the evidence store stopped on an error');
    process.exit(1);
  }
}

if (require.main === module) void main();
