import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenTable } from '../../src/config';
import { apiStack } from '../helpers/stack';

type Stack = Awaited<ReturnType<typeof apiStack>>;

const tokens: TokenTable = {
  'social-worker-token': { person: 'sw-1', roles: ['social_worker'] },
  'team-manager-token': { person: 'tm-1', roles: ['team_manager'] },
  'qa-token-0001': { person: 'qa-1', roles: ['qa_bstl'] },
  'iro-token-0001': { person: 'iro-1', roles: ['iro'] },
  'case-system-token': { person: 'case-system', roles: ['case_system'] },
};

let stack: Stack;
const call: Stack['call'] = (...args) => stack.call(...args);

beforeAll(async () => {
  stack = await apiStack(tokens);
});
afterAll(() => stack?.stop());

const BASE = '/v1/looked-after-children';
const post = (path: string, token: string | undefined, body: unknown = {}) =>
  call('POST', `${BASE}/${path}`, token, body);
const get = (id: string) => call('GET', `${BASE}/${id}`, 'team-manager-token');
const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
const DAY = 24 * 3_600_000;
/** Reads until `ready` holds: the start plans its first deadlines, and a review cycle continues as new, a moment after answering. */
async function until(
  id: string,
  ready: (body: { cycle: number; deadlines: Array<{ id: string }> }) => boolean,
): Promise<{ cycle: number; deadlines: Array<{ id: string }> }> {
  for (let i = 0; i < 100; i += 1) {
    const state = await get(id);
    if (ready(state.body)) return state.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${id} never became ready`);
}

const admission = (episodeId: string) => ({
  episodeId,
  caseReference: `CASE-${episodeId}`,
  childReference: `CH-${episodeId}`,
  childDateOfBirth: '2016-05-04',
  lacStartAt: iso(-3_600_000),
  emergency: true,
  legalBasis: 'epo',
  approval: { by: 'director', at: iso(-2 * 3_600_000), nextCarePanelDate: iso(7 * DAY).slice(0, 10) },
  placement: { placementId: `${episodeId}-P1`, type: 'foster' },
  education: { stage: 'primary' },
});

describe('Looked-after child API on a real dev server with real SMTP', () => {
  it('starts an episode, holds a review, answers the IRO, and ends the episode once a review was held first', async () => {
    const started = await call('POST', BASE, 'case-system-token', admission('A1'));
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      id: 'A1',
      workflowId: 'lac-A1',
      process: 'looked-after-child',
      stage: 'looked_after',
      status: 'open',
      links: { webUi: expect.stringContaining('lac-A1') },
    });
    const state = await until('A1', (s) => s.deadlines.some((d) => d.id === 'lac-info-pack'));
    expect(state.deadlines.map((d) => d.id)).toEqual(
      expect.arrayContaining([
        'lac-panel-ratify',
        'lac-notify-start',
        'lac-review-1',
        'lac-health-initial',
        'lac-pep-initiate',
        'lac-pep-meeting',
        'lac-visit-first',
        'sup-standard',
      ]),
    );
    const [notice] = await stack.smtp.waitFor((mail) => mail.messageId === '<lac-A1.lac-start@test.example>');
    expect(notice!.to).toEqual(['qa-bstl@example.test', 'lac-health-team@example.test', 'virtual-school@example.test']);
    // The date of birth stays out of the notice and the search attributes.
    expect(notice!.text).not.toContain('2016-05-04');
    const described = await stack.env.client.workflow.getHandle('lac-A1').describe();
    expect(JSON.stringify(described.typedSearchAttributes)).not.toContain('2016');
    expect(
      described.typedSearchAttributes
        .getAll()
        .map((pair) => pair.key.name)
        .filter((name) => name !== 'BuildIds')
        .sort(),
    ).toEqual([
      'CaseReference',
      'ChildReference',
      'NextDeadlineAt',
      'OverdueCount',
      'ProcessType',
      'Stage',
      'TemporalChangeVersion', // patch ids only
    ]);

    expect((await post('A1/review-scheduled', 'qa-token-0001', { scheduledStart: iso(10 * DAY) })).status).toBe(200);
    const held = await post('A1/review-held', 'iro-token-0001', { heldAt: iso() });
    expect(held.status).toBe(200);
    expect(held.body.deadlines.find((d: { id: string }) => d.id === 'lac-review-1')).toMatchObject({
      status: 'met',
      metBy: 'iro-1',
    });
    await until('A1', (s) => s.cycle === 2);

    expect((await post('A1/iro-recommendations-issued', 'iro-token-0001', { at: iso() })).status).toBe(200);
    const unadvised = await post('A1/manager-recommendations-response', 'team-manager-token', { agreed: false });
    expect(unadvised).toMatchObject({
      status: 400,
      type: expect.stringContaining('application/problem+json'),
      body: { errors: [{ path: 'body.attendeesAdvisedAt', message: expect.stringContaining('advised') }] },
    });
    expect(
      (await post('A1/manager-recommendations-response', 'team-manager-token', { agreed: true })).body.events.at(-1),
    ).toMatchObject({ type: 'recommendations_agreed', actor: 'tm-1' });

    const proposed = await post('A1/ceasing-proposed', 'social-worker-token', {
      reason: 'adoption_order',
      proposedFor: iso(30 * DAY),
    });
    expect(proposed.body.stage).toBe('ceasing_proposed');
    const blocked = await post('A1/ceased', 'social-worker-token', { reason: 'adoption_order', at: iso() });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toContain('lac-review-before-ceasing not met and not overridden by a manager');
    expect((await post('A1/review-held', 'iro-token-0001', { heldAt: iso() })).status).toBe(200);
    await until('A1', (s) => s.cycle === 3);
    const ceased = await post('A1/ceased', 'social-worker-token', { reason: 'adoption_order', at: iso() });
    expect(ceased.status).toBe(200);
    expect(ceased.body).toMatchObject({ stage: 'ended', status: 'closed', ending: { reason: 'adoption_order' } });
    expect(
      ceased.body.deadlines.filter((d: { status: string }) => d.status === 'pending' || d.status === 'overdue'),
    ).toEqual([]);

    await expect
      .poll(async () => (await stack.env.client.workflow.getHandle('lac-A1').describe()).status.name, {
        timeout: 10_000,
      })
      .toBe('COMPLETED');
    expect((await get('A1')).body).toMatchObject({
      stage: 'ended',
      cycle: 3,
      links: { previousRuns: [expect.any(String), expect.any(String)] },
    });
    const late = await post('A1/visit-recorded', 'social-worker-token', { visitedAt: iso(), childSeen: true });
    expect(late).toMatchObject({ status: 409, body: { detail: expect.stringContaining('already ended') } });
  });

  it('answers each kind of error with a problem and changes nothing', async () => {
    // 400: field messages; nothing is started.
    const bad = await call('POST', BASE, 'case-system-token', {
      ...admission('B1'),
      childReference: 'Jane Smith',
      approval: { by: 'director', at: iso() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.childReference', 'body.approval.nextCarePanelDate']),
    );
    const adult = await call('POST', BASE, 'case-system-token', { ...admission('B1'), childDateOfBirth: '2000-01-01' });
    expect(adult.body.errors).toEqual([
      { path: 'body.childDateOfBirth', message: 'the child is 18 or over on lacStartAt: not an episode of care' },
    ]);
    expect((await get('B1')).status).toBe(404);
    expect((await call('POST', BASE, 'case-system-token', '{not json')).status).toBe(400);

    // 401 and 403.
    expect((await call('POST', BASE, undefined, admission('B2'))).status).toBe(401);
    expect((await call('GET', `${BASE}/B2`, 'not-a-known-token')).status).toBe(401);
    expect((await call('POST', BASE, 'qa-token-0001', admission('B2'))).status).toBe(403);

    expect((await call('POST', BASE, 'team-manager-token', admission('B2'))).status).toBe(201);
    await until('B2', (s) => s.deadlines.some((d) => d.id === 'lac-info-pack'));
    const forbidden = await post('B2/manager-recommendations-response', 'social-worker-token', { agreed: true });
    expect(forbidden).toMatchObject({
      status: 403,
      body: { detail: expect.stringContaining('team_manager, pgl, head_of_service') },
    });
    expect((await post('B2/iro-recommendations-issued', 'team-manager-token', { at: iso() })).status).toBe(403);
    expect(
      (
        await post('B2/ceasing-gate-override', 'social-worker-token', {
          gate: 'lac-review-before-ceasing',
          reason: 'x',
        })
      ).status,
    ).toBe(403);

    // 404: unknown episode.
    expect(
      (await post('NOPE/visit-recorded', 'social-worker-token', { visitedAt: iso(), childSeen: true })).status,
    ).toBe(404);

    // 409: wrong stage, with the reason; and a duplicate start.
    const early = await post('B2/iro-recommendations-issued', 'iro-token-0001', { at: iso() });
    expect(early).toMatchObject({
      status: 409,
      body: { detail: 'lac-iro-recommendations is not open: no review awaits them' },
    });
    const override = await post('B2/ceasing-gate-override', 'team-manager-token', {
      gate: 'lac-review-before-ceasing',
      reason: 'Not proposed',
    });
    expect(override.status).toBe(409);
    expect(
      (await post('B2/review-rescheduled', 'qa-token-0001', { scheduledStart: iso(DAY), reason: 'Moved' })).body.detail,
    ).toBe('no review is booked');
    const again = await call('POST', BASE, 'case-system-token', admission('B2'));
    expect(again).toMatchObject({ status: 409, body: { existingId: 'lac-B2' } });
    // A rejected request changed nothing.
    expect((await get('B2')).body.events.map((e: { type: string }) => e.type)).not.toContain('gate_override');

    // The routes are documented from the same schemas.
    const openapi = await call('GET', '/v1/openapi.json', undefined);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([BASE, `${BASE}/{id}`, `${BASE}/{id}/review-held`, `${BASE}/{id}/ceasing-gate-override`]),
    );
  });
});
