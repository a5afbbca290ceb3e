/**
 * `npm start`: the whole service on one machine. Starts the Temporal dev server (persistent, with
 * the Web UI), a local mail catcher, the evidence store's PGlite server (unless DATABASE_URL names a
 * PostgreSQL), the worker and the HTTP API as separate child processes,
 * restarts any that dies (with backoff), and stops them all in order on Ctrl-C. With
 * TEMPORAL_ADDRESS set, an existing Temporal server is used instead of the dev server.
 *
 * Every child writes its pid to DATA_DIR (`temporal.pid`, `maildev.pid`, `evidence.pid`,
 * `worker.pid`, `api.pid`) and its output to a log file there. A child left running by an earlier run of the
 * same DATA_DIR whose supervisor was killed is stopped before anything starts.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import { pgliteServerAddress } from './evidence/pglite-address';
import { newPayloadKey, parsePayloadKeys } from './payload-codec';
import { isLoopbackHost } from './loopback';
import { searchAttributeDefinitions } from './search-attributes';
import { ensureSearchAttributes } from './temporal-namespace';
import { findLeftover, stopLeftover, SupervisedChild, type ChildSpec, type ProcessIdentity } from './supervisor';

const root = path.resolve(__dirname, '..');
const say = (message: string) => console.log(`[start] ${message}`);

async function connectWithRetry(address: string, seconds: number, gaveUp: () => boolean): Promise<Connection> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 1_000 });
    } catch (error) {
      if (gaveUp()) throw new Error('stopped while waiting for Temporal');
      if (Date.now() > until) {
        throw new Error(`Temporal at ${address} did not answer within ${seconds} s: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * The dev server keeps a closed process's history this long, then deletes it (set here, so it is
 * the configured figure and not the server's default).
 */
async function ensureRetention(connection: Connection, namespace: string, days: number) {
  const retention = msToTs(`${days} days`);
  const { config } = await connection.workflowService.describeNamespace({ namespace });
  if (Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0) === Number(retention.seconds)) return;
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: retention },
  });
}

/**
 * The local key every payload stored in Temporal is encrypted with: created on the first run in
 * DATA_DIR, readable by this user only, unless PAYLOAD_KEYS or PAYLOAD_KEYS_FILE gives one.
 * Returns what the worker's and the API's environment needs.
 */
function localPayloadKey(config: Config, dataDir: string): NodeJS.ProcessEnv {
  if (config.payloadKeys) return {};
  const file = path.join(dataDir, 'payload-keys.json');
  if (!existsSync(file)) {
    const id = `local-${new Date().toISOString().slice(0, 10)}`;
    writeFileSync(file, `${JSON.stringify({ [id]: newPayloadKey() }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    say(`created the local payload key ${shown(file)} (mode 0600): the history in Temporal is encrypted with it`);
  }
  parsePayloadKeys(readFileSync(file, 'utf8')); // a damaged file stops here, not in both children
  if ((statSync(file).mode & 0o077) !== 0) say(`warning: ${shown(file)} is readable by other users; chmod 600 it`);
  return { PAYLOAD_KEYS_FILE: file };
}

/**
 * The secret the pages' session cookies are sealed with: created on the first run in DATA_DIR,
 * readable by this user only, unless SESSION_SECRET or SESSION_SECRET_FILE gives one.
 */
function localSessionSecret(config: Config, dataDir: string): NodeJS.ProcessEnv {
  if (config.web.sessionSecret !== undefined) return {};
  const file = path.join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    say(`created the session secret ${shown(file)} (mode 0600): the pages' sign-in cookies are sealed with it`);
  }
  return { SESSION_SECRET_FILE: file };
}

/** Fails with a clear message when something else already listens where a child must. */
async function assertPortFree(host: string, port: number, what: string) {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`${what} port ${host}:${port} is taken by another program (${error.code})`)),
      )
      .listen(port, host, () => probe.close(() => resolve()));
  });
}

const portAnswers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const httpOk = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;

interface Layout {
  dataDir: string;
  /** The environment every child gets: DATA_DIR absolute, so a leftover can be recognised by it. */
  env: NodeJS.ProcessEnv;
}

const hasArg = (needle: string) => (id: ProcessIdentity) => id.cmdline.some((arg) => arg.includes(needle));

/** Where the browser reaches the API's codec server (an IPv6 address in brackets). */
const codecEndpoint = ({ http }: Config) =>
  `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${http.port}/codec`;

function devServerSpec(config: Config, { dataDir, env }: Layout): ChildSpec {
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  return {
    name: 'Temporal dev server',
    command: path.join(root, '.tools/bin/temporal'),
    args: [
      ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(config.temporal.port)],
      ...['--ui-port', String(config.temporal.uiPort), '--namespace', config.temporal.namespace],
      // The Web UI shows the encrypted history decrypted, through the API's codec server.
      ...['--ui-codec-endpoint', codecEndpoint(config)],
      ...['--db-filename', dbFile],
      // Write-ahead logging: about ten times faster than SQLite's default, still durable.
      ...['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'],
      ...['--log-level', 'warn'],
      ...Object.entries(searchAttributeDefinitions).flatMap(([name, type]) => [
        '--search-attribute',
        `${name}=${type}`,
      ]),
    ],
    env,
    cwd: root,
    logFile: path.join(dataDir, 'temporal.log'),
    pidFile: path.join(dataDir, 'temporal.pid'),
    isOurs: hasArg(dbFile),
  };
}

function mailCatcherSpec(config: Config, { dataDir, env }: Layout): ChildSpec {
  const mailDir = path.join(dataDir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  return {
    name: 'mail catcher',
    command: path.join(root, 'node_modules/.bin/maildev'),
    args: [
      ...['--smtp', String(config.smtp.port), '--ip', '127.0.0.1'],
      ...['--web', String(config.mail.viewerPort), '--web-ip', '127.0.0.1', '--mail-directory', mailDir],
    ],
    env,
    cwd: root,
    logFile: path.join(dataDir, 'maildev.log'),
    pidFile: path.join(dataDir, 'maildev.pid'),
    isOurs: hasArg(mailDir),
  };
}

/**
 * A TypeScript entry point run by Node itself (not through the `tsx` CLI, which would put a
 * second process between the supervisor and the child: killing it would orphan the real one).
 */
function nodeChildSpec(
  name: string,
  file: 'worker' | 'api' | 'evidence',
  entry: string,
  { dataDir, env }: Layout,
): ChildSpec {
  const entryPath = path.join(root, entry);
  return {
    name,
    command: process.execPath,
    args: ['--require', path.join(root, 'scripts/supervised-child.cjs'), '--import', 'tsx', entryPath],
    env,
    cwd: root,
    logFile: path.join(dataDir, `${file}.log`),
    pidFile: path.join(dataDir, `${file}.pid`),
    ipc: true,
    isOurs: (id) => hasArg(entryPath)(id) && id.environ.includes(`DATA_DIR=${dataDir}`),
  };
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
  const dataDir = path.resolve(root, config.temporal.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let keyEnv: NodeJS.ProcessEnv;
  try {
    keyEnv = { ...localPayloadKey(config, dataDir), ...localSessionSecret(config, dataDir) };
  } catch (error) {
    console.error(`[start] ${(error as Error).message}`);
    process.exit(2);
  }
  const layout: Layout = { dataDir, env: { ...process.env, ...keyEnv, DATA_DIR: dataDir } };

  // One supervisor per DATA_DIR: a second one would stop the first one's children.
  const supervisorPidFile = path.join(dataDir, 'start.pid');
  const isSupervisor = (id: ProcessIdentity) => id.cmdline.some((arg) => /(^|\/)src\/main\.ts$/.test(arg));
  const other = findLeftover(supervisorPidFile, isSupervisor);
  if (other !== undefined) {
    console.error(`[start] another npm start (pid ${other}) is running with DATA_DIR ${dataDir}; stop it first`);
    process.exit(1);
  }
  writeFileSync(supervisorPidFile, `${process.pid}\n`);

  const useDevServer = !config.temporal.address;
  // The dev server's Web UI has no sign-in: its codec requests carry no token. The API answers them
  // when they come from that UI's origin over loopback (config refuses it on any other HOST).
  const trustLocalUi = useDevServer && isLoopbackHost(config.http.host) && process.env.CODEC_LOCAL_UI !== 'off';
  // The evidence store: the user's PostgreSQL, or PGlite in EVIDENCE_DIR served by a child of its
  // own, since one PGlite directory is opened by one process and both the worker and the API use it.
  const evidenceServed = !config.evidence.databaseUrl;
  // As the children will read it: with DATA_DIR absolute, from the repository's directory.
  const pgliteDir = path.resolve(root, loadConfig(layout.env).evidence.pgliteDir);
  const evidenceUrl = evidenceServed ? pgliteServerAddress({ pgliteDir }).databaseUrl : undefined;
  const clientLayout: Layout = evidenceUrl ? { ...layout, env: { ...layout.env, DATABASE_URL: evidenceUrl } } : layout;
  const apiLayout = trustLocalUi
    ? { ...clientLayout, env: { ...clientLayout.env, CODEC_LOCAL_UI: 'on' } }
    : clientLayout;
  const specs = {
    api: nodeChildSpec('API', 'api', 'src/api/server.ts', apiLayout),
    worker: nodeChildSpec('worker', 'worker', 'worker/index.ts', clientLayout),
    evidence: evidenceServed
      ? nodeChildSpec('evidence store', 'evidence', 'src/evidence/pglite-server.ts', layout)
      : undefined,
    mail: config.mail.startCatcher ? mailCatcherSpec(config, layout) : undefined,
    temporal: useDevServer ? devServerSpec(config, layout) : undefined,
  };

  // The stopping order: the API (no new work), the worker, the evidence store, the mail catcher, the dev server.
  const running: SupervisedChild[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    const stopped: string[] = [];
    for (const spec of [specs.api, specs.worker, specs.evidence, specs.mail, specs.temporal]) {
      const child = running.find((c) => c.spec === spec);
      if (!child) continue;
      await child.stop(15_000);
      stopped.push(spec!.name);
    }
    rmSync(supervisorPidFile, { force: true });
    say(`stopped ${stopped.join(', ') || 'nothing'}`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const start = (spec: ChildSpec) => {
    const child = new SupervisedChild(spec, { say });
    running.push(child);
    return child;
  };

  try {
    // An earlier run whose supervisor was killed may have left children behind: stop them.
    for (const spec of [specs.api, specs.worker, specs.evidence, specs.mail, specs.temporal]) {
      if (!spec) continue;
      const pid = await stopLeftover(spec);
      if (pid !== undefined) say(`stopped the ${spec.name} left by an earlier run (pid ${pid})`);
    }
    await assertPortFree(config.http.host, config.http.port, 'the API');
    if (useDevServer) {
      await assertPortFree('127.0.0.1', config.temporal.port, 'the Temporal');
      await assertPortFree('127.0.0.1', config.temporal.uiPort, 'the Web UI');
    }
    if (config.mail.startCatcher) {
      await assertPortFree('127.0.0.1', config.smtp.port, 'the SMTP');
      await assertPortFree('127.0.0.1', config.mail.viewerPort, 'the mail viewer');
    }

    const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
    const devServer = specs.temporal && start(specs.temporal);
    const mail = specs.mail && start(specs.mail);
    // Says `ready` over IPC once it accepts connections; awaited before the worker and the API start.
    const evidence = specs.evidence && start(specs.evidence);
    // The dev server is ready once it answers and the search attributes exist (registered once, here).
    const temporalReady = (async () => {
      const connection = await connectWithRetry(address, 60, () => stopping);
      try {
        await ensureSearchAttributes(connection, config.temporal.namespace);
        if (useDevServer) await ensureRetention(connection, config.temporal.namespace, config.temporal.retentionDays);
      } finally {
        await connection.close();
      }
    })();
    // Awaited beside the dev server's readiness so that a failure to connect is the error shown.
    await Promise.all([
      temporalReady,
      devServer?.ready(90_000, () => temporalReady.then(() => true)),
      evidence?.ready(60_000),
    ]);
    const mailReady = mail?.ready(30_000, () => portAnswers('127.0.0.1', config.smtp.port));

    const worker = start(specs.worker);
    const api = start(specs.api);
    await Promise.all([
      mailReady,
      worker.ready(120_000),
      api.ready(60_000, () => httpOk(`http://${config.http.host}:${config.http.port}/health`)),
    ]);

    say(`API          http://${config.http.host}:${config.http.port}/v1 (docs: /v1/docs)`);
    say(`Pages        ${config.web.publicUrl}/ (sign in with a local token, e.g. local-pgl)`);
    say(`Temporal     ${address}${config.temporal.address ? ' (existing server)' : ''}`);
    say(
      `Evidence     ${evidenceUrl ? `PGlite in ${shown(pgliteDir)}, served to the worker and the API` : 'the PostgreSQL of DATABASE_URL'}`,
    );
    if (useDevServer) say(`Web UI       ${config.temporal.webUiUrl}`);
    if (config.mail.startCatcher) say(`Mail viewer  http://127.0.0.1:${config.mail.viewerPort}`);
    say(`Logs, pid files  ${shown(dataDir)} (${running.map((c) => `${c.spec.name} pid ${c.pid}`).join(', ')})`);
    say('ready; Ctrl-C stops everything');
  } catch (error) {
    if (stopping) return;
    console.error('[start] failed:', error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}

/** A path as the user would type it: relative when inside the repository. */
const shown = (dir: string) => (dir.startsWith(`${root}${path.sep}`) ? path.relative(root, dir) : dir);

void main();
