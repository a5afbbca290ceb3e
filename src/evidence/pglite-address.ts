/**
 * Where the PGlite server (src/evidence/pglite-server.ts) listens for a PGlite data directory, and
 * the DATABASE_URL its clients use. Kept apart from the server, so a supervisor can work it out
 * without loading PGlite.
 */
import path from 'node:path';

/** The file name PostgreSQL clients look for in a socket directory, for the default port. */
const SOCKET_FILE = '.s.PGSQL.5432';

export interface PgliteServerLocation {
  /** The PGlite data directory (the configuration's `evidence.pgliteDir`). */
  pgliteDir: string;
  /** The directory of the Unix socket; `<pgliteDir>-socket` unless told. */
  socketDir?: string;
}

export function pgliteServerAddress({ pgliteDir, socketDir }: PgliteServerLocation) {
  const dir = path.resolve(socketDir ?? `${pgliteDir}-socket`);
  const socketPath = path.join(dir, SOCKET_FILE);
  const databaseUrl = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
  return { socketDir: dir, socketPath, databaseUrl };
}
