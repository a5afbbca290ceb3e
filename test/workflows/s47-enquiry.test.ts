import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S47Input, S47State } from '../../src/processes/s47-enquiry/schemas';
import { s47Enquiry } from '../../workflows';
import { getStateQuery as planQuery } from '../../workflows/child-protection-plan/messages';
import * as m from '../../workflows/s47-enquiry/messages';
import { armed } from '../helpers/act';
import { actors, attendees, s47Input } from '../helpers/s47';
import type { SmtpCapture } from '../helpers/smtp';
import { timeSkippingStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';

// One time-skipping server for the file: its clock only moves forward, so tests run in date order.
let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
const skipTo = (iso: string) => stack.skipTo(iso);

beforeAll(async () => {
  stack = await timeSkippingStack();
  ({ env, smtp } = stack);
});
afterAll(() => stack?.stop());

/** Starts an enquiry and waits for its first deadlines (a query can overtake the first workflow task). */
const start = async (input: S47Input) => {
  const handle = await env.client.workflow.start(s47Enquiry, {
    taskQueue: TASK_QUEUE,
    workflowId: `s47-${input.contactId}`,
    args: [input],
  });
  await armed(handle, m.getStateQuery);
  return handle;
};
const due = (state: S47State, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;
const strategyHeld = (heldAt: string, extra = {}) => ({
  strategyId: `SD-${heldAt.slice(0, 10)}`,
  heldAt,
  attendees,
  s47Initiated: true,
  enquiryType: 'joint' as const,
  icpcLikely: true,
  immediateActions: [],
  actor: actors.teamManager,
  ...extra,
});

describe('Section 47 enquiry on the time-skipping server', () => {
  it('across Christmas: a strategy discussion for immediate action is capped at 48 h; the ICPC clock skips the holidays', async () => {
    await skipTo('2026-12-23T11:00:00Z'); // Wednesday
    const handle = await start(s47Input('X1', '2026-12-23T11:00:00.000Z', { trigger: 'concern' }));
    let state = await handle.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'immediate_action', actor: actors.teamManager }],
    });
    // 1 WD would be Thursday 24 December 17:00; the 48 h cap is Friday 25 December 11:00: the 1 WD reading is earlier.
    expect(due(state, 'strategy-immediate-action').dueAt).toBe('2026-12-24T17:00:00.000Z');
    expect(due(state, 'strategy-standard')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'urgency set to immediate_action',
    });

    state = await handle.executeUpdate(m.strategyHeldUpdate, { args: [strategyHeld('2026-12-23T15:00:00.000Z')] });
    expect(state.stage).toBe('s47_in_progress');
    // 15 WD from Wednesday 23 December: 25, 28 December and 1 January are bank holidays.
    expect(due(state, 'icpc-held').dueAt).toBe('2027-01-18T17:00:00.000Z');
    // Ordinal "by day 5" (⚠C-04): 23 Dec is day 1, then 24, 29, 30, 31 December.
    expect(due(state, 's47-decision').dueAt).toBe('2026-12-31T17:00:00.000Z');
    expect(due(state, 'strategy-immediate-action')).toMatchObject({ status: 'met', metBy: 'tm-1', breached: false });
  });

  it('every urgency category runs its own strategy rule; stricter re-arms, laxer keeps the stricter clock (D1.5)', async () => {
    await skipTo('2027-01-11T09:00:00Z'); // Monday 09:00
    const anchor = '2027-01-11T09:00:00.000Z';
    const expected: Array<[string, string, string]> = [
      ['penetrative_sexual_abuse', 'strategy-psa', '2027-01-11T23:59:59.000Z'],
      ['serious_risk', 'strategy-serious-risk', '2027-01-11T23:59:59.000Z'],
      ['immediate_action', 'strategy-immediate-action', '2027-01-12T17:00:00.000Z'],
      ['staff_allegation', 'strategy-staff-allegation', '2027-01-12T17:00:00.000Z'],
    ];
    for (const [urgency, rule, dueAt] of expected) {
      const handle = await start(s47Input(`U-${urgency}`, anchor, { trigger: 'concern' }));
      const state = await handle.executeUpdate(m.strategyUrgencyUpdate, {
        args: [{ urgency: urgency as 'serious_risk', actor: actors.teamManager }],
      });
      expect(due(state, rule)).toMatchObject({ status: 'pending', dueAt });
      expect(state.urgency).toMatchObject({ urgency, by: 'tm-1' });
    }
    // An allegation against staff starts on its own rule.
    const allegation = await start(s47Input('U-allegation', anchor, { trigger: 'staff_allegation' }));
    expect(due(await allegation.query(m.getStateQuery), 'strategy-staff-allegation').dueAt).toBe(
      '2027-01-12T17:00:00.000Z',
    );

    // complex (5 WD) replaces standard only with a rationale, before standard falls due (⚠C-01).
    const complex = await start(s47Input('U-complex', anchor, { trigger: 'concern' }));
    const classified = await complex.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'complex', rationale: 'Several agencies, historic allegations.', actor: actors.teamManager }],
    });
    expect(due(classified, 'strategy-complex').dueAt).toBe('2027-01-18T17:00:00.000Z');
    // Standard (48 h) is stricter than complex (5 WD): going back re-arms it.
    const back = await complex.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'standard', actor: actors.teamManager }],
    });
    expect(due(back, 'strategy-standard')).toMatchObject({
      occurrence: 2,
      status: 'pending',
      dueAt: '2027-01-13T09:00:00.000Z',
    });
    // A laxer category keeps the stricter clock running.
    const strict = await start(s47Input('U-laxer', anchor, { trigger: 'concern' }));
    await strict.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'serious_risk', actor: actors.teamManager }],
    });
    const laxer = await strict.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'immediate_action', actor: actors.teamManager }],
    });
    expect(due(laxer, 'strategy-serious-risk').status).toBe('pending');
    expect(laxer.deadlines.some((d) => d.id === 'strategy-immediate-action')).toBe(false);
    await expect(
      strict.executeUpdate(m.strategyUrgencyUpdate, {
        args: [{ urgency: 'complex', rationale: 'r', actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/complex may only replace a standard/) },
    });

    // Emergency action: a strategy discussion as soon as possible (1 h [P]), beside the standard clock.
    const emergency = await start(s47Input('U-emergency', anchor, { trigger: 'emergency' }));
    const state = await emergency.query(m.getStateQuery);
    expect(due(state, 'strategy-post-emergency').dueAt).toBe('2027-01-11T10:00:00.000Z');
    expect(due(state, 'strategy-standard').dueAt).toBe('2027-01-13T09:00:00.000Z');
  });

  it('a backdated concern breaches the strategy deadline at once and escalates; meeting it stops the ladder', async () => {
    await skipTo('2027-02-01T10:00:00Z');
    const handle = await start(s47Input('X2', '2027-01-29T10:00:00.000Z', { trigger: 'concern' })); // 72 h ago
    const [overdue] = await smtp.waitFor(
      (mail) => mail.messageId === '<s47-X2.strategy-standard.1.r0.overdue@test.example>',
    );
    expect(overdue!.to).toEqual(['team-manager@example.test', 'pgl@example.test', 'out-of-hours-service@example.test']);
    // X-URGENT: the Head of Service at breach + 4 h, also already past.
    await smtp.waitFor((mail) => mail.messageId === '<s47-X2.strategy-standard.1.r0.escalation-1@test.example>');
    const state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [strategyHeld('2027-02-01T11:00:00.000Z')],
    });
    expect(due(state, 'strategy-standard')).toMatchObject({ status: 'met', breached: true, escalationLevel: 1 });
  });

  it('the ladder stops when the deadline is met between the breach and the escalation', async () => {
    await skipTo('2027-02-02T09:00:00Z');
    const handle = await start(s47Input('X3', '2027-02-02T09:00:00.000Z', { trigger: 'concern' }));
    await skipTo('2027-02-04T09:30:00Z'); // 48 h passed at 09:00; the HoS would be told at 13:00
    await smtp.waitFor((mail) => mail.messageId === '<s47-X3.strategy-standard.1.r0.overdue@test.example>');
    await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld('2027-02-04T09:30:00.000Z', { s47Initiated: false, enquiryType: undefined, icpcLikely: false }),
      ],
    });
    await skipTo('2027-02-04T14:00:00Z');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      smtp.messages.some((mail) => mail.messageId === '<s47-X3.strategy-standard.1.r0.escalation-1@test.example>'),
    ).toBe(false);
  });

  it('closing at the front door keeps what is owed to others: the last team (13-week rule), the other authority, the referrer', async () => {
    await skipTo('2027-02-09T10:00:00Z');
    const handle = await start(
      s47Input('X7', '2027-02-09T10:00:00.000Z', { otherLocalAuthority: true, children: [{ reference: 'C7' }] }),
    );
    await handle.executeUpdate(m.mashDecisionUpdate, {
      args: [
        { pathway: 'return_to_last_team', rationale: 'Closed by the CIN team 6 weeks ago.', actor: actors.dutyManager },
      ],
    });
    let state = await handle.executeUpdate(m.mashSignoffUpdate, { args: [{ actor: actors.secondManager }] });
    expect(state).toMatchObject({ stage: 'closed', outcome: 'closed_at_front_door', status: 'open' });
    const notice = due(state, 'contact-13wk-notify');
    expect(notice.status).toBe('pending');
    expect(Date.parse(notice.dueAt) - Date.parse(notice.anchorAt)).toBe(3_600_000); // "immediately": 1 h [P] from the decision
    expect(
      state.deadlines
        .filter((d) => d.status === 'pending')
        .map((d) => d.id)
        .sort(),
    ).toEqual(['contact-13wk-notify', 'contact-other-la-notify', 'referrer-feedback']);
    await handle.executeUpdate(m.lastTeamNotifiedUpdate, { args: [{ actor: actors.dutyManager }] });
    await handle.executeUpdate(m.otherAuthorityNotifiedUpdate, { args: [{ actor: actors.mashOfficer }] });
    state = await handle.executeUpdate(m.referrerFeedbackUpdate, { args: [{ actor: actors.mashOfficer }] });
    expect(due(state, 'contact-13wk-notify')).toMatchObject({ status: 'met', metBy: 'mdm-1' });
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('assessment track: allocation with checkpoints, an extension, completion past 45 WD needs its reason', async () => {
    await skipTo('2027-02-15T10:00:00Z'); // Monday
    const handle = await start(s47Input('X6', '2027-02-15T10:00:00.000Z', { children: [{ reference: 'C6' }] }));
    await handle.executeUpdate(m.mashDecisionUpdate, {
      args: [{ pathway: 'acp_statutory_assessment', rationale: 'Needs assessment.', actor: actors.dutyManager }],
    });
    let state = await handle.executeUpdate(m.mashSignoffUpdate, { args: [{ actor: actors.secondManager }] });
    expect(state.stage).toBe('assessment');
    expect(due(state, 'assessment-see-child').dueAt).toBe('2027-02-22T17:00:00.000Z');
    expect(due(state, 'assessment-complete').dueAt).toBe('2027-04-21T16:00:00.000Z'); // 45 WD over Easter 2027

    await expect(
      handle.executeUpdate(m.assessmentAllocatedUpdate, {
        args: [
          {
            visitTargetAt: '2027-02-18T10:00:00.000Z',
            checkpoints: ['2027-03-05', '2027-05-01'],
            actor: actors.teamManager,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/no later than assessment-complete/) } });
    state = await handle.executeUpdate(m.assessmentAllocatedUpdate, {
      args: [{ visitTargetAt: '2027-02-18T10:00:00.000Z', checkpoints: ['2027-03-05'], actor: actors.teamManager }],
    });
    expect(due(state, 'assessment-checkpoint')).toMatchObject({ status: 'pending', dueAt: '2027-03-05T17:00:00.000Z' });

    await handle.executeUpdate(m.childSeenUpdate, {
      args: [{ childReference: 'C6', seenAt: '2027-02-17T11:00:00.000Z', seenAlone: true, actor: actors.socialWorker }],
    });
    await expect(
      handle.executeUpdate(m.checkpointReviewedUpdate, {
        args: [{ decision: 'extend', nextCheckpoint: '2027-05-03', actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/needs a reason/) } });
    state = await handle.executeUpdate(m.checkpointReviewedUpdate, {
      args: [{ decision: 'extend', nextCheckpoint: '2027-04-09', actor: actors.teamManager }],
    });
    expect(state.deadlines.filter((d) => d.id === 'assessment-checkpoint').map((d) => [d.status, d.dueAt])).toEqual([
      ['met', '2027-03-05T17:00:00.000Z'],
      ['pending', '2027-04-09T16:00:00.000Z'],
    ]);

    await expect(
      handle.executeUpdate(m.assessmentCompletedUpdate, {
        args: [{ completedAt: '2027-04-22T10:00:00.000Z', outcome: 'cin_plan', actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/exceededReason is required/) } });
    state = await handle.executeUpdate(m.assessmentCompletedUpdate, {
      args: [
        {
          completedAt: '2027-04-22T10:00:00.000Z',
          outcome: 'cin_plan',
          exceededReason: 'Specialist assessment awaited.',
          actor: actors.teamManager,
        },
      ],
    });
    expect(due(state, 'assessment-complete')).toMatchObject({
      status: 'met',
      breached: true,
      breachReason: 'Specialist assessment awaited. (tm-1)',
    });
    expect(state).toMatchObject({ stage: 'closed', outcome: 'closed' });
    expect(due(state, 'assessment-checkpoint').status).toBe('cancelled');
    // Closure cancels everything except referrer feedback, which must still be sent (§3.6).
    expect(state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue').map((d) => d.id)).toEqual([
      'referrer-feedback',
    ]);
    await handle.executeUpdate(m.referrerFeedbackUpdate, { args: [{ actor: actors.mashOfficer }] });
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('from contact to ICPC: front door, strategy, S47, a rescheduled conference, and the plan hand-over', async () => {
    await skipTo('2027-03-02T10:00:00Z'); // Tuesday
    const handle = await start(s47Input('X4', '2027-03-02T10:00:00.000Z'));
    let state = await handle.query(m.getStateQuery);
    expect(due(state, 'contact-screen').dueAt).toBe('2027-03-03T10:00:00.000Z');
    expect(due(state, 'contact-finalise').dueAt).toBe('2027-03-03T10:00:00.000Z');
    expect(due(state, 'referral-ack-decision').dueAt).toBe('2027-03-03T17:00:00.000Z'); // 1 WD before 48 h (⚠C-03)
    expect(due(state, 'referrer-feedback').dueAt).toBe('2027-03-04T10:00:00.000Z');

    await handle.executeUpdate(m.screenedUpdate, {
      args: [{ significantHarmSuspected: true, immediateProtectionRequired: false, actor: actors.mashOfficer }],
    });
    await handle.executeUpdate(m.mashDecisionUpdate, {
      args: [{ pathway: 'cp_strategy', rationale: 'Disclosure at school.', actor: actors.dutyManager }],
    });
    // The same manager may not sign off their own decision (003 QS 2.12).
    await expect(
      handle.executeUpdate(m.mashSignoffUpdate, { args: [{ actor: actors.dutyManager }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/different manager/) } });
    state = await handle.executeUpdate(m.mashSignoffUpdate, { args: [{ actor: actors.secondManager }] });
    expect(state.stage).toBe('strategy_pending');
    expect(due(state, 'strategy-standard').dueAt).toBe('2027-03-04T10:00:00.000Z');
    await handle.executeUpdate(m.referrerAcknowledgedUpdate, { args: [{ actor: actors.mashOfficer }] });
    await handle.executeUpdate(m.referrerFeedbackUpdate, { args: [{ actor: actors.mashOfficer }] });

    state = await handle.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'serious_risk', actor: actors.teamManager }],
    });
    expect(due(state, 'strategy-serious-risk').dueAt).toBe('2027-03-02T23:59:59.000Z'); // same day

    state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld('2027-03-02T15:00:00.000Z', {
          immediateActions: [
            {
              action: 'Safety plan agreed with the mother',
              ownerRole: 'social_worker',
              dueAt: '2027-03-03T12:00:00.000Z',
            },
          ],
        }),
      ],
    });
    expect(due(state, 's47-decision').dueAt).toBe('2027-03-08T17:00:00.000Z');
    expect(due(state, 's47-manager-signoff').dueAt).toBe('2027-03-09T17:00:00.000Z');
    expect(due(state, 'icpc-held').dueAt).toBe('2027-03-23T17:00:00.000Z');
    expect(due(state, 'strategy-record-circulate').dueAt).toBe('2027-03-04T15:00:00.000Z');
    expect(due(state, 'strategy-icpc-request').dueAt).toBe('2027-03-03T15:00:00.000Z');
    expect(due(state, 'strategy-action')).toMatchObject({
      dueAt: '2027-03-03T12:00:00.000Z',
      label: 'Safety plan agreed with the mother',
    });

    // A later strategy discussion never resets the ICPC clock (⚠C-36).
    state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [strategyHeld('2027-03-04T10:00:00.000Z', { strategyId: 'SD-2' })],
    });
    expect(due(state, 'icpc-held').dueAt).toBe('2027-03-23T17:00:00.000Z');

    await handle.executeUpdate(m.s47OutcomeUpdate, {
      args: [
        { outcome: 'substantiated_icpc', rationale: 'Significant harm substantiated.', actor: actors.socialWorker },
      ],
    });
    await handle.executeUpdate(m.s47SignoffUpdate, { args: [{ actor: actors.teamManager }] });
    await handle.executeUpdate(m.icpcRequestConfirmedUpdate, { args: [{ actor: actors.socialWorker }] });

    state = await handle.executeUpdate(m.icpcScheduledUpdate, {
      args: [{ scheduledStart: '2027-03-22T10:00:00.000Z', actor: actors.qa }],
    });
    // Earlier of 2 WD before (Thursday 18 March 17:00) and 48 h before (Saturday 20 March 10:00), ⚠C-06.
    expect(due(state, 'icpc-report-chair').dueAt).toBe('2027-03-18T17:00:00.000Z');
    expect(due(state, 'icpc-report-family').dueAt).toBe('2027-03-18T17:00:00.000Z');
    expect(due(state, 'icpc-chair-meets-parents').dueAt).toBe('2027-03-22T10:00:00.000Z');
    await expect(
      handle.executeUpdate(m.icpcScheduledUpdate, {
        args: [{ scheduledStart: '2027-03-23T10:00:00.000Z', actor: actors.qa }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/already booked/) } });

    state = await handle.executeUpdate(m.icpcRescheduledUpdate, {
      args: [{ scheduledStart: '2027-03-23T10:00:00.000Z', reason: 'Chair unavailable', actor: actors.qa }],
    });
    const chairReport = due(state, 'icpc-report-chair');
    expect(chairReport.dueAt).toBe('2027-03-19T17:00:00.000Z');
    expect(chairReport.rescheduled).toEqual([
      expect.objectContaining({
        from: '2027-03-18T17:00:00.000Z',
        to: '2027-03-19T17:00:00.000Z',
        by: 'qa-1',
        reason: 'Chair unavailable',
      }),
    ]);

    await handle.executeUpdate(m.reportSentToChairUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.reportSharedWithFamilyUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.chairMetParentsUpdate, { args: [{ actor: actors.chair }] });

    await skipTo('2027-03-23T10:05:00Z');
    await expect(
      handle.executeUpdate(m.icpcHeldUpdate, {
        args: [
          {
            heldAt: '2027-03-23T10:00:00.000Z',
            decisions: [{ childReference: 'C1', decision: 'no_plan' }],
            actor: actors.chair,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/every child/) } });
    state = await handle.executeUpdate(m.icpcHeldUpdate, {
      args: [
        {
          heldAt: '2027-03-23T10:00:00.000Z',
          decisions: [
            { childReference: 'C1', decision: 'cp_plan', planId: 'P-X4-C1' },
            { childReference: 'C2', decision: 'no_plan' },
          ],
          actor: actors.chair,
        },
      ],
    });
    expect(due(state, 'icpc-held')).toMatchObject({
      status: 'met',
      metAt: '2027-03-23T10:00:00.000Z',
      breached: false,
    });
    expect(state.planHandOvers).toEqual([{ childReference: 'C1', planId: 'P-X4-C1', workflowId: 'cpp-P-X4-C1' }]);
    // The assessment gate was never met: an exception, not a block (§1.4).
    expect(
      state.events.some((e) => e.type === 'gate_exception' && e.summary.startsWith('icpc-assessment-updated')),
    ).toBe(true);

    // The plan process for C1 is started and linked both ways; the enquiry completes.
    const plan = env.client.workflow.getHandle('cpp-P-X4-C1');
    expect((await plan.describe()).parentExecution?.workflowId).toBe('s47-X4');
    const planState = await plan.query(planQuery);
    expect(planState).toMatchObject({ links: { s47WorkflowId: 's47-X4' }, case: { childReference: 'C1' } });
    expect(planState.deadlines.find((d) => d.id === 'cp-first-core-group')!.dueAt).toBe('2027-04-08T16:00:00.000Z'); // 10 WD over Easter

    // The statutory assessment began with the S47 enquiry and outlives the conference (⚠C-05; 003 QS
    // 12.7): a visit for each child (003 QS 3.3) and the 45 WD clock, counted from the contact.
    state = await handle.query(m.getStateQuery);
    expect(state.stage).toBe('closed');
    const open = state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue');
    expect(open.map((d) => [d.id, d.subject])).toEqual([
      ['assessment-see-child', 'C1'],
      ['assessment-see-child', 'C2'],
      ['assessment-complete', undefined],
    ]);
    expect(due(state, 'assessment-complete').dueAt).toBe('2027-05-07T16:00:00.000Z'); // 45 WD from 2 March, over Easter and May Day
    await handle.executeUpdate(m.childSeenUpdate, {
      args: [{ childReference: 'C1', seenAt: '2027-03-05T11:00:00.000Z', seenAlone: true, actor: actors.socialWorker }],
    });
    await expect(
      handle.executeUpdate(m.childSeenUpdate, {
        args: [
          { childReference: 'C1', seenAt: '2027-03-05T12:00:00.000Z', seenAlone: false, actor: actors.socialWorker },
        ],
      }),
    ).rejects.toMatchObject({
      cause: { message: 'no statutory assessment visit is due for C1' },
    });
    // 003 QS 3.5: a child not seen, with the reasons authorised by the line manager.
    state = await handle.executeUpdate(m.childNotSeenUpdate, {
      args: [
        { childReference: 'C2', reasons: 'Family declined; seen at school by the police.', actor: actors.teamManager },
      ],
    });
    expect(
      state.deadlines.filter((d) => d.id === 'assessment-see-child').map((d) => [d.subject, d.status, d.breached]),
    ).toEqual([
      ['C1', 'met', false],
      ['C2', 'cancelled', true],
    ]);
    await handle.executeUpdate(m.assessmentCompletedUpdate, {
      args: [{ completedAt: '2027-04-20T10:00:00.000Z', outcome: 's47', actor: actors.teamManager }],
    });
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('not substantiated: an agreed ICPC needs a concurring strategy discussion first (D1.7); then the ICPC clocks stop', async () => {
    // No time skipping here: anchors a day ahead of the test clock are plain data for the due instants.
    const handle = await start(
      s47Input('X5', '2027-03-24T09:00:00.000Z', { trigger: 'concern', children: [{ reference: 'C9' }] }),
    );
    await handle.executeUpdate(m.strategyHeldUpdate, { args: [strategyHeld('2027-03-24T09:30:00.000Z')] });
    await expect(
      handle.executeUpdate(m.s47OutcomeUpdate, {
        args: [{ outcome: 'not_substantiated', rationale: 'Explained by an accident.', actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/concurs/) } });
    await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld('2027-03-25T10:00:00.000Z', {
          strategyId: 'SD-X5-2',
          icpcLikely: false,
          concursWithIcpcCancellation: true,
        }),
      ],
    });
    let state = await handle.executeUpdate(m.s47OutcomeUpdate, {
      args: [{ outcome: 'not_substantiated', rationale: 'Explained by an accident.', actor: actors.socialWorker }],
    });
    expect(due(state, 'icpc-held')).toMatchObject({ status: 'cancelled', cancelReason: 'S47 not substantiated' });
    // Easter 2027: the ordinal day 5 from Wednesday 24 March skips Good Friday and Easter Monday.
    expect(due(state, 's47-decision').dueAt).toBe('2027-04-01T16:00:00.000Z');
    expect(state.stage).toBe('s47_in_progress'); // still owes the manager's sign-off
    state = await handle.executeUpdate(m.s47SignoffUpdate, { args: [{ actor: actors.teamManager }] });
    expect(state).toMatchObject({ stage: 'closed', outcome: 'not_substantiated' });
    expect(state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });
});
