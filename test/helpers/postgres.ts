/**
 * A throwaway PostgreSQL cluster for one test file: initdb into a temporary directory, a server on
 * a free loopback port (and a Unix socket in that directory), removed by `stop()`. The programs
 * come from .tools/postgres/bin (scripts/setup-postgres.sh). PostgreSQL refuses to run as root, so
 * as root the cluster belongs to the `postgres` system user and every program runs through
 * `runuser -u postgres`.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const binDir = path.resolve(__dirname, '../../.tools/postgres/bin');

export interface ThrowawayPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres, no password (trust, loopback only). */
  databaseUrl: string;
  /** A new, empty database on the same cluster, and its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function program(name: string): string {
  const link = path.join(binDir, name);
  if (!existsSync(link)) {
    throw new Error(`PostgreSQL is not set up for the tests (${link} is missing): run bash scripts/setup-postgres.sh`);
  }
  return realpathSync(link); // the postgres user may not be able to enter this repository
}

const asRoot = process.getuid?.() === 0;

async function runAsOwner(file: string, args: string[]): Promise<void> {
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    await run(command, commandArgs, { timeout: 60_000 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${path.basename(file)} failed: ${stderr || stdout || (error as Error).message}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
  });
}

async function postgresUid(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPostgres(): Promise<ThrowawayPostgres> {
  const [initdb, pgCtl] = [program('initdb'), program('pg_ctl')];
  const dir = mkdtempSync(path.join(tmpdir(), 'evidence-pg-'));
  const dataDir = path.join(dir, 'data');
  try {
    if (asRoot) {
      const { uid, gid } = await postgresUid();
      chownSync(dir, uid, gid);
    }
    await runAsOwner(initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    // Durability is not wanted of a cluster deleted after the test file: no fsync, no full pages.
    const options = [
      ...['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ].join(' ');
    await runAsOwner(pgCtl, [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
    const urlOf = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
    return {
      databaseUrl: urlOf('postgres'),
      async createDatabase(name) {
        if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        const client = new Client({ connectionString: urlOf('postgres') });
        await client.connect();
        try {
          await client.query(`create database ${name}`);
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      async stop() {
        try {
          await runAsOwner(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
      await runAsOwner(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
