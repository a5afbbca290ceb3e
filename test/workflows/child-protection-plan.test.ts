import { describe, expect, it } from 'vitest';
import type { PlanState } from '../../src/processes/child-protection-plan/schemas';
import { childProtectionPlan } from '../../workflows';
import * as m from '../../workflows/child-protection-plan/messages';
import { actors } from '../helpers/s47';
import { actOn } from '../helpers/act';
import { factsInStore, factsOfState } from '../helpers/evidence';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  addMonths,
  addWD,
  dayOf,
  daysDue,
  holiday,
  holidaysBetween,
  isWorkingDay,
  monthsDue,
  on,
  plusHours,
  plusMs,
  type TimeBase,
  wdDue,
  weekday,
} from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
// The worker writes the plan's evidence too: across continue-as-new it must stay whole.
const stack = useTimeSkippingStack({ evidence: true });
const { skipTo } = stack;

const due = (state: PlanState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;

const act = actOn(m.getStateQuery);

// The two tests are one plan's story in two parts: they run in order, on one time base.
describe('child protection plan, first part, on the time-skipping server', { shuffle: false }, () => {
  let t: TimeBase;

  it('arms the post-conference clocks, follows the plan’s intervals, and counts only visits that see the child', async () => {
    // A Tuesday with Good Friday 24 days on; its first review, held on day 86, is followed six months
    // later by a Saturday.
    t = await stack.base({
      weekday: 'Tuesday',
      where: (d) =>
        holiday('Good Friday', Number(d.slice(0, 4))) === addDays(d, 24) &&
        isWorkingDay(addDays(d, 86)) &&
        weekday(addMonths(addDays(d, 86), 6)) === 6,
    });
    const icpc = t.at(0, '10:00');
    await skipTo(icpc); // Tuesday; Easter falls on days 24–27
    const handle = await startProcess(stack.env.client, childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-P1',
      args: [
        {
          planId: 'P1',
          caseReference: 'CASE-P1',
          childReference: 'C1',
          icpcHeldAt: icpc,
          people: {},
        },
      ],
    });
    let state = await handle.query(m.getStateQuery);
    expect(holidaysBetween(t.day0, addWD(t.day0, 20))).toEqual([t.day(24), t.day(27)]);
    expect(Object.fromEntries(state.deadlines.map((d) => [d.id, d.dueAt]))).toEqual({
      'cp-outcome-circulate': plusHours(icpc, 24), // 24 h
      'cp-outline-plan': wdDue(t.day0, 1), // 1 WD
      'cp-record-plan-circulate': wdDue(t.day0, 5), // 5 WD
      'cp-minutes-circulate': wdDue(t.day0, 20), // 20 WD over Good Friday and Easter Monday
      'cp-first-core-group': wdDue(t.day0, 10), // 10 WD
      'cp-first-rcpc': monthsDue(t.day0, 3), // 3 months
      'sup-cp': monthsDue(t.day0, 1), // 1 month
      'cp-visit': wdDue(t.day0, 10), // 10 WD from the plan's start (⚠C-09)
      'cp-assessment-6-monthly': monthsDue(t.day0, 6), // 6 months from the assessment updated for the ICPC
    });

    state = await act(handle, m.conferenceOutputUpdate, {
      args: [{ output: 'cp-outcome-circulate', actor: actors.qa }],
    });
    expect(due(state, 'cp-outcome-circulate')).toMatchObject({ status: 'met', breached: false });

    state = await act(handle, m.coreGroupHeldUpdate, {
      args: [{ heldAt: t.at(8, '10:00'), visitIntervalWorkingDays: 5, actor: actors.teamManager }],
    });
    expect(due(state, 'cp-first-core-group')).toMatchObject({ status: 'met' });
    expect(due(state, 'cp-core-group').dueAt).toBe(daysDue(t.day(8), 28)); // 4 weeks from the meeting held
    expect(state.frequencies).toEqual({ visitWorkingDays: 5, coreGroupWeeks: 4 });

    // A visit where the child was not seen does not count; the team manager is told.
    await skipTo(t.at(10, '10:00'));
    await handle.executeUpdate(m.visitRecordedUpdate, {
      args: [{ visitedAt: t.at(10, '10:00'), childSeen: false, actor: actors.socialWorker }],
    });
    const [notSeen] = await stack.smtp.waitFor(
      (mail) => mail.subject.includes('Child not seen') && mail.text.includes('CASE-P1'),
    );
    expect(notSeen!.to).toEqual(['team-manager@example.test']);
    await skipTo(plusMs(wdDue(t.day0, 10), 30_000));
    const [missed] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<cpp-P1.cp-visit.1.r0.overdue@test.example>',
    );
    expect(missed!.to).toEqual(['team-manager@example.test', 'cp-chair@example.test']); // X-VISIT (003 QS 7.5)

    state = await act(handle, m.visitRecordedUpdate, {
      args: [{ visitedAt: t.at(15, '10:00'), childSeen: true, seenAlone: true, actor: actors.socialWorker }],
    });
    expect(state.deadlines.filter((d) => d.id === 'cp-visit').map((d) => [d.status, d.breached, d.dueAt])).toEqual([
      ['met', true, wdDue(t.day0, 10)],
      ['pending', false, wdDue(t.day(15), 5)], // 5 WD from the visit, as the plan set
    ]);
  });

  it('reviews: a booked and moved review re-arms its report, a continue re-arms the 6-month clock, a discontinue ends the plan', async () => {
    const handle = stack.env.client.workflow.getHandle('cpp-P1');
    const qa = { id: 'qa-1', roles: ['qa_bstl' as const] };
    let state = await act(handle, m.reviewScheduledUpdate, {
      args: [{ scheduledStart: t.at(84, '10:00'), actor: qa }],
    });
    expect(due(state, 'cp-rcpc-report-share').dueAt).toBe(wdDue(t.day(84), -5)); // 5 WD before
    state = await act(handle, m.reviewRescheduledUpdate, {
      args: [{ scheduledStart: t.at(86, '10:00'), reason: 'Police unavailable', actor: qa }],
    });
    expect(due(state, 'cp-rcpc-report-share')).toMatchObject({
      dueAt: wdDue(t.day(86), -5),
      rescheduled: [expect.objectContaining({ reason: 'Police unavailable', by: 'qa-1' })],
    });
    await handle.executeUpdate(m.reportSharedUpdate, {
      args: [{ at: t.at(78, '12:00'), actor: actors.socialWorker }],
    });

    const firstRun = (await handle.describe()).runId;
    state = await act(handle, m.reviewHeldUpdate, {
      args: [{ heldAt: t.at(86, '10:00'), decision: 'continue', actor: actors.chair }],
    });
    expect(due(state, 'cp-first-rcpc')).toMatchObject({ status: 'met', breached: false });
    const sixMonths = addMonths(t.day(86), 6); // a Saturday
    expect(due(state, 'cp-rcpc').dueAt).toBe(monthsDue(t.day(86), 6)); // 6 months: the Saturday rolls back to Friday
    expect(dayOf(monthsDue(t.day(86), 6))).toBe(addDays(sixMonths, -1));
    expect(state.events.filter((e) => e.type === 'gate_exception').map((e) => e.summary.split(' ')[0])).toEqual([
      'cp-rcpc-chair-meets-parents',
      'cp-rcpc-assessment-updated',
    ]);
    expect(due(state, 'cp-minutes-circulate')).toMatchObject({ occurrence: 2, status: 'pending' }); // ⚠C-08

    // Each review cycle continues as new, carrying the whole story: a new run, cycle 2, a link back.
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle).toBe(2);
    const carried = await handle.query(m.getStateQuery);
    expect(carried.links.previousRuns).toEqual([firstRun]);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(due(carried, 'cp-rcpc')).toMatchObject({ status: 'pending', dueAt: monthsDue(t.day(86), 6) });
    expect(carried.deadlines.length).toBe(state.deadlines.length); // nothing lost
    expect(carried.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['plan_started', 'visit_child_not_seen', 'review_held', 'cycle_continued']),
    );
    // Notices already sent are not sent again by the new run.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      stack.smtp.messages.filter(
        (mail) => mail.messageId === '<cpp-P1.cp-record-plan-circulate.1.r0.overdue@test.example>',
      ),
    ).toHaveLength(1);
    // The evidence of both runs is one story: the store's deadlines are the carried state's.
    await expect
      .poll(() => factsInStore(stack.evidence, 'cpp-P1'), { timeout: 10_000 })
      .toEqual(factsOfState(carried.deadlines));

    const ended = addWD(dayOf(monthsDue(t.day(86), 6)), -8); // the second review, held early
    state = await act(handle, m.reviewHeldUpdate, {
      args: [{ heldAt: on(ended, '10:00'), decision: 'discontinue', actor: actors.chair }],
    });
    expect(state.stage).toBe('ending');
    expect(due(state, 'cp-visit')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'plan ended: discontinued_at_review',
    });
    expect(due(state, 'cp-assessment-6-monthly')).toMatchObject({ status: 'cancelled' });
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe(wdDue(ended, 1));
    expect(due(state, 'cp-cin-after-plan').dueAt).toBe(wdDue(ended, 10));
    await expect(
      handle.executeUpdate(m.reviewScheduledUpdate, {
        args: [{ scheduledStart: on(addDays(ended, 15), '10:00'), actor: qa }],
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/the plan is ending/) },
    });

    // The plan ends once every remaining obligation is met.
    await handle.executeUpdate(m.discontinuationNotifiedUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.cinPlanningMeetingHeldUpdate, { args: [{ actor: actors.socialWorker }] });
    for (const output of (await handle.query(m.getStateQuery)).deadlines.filter(
      (d) => d.status === 'pending' || d.status === 'overdue',
    )) {
      await handle.executeUpdate(m.conferenceOutputUpdate, {
        args: [{ output: output.id as 'cp-minutes-circulate', actor: actors.qa }],
      });
    }
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    expect(await handle.query(m.getStateQuery)).toMatchObject({ stage: 'ended', status: 'closed' });
  });
});
