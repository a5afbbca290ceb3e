/**
 * Section 47 enquiry: from the contact to the initial child protection conference (statutory-rules §3).
 *
 * One workflow per contact, covering every child in it. The front door (screen, MASH decision and
 * a different manager's sign-off, referrer acknowledgement and feedback), the assessment clocks,
 * the strategy discussion chosen by urgency, the S47 decision and sign-off, and the ICPC with its
 * "before" deadlines that move with the conference. A `cp_plan` decision hands each child over to
 * a child protection plan workflow (process 2), linked both ways by id; then this workflow ends.
 */
import { condition, ParentClosePolicy, patched, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { NotificationContext } from '../../src/notifications';
import { SYSTEM_ACTOR, type Actor } from '../../src/process';
import type { PlanInput } from '../../src/processes/child-protection-plan/schemas';
import type {
  AssessmentAllocated,
  CheckpointReviewed,
  IcpcHeld,
  S47Input,
  S47Stage,
  S47State,
  Urgency,
} from '../../src/processes/s47-enquiry/schemas';
import { DeadlineTracker, sendNotice } from '../deadline-tracker';
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
import * as m from './messages';

/** D1.5: the strategy rule each urgency category runs (003 QS 11.1). */
const STRATEGY_RULES: Record<Urgency, string> = {
  standard: 'strategy-standard',
  serious_risk: 'strategy-serious-risk',
  penetrative_sexual_abuse: 'strategy-psa',
  immediate_action: 'strategy-immediate-action',
  staff_allegation: 'strategy-staff-allegation',
  complex: 'strategy-complex',
};
const STRATEGY_IDS = Object.values(STRATEGY_RULES);
/** Deadlines counted back from the scheduled ICPC; they move with it (§1.4 "before" rules). */
const ICPC_BEFORE = ['icpc-report-family', 'icpc-report-chair', 'icpc-chair-meets-parents', 'icpc-assessment-updated'];
const ICPC_RULES = ['icpc-held', 's47-icpc-request-confirm', ...ICPC_BEFORE];
const FRONT_DOOR_FINALISE = ['contact-finalise', 'contact-finalise-cp'];
/** Owed to others even when the enquiry ends: the referrer, the last team, the other authority (§3.6). */
const SURVIVE_CLOSURE = ['referrer-feedback', 'contact-13wk-notify', 'contact-other-la-notify'];

/**
 * Patches of commands after the first release; histories recorded before each replay without it.
 * - The statutory assessment starts with every S47 enquiry, not only on the assessment pathway,
 *   each child has their own `assessment-see-child`, and the 45 WD clock outlives the ICPC
 *   (⚠C-05; 003 QS 12.7, 3.3, 3.5).
 * - A `complex` classification tells L2 (D1.5, ⚠C-01).
 * - `contact-13wk-notify` counts from the MASH decision (§3.4), not from its sign-off.
 */
export const ASSESSMENT_PATCH = 's47-assessment-every-enquiry';
export const COMPLEX_NOTICE_PATCH = 's47-complex-notifies-l2';
export const THIRTEEN_WEEK_PATCH = 's47-13wk-from-mash-decision';
const ASSESSMENT_RULES = ['assessment-see-child', 'assessment-complete'];

/** The workflow type and id of process 2, started for each child with a plan. */
export const CHILD_PROTECTION_PLAN_WORKFLOW = 'childProtectionPlan';
export const planWorkflowId = (planId: string) => `cpp-${planId}`;

export async function s47Enquiry(input: S47Input): Promise<S47State> {
  const workflowId = workflowInfo().workflowId;
  const context: NotificationContext = {
    workflowId,
    process: 's47',
    caseReference: input.caseReference,
    people: input.people,
  };
  const state: Omit<S47State, 'deadlines'> = {
    process: 's47-enquiry',
    stage: 'contact_received',
    status: 'open',
    startedAt: input.receivedAt,
    case: {
      reference: input.caseReference,
      trigger: input.trigger,
      contactType: input.contactType,
      children: input.children.map((c) => c.reference),
    },
    planHandOvers: [],
    events: [],
  };
  const refresh = visibility(
    'Section 47 enquiry',
    () => state.stage,
    () => deadlines,
  );
  const deadlines = new DeadlineTracker(context, refresh);
  const { decide, started } = serialized();
  const view = (): S47State => ({ ...state, deadlines: deadlines.views() });
  const record = eventLog(state.events);
  /** Strategy discussions that concurred with cancelling an agreed ICPC (D1.7). */
  const concurringDiscussions = new Set<string>();
  let strategyAnchor = input.receivedAt;

  const setStage = (stage: S47Stage) => {
    state.stage = stage;
    refresh();
  };
  const requireStage = (allowed: S47Stage[], what: string) => {
    if (!allowed.includes(state.stage)) stageConflict(`${what} is not possible at stage ${state.stage}`);
  };
  const meetAny = (ids: string[], actor: string, at = nowIso()) => ids.forEach((id) => deadlines.meet(id, actor, at));
  const cancelAll = (ids: string[], actor: string, reason: string) =>
    ids.forEach((id) => deadlines.cancel(id, actor, reason));
  const openStrategy = () => STRATEGY_IDS.find((id) => deadlines.isOpen(id));

  /** §3.6: ending cancels every rule except what is still owed to others (referrer feedback above all). */
  const finish = (outcome: NonNullable<S47State['outcome']>, actor: string, reason: string) => {
    state.outcome = outcome;
    // §3.6: a recorded closure decision with its rationale counts as concluding the assessment.
    if (outcome !== 'icpc_held') deadlines.meet('assessment-complete', actor);
    // ⚠C-05: the conference does not end the statutory assessment; it runs to its own completion.
    const assessmentGoesOn =
      outcome === 'icpc_held' && ASSESSMENT_RULES.some((id) => deadlines.isOpen(id)) && patched(ASSESSMENT_PATCH);
    deadlines.cancelAll(actor, reason, assessmentGoesOn ? [...SURVIVE_CLOSURE, ...ASSESSMENT_RULES] : SURVIVE_CLOSURE);
    setStage('closed');
    record('closed', reason, actor);
  };

  /** The statutory assessment, counted from the contact (⚠C-02): a visit for each child, 45 WD in all. */
  const startAssessment = async () => {
    for (const child of state.case.children)
      await deadlines.open('assessment-see-child', input.receivedAt, { subject: child });
    await deadlines.open('assessment-complete', input.receivedAt);
  };

  /** Into STRATEGY_PENDING: the strategy clock runs from its anchor (⚠C-02). */
  const awaitStrategy = async (anchorAt: string, actor: string) => {
    strategyAnchor = anchorAt;
    if (!['s47_in_progress', 'icpc_pending'].includes(state.stage)) setStage('strategy_pending');
    if (!openStrategy()) {
      const urgency =
        state.urgency?.urgency ?? (input.trigger === 'staff_allegation' ? 'staff_allegation' : 'standard');
      await deadlines.open(STRATEGY_RULES[urgency], anchorAt);
      record('strategy_pending', `strategy discussion due (${STRATEGY_RULES[urgency]})`, actor);
    }
  };

  setHandler(m.getStateQuery, view);

  const meetsDeadline = deadlineEvents(decide, deadlines, record, view);
  meetsDeadline(m.referrerAcknowledgedUpdate, 'referral-ack-decision', 'receipt acknowledged to the referrer');
  meetsDeadline(m.referrerFeedbackUpdate, 'referrer-feedback', 'written feedback sent to the referrer');
  meetsDeadline(m.lastTeamNotifiedUpdate, 'contact-13wk-notify', 'the last team and manager notified (13-week rule)');
  meetsDeadline(
    m.otherAuthorityNotifiedUpdate,
    'contact-other-la-notify',
    'written notification sent to the other authority',
  );
  meetsDeadline(
    m.strategyRecordCirculatedUpdate,
    'strategy-record-circulate',
    'strategy record circulated to all invitees',
  );
  meetsDeadline(m.icpcRequestedUpdate, 'strategy-icpc-request', 'ICPC requested and invite list sent to the QA team');
  meetsDeadline(m.chairMetParentsUpdate, 'icpc-chair-meets-parents', 'the chair met the parents');
  meetsDeadline(m.reportSharedWithFamilyUpdate, 'icpc-report-family', 'report shared with the family');
  meetsDeadline(m.reportSentToChairUpdate, 'icpc-report-chair', 'report available to the chair');
  meetsDeadline(m.assessmentUpdatedUpdate, 'icpc-assessment-updated', 'assessment updated for the conference');

  decide(
    m.screenedUpdate,
    async ({ actor, significantHarmSuspected, immediateProtectionRequired }) => {
      deadlines.meet('contact-screen', actor.id);
      setStage('screened');
      record(
        'screened',
        `significant harm suspected: ${significantHarmSuspected}; immediate protection: ${immediateProtectionRequired}`,
        actor.id,
      );
      return view();
    },
    { validator: (_: unknown) => requireStage(['contact_received'], 'Screening') },
  );

  decide(
    m.mashDecisionUpdate,
    ({ actor, pathway, rationale }) => {
      state.mashDecision = { pathway, rationale, by: actor.id, at: nowIso() };
      setStage('awaiting_signoff');
      record('mash_decision', `pathway ${pathway}`, actor.id);
      return view();
    },
    { validator: (_: unknown) => requireStage(['contact_received', 'screened'], 'A MASH decision') },
  );

  decide(
    m.mashSignoffUpdate,
    async ({ actor }) => {
      const decision = state.mashDecision!;
      decision.signedOffBy = actor.id;
      meetAny(FRONT_DOOR_FINALISE, actor.id);
      record('mash_signoff', `pathway ${decision.pathway} signed off`, actor.id);
      switch (decision.pathway) {
        case 'acp_statutory_assessment':
          setStage('assessment');
          if (patched(ASSESSMENT_PATCH)) {
            await startAssessment();
          } else {
            await deadlines.open('assessment-see-child', input.receivedAt);
            await deadlines.open('assessment-complete', input.receivedAt);
          }
          break;
        case 'cp_strategy':
          await awaitStrategy(input.receivedAt, actor.id);
          break;
        case 'return_to_last_team':
          // ⚠C-34: the 13-week rule; the last team and manager are told at once.
          await deadlines.open('contact-13wk-notify', patched(THIRTEEN_WEEK_PATCH) ? decision.at : nowIso());
          finish('closed_at_front_door', actor.id, 'returned to the last team (13-week rule)');
          break;
        case 'other_la':
          // 003 QS 2.8: written notification to the other authority ([P] 24 h from receipt).
          if (!deadlines.find('contact-other-la-notify'))
            await deadlines.open('contact-other-la-notify', input.receivedAt);
          finish('closed_at_front_door', actor.id, `transferred to another authority: ${decision.rationale}`);
          break;
        default:
          finish('closed_at_front_door', actor.id, `MASH pathway ${decision.pathway}: ${decision.rationale}`);
      }
      return view();
    },
    {
      validator: ({ actor }) => {
        requireStage(['awaiting_signoff'], 'A sign-off');
        // 003 QS 2.12: the final decision is signed off by a *different* MASH manager.
        if (state.mashDecision?.by === actor.id)
          stageConflict('the MASH decision must be signed off by a different manager');
      },
    },
  );

  const requireVisitDue = (childReference: string) => {
    if (!state.case.children.includes(childReference))
      stageConflict(`${childReference} is not a child of this contact`);
    if (!deadlines.isOpen('assessment-see-child', childReference))
      stageConflict(`no statutory assessment visit is due for ${childReference}`);
  };

  decide(
    m.childSeenUpdate,
    ({ actor, childReference, seenAt, seenAlone }) => {
      deadlines.meet('assessment-see-child', actor.id, seenAt, childReference);
      record('child_seen', `${childReference} seen${seenAlone ? ' alone' : ''}`, actor.id);
      return view();
    },
    { validator: ({ childReference }) => requireVisitDue(childReference) },
  );

  // 003 QS 3.5: the visit is no longer owed once the line manager authorises the reasons it did not happen.
  decide(
    m.childNotSeenUpdate,
    ({ actor, childReference, reasons }) => {
      deadlines.cancel(
        'assessment-see-child',
        actor.id,
        `not seen; reasons authorised by the line manager: ${reasons}`,
        childReference,
      );
      record('child_not_seen', `${childReference} not seen: reasons authorised`, actor.id);
      return view();
    },
    { validator: ({ childReference }) => requireVisitDue(childReference) },
  );

  decide(
    m.assessmentCompletedUpdate,
    ({ actor, completedAt, outcome, exceededReason }) => {
      deadlines.meet('assessment-complete', actor.id, completedAt);
      deadlines.cancel('assessment-checkpoint', actor.id, 'assessment completed');
      const assessment = deadlines.find('assessment-complete')!;
      if (assessment.breached) deadlines.recordBreachReason('assessment-complete', actor.id, exceededReason!);
      record('assessment_completed', `outcome ${outcome}`, actor.id);
      if (state.stage === 'assessment' && outcome !== 's47')
        finish('closed', actor.id, `assessment completed: ${outcome}`);
      return view();
    },
    {
      validator: ({ completedAt, exceededReason }) => {
        const assessment = deadlines.find('assessment-complete');
        if (!assessment || !deadlines.isOpen('assessment-complete')) stageConflict('no statutory assessment is open');
        // [S] 004 WT ch.1 para 75: past 45 working days the social worker records the reasons.
        if (completedAt > assessment.dueAt && !exceededReason)
          stageConflict('the assessment exceeded 45 working days: exceededReason is required');
      },
    },
  );

  /** A checkpoint falls due at EOD on its date (a manager-set date: `assessment-checkpoint` has no duration of its own). */
  const openCheckpoint = (date: string) =>
    deadlines.open('assessment-checkpoint', date, { duration: { value: 0, unit: 'calendar_days' } });
  const assessmentLimit = () => deadlines.find('assessment-complete')?.dueAt.slice(0, 10) ?? '';

  decide(
    m.assessmentAllocatedUpdate,
    async ({ actor, visitTargetAt, checkpoints }) => {
      for (const date of [...checkpoints].sort()) await openCheckpoint(date);
      record('assessment_allocated', `visit by ${visitTargetAt}; checkpoints ${checkpoints.join(', ')}`, actor.id);
      return view();
    },
    {
      validator: ({ visitTargetAt, checkpoints }: AssessmentAllocated) => {
        requireStage(['assessment'], 'Allocating the assessment');
        const visit = deadlines.find('assessment-see-child');
        if (visit && visitTargetAt > visit.dueAt)
          stageConflict(`the visit target must be no later than assessment-see-child (${visit.dueAt})`);
        if (checkpoints.some((date) => date > assessmentLimit()))
          stageConflict(`checkpoints must be no later than assessment-complete (${assessmentLimit()})`);
      },
    },
  );

  decide(
    m.checkpointReviewedUpdate,
    async ({ actor, decision, nextCheckpoint, reason }) => {
      deadlines.meet('assessment-checkpoint', actor.id);
      record(
        'checkpoint',
        decision === 'complete'
          ? 'assessment ready for authorisation'
          : `extended to ${nextCheckpoint}${reason ? `: ${reason}` : ''}`,
        actor.id,
      );
      if (decision === 'extend') await openCheckpoint(nextCheckpoint!);
      return view();
    },
    {
      validator: ({ decision, nextCheckpoint, reason }: CheckpointReviewed) => {
        if (!deadlines.isOpen('assessment-checkpoint')) stageConflict('no assessment checkpoint is open');
        // D1.4: beyond 45 working days only with the reasons recorded (004 WT ch.1 para 75).
        if (decision === 'extend' && nextCheckpoint! > assessmentLimit() && !reason)
          stageConflict(`extending beyond ${assessmentLimit()} needs a reason`);
      },
    },
  );

  decide(
    m.concernIdentifiedUpdate,
    async ({ actor, identifiedAt }) => {
      record('concern_identified', 'reasonable cause to suspect significant harm', actor.id);
      await awaitStrategy(identifiedAt, actor.id);
      return view();
    },
    { validator: (_: unknown) => requireStage(['contact_received', 'assessment'], 'A concern on an open case') },
  );

  decide(
    m.emergencyActionUpdate,
    async ({ actor, takenAt, action }) => {
      record('emergency_action', `${action}: strategy discussion as soon as possible`, actor.id);
      await deadlines.open('strategy-post-emergency', takenAt);
      await awaitStrategy(takenAt, actor.id);
      return view();
    },
    {
      validator: (_: unknown) =>
        requireStage(
          ['contact_received', 'screened', 'awaiting_signoff', 'assessment', 'strategy_pending'],
          'Emergency action',
        ),
    },
  );

  decide(
    m.strategyUrgencyUpdate,
    async ({ actor, urgency, rationale }) => {
      const current = openStrategy()!;
      const target = STRATEGY_RULES[urgency];
      state.urgency = { urgency, by: actor.id, at: nowIso(), rationale };
      if (target === current) return view();
      const currentDue = deadlines.find(current)!.dueAt;
      const plan = await deadlines.preview(target, strategyAnchor);
      // A stricter category re-arms at once; `complex` replaces `standard` by design (⚠C-01); a
      // laxer change keeps the stricter clock already running.
      if (plan.dueAt < currentDue || urgency === 'complex') {
        deadlines.cancel(current, actor.id, `urgency set to ${urgency}`);
        await deadlines.open(target, strategyAnchor, { plan });
        record('strategy_urgency', `urgency ${urgency}: ${target} due ${plan.dueAt}`, actor.id);
        if (urgency === 'complex' && patched(COMPLEX_NOTICE_PATCH)) {
          await sendNotice(
            context,
            'strategy-complex.classified',
            'classification',
            { to: ['pgl'] },
            {
              type: 'message',
              subject: 'Strategy discussion classified as complex',
              text: `A manager classified the concerns in case ${input.caseReference} as complex: the strategy discussion is now due by ${plan.dueAt} (5 working days, 003 QS 11.1) instead of within 48 hours. Rationale: ${rationale}`,
            },
          );
        }
      } else {
        record('strategy_urgency', `urgency ${urgency}: the stricter ${current} (due ${currentDue}) stays`, actor.id);
      }
      return view();
    },
    {
      validator: ({ urgency }) => {
        requireStage(['strategy_pending'], 'Setting the strategy urgency');
        const current = openStrategy();
        if (!current) stageConflict('no strategy discussion is due');
        if (
          urgency === 'complex' &&
          (current !== 'strategy-standard' || deadlines.find(current)!.status !== 'pending')
        ) {
          stageConflict('complex may only replace a standard strategy deadline before it falls due (⚠C-01)');
        }
      },
    },
  );

  decide(
    m.strategyHeldUpdate,
    async ({
      actor,
      strategyId,
      heldAt,
      s47Initiated,
      enquiryType,
      icpcLikely,
      immediateActions,
      concursWithIcpcCancellation,
    }) => {
      meetAny([...STRATEGY_IDS, 'strategy-post-emergency'], actor.id, heldAt);
      record(
        'strategy_held',
        `${strategyId}: S47 ${s47Initiated ? `initiated (${enquiryType})` : 'not initiated'}${icpcLikely ? '; ICPC likely' : ''}`,
        actor.id,
      );
      if (concursWithIcpcCancellation) concurringDiscussions.add(strategyId);
      await deadlines.open('strategy-record-circulate', heldAt);
      if (icpcLikely) await deadlines.open('strategy-icpc-request', heldAt);
      for (const action of immediateActions) {
        await deadlines.open('strategy-action', heldAt, {
          dueOverride: action.dueAt,
          responsible: [action.ownerRole],
          label: action.action,
        });
      }
      if (s47Initiated && !state.s47) {
        // The first S47-initiating discussion anchors the S47 and ICPC clocks; later ones never reset them (⚠C-36).
        state.s47 = { anchorAt: heldAt, strategyId, enquiryType };
        state.icpc = { agreed: icpcLikely };
        setStage('s47_in_progress');
        for (const id of ['s47-decision', 's47-manager-signoff', 's47-icpc-request-confirm', 'icpc-held'])
          await deadlines.open(id, heldAt);
        // 003 QS 12.7: a statutory assessment starts with the enquiry, on whichever path it came (⚠C-05).
        if (!deadlines.find('assessment-complete') && patched(ASSESSMENT_PATCH)) await startAssessment();
      } else if (s47Initiated && icpcLikely && state.icpc) {
        state.icpc.agreed = true;
      } else if (!s47Initiated && !state.s47) {
        setStage('assessment'); // §3.3: back to the assessment when there is no S47
        if (!deadlines.find('assessment-complete')) finish('no_s47', actor.id, 'strategy discussion: no S47 enquiry');
      }
      return view();
    },
    {
      validator: (_: unknown) =>
        requireStage(['strategy_pending', 's47_in_progress', 'icpc_pending'], 'A strategy discussion'),
    },
  );

  decide(
    m.s47OutcomeUpdate,
    ({ actor, outcome, rationale }) => {
      deadlines.meet('s47-decision', actor.id);
      record('s47_outcome', `${outcome}: ${rationale}`, actor.id);
      if (outcome === 'substantiated_icpc') {
        state.icpc = { ...state.icpc, agreed: true };
        setStage('icpc_pending');
      } else {
        cancelAll(ICPC_RULES, actor.id, 'S47 not substantiated');
        // The manager's sign-off is still owed; the process ends once it is recorded.
        if (deadlines.isOpen('s47-manager-signoff')) state.outcome = 'not_substantiated';
        else finish('not_substantiated', actor.id, 'S47 not substantiated');
      }
      return view();
    },
    {
      validator: ({ outcome }) => {
        requireStage(['s47_in_progress'], 'An S47 outcome');
        // D1.7: once agencies agreed an ICPC, social care cannot drop it without a new concurring discussion.
        if (outcome === 'not_substantiated' && state.icpc?.agreed && concurringDiscussions.size === 0) {
          stageConflict(
            'agencies agreed an ICPC: record a new strategy discussion that concurs before deciding not to hold one (D1.7)',
          );
        }
      },
    },
  );

  decide(
    m.s47SignoffUpdate,
    ({ actor, at }) => {
      deadlines.meet('s47-manager-signoff', actor.id, at ?? nowIso());
      record('s47_signoff', 'S47 enquiry signed off', actor.id);
      if (state.outcome === 'not_substantiated')
        finish('not_substantiated', actor.id, 'S47 not substantiated and signed off');
      return view();
    },
    {
      validator: (_: unknown) => {
        if (!deadlines.isOpen('s47-manager-signoff')) stageConflict('no S47 sign-off is due');
      },
    },
  );

  decide(
    m.icpcRequestConfirmedUpdate,
    ({ actor, at }) => {
      meetAny(['s47-icpc-request-confirm', 'strategy-icpc-request'], actor.id, at ?? nowIso());
      record('icpc_request_confirmed', 'ICPC request confirmed and invite list sent', actor.id);
      return view();
    },
    {
      validator: (_: unknown) => {
        if (!deadlines.isOpen('s47-icpc-request-confirm')) stageConflict('no ICPC request confirmation is due');
      },
    },
  );

  const scheduleIcpc = async (actor: Actor, scheduledStart: string, reason?: string) => {
    const previous = state.icpc?.scheduledStart;
    state.icpc = { agreed: true, ...state.icpc, scheduledStart };
    for (const id of ICPC_BEFORE) {
      if (!previous) await deadlines.open(id, scheduledStart);
      else if (deadlines.isOpen(id)) await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason!);
    }
    record(
      previous ? 'icpc_rescheduled' : 'icpc_scheduled',
      `ICPC ${previous ? `moved from ${previous} to` : 'booked for'} ${scheduledStart}${reason ? `: ${reason}` : ''}`,
      actor.id,
    );
    return view();
  };

  decide(m.icpcScheduledUpdate, ({ actor, scheduledStart }) => scheduleIcpc(actor, scheduledStart), {
    validator: (_: unknown) => {
      requireStage(['s47_in_progress', 'icpc_pending'], 'Booking the ICPC');
      if (state.icpc?.scheduledStart) stageConflict('the ICPC is already booked: reschedule it with a reason');
    },
  });

  decide(m.icpcRescheduledUpdate, ({ actor, scheduledStart, reason }) => scheduleIcpc(actor, scheduledStart, reason), {
    validator: (_: unknown) => {
      requireStage(['s47_in_progress', 'icpc_pending'], 'Rescheduling the ICPC');
      if (!state.icpc?.scheduledStart) stageConflict('the ICPC has not been booked yet');
    },
  });

  decide(
    m.icpcCancelledUpdate,
    ({ actor, strategyId, reason }) => {
      finish(
        'not_substantiated',
        actor.id,
        `ICPC cancelled after concurring strategy discussion ${strategyId}: ${reason}`,
      );
      return view();
    },
    {
      validator: ({ strategyId }) => {
        requireStage(['s47_in_progress', 'icpc_pending'], 'Cancelling the ICPC');
        if (!concurringDiscussions.has(strategyId))
          stageConflict(
            `strategy discussion ${strategyId} is not a recorded discussion concurring with the cancellation (D1.7)`,
          );
      },
    },
  );

  decide(
    m.icpcHeldUpdate,
    async ({ actor, heldAt, decisions }) => {
      deadlines.meet('icpc-held', actor.id, heldAt);
      // §1.4: a gate failed at a safeguarding event does not block it; the exception is recorded.
      for (const id of ICPC_BEFORE.filter((g) => deadlines.isOpen(g))) {
        record('gate_exception', `${id} not met when the conference was held`, actor.id);
        deadlines.cancel(id, actor.id, 'conference held without it: exception recorded');
      }
      state.icpc = { agreed: true, ...state.icpc, heldAt, decisions };
      // The last completed statutory assessment: the one updated for the conference, or its completion.
      const assessedAt = ['icpc-assessment-updated', 'assessment-complete']
        .map((id) => deadlines.find(id))
        .filter((d) => d?.status === 'met')
        .map((d) => d!.metAt!)
        .sort()
        .at(-1);
      for (const decision of decisions.filter((d) => d.decision === 'cp_plan')) {
        const planWorkflow = planWorkflowId(decision.planId!);
        // D1.10: process 2 for this child. ABANDON: the plan outlives this enquiry by years.
        await startChild(CHILD_PROTECTION_PLAN_WORKFLOW, {
          workflowId: planWorkflow,
          args: [
            {
              planId: decision.planId!,
              caseReference: input.caseReference,
              childReference: decision.childReference,
              childDateOfBirth: decision.childDateOfBirth,
              icpcHeldAt: heldAt,
              lastAssessmentAt: assessedAt,
              s47WorkflowId: workflowId,
              people: input.people,
            } satisfies PlanInput,
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        state.planHandOvers.push({
          childReference: decision.childReference,
          planId: decision.planId!,
          workflowId: planWorkflow,
        });
        record('plan_handed_over', `${decision.childReference}: child protection plan ${planWorkflow}`, actor.id);
      }
      for (const decision of decisions.filter((d) => d.decision === 'no_plan')) {
        record('no_plan', `${decision.childReference}: no plan; child in need plan recommended`, actor.id);
      }
      finish('icpc_held', actor.id, 'initial child protection conference held');
      return view();
    },
    {
      validator: ({ decisions }: IcpcHeld) => {
        requireStage(['icpc_pending'], 'Recording the ICPC');
        const decided = decisions
          .map((d) => d.childReference)
          .sort()
          .join(',');
        if (decided !== [...state.case.children].sort().join(','))
          stageConflict('the conference decides for every child of the enquiry, once each');
      },
    },
  );

  decide(
    m.closeUpdate,
    ({ actor, reason }) => {
      finish('closed', actor.id, reason);
      return view();
    },
    {
      validator: (_: unknown) => {
        if (state.stage === 'closed') stageConflict('the enquiry is already closed');
      },
    },
  );

  commonDecisions(decide, m, deadlines, record, view);

  // The clocks each trigger starts (§3.1, §3.4).
  const raisedBy = input.raisedBy.id;
  record('started', `${input.trigger} received (${input.contactType}); ${input.children.length} child(ren)`, raisedBy);
  if (input.trigger === 'contact') {
    await deadlines.open('contact-screen', input.receivedAt);
    await deadlines.open(
      input.contactType === 'general' ? 'contact-finalise' : 'contact-finalise-cp',
      input.receivedAt,
    );
    await deadlines.open('referral-ack-decision', input.receivedAt);
    await deadlines.open('referrer-feedback', input.receivedAt);
    if (input.otherLocalAuthority) await deadlines.open('contact-other-la-notify', input.receivedAt);
  } else if (input.trigger === 'emergency') {
    await deadlines.open('strategy-post-emergency', input.receivedAt);
    await awaitStrategy(input.receivedAt, raisedBy);
  } else {
    await awaitStrategy(input.receivedAt, raisedBy);
  }
  refresh();
  await started();

  // Ends when closed and nothing more is owed (referrer feedback survives closure, §3.6).
  await condition(() => state.stage === 'closed' && deadlines.openIds().length === 0);
  state.status = 'closed';
  state.closedAt = nowIso();
  await settle(deadlines);
  record('completed', 'no obligations left open', SYSTEM_ACTOR);
  return view();
}
