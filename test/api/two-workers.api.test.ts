/**
 * Two worker processes on one task queue, as a deployment scales out, and one of them killed
 * (SIGKILL, no shutdown) in the middle of a burst of decisions: the other finishes the work.
 * Nothing is lost (every decision answered and applied, every email sent, the evidence store equal
 * to every state) and no email goes twice unless the killed worker had already sent it: a send it
 * had in flight is retried by the survivor with the same Message-ID.
 *
 * Runs on the dev server in `npm test` and on the full server on PostgreSQL in
 * `npm run test:production`. The workers are `worker/index.ts` as production runs it, configured
 * by environment, with the evidence store on a throwaway PostgreSQL cluster.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/store';
import { silentLogger } from '../../src/logger';
import { factsInStore, factsOfState } from '../helpers/evidence';
import { briefingRequest } from '../helpers/need-to-know';
import { freePort, startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { devServerEnv, quietLogger } from '../helpers/temporal';
import { bundleWorkflows } from '../../worker/worker';

const root = path.resolve(__dirname, '../..');
const TASK_QUEUE = 'two-workers';
const BRIEFINGS = 12;
const PLANS = 12;

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
let postgres: ThrowawayPostgres;
let evidence: EvidenceStore;
let workerEnv: NodeJS.ProcessEnv;
let api: Server;
let base: string;
let scratch: string;
const workers: ChildProcess[] = [];
const workerOutput = new Map<ChildProcess, string[]>();

/** `worker/index.ts` in a process of its own; resolves once it polls (it says `ready` over IPC). */
async function startWorker(name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: root,
    // Two workers on one host: each serves its metrics at an address of its own.
    env: { ...workerEnv, WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}` },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  workerOutput.set(child, output);
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  workers.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.join('')}`)), 60_000);
    child.once('message', (message) => {
      if (message !== 'ready') return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output.join('')}`)));
  });
}

async function call(method: string, route: string, token: string, body?: unknown) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  [env, smtp, postgres] = await Promise.all([devServerEnv(), startSmtpCapture(), startPostgres()]);
  const databaseUrl = await postgres.createDatabase('evidence');
  // Migrated once here, so that the two workers do not race to migrate it.
  evidence = await openEvidenceStore({ databaseUrl });
  scratch = mkdtempSync(path.join(tmpdir(), 'two-workers-'));
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows({ logger: quietLogger })).code);
  workerEnv = {
    PATH: process.env.PATH,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    MESSAGE_ID_DOMAIN: 'test.example',
    PAYLOAD_KEYS_FILE: path.join(root, 'test/payload-keys.json'),
    DATABASE_URL: databaseUrl,
    WORKFLOW_BUNDLE: bundlePath,
    LOG_LEVEL: 'warn',
  };
  const service = new ProcessService({
    client: env.client,
    taskQueue: TASK_QUEUE,
    namespace: env.namespace ?? 'default',
    webUiUrl: 'http://localhost:8233',
  });
  api = createApp({
    service,
    calendar: calendarFromConfig(loadConfig({})),
    tokens: localTokens,
    logger: silentLogger,
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => api.once('listening', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  api?.close();
  await evidence?.close();
  await env?.teardown();
  await smtp?.close();
  await postgres?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const briefingIds = Array.from({ length: BRIEFINGS }, (_, i) => `TW${i + 1}`);
const planIds = Array.from({ length: PLANS }, (_, i) => `TP${i + 1}`);
const approvedId = (id: string) => `<ntk-${id}.briefing.v1.approved@test.example>`;
const draftId = (id: string) => `<ntk-${id}.briefing.v1.draft@test.example>`;

describe('two workers on one task queue, one killed mid-run', () => {
  it('the other finishes the work: nothing lost, no email twice beyond what the killed one had sent', async () => {
    const [first] = await Promise.all([startWorker('worker A'), startWorker('worker B')]);

    const starts = await Promise.all([
      ...briefingIds.map((id) => call('POST', '/v1/need-to-know', 'local-social-worker', briefingRequest(id))),
      ...planIds.map((id) =>
        call('POST', '/v1/child-protection-plans', 'local-case-system', {
          planId: id,
          caseReference: `CASE-${id}`,
          childReference: `C-${id}`,
          childDateOfBirth: '2015-06-01',
          icpcHeldAt: new Date(Date.now() - 86_400_000).toISOString(),
        }),
      ),
    ]);
    expect(starts.map((s) => s.status)).toEqual(starts.map(() => 201));
    await smtp.waitFor((m) => briefingIds.some((id) => m.messageId === draftId(id)), BRIEFINGS, 30_000);

    // Every decision at once; the first worker dies once a quarter of the Director's emails are out.
    const decisions = Promise.all([
      ...briefingIds.map((id) =>
        call('POST', `/v1/need-to-know/${id}/pgl-response`, 'local-pgl', { decision: 'approve' }),
      ),
      ...planIds.map((id) =>
        call('POST', `/v1/child-protection-plans/${id}/visit-recorded`, 'local-social-worker', {
          visitedAt: new Date().toISOString(),
          childSeen: true,
          seenAlone: true,
        }),
      ),
    ]);
    await smtp.waitFor((m) => briefingIds.some((id) => m.messageId === approvedId(id)), BRIEFINGS / 4, 30_000);
    const killedAt = Date.now();
    first!.kill('SIGKILL');

    // Each decision is answered as applied: with the new state, or, where the state was still with
    // the dead worker (its sticky queue, for up to 10 s), 503 saying it was applied (README "API").
    const answers = await decisions;
    for (const answer of answers) {
      if (answer.status !== 200) expect(answer).toMatchObject({ status: 503, body: { applied: true } });
    }
    await smtp.waitFor((m) => briefingIds.some((id) => m.messageId === approvedId(id)), BRIEFINGS, 150_000);

    // Applied, every one: each briefing approved, each plan's visit met.
    for (const id of briefingIds) {
      const state = await call('GET', `/v1/need-to-know/${id}`, 'local-pgl');
      expect(state.body.stage, id).not.toBe('awaiting_pgl');
      expect(state.body.events.map((e: { type: string }) => e.type)).toContain('pgl_response');
    }
    for (const id of planIds) {
      const state = await call('GET', `/v1/child-protection-plans/${id}`, 'local-social-worker');
      const visits = state.body.deadlines.filter((d: { id: string }) => d.id === 'cp-visit');
      expect(
        visits.map((d: { status: string }) => d.status),
        id,
      ).toEqual(['met', 'pending']);
    }

    // Every email once, unless the killed worker had it in flight when it died (then the survivor
    // sent it again under the same Message-ID): a duplicate's first copy was on its way before the kill.
    const firstSeen = new Map<string, number>();
    for (const message of smtp.messages) {
      const seen = firstSeen.get(message.messageId);
      if (seen === undefined || message.dataStartedAt < seen) firstSeen.set(message.messageId, message.dataStartedAt);
    }
    const duplicated = [...firstSeen.keys()].filter((id) => smtp.messages.filter((m) => m.messageId === id).length > 1);
    for (const id of duplicated) expect(firstSeen.get(id), id).toBeLessThanOrEqual(killedAt);
    for (const id of briefingIds) {
      expect(firstSeen.has(draftId(id))).toBe(true);
      expect(firstSeen.has(approvedId(id))).toBe(true);
    }

    // The evidence store tells what every state tells, once each run's journal is written.
    const deadlineViews = async (route: string) => (await call('GET', route, 'local-administrator')).body.deadlines;
    const processes: [workflowId: string, route: string][] = [
      ...briefingIds.map((id): [string, string] => [`ntk-${id}`, `/v1/need-to-know/${id}`]),
      ...planIds.map((id): [string, string] => [`cpp-${id}`, `/v1/child-protection-plans/${id}`]),
    ];
    for (const [id, route] of processes) {
      await expect
        .poll(async () => factsInStore(evidence, id), { timeout: 60_000, interval: 500 })
        .toEqual(factsOfState(await deadlineViews(route)));
    }
  }, 300_000);
});
