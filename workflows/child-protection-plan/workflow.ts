/**
 * Child protection plan lifecycle (docs/deadlines.md §4), one workflow per child: from the initial
 * conference's decision (or a transfer-in and this authority's own conference), the conference
 * outputs, core groups, visits in which the child is seen, monthly supervision, the 6-monthly
 * assessment and review conferences, until the plan ends: discontinued at a review, or one of the
 * D2.5 endings (moved away once the receiving authority has held its conference, 18th birthday,
 * death, left the UK). It continues as new at each review cycle. The topics live beside it:
 * `conferences.ts`, `visits.ts`, `ending.ts`.
 *
 * The workflow type is `childProtectionPlan`: the Section 47 enquiry starts it by that name.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import type { PlanInput, PlanState } from '../../src/processes/child-protection-plan/schemas';
import { assignmentOf, SYSTEM_ACTOR } from '../../src/process';
import { createProcess, nowIso } from '../process-kit';
import { canBookReview, canMoveReview, conferences, outputOpen } from './conferences';
import { canEndByMove, canMove, ending, notEnded } from './ending';
import * as m from './messages';
import { whileActive, type Plan } from './plan';
import { CORE_GROUP_FLOOR_WEEKS, VISIT_FLOOR_WD, visits } from './visits';

export async function childProtectionPlan(input: PlanInput): Promise<PlanState> {
  const p = createProcess<PlanState>({
    title: 'Child protection plan',
    context: { process: 'cp-plan', caseReference: input.caseReference, people: input.people },
    state: input.carried?.state ?? {
      process: 'child-protection-plan',
      stage: input.transferIn ? 'transfer_in' : 'active',
      status: 'open',
      startedAt: input.icpcHeldAt ?? input.transferIn!.notifiedAt,
      case: { reference: input.caseReference, childReference: input.childReference, ...assignmentOf(input) },
      links: { s47WorkflowId: input.s47WorkflowId, previousRuns: [] },
      frequencies: { visitWorkingDays: VISIT_FLOOR_WD, coreGroupWeeks: CORE_GROUP_FLOOR_WEEKS },
      reviews: { held: 0 },
      cycle: 1,
      events: [],
    },
    messages: m,
    answers: 'nothing',
    carried: input.carried,
    stageText: (stage) => `: the plan is ${stage.replace('_', ' ')}`,
  });
  const { state, deadlines, record, decide } = p;
  const plan: Plan = { p, input, cycleComplete: false };
  const work = visits(plan);
  const ends = ending(plan);
  /** The plan begins at the conference that decided on it: every clock of §4.3 starts there. */
  const beginPlan = async (conferenceAt: string) => {
    await conference.begin(conferenceAt);
    await work.begin(conferenceAt);
  };
  const conference = conferences(plan, ends, beginPlan);
  const active = (what: string) => whileActive(p, what);

  decide(m.transferInConferenceHeldUpdate, conference.transferInConferenceHeld, (_: unknown) =>
    p.requireStage(['transfer_in'], 'Recording the transfer-in conference'),
  );
  decide(m.conferenceOutputUpdate, conference.conferenceOutput, outputOpen(p));
  decide(m.coreGroupHeldUpdate, work.coreGroupHeld, active('Recording a core group'));
  decide(m.visitRecordedUpdate, work.visitRecorded, active('Recording a visit'));
  decide(m.supervisionRecordedUpdate, work.supervisionRecorded, active('Recording supervision'));
  decide(m.assessmentCompletedUpdate, work.assessmentCompleted, active('Recording an assessment'));
  decide(m.contingencyPlanUsedUpdate, work.contingencyPlanUsed, active('Recording the contingency plan'));
  decide(m.assessmentUpdatedUpdate, work.assessmentUpdated, (_: unknown) =>
    p.requireOpen('cp-rcpc-assessment-updated'),
  );
  p.meets(m.reportSharedUpdate, 'cp-rcpc-report-share', 'report shared before the review conference');
  p.meets(m.chairMetFamilyUpdate, 'cp-rcpc-chair-meets-parents', 'the chair met the family before the review');
  p.meets(
    m.discontinuationNotifiedUpdate,
    'cp-discontinue-notify',
    'agencies invited to the ICPC told the plan has ended',
  );
  p.meets(m.cinPlanningMeetingHeldUpdate, 'cp-cin-after-plan', 'child in need planning meeting held');
  decide(m.reviewScheduledUpdate, conference.reviewScheduled, canBookReview(p));
  decide(m.reviewRescheduledUpdate, conference.reviewRescheduled, canMoveReview(p));
  decide(m.reviewHeldUpdate, conference.reviewHeld, active('Recording a review'));
  decide(m.childMovedUpdate, ends.childMoved, canMove(p));
  decide(m.receivingConferenceHeldUpdate, ends.receivingConferenceHeld, canEndByMove(p));
  decide(m.childDiedUpdate, ends.childDied, notEnded(p));
  decide(m.childLeftUkUpdate, ends.childLeftUk, notEnded(p));

  if (!input.carried) {
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
  await p.started();

  // A plan runs for years: each review cycle (or the server's suggestion) continues as new,
  // carrying the whole story, so every run's history stays small.
  const ended = () => state.stage === 'ending' && deadlines.openIds().length === 0;
  const runOver = () => ended() || plan.cycleComplete || workflowInfo().continueAsNewSuggested;
  // §4.5: the plan stops by itself at the 18th birthday (the end of that day).
  const adultAt =
    input.childDateOfBirth && state.stage !== 'ending' ? deadlines.find('cp-age-18-review')?.statutoryDueAt : undefined;
  if (adultAt && !(await condition(runOver, Math.max(1, Date.parse(adultAt) - Date.now())))) {
    await p.exclusive(async () => {
      if (state.stage !== 'ending') await ends.endPlan('age_18', adultAt, SYSTEM_ACTOR, ['cp-discontinue-notify']);
    });
  }
  await condition(runOver);
  if (!ended()) return p.continueAsNew(input);

  // Ended: once its last obligations (notices, CIN meeting, conference outputs) were done.
  state.stage = 'ended';
  state.status = 'closed';
  state.closedAt = nowIso();
  record('plan_ended', `plan ended (${state.ending?.reason}) and every remaining obligation met`);
  return p.complete();
}
