/**
 * Child protection plan lifecycle (statutory-rules §4), one workflow per child: from the initial
 * conference's decision (or a transfer-in and this authority's own conference), the conference
 * outputs, core groups, visits in which the child is seen, monthly supervision, the 6-monthly
 * assessment and review conferences, until the plan ends: discontinued at a review, or one of the
 * D2.5 endings (moved away once the receiving authority has held its conference, 18th birthday,
 * death, left the UK). It continues as new at each review cycle.
 *
 * The workflow type is `childProtectionPlan`: the Section 47 enquiry starts it by that name.
 */
import { condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlanCarried, PlanEnding, PlanInput, PlanState } from '../../src/processes/child-protection-plan/schemas';
import type { NotificationContext } from '../../src/notifications';
import { SYSTEM_ACTOR } from '../../src/process';
import { DeadlineTracker, sendNotice, type CarriedDeadline } from '../deadline-tracker';
import * as m from './messages';
import {
  commonDecisions,
  deadlineEvents,
  eventLog,
  nowIso,
  serialized,
  settle,
  stageConflict,
  visibility,
} from '../process-kit';

/** National floors: visits at least every 10 WD, core groups at least every 4 weeks (003 QS 9.1, 13.14). */
const VISIT_FLOOR_WD = 10;
const CORE_GROUP_FLOOR_WEEKS = 4;
/** Counted back from a booked review conference; they move with it (§1.4, ⚠C-08). */
const REVIEW_BEFORE = ['cp-rcpc-report-share', 'cp-rcpc-chair-meets-parents', 'cp-rcpc-assessment-updated'];
/** After every conference (003 QS 13.8–13.10); ⚠C-08: review conferences produce them too, bar the outline plan. */
const CONFERENCE_OUTPUTS = [
  'cp-outcome-circulate',
  'cp-outline-plan',
  'cp-record-plan-circulate',
  'cp-minutes-circulate',
];
const REVIEW_OUTPUTS = CONFERENCE_OUTPUTS.filter((id) => id !== 'cp-outline-plan');
/** 003 QS 3.15: a statutory assessment every 6 months once the plan is over 3 months old. */
const ASSESSMENT_CLOCK = 'cp-assessment-6-monthly';
/** Introduced after plans were already running: histories recorded before it replay without the clock. */
const ASSESSMENT_PATCH = 'cp-assessment-6-monthly';
/** Later: the clock's first anchor is the last assessment when the start gives it (⚠C-20). */
const ASSESSMENT_ANCHOR_PATCH = 'cp-assessment-from-last-assessment';

export async function childProtectionPlan(input: PlanInput): Promise<PlanState> {
  const context: NotificationContext = {
    workflowId: workflowInfo().workflowId,
    process: 'cp-plan',
    caseReference: input.caseReference,
    people: input.people,
  };
  const state: Omit<PlanState, 'deadlines' | 'ready'> = input.carried?.state ?? {
    process: 'child-protection-plan',
    stage: input.transferIn ? 'transfer_in' : 'active',
    status: 'open',
    startedAt: input.icpcHeldAt ?? input.transferIn!.notifiedAt,
    case: { reference: input.caseReference, childReference: input.childReference },
    links: { s47WorkflowId: input.s47WorkflowId, previousRuns: [] },
    frequencies: { visitWorkingDays: VISIT_FLOOR_WD, coreGroupWeeks: CORE_GROUP_FLOOR_WEEKS },
    reviews: { held: 0 },
    cycle: 1,
    events: [],
  };
  const refresh = visibility(
    'Child protection plan',
    () => state.stage,
    () => deadlines,
  );
  const deadlines = new DeadlineTracker(context, refresh);
  const { decide, exclusive, started } = serialized();
  /** False until the start (or the restored run) has armed its deadlines: the API's start answers after it. */
  let ready = false;
  const view = (): PlanState => ({ ...state, ready, deadlines: deadlines.views() });
  const record = eventLog(state.events);
  /** A review cycle ended: the next one starts in a new run (continue-as-new). */
  let cycleComplete = false;

  /** The next occurrence counts from the last actual one (⚠C-11), at the plan's interval. */
  const nextVisit = (from: string) =>
    deadlines.open('cp-visit', from, { duration: { value: state.frequencies.visitWorkingDays, unit: 'working_days' } });
  const nextCoreGroup = (from: string) =>
    deadlines.open('cp-core-group', from, { duration: { value: state.frequencies.coreGroupWeeks, unit: 'weeks' } });

  /** The plan begins at the conference that decided on it: every clock of §4.3 starts there. */
  const beginPlan = async (conferenceAt: string) => {
    for (const id of [...CONFERENCE_OUTPUTS, 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp'])
      await deadlines.open(id, conferenceAt);
    await nextVisit(conferenceAt); // ⚠C-09: the first visit is due 10 WD from the plan's start
    // 6 months from the last completed assessment, the one updated for the conference (003 QS 3.15,
    // 3.16, ⚠C-20); without its date, the conference stands for it (as before ASSESSMENT_ANCHOR_PATCH).
    if (patched(ASSESSMENT_PATCH)) {
      const lastAssessmentAt =
        input.lastAssessmentAt && patched(ASSESSMENT_ANCHOR_PATCH) ? input.lastAssessmentAt : conferenceAt;
      await deadlines.open(ASSESSMENT_CLOCK, lastAssessmentAt);
    }
  };

  /** A statutory assessment was completed: the 6-monthly clock restarts from it. */
  const assessmentCompleted = async (at: string, actor: string) => {
    if (!deadlines.isOpen(ASSESSMENT_CLOCK) && !patched(ASSESSMENT_PATCH)) return;
    deadlines.meet(ASSESSMENT_CLOCK, actor, at);
    await deadlines.open(ASSESSMENT_CLOCK, at);
  };

  /**
   * §4.5: the plan ends. Every recurrence and pending conference stops; what the last conference
   * still owes (its record, its minutes) stays; every agency invited to the ICPC is told (D2.5).
   */
  const endPlan = async (reason: PlanEnding, at: string, actor: string, after: string[]) => {
    state.stage = 'ending';
    state.ending = { reason, at };
    deadlines.cancelAll(actor, `plan ended: ${reason}`, CONFERENCE_OUTPUTS);
    for (const id of after) await deadlines.open(id, at);
    record('plan_discontinued', `plan discontinued: ${reason}`, actor);
    refresh();
  };

  /** ⚠C-40: a review that ends the plan in the 3 months before the 18th birthday is the one that rule asks for. */
  const nearEighteenthBirthday = (at: string) => {
    const review = deadlines.find('cp-age-18-review');
    if (!review || !deadlines.isOpen('cp-age-18-review')) return false;
    const windowOpens = new Date(review.dueAt);
    windowOpens.setUTCMonth(windowOpens.getUTCMonth() - 3);
    return at >= windowOpens.toISOString();
  };

  const requireStage = (stage: PlanState['stage'], what: string) => {
    if (state.stage !== stage) stageConflict(`${what} is not possible: the plan is ${state.stage.replace('_', ' ')}`);
  };
  const requireActive = (what: string) => requireStage('active', what);

  setHandler(m.getStateQuery, view);

  decide(
    m.transferInConferenceHeldUpdate,
    async ({ actor, heldAt, decision }) => {
      deadlines.meet('cp-transfer-in-conference', actor.id, heldAt);
      record('transfer_in_conference_held', `this authority’s conference: ${decision}`, actor.id);
      if (decision === 'cp_plan') {
        state.stage = 'active';
        await beginPlan(heldAt);
      } else {
        await endPlan('no_plan_after_transfer_in', heldAt, actor.id, ['cp-cin-after-plan']); // 003 QS 13.12
      }
    },
    { validator: (_: unknown) => requireStage('transfer_in', 'Recording the transfer-in conference') },
  );

  decide(
    m.conferenceOutputUpdate,
    ({ actor, output, at }) => {
      deadlines.meet(output, actor.id, at ?? nowIso());
      record(output, `${output} done`, actor.id);
    },
    {
      validator: ({ output }: { output: string }) => {
        if (!deadlines.isOpen(output)) stageConflict(`${output} is not open`);
      },
    },
  );

  decide(
    m.coreGroupHeldUpdate,
    async ({ actor, heldAt, visitIntervalWorkingDays, coreGroupIntervalWeeks }) => {
      const first = deadlines.isOpen('cp-first-core-group');
      deadlines.meet(first ? 'cp-first-core-group' : 'cp-core-group', actor.id, heldAt);
      if (visitIntervalWorkingDays) state.frequencies.visitWorkingDays = visitIntervalWorkingDays;
      if (coreGroupIntervalWeeks) state.frequencies.coreGroupWeeks = coreGroupIntervalWeeks;
      record(
        'core_group_held',
        `${first ? 'first ' : ''}core group; visits every ${state.frequencies.visitWorkingDays} WD, core groups every ${state.frequencies.coreGroupWeeks} weeks`,
        actor.id,
      );
      await nextCoreGroup(heldAt);
    },
    { validator: (_: unknown) => requireActive('Recording a core group') },
  );

  decide(
    m.visitRecordedUpdate,
    async ({ actor, visitedAt, childSeen, seenAlone }) => {
      if (!childSeen) {
        // A visit where the child was not seen does not count (003 QS 9.1); the manager is told (003 QS 7.5).
        record('visit_child_not_seen', 'visit made but the child was not seen: it does not count', actor.id);
        await sendNotice(
          context,
          `visit-not-seen.${state.events.length}`,
          'visit_not_seen',
          { to: ['team_manager'], cc: ['cp_chair'] },
          {
            type: 'message',
            subject: 'Child not seen at a child protection visit',
            text: `A visit on ${visitedAt} did not see the child. cp-visit stays open and escalates until the child is seen (003 QS 7.5, 9.1).`,
          },
        );
        return;
      }
      deadlines.meet('cp-visit', actor.id, visitedAt);
      record('visit', `child seen${seenAlone ? ' alone' : ''}`, actor.id);
      await nextVisit(visitedAt);
    },
    { validator: (_: unknown) => requireActive('Recording a visit') },
  );

  decide(
    m.supervisionRecordedUpdate,
    async ({ actor, at }) => {
      deadlines.meet('sup-cp', actor.id, at);
      record('supervision', 'supervision recorded', actor.id);
      await deadlines.open('sup-cp', at);
    },
    { validator: (_: unknown) => requireActive('Recording supervision') },
  );

  decide(
    m.assessmentCompletedUpdate,
    async ({ actor, at }) => {
      await assessmentCompleted(at, actor.id);
      record('assessment_completed', 'statutory assessment completed', actor.id);
    },
    { validator: (_: unknown) => requireActive('Recording an assessment') },
  );

  // Updating the assessment before a review meets the gate and is itself a completed assessment.
  decide(
    m.assessmentUpdatedUpdate,
    async ({ actor, at }) => {
      const when = at ?? nowIso();
      deadlines.meet('cp-rcpc-assessment-updated', actor.id, when);
      await assessmentCompleted(when, actor.id);
      record('cp-rcpc-assessment-updated', 'assessment updated before the review', actor.id);
    },
    {
      validator: (_: unknown) => {
        if (!deadlines.isOpen('cp-rcpc-assessment-updated')) stageConflict('cp-rcpc-assessment-updated is not open');
      },
    },
  );

  const meets = deadlineEvents<void>(decide, deadlines, record, () => undefined);
  meets(m.reportSharedUpdate, 'cp-rcpc-report-share', 'report shared before the review conference');
  meets(m.chairMetFamilyUpdate, 'cp-rcpc-chair-meets-parents', 'the chair met the family before the review');
  meets(
    m.discontinuationNotifiedUpdate,
    'cp-discontinue-notify',
    'agencies invited to the ICPC told the plan has ended',
  );
  meets(m.cinPlanningMeetingHeldUpdate, 'cp-cin-after-plan', 'child in need planning meeting held');

  decide(
    m.reviewScheduledUpdate,
    async ({ actor, scheduledStart }) => {
      state.reviews.scheduledStart = scheduledStart;
      for (const id of REVIEW_BEFORE) await deadlines.open(id, scheduledStart);
      record('review_scheduled', `review conference booked for ${scheduledStart}`, actor.id);
    },
    {
      validator: (_: unknown) => {
        requireActive('Booking a review');
        if (state.reviews.scheduledStart) stageConflict('a review is already booked: reschedule it with a reason');
      },
    },
  );

  decide(
    m.reviewRescheduledUpdate,
    async ({ actor, scheduledStart, reason }) => {
      const previous = state.reviews.scheduledStart;
      state.reviews.scheduledStart = scheduledStart;
      for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g)))
        await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason);
      record('review_rescheduled', `review moved from ${previous} to ${scheduledStart}: ${reason}`, actor.id);
    },
    {
      validator: (_: unknown) => {
        requireActive('Rescheduling a review');
        if (!state.reviews.scheduledStart) stageConflict('no review is booked');
      },
    },
  );

  decide(
    m.reviewHeldUpdate,
    async ({ actor, heldAt, decision }) => {
      deadlines.meet(state.reviews.held === 0 ? 'cp-first-rcpc' : 'cp-rcpc', actor.id, heldAt);
      // §1.4: a gate not met does not stop the conference; the exception is recorded.
      for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g))) {
        record('gate_exception', `${id} not met when the review was held`, actor.id);
        deadlines.cancel(id, actor.id, 'review held without it: exception recorded');
      }
      state.reviews = { held: state.reviews.held + 1 };
      record('review_held', `review conference ${state.reviews.held}: ${decision}`, actor.id);
      for (const id of REVIEW_OUTPUTS) await deadlines.open(id, heldAt);
      if (decision === 'continue') {
        cycleComplete = true;
        await deadlines.open('cp-rcpc', heldAt); // no more than 6 months after this one (national floor)
      } else {
        if (nearEighteenthBirthday(heldAt)) deadlines.meet('cp-age-18-review', actor.id, heldAt);
        await endPlan('discontinued_at_review', heldAt, actor.id, ['cp-discontinue-notify', 'cp-cin-after-plan']); // D2.2
      }
    },
    { validator: (_: unknown) => requireActive('Recording a review') },
  );

  // D2.5 / ⚠C-42: a permanent move keeps the plan open until the receiving authority's conference.
  decide(
    m.childMovedUpdate,
    async ({ actor, toAuthority, notifiedAt }) => {
      state.transferOut = { toAuthority, notifiedAt };
      await deadlines.open('cp-transfer-out-watch', notifiedAt);
      record(
        'child_moved',
        'child moved permanently to another authority: the plan stays open until its conference',
        actor.id,
      );
    },
    {
      validator: (_: unknown) => {
        requireActive('Recording a move');
        if (state.transferOut) stageConflict('a move is already recorded');
      },
    },
  );

  decide(
    m.receivingConferenceHeldUpdate,
    async ({ actor, at }) => {
      deadlines.meet('cp-transfer-out-watch', actor.id, at);
      await endPlan('moved', at, actor.id, ['cp-discontinue-notify']);
    },
    {
      validator: (_: unknown) => {
        requireActive('Recording the receiving authority’s conference');
        if (!state.transferOut) stageConflict('no move to another authority is recorded');
      },
    },
  );

  decide(
    m.childDiedUpdate,
    async ({ actor, at }) => {
      await endPlan('died', at, actor.id, ['cp-discontinue-notify']);
      // D2.5: a death is a Need to Know category 2 item (001 NTK s2 item 3) and needs the Panel check.
      await sendNotice(
        context,
        'child-died',
        'key_event',
        { to: ['team_manager', 'pgl', 'head_of_service'] },
        {
          type: 'message',
          subject: 'Child on a protection plan has died: Need to Know briefing and Panel check required',
          text: 'The plan has ended. Submit a Need to Know category 2 briefing (001 NTK s2 item 3) and consider the national Panel notification (004 WT ch.4 paras 10–14).',
        },
      );
    },
    {
      validator: (_: unknown) => {
        if (state.stage === 'ending' || state.stage === 'ended')
          stageConflict(`the plan has already ended (${state.ending?.reason})`);
      },
    },
  );

  decide(
    m.childLeftUkUpdate,
    async ({ actor, at }) => {
      await endPlan('left_uk', at, actor.id, ['cp-discontinue-notify']);
    },
    {
      validator: (_: unknown) => {
        if (state.stage === 'ending' || state.stage === 'ended')
          stageConflict(`the plan has already ended (${state.ending?.reason})`);
      },
    },
  );

  commonDecisions(decide, m, deadlines, record, () => undefined);

  if (input.carried) {
    deadlines.restore(input.carried.deadlines as CarriedDeadline[]);
  } else {
    record(
      'plan_started',
      `plan for ${input.childReference}${input.s47WorkflowId ? ` handed over by ${input.s47WorkflowId}` : ''}${input.transferIn ? ' (transfer-in)' : ''}`,
      input.startedBy?.id,
    );
    if (input.transferIn)
      await deadlines.open('cp-transfer-in-conference', input.transferIn.notifiedAt); // 004 WT ch.1 p.52
    else await beginPlan(input.icpcHeldAt!);
    // ⚠C-40: the review that ends the plan is held no later than the 18th birthday.
    if (input.childDateOfBirth) await deadlines.open('cp-age-18-review', input.childDateOfBirth);
  }
  ready = true;
  refresh();
  await started();

  // A plan runs for years: each review cycle (or the server's suggestion) continues as new,
  // carrying the whole story, so every run's history stays small.
  const ended = () => state.stage === 'ending' && deadlines.openIds().length === 0;
  const runOver = () => ended() || cycleComplete || workflowInfo().continueAsNewSuggested;
  // §4.5: the plan stops by itself at the 18th birthday (the end of that day).
  const adultAt =
    input.childDateOfBirth && state.stage !== 'ending' ? deadlines.find('cp-age-18-review')?.statutoryDueAt : undefined;
  if (adultAt && !(await condition(runOver, Math.max(1, Date.parse(adultAt) - Date.now())))) {
    await exclusive(async () => {
      if (state.stage !== 'ending') await endPlan('age_18', adultAt, SYSTEM_ACTOR, ['cp-discontinue-notify']);
    });
  }
  await condition(runOver);
  if (!ended()) {
    await settle(deadlines);
    record('cycle_continued', `review cycle ${state.cycle} complete: continued in a new run`);
    const carried: PlanCarried = {
      state: {
        ...state,
        cycle: state.cycle + 1,
        links: { ...state.links, previousRuns: [...state.links.previousRuns, workflowInfo().runId] },
      },
      deadlines: deadlines.snapshot(),
    };
    return continueAsNew<typeof childProtectionPlan>({ ...input, carried });
  }

  // Ended: once its last obligations (notices, CIN meeting, conference outputs) were done.
  state.stage = 'ended';
  state.status = 'closed';
  state.closedAt = nowIso();
  record('plan_ended', `plan ended (${state.ending?.reason}) and every remaining obligation met`);
  await settle(deadlines);
  return view();
}
