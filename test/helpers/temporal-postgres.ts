/**
 * The full Temporal server, as a deployment runs it: `temporal-server` built at the compose file's
 * version (scripts/setup-temporal-server.sh), on a throwaway PostgreSQL cluster (persistence and
 * SQL advanced visibility), started with the repository's deploy/temporal/config.yaml. Its schemas
 * are set up with `temporal-sql-tool`, as docker-compose.yml's `temporal-schema` job does.
 */
import { Connection } from '@temporalio/client';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPostgres, type ThrowawayPostgres } from './postgres';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

export interface TemporalOnPostgres {
  /** host:port of the frontend's gRPC. */
  address: string;
  version: string;
  /** The server's own output. */
  logFile: string;
  postgres: ThrowawayPostgres;
  stop(): Promise<void>;
}

/** The version scripts/setup-temporal-server.sh pins (and builds, when it is not yet built). */
export async function temporalServerDir(): Promise<{ dir: string; version: string }> {
  const { stdout } = await run('bash', [path.join(root, 'scripts/setup-temporal-server.sh')], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const dir = stdout.trim().split('\n').pop()!;
  return { dir, version: path.basename(dir) };
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** A base port with the nine after it free too (config.yaml takes base … base + 9). */
async function freePortRange(): Promise<number> {
  for (let tries = 0; tries < 50; tries += 1) {
    // Below 32768: the server stores membership ports as PostgreSQL smallints.
    const base = 20_000 + 10 * Math.floor(Math.random() * 1_200);
    const ports = Array.from({ length: 10 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no ten consecutive free ports for the Temporal server');
}

async function setUpSchemas(tool: string, schemaDir: string, postgres: { port: string }) {
  const common = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', postgres.port, '-u', 'postgres'];
  const stores: [database: string, schema: string][] = [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ];
  for (const [database, schema] of stores) {
    const sql = (...args: string[]) => run(tool, [...common, '--db', database, ...args], { timeout: 120_000 });
    await sql('create-database');
    await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(schemaDir, 'postgresql/v12', schema, 'versioned'));
  }
}

async function waitUntilServing(address: string, server: ChildProcess, logFile: string): Promise<void> {
  for (const until = Date.now() + 90_000; ;) {
    if (server.exitCode !== null) {
      throw new Error(`temporal-server exited (${server.exitCode}): ${readFileSync(logFile, 'utf8').slice(-2_000)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > until) throw new Error(`temporal-server did not serve within 90 s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function startTemporalOnPostgres(): Promise<TemporalOnPostgres> {
  const { dir, version } = await temporalServerDir();
  const postgres = await startPostgres();
  const postgresPort = new URL(postgres.databaseUrl).port;
  let server: ChildProcess | undefined;
  try {
    await setUpSchemas(path.join(dir, 'temporal-sql-tool'), path.join(dir, 'schema'), { port: postgresPort });
    const base = await freePortRange();
    const logFile = path.join(root, '.test-results', `temporal-server-${base}.log`);
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile);
    await new Promise((resolve) => log.once('open', resolve));
    server = spawn(
      path.join(dir, 'temporal-server'),
      ['--config-file', path.join(root, 'deploy/temporal/config.yaml'), '--allow-no-auth', 'start'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          POSTGRES_HOST: '127.0.0.1',
          POSTGRES_PORT: postgresPort,
          POSTGRES_USER: 'postgres',
          POSTGRES_PWD: '',
          TEMPORAL_PORT_BASE: String(base),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', log, log],
      },
    );
    const address = `127.0.0.1:${base}`;
    await waitUntilServing(address, server, logFile);
    const running = server;
    return {
      address,
      version,
      logFile,
      postgres,
      async stop() {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        log.end();
        await postgres.stop();
      },
    };
  } catch (error) {
    server?.kill('SIGKILL');
    await postgres.stop();
    throw error;
  }
}
