import { Client, Connection } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { silentLogger } from '../../src/logger';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { deadlineRules } from '../../src/rules';
import type { ApiResponse } from '../helpers/stack';

// The calculator needs no workflow server: the service below is never called.
const calendar = calendarFromConfig(loadConfig({}));
const service = new ProcessService({
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
  taskQueue: 'unused',
  namespace: 'default',
  webUiUrl: 'http://x',
});
let server: Server;
let base: string;

beforeAll(async () => {
  server = createApp({ service, calendar, tokens: localTokens, logger: silentLogger }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

async function get(rule: string, anchor: string, token = 'local-case-system') {
  const response = await fetch(
    `${base}/v1/deadlines/calculate?rule=${encodeURIComponent(rule)}&anchor=${encodeURIComponent(anchor)}`,
    {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    },
  );
  return { status: response.status, body: (await response.json()) as ApiResponse['body'] };
}

async function batch(items: unknown) {
  const response = await fetch(`${base}/v1/deadlines/calculate`, {
    method: 'POST',
    headers: { authorization: 'Bearer local-pgl', 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  return { status: response.status, body: (await response.json()) as ApiResponse['body'] };
}

describe('the §2.7 worked examples through GET /v1/deadlines/calculate', () => {
  it.each([
    ['icpc-held', '2025-04-22T10:00:00+01:00', '2025-05-14T16:00:00.000Z'],
    ['s47-decision', '2025-04-22T10:00:00+01:00', '2025-04-28T16:00:00.000Z'],
    ['strategy-standard', '2025-04-17T15:00:00+01:00', '2025-04-19T14:00:00.000Z'],
    ['lac-review-1', '2025-12-19T12:00:00Z', '2026-01-21T17:00:00.000Z'],
    ['lac-health-initial', '2025-12-19T12:00:00Z', '2026-01-08T17:00:00.000Z'],
    ['icpc-report-chair', '2026-01-06T10:00:00Z', '2026-01-02T17:00:00.000Z'],
    ['icpc-report-family', '2026-01-06T10:00:00Z', '2026-01-02T17:00:00.000Z'],
    ['cp-first-rcpc', '2025-11-28T10:00:00Z', '2026-02-27T17:00:00.000Z'],
  ])('%s from %s is due %s', async (rule, anchor, dueAt) => {
    const { status, body } = await get(rule, anchor);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rule,
      dueAt,
      anchorAt: new Date(anchor).toISOString(),
      calendarVersion: calendar.version,
    });
    expect(body.label).toBe(deadlineRules.get(rule)!.label);
    expect(body.source).toEqual(deadlineRules.get(rule)!.source);
  });

  it('keeps the literal reading as statutoryDueAt: a review due on a Saturday, and the referral decision at 1 WD', async () => {
    expect((await get('cp-first-rcpc', '2025-11-28T10:00:00Z')).body.statutoryDueAt).toBe('2026-02-28T23:59:59.000Z');
    // Thursday before Easter 2025: 1 WD is Tuesday 22 April; the acknowledgement's 48 h (⚠C-03) is earlier.
    const referral = await get('referral-ack-decision', '2025-04-17T15:00:00+01:00');
    expect(referral.body).toMatchObject({
      statutoryDueAt: '2025-04-22T22:59:59.000Z',
      dueAt: '2025-04-19T14:00:00.000Z',
      unit: 'working_days',
    });
  });
});

describe('property: the endpoint agrees with the calendar module over random anchors 2018–2028', () => {
  const from = Date.parse('2018-01-01T00:00:00Z');
  const span = Date.parse('2028-12-31T00:00:00Z') - from;
  let seed = 7;
  const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  const anchors = Array.from({ length: 1_000 }, () => new Date(from + Math.floor(random() * span)));
  const expected: Record<string, (anchor: Date) => Date> = {
    'contact-finalise-cp': (a) => new Date(a.getTime() + 4 * 3_600_000),
    'icpc-held': (a) => calendar.workingDayDue(calendar.addWorkingDays(calendar.localDay(a), 15)),
    'cp-first-rcpc': (a) => calendar.dayRuleDue(calendar.addCalendarMonths(calendar.localDay(a), 3)),
    'lac-health-initial': (a) => calendar.dayRuleDue(calendar.addCalendarDays(calendar.localDay(a), 20)),
    'cp-core-group': (a) => calendar.dayRuleDue(calendar.addCalendarDays(calendar.localDay(a), 28)),
  };

  it.each(Object.keys(expected))('%s over 1,000 anchors in one batch', async (rule) => {
    const { status, body } = await batch(
      anchors.map((anchor, i) => ({
        rule,
        anchor: i % 2 ? anchor.toISOString() : anchor.toISOString().replace('Z', '+00:00'),
      })),
    );
    expect(status).toBe(200);
    expect(body.results).toHaveLength(anchors.length);
    body.results.forEach((result: { index: number; ok: boolean; dueAt: string }, i: number) => {
      expect(result).toMatchObject({ index: i, ok: true });
      expect(result.dueAt).toBe(expected[rule]!(anchors[i]!).toISOString());
    });
    if (rule === 'icpc-held') {
      for (const result of body.results as Array<{ dueAt: string }>) {
        const due = new Date(result.dueAt);
        expect(calendar.isWorkingDay(calendar.localDay(due))).toBe(true);
        expect(calendar.localTime(due)).toBe('17:00:00');
      }
    }
  });
});

describe('errors', () => {
  it('names the field: unknown rule, offset-less or missing anchor (400), no duration (422), no token (401)', async () => {
    const unknown = await get('icpc-eventually', '2025-04-22T10:00:00Z');
    expect(unknown).toMatchObject({ status: 400, body: { errors: [{ path: 'query.rule' }] } });
    const noOffset = await get('icpc-held', '2025-04-22T10:00:00');
    expect(noOffset).toMatchObject({ status: 400, body: { errors: [{ path: 'query.anchor' }] } });
    expect((await get('icpc-held', 'next tuesday')).status).toBe(400);
    const missing = await fetch(`${base}/v1/deadlines/calculate?rule=icpc-held`, {
      headers: { authorization: 'Bearer local-pgl' },
    });
    expect(missing.status).toBe(400);
    const gate = await get('lac-panel-ratify', '2025-04-22T10:00:00Z');
    expect(gate.status).toBe(422);
    expect(gate.body.detail).toContain('next Care Panel');
    expect((await get('icpc-held', '2025-04-22T10:00:00Z', '')).status).toBe(401);
  });

  it('answers each batch item in order with its own error, and refuses batches over 1,000', async () => {
    const { status, body } = await batch([
      { rule: 'icpc-held', anchor: '2025-04-22T10:00:00+01:00' },
      { rule: 'icpc-held', anchor: '2025-04-22' },
      { rule: 'no-such-rule', anchor: '2025-04-22T10:00:00Z' },
      { rule: 'kev-missing', anchor: '2025-04-22T10:00:00Z' },
    ]);
    expect(status).toBe(200);
    expect(body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false, false, false]);
    expect(body.results[1].error).toMatchObject({ status: 400, errors: [{ path: 'body.1.anchor' }] });
    expect(body.results[2].error).toMatchObject({ status: 400, errors: [{ path: 'body.2.rule' }] });
    expect(body.results[3].error).toMatchObject({ status: 422 });
    const tooMany = await batch(
      Array.from({ length: 1_001 }, () => ({ rule: 'icpc-held', anchor: '2025-04-22T10:00:00Z' })),
    );
    expect(tooMany).toMatchObject({ status: 400, body: { errors: [{ path: 'body' }] } });
    expect((await batch({ rule: 'icpc-held' })).status).toBe(400);
  });
});

it('lists every rule with its unit, duration and source', async () => {
  const response = await fetch(`${base}/v1/deadlines/rules`, { headers: { authorization: 'Bearer local-director' } });
  const body = (await response.json()) as ApiResponse['body'];
  expect(body.rules).toHaveLength(deadlineRules.size);
  expect(body.rules.find((r: { id: string }) => r.id === 'icpc-held')).toMatchObject({
    unit: 'working_days',
    duration: { value: 15, unit: 'working_days' },
    computable: true,
  });
  expect(body.rules.find((r: { id: string }) => r.id === 'lac-panel-ratify')).toMatchObject({
    computable: false,
    unit: null,
  });
});

it('npm run due prints the due instant in UTC and Europe/London', () => {
  const root = path.resolve(__dirname, '../..');
  const run = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'src/cli/due.ts', ...args], { cwd: root, encoding: 'utf8' });
  const ok = run('icpc-held', '2025-04-22T10:00:00+01:00');
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('due        2025-05-14T16:00:00.000Z  Wednesday 14 May 2025 at 17:00 (BST)');
  const bad = run('icpc-held', '2025-04-22');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('anchor');
});
