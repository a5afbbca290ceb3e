/**
 * The plan's casework (docs/deadlines.md §4.3, §4.4): core groups, visits in which the child is
 * seen, supervision, the 6-monthly statutory assessment, and the contingency plan when it is used.
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import type {
  AssessmentCompleted,
  ContingencyPlanUsed,
  CoreGroupHeld,
  Recorded,
  SupervisionRecorded,
  VisitRecorded,
} from '../../src/processes/child-protection-plan/schemas';
import { sendNotice } from '../deadline-tracker';
import { nowIso } from '../process-kit';
import type { Plan } from './plan';

/** National floors: visits at least every 10 WD, core groups at least every 4 weeks (003 QS 9.1, 13.14). */
export const VISIT_FLOOR_WD = 10;
export const CORE_GROUP_FLOOR_WEEKS = 4;
/** 003 QS 3.15: a statutory assessment every 6 months once the plan is over 3 months old. */
const ASSESSMENT_CLOCK = 'cp-assessment-6-monthly';
/** Introduced after plans were already running: histories recorded before it replay without the clock. */
const ASSESSMENT_PATCH = 'cp-assessment-6-monthly';
/** Later: the clock's first anchor is the last assessment when the start gives it (⚠C-20). */
const ASSESSMENT_ANCHOR_PATCH = 'cp-assessment-from-last-assessment';

export function visits({ p, input }: Plan) {
  const { state, deadlines, record } = p;
  /** The next occurrence counts from the last actual one (⚠C-11), at the plan's interval. */
  const nextVisit = (from: string) =>
    deadlines.open('cp-visit', from, { duration: { value: state.frequencies.visitWorkingDays, unit: 'working_days' } });
  const nextCoreGroup = (from: string) =>
    deadlines.open('cp-core-group', from, { duration: { value: state.frequencies.coreGroupWeeks, unit: 'weeks' } });

  /** A statutory assessment was completed: the 6-monthly clock restarts from it. */
  const assessmentCompleted = async (at: string, actor: string) => {
    if (!deadlines.isOpen(ASSESSMENT_CLOCK) && !patched(ASSESSMENT_PATCH)) return;
    deadlines.meet(ASSESSMENT_CLOCK, actor, at);
    await deadlines.open(ASSESSMENT_CLOCK, at);
  };

  return {
    /** The clocks that start with the plan: the first visit and the assessment clock. */
    async begin(conferenceAt: string) {
      await nextVisit(conferenceAt); // ⚠C-09: the first visit is due 10 WD from the plan's start
      // 6 months from the last completed assessment, the one updated for the conference (003 QS 3.15,
      // 3.16, ⚠C-20); without its date, the conference stands for it (as before ASSESSMENT_ANCHOR_PATCH).
      if (patched(ASSESSMENT_PATCH)) {
        const lastAssessmentAt =
          input.lastAssessmentAt && patched(ASSESSMENT_ANCHOR_PATCH) ? input.lastAssessmentAt : conferenceAt;
        await deadlines.open(ASSESSMENT_CLOCK, lastAssessmentAt);
      }
    },

    async coreGroupHeld({ actor, heldAt, visitIntervalWorkingDays, coreGroupIntervalWeeks }: Decision<CoreGroupHeld>) {
      const first = deadlines.isOpen('cp-first-core-group');
      deadlines.meet(first ? 'cp-first-core-group' : 'cp-core-group', actor.id, heldAt);
      if (visitIntervalWorkingDays) state.frequencies.visitWorkingDays = visitIntervalWorkingDays;
      if (coreGroupIntervalWeeks) state.frequencies.coreGroupWeeks = coreGroupIntervalWeeks;
      const { visitWorkingDays, coreGroupWeeks } = state.frequencies;
      record(
        'core_group_held',
        `${first ? 'first ' : ''}core group; visits every ${visitWorkingDays} WD, core groups every ${coreGroupWeeks} weeks`,
        actor.id,
      );
      await nextCoreGroup(heldAt);
    },

    async visitRecorded({ actor, visitedAt, childSeen, seenAlone }: Decision<VisitRecorded>) {
      if (!childSeen) {
        // A visit where the child was not seen does not count (003 QS 9.1); the manager is told (003 QS 7.5).
        record('visit_child_not_seen', 'visit made but the child was not seen: it does not count', actor.id);
        await sendNotice(
          p.context,
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

    async supervisionRecorded({ actor, at }: Decision<SupervisionRecorded>) {
      deadlines.meet('sup-cp', actor.id, at);
      record('supervision', 'supervision recorded', actor.id);
      await deadlines.open('sup-cp', at);
    },

    async assessmentCompleted({ actor, at }: Decision<AssessmentCompleted>) {
      await assessmentCompleted(at, actor.id);
      record('assessment_completed', 'statutory assessment completed', actor.id);
    },

    /** D2.4: recorded for the plan's story; the contingency actions themselves are the plan's (003 QS 13.11). */
    contingencyPlanUsed({ actor, at, reason }: Decision<ContingencyPlanUsed>) {
      state.contingencyPlanUsed = [...(state.contingencyPlanUsed ?? []), { at, by: actor.id, reason }];
      record(
        'contingency_plan_used',
        'contingency plan used: consider a strategy discussion or legal action',
        actor.id,
      );
    },

    /** Updating the assessment before a review meets the gate and is itself a completed assessment. */
    async assessmentUpdated({ actor, at }: Decision<Recorded>) {
      const when = at ?? nowIso();
      deadlines.meet('cp-rcpc-assessment-updated', actor.id, when);
      await assessmentCompleted(when, actor.id);
      record('cp-rcpc-assessment-updated', 'assessment updated before the review', actor.id);
    },
  };
}
