/**
 * Looked-after child review cycle (statutory-rules §5): one workflow per episode of care, from the
 * child becoming looked after (emergency, or planned with its pre-placement gates) to the day the
 * child stops being looked after. First days (notice, health, PEP, plans), reviews at 20 WD, 3 months
 * and then every 6 months with the deadlines counted back from each booked review, the IRO's records
 * and the manager's response, visits in which the child is seen at the cadence of the placement's
 * phase, and the recurring health, dental, PEP, assessment and supervision clocks. Continues as new
 * at each review cycle, carrying every deadline and the event log.
 *
 * The child's date of birth is used for the under-5 health cadence and the end at 18 only: it never
 * appears in ids, search attributes, notices, timer summaries or logs.
 *
 * The workflow type is `lookedAfterChild`.
 */
import { condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type {
  CeasingReason,
  LookedAfterCarried,
  LookedAfterInput,
  LookedAfterState,
} from '../../src/processes/looked-after-child/schemas';
import type { NotificationContext } from '../../src/notifications';
import { SYSTEM_ACTOR } from '../../src/process';
import type { Duration } from '../../src/rules';
import type { Role } from '../../src/roles';
import { DeadlineTracker, reachedAll, sendNotice, type CarriedDeadline } from '../deadline-tracker';
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

const months = (value: number): Duration => ({ value, unit: 'months' });
/** 003 QS 14.6: told at once that the child became looked after. */
const START_NOTIFIED: Role[] = ['qa_bstl', 'lac_health_team', 'virtual_school'];
/** Patch: the start email meets lac-notify-start (before it, someone had to record it). */
export const START_NOTICE_PATCH = 'lac-notify-start-met-by-email';
/** A gate is due at the event itself (§2.3 "before X"). */
const AT_EVENT: Duration = { value: 0, unit: 'hours' };

/** Counted back from a booked review; they move with it (§1.4; 003 QS 15.1, 15.2, 14.7). */
const REVIEW_BEFORE = [
  'lac-review-consultation',
  'lac-review-careplan-check',
  'lac-review-plans-qa',
  'lac-review-report',
];
/** Before the second review (003 QS 14.7, 14.17). */
const PERMANENCE = ['lac-permanence-meeting', 'lac-permanence-plan'];
/** Gates due at the next review, which move with it when it is booked. */
const AT_NEXT_REVIEW = [...PERMANENCE, 'lac-joint-visit-ssw'];
/** 20 days, and before the first review, whichever is earlier (⚠C-12). */
const BEFORE_FIRST_REVIEW = ['lac-health-initial', 'lac-pep-meeting'];
const VISIT_FIRST = ['lac-visit-first', 'lac-visit-care-order-home-first'];
const VISIT_CADENCE = [
  'lac-visit-weekly',
  'lac-visit-6-weekly',
  'lac-visit-3-monthly',
  'lac-visit-ico-reg24',
  'lac-visit-care-order-home',
  'lac-visit-adoption-monthly',
];
/** Placements with a supervising social worker: a joint visit each review interval (003 QS 9.1). */
const WITH_SSW = ['foster', 'connected_person_reg24_temporary', 'connected_person_approved'];

/** Review 1 at 20 WD, review 2 three months after it, then every 6 months (003 QS 15.3). */
const reviewRule = (held: number) => (held === 0 ? 'lac-review-1' : held === 1 ? 'lac-review-2' : 'lac-review-n');

/**
 * "YYYY-MM-DD" plus whole years (29 February becomes 28 February, as month arithmetic clamps in
 * §2.3). The same rule as `addYearsToDate` in src/processes/looked-after-child/schemas.ts, kept here so zod stays out of
 * the workflow bundle.
 */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  const year = Number(y) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return m === '02' && d === '29' && !leap ? `${year}-02-28` : `${year}-${m}-${d}`;
}

/**
 * Under 5 on the date of `at` (⚠C-19). The UTC date is used: in summer it is the day before the
 * London date for one hour before midnight, which can only pick the stricter 6-month cadence.
 */
const underFive = (dateOfBirth: string, at: string) => at.slice(0, 10) < addYears(dateOfBirth, 5);

export async function lookedAfterChild(input: LookedAfterInput): Promise<LookedAfterState> {
  const context: NotificationContext = {
    workflowId: workflowInfo().workflowId,
    process: 'lac',
    caseReference: input.caseReference,
    people: input.people,
  };
  const state: Omit<LookedAfterState, 'deadlines' | 'ready'> = input.carried?.state ?? {
    process: 'looked-after-child',
    stage: 'looked_after',
    status: 'open',
    startedAt: input.lacStartAt,
    case: {
      reference: input.caseReference,
      childReference: input.childReference,
      episodeId: input.episodeId,
      emergency: input.emergency,
      legalBasis: input.legalBasis,
    },
    placement: { ...input.placement, number: 1, reviewsHeldBefore: 0 },
    visits: {},
    reviews: { held: 0 },
    onChildProtectionPlan: input.onChildProtectionPlan,
    lastSupervisionAt: input.lastSupervisionAt ?? input.lacStartAt,
    permanence: {},
    overrides: [],
    cycle: 1,
    links: { previousRuns: [] },
    notices: [],
    events: [],
  };
  const refresh = visibility(
    'Looked-after child',
    () => state.stage,
    () => deadlines,
  );
  const deadlines = new DeadlineTracker(context, refresh);
  const { decide, exclusive, started } = serialized();
  /** False until the start (or the restored run) has armed its deadlines: the API's start answers after it. */
  let ready = false;
  const view = (): LookedAfterState => ({ ...state, ready, deadlines: deadlines.views() });
  const record = eventLog(state.events);
  /** The instant the child turns 18 (start of the day in Europe/London); set before any update is accepted. */
  let eighteenAt = input.carried?.eighteenAt ?? '';
  /** A review cycle ended: the next one starts in a new run (continue-as-new). */
  let cycleComplete = false;
  const schoolAge = input.education !== undefined; // ⚠C-14: the PEP rules apply to children of school age

  const requireOpen = (what: string) => {
    if (state.stage === 'ended') stageConflict(`${what} is not possible: the episode of care has ended`);
  };
  /** A plain email (no personal data: the case reference only), recorded in the state's notices. */
  const notify = async (key: string, recipients: Parameters<typeof sendNotice>[3], subject: string, text: string) => {
    const notice = await sendNotice(context, key, key.split('.')[0]!, recipients, { type: 'message', subject, text });
    state.notices.push(notice);
    return notice;
  };

  // ---- Placements and visits (§5.4, all 003 QS 9.1; ⚠C-17, ⚠C-18) ----

  const variant = (): 'standard' | 'ico_reg24' | 'care_order_home' | 'adoption' => {
    const { type, variantEnded } = state.placement;
    if (type === 'placed_with_parent_care_order') return 'care_order_home';
    if ((type === 'placed_with_parent_ico' || type === 'connected_person_reg24_temporary') && !variantEnded)
      return 'ico_reg24';
    return type === 'adoption' ? 'adoption' : 'standard';
  };

  /** The visiting rule in force after a visit at `at`: the placement's phase decides. */
  const cadenceAfter = (at: string): string => {
    const reviewed = state.reviews.held > 0;
    switch (variant()) {
      case 'care_order_home':
        return 'lac-visit-care-order-home'; // 42 CD until the child leaves care
      case 'ico_reg24':
        return reviewed ? 'lac-visit-ico-reg24' : 'lac-visit-weekly'; // 28 CD after the first review
      case 'adoption':
        // ⚠C-18: weekly until the first review held after the adoption placement, then monthly.
        return state.reviews.held > state.placement.reviewsHeldBefore
          ? 'lac-visit-adoption-monthly'
          : 'lac-visit-weekly';
      default: {
        if (!reviewed) return 'lac-visit-weekly'; // 7 CD until the first review
        // ⚠C-17: 3-monthly only once ratified long-term AND the placement's first year is over.
        const firstYearOver = addYears(state.placement.startAt.slice(0, 10), 1) <= at.slice(0, 10);
        return state.longTermRatifiedAt && firstYearOver ? 'lac-visit-3-monthly' : 'lac-visit-6-weekly';
      }
    }
  };

  /** A placement's first visit: within 5 WD; within a week of a care order at home; ICO/Reg 24 weekly from the start. */
  const startPlacementVisits = (from: string) => {
    switch (variant()) {
      case 'care_order_home':
        return deadlines.open('lac-visit-care-order-home-first', from);
      case 'ico_reg24':
        return deadlines.open('lac-visit-weekly', from);
      default:
        return deadlines.open('lac-visit-first', from); // every new placement too (⚠C-17)
    }
  };

  /** A phase change (§1.4): the open visiting deadline switches to the cadence now in force, counted from the last visit. */
  const rearmVisits = async (actor: string, why: string) => {
    const open = VISIT_CADENCE.find((id) => deadlines.isOpen(id));
    if (!open) return; // the placement's first visit is still awaited: the cadence is chosen when it happens
    const next = cadenceAfter(nowIso());
    if (next === open) return;
    const from = [state.visits.lastSeenAt ?? '', state.placement.startAt].sort().at(-1)!;
    deadlines.cancel(open, actor, `visiting cadence changed: ${why}`);
    await deadlines.open(next, from);
    record('visit_cadence', `${open} replaced by ${next}: ${why}`, actor);
  };

  // ---- Gates (§1.4) ----

  /**
   * A gate checked at the event it guards. Met: noted. Not met: the exception is recorded and the
   * obligation opens due at the event, so it is breached at once and stays open until done (§1.3
   * point 1); done late, it is met at once, breached.
   */
  const gate = async (
    id: string,
    eventAt: string,
    doneAt: string | undefined,
    what: string,
    actor = input.startedBy?.id,
  ) => {
    if (doneAt && doneAt <= eventAt) {
      record('gate_met', `${id} met before ${what}`, actor);
      return;
    }
    record('gate_exception', `${id} not met before ${what}${doneAt ? ` (done late, at ${doneAt})` : ''}`, actor);
    await deadlines.open(id, eventAt, { duration: AT_EVENT });
    if (doneAt) deadlines.meet(id, SYSTEM_ACTOR, doneAt);
  };

  /** 003 QS 14.5: before a planned placement; within 5 days of an emergency or unplanned one (⚠C-13). */
  const placementPlan = (planned: boolean, startAt: string, completedAt?: string, actor?: string) =>
    planned
      ? gate('lac-placement-plan', startAt, completedAt, 'the placement started', actor)
      : deadlines.open('lac-placement-plan', startAt);

  /** 003 QS 8.1: every 3 months (sup-standard); monthly while also on a child protection plan (sup-cp). */
  const openSupervision = (from: string) =>
    deadlines.open(state.onChildProtectionPlan ? 'sup-cp' : 'sup-standard', from);

  // ---- Reviews (§5.5) ----

  /** A booked or moved review carries the gates due at it; the 20-day health and PEP clocks fall due by review 1 at the latest (⚠C-12). */
  const anchorToReview = async (start: string, actor: string, reason: string) => {
    for (const id of AT_NEXT_REVIEW.filter((g) => deadlines.isOpen(g)))
      await deadlines.reschedule(id, { anchorAt: start }, actor, reason);
    if (state.reviews.held > 0) return;
    for (const id of BEFORE_FIRST_REVIEW.filter((g) => deadlines.isOpen(g))) {
      const twentyDays = await deadlines.preview(id, input.lacStartAt);
      const dueOverride = start < twentyDays.dueAt ? start : undefined;
      if ((dueOverride ?? twentyDays.dueAt) !== deadlines.find(id)!.dueAt) {
        await deadlines.reschedule(
          id,
          { dueOverride },
          actor,
          `${reason}: due by the first review at the latest (⚠C-12)`,
        );
      }
    }
  };

  // ---- Ending (§5.6 D3.7, §5.7) ----

  /** The gates still blocking the end: a review first (003 QS 15.8); an assessment before a return home (003 QS 3.15, 14.10). */
  const missingGates = (reason: CeasingReason) => {
    if (reason === 'died') return [];
    const needed =
      reason === 'return_home'
        ? ['lac-review-before-ceasing', 'lac-assessment-before-return']
        : ['lac-review-before-ceasing'];
    return needed.filter((g) => deadlines.find(g)?.status !== 'met' && !state.overrides.some((o) => o.gate === g));
  };

  /** Every recurrence stops: all open deadlines are cancelled and the workflow completes (§5.7). */
  const finish = async (reason: CeasingReason, at: string, actor: string) => {
    const withoutReview = reason !== 'died' && deadlines.find('lac-review-before-ceasing')?.status !== 'met';
    state.ending = { reason, at };
    deadlines.cancelAll(actor, `the child stopped being looked after (${reason})`);
    state.stage = 'ended';
    state.status = 'closed';
    state.closedAt = nowIso();
    record(
      'ceased',
      `the child stopped being looked after (${reason}) at ${at}; every recurring obligation stops`,
      actor,
    );
    refresh();
    if (withoutReview) {
      // §5.5 lac-review-before-ceasing: ceased without a review, the IRO, L1 and L2 are told.
      record(
        'gate_exception',
        'lac-review-before-ceasing: no review was held before the child stopped being looked after',
        actor,
      );
      await notify(
        'ceased-without-review',
        { to: ['iro'], cc: ['team_manager', 'pgl'] },
        'Child stopped being looked after without a review',
        `The episode of care ended (${reason}) at ${at} without a review held first (003 QS 15.8).`,
      );
    }
  };

  // ---- Handlers ----

  setHandler(m.getStateQuery, view);

  const meets = deadlineEvents<void>(decide, deadlines, record, () => undefined);
  meets(m.panelRatifiedUpdate, 'lac-panel-ratify', 'emergency admission discussed at the Care Panel');
  meets(m.kinshipExploredUpdate, 'lac-kinship-explored', 'kinship options explored');
  meets(m.carePlanCompletedUpdate, 'lac-care-plan', 'care plan completed');
  meets(m.placementPlanAuthorisedUpdate, 'lac-placement-plan', 'placement plan authorised, signed and distributed');
  meets(
    m.startNotifiedUpdate,
    'lac-notify-start',
    '"L" flag set; QA service, LAC health team and Virtual School notified',
  );
  meets(m.infoPackGivenUpdate, 'lac-info-pack', 'information pack given to the child');
  meets(m.pepInitiatedUpdate, 'lac-pep-initiate', 'Personal Education Plan started');
  meets(m.consultationSentUpdate, 'lac-review-consultation', 'consultation forms sent');
  meets(
    m.carePlanCheckedUpdate,
    'lac-review-careplan-check',
    'the IRO checked the care plan rests on an up-to-date assessment',
  );
  meets(m.plansQaUpdate, 'lac-review-plans-qa', 'PEP, health and pathway plans quality-assured');
  meets(m.reviewReportUpdate, 'lac-review-report', 'review report available to the child, family and IRO');
  meets(m.iroRecordIssuedUpdate, 'lac-iro-record', 'the IRO’s full record of the review issued');
  meets(m.midpointHeldUpdate, 'lac-midpoint-review', 'mid-point review held');

  decide(
    m.statutoryAssessmentUpdate,
    async ({ actor, at }) => {
      for (const id of ['lac-assessment-before', 'lac-assessment-before-return', 'lac-annual-assessment'])
        deadlines.meet(id, actor.id, at);
      record('statutory_assessment', 'statutory assessment completed; the next within 12 months', actor.id);
      await deadlines.open('lac-annual-assessment', at); // 12 months (003 QS 3.15)
    },
    { validator: (_: unknown) => requireOpen('Recording an assessment') },
  );

  decide(
    m.pepMeetingHeldUpdate,
    async ({ actor, at }) => {
      const first = deadlines.isOpen('lac-pep-meeting');
      deadlines.meet(first ? 'lac-pep-meeting' : 'lac-pep-review', actor.id, at);
      record('pep_meeting', `${first ? 'first ' : ''}PEP meeting held; reviewed within 12 months`, actor.id);
      await deadlines.open('lac-pep-review', at); // 12 months (003 QS 14.13, ⚠C-14)
    },
    { validator: (_: unknown) => requireOpen('Recording a PEP meeting') },
  );

  decide(
    m.healthAssessmentUpdate,
    async ({ actor, at }) => {
      const initial = deadlines.isOpen('lac-health-initial');
      deadlines.meet(initial ? 'lac-health-initial' : 'lac-health-review', actor.id, at);
      // 12 months; 6 if the child is under 5 on the date of this assessment (003 QS 14.11, ⚠C-19).
      state.healthReviewMonths = underFive(input.childDateOfBirth, at) ? 6 : 12;
      record(
        'health_assessment',
        `${initial ? 'initial ' : ''}health assessment; reviewed within ${state.healthReviewMonths} months`,
        actor.id,
      );
      await deadlines.open('lac-health-review', at, { duration: months(state.healthReviewMonths) });
    },
    { validator: (_: unknown) => requireOpen('Recording a health assessment') },
  );

  decide(
    m.dentalCheckUpdate,
    async ({ actor, at }) => {
      deadlines.meet('lac-dental', actor.id, at);
      record('dental_check', 'dental check-up; the next within 6 months', actor.id);
      await deadlines.open('lac-dental', at); // 6 months (003 QS 14.12, ⚠C-16)
    },
    { validator: (_: unknown) => requireOpen('Recording a dental check') },
  );

  decide(
    m.supervisionRecordedUpdate,
    async ({ actor, at }) => {
      for (const id of ['sup-standard', 'sup-cp']) deadlines.meet(id, actor.id, at);
      state.lastSupervisionAt = at;
      record('supervision', 'case supervision recorded', actor.id);
      await openSupervision(at);
    },
    { validator: (_: unknown) => requireOpen('Recording supervision') },
  );

  decide(
    m.cpPlanStatusUpdate,
    async ({ actor, onPlan, at }) => {
      state.onChildProtectionPlan = onPlan;
      deadlines.cancel(
        onPlan ? 'sup-standard' : 'sup-cp',
        actor.id,
        onPlan
          ? 'child protection plan started: supervision is monthly'
          : 'child protection plan ended: supervision is 3-monthly',
      );
      // §9: monthly from the plan's start; back to 3-monthly from the last supervision when it ends (003 QS 8.1).
      await openSupervision(onPlan ? at : state.lastSupervisionAt);
      record(
        'cp_plan_status',
        onPlan
          ? 'also on a child protection plan: monthly supervision'
          : 'child protection plan ended: 3-monthly supervision',
        actor.id,
      );
    },
    {
      validator: ({ onPlan }: { onPlan: boolean }) => {
        requireOpen('Changing the child protection plan status');
        if (onPlan === state.onChildProtectionPlan)
          stageConflict(`the child is ${onPlan ? 'already' : 'not'} on a child protection plan`);
      },
    },
  );

  decide(
    m.visitRecordedUpdate,
    async ({ actor, visitedAt, childSeen, seenAlone, jointWithSsw }) => {
      if (!childSeen) {
        // A visit where the child was not seen does not count (003 QS 9.1); the manager is told and the IRO copied (003 QS 7.5).
        record('visit_child_not_seen', 'visit made but the child was not seen: it does not count', actor.id);
        await notify(
          `visit-not-seen.${state.events.length}`,
          { to: ['team_manager'], cc: ['iro'] },
          'Child not seen at a looked-after child visit',
          `A visit at ${visitedAt} did not see the child. The visiting deadline stays open and escalates until the child is seen (003 QS 7.5, 9.1).`,
        );
        return;
      }
      if (visitedAt < state.placement.startAt) {
        // Recorded late, from an earlier placement: it cannot count as this placement's visit.
        record('visit', 'child seen, before the current placement started: no visiting deadline affected', actor.id);
        return;
      }
      for (const id of [...VISIT_FIRST, ...VISIT_CADENCE]) deadlines.meet(id, actor.id, visitedAt);
      if (jointWithSsw) deadlines.meet('lac-joint-visit-ssw', actor.id, visitedAt);
      if (!state.visits.lastSeenAt || visitedAt > state.visits.lastSeenAt) state.visits.lastSeenAt = visitedAt;
      const next = cadenceAfter(visitedAt);
      record(
        'visit',
        `child seen${seenAlone ? ' alone' : ''}${jointWithSsw ? ', jointly with the supervising social worker' : ''}; next visit ${next}`,
        actor.id,
      );
      await deadlines.open(next, visitedAt); // from the last actual visit (⚠C-11)
    },
    { validator: (_: unknown) => requireOpen('Recording a visit') },
  );

  decide(
    m.placementChangedUpdate,
    async ({ actor, placementId, type, startAt, planned, placementPlanCompletedAt }) => {
      // D3.8: the new placement gets its own first visit and placement plan; the review cycle is not reset.
      for (const id of [...VISIT_FIRST, ...VISIT_CADENCE, 'lac-placement-plan'])
        deadlines.cancel(id, actor.id, 'a new placement started');
      state.placement = {
        placementId,
        type,
        startAt,
        number: state.placement.number + 1,
        reviewsHeldBefore: state.reviews.held,
      };
      record(
        'placement_changed',
        `placement ${state.placement.number} (${type}, ${planned ? 'planned' : 'unplanned'}); the review cycle continues`,
        actor.id,
      );
      await startPlacementVisits(startAt);
      await placementPlan(planned, startAt, placementPlanCompletedAt, actor.id);
    },
    { validator: (_: unknown) => requireOpen('A placement change') },
  );

  decide(
    m.longTermRatifiedUpdate,
    async ({ actor, at }) => {
      state.longTermRatifiedAt = at;
      record(
        'long_term_ratified',
        'placement ratified long-term: 3-monthly visits once its first year is over',
        actor.id,
      );
      await rearmVisits(actor.id, 'placement ratified long-term'); // D3.5
    },
    { validator: (_: unknown) => requireOpen('Ratifying the placement') },
  );

  decide(
    m.icoReg24EndedUpdate,
    async ({ actor, reason }) => {
      state.placement.variantEnded = reason;
      record('visit_variant_ended', `${reason}: the standard visiting rules apply (⚠C-18)`, actor.id);
      await rearmVisits(actor.id, reason);
    },
    {
      validator: (_: unknown) => {
        requireOpen('Ending the ICO/Reg 24 visiting');
        if (variant() !== 'ico_reg24') stageConflict('the placement is not visited under the ICO/Reg 24 rules');
      },
    },
  );

  decide(
    m.careOrderAtHomeUpdate,
    async ({ actor, at }) => {
      for (const id of [...VISIT_FIRST, ...VISIT_CADENCE])
        deadlines.cancel(id, actor.id, 'care order made with the child placed with parents');
      state.placement.type = 'placed_with_parent_care_order';
      record(
        'care_order_at_home',
        'care order made, child placed with parents: a visit within a week, then 6-weekly',
        actor.id,
      );
      await deadlines.open('lac-visit-care-order-home-first', at);
    },
    { validator: (_: unknown) => requireOpen('Recording a care order') },
  );

  decide(
    m.reviewScheduledUpdate,
    async ({ actor, scheduledStart }) => {
      state.reviews.scheduledStart = scheduledStart;
      for (const id of REVIEW_BEFORE) await deadlines.open(id, scheduledStart);
      await anchorToReview(scheduledStart, actor.id, 'review booked');
      record('review_scheduled', `review ${state.reviews.held + 1} booked for ${scheduledStart}`, actor.id);
    },
    {
      validator: (_: unknown) => {
        requireOpen('Booking a review');
        if (state.reviews.scheduledStart) stageConflict('a review is already booked: reschedule it with a reason');
      },
    },
  );

  decide(
    m.reviewRescheduledUpdate,
    async ({ actor, scheduledStart, reason }) => {
      const previous = state.reviews.scheduledStart;
      state.reviews.scheduledStart = scheduledStart;
      // §1.4: the "before" deadlines move with the review; one moved into the past breaches at once.
      for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g)))
        await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason);
      await anchorToReview(scheduledStart, actor.id, reason);
      record('review_rescheduled', `review moved from ${previous} to ${scheduledStart}: ${reason}`, actor.id);
    },
    {
      validator: (_: unknown) => {
        requireOpen('Rescheduling a review');
        if (!state.reviews.scheduledStart) stageConflict('no review is booked');
      },
    },
  );

  decide(
    m.reviewHeldUpdate,
    async ({ actor, heldAt }) => {
      const number = state.reviews.held + 1;
      deadlines.meet(reviewRule(state.reviews.held), actor.id, heldAt);
      // §1.4: a gate not met does not stop the review; the exception is recorded. What only mattered
      // before this review is closed; the permanence plan is still owed, so it stays open.
      for (const id of [...REVIEW_BEFORE, 'lac-joint-visit-ssw'].filter((g) => deadlines.isOpen(g))) {
        record('gate_exception', `${id} not met when review ${number} was held`, actor.id);
        deadlines.cancel(id, actor.id, `review ${number} held without it: exception recorded`);
      }
      for (const id of PERMANENCE.filter((g) => number === 2 && deadlines.isOpen(g)))
        record('gate_exception', `${id} not met by review 2: it stays open`, actor.id);
      if (deadlines.isOpen('lac-review-before-ceasing')) deadlines.meet('lac-review-before-ceasing', actor.id, heldAt); // 003 QS 15.8
      state.reviews = { held: number, lastHeldAt: heldAt };
      record('review_held', `review ${number} held`, actor.id);
      await deadlines.open('lac-iro-recommendations', heldAt); // 5 WD (003 QS 15.7)
      await deadlines.open('lac-iro-record', heldAt); // 20 WD (003 QS 15.7)
      const next = await deadlines.open(reviewRule(number), heldAt);
      if (number === 1) {
        // Between the first and second reviews (003 QS 14.7, 14.17), unless already done.
        if (!state.permanence.meetingHeldAt) await deadlines.open('lac-permanence-meeting', next.dueAt);
        if (!state.permanence.planAgreedAt) await deadlines.open('lac-permanence-plan', next.dueAt);
      }
      // At least one joint visit with the SSW between six-monthly reviews, from review 2 (003 QS 9.1).
      if (number >= 2 && WITH_SSW.includes(state.placement.type))
        await deadlines.open('lac-joint-visit-ssw', next.dueAt);
      await rearmVisits(actor.id, `review ${number} held`);
      cycleComplete = true;
    },
    { validator: (_: unknown) => requireOpen('Recording a review') },
  );

  decide(
    m.recommendationsIssuedUpdate,
    async ({ actor, at }) => {
      deadlines.meet('lac-iro-recommendations', actor.id, at);
      record('iro_recommendations', 'the IRO’s recommendations issued to the manager', actor.id);
      await deadlines.open('lac-manager-recs-response', at); // 5 WD from receipt (003 QS 15.7)
    },
    {
      validator: (_: unknown) => {
        if (!deadlines.isOpen('lac-iro-recommendations'))
          stageConflict('lac-iro-recommendations is not open: no review awaits them');
      },
    },
  );

  decide(
    m.managerResponseUpdate,
    async ({ actor, agreed, attendeesAdvisedAt }) => {
      deadlines.meet('lac-manager-recs-response', actor.id);
      if (agreed) {
        record('recommendations_agreed', 'the manager agreed the IRO’s recommendations: they become actions', actor.id);
      } else {
        // D3.3: the manager advises those present at the review (003 QS 15.7); the IRO is told ([P]).
        record(
          'recommendations_disagreed',
          `the manager disagreed with the IRO’s recommendations; those present at the review were advised at ${attendeesAdvisedAt}`,
          actor.id,
        );
        await notify(
          `recommendations-disagreed.${state.reviews.held}`,
          { to: ['iro'], cc: ['iro_manager'] },
          'Manager disagrees with the IRO’s recommendations',
          `The manager did not agree the recommendations of review ${state.reviews.held}. Those present at the review were advised at ${attendeesAdvisedAt} (003 QS 15.7).`,
        );
      }
    },
    {
      validator: ({ agreed, attendeesAdvisedAt }: { agreed: boolean; attendeesAdvisedAt?: string }) => {
        if (!deadlines.isOpen('lac-manager-recs-response'))
          stageConflict('lac-manager-recs-response is not open: no recommendations await a response');
        if (!agreed && !attendeesAdvisedAt)
          stageConflict(
            'a manager who disagrees must record when those present at the review were advised (003 QS 15.7)',
          );
      },
    },
  );

  decide(
    m.midpointRequestedUpdate,
    async ({ actor, at }) => {
      // [P] within 10 WD of the request, and no later than halfway between the last review and the next one due (003 QS 15.4).
      const tenDays = await deadlines.preview('lac-midpoint-review', at);
      const nextDue = deadlines.find(reviewRule(state.reviews.held))!.dueAt;
      const halfway = new Date(
        (Date.parse(state.reviews.lastHeldAt ?? input.lacStartAt) + Date.parse(nextDue)) / 2,
      ).toISOString();
      await deadlines.open(
        'lac-midpoint-review',
        at,
        halfway > at && halfway < tenDays.dueAt ? { dueOverride: halfway } : { plan: tenDays },
      );
      record('midpoint_requested', 'the IRO asked for a mid-point review (concern about drift)', actor.id);
    },
    {
      validator: (_: unknown) => {
        requireOpen('Requesting a mid-point review');
        if (deadlines.isOpen('lac-midpoint-review')) stageConflict('a mid-point review is already requested');
      },
    },
  );

  decide(
    m.permanenceMeetingUpdate,
    ({ actor, at }) => {
      state.permanence.meetingHeldAt = at ?? nowIso();
      deadlines.meet('lac-permanence-meeting', actor.id, state.permanence.meetingHeldAt);
      record('permanence_meeting', 'permanence planning meeting held', actor.id);
    },
    { validator: (_: unknown) => requireOpen('Recording a permanence planning meeting') },
  );

  decide(
    m.permanencePlanUpdate,
    ({ actor, at, route }) => {
      state.permanence = { ...state.permanence, planAgreedAt: at ?? nowIso(), route };
      deadlines.meet('lac-permanence-plan', actor.id, state.permanence.planAgreedAt);
      record('permanence_plan', `permanence plan agreed: ${route}`, actor.id);
    },
    { validator: (_: unknown) => requireOpen('Recording the permanence plan') },
  );

  decide(
    m.ceasingProposedUpdate,
    async ({ actor, reason, proposedFor }) => {
      state.ceasing = { reason, proposedFor, by: actor.id };
      state.stage = 'ceasing_proposed';
      // A review before the decision (003 QS 15.8); an assessment before a return home (003 QS 3.15, 14.10).
      await deadlines.open('lac-review-before-ceasing', proposedFor);
      if (reason === 'return_home') await deadlines.open('lac-assessment-before-return', proposedFor);
      record('ceasing_proposed', `the child is to stop being looked after (${reason}) at ${proposedFor}`, actor.id);
      refresh();
    },
    {
      validator: ({ reason, proposedFor }: { reason: string; proposedFor: string }) => {
        if (state.stage !== 'looked_after')
          stageConflict(`the end of the episode cannot be proposed: the episode is ${state.stage}`);
        if (reason === 'age_18' && proposedFor < eighteenAt) stageConflict('the child is not 18 on that date');
      },
    },
  );

  decide(
    m.ceasingOverrideUpdate,
    ({ actor, gate: id, reason }) => {
      deadlines.cancel(id, actor.id, `manager override: ${reason}`);
      state.overrides.push({ gate: id, reason, by: actor.id, at: nowIso() });
      record('gate_override', `${id} overridden by a manager: ${reason}`, actor.id);
    },
    {
      validator: ({ gate: id }: { gate: string }) => {
        if (!deadlines.isOpen(id))
          stageConflict(
            `${id} is not open: the ending must be proposed first, and a gate already met needs no override`,
          );
      },
    },
  );

  decide(
    m.ceasedUpdate,
    async ({ actor, at, reason }) => {
      await finish(reason, at, actor.id);
    },
    {
      validator: ({ at, reason }: { at: string; reason: CeasingReason }) => {
        requireOpen('Recording the end of the episode');
        if (reason === 'age_18' && at < eighteenAt) stageConflict('the child is not yet 18 on that date');
        const missing = missingGates(reason);
        if (missing.length > 0) {
          const hint = state.ceasing ? '' : ' Propose the ending first (ceasing-proposed).';
          stageConflict(
            `the child cannot stop being looked after yet: ${missing.join(' and ')} not met and not overridden by a manager (003 QS 15.8${reason === 'return_home' ? ', 3.15, 14.10' : ''}).${hint}`,
          );
        }
      },
    },
  );

  commonDecisions(decide, m, deadlines, record, () => undefined);

  // ---- Start, or resume the next review cycle ----

  if (input.carried) {
    deadlines.restore(input.carried.deadlines as CarriedDeadline[]);
  } else {
    const { lacStartAt, placement } = input;
    // The start of the 18th birthday in London, computed by the calendar activity (recorded in history).
    eighteenAt = (await deadlines.preview('lac-review-before-ceasing', addYears(input.childDateOfBirth, 18))).dueAt;
    record(
      'became_looked_after',
      `${input.emergency ? 'emergency' : 'planned'} admission (${input.legalBasis}), placement ${placement.placementId} (${placement.type})`,
      input.startedBy?.id,
    );
    if (input.emergency) {
      // 003 QS 14.1: the Director's approval beforehand, then the next Care Panel.
      await gate('lac-approval', lacStartAt, input.approval.at, 'the child became looked after');
      const panel = await deadlines.preview('lac-panel-ratify', input.approval.nextCarePanelDate!, {
        duration: { value: 0, unit: 'calendar_days' },
      });
      await deadlines.open('lac-panel-ratify', lacStartAt, { dueOverride: panel.dueAt }); // by the panel's date, at EOD
      await deadlines.open('lac-assessment-before', lacStartAt); // ⚠C-41 [P]: 10 WD
      await deadlines.open('lac-care-plan', lacStartAt); // 10 WD (003 QS 14.7)
      await placementPlan(false, placement.startAt); // 5 CD (003 QS 14.5, ⚠C-13)
      if (schoolAge) await deadlines.open('lac-pep-initiate', lacStartAt); // 10 CD (003 QS 14.13, ⚠C-14)
    } else {
      // Planned: the pre-placement gates (003 QS 14.1, 14.3, 14.5, 14.7, 14.13, 3.15).
      const before = 'the child became looked after';
      const gates = input.preAdmission;
      if (input.approval.by !== 'care_panel')
        record(
          'gate_exception',
          'lac-approval: a planned admission is approved by the Care Panel (003 QS 14.1)',
          input.startedBy?.id,
        );
      await gate('lac-approval', lacStartAt, input.approval.at, before);
      await gate('lac-kinship-explored', lacStartAt, gates.kinshipOptionsExplored ? lacStartAt : undefined, before);
      await gate('lac-assessment-before', lacStartAt, gates.statutoryAssessmentCompletedAt, before);
      await gate('lac-care-plan', lacStartAt, gates.carePlanCompletedAt, before);
      await placementPlan(true, placement.startAt, gates.placementPlanCompletedAt);
      if (schoolAge) await gate('lac-pep-initiate', lacStartAt, gates.pepInitiatedAt, before);
      if (gates.statutoryAssessmentCompletedAt)
        await deadlines.open('lac-annual-assessment', gates.statutoryAssessmentCompletedAt); // 12 months (003 QS 3.15)
    }
    await deadlines.open('lac-notify-start', lacStartAt); // 24 h elapsed, hours_mode locked (003 QS 14.6, §2.4)
    await deadlines.open('lac-review-1', lacStartAt); // 20 WD (003 QS 15.3)
    await deadlines.open('lac-health-initial', lacStartAt); // 20 CD and before review 1 (003 QS 14.11, ⚠C-12)
    if (schoolAge) await deadlines.open('lac-pep-meeting', lacStartAt); // 20 CD and before review 1 (003 QS 14.13)
    await deadlines.open('lac-dental', input.lastDentalCheckAt ?? lacStartAt); // 6 months (003 QS 14.12, ⚠C-16)
    await openSupervision(state.lastSupervisionAt);
    const firstVisit = await startPlacementVisits(placement.startAt);
    await deadlines.open('lac-info-pack', lacStartAt, { dueOverride: firstVisit.dueAt }); // [P] at the first visit (003 QS 14.4)
    // 003 QS 14.6: the QA service, the LAC health team and the Virtual School are told at once.
    const startNotice = await notify(
      'lac-start',
      { to: START_NOTIFIED },
      'A child has become looked after',
      [
        `The child in this case became looked after at ${lacStartAt} (UTC): ${input.emergency ? 'an emergency' : 'a planned'} admission, legal basis ${input.legalBasis}, episode ${input.episodeId}.`,
        'QA service: book the first review (due within 20 working days, 003 QS 15.3).',
        'LAC health team: the initial health assessment is due within 20 days (003 QS 14.11).',
        'Virtual School: the Personal Education Plan is due within 10 days and its meeting within 20 days, for a child of school age (003 QS 14.13).',
      ].join(' '),
    );
    // The service's own email is the notification: it meets lac-notify-start once all three have it.
    if (reachedAll(startNotice, START_NOTIFIED) && patched(START_NOTICE_PATCH))
      deadlines.meet('lac-notify-start', SYSTEM_ACTOR, startNotice.at);
  }
  ready = true;
  refresh();
  await started();

  // An episode runs for years: each review cycle (or the server's suggestion) continues as new,
  // carrying the whole story, so every run's history stays small. At 18 the episode ends by law.
  const proceed = () => state.stage === 'ended' || cycleComplete || workflowInfo().continueAsNewSuggested;
  const untilEighteen = Date.parse(eighteenAt) - Date.now();
  if (untilEighteen > 0)
    await condition(proceed, untilEighteen, { summary: 'the episode ends when the child turns 18' });
  if (!proceed()) {
    await settle(deadlines);
    await exclusive(async () => {
      if (state.stage !== 'ended') await finish('age_18', eighteenAt, SYSTEM_ACTOR);
    });
  }
  if (state.stage !== 'ended') {
    await settle(deadlines);
    record('cycle_continued', `review cycle ${state.cycle} complete: continued in a new run`);
    const carried: LookedAfterCarried = {
      state: {
        ...state,
        cycle: state.cycle + 1,
        links: { previousRuns: [...state.links.previousRuns, workflowInfo().runId] },
      },
      deadlines: deadlines.snapshot(),
      eighteenAt,
    };
    return continueAsNew<typeof lookedAfterChild>({ ...input, carried });
  }
  await settle(deadlines);
  return view();
}
