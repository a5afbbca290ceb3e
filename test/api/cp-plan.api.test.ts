/** The child protection plan API on a real dev server with real SMTP: started directly (own enquiry, transfer-in), every error class. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenTable } from '../../src/config';
import { apiStack } from '../helpers/stack';

type Stack = Awaited<ReturnType<typeof apiStack>>;

const tokens: TokenTable = {
  'case-system-token': { person: 'case-system', roles: ['case_system'] },
  'social-worker-token': { person: 'sw-1', roles: ['social_worker'] },
  'team-manager-token': { person: 'tm-1', roles: ['team_manager'] },
  'chair-token-001': { person: 'chair-1', roles: ['cp_chair'] },
};

let stack: Stack;
const call: Stack['call'] = (...args) => stack.call(...args);
const post = (path: string, token: string, body: unknown = {}) =>
  call('POST', `/v1/child-protection-plans${path}`, token, body);
const DAY = 86_400_000;
const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();
type View = { id: string; status: string; dueAt: string };
const deadline = (body: { deadlines: View[] }, id: string) => body.deadlines.filter((d) => d.id === id).at(-1);

beforeAll(async () => {
  stack = await apiStack(tokens);
});
afterAll(() => stack?.stop());

describe('child protection plan API on a real dev server with real SMTP', () => {
  it('starts a plan from a case system’s own conference, records events, and ends it on the child’s death', async () => {
    const adult = await post('', 'case-system-token', {
      planId: 'PA1',
      caseReference: 'CASE-PA1',
      childReference: 'C1',
      childDateOfBirth: '2000-01-01',
      icpcHeldAt: iso(),
    });
    expect(adult.status).toBe(400);
    expect(adult.body.errors[0]).toMatchObject({
      path: 'body.childDateOfBirth',
      message: expect.stringMatching(/under 18/),
    });
    const started = await post('', 'case-system-token', {
      planId: 'PA1',
      caseReference: 'CASE-PA1',
      childReference: 'C1',
      childDateOfBirth: '2015-06-01',
      icpcHeldAt: iso(-DAY),
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: 'PA1', workflowId: 'cpp-PA1', stage: 'active', cycle: 1 });
    // The start answers once every first deadline is armed, the last of them cp-age-18-review.
    expect(started.body.ready).toBe(true);
    expect(started.body.deadlines.map((d: View) => d.id)).toEqual(
      expect.arrayContaining([
        'cp-first-core-group',
        'cp-visit',
        'cp-first-rcpc',
        'sup-cp',
        'cp-assessment-6-monthly',
        'cp-age-18-review',
      ]),
    );
    // The date of birth drives cp-age-18-review but never reaches the search attributes.
    const handle = stack.env.client.workflow.getHandle('cpp-PA1');
    expect(JSON.stringify((await handle.describe()).typedSearchAttributes)).not.toContain('2015');

    const visit = await post('/PA1/visit-recorded', 'social-worker-token', {
      visitedAt: iso(),
      childSeen: true,
      seenAlone: true,
    });
    expect(visit.status).toBe(200);
    expect(visit.body.deadlines.filter((d: View) => d.id === 'cp-visit').map((d: View) => d.status)).toEqual([
      'met',
      'pending',
    ]);
    expect(
      deadline(
        (await post('/PA1/assessment-completed', 'team-manager-token', { at: iso() })).body,
        'cp-assessment-6-monthly',
      ),
    ).toMatchObject({ status: 'pending' });

    // Error classes: the wrong role, bad fields, the wrong stage; none changes anything.
    expect((await post('/PA1/child-died', 'social-worker-token', { at: iso() })).status).toBe(403);
    const bad = await post('/PA1/child-moved-permanently', 'social-worker-token', {
      toAuthority: '',
      notifiedAt: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.notifiedAt',
      'body.toAuthority',
    ]);
    const early = await post('/PA1/receiving-conference-held', 'social-worker-token', { at: iso() });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/no move to another authority/);
    expect(
      (await post('/PX9/visit-recorded', 'social-worker-token', { visitedAt: iso(), childSeen: true })).status,
    ).toBe(404);

    // D2.4: only the manager records the contingency plan; a future instant is refused; each use is kept.
    const contingency = { at: iso(), reason: 'parents refused the agreed visits' };
    expect((await post('/PA1/contingency-plan-used', 'social-worker-token', contingency)).status).toBe(403);
    const future = await post('/PA1/contingency-plan-used', 'team-manager-token', { ...contingency, at: iso(DAY) });
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ path: 'body.at', message: expect.stringMatching(/future/) });
    const used = await post('/PA1/contingency-plan-used', 'team-manager-token', contingency);
    expect(used.status).toBe(200);
    expect(used.body.contingencyPlanUsed).toEqual([{ at: contingency.at, by: 'tm-1', reason: contingency.reason }]);
    expect(used.body.events.at(-1)).toMatchObject({ type: 'contingency_plan_used', actor: 'tm-1' });

    const died = await post('/PA1/child-died', 'team-manager-token', { at: iso() });
    expect(died.status).toBe(200);
    expect(died.body).toMatchObject({ stage: 'ending', ending: { reason: 'died' } });
    expect(deadline(died.body, 'cp-visit')).toMatchObject({ status: 'cancelled' });
    // The death starts the serious incident (patch cp-death-starts-incident) instead of the old prompt.
    expect(died.body.links.incident).toBe('incident-died-C1');
    const incident = () => call('GET', '/v1/serious-incidents/died-C1', 'team-manager-token');
    await expect
      .poll(async () => (await incident()).body.links?.briefings)
      .toEqual(['ntk-incident-died-C1-cat2-item3']);
    expect((await incident()).body).toMatchObject({ child: { onPlan: true }, links: { reportedFrom: ['cpp-PA1'] } });
    expect(stack.smtp.messages.some((mail) => mail.messageId === '<cpp-PA1.child-died@test.example>')).toBe(false);
    expect((await post('/PA1/child-left-uk', 'team-manager-token', { at: iso() })).status).toBe(409);
    expect((await post('/PA1/contingency-plan-used', 'team-manager-token', contingency)).status).toBe(409);
  });

  it('a transfer-in waits for this authority’s conference; a move away keeps the plan open until the receiving conference', async () => {
    const both = await post('', 'case-system-token', {
      planId: 'PT1',
      caseReference: 'CASE-PT1',
      childReference: 'C1',
      icpcHeldAt: iso(),
      transferIn: { notifiedAt: iso(), fromAuthority: 'Another Council' },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toMatchObject({
      path: 'body.icpcHeldAt',
      message: expect.stringMatching(/exactly one/),
    });

    const started = await post('', 'case-system-token', {
      planId: 'PT1',
      caseReference: 'CASE-PT1',
      childReference: 'C1',
      transferIn: { notifiedAt: iso(-DAY), fromAuthority: 'Another Council' },
    });
    expect(started.status).toBe(201);
    expect(started.body.stage).toBe('transfer_in');
    expect(started.body.deadlines.map((d: View) => d.id)).toEqual(['cp-transfer-in-conference']);
    expect(
      (await post('/PT1/visit-recorded', 'social-worker-token', { visitedAt: iso(), childSeen: true })).status,
    ).toBe(409);

    const conference = await post('/PT1/transfer-in-conference-held', 'chair-token-001', {
      heldAt: iso(),
      decision: 'cp_plan',
    });
    expect(conference.status).toBe(200);
    expect(conference.body.stage).toBe('active');
    expect(deadline(conference.body, 'cp-first-core-group')).toMatchObject({ status: 'pending' });

    const moved = await post('/PT1/child-moved-permanently', 'social-worker-token', {
      toAuthority: 'Receiving Council',
      notifiedAt: iso(),
    });
    expect(moved.body).toMatchObject({ stage: 'active', transferOut: { toAuthority: 'Receiving Council' } });
    expect(deadline(moved.body, 'cp-transfer-out-watch')).toMatchObject({ status: 'pending' });
    const ended = await post('/PT1/receiving-conference-held', 'social-worker-token', { at: iso() });
    expect(ended.body).toMatchObject({ stage: 'ending', ending: { reason: 'moved' } });
    expect(deadline(ended.body, 'cp-transfer-out-watch')).toMatchObject({ status: 'met' });
    expect(deadline(ended.body, 'cp-discontinue-notify')).toMatchObject({ status: 'pending' });
  });
});
