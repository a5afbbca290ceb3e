/**
 * The worker's metrics endpoint, on the production entry point (`npm run worker`, worker/index.ts)
 * run as its own process, as in production: the Runtime is installed once per process, so the
 * worker under test is a child with WORKER_METRICS_ADDRESS on a free loopback port, polling a task
 * queue of its own on the CLI dev server and sending mail to an SMTP capture. Briefings started
 * through the real API make it open, meet and breach deadlines and send and fail emails; its
 * `/metrics` then shows the SDK's metrics and the service's counters, with no id in any label.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app';
import { ProcessService } from '../src/api/process-service';
import { calendarFromConfig, loadConfig, localDirectory, localTokens } from '../src/config';
import { silentLogger } from '../src/logger';
import { briefingRequest } from './helpers/need-to-know';
import { scrape, total, type Sample } from './helpers/prometheus';
import { startSmtpCapture, type SmtpCapture } from './helpers/smtp';
import { devServerEnv } from './helpers/temporal';

const root = path.resolve(__dirname, '..');
const taskQueue = 'worker-metrics';
const payloadKeys = readFileSync(path.join(__dirname, 'payload-keys.json'), 'utf8');
/** The worker's environment, without any of this machine's settings that would point it elsewhere. */
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^(PAYLOAD_KEY|DATABASE_URL|EVIDENCE_DIR|DIRECTORY|WORKER_METRICS|TEMPORAL_|SMTP_)/.test(name),
  ),
);

/** A loopback port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface WorkerRun {
  child: ChildProcess;
  metricsUrl: string;
  /** SIGTERM, as a deployment stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

/** `npm run worker` as production runs it, on the file's server, SMTP capture and PGlite directory. */
async function startWorker(): Promise<WorkerRun> {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: root,
    env: {
      ...baseEnv,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      MESSAGE_ID_DOMAIN: 'test.example',
      PAYLOAD_KEYS: payloadKeys,
      EVIDENCE_DIR: evidenceDir,
      WORKER_METRICS_ADDRESS: metricsAddress,
      // The PGL's and the Head of Service's mailboxes refuse mail: every draft fails, as a count.
      DIRECTORY: JSON.stringify({
        ...localDirectory,
        pgl: ['invalid-pgl@example.test'],
        head_of_service: ['invalid-hos@example.test'],
      }),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', () => {
      if (!output.includes(`worker polling task queue ${taskQueue}`)) return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then(() => reject(new Error(`the worker exited:\n${output}`)));
  });
  return {
    child,
    metricsUrl: `http://${metricsAddress}/metrics`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
let worker: WorkerRun;
let metricsUrl: string;
let api: Server;
let apiBase: string;
const evidenceDir = mkdtempSync(path.join(tmpdir(), 'worker-metrics-'));

beforeAll(async () => {
  smtp = await startSmtpCapture();
  env = await devServerEnv();
  worker = await startWorker();
  metricsUrl = worker.metricsUrl;

  const calendar = calendarFromConfig(loadConfig({}));
  const app = createApp({
    service: new ProcessService({ client: env.client, taskQueue, namespace: 'default', webUiUrl: 'http://x.test' }),
    calendar,
    tokens: localTokens,
    logger: silentLogger,
  });
  api = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => api.once('listening', resolve));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  api?.close();
  await worker?.stop();
  await env?.teardown();
  await smtp?.close();
  rmSync(evidenceDir, { recursive: true, force: true });
});

const post = async (path: string, token: string, body: unknown) =>
  (
    await fetch(`${apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
  ).status;

describe("the worker's GET /metrics", () => {
  it("serves the SDK's metrics and the deadline and email counters, by process, rule, level and kind", async () => {
    expect(await post('/v1/need-to-know', 'local-social-worker', briefingRequest('WM-5501'))).toBe(201);
    expect(await post('/v1/need-to-know/WM-5501/pgl-response', 'local-pgl', { decision: 'approve' })).toBe(200);
    // A concern a week old: its draft was owed long ago (it breaches at once) and the fallback sends
    // the Director the briefing, not yet reviewed.
    const lastWeek = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
    const backdated = briefingRequest('WM-5502', { concernAroseAt: lastWeek });
    expect(await post('/v1/need-to-know', 'local-social-worker', backdated)).toBe(201);
    await smtp.waitFor((m) => m.messageId === '<ntk-WM-5502.briefing.v1.not_yet_reviewed@test.example>');

    const counters = (samples: Sample[]) => ({
      opened: total(samples, 'deadlines_opened_total', { process: 'ntk', rule: 'ntk-cat2-director' }),
      metOnTime: total(samples, 'deadlines_met_total', {
        process: 'ntk',
        rule: 'ntk-cat2-director',
        breached: 'false',
      }),
      // The backdated draft was owed a week ago (and failed to reach the PGL); the Director's deadline
      // is met by the fallback at its due instant, so it never breaches.
      draftBreached: total(samples, 'deadlines_breached_total', { process: 'ntk', rule: 'ntk-cat2-draft', level: '0' }),
      directorBreached: total(samples, 'deadlines_breached_total', { process: 'ntk', rule: 'ntk-cat2-director' }),
      approvedSent: total(samples, 'notifications_sent_total', {
        process: 'ntk',
        notice: 'briefing',
        kind: 'approved',
      }),
      unreviewedSent: total(samples, 'notifications_sent_total', {
        process: 'ntk',
        notice: 'briefing',
        kind: 'not_yet_reviewed',
      }),
      draftsFailed: total(samples, 'notifications_failed_total', {
        process: 'ntk',
        notice: 'briefing',
        kind: 'draft',
        failure: 'PermanentSmtpFailure',
      }),
    });
    let scraped = await scrape(metricsUrl);
    await expect
      .poll(
        async () => {
          scraped = await scrape(metricsUrl);
          return counters(scraped.samples);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual({
        opened: 2,
        metOnTime: 2,
        draftBreached: 1,
        directorBreached: 0,
        approvedSent: 1,
        unreviewedSent: 1,
        draftsFailed: 2,
      });
    const { samples, text, type } = scraped;
    expect(type).toMatch(/^text\/plain/);

    // The breach is counted at the level it reached (0: the overdue notice, before any escalation);
    // the labels are bounded sets, with the SDK's own.
    const breach = samples.find((s) => s.name === 'deadlines_breached_total' && s.labels.rule === 'ntk-cat2-draft');
    // (The SDK adds its own tags in camelCase to the service's counters, in snake_case to its own.)
    expect(breach!.labels).toEqual({
      process: 'ntk',
      rule: 'ntk-cat2-draft',
      level: '0',
      namespace: 'default',
      taskQueue,
      workflowType: 'needToKnow',
    });
    // The SDK's own metrics, from the Core runtime: task latencies, the sticky cache, slots.
    const names = new Set(samples.map((s) => s.name));
    for (const name of [
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_workflow_task_execution_latency_bucket',
      'temporal_activity_schedule_to_start_latency_bucket',
      'temporal_sticky_cache_size',
      'temporal_worker_task_slots_available',
    ])
      expect(names).toContain(name);
    expect(
      total(samples, 'temporal_workflow_task_schedule_to_start_latency_count', { task_queue: taskQueue }),
    ).toBeGreaterThan(0);
    // No workflow id, business id, case reference or address in any label.
    expect(text).not.toMatch(/WM-55|CASE-|ntk-WM|@example\.test/);
  });

  it('counts a breach at level 0 and each escalation at the level it reached', async () => {
    // Received 10 hours ago: the 4-hour deadline was due 6 hours ago, and its escalation to the Head
    // of Service (4 hours after due) is past too, so both fire at once (§1.3 point 6).
    const receivedAt = new Date(Date.now() - 10 * 3_600_000).toISOString();
    const contact = {
      contactId: 'WM-K1',
      caseReference: 'CASE-WM-K1',
      receivedAt,
      contactType: 'police_notification',
      children: [{ reference: 'C1' }],
    };
    expect(await post('/v1/s47-enquiries', 'local-mash-officer', contact)).toBe(201);
    const rule = { process: 's47', rule: 'contact-finalise-cp' };
    await expect
      .poll(
        async () => {
          const { samples } = await scrape(metricsUrl);
          return {
            breachedAtZero: total(samples, 'deadlines_breached_total', { ...rule, level: '0' }),
            escalatedToOne: total(samples, 'deadlines_escalated_total', { ...rule, level: '1' }),
            escalatedOtherwise:
              total(samples, 'deadlines_escalated_total', rule) -
              total(samples, 'deadlines_escalated_total', { ...rule, level: '1' }),
            // One escalation notice, to the Head of Service (whose mailbox refuses mail here) and, out of
            // working hours, the out-of-hours service: failed or sent depending on the hour, counted once.
            escalationNotices: ['notifications_sent_total', 'notifications_failed_total']
              .map((name) => total(samples, name, { process: 's47', notice: 'deadline', kind: 'escalation' }))
              .reduce((sum, n) => sum + n, 0),
          };
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual({ breachedAtZero: 1, escalatedToOne: 1, escalatedOtherwise: 0, escalationNotices: 1 });
    expect((await scrape(metricsUrl)).text).not.toMatch(/WM-K1|CASE-/);
  });

  it('counts nothing again when a new worker replays a history: only what happens after it', async () => {
    expect(await post('/v1/need-to-know', 'local-social-worker', briefingRequest('WM-5503'))).toBe(201);
    const rule = { process: 'ntk', rule: 'ntk-cat2-director' };
    await expect
      .poll(async () => total((await scrape(metricsUrl)).samples, 'deadlines_opened_total', rule), { timeout: 10_000 })
      .toBe(3);
    // Another worker takes over: the briefing is in no cache of its own, so the approval's workflow
    // task replays the whole history (the deadlines opened, the draft sent) before applying it.
    await worker.stop();
    worker = await startWorker();
    metricsUrl = worker.metricsUrl;
    expect(await post('/v1/need-to-know/WM-5503/pgl-response', 'local-pgl', { decision: 'approve' })).toBe(200);
    const counts = async () => {
      const { samples } = await scrape(metricsUrl);
      return {
        met: total(samples, 'deadlines_met_total', rule),
        // Opened at the start, on the first worker (the update's deadline opens with the approval).
        openedAtStart: ['ntk-cat2-director', 'ntk-cat2-draft']
          .map((id) => total(samples, 'deadlines_opened_total', { process: 'ntk', rule: id }))
          .reduce((sum, n) => sum + n, 0),
        openedByApproval: total(samples, 'deadlines_opened_total', { process: 'ntk', rule: 'ntk-update-due' }),
        approvedSent: total(samples, 'notifications_sent_total', { process: 'ntk', kind: 'approved' }),
        draftsFailed: total(samples, 'notifications_failed_total', { process: 'ntk', kind: 'draft' }),
        replays: total(samples, 'temporal_workflow_task_replay_latency_count'),
      };
    };
    await expect.poll(counts, { timeout: 30_000, interval: 500 }).toEqual({
      met: 1,
      openedAtStart: 0,
      openedByApproval: 1,
      approvedSent: 1,
      draftsFailed: 0,
      replays: expect.any(Number),
    });
    expect((await counts()).replays).toBeGreaterThan(0);
  });

  it('refuses to start when its metrics address is taken, naming the setting', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = `127.0.0.1:${(holder.address() as AddressInfo).port}`;
    try {
      // TEMPORAL_ADDRESS points nowhere: the refusal comes before any attempt to connect.
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
        cwd: root,
        env: { ...baseEnv, TEMPORAL_ADDRESS: '127.0.0.1:1', PAYLOAD_KEYS: payloadKeys, WORKER_METRICS_ADDRESS: taken },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      const fatal = run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: string; msg: string })
        .find((line) => line.level === 'fatal');
      expect(fatal?.msg).toMatch(new RegExp(`^WORKER_METRICS_ADDRESS: cannot serve metrics at ${taken} \\(.*in use`));
    } finally {
      holder.close();
    }
  });
});
