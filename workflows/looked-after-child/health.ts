/**
 * The recurring clocks of health and education (docs/deadlines.md §5.3, §5.4): the health
 * assessments (6-monthly under 5), dental checks, the Personal Education Plan's meetings, the
 * statutory assessment, and the case supervision that follows whether the child is also on a child
 * protection plan.
 */
import type { Decision } from '../../src/process';
import { underFive } from '../../src/processes/looked-after-child/cadence';
import type { CpPlanStatus, Occurred } from '../../src/processes/looked-after-child/schemas';
import type { Duration } from '../../src/rules';
import { stageConflict } from '../process-kit';
import { requireOpen, type Episode, type EpisodeProcess } from './episode';

const months = (value: number): Duration => ({ value, unit: 'months' });

export function health({ p, input }: Episode) {
  const { state, deadlines, record } = p;

  /** 003 QS 8.1: every 3 months (sup-standard); monthly while also on a child protection plan (sup-cp). */
  const openSupervision = (from: string) =>
    deadlines.open(state.onChildProtectionPlan ? 'sup-cp' : 'sup-standard', from);

  return {
    openSupervision,

    async statutoryAssessment({ actor, at }: Decision<Occurred>) {
      for (const id of ['lac-assessment-before', 'lac-assessment-before-return', 'lac-annual-assessment'])
        deadlines.meet(id, actor.id, at);
      record('statutory_assessment', 'statutory assessment completed; the next within 12 months', actor.id);
      await deadlines.open('lac-annual-assessment', at); // 12 months (003 QS 3.15)
    },

    async pepMeetingHeld({ actor, at }: Decision<Occurred>) {
      const first = deadlines.isOpen('lac-pep-meeting');
      deadlines.meet(first ? 'lac-pep-meeting' : 'lac-pep-review', actor.id, at);
      record('pep_meeting', `${first ? 'first ' : ''}PEP meeting held; reviewed within 12 months`, actor.id);
      await deadlines.open('lac-pep-review', at); // 12 months (003 QS 14.13, ⚠C-14)
    },

    async healthAssessment({ actor, at }: Decision<Occurred>) {
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

    async dentalCheck({ actor, at }: Decision<Occurred>) {
      deadlines.meet('lac-dental', actor.id, at);
      record('dental_check', 'dental check-up; the next within 6 months', actor.id);
      await deadlines.open('lac-dental', at); // 6 months (003 QS 14.12, ⚠C-16)
    },

    async supervisionRecorded({ actor, at }: Decision<Occurred>) {
      for (const id of ['sup-standard', 'sup-cp']) deadlines.meet(id, actor.id, at);
      state.lastSupervisionAt = at;
      record('supervision', 'case supervision recorded', actor.id);
      await openSupervision(at);
    },

    async cpPlanStatus({ actor, onPlan, at }: Decision<CpPlanStatus>) {
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
  };
}

/** Refuses a change of child protection plan status that changes nothing. */
export const canChangeCpPlan =
  (p: EpisodeProcess) =>
  ({ onPlan }: { onPlan: boolean }) => {
    requireOpen(p, 'Changing the child protection plan status');
    if (onPlan === p.state.onChildProtectionPlan)
      stageConflict(`the child is ${onPlan ? 'already' : 'not'} on a child protection plan`);
  };
