/**
 * Child protection plan lifecycle (statutory-rules §4): from the initial conference's decision,
 * the conference outputs, core groups, visits in which the child is seen, monthly supervision, and
 * review conferences until the plan is discontinued, continuing as new at each review cycle. The
 * other endings (transfer, 18th birthday, death) are not built yet (see README).
 *
 * The workflow type is `childProtectionPlan`: the Section 47 enquiry starts it by that name.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlanCarried, PlanInput, PlanState } from '../src/cp-plan';
import type { NotificationContext } from '../src/notifications';
import { DeadlineTracker, sendNotice, type CarriedDeadline } from './deadlines';
import * as m from './child-protection-plan.messages';
import { deadlineEvents, eventLog, nowIso, stageConflict, visibility } from './process-kit';

/** National floors: visits at least every 10 WD, core groups at least every 4 weeks (003 QS 9.1, 13.14). */
const VISIT_FLOOR_WD = 10;
const CORE_GROUP_FLOOR_WEEKS = 4;
/** Counted back from a booked review conference; they move with it (§1.4, ⚠C-08). */
const REVIEW_BEFORE = ['cp-rcpc-report-share', 'cp-rcpc-chair-meets-parents', 'cp-rcpc-assessment-updated'];
/** ⚠C-08: the conference outputs apply to review conferences as well. */
const REVIEW_OUTPUTS = ['cp-outcome-circulate', 'cp-record-plan-circulate', 'cp-minutes-circulate'];
/** What stops when the plan is discontinued (§4.5). */
const RECURRING = ['cp-visit', 'cp-core-group', 'cp-first-core-group', 'sup-cp', 'cp-assessment-6-monthly'];

export async function childProtectionPlan(input: PlanInput): Promise<PlanState> {
  const context: NotificationContext = { workflowId: workflowInfo().workflowId, process: 'cp-plan', caseReference: input.caseReference, people: input.people };
  const state: Omit<PlanState, 'deadlines'> = input.carried?.state ?? {
    process: 'child-protection-plan',
    stage: 'active',
    status: 'open',
    startedAt: input.icpcHeldAt,
    case: { reference: input.caseReference, childReference: input.childReference },
    links: { s47WorkflowId: input.s47WorkflowId, previousRuns: [] },
    frequencies: { visitWorkingDays: VISIT_FLOOR_WD, coreGroupWeeks: CORE_GROUP_FLOOR_WEEKS },
    reviews: { held: 0 },
    cycle: 1,
    events: [],
  };
  const refresh = visibility('Child protection plan', () => state.stage, () => deadlines);
  const deadlines = new DeadlineTracker(context, refresh);
  const view = (): PlanState => ({ ...state, deadlines: deadlines.views() });
  const record = eventLog(state.events);
  /** A review cycle ended: the next one starts in a new run (continue-as-new). */
  let cycleComplete = false;

  /** The next occurrence counts from the last actual one (⚠C-11), at the plan's interval. */
  const nextVisit = (from: string) => deadlines.open('cp-visit', from, { duration: { value: state.frequencies.visitWorkingDays, unit: 'working_days' } });
  const nextCoreGroup = (from: string) => deadlines.open('cp-core-group', from, { duration: { value: state.frequencies.coreGroupWeeks, unit: 'weeks' } });

  setHandler(m.getStateQuery, view);

  setHandler(m.conferenceOutputUpdate, ({ actor, output, at }) => {
    deadlines.meet(output, actor.id, at ?? nowIso());
    record(output, `${output} done`, actor.id);
    return view();
  }, { validator: ({ output }: { output: string }) => { if (!deadlines.isOpen(output)) stageConflict(`${output} is not open`); } });

  setHandler(m.coreGroupHeldUpdate, async ({ actor, heldAt, visitIntervalWorkingDays, coreGroupIntervalWeeks }) => {
    const first = deadlines.isOpen('cp-first-core-group');
    deadlines.meet(first ? 'cp-first-core-group' : 'cp-core-group', actor.id, heldAt);
    if (visitIntervalWorkingDays) state.frequencies.visitWorkingDays = visitIntervalWorkingDays;
    if (coreGroupIntervalWeeks) state.frequencies.coreGroupWeeks = coreGroupIntervalWeeks;
    record('core_group_held', `${first ? 'first ' : ''}core group; visits every ${state.frequencies.visitWorkingDays} WD, core groups every ${state.frequencies.coreGroupWeeks} weeks`, actor.id);
    await nextCoreGroup(heldAt);
    return view();
  });

  setHandler(m.visitRecordedUpdate, async ({ actor, visitedAt, childSeen, seenAlone }) => {
    if (!childSeen) {
      // A visit where the child was not seen does not count (003 QS 9.1); the manager is told (003 QS 7.5).
      record('visit_child_not_seen', 'visit made but the child was not seen: it does not count', actor.id);
      await sendNotice(context, `visit-not-seen.${state.events.length}`, 'visit_not_seen', { to: ['team_manager'], cc: ['cp_chair'] }, {
        type: 'message',
        subject: 'Child not seen at a child protection visit',
        text: `A visit on ${visitedAt} did not see the child. cp-visit stays open and escalates until the child is seen (003 QS 7.5, 9.1).`,
      });
      return view();
    }
    deadlines.meet('cp-visit', actor.id, visitedAt);
    record('visit', `child seen${seenAlone ? ' alone' : ''}`, actor.id);
    await nextVisit(visitedAt);
    return view();
  });

  setHandler(m.supervisionRecordedUpdate, async ({ actor, at }) => {
    deadlines.meet('sup-cp', actor.id, at);
    record('supervision', 'supervision recorded', actor.id);
    await deadlines.open('sup-cp', at);
    return view();
  });

  const meets = deadlineEvents(deadlines, record, view);
  meets(m.reportSharedUpdate, 'cp-rcpc-report-share', 'report shared before the review conference');
  meets(m.chairMetFamilyUpdate, 'cp-rcpc-chair-meets-parents', 'the chair met the family before the review');
  meets(m.assessmentUpdatedUpdate, 'cp-rcpc-assessment-updated', 'assessment updated before the review');
  meets(m.discontinuationNotifiedUpdate, 'cp-discontinue-notify', 'agencies invited to the ICPC told the plan has ended');
  meets(m.cinPlanningMeetingHeldUpdate, 'cp-cin-after-plan', 'child in need planning meeting held');

  const requireActive = (what: string) => {
    if (state.stage !== 'active') stageConflict(`${what} is not possible: the plan is ${state.stage}`);
  };

  setHandler(m.reviewScheduledUpdate, async ({ actor, scheduledStart }) => {
    state.reviews.scheduledStart = scheduledStart;
    for (const id of REVIEW_BEFORE) await deadlines.open(id, scheduledStart);
    record('review_scheduled', `review conference booked for ${scheduledStart}`, actor.id);
    return view();
  }, {
    validator: (_: unknown) => {
      requireActive('Booking a review');
      if (state.reviews.scheduledStart) stageConflict('a review is already booked: reschedule it with a reason');
    },
  });

  setHandler(m.reviewRescheduledUpdate, async ({ actor, scheduledStart, reason }) => {
    const previous = state.reviews.scheduledStart;
    state.reviews.scheduledStart = scheduledStart;
    for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g))) await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason);
    record('review_rescheduled', `review moved from ${previous} to ${scheduledStart}: ${reason}`, actor.id);
    return view();
  }, {
    validator: (_: unknown) => {
      requireActive('Rescheduling a review');
      if (!state.reviews.scheduledStart) stageConflict('no review is booked');
    },
  });

  setHandler(m.reviewHeldUpdate, async ({ actor, heldAt, decision }) => {
    deadlines.meet(state.reviews.held === 0 ? 'cp-first-rcpc' : 'cp-rcpc', actor.id, heldAt);
    // §1.4: a gate not met does not stop the conference; the exception is recorded.
    for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g))) {
      record('gate_exception', `${id} not met when the review was held`, actor.id);
      deadlines.cancel(id, actor.id, 'review held without it: exception recorded');
    }
    state.reviews = { held: state.reviews.held + 1 };
    if (decision === 'continue') cycleComplete = true;
    record('review_held', `review conference ${state.reviews.held}: ${decision}`, actor.id);
    for (const id of REVIEW_OUTPUTS) await deadlines.open(id, heldAt);
    if (decision === 'continue') {
      await deadlines.open('cp-rcpc', heldAt); // no more than 6 months after this one (national floor)
    } else {
      state.stage = 'ending';
      for (const id of RECURRING) deadlines.cancel(id, actor.id, 'plan discontinued at review');
      await deadlines.open('cp-discontinue-notify', heldAt);
      await deadlines.open('cp-cin-after-plan', heldAt);
      refresh();
    }
    return view();
  }, { validator: (_: unknown) => requireActive('Recording a review') });

  setHandler(m.breachReasonUpdate, ({ actor, deadlineId, reason }) => {
    deadlines.recordBreachReason(deadlineId, actor.id, reason);
    record('breach_reason', `reason recorded for ${deadlineId}`, actor.id);
    return view();
  });

  if (input.carried) {
    deadlines.restore(input.carried.deadlines as CarriedDeadline[]);
  } else {
    record('plan_started', `plan for ${input.childReference}${input.s47WorkflowId ? ` handed over by ${input.s47WorkflowId}` : ''}`, input.startedBy?.id);
    for (const output of ['cp-outcome-circulate', 'cp-outline-plan', 'cp-record-plan-circulate', 'cp-minutes-circulate', 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp']) {
      await deadlines.open(output, input.icpcHeldAt);
    }
    await nextVisit(input.icpcHeldAt); // ⚠C-09: the first visit is due 10 WD from the plan's start
  }
  refresh();

  // A plan runs for years: each review cycle (or the server's suggestion) continues as new,
  // carrying the whole story, so every run's history stays small.
  const ended = () => state.stage === 'ending' && deadlines.openIds().length === 0;
  await condition(() => ended() || cycleComplete || workflowInfo().continueAsNewSuggested);
  if (!ended()) {
    await condition(allHandlersFinished);
    record('cycle_continued', `review cycle ${state.cycle} complete: continued in a new run`);
    const carried: PlanCarried = {
      state: { ...state, cycle: state.cycle + 1, links: { ...state.links, previousRuns: [...state.links.previousRuns, workflowInfo().runId] } },
      deadlines: deadlines.snapshot(),
    };
    return continueAsNew<typeof childProtectionPlan>({ ...input, carried });
  }

  // Discontinued: the plan ended once its last obligations (notices, CIN meeting, outputs) were done.
  state.stage = 'ended';
  state.status = 'closed';
  state.closedAt = nowIso();
  record('plan_ended', 'plan discontinued and every remaining obligation met');
  await condition(allHandlersFinished);
  return view();
}
