/**
 * Placements and visits (docs/deadlines.md §5.4, all 003 QS 9.1; ⚠C-17, ⚠C-18): the visits in which
 * the child is seen at the cadence of the placement's phase, a new placement with its own first
 * visit and placement plan, and the phase changes (long-term ratification, the end of ICO/Reg 24
 * visiting, a care order made at home) that switch the visiting rule.
 */
import type { Decision } from '../../src/process';
import {
  firstVisitRule,
  VISIT_CADENCE,
  VISIT_FIRST,
  visitCadenceAfter,
  visitVariant,
} from '../../src/processes/looked-after-child/cadence';
import type {
  IcoReg24Ended,
  Occurred,
  PlacementChanged,
  VisitRecorded,
} from '../../src/processes/looked-after-child/schemas';
import { patched } from '@temporalio/workflow';
import { nowIso, stageConflict } from '../process-kit';
import { gate, notify, requireOpen, type Episode, type EpisodeProcess } from './episode';
import { PLACEMENT_KEY_EVENTS_PATCH, placementEvents } from './placement-events';

export function placements(ep: Episode) {
  const { p } = ep;
  const { state, deadlines, record } = p;
  const events = placementEvents(ep);

  /** A phase change (§1.4): the open visiting deadline switches to the cadence now in force, counted from the last visit. */
  const rearmVisits = async (actor: string, why: string) => {
    const open = VISIT_CADENCE.find((id) => deadlines.isOpen(id));
    if (!open) return; // the placement's first visit is still awaited: the cadence is chosen when it happens
    const next = visitCadenceAfter(state, nowIso());
    if (next === open) return;
    const from = [state.visits.lastSeenAt ?? '', state.placement.startAt].sort().at(-1)!;
    deadlines.cancel(open, actor, `visiting cadence changed: ${why}`);
    await deadlines.open(next, from);
    record('visit_cadence', `${open} replaced by ${next}: ${why}`, actor);
  };

  /** The placement's first visit (its rule depends on the placement's variant). */
  const startVisits = (from: string) => deadlines.open(firstVisitRule(state.placement), from);

  /** 003 QS 14.5: before a planned placement; within 5 days of an emergency or unplanned one (⚠C-13). */
  const placementPlan = (planned: boolean, startAt: string, completedAt?: string, actor?: string) =>
    planned
      ? gate(ep, 'lac-placement-plan', startAt, completedAt, 'the placement started', actor)
      : deadlines.open('lac-placement-plan', startAt);

  return {
    rearmVisits,
    startVisits,
    placementPlan,
    placementChangeAdvised: events.advised,
    placementChangeNotified: events.notified,

    async visitRecorded({ actor, visitedAt, childSeen, seenAlone, jointWithSsw }: Decision<VisitRecorded>) {
      if (!childSeen) {
        // A visit where the child was not seen does not count (003 QS 9.1); the manager is told and the IRO copied (003 QS 7.5).
        record('visit_child_not_seen', 'visit made but the child was not seen: it does not count', actor.id);
        await notify(
          p,
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
      const next = visitCadenceAfter(state, visitedAt);
      record(
        'visit',
        `child seen${seenAlone ? ' alone' : ''}${jointWithSsw ? ', jointly with the supervising social worker' : ''}; next visit ${next}`,
        actor.id,
      );
      await deadlines.open(next, visitedAt); // from the last actual visit (⚠C-11)
    },

    async placementChanged(change: Decision<PlacementChanged>) {
      const { actor, placementId, type, startAt, planned, placementPlanCompletedAt, eventId } = change;
      if (eventId) (state.eventIds ??= []).push(eventId);
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
      await startVisits(startAt);
      await placementPlan(planned, startAt, placementPlanCompletedAt, actor.id);
      // Added after the first release (000 KE 2.1, 003 QS 14.14): older histories replay without it.
      if (patched(PLACEMENT_KEY_EVENTS_PATCH)) await events.changed(actor.id, change);
    },

    async longTermRatified({ actor, at }: Decision<Occurred>) {
      state.longTermRatifiedAt = at;
      record(
        'long_term_ratified',
        'placement ratified long-term: 3-monthly visits once its first year is over',
        actor.id,
      );
      await rearmVisits(actor.id, 'placement ratified long-term'); // D3.5
    },

    async icoReg24Ended({ actor, reason }: Decision<IcoReg24Ended>) {
      state.placement.variantEnded = reason;
      record('visit_variant_ended', `${reason}: the standard visiting rules apply (⚠C-18)`, actor.id);
      await rearmVisits(actor.id, reason);
    },

    async careOrderAtHome({ actor, at }: Decision<Occurred>) {
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
  };
}

/** Refuses the end of ICO/Reg 24 visiting unless the placement is visited under those rules. */
export const canEndIcoReg24 = (p: EpisodeProcess) => (_: unknown) => {
  requireOpen(p, 'Ending the ICO/Reg 24 visiting');
  if (visitVariant(p.state.placement) !== 'ico_reg24')
    stageConflict('the placement is not visited under the ICO/Reg 24 rules');
};
