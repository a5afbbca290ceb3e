/**
 * `npm start`: the whole service on one machine. Starts and supervises the Temporal dev server
 * (persistent, with the Web UI), a local mail catcher, the worker and the HTTP API; Ctrl-C stops
 * them all. With TEMPORAL_ADDRESS set, an existing Temporal server is used instead.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { createApp } from './api/app';
import { ProcessService } from './api/process-service';
import { calendarFromConfig, ConfigError, loadConfig, type Config } from './config';
import { searchAttributeDefinitions } from './search-attributes';
import { activityDepsFromConfig, createWorker } from '../worker/worker';

const root = path.resolve(__dirname, '..');
const say = (message: string) => console.log(`[start] ${message}`);
const children: ChildProcess[] = [];
let stopping = false;

function supervise(name: string, command: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  // Own process group: Ctrl-C reaches only this supervisor, which then stops children in order.
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', log, log], detached: true });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); see ${path.relative(root, logFile)}`);
    void shutdown(1);
  });
  return child;
}

async function connectWithRetry(address: string, seconds: number): Promise<Connection> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 1_000 });
    } catch (error) {
      if (Date.now() > until) throw new Error(`Temporal at ${address} did not answer within ${seconds} s: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The service's search attributes must exist on any server it uses (idempotent). */
async function ensureSearchAttributes(connection: Connection, namespace: string) {
  const { IndexedValueType } = temporal.api.enums.v1;
  const types = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, Int: IndexedValueType.INDEXED_VALUE_TYPE_INT };
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(searchAttributeDefinitions).filter(([name]) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, types[type]])) });
}

function startDevServer(config: Config): string {
  const dataDir = path.resolve(root, config.temporal.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(config.temporal.port),
    '--ui-port', String(config.temporal.uiPort),
    '--namespace', config.temporal.namespace,
    '--db-filename', path.join(dataDir, 'temporal.sqlite'),
    // Write-ahead logging: about ten times faster than SQLite's default, still durable.
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    '--log-level', 'warn',
    ...Object.entries(searchAttributeDefinitions).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  supervise('Temporal dev server', path.join(root, '.tools/bin/temporal'), args, path.join(dataDir, 'temporal.log'));
  return `127.0.0.1:${config.temporal.port}`;
}

function startMailCatcher(config: Config) {
  const dataDir = path.resolve(root, config.temporal.dataDir);
  mkdirSync(path.join(dataDir, 'mail'), { recursive: true });
  supervise(
    'mail catcher',
    path.join(root, 'node_modules/.bin/maildev'),
    ['--smtp', String(config.smtp.port), '--ip', '127.0.0.1', '--web', String(config.mail.viewerPort), '--web-ip', '127.0.0.1', '--mail-directory', path.join(dataDir, 'mail')],
    path.join(dataDir, 'maildev.log'),
  );
}

const shutdownHooks: Array<() => Promise<void> | void> = [];

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const hook of shutdownHooks.reverse()) {
    try {
      await hook();
    } catch (error) {
      console.error('[start] while stopping:', (error as Error).message);
    }
  }
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
  process.exit(code);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[start] ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const address = config.temporal.address ?? startDevServer(config);
  if (config.mail.startCatcher) startMailCatcher(config);

  const connection = await connectWithRetry(address, 60);
  shutdownHooks.push(() => connection.close());
  await ensureSearchAttributes(connection, config.temporal.namespace);

  const workerConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: activityDepsFromConfig(config),
    workflowBundle: process.env.WORKFLOW_BUNDLE ? { codePath: path.resolve(process.env.WORKFLOW_BUNDLE) } : undefined,
  });
  const running = worker.run().catch((error) => {
    console.error('[start] worker failed:', error);
    void shutdown(1);
  });
  shutdownHooks.push(async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
  });

  const service = new ProcessService({
    client: new Client({ connection, namespace: config.temporal.namespace }),
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    webUiUrl: config.temporal.webUiUrl,
  });
  const server: Server = createApp({ service, calendar: calendarFromConfig(config), tokens: config.tokens }).listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  shutdownHooks.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

  say(`API          http://${config.http.host}:${config.http.port}/v1 (docs: /v1/docs)`);
  say(`Temporal     ${address}${config.temporal.address ? ' (existing server)' : ''}`);
  if (!config.temporal.address) say(`Web UI       ${config.temporal.webUiUrl}`);
  if (config.mail.startCatcher) say(`Mail viewer  http://127.0.0.1:${config.mail.viewerPort}`);
  say('ready; Ctrl-C stops everything');
}

main().catch((error) => {
  console.error('[start] failed:', error instanceof Error ? error.message : error);
  void shutdown(1);
});
