import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { silentLogger } from '../../src/logger';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { capturedLogs } from '../helpers/logs';
import type { SmtpCapture } from '../helpers/smtp';
import { apiStack } from '../helpers/stack';
import { briefingRequest } from '../helpers/need-to-know';
import { TASK_QUEUE } from '../helpers/temporal';

const calendar = calendarFromConfig(loadConfig({}));

let stack: Awaited<ReturnType<typeof apiStack>>;
let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
const call: typeof stack.call = (...args) => stack.call(...args);

beforeAll(async () => {
  stack = await apiStack(localTokens);
  ({ env, smtp } = stack);
});
afterAll(() => stack?.stop());

const tokens = {
  sw: 'local-social-worker',
  pgl: 'local-pgl',
  hos: 'local-head-of-service',
  director: 'local-director',
  admin: 'local-administrator',
};

const briefing = (id: string, extra: Record<string, unknown> = {}) =>
  briefingRequest(id, { people: { social_worker: ['sam.worker@example.test'] }, ...extra });

describe('Need to Know API on a real dev server with real SMTP', () => {
  it('starts a briefing, emails the draft, and reads the state', async () => {
    const started = await call('POST', '/v1/need-to-know', tokens.sw, briefing('A1'));
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      id: 'A1',
      workflowId: 'ntk-A1',
      process: 'need-to-know',
      status: 'open',
      case: { reference: 'CASE-A1' },
    });
    expect(started.body.links.webUi).toBe(
      `http://localhost:8233/namespaces/${env.namespace ?? 'default'}/workflows/ntk-A1`,
    );
    const director = started.body.deadlines.find((d: { id: string }) => d.id === 'ntk-cat2-director');
    expect(director.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(director.status).toBe('pending');

    const [draft] = await smtp.waitFor((m) => m.messageId === '<ntk-A1.briefing.v1.draft@test.example>');
    expect(draft!.envelopeTo).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(draft!.subject).toBe(
      '[Need to Know] Need to Know briefing for your review (case CASE-A1, category 2 item 4)',
    );

    const read = await call('GET', '/v1/need-to-know/A1', tokens.pgl);
    expect(read.status).toBe(200);
    expect(read.body.events[0]).toMatchObject({ type: 'raised', actor: 'sw-1' });
  });

  it('records the PGL approval with the actor from the token and emails the Director', async () => {
    // An actor in the body is an unknown field: refused, naming it, and nothing is applied.
    const impostor = await call('POST', '/v1/need-to-know/A1/pgl-response', tokens.pgl, {
      decision: 'approve',
      actor: { id: 'someone-else' },
    });
    expect(impostor).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'body.actor', message: 'unknown field: not accepted' }] },
    });
    expect((await call('GET', '/v1/need-to-know/A1', tokens.pgl)).body.stage).toBe('awaiting_pgl');
    const answered = await call('POST', '/v1/need-to-know/A1/pgl-response', tokens.pgl, { decision: 'approve' });
    expect(answered.status).toBe(200);
    expect(answered.body.stage).toBe('with_director');
    const director = answered.body.deadlines.find((d: { id: string }) => d.id === 'ntk-cat2-director');
    expect(director).toMatchObject({ status: 'met', metBy: 'pgl-1' });
    const [approved] = await smtp.waitFor((m) => m.messageId === '<ntk-A1.briefing.v1.approved@test.example>');
    expect(approved!.to).toEqual(['director@example.test']);
    expect(approved!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
  });

  it('answers a duplicate start with 409 and the existing id, and sends nothing more', async () => {
    const before = smtp.messages.length;
    const duplicate = await call('POST', '/v1/need-to-know', tokens.sw, briefing('A1'));
    expect(duplicate.status).toBe(409);
    expect(duplicate.type).toContain('application/problem+json');
    expect(duplicate.body.existingId).toBe('ntk-A1');
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages.length).toBe(before);
  });

  it('rejects invalid bodies with field messages and starts nothing', async () => {
    const bad = briefing('A2', { concernAroseAt: '2026-03-10T11:00:00', category: 4 });
    delete (bad.briefing as Record<string, unknown>).concern;
    const response = await call('POST', '/v1/need-to-know', tokens.sw, bad);
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.concernAroseAt', 'body.category', 'body.briefing.concern']));
    expect((await call('GET', '/v1/need-to-know/A2', tokens.sw)).status).toBe(404);

    expect((await call('POST', '/v1/need-to-know', tokens.sw, '{"not json')).status).toBe(400);
    expect((await call('POST', '/v1/need-to-know', tokens.sw, briefing('bad id with spaces'))).status).toBe(400);
    const huge = briefing('A3', { briefing: { ...briefing('A3').briefing, concern: 'x'.repeat(300_000) } });
    expect((await call('POST', '/v1/need-to-know', tokens.sw, huge)).status).toBe(413);
  });

  it('refuses missing tokens (401), wrong roles (403), unknown ids (404) and wrong stages (409)', async () => {
    expect((await call('GET', '/v1/need-to-know/A1', undefined)).status).toBe(401);
    expect((await call('GET', '/v1/need-to-know/A1', 'not-a-real-token')).status).toBe(401);
    const forbidden = await call('POST', '/v1/need-to-know/A1/pgl-response', tokens.sw, { decision: 'approve' });
    expect(forbidden.status).toBe(403);
    expect((await call('POST', '/v1/need-to-know', tokens.director, briefing('A4'))).status).toBe(403);
    expect((await call('GET', '/v1/need-to-know/NOPE', tokens.sw)).status).toBe(404);
    expect((await call('POST', '/v1/need-to-know/NOPE/pgl-response', tokens.pgl, { decision: 'approve' })).status).toBe(
      404,
    );
    const wrongStage = await call('POST', '/v1/need-to-know/A1/hos-decision', tokens.hos, { decision: 'inform' });
    expect(wrongStage.status).toBe(409);
    expect(wrongStage.body.detail).toContain('category 3');
    const invalidDecision = await call('POST', '/v1/need-to-know/A1/pgl-response', tokens.pgl, {
      decision: 'amend_and_approve',
    });
    expect(invalidDecision.status).toBe(400);
    expect(invalidDecision.body.errors[0].path).toBe('body.amendedBriefing');
  });

  it('sends a backdated concern to the Director at once, not yet reviewed (§1.3 point 6)', async () => {
    const lastWeek = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
    const started = await call('POST', '/v1/need-to-know', tokens.sw, briefing('A5', { concernAroseAt: lastWeek }));
    expect(started.status).toBe(201);
    const [fallback] = await smtp.waitFor((m) => m.messageId === '<ntk-A5.briefing.v1.not_yet_reviewed@test.example>');
    expect(fallback!.to).toEqual(['director@example.test']);
    await expect
      .poll(async () => (await call('GET', '/v1/need-to-know/A5', tokens.sw)).body.stage)
      .toBe('with_director_unreviewed');
  });

  it('closes a briefing; later decisions get 409', async () => {
    const closed = await call('POST', '/v1/need-to-know/A1/closure', tokens.director, {
      rationale: 'Child found safe.',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.deadlines.filter((d: { status: string }) => d.status === 'pending')).toEqual([]);
    await expect
      .poll(async () => (await env.client.workflow.getHandle('ntk-A1').describe()).status.name)
      .toBe('COMPLETED');
    expect((await call('POST', '/v1/need-to-know/A1/update-sent', tokens.sw, { summary: 'late' })).status).toBe(409);
    expect((await call('GET', '/v1/need-to-know/A1', tokens.sw)).body.stage).toBe('closed');
  });

  it('keeps personal details out of workflow ids, search attributes, Web UI details and logs', async () => {
    const personal = ['Zebedee', 'Quillfeather', '2015-02-03', 'Lovelace'];
    const body = briefing('P1', { category: 3, item: 1 });
    body.briefing.child = {
      reference: 'CHILD-P1',
      name: 'Zebedee Quillfeather',
      dateOfBirth: '2015-02-03',
      legalStatus: 'cin',
    } as typeof body.briefing.child;
    body.briefing.contact = { name: 'Ada Lovelace' };
    expect((await call('POST', '/v1/need-to-know', tokens.sw, body)).status).toBe(201);
    await call('POST', '/v1/need-to-know/P1/hos-decision', tokens.hos, { decision: 'inform' });

    const handle = env.client.workflow.getHandle('ntk-P1');
    const description = await handle.describe();
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    const visible = JSON.stringify({
      id: description.workflowId,
      searchAttributes: description.typedSearchAttributes,
      summary: await description.staticSummary(),
      details: metadata.currentDetails,
      logs: capturedLogs(),
    });
    expect(visible).toContain('CASE-P1'); // the case reference is allowed and present
    expect(visible).toContain('ntk-cat3-director');
    for (const text of personal) expect(visible).not.toContain(text);
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const doc = await call('GET', '/v1/openapi.json', undefined);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/need-to-know', '/v1/need-to-know/{id}', '/v1/need-to-know/{id}/pgl-response']),
    );
    expect(
      doc.body.paths['/v1/need-to-know'].post.requestBody.content['application/json'].schema.properties.briefing,
    ).toBeDefined();
    const page = await fetch(`${stack.base}/v1/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('answers 503 when the workflow server cannot be reached', async () => {
    const dead = new ProcessService({
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) }),
      taskQueue: TASK_QUEUE,
      namespace: 'default',
      webUiUrl: 'http://x',
    });
    const app = createApp({ service: dead, calendar, tokens: localTokens, logger: silentLogger }).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((r) => app.once('listening', r));
    const response = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/v1/need-to-know/A1`, {
      headers: { authorization: `Bearer ${tokens.sw}` },
    });
    app.close();
    expect(response.status).toBe(503);
  });
});
