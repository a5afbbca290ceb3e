/**
 * Child protection plan lifecycle (statutory-rules §4), first part: from the initial conference's
 * decision, the conference outputs, the first and later core groups, visits in which the child is
 * seen, monthly supervision, and the first review conference's clock. Review conferences, the
 * endings and continue-as-new are not built yet (see README).
 *
 * The workflow type is `childProtectionPlan`: the Section 47 enquiry starts it by that name.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlanInput, PlanState } from '../src/cp-plan';
import type { NotificationContext } from '../src/notifications';
import { DeadlineTracker, sendNotice } from './deadlines';
import * as m from './child-protection-plan.messages';
import { eventLog, nowIso, stageConflict, visibility } from './process-kit';

/** National floors: visits at least every 10 WD, core groups at least every 4 weeks (003 QS 9.1, 13.14). */
const VISIT_FLOOR_WD = 10;
const CORE_GROUP_FLOOR_WEEKS = 4;

export async function childProtectionPlan(input: PlanInput): Promise<PlanState> {
  const context: NotificationContext = { workflowId: workflowInfo().workflowId, process: 'cp-plan', caseReference: input.caseReference, people: input.people };
  const state: Omit<PlanState, 'deadlines'> = {
    process: 'child-protection-plan',
    stage: 'active',
    status: 'open',
    startedAt: input.icpcHeldAt,
    case: { reference: input.caseReference, childReference: input.childReference },
    links: { s47WorkflowId: input.s47WorkflowId },
    frequencies: { visitWorkingDays: VISIT_FLOOR_WD, coreGroupWeeks: CORE_GROUP_FLOOR_WEEKS },
    events: [],
  };
  const refresh = visibility('Child protection plan', () => state.stage, () => deadlines);
  const deadlines = new DeadlineTracker(context, refresh);
  const view = (): PlanState => ({ ...state, deadlines: deadlines.views() });
  const record = eventLog(state.events);

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

  setHandler(m.breachReasonUpdate, ({ actor, deadlineId, reason }) => {
    deadlines.recordBreachReason(deadlineId, actor.id, reason);
    record('breach_reason', `reason recorded for ${deadlineId}`, actor.id);
    return view();
  });

  record('plan_started', `plan for ${input.childReference}${input.s47WorkflowId ? ` handed over by ${input.s47WorkflowId}` : ''}`, input.startedBy?.id);
  for (const output of ['cp-outcome-circulate', 'cp-outline-plan', 'cp-record-plan-circulate', 'cp-minutes-circulate', 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp']) {
    await deadlines.open(output, input.icpcHeldAt);
  }
  await nextVisit(input.icpcHeldAt); // ⚠C-09: the first visit is due 10 WD from the plan's start
  refresh();

  // Review conferences and the plan's endings come next; until then the plan stays open.
  await condition(() => false);
  return view();
}
