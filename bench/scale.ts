/**
 * Does the service hold a large authority's open work? `npm run bench:scale` fills a dev server
 * with open processes through the HTTP API (16 clients; a quarter each of plans, looked-after
 * episodes, Section 47 enquiries and Need to Know briefings), with the worker alone in a child
 * process (`worker/index.ts`, configured through the environment as in production) so that its
 * memory is measured by itself, and the API in this process. It reports the start rate of the
 * first 500 starts against the last 500, the latency of decisions once everything is open (a PGL
 * approval, a screening, two visits), and the worker's and the dev server's resident memory.
 *
 * Options: `--count=N` open processes (10,000), `--compare=N` (0: off) first fills N processes
 * twice, with the configured worker settings and with the SDK's default cache, and prints the
 * ratios; `--max-minutes=N` stops the main fill's starts after N minutes and reports what it
 * reached; `--quick` is a smoke run (400, compare 200). The evidence goes to a throwaway PostgreSQL
 * (bash scripts/setup-postgres.sh), as in production. The machine is shared: compare ratios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { createApp } from '../src/api/app';
import { ProcessService } from '../src/api/process-service';
import { calendarFromConfig, defaultWorkerTuning, loadConfig, localTokens, type WorkerTuning } from '../src/config';
import { silentLogger } from '../src/logger';
import { bundleWorkflows } from '../worker/worker';
import { startPostgres } from '../test/helpers/postgres';
import { startSmtpCapture, type SmtpCapture } from '../test/helpers/smtp';
import { devServerEnv, quietLogger } from '../test/helpers/temporal';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name!, value ?? 'yes'] as const;
  }),
);
const quick = args.has('quick');
const whole = (name: string, fallback: number) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name}: expected a whole number`);
  return value;
};
const COUNT = whole('count', quick ? 400 : 10_000);
const COMPARE = whole('compare', quick ? 200 : 0);
/** The main fill stops starting processes after this many minutes (0: never) and reports what it reached. */
const MAX_MINUTES = whole('max-minutes', 0);
/** The worker's V8 old-space limit in MiB (node --max-old-space-size; 0: Node's default, from the machine's memory). */
const WORKER_HEAP_MB = whole('worker-heap-mb', 0);
const CLIENTS = 16;
const windowOf = (count: number) => Math.min(500, Math.floor(count / 4));
const DECISIONS = quick ? 40 : 200;
const TASK_QUEUE = 'bench-scale';
const root = path.resolve(__dirname, '..');

/** The SDK's own default cache for this machine's V8 heap (worker-options.js, reuseV8Context on). */
const sdkDefaultCache = Math.max(
  Math.floor((Math.max(v8.getHeapStatistics().heap_size_limit / 2 ** 20 - 200, 0) * 600) / 1024),
  10,
);

const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();
const HOUR = 3_600_000;
type Kind = 'plan' | 'episode' | 'enquiry' | 'briefing';
const kinds: Kind[] = ['plan', 'episode', 'enquiry', 'briefing'];
const starts: Record<Kind, (id: string) => { path: string; token: string; body: object }> = {
  plan: (id) => ({
    path: 'child-protection-plans',
    token: 'local-case-system',
    body: {
      planId: id,
      caseReference: `CASE-${id}`,
      childReference: `CH-${id}`,
      childDateOfBirth: '2015-06-01',
      icpcHeldAt: iso(-24 * HOUR),
    },
  }),
  episode: (id) => ({
    path: 'looked-after-children',
    token: 'local-case-system',
    body: {
      episodeId: id,
      caseReference: `CASE-${id}`,
      childReference: `CH-${id}`,
      childDateOfBirth: '2016-03-01',
      lacStartAt: iso(-HOUR),
      emergency: true,
      legalBasis: 'epo',
      approval: { by: 'director', at: iso(-2 * HOUR), nextCarePanelDate: iso(7 * 24 * HOUR).slice(0, 10) },
      placement: { placementId: `${id}-P1`, type: 'foster' },
      education: { stage: 'primary' },
    },
  }),
  enquiry: (id) => ({
    path: 's47-enquiries',
    token: 'local-mash-officer',
    body: {
      contactId: id,
      caseReference: `CASE-${id}`,
      receivedAt: iso(-60_000),
      contactType: 'police_notification',
      children: [{ reference: `CH-${id}` }],
    },
  }),
  briefing: (id) => ({
    path: 'need-to-know',
    token: 'local-social-worker',
    body: {
      briefingId: id,
      caseReference: `CASE-${id}`,
      category: 2,
      item: 4,
      briefing: {
        child: { reference: `CH-${id}`, name: 'Bench Child', legalStatus: 'care_order' },
        concern: 'Missing from placement.',
        actionTaken: 'Police informed.',
        updateExpectedOn: '2030-01-15',
        contact: { name: 'Sam Worker' },
      },
    },
  }),
};
/** One decision per kind, on a process started by the fill. */
const decisions: Record<Kind, (id: string) => { path: string; token: string; body: object }> = {
  plan: (id) => ({
    path: `child-protection-plans/${id}/visit-recorded`,
    token: 'local-social-worker',
    body: { visitedAt: iso(), childSeen: true, seenAlone: true },
  }),
  episode: (id) => ({
    path: `looked-after-children/${id}/visit-recorded`,
    token: 'local-social-worker',
    body: { visitedAt: iso(), childSeen: true },
  }),
  enquiry: (id) => ({
    path: `s47-enquiries/${id}/contact-screened`,
    token: 'local-mash-officer',
    body: { significantHarmSuspected: false, immediateProtectionRequired: false },
  }),
  briefing: (id) => ({ path: `need-to-know/${id}/pgl-response`, token: 'local-pgl', body: { decision: 'approve' } }),
};

/** Starts applied but answered 503 (the state not read in time): counted as open, and reported. */
let appliedUnanswered = 0;

async function post(base: string, request: { path: string; token: string; body: object }, expected: number) {
  const response = await fetch(`${base}/v1/${request.path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
  });
  const text = await response.text();
  if (response.status === 503 && (JSON.parse(text) as { applied?: boolean }).applied === true) {
    appliedUnanswered += 1;
    return;
  }
  if (response.status !== expected) throw new Error(`${request.path}: ${response.status} ${text.slice(0, 300)}`);
}

/** VmRSS of a process, in MiB (undefined once it has gone). */
function rssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The dev server started for this run: the process whose command line names its SQLite file. */
function pidWithArgument(argument: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(argument)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

class Sampler {
  peak = 0;
  last = 0;
  private timer: NodeJS.Timeout;
  constructor(private pid: () => number | undefined) {
    this.timer = setInterval(() => this.sample(), 1_000);
  }
  sample(): number {
    const rss = rssMiB(this.pid()) ?? 0;
    this.peak = Math.max(this.peak, rss);
    this.last = rss;
    return rss;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

interface Fill {
  variant: string;
  count: number;
  firstRate: number;
  lastRate: number;
  decisionP50: number;
  decisionP99: number;
  byKind: Record<Kind, { p50: number; p99: number }>;
  workerAtReady: number;
  workerPeak: number;
  workerEnd: number;
  serverPeak: number;
  serverEnd: number;
  sqliteMiB: number;
  minutes: number;
  unanswered: number;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? NaN;

/** The worker alone, as production runs it: node with tsx's loader, so the child's RSS is the worker's. */
function spawnWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const heap = WORKER_HEAP_MB ? [`--max-old-space-size=${WORKER_HEAP_MB}`] : [];
  const child = spawn(process.execPath, [...heap, '--import', 'tsx', path.join(root, 'worker/index.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve(child) : reject(new Error(String(message)))));
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
}

async function fill(
  variant: string,
  count: number,
  tuning: WorkerTuning,
  shared: { smtp: SmtpCapture; databaseUrl: string; bundlePath: string; dir: string },
  maxMinutes: number,
): Promise<Fill> {
  const began = performance.now();
  appliedUnanswered = 0;
  const dbFilename = path.join(shared.dir, `${variant}.sqlite`);
  const env = await devServerEnv({ dbFilename });
  const serverPid = pidWithArgument(dbFilename);
  const worker = await spawnWorker({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // glibc's malloc arenas (one per thread, up to 64 MiB each) are part of the RSS measured: passed on when set.
    ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    PAYLOAD_KEYS: readFileSync(path.join(root, 'test/payload-keys.json'), 'utf8'),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(shared.smtp.port),
    MESSAGE_ID_DOMAIN: 'bench.example',
    DATABASE_URL: shared.databaseUrl,
    DATA_DIR: shared.dir,
    LOG_LEVEL: 'warn',
    WORKFLOW_BUNDLE: shared.bundlePath,
    WORKER_CACHED_WORKFLOWS: String(tuning.maxCachedWorkflows),
    WORKER_WORKFLOW_TASKS: String(tuning.maxConcurrentWorkflowTaskExecutions),
    WORKER_WORKFLOW_THREADS: String(tuning.workflowThreadPoolSize),
    WORKER_REUSE_V8_CONTEXT: tuning.reuseV8Context ? 'on' : 'off',
  });
  const workerRss = new Sampler(() => worker.pid);
  const workerAtReady = workerRss.sample();
  const serverRss = new Sampler(() => serverPid);
  const service = new ProcessService({
    client: env.client,
    taskQueue: TASK_QUEUE,
    namespace: 'default',
    webUiUrl: 'x',
  });
  const server: Server = createApp({
    service,
    calendar: calendarFromConfig(loadConfig({})),
    tokens: localTokens,
    log: (message) => console.error(`[api] ${message}`),
    logger: silentLogger,
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const done: number[] = []; // when each start answered, in order
    let next = 0;
    const fillBegan = performance.now();
    const stopAt = maxMinutes ? fillBegan + maxMinutes * 60_000 : Infinity;
    let reported = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < count && performance.now() < stopAt) {
          const n = next++;
          const kind = kinds[n % kinds.length]!;
          await post(base, starts[kind](`${variant}-${n}`), 201);
          done.push(performance.now());
          if (done.length - reported >= Math.max(500, count / 10)) {
            reported = done.length;
            const seconds = (performance.now() - fillBegan) / 1000;
            console.log(
              `  [${variant}] ${done.length} open after ${seconds.toFixed(0)} s; worker RSS ${workerRss.sample().toFixed(0)} MiB`,
            );
          }
        }
      }),
    );
    const rate = (from: number, to: number) =>
      (to - from) / ((done[to - 1]! - (from === 0 ? fillBegan : done[from - 1]!)) / 1000);
    const opened = done.length;
    const window = windowOf(opened);
    const firstRate = rate(0, window);
    const lastRate = rate(opened - window, opened);
    // Decisions once everything is open, one at a time, on processes spread over the whole fill
    // (most of them long out of the sticky cache).
    const latencies: Record<Kind, number[]> = { plan: [], episode: [], enquiry: [], briefing: [] };
    for (let i = 0; i < DECISIONS; i += 1) {
      // Spread over the fill, each kind in turn: the process of kind i % 4 in the i-th stretch.
      const n = Math.floor((i * opened) / DECISIONS / kinds.length) * kinds.length + (i % kinds.length);
      const kind = kinds[n % kinds.length]!;
      const at = performance.now();
      await post(base, decisions[kind](`${variant}-${n}`), 200);
      latencies[kind].push(performance.now() - at);
    }
    const all = Object.values(latencies).flat();
    workerRss.sample();
    serverRss.sample();
    return {
      variant,
      count: opened,
      firstRate,
      lastRate,
      decisionP50: quantile(all, 0.5),
      decisionP99: quantile(all, 0.99),
      byKind: Object.fromEntries(
        kinds.map((kind) => [kind, { p50: quantile(latencies[kind], 0.5), p99: quantile(latencies[kind], 0.99) }]),
      ) as Fill['byKind'],
      workerAtReady,
      workerPeak: workerRss.peak,
      workerEnd: workerRss.last,
      serverPeak: serverRss.peak,
      serverEnd: serverRss.last,
      sqliteMiB:
        ['', '-wal'].reduce(
          (sum, tail) => sum + (existsSync(dbFilename + tail) ? statSync(dbFilename + tail).size : 0),
          0,
        ) /
        2 ** 20,
      minutes: (performance.now() - began) / 60_000,
      unanswered: appliedUnanswered,
    };
  } finally {
    workerRss.stop();
    serverRss.stop();
    server.close();
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await env.teardown();
  }
}

const f0 = (x: number) => x.toFixed(0);
const f2 = (x: number) => x.toFixed(2);
function describe(result: Fill): string[] {
  const kindsText = kinds.map((k) => `${k} ${f0(result.byKind[k].p50)}/${f0(result.byKind[k].p99)}`).join(', ');
  return [
    `${result.variant}: ${result.count} open in ${result.minutes.toFixed(1)} min (${result.unanswered} applied but answered 503)`,
    `  start rate first ${windowOf(result.count)}: ${result.firstRate.toFixed(1)}/s, last ${windowOf(result.count)}: ${result.lastRate.toFixed(1)}/s (last/first ${f2(result.lastRate / result.firstRate)})`,
    `  decisions p50 ${f0(result.decisionP50)} ms, p99 ${f0(result.decisionP99)} ms (p50/p99 ms: ${kindsText})`,
    `  worker RSS at ready ${f0(result.workerAtReady)} MiB, peak ${f0(result.workerPeak)} MiB, end ${f0(result.workerEnd)} MiB; dev server peak ${f0(result.serverPeak)} MiB, end ${f0(result.serverEnd)} MiB; SQLite ${f0(result.sqliteMiB)} MiB`,
  ];
}

async function main() {
  const chosen = { ...defaultWorkerTuning(), ...loadConfig(process.env).worker };
  const sdkDefault: WorkerTuning = { ...chosen, maxCachedWorkflows: sdkDefaultCache };
  console.log(
    `bench:scale: ${COUNT} open processes by ${CLIENTS} clients (${kinds.join(', ')} in turn), then ${DECISIONS} decisions one at a time; ` +
      `worker settings ${JSON.stringify(chosen)}, heap limit ${WORKER_HEAP_MB ? `${WORKER_HEAP_MB} MiB` : "Node's default"} (the SDK's default cache here: ${sdkDefaultCache})` +
      (COMPARE ? `; first ${COMPARE} twice, configured cache against the SDK default` : ''),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-scale-'));
  const postgres = await startPostgres();
  const smtp = await startSmtpCapture();
  try {
    const { code } = await bundleWorkflows({ logger: quietLogger });
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, code);
    const shared = { smtp, bundlePath, dir, databaseUrl: '' };
    const results: Fill[] = [];
    if (COMPARE) {
      for (const [name, tuning] of [
        ['compare-configured', chosen],
        ['compare-sdk-default', sdkDefault],
      ] as const) {
        shared.databaseUrl = await postgres.createDatabase(name.replace(/-/g, '_'));
        const result = await fill(name, COMPARE, tuning, shared, 0);
        describe(result).forEach((line) => console.log(line));
        results.push(result);
      }
      const [c, d] = results as [Fill, Fill];
      console.log(
        `configured / SDK default at ${COMPARE}: worker RSS peak ${f2(c.workerPeak / d.workerPeak)}×, decisions p50 ${f2(c.decisionP50 / d.decisionP50)}×, p99 ${f2(c.decisionP99 / d.decisionP99)}×, last start rate ${f2(c.lastRate / d.lastRate)}×`,
      );
    }
    shared.databaseUrl = await postgres.createDatabase('main_fill');
    const main = await fill('main', COUNT, chosen, shared, MAX_MINUTES);
    describe(main).forEach((line) => console.log(line));
    const memoryGoal = main.workerPeak <= 1024;
    const rateGoal = main.lastRate / main.firstRate >= 0.8;
    console.log('');
    console.log(
      `| at ${main.count} open | OLD (issue, 10,000 enquiries, API + worker in one process) | NEW (this run) | goal |`,
    );
    console.log('|---|---|---|---|');
    console.log(
      `| start rate last ${windowOf(main.count)} / first ${windowOf(main.count)} | 1.01–1.15 | ${f2(main.lastRate / main.firstRate)} | ≥ 0.8, ${rateGoal ? 'met' : 'NOT met'} |`,
    );
    console.log(
      `| decision p50 / p99 | ~125 / 165–275 ms (approval) | ${f0(main.decisionP50)} / ${f0(main.decisionP99)} ms (mixed; approval ${f0(main.byKind.briefing.p50)} / ${f0(main.byKind.briefing.p99)}) | — |`,
    );
    console.log(
      `| worker RSS | 1.56–1.75 GiB (with the API) | peak ${f0(main.workerPeak)} MiB, end ${f0(main.workerEnd)} MiB (worker alone) | ≤ 1 GB, ${memoryGoal ? 'met' : 'NOT met'} |`,
    );
    console.log(
      `| dev server RSS | 430–480 MiB | peak ${f0(main.serverPeak)} MiB, end ${f0(main.serverEnd)} MiB | — |`,
    );
    console.log(`| SQLite | 257 MiB | ${f0(main.sqliteMiB)} MiB | — |`);
  } finally {
    await smtp.close();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
