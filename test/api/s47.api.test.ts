import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenTable } from '../../src/config';
import { apiStack } from '../helpers/stack';

type Stack = Awaited<ReturnType<typeof apiStack>>;

const tokens: TokenTable = {
  'mash-officer-token': { person: 'mo-1', roles: ['mash_officer'] },
  'duty-manager-token': { person: 'mdm-1', roles: ['mash_duty_manager'] },
  'second-manager-token': { person: 'mdm-2', roles: ['mash_second_manager'] },
  'social-worker-token': { person: 'sw-1', roles: ['social_worker'] },
  'team-manager-token': { person: 'tm-1', roles: ['team_manager'] },
  'qa-token-0001': { person: 'qa-1', roles: ['qa_bstl'] },
  'chair-token-001': { person: 'chair-1', roles: ['cp_chair'] },
};

let stack: Awaited<ReturnType<typeof apiStack>>;
let env: TestWorkflowEnvironment;
const call: Stack['call'] = (...args) => stack.call(...args);

beforeAll(async () => {
  stack = await apiStack(tokens);
  env = stack.env;
});
afterAll(() => stack?.stop());

const post = (path: string, token: string, body: unknown = {}) =>
  call('POST', `/v1/s47-enquiries/${path}`, token, body);
const attendees = [{ agency: 'la_social_care' }, { agency: 'police' }, { agency: 'health' }];

describe('Section 47 API on a real dev server with real SMTP', () => {
  it('drives a contact through the front door, strategy, S47 and the ICPC to the plan hand-over', async () => {
    // Received 5 hours ago: the 4-hour finalise deadline is already breached and escalates at once.
    const receivedAt = new Date(Date.now() - 5 * 3_600_000).toISOString();
    const started = await call('POST', '/v1/s47-enquiries', 'mash-officer-token', {
      contactId: 'K1',
      caseReference: 'CASE-K1',
      receivedAt,
      contactType: 'police_notification',
      children: [{ reference: 'C1' }],
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: 'K1', workflowId: 's47-K1', stage: 'contact_received' });
    const finaliseCp = started.body.deadlines.find((d: { id: string }) => d.id === 'contact-finalise-cp');
    expect(Date.parse(finaliseCp.dueAt) - Date.parse(started.body.startedAt)).toBe(4 * 3_600_000); // 003 QS 2.15

    const [breach] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<s47-K1.contact-finalise-cp.1.r0.overdue@test.example>',
    );
    // The front door's L1 and L2 (§1.3 point 4); out of working hours, as the suite may run, the
    // out-of-hours service is copied too (§2.4).
    expect(breach!.to.filter((address) => address !== 'out-of-hours-service@example.test')).toEqual([
      'mash-duty-manager@example.test',
      'pgl@example.test',
    ]);
    expect(breach!.subject).toBe('[Section 47 enquiry] Deadline missed: contact-finalise-cp (case CASE-K1, level 0)');
    expect(breach!.text).not.toContain('C1'); // notices carry the case reference, not the children

    expect(
      (
        await post('K1/contact-screened', 'mash-officer-token', {
          significantHarmSuspected: true,
          immediateProtectionRequired: false,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await post('K1/mash-decision', 'duty-manager-token', {
          pathway: 'cp_strategy',
          rationale: 'Police notification of injury.',
        })
      ).status,
    ).toBe(200);
    const sameManager = await post('K1/mash-signoff', 'duty-manager-token');
    expect(sameManager.status).toBe(409);
    expect(sameManager.body.detail).toContain('different manager');
    const signed = await post('K1/mash-signoff', 'second-manager-token');
    expect(signed.body.stage).toBe('strategy_pending');

    // Only a manager sets the urgency; a social worker gets 403 and nothing changes.
    expect((await post('K1/strategy-urgency', 'social-worker-token', { urgency: 'serious_risk' })).status).toBe(403);
    expect((await post('K1/strategy-urgency', 'team-manager-token', { urgency: 'complex' })).status).toBe(400); // no rationale
    expect((await post('K1/strategy-urgency', 'team-manager-token', { urgency: 'serious_risk' })).status).toBe(200);

    const noPolice = await post('K1/strategy-discussion-held', 'team-manager-token', {
      strategyId: 'SD1',
      heldAt: new Date().toISOString(),
      attendees: [{ agency: 'la_social_care' }],
      s47Initiated: true,
      enquiryType: 'joint',
      icpcLikely: true,
    });
    expect(noPolice.status).toBe(400);
    expect(noPolice.body.errors[0].path).toBe('body.attendees');
    const held = await post('K1/strategy-discussion-held', 'team-manager-token', {
      strategyId: 'SD1',
      heldAt: new Date().toISOString(),
      attendees,
      s47Initiated: true,
      enquiryType: 'joint',
      icpcLikely: true,
    });
    expect(held.body.stage).toBe('s47_in_progress');

    expect(
      (
        await post('K1/icpc-held', 'chair-token-001', {
          heldAt: new Date().toISOString(),
          decisions: [{ childReference: 'C1', decision: 'cp_plan', planId: 'PK1' }],
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await post('K1/s47-outcome', 'social-worker-token', {
          outcome: 'substantiated_icpc',
          rationale: 'Substantiated.',
        })
      ).body.stage,
    ).toBe('icpc_pending');
    const start = new Date(Date.now() + 10 * 24 * 3_600_000).toISOString();
    expect((await post('K1/icpc-scheduled', 'qa-token-0001', { scheduledStart: start })).status).toBe(200);
    expect((await post('K1/icpc-rescheduled', 'qa-token-0001', { scheduledStart: start })).status).toBe(400); // reason required
    for (const [path, token] of [
      ['referrer-acknowledged', 'mash-officer-token'],
      ['referrer-feedback-sent', 'mash-officer-token'],
      ['s47-signoff', 'team-manager-token'],
    ] as const) {
      expect((await post(`K1/${path}`, token)).status).toBe(200);
    }
    const conference = await post('K1/icpc-held', 'chair-token-001', {
      heldAt: new Date().toISOString(),
      decisions: [{ childReference: 'C1', decision: 'cp_plan', planId: 'PK1' }],
    });
    expect(conference.status).toBe(200);
    expect(conference.body.planHandOvers).toEqual([{ childReference: 'C1', planId: 'PK1', workflowId: 'cpp-PK1' }]);
    expect((await env.client.workflow.getHandle('cpp-PK1').describe()).parentExecution?.workflowId).toBe('s47-K1');
    // The plan is process 2's, read and driven through its own routes; a laxer interval than the floor is refused.
    const plan = await call('GET', '/v1/child-protection-plans/PK1', 'team-manager-token');
    expect(plan.body).toMatchObject({
      id: 'PK1',
      process: 'child-protection-plan',
      links: { s47WorkflowId: 's47-K1' },
    });
    const laxer = await call('POST', '/v1/child-protection-plans/PK1/core-group-held', 'team-manager-token', {
      heldAt: new Date().toISOString(),
      visitIntervalWorkingDays: 15,
    });
    expect(laxer).toMatchObject({ status: 400, body: { errors: [{ path: 'body.visitIntervalWorkingDays' }] } });
    expect(
      (
        await call('POST', '/v1/child-protection-plans/PK1/core-group-held', 'team-manager-token', {
          heldAt: new Date().toISOString(),
          visitIntervalWorkingDays: 5,
        })
      ).status,
    ).toBe(200);

    // Notifications went out for real: the stricter strategy deadline's schedule is in the state, emails carry ids.
    const read = await call('GET', '/v1/s47-enquiries/K1', 'team-manager-token');
    expect(read.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'mash_decision',
        'mash_signoff',
        'strategy_held',
        's47_outcome',
        'icpc_scheduled',
        'plan_handed_over',
      ]),
    );
  });

  it('rejects bad input with field messages and starts nothing', async () => {
    const bad = await call('POST', '/v1/s47-enquiries', 'mash-officer-token', {
      contactId: 'K2',
      caseReference: 'CASE-K2',
      children: [{ reference: 'Jane Smith' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('body.children.0.reference');
    expect((await call('GET', '/v1/s47-enquiries/K2', 'mash-officer-token')).status).toBe(404);
    expect(
      (
        await call('POST', '/v1/s47-enquiries', 'chair-token-001', {
          contactId: 'K3',
          caseReference: 'C',
          children: [{ reference: 'C1' }],
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post('NOPE/contact-screened', 'mash-officer-token', {
          significantHarmSuspected: false,
          immediateProtectionRequired: false,
        })
      ).status,
    ).toBe(404);
  });
});
