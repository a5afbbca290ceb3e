import { describe, expect, it } from 'vitest';
import type { S47Input, S47State } from '../../src/processes/s47-enquiry/schemas';
import { s47Enquiry } from '../../workflows';
import { getStateQuery as planQuery } from '../../workflows/child-protection-plan/messages';
import * as m from '../../workflows/s47-enquiry/messages';
import { armed } from '../helpers/act';
import { actors, attendees, s47Input } from '../helpers/s47';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  addWD,
  dayOf,
  eod,
  holiday,
  holidaysBetween,
  isWeekend,
  isWorkingDay,
  lastSecond,
  on,
  plusHours,
  wdDue,
  type Weekday,
} from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

/** Starts an enquiry and waits for its first deadlines (a query can overtake the first workflow task). */
const start = async (input: S47Input) => {
  const handle = await startProcess(stack.env.client, s47Enquiry, {
    taskQueue: TASK_QUEUE,
    workflowId: `s47-${input.contactId}`,
    args: [input],
  });
  await armed(handle, m.getStateQuery);
  return handle;
};
/** A day of the given weekday whose days at `offsets` (and itself) are working days. */
const workingDay = (weekday: Weekday, offsets: number[] = [], where: (day: string) => boolean = () => true) =>
  stack.base({ weekday, where: (d) => [0, ...offsets].every((n) => isWorkingDay(addDays(d, n))) && where(d) });
const year = (day: string) => Number(day.slice(0, 4));
const isWeekday = (day: string) => !isWeekend(day);
const goodFriday = (day: string) => holiday('Good Friday', year(day));
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
    // 23 December, with the 24th a working day too.
    const t = await stack.base({
      where: (d) => d.endsWith('-12-23') && isWorkingDay(d) && isWorkingDay(addDays(d, 1)),
    });
    const at = t.at(0, '11:00');
    await skipTo(at);
    const handle = await start(s47Input('X1', at, { trigger: 'concern' }));
    let state = await handle.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'immediate_action', actor: actors.teamManager }],
    });
    // 1 WD would be 24 December 17:00; the 48 h cap is Christmas Day 11:00: the 1 WD reading is earlier.
    expect(wdDue(t.day0, 1) < plusHours(at, 48)).toBe(true);
    expect(dayOf(plusHours(at, 48))).toBe(holiday('Christmas Day', year(t.day0)));
    expect(due(state, 'strategy-immediate-action').dueAt).toBe(wdDue(t.day0, 1));
    expect(due(state, 'strategy-standard')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'urgency set to immediate_action',
    });

    state = await handle.executeUpdate(m.strategyHeldUpdate, { args: [strategyHeld(t.at(0, '15:00'))] });
    expect(state.stage).toBe('s47_in_progress');
    // 15 WD from 23 December over Christmas Day, Boxing Day (or their substitutes) and New Year's Day.
    expect(holidaysBetween(t.day(1), addWD(t.day0, 15)).filter(isWeekday).length).toBeGreaterThanOrEqual(3);
    expect(due(state, 'icpc-held').dueAt).toBe(wdDue(t.day0, 15));
    // Ordinal "by day 5" (⚠C-04): 23 Dec is day 1, then the next four working days.
    expect(due(state, 's47-decision').dueAt).toBe(wdDue(t.day0, 4));
    expect(due(state, 'strategy-immediate-action')).toMatchObject({ status: 'met', metBy: 'tm-1', breached: false });
  });

  it('every urgency category runs its own strategy rule; stricter re-arms, laxer keeps the stricter clock (D1.5)', async () => {
    const t = await workingDay('Monday', [1]);
    const anchor = t.at(0, '09:00');
    await skipTo(anchor); // Monday 09:00
    const expected: Array<[string, string, string]> = [
      ['penetrative_sexual_abuse', 'strategy-psa', lastSecond(t.day0)],
      ['serious_risk', 'strategy-serious-risk', lastSecond(t.day0)],
      ['immediate_action', 'strategy-immediate-action', wdDue(t.day0, 1)],
      ['staff_allegation', 'strategy-staff-allegation', wdDue(t.day0, 1)],
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
    expect(due(await allegation.query(m.getStateQuery), 'strategy-staff-allegation').dueAt).toBe(wdDue(t.day0, 1));

    // complex (5 WD) replaces standard only with a rationale, before standard falls due (⚠C-01).
    const complex = await start(s47Input('U-complex', anchor, { trigger: 'concern' }));
    const classified = await complex.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'complex', rationale: 'Several agencies, historic allegations.', actor: actors.teamManager }],
    });
    expect(due(classified, 'strategy-complex').dueAt).toBe(wdDue(t.day0, 5));
    // Standard (48 h) is stricter than complex (5 WD): going back re-arms it.
    const back = await complex.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'standard', actor: actors.teamManager }],
    });
    expect(due(back, 'strategy-standard')).toMatchObject({
      occurrence: 2,
      status: 'pending',
      dueAt: plusHours(anchor, 48),
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
    expect(due(state, 'strategy-post-emergency').dueAt).toBe(plusHours(anchor, 1));
    expect(due(state, 'strategy-standard').dueAt).toBe(plusHours(anchor, 48));
  });

  it('a backdated concern breaches the strategy deadline at once and escalates; meeting it stops the ladder', async () => {
    const t = await workingDay('Monday');
    await skipTo(t.at(0, '10:00'));
    // 72 h ago, on the Friday: the 48 h fell due on Sunday, out of hours.
    const handle = await start(s47Input('X2', plusHours(t.at(0, '10:00'), -72), { trigger: 'concern' }));
    const [overdue] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<s47-X2.strategy-standard.1.r0.overdue@test.example>',
    );
    expect(overdue!.to).toEqual(['team-manager@example.test', 'pgl@example.test', 'out-of-hours-service@example.test']);
    // X-URGENT: the Head of Service at breach + 4 h, also already past.
    await stack.smtp.waitFor((mail) => mail.messageId === '<s47-X2.strategy-standard.1.r0.escalation-1@test.example>');
    const state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [strategyHeld(t.at(0, '11:00'))],
    });
    expect(due(state, 'strategy-standard')).toMatchObject({ status: 'met', breached: true, escalationLevel: 1 });
  });

  it('the ladder stops when the deadline is met between the breach and the escalation', async () => {
    const t = await workingDay('Tuesday', [1, 2]);
    const received = t.at(0, '09:00');
    await skipTo(received);
    const handle = await start(s47Input('X3', received, { trigger: 'concern' }));
    await skipTo(plusHours(received, 48.5)); // 48 h passed half an hour ago; the HoS would be told 4 h after
    await stack.smtp.waitFor((mail) => mail.messageId === '<s47-X3.strategy-standard.1.r0.overdue@test.example>');
    await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld(plusHours(received, 48.5), { s47Initiated: false, enquiryType: undefined, icpcLikely: false }),
      ],
    });
    await skipTo(plusHours(received, 53));
    await new Promise((r) => setTimeout(r, 500));
    expect(
      stack.smtp.messages.some(
        (mail) => mail.messageId === '<s47-X3.strategy-standard.1.r0.escalation-1@test.example>',
      ),
    ).toBe(false);
  });

  it('closing at the front door keeps what is owed to others: the last team (13-week rule), the other authority, the referrer', async () => {
    const t = await workingDay('Tuesday');
    await skipTo(t.at(0, '10:00'));
    const handle = await start(
      s47Input('X7', t.at(0, '10:00'), { otherLocalAuthority: true, children: [{ reference: 'C7' }] }),
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
    // A Monday five and a half weeks before Good Friday: the 45 WD run over Easter.
    const t = await workingDay('Monday', [], (d) => goodFriday(d) === addDays(d, 39));
    const complete = addWD(t.day0, 45);
    expect(holidaysBetween(t.day0, complete)).toEqual(
      expect.arrayContaining([goodFriday(t.day0), holiday('Easter Monday', year(t.day0))]),
    );
    const checkpoint = addWD(t.day0, 14);
    const extended = addWD(complete, -8);
    const completedAt = on(addWD(complete, 1), '10:00');
    await skipTo(t.at(0, '10:00')); // Monday
    const handle = await start(s47Input('X6', t.at(0, '10:00'), { children: [{ reference: 'C6' }] }));
    await handle.executeUpdate(m.mashDecisionUpdate, {
      args: [{ pathway: 'acp_statutory_assessment', rationale: 'Needs assessment.', actor: actors.dutyManager }],
    });
    let state = await handle.executeUpdate(m.mashSignoffUpdate, { args: [{ actor: actors.secondManager }] });
    expect(state.stage).toBe('assessment');
    expect(due(state, 'assessment-see-child').dueAt).toBe(wdDue(t.day0, 5));
    expect(due(state, 'assessment-complete').dueAt).toBe(eod(complete)); // 45 WD over Easter

    await expect(
      handle.executeUpdate(m.assessmentAllocatedUpdate, {
        args: [
          {
            visitTargetAt: on(addWD(t.day0, 3), '10:00'),
            checkpoints: [checkpoint, addDays(complete, 10)],
            actor: actors.teamManager,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/no later than assessment-complete/) } });
    state = await handle.executeUpdate(m.assessmentAllocatedUpdate, {
      args: [{ visitTargetAt: on(addWD(t.day0, 3), '10:00'), checkpoints: [checkpoint], actor: actors.teamManager }],
    });
    expect(due(state, 'assessment-checkpoint')).toMatchObject({ status: 'pending', dueAt: eod(checkpoint) });

    await handle.executeUpdate(m.childSeenUpdate, {
      args: [
        {
          childReference: 'C6',
          seenAt: on(addWD(t.day0, 2), '11:00'),
          seenAlone: true,
          actor: actors.socialWorker,
        },
      ],
    });
    await expect(
      handle.executeUpdate(m.checkpointReviewedUpdate, {
        args: [{ decision: 'extend', nextCheckpoint: addDays(complete, 12), actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/needs a reason/) } });
    state = await handle.executeUpdate(m.checkpointReviewedUpdate, {
      args: [{ decision: 'extend', nextCheckpoint: extended, actor: actors.teamManager }],
    });
    expect(state.deadlines.filter((d) => d.id === 'assessment-checkpoint').map((d) => [d.status, d.dueAt])).toEqual([
      ['met', eod(checkpoint)],
      ['pending', eod(extended)],
    ]);

    await expect(
      handle.executeUpdate(m.assessmentCompletedUpdate, {
        args: [{ completedAt, outcome: 'cin_plan', actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/exceededReason is required/) } });
    state = await handle.executeUpdate(m.assessmentCompletedUpdate, {
      args: [
        {
          completedAt,
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
    // A Tuesday three and a half weeks before Good Friday: the conference falls just before Easter.
    const t = await workingDay('Tuesday', [], (d) => goodFriday(d) === addDays(d, 24));
    expect(holidaysBetween(t.day0, t.day(21))).toEqual([]);
    const received = t.at(0, '10:00');
    await skipTo(received); // Tuesday
    const handle = await start(s47Input('X4', received));
    let state = await handle.query(m.getStateQuery);
    expect(due(state, 'contact-screen').dueAt).toBe(plusHours(received, 24));
    expect(due(state, 'contact-finalise').dueAt).toBe(plusHours(received, 24));
    expect(due(state, 'referral-ack-decision').dueAt).toBe(wdDue(t.day0, 1)); // 1 WD before 48 h (⚠C-03)
    expect(due(state, 'referrer-feedback').dueAt).toBe(plusHours(received, 48));

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
    expect(due(state, 'strategy-standard').dueAt).toBe(plusHours(received, 48));
    await handle.executeUpdate(m.referrerAcknowledgedUpdate, { args: [{ actor: actors.mashOfficer }] });
    await handle.executeUpdate(m.referrerFeedbackUpdate, { args: [{ actor: actors.mashOfficer }] });

    state = await handle.executeUpdate(m.strategyUrgencyUpdate, {
      args: [{ urgency: 'serious_risk', actor: actors.teamManager }],
    });
    expect(due(state, 'strategy-serious-risk').dueAt).toBe(lastSecond(t.day0)); // same day

    state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld(t.at(0, '15:00'), {
          immediateActions: [
            {
              action: 'Safety plan agreed with the mother',
              ownerRole: 'social_worker',
              dueAt: t.at(1, '12:00'),
            },
          ],
        }),
      ],
    });
    expect(due(state, 's47-decision').dueAt).toBe(wdDue(t.day0, 4)); // by day 5, the strategy's own day being day 1
    expect(due(state, 's47-manager-signoff').dueAt).toBe(wdDue(t.day0, 5));
    expect(due(state, 'icpc-held').dueAt).toBe(wdDue(t.day0, 15));
    expect(due(state, 'strategy-record-circulate').dueAt).toBe(plusHours(t.at(0, '15:00'), 48));
    expect(due(state, 'strategy-icpc-request').dueAt).toBe(plusHours(t.at(0, '15:00'), 24));
    expect(due(state, 'strategy-action')).toMatchObject({
      dueAt: t.at(1, '12:00'),
      label: 'Safety plan agreed with the mother',
    });

    // A later strategy discussion never resets the ICPC clock (⚠C-36).
    state = await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [strategyHeld(t.at(2, '10:00'), { strategyId: 'SD-2' })],
    });
    expect(due(state, 'icpc-held').dueAt).toBe(wdDue(t.day0, 15));

    await handle.executeUpdate(m.s47OutcomeUpdate, {
      args: [
        { outcome: 'substantiated_icpc', rationale: 'Significant harm substantiated.', actor: actors.socialWorker },
      ],
    });
    await handle.executeUpdate(m.s47SignoffUpdate, { args: [{ actor: actors.teamManager }] });
    await handle.executeUpdate(m.icpcRequestConfirmedUpdate, { args: [{ actor: actors.socialWorker }] });

    state = await handle.executeUpdate(m.icpcScheduledUpdate, {
      args: [{ scheduledStart: t.at(20, '10:00'), actor: actors.qa }],
    });
    // Earlier of 2 WD before (Thursday 17:00) and 48 h before (Saturday 10:00) a Monday conference, ⚠C-06.
    expect(wdDue(t.day(20), -2) < plusHours(t.at(20, '10:00'), -48)).toBe(true);
    expect(due(state, 'icpc-report-chair').dueAt).toBe(wdDue(t.day(20), -2));
    expect(due(state, 'icpc-report-family').dueAt).toBe(wdDue(t.day(20), -2));
    expect(due(state, 'icpc-chair-meets-parents').dueAt).toBe(t.at(20, '10:00'));
    await expect(
      handle.executeUpdate(m.icpcScheduledUpdate, {
        args: [{ scheduledStart: t.at(21, '10:00'), actor: actors.qa }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/already booked/) } });

    state = await handle.executeUpdate(m.icpcRescheduledUpdate, {
      args: [{ scheduledStart: t.at(21, '10:00'), reason: 'Chair unavailable', actor: actors.qa }],
    });
    const chairReport = due(state, 'icpc-report-chair');
    expect(chairReport.dueAt).toBe(wdDue(t.day(21), -2));
    expect(chairReport.rescheduled).toEqual([
      expect.objectContaining({
        from: wdDue(t.day(20), -2),
        to: wdDue(t.day(21), -2),
        by: 'qa-1',
        reason: 'Chair unavailable',
      }),
    ]);

    await handle.executeUpdate(m.reportSentToChairUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.reportSharedWithFamilyUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.chairMetParentsUpdate, { args: [{ actor: actors.chair }] });

    await skipTo(t.at(21, '10:05'));
    await expect(
      handle.executeUpdate(m.icpcHeldUpdate, {
        args: [
          {
            heldAt: t.at(21, '10:00'),
            decisions: [{ childReference: 'C1', decision: 'no_plan' }],
            actor: actors.chair,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/every child/) } });
    state = await handle.executeUpdate(m.icpcHeldUpdate, {
      args: [
        {
          heldAt: t.at(21, '10:00'),
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
      metAt: t.at(21, '10:00'),
      breached: false,
    });
    expect(state.planHandOvers).toEqual([{ childReference: 'C1', planId: 'P-X4-C1', workflowId: 'cpp-P-X4-C1' }]);
    // The assessment gate was never met: an exception, not a block (§1.4).
    expect(
      state.events.some((e) => e.type === 'gate_exception' && e.summary.startsWith('icpc-assessment-updated')),
    ).toBe(true);

    // The plan process for C1 is started and linked both ways; the enquiry completes.
    const plan = stack.env.client.workflow.getHandle('cpp-P-X4-C1');
    expect((await plan.describe()).parentExecution?.workflowId).toBe('s47-X4');
    const planState = await plan.query(planQuery);
    expect(planState).toMatchObject({ links: { s47WorkflowId: 's47-X4' }, case: { childReference: 'C1' } });
    expect(holidaysBetween(t.day(21), addWD(t.day(21), 10))).toEqual(
      expect.arrayContaining([goodFriday(t.day0), t.day(27)]),
    );
    expect(planState.deadlines.find((d) => d.id === 'cp-first-core-group')!.dueAt).toBe(wdDue(t.day(21), 10)); // 10 WD over Easter

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
    expect(holidaysBetween(t.day0, addWD(t.day0, 45))).toEqual(
      expect.arrayContaining([goodFriday(t.day0), t.day(27), holiday('Early May bank holiday', year(t.day0))]),
    );
    expect(due(state, 'assessment-complete').dueAt).toBe(wdDue(t.day0, 45)); // 45 WD from the contact, over Easter and May Day
    await handle.executeUpdate(m.childSeenUpdate, {
      args: [{ childReference: 'C1', seenAt: t.at(3, '11:00'), seenAlone: true, actor: actors.socialWorker }],
    });
    await expect(
      handle.executeUpdate(m.childSeenUpdate, {
        args: [{ childReference: 'C1', seenAt: t.at(3, '12:00'), seenAlone: false, actor: actors.socialWorker }],
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
      args: [{ completedAt: t.at(49, '10:00'), outcome: 's47', actor: actors.teamManager }],
    });
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('not substantiated: an agreed ICPC needs a concurring strategy discussion first (D1.7); then the ICPC clocks stop', async () => {
    // The Wednesday before Good Friday. The clock stays a day before it: anchors a day ahead of the
    // test clock are plain data for the due instants.
    const t = await workingDay('Wednesday', [1], (d) => goodFriday(d) === addDays(d, 2));
    await skipTo(t.at(-1, '10:05'));
    const handle = await start(
      s47Input('X5', t.at(0, '09:00'), { trigger: 'concern', children: [{ reference: 'C9' }] }),
    );
    await handle.executeUpdate(m.strategyHeldUpdate, { args: [strategyHeld(t.at(0, '09:30'))] });
    await expect(
      handle.executeUpdate(m.s47OutcomeUpdate, {
        args: [{ outcome: 'not_substantiated', rationale: 'Explained by an accident.', actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/concurs/) } });
    await handle.executeUpdate(m.strategyHeldUpdate, {
      args: [
        strategyHeld(t.at(1, '10:00'), {
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
    // Easter: the ordinal day 5 from the Wednesday before skips Good Friday and Easter Monday.
    expect(holidaysBetween(t.day0, addWD(t.day0, 4))).toEqual([t.day(2), t.day(5)]);
    expect(due(state, 's47-decision').dueAt).toBe(wdDue(t.day0, 4));
    expect(state.stage).toBe('s47_in_progress'); // still owes the manager's sign-off
    state = await handle.executeUpdate(m.s47SignoffUpdate, { args: [{ actor: actors.teamManager }] });
    expect(state).toMatchObject({ stage: 'closed', outcome: 'not_substantiated' });
    expect(state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
  });
});
