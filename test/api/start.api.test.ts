/**
 * A start answers in one call (update-with-start), on the real API over a real dev server: the
 * start's `started` update returns the state once every first deadline is armed, so the route
 * reads nothing and polls nothing. A duplicate starts nothing; a start whose answer does not come
 * is a 503 saying it was applied; an unreachable server is a 503 saying nothing was started.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { silentLogger } from '../../src/logger';
import { ProcessService, type ServiceOptions } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, type TokenTable } from '../../src/config';
import { childEvent } from '../helpers/child-events';
import { briefingRequest } from '../helpers/need-to-know';
import { apiStack } from '../helpers/stack';
import { decodedPayload, TASK_QUEUE } from '../helpers/temporal';

const { EventType } = temporal.api.enums.v1;

/** Counts every state read the API makes. */
class CountedReads extends ProcessService {
  reads = 0;
  override query<T>(workflowId: string, query: QueryDefinition<T>, options?: { timeoutMs?: number }): Promise<T> {
    this.reads += 1;
    return super.query(workflowId, query, options);
  }
}

const tokens: TokenTable = { 'every-role-token': { person: 'starter-1', roles: ['case_system', 'team_manager'] } };
const TOKEN = 'every-role-token';
const DAY = 86_400_000;
const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();

let stack: Awaited<ReturnType<typeof apiStack>>;
let service: CountedReads;
const logs: string[] = [];
const call: typeof stack.call = (...args) => stack.call(...args);

beforeAll(async () => {
  stack = await apiStack(tokens, {
    service: (options) => (service = new CountedReads(options)),
    log: (message) => logs.push(message),
  });
});
afterAll(() => stack?.stop());

/** The start's update in the history: its name, how often it was accepted, and the state it returned. */
async function startedUpdates(workflowId: string) {
  const { events } = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
  const accepted = (events ?? []).filter(
    (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  );
  const completed = (events ?? []).filter(
    (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  );
  return {
    names: accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name),
    results: await Promise.all(
      completed.map((e) =>
        decodedPayload<{ deadlines: Array<{ id: string }> }>(
          e.workflowExecutionUpdateCompletedEventAttributes!.outcome!.success!.payloads![0]!,
        ),
      ),
    ),
  };
}

const starts = [
  {
    resource: 'need-to-know',
    id: 'S1',
    workflowId: 'ntk-S1',
    body: briefingRequest('S1'),
    first: ['ntk-cat2-director', 'ntk-cat2-draft'],
  },
  {
    resource: 's47-enquiries',
    id: 'S2',
    workflowId: 's47-S2',
    body: { contactId: 'S2', caseReference: 'CASE-S2', receivedAt: iso(-3_600_000), children: [{ reference: 'C1' }] },
    first: ['contact-screen', 'contact-finalise', 'referral-ack-decision', 'referrer-feedback'],
  },
  {
    resource: 'child-protection-plans',
    id: 'S3',
    workflowId: 'cpp-S3',
    body: {
      planId: 'S3',
      caseReference: 'CASE-S3',
      childReference: 'C1',
      childDateOfBirth: '2015-06-01',
      icpcHeldAt: iso(-DAY),
    },
    first: ['cp-first-core-group', 'cp-visit', 'cp-first-rcpc', 'sup-cp', 'cp-age-18-review'],
  },
  {
    resource: 'looked-after-children',
    id: 'S4',
    workflowId: 'lac-S4',
    body: {
      episodeId: 'S4',
      caseReference: 'CASE-S4',
      childReference: 'CH-S4',
      childDateOfBirth: '2016-05-04',
      lacStartAt: iso(-3_600_000),
      emergency: true,
      legalBasis: 'epo',
      approval: { by: 'director', at: iso(-2 * 3_600_000), nextCarePanelDate: iso(7 * DAY).slice(0, 10) },
      placement: { placementId: 'S4-P1', type: 'foster' },
      education: { stage: 'primary' },
    },
    first: ['lac-panel-ratify', 'lac-care-plan', 'lac-review-1', 'lac-health-initial', 'lac-notify-start'],
  },
];

describe('a start answers through its update, without polling', () => {
  it.each(starts)('$resource: one call, every first deadline armed, no state read', async (start) => {
    const readsBefore = service.reads;
    const started = await call('POST', `/v1/${start.resource}`, TOKEN, start.body);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(service.reads).toBe(readsBefore); // the answer came with the start, not from a query
    const ids = started.body.deadlines.map((d: { id: string }) => d.id);
    expect(ids).toEqual(expect.arrayContaining(start.first));

    // The history holds the start's update, accepted and completed once, returning this very state.
    const { names, results } = await startedUpdates(start.workflowId);
    expect(names).toEqual(['started']);
    expect(results).toHaveLength(1);
    expect(results[0]!.deadlines.map((d) => d.id)).toEqual(ids);
    // Nothing was armed after the answer: a read later sees the same deadlines.
    const read = await call('GET', `/v1/${start.resource}/${start.id}`, TOKEN);
    expect(read.body.deadlines.map((d: { id: string }) => d.id)).toEqual(ids);
  });

  it('a duplicate is a 409 naming the existing process; nothing is started or sent to it', async () => {
    const again = await call('POST', '/v1/need-to-know', TOKEN, briefingRequest('S1'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ title: 'Already started', existingId: 'ntk-S1' });
    expect((await startedUpdates('ntk-S1')).names).toEqual(['started']);
    const runs = await stack.env.client.workflow.count(`WorkflowId = 'ntk-S1'`);
    expect(runs.count).toBe(1);
  });

  it('a start whose answer does not come is a 503 saying it was applied, and the process exists', async () => {
    // No worker polls this queue: the workflow starts, and its update is never answered.
    const unanswered = (options: ServiceOptions) =>
      new ProcessService({ ...options, taskQueue: `${TASK_QUEUE}-nobody`, startTimeoutMs: 1_500 });
    const app: Server = createApp({
      service: unanswered({ client: stack.env.client, taskQueue: TASK_QUEUE, namespace: 'default', webUiUrl: 'x' }),
      calendar: calendarFromConfig(loadConfig({})),
      tokens,
      log: (message) => logs.push(message),
      logger: silentLogger,
    }).listen(0, '127.0.0.1');
    await new Promise((r) => app.once('listening', r));
    try {
      const began = Date.now();
      const response = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/v1/need-to-know`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(briefingRequest('S5')),
      });
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('location')).toBe('/v1/need-to-know/S5');
      expect(await response.json()).toMatchObject({ applied: true, detail: expect.stringContaining('was applied') });
      expect(logs.at(-1)).toMatch(/^start applied to ntk-S5; reading its state failed/);
      const handle = stack.env.client.workflow.getHandle('ntk-S5');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.terminate('test: nobody polls its queue');

      // An event about a child that starts a process answers the same way.
      const event = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/v1/children/CH-S6/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(childEvent('S6', 'prognosis-recorded', { prognosis: 'death_within_12_months' })),
      });
      expect(event.status).toBe(503);
      expect(event.headers.get('location')).toBe('/v1/key-events/S6');
      expect(await event.json()).toMatchObject({ applied: true, detail: expect.stringContaining('was recorded') });
      const started = stack.env.client.workflow.getHandle('kev-S6');
      expect((await started.describe()).status.name).toBe('RUNNING');
      await started.terminate('test: nobody polls its queue');
    } finally {
      app.close();
    }
  });

  it('a start against an unreachable server is a 503 saying nothing was started', async () => {
    const dead = new ProcessService({
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) }),
      taskQueue: TASK_QUEUE,
      namespace: 'default',
      webUiUrl: 'http://x',
    });
    const app: Server = createApp({
      service: dead,
      calendar: calendarFromConfig(loadConfig({})),
      tokens,
      logger: silentLogger,
    }).listen(0, '127.0.0.1');
    await new Promise((r) => app.once('listening', r));
    try {
      const response = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/v1/need-to-know`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(briefingRequest('S6')),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ detail: expect.stringContaining('nothing was changed') });
    } finally {
      app.close();
    }
    await expect(stack.env.client.workflow.getHandle('ntk-S6').describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });
});
