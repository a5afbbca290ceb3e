/**
 * The operators' endpoints on the real HTTP API over the CLI dev server with a worker polling:
 * `GET /metrics` counts requests by route template and status (never an id in a label), and
 * `GET /ready` is 200 listing its checks, or 503 naming the failing one: no worker polling the
 * task queue, the evidence store closed, Temporal unreachable (within the 2 s deadline).
 */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { EvidenceReports } from '../../src/evidence/reports';
import type { EvidenceStore } from '../../src/evidence/store';
import { silentLogger } from '../../src/logger';
import { localOrganisation } from '../../src/organisation';
import { testEvidenceStore } from '../helpers/evidence';
import { briefingRequest } from '../helpers/need-to-know';
import { scrape, total } from '../helpers/prometheus';
import { apiStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';

let evidence: EvidenceStore;
let stack: Awaited<ReturnType<typeof apiStack>>;
const servers: Server[] = [];

beforeAll(async () => {
  evidence = await testEvidenceStore();
  stack = await apiStack(localTokens, { evidence });
});
afterAll(async () => {
  for (const server of servers) server.close();
  await stack?.stop();
  await evidence?.close();
});

const calendar = calendarFromConfig(loadConfig({}));

/** Another API on its own port, over `client`, for the task queue and store given. */
async function otherApi(options: { client: Client; taskQueue: string; store?: EvidenceStore }): Promise<string> {
  const app = createApp({
    service: new ProcessService({
      client: options.client,
      taskQueue: options.taskQueue,
      namespace: 'default',
      webUiUrl: 'http://localhost:8233',
    }),
    calendar,
    tokens: localTokens,
    logger: silentLogger,
    reports: options.store
      ? new EvidenceReports({ store: options.store, calendar, organisation: localOrganisation })
      : undefined,
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface ReadyBody {
  status: string | number;
  detail?: string;
  checkedAt: string;
  checks: Array<{ name: string; status: string; detail: string }>;
}

const ready = async (base: string) => {
  const response = await fetch(`${base}/ready`);
  const body = (await response.json()) as ReadyBody;
  return { status: response.status, type: response.headers.get('content-type') ?? '', body };
};

describe('GET /metrics on the API', () => {
  it('counts and times requests by route template and status, with no id or path in a label', async () => {
    const before = (await scrape(`${stack.base}/metrics`)).samples;
    const sw = 'local-social-worker';
    expect((await stack.call('POST', '/v1/need-to-know', sw, briefingRequest('OPS-7731'))).status).toBe(201);
    expect((await stack.call('GET', '/v1/need-to-know/OPS-7731', sw)).status).toBe(200);
    const approve = { decision: 'approve' };
    expect((await stack.call('POST', '/v1/need-to-know/OPS-7731/pgl-response', 'local-pgl', approve)).status).toBe(200);
    expect((await stack.call('GET', '/v1/need-to-know/OPS-NOPE-4410', sw)).status).toBe(404);
    expect((await stack.call('GET', '/v1/need-to-know/OPS-7731', undefined)).status).toBe(401);
    expect((await stack.call('GET', '/v1/no-such-thing/OPS-7731', sw)).status).toBe(404);

    // The counts are taken when each response ends, a moment after the client has it.
    const counted = (labels: Record<string, string>, samples: Parameters<typeof total>[0]) =>
      total(samples, 'http_requests_total', labels) - total(before, 'http_requests_total', labels);
    let scraped = await scrape(`${stack.base}/metrics`);
    await expect
      .poll(async () => {
        scraped = await scrape(`${stack.base}/metrics`);
        return counted({ route: 'unmatched', status: '404' }, scraped.samples);
      })
      .toBe(1);
    const { samples, text, type } = scraped;
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const route = '/v1/need-to-know/:id';
    expect(counted({ method: 'POST', route: '/v1/need-to-know', status: '201' }, samples)).toBe(1);
    expect(counted({ method: 'GET', route, status: '200' }, samples)).toBe(1);
    expect(counted({ method: 'POST', route: `${route}/pgl-response`, status: '200' }, samples)).toBe(1);
    expect(counted({ method: 'GET', route, status: '404' }, samples)).toBe(1);
    // Refused before any route matched: who first (src/api/auth.ts), so no template either.
    expect(counted({ method: 'GET', route: 'unmatched', status: '401' }, samples)).toBe(1);
    expect(counted({ method: 'GET', route: 'unmatched', status: '404' }, samples)).toBe(1);
    // Each request timed in the histogram under the same labels.
    const timed = { method: 'POST', route: `${route}/pgl-response`, status: '200' };
    expect(total(samples, 'http_request_duration_seconds_count', timed)).toBe(
      total(samples, 'http_requests_total', timed),
    );
    expect(total(samples, 'http_request_duration_seconds_sum', timed)).toBeGreaterThan(0);
    // No label carries an id, a case reference or a path as sent.
    expect(text).not.toMatch(/OPS-|CASE-|no-such-thing/);
    expect(new Set(samples.map((s) => s.name))).toEqual(
      new Set([
        'http_requests_total',
        'http_request_duration_seconds_bucket',
        'http_request_duration_seconds_sum',
        'http_request_duration_seconds_count',
      ]),
    );
  });

  it('an unknown method is counted as other, so a client cannot mint new series', async () => {
    await fetch(`${stack.base}/v1/need-to-know`, { method: 'PROPFIND' }).catch(() => undefined);
    await expect
      .poll(async () =>
        total((await scrape(`${stack.base}/metrics`)).samples, 'http_requests_total', { method: 'other' }),
      )
      .toBeGreaterThanOrEqual(1);
    expect((await scrape(`${stack.base}/metrics`)).text).not.toContain('PROPFIND');
  });
});

describe('GET /ready', () => {
  it('is 200 listing every check when Temporal, the store and a polling worker answer', async () => {
    await expect.poll(async () => (await ready(stack.base)).status, { timeout: 15_000, interval: 500 }).toBe(200);
    const { body, type } = await ready(stack.base);
    expect(type).toMatch(/^application\/json/);
    expect(body).toEqual({
      status: 'ready',
      checkedAt: expect.any(String),
      checks: [
        { name: 'temporal', status: 'pass', detail: 'answers' },
        { name: 'evidence-store', status: 'pass', detail: 'answers' },
        { name: 'workflow-pollers', status: 'pass', detail: expect.stringMatching(/^\d+ polling$/) },
        { name: 'activity-pollers', status: 'pass', detail: expect.stringMatching(/^\d+ polling$/) },
      ],
    });
  });

  it('answers a burst from one round of checks (cached for a second)', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => ready(stack.base)));
    const rounds = new Set(answers.map((answer) => answer.body.checkedAt));
    // The burst may straddle the end of one cached second, never more.
    expect(rounds.size).toBeLessThanOrEqual(2);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });

  it('is 503 naming the pollers when no worker polls the task queue', async () => {
    const base = await otherApi({ client: stack.env.client, taskQueue: `nobody-polls-${Date.now()}` });
    const { status, type, body } = await ready(base);
    expect(status).toBe(503);
    expect(type).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ title: 'Not ready', status: 503 });
    expect(body.detail).toMatch(
      /^workflow-pollers: no worker has polled nobody-polls-\d+ for workflow tasks within 60 s; activity-pollers: /,
    );
    expect(body.checks).toEqual([
      { name: 'temporal', status: 'pass', detail: 'answers' },
      expect.objectContaining({ name: 'workflow-pollers', status: 'fail' }),
      expect.objectContaining({ name: 'activity-pollers', status: 'fail' }),
    ]);
  });

  it('is 503 naming the evidence store once it is closed', async () => {
    const store = await testEvidenceStore();
    const base = await otherApi({ client: stack.env.client, taskQueue: TASK_QUEUE, store });
    await expect.poll(async () => (await ready(base)).status, { timeout: 15_000, interval: 500 }).toBe(200);
    await store.close();
    await expect.poll(async () => (await ready(base)).status, { timeout: 5_000, interval: 300 }).toBe(503);
    const { body } = await ready(base);
    expect(body.detail).toMatch(/^evidence-store: failed \(\w+\)$/);
    expect(body.checks.filter((check) => check.status === 'fail')).toEqual([
      { name: 'evidence-store', status: 'fail', detail: expect.any(String) },
    ]);
  });

  it('is 503 naming Temporal within the 2 s deadline when it does not answer', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 10_000 }) });
    const base = await otherApi({ client: unreachable, taskQueue: TASK_QUEUE });
    const started = Date.now();
    const { status, body } = await ready(base);
    // The 2 s deadline, with room for a loaded machine: never the 10 s connect timeout.
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(status).toBe(503);
    // Nothing answers at 127.0.0.1:1: each Temporal check gives up at its deadline, at the same time.
    expect(body.detail).toMatch(/^temporal: (timed out after 2000 ms|failed \(gRPC status \d+\));/);
    expect(body.checks.map((check) => [check.name, check.status])).toEqual([
      ['temporal', 'fail'],
      ['workflow-pollers', 'fail'],
      ['activity-pollers', 'fail'],
    ]);
  });
});
