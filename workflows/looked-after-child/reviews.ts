/**
 * Reviews and the IRO (docs/deadlines.md §5.5): reviews booked, moved and held with the deadlines
 * counted back from each one, the IRO's recommendations and record and the manager's response, the
 * mid-point review, and the permanence planning due between the first and second reviews.
 */
import type { Decision } from '../../src/process';
import {
  AT_NEXT_REVIEW,
  BEFORE_FIRST_REVIEW,
  jointVisitDue,
  midpointHalfway,
  PERMANENCE,
  REVIEW_BEFORE,
  reviewRule,
} from '../../src/processes/looked-after-child/cadence';
import type {
  ManagerResponse,
  Occurred,
  PermanencePlanAgreed,
  Recorded,
  ReviewHeld,
  ReviewRescheduled,
  ReviewScheduled,
} from '../../src/processes/looked-after-child/schemas';
import { nowIso, stageConflict } from '../process-kit';
import { notify, requireOpen, type Episode, type EpisodeProcess } from './episode';

export function reviews(ep: Episode, rearmVisits: (actor: string, why: string) => Promise<void>) {
  const { p, input } = ep;
  const { state, deadlines, record } = p;

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

  return {
    async reviewScheduled({ actor, scheduledStart }: Decision<ReviewScheduled>) {
      state.reviews.scheduledStart = scheduledStart;
      for (const id of REVIEW_BEFORE) await deadlines.open(id, scheduledStart);
      await anchorToReview(scheduledStart, actor.id, 'review booked');
      record('review_scheduled', `review ${state.reviews.held + 1} booked for ${scheduledStart}`, actor.id);
    },

    async reviewRescheduled({ actor, scheduledStart, reason }: Decision<ReviewRescheduled>) {
      const previous = state.reviews.scheduledStart;
      state.reviews.scheduledStart = scheduledStart;
      // §1.4: the "before" deadlines move with the review; one moved into the past breaches at once.
      for (const id of REVIEW_BEFORE.filter((g) => deadlines.isOpen(g)))
        await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason);
      await anchorToReview(scheduledStart, actor.id, reason);
      record('review_rescheduled', `review moved from ${previous} to ${scheduledStart}: ${reason}`, actor.id);
    },

    async reviewHeld({ actor, heldAt }: Decision<ReviewHeld>) {
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
      if (jointVisitDue(number, state.placement.type)) await deadlines.open('lac-joint-visit-ssw', next.dueAt);
      await rearmVisits(actor.id, `review ${number} held`);
      ep.cycleComplete = true;
    },

    async recommendationsIssued({ actor, at }: Decision<Occurred>) {
      deadlines.meet('lac-iro-recommendations', actor.id, at);
      record('iro_recommendations', 'the IRO’s recommendations issued to the manager', actor.id);
      await deadlines.open('lac-manager-recs-response', at); // 5 WD from receipt (003 QS 15.7)
    },

    async managerResponse({ actor, agreed, attendeesAdvisedAt }: Decision<ManagerResponse>) {
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
          p,
          `recommendations-disagreed.${state.reviews.held}`,
          { to: ['iro'], cc: ['iro_manager'] },
          'Manager disagrees with the IRO’s recommendations',
          `The manager did not agree the recommendations of review ${state.reviews.held}. Those present at the review were advised at ${attendeesAdvisedAt} (003 QS 15.7).`,
        );
      }
    },

    async midpointRequested({ actor, at }: Decision<Occurred>) {
      // [P] within 10 WD of the request, and no later than halfway between the last review and the next one due (003 QS 15.4).
      const tenDays = await deadlines.preview('lac-midpoint-review', at);
      const nextDue = deadlines.find(reviewRule(state.reviews.held))!.dueAt;
      const halfway = midpointHalfway(state.reviews.lastHeldAt ?? input.lacStartAt, nextDue, at, tenDays.dueAt);
      await deadlines.open('lac-midpoint-review', at, halfway ? { dueOverride: halfway } : { plan: tenDays });
      record('midpoint_requested', 'the IRO asked for a mid-point review (concern about drift)', actor.id);
    },

    permanenceMeeting({ actor, at }: Decision<Recorded>) {
      state.permanence.meetingHeldAt = at ?? nowIso();
      deadlines.meet('lac-permanence-meeting', actor.id, state.permanence.meetingHeldAt);
      record('permanence_meeting', 'permanence planning meeting held', actor.id);
    },

    permanencePlan({ actor, at, route }: Decision<PermanencePlanAgreed>) {
      state.permanence = { ...state.permanence, planAgreedAt: at ?? nowIso(), route };
      deadlines.meet('lac-permanence-plan', actor.id, state.permanence.planAgreedAt);
      record('permanence_plan', `permanence plan agreed: ${route}`, actor.id);
    },
  };
}

export const canBookReview = (p: EpisodeProcess) => (_: unknown) => {
  requireOpen(p, 'Booking a review');
  if (p.state.reviews.scheduledStart) stageConflict('a review is already booked: reschedule it with a reason');
};

export const canMoveReview = (p: EpisodeProcess) => (_: unknown) => {
  requireOpen(p, 'Rescheduling a review');
  if (!p.state.reviews.scheduledStart) stageConflict('no review is booked');
};

export const recommendationsAwaited = (p: EpisodeProcess) => (_: unknown) => {
  if (!p.deadlines.isOpen('lac-iro-recommendations'))
    stageConflict('lac-iro-recommendations is not open: no review awaits them');
};

/** D3.3: a response needs recommendations awaiting one; a manager who disagrees says when those present were advised. */
export const canRespond =
  (p: EpisodeProcess) =>
  ({ agreed, attendeesAdvisedAt }: { agreed: boolean; attendeesAdvisedAt?: string }) => {
    if (!p.deadlines.isOpen('lac-manager-recs-response'))
      stageConflict('lac-manager-recs-response is not open: no recommendations await a response');
    if (!agreed && !attendeesAdvisedAt)
      stageConflict('a manager who disagrees must record when those present at the review were advised (003 QS 15.7)');
  };

export const canRequestMidpoint = (p: EpisodeProcess) => (_: unknown) => {
  requireOpen(p, 'Requesting a mid-point review');
  if (p.deadlines.isOpen('lac-midpoint-review')) stageConflict('a mid-point review is already requested');
};
