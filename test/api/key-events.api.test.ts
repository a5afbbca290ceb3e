/**
 * Key events through the one child-event route on a real dev server with real SMTP: criminal
 * justice, homelessness, out of education and a prognosis, each raising what §6.1 says, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { childEvent } from '../helpers/child-events';
import { apiStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof apiStack>>;
const call: typeof stack.call = (...args) => stack.call(...args);
beforeAll(async () => {
  stack = await apiStack(localTokens);
});
afterAll(() => stack?.stop());

const CASE_SYSTEM = 'local-case-system';
const post = (child: string, body: unknown, token = CASE_SYSTEM) =>
  call('POST', `/v1/children/${child}/events`, token, body);
const deadline = (state: { deadlines: Array<{ id: string }> }, id: string) => state.deadlines.find((d) => d.id === id);

describe('key events (§7.2, §6.1) through POST /v1/children/{ref}/events', () => {
  it('a prognosis for a looked-after child raises category 3 item 9 at once (ntk-trigger-end-of-life)', async () => {
    const reported = await post(
      'CH-K1',
      childEvent('K1', 'prognosis-recorded', { prognosis: 'death_within_12_months' }),
    );
    expect(reported.status).toBe(201);
    expect(reported.location).toBe('/v1/key-events/K1');
    expect(reported.body.process).toMatchObject({ id: 'K1', workflowId: 'kev-K1', started: true });
    const briefing = 'ntk-kev-K1-cat3-item9';
    expect(reported.body.state.links.briefings).toEqual([briefing]);
    expect(deadline(reported.body.state, 'ntk-trigger-end-of-life')).toMatchObject({ status: 'met', metBy: 'system' });

    const raised = await call('GET', `/v1/need-to-know/kev-K1-cat3-item9`, 'local-head-of-service');
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({
      stage: 'awaiting_hos_decision',
      case: { category: 3, item: 9 },
      automatic: { trigger: 'ntk-trigger-end-of-life', drafted: false },
      links: { raisedBy: 'kev-K1' },
    });
    const [notice] = await stack.smtp.waitFor(
      (m) => m.messageId === `<${briefing}.briefing.v1.decision_needed@test.example>`,
    );
    expect(notice!.envelopeTo).toEqual(['head-of-service@example.test', 'pgl@example.test']);
    expect(notice!.text).toContain('ref CH-K1, legal status care_order');
    expect(notice!.text).toContain('Raised automatically by: ntk-trigger-end-of-life');
  });

  it('a repeated event answers 409 with the existing id and starts nothing', async () => {
    const body = childEvent(
      'K2',
      'address-status-changed',
      { addressStatus: 'homeless' },
      { child: { lookedAfter: false, onPlan: true, legalStatus: 'cp_plan' } },
    );
    expect((await post('CH-K2', body)).status).toBe(201);
    const again = await post('CH-K2', body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ existingId: 'kev-K2' });
  });

  it('homelessness raises category 3 item 5 only for a child on a plan', async () => {
    const onPlan = await post(
      'CH-K3',
      childEvent(
        'K3',
        'address-status-changed',
        { addressStatus: 'homeless' },
        { child: { lookedAfter: false, onPlan: true, legalStatus: 'cp_plan' } },
      ),
    );
    expect(onPlan.body.state.links.briefings).toEqual(['ntk-kev-K3-cat3-item5']);
    const notOnPlan = await post(
      'CH-K4',
      childEvent(
        'K4',
        'address-status-changed',
        { addressStatus: 'homeless' },
        { child: { lookedAfter: false, onPlan: false, legalStatus: 'cin' } },
      ),
    );
    expect(notOnPlan.status).toBe(201);
    expect(notOnPlan.body.state.links.briefings).toEqual([]);
  });

  it('a criminal justice event opens kev-cj-notify; a serious charge of a looked-after child raises category 3 item 2', async () => {
    const charged = await post(
      'CH-K5',
      childEvent('K5', 'criminal-justice-event', { justice: { kind: 'charged', offenceSerious: true } }),
    );
    expect(charged.status).toBe(201);
    expect(deadline(charged.body.state, 'kev-cj-notify')).toMatchObject({ status: 'pending' });
    expect(charged.body.state.links.briefings).toEqual(['ntk-kev-K5-cat3-item2']);
    expect((await call('POST', '/v1/key-events/K5/cj-notified', 'local-iro', {})).status).toBe(403);
    const notified = await call('POST', '/v1/key-events/K5/cj-notified', 'local-social-worker', {});
    expect(notified.status).toBe(200);
    expect(deadline(notified.body, 'kev-cj-notify')).toMatchObject({ status: 'met', metBy: 'sw-1' });
  });

  it('out of education opens ntk-trigger-out-of-education at 3 months; the return cancels it', async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const out = await post('CH-K6', childEvent('K6', 'out-of-education', { outOfEducationSince: since }));
    expect(deadline(out.body.state, 'ntk-trigger-out-of-education')).toMatchObject({ status: 'pending' });
    const back = await post('CH-K6', childEvent('K6-R', 'returned-to-education', { outOfEducationEventId: 'K6' }));
    expect(back.status).toBe(201);
    expect(back.body.process).toMatchObject({ workflowId: 'kev-K6', started: false });
    expect(deadline(back.body.state, 'ntk-trigger-out-of-education')).toMatchObject({ status: 'cancelled' });
    const repeated = await post('CH-K6', childEvent('K6-R', 'returned-to-education', { outOfEducationEventId: 'K6' }));
    expect(repeated.status).toBe(409);
  });

  it('refuses bad events with a clear 4xx and changes nothing', async () => {
    expect((await post('CH-K7', childEvent('K7', 'no-such-kind'))).status).toBe(400);
    const future = await post(
      'CH-K7',
      childEvent(
        'K7',
        'prognosis-recorded',
        { prognosis: 'death_within_12_months' },
        { occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
      ),
    );
    expect(future.status).toBe(400);
    const extra = await post(
      'CH-K7',
      childEvent('K7', 'prognosis-recorded', { prognosis: 'death_within_12_months', childName: 'x' }),
    );
    expect(extra.status).toBe(400);
    expect(
      (await post('not a ref', childEvent('K7', 'prognosis-recorded', { prognosis: 'death_within_12_months' }))).status,
    ).toBe(400);
    expect(
      (
        await post(
          'CH-K7',
          childEvent('K7', 'prognosis-recorded', { prognosis: 'death_within_12_months' }),
          'local-iro',
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          'POST',
          '/v1/children/CH-K7/events',
          undefined,
          childEvent('K7', 'prognosis-recorded', { prognosis: 'death_within_12_months' }),
        )
      ).status,
    ).toBe(401);
    const unknown = await post('CH-K7', childEvent('K7-R', 'returned-to-education', { outOfEducationEventId: 'NOPE' }));
    expect(unknown.status).toBe(404);
    expect((await call('GET', '/v1/key-events/K7', 'local-social-worker')).status).toBe(404);
  });
});
