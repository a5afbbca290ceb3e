/**
 * The plan's conferences (docs/deadlines.md §4.3, §4.4): the outputs after each one, the review
 * conferences booked, moved and held with the gates counted back from them, and this authority's
 * own conference on a child who moved here.
 */
import type { Decision } from '../../src/process';
import type {
  ConferenceOutput,
  ReviewHeld,
  ReviewScheduled,
  TransferInConference,
} from '../../src/processes/child-protection-plan/schemas';
import { nowIso, stageConflict } from '../process-kit';
import type { ending } from './ending';
import { CONFERENCE_OUTPUTS, type Plan, type PlanProcess } from './plan';

/** Counted back from a booked review conference; they move with it (§1.4, ⚠C-08). */
const REVIEW_BEFORE = ['cp-rcpc-report-share', 'cp-rcpc-chair-meets-parents', 'cp-rcpc-assessment-updated'];
const REVIEW_OUTPUTS = CONFERENCE_OUTPUTS.filter((id) => id !== 'cp-outline-plan');

export function conferences(plan: Plan, ends: ReturnType<typeof ending>, beginPlan: (at: string) => Promise<void>) {
  const { p } = plan;
  const { state, deadlines, record } = p;
  const openGates = () => REVIEW_BEFORE.filter((id) => deadlines.isOpen(id));

  return {
    /** The clocks every conference that decides on a plan starts (§4.3). */
    async begin(conferenceAt: string) {
      for (const id of [...CONFERENCE_OUTPUTS, 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp'])
        await deadlines.open(id, conferenceAt);
    },

    async transferInConferenceHeld({ actor, heldAt, decision }: Decision<TransferInConference>) {
      deadlines.meet('cp-transfer-in-conference', actor.id, heldAt);
      record('transfer_in_conference_held', `this authority’s conference: ${decision}`, actor.id);
      if (decision === 'cp_plan') {
        state.stage = 'active';
        await beginPlan(heldAt);
      } else {
        await ends.endPlan('no_plan_after_transfer_in', heldAt, actor.id, ['cp-cin-after-plan']); // 003 QS 13.12
      }
    },

    conferenceOutput({ actor, output, at }: Decision<ConferenceOutput>) {
      deadlines.meet(output, actor.id, at ?? nowIso());
      record(output, `${output} done`, actor.id);
    },

    async reviewScheduled({ actor, scheduledStart }: Decision<ReviewScheduled>) {
      state.reviews.scheduledStart = scheduledStart;
      for (const id of REVIEW_BEFORE) await deadlines.open(id, scheduledStart);
      record('review_scheduled', `review conference booked for ${scheduledStart}`, actor.id);
    },

    async reviewRescheduled({ actor, scheduledStart, reason }: Decision<Required<ReviewScheduled>>) {
      const previous = state.reviews.scheduledStart;
      state.reviews.scheduledStart = scheduledStart;
      for (const id of openGates()) await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason);
      record('review_rescheduled', `review moved from ${previous} to ${scheduledStart}: ${reason}`, actor.id);
    },

    async reviewHeld({ actor, heldAt, decision }: Decision<ReviewHeld>) {
      deadlines.meet(state.reviews.held === 0 ? 'cp-first-rcpc' : 'cp-rcpc', actor.id, heldAt);
      // §1.4: a gate not met does not stop the conference; the exception is recorded.
      for (const id of openGates()) {
        record('gate_exception', `${id} not met when the review was held`, actor.id);
        deadlines.cancel(id, actor.id, 'review held without it: exception recorded');
      }
      state.reviews = { held: state.reviews.held + 1 };
      record('review_held', `review conference ${state.reviews.held}: ${decision}`, actor.id);
      for (const id of REVIEW_OUTPUTS) await deadlines.open(id, heldAt);
      if (decision === 'continue') {
        plan.cycleComplete = true;
        await deadlines.open('cp-rcpc', heldAt); // no more than 6 months after this one (national floor)
      } else {
        if (ends.nearEighteenthBirthday(heldAt)) deadlines.meet('cp-age-18-review', actor.id, heldAt);
        await ends.endPlan('discontinued_at_review', heldAt, actor.id, ['cp-discontinue-notify', 'cp-cin-after-plan']); // D2.2
      }
    },
  };
}

export const canBookReview = (p: PlanProcess) => (_: unknown) => {
  p.requireStage(['active'], 'Booking a review');
  if (p.state.reviews.scheduledStart) stageConflict('a review is already booked: reschedule it with a reason');
};

export const canMoveReview = (p: PlanProcess) => (_: unknown) => {
  p.requireStage(['active'], 'Rescheduling a review');
  if (!p.state.reviews.scheduledStart) stageConflict('no review is booked');
};

export const outputOpen =
  (p: PlanProcess) =>
  ({ output }: { output: string }) =>
    p.requireOpen(output);
