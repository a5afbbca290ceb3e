/**
 * A placement change's key events (docs/deadlines.md §7.2, 000 KE 2.1) and its education gate
 * (§5.3, 003 QS 14.14): the social worker tells the Child in Care business support team
 * (`kev-placement-advise`), who notify the IRO and the IRO's manager, the school and the Virtual
 * School, the independent visitor or advocate if any, the GP and the other health professionals
 * (`kev-placement-notify`); a new GP is registered (`kev-gp-registration`); in a GCSE year the
 * Virtual Headteacher is consulted before a planned move (`lac-education-stability`).
 *
 * Added after the episode workflow was first released: the episode's placement change arms these
 * behind the patch, so histories recorded before it replay unchanged.
 */
import type { Decision } from '../../src/process';
import type {
  PlacementChangeAdvised,
  PlacementChangeNotified,
  PlacementChanged,
} from '../../src/processes/looked-after-child/schemas';
import type { Duration } from '../../src/rules';
import { nowIso, refuseDuplicateEvent, stageConflict } from '../process-kit';
import { gate, requireOpen, type Episode, type EpisodeProcess } from './episode';

export const PLACEMENT_KEY_EVENTS_PATCH = 'lac-placement-key-events';

const KEY_EVENTS = ['kev-placement-advise', 'kev-placement-notify', 'kev-gp-registration', 'lac-education-stability'];
const NEXT_WORKING_DAY: Duration = { value: 1, unit: 'working_days' };
/** Shorter than any gap between an EOD and the next working day's EOD (a day), longer than SOD to EOD. */
const WITHIN_ONE_DAY_MS = 12 * 3_600_000;

export function placementEvents(ep: Episode) {
  const { p, input } = ep;
  const { state, deadlines, record } = p;

  /**
   * [P] §7.2 (⚠C-29): EOD of the same working day; out of hours, EOD of the next working day. The
   * rule's duration (`end_of_working_day`) reads out of hours as the next working day's *start*
   * (as ⚠C-22 does for Need to Know), which would give business support no working day at all:
   * out of hours, its due is that start, on the same day as the next working day's EOD, so the
   * next-working-day reading is taken then. A move before SOD on a working day belongs to that
   * day (as ⚠C-22): the rule's reading is already that day's EOD.
   */
  const adviseDeadline = async (anchorAt: string) => {
    const sameDay = await deadlines.preview('kev-placement-advise', anchorAt);
    const nextDay = await deadlines.preview('kev-placement-advise', anchorAt, { duration: NEXT_WORKING_DAY });
    const outOfHours = Date.parse(nextDay.dueAt) - Date.parse(sameDay.dueAt) < WITHIN_ONE_DAY_MS;
    return deadlines.open(
      'kev-placement-advise',
      anchorAt,
      outOfHours ? { plan: nextDay, duration: NEXT_WORKING_DAY } : { plan: sameDay },
    );
  };

  return {
    /** The episode's placement change (D3.8) arms its key events; an earlier change's open ones are superseded. */
    async changed(actor: string, change: PlacementChanged) {
      for (const id of KEY_EVENTS) deadlines.cancel(id, actor, 'superseded by a later placement change');
      // 000 KE 2.1 / §7.2: a planned move counts from the decision, an unplanned one from the move.
      const decidedAt = change.planned ? (change.decidedAt ?? change.startAt) : change.startAt;
      const stage = change.educationStage ?? input.education?.stage;
      state.placementChange = {
        number: state.placement.number,
        planned: change.planned,
        effectiveAt: change.startAt,
        decidedAt,
        ...(change.schoolChanges !== undefined ? { schoolChanges: change.schoolChanges } : {}),
        ...(change.gpChanges !== undefined ? { gpChanges: change.gpChanges } : {}),
        ...(stage ? { educationStage: stage } : {}),
      };
      await adviseDeadline(decidedAt);
      if (change.gpChanges) await deadlines.open('kev-gp-registration', change.startAt); // [P] 10 WD from effective_at
      // 003 QS 14.14: "where a young person is in their GCSE year social workers must consult with the
      // Virtual Headteacher where a young person is ... changing placement": any move in a GCSE year,
      // whether or not the school changes (the move itself is what puts the exams at risk). Armed for
      // a planned move, as a gate at the move; an unplanned one ([P] 1 WD after) is not armed here.
      if (stage === 'gcse_year' && change.planned)
        await gate(ep, 'lac-education-stability', change.startAt, change.virtualHeadConsultedAt, 'the move', actor);
    },

    /** The social worker told business support: the notices are due from now. */
    async advised({ actor, at = nowIso() }: Decision<PlacementChangeAdvised>) {
      const change = state.placementChange!;
      deadlines.meet('kev-placement-advise', actor.id, at);
      record('kev-placement-advise', 'Child in Care business support told of the placement change', actor.id);
      // [P] 1 WD; for a planned move also no later than effective_at (§7.2): the earlier, while the
      // move is still ahead. A move recorded once it happened cannot be notified before it: 1 WD.
      const plan = await deadlines.preview('kev-placement-notify', at);
      if (change.planned && change.effectiveAt > at && change.effectiveAt < plan.dueAt)
        await deadlines.open('kev-placement-notify', at, { dueOverride: change.effectiveAt });
      else await deadlines.open('kev-placement-notify', at, { plan });
    },

    async notified({ actor, at = nowIso(), notified }: Decision<PlacementChangeNotified>) {
      deadlines.meet('kev-placement-notify', actor.id, at);
      record('kev-placement-notify', `placement change notified to ${notified.join(', ')}`, actor.id);
    },
  };
}

/** The episode's placement change: open, and a case-system event recorded once only. */
export const canChangePlacement =
  (p: EpisodeProcess) =>
  ({ eventId }: PlacementChanged) => {
    requireOpen(p, 'A placement change');
    if (eventId) refuseDuplicateEvent(p.state.eventIds ?? [], eventId);
  };

/** Business support is told after the decision, and only while the advice is awaited. */
export const canAdvise =
  (p: EpisodeProcess) =>
  ({ at }: PlacementChangeAdvised) => {
    p.requireOpen('kev-placement-advise');
    const decidedAt = p.state.placementChange?.decidedAt;
    if (at && decidedAt && at < decidedAt) stageConflict('business support cannot be told before the move was decided');
  };

/** The notices follow the advice to business support. */
export const canNotify =
  (p: EpisodeProcess) =>
  ({ at }: PlacementChangeNotified) => {
    p.requireOpen('kev-placement-notify');
    const advisedAt = p.deadlines.find('kev-placement-advise')?.metAt;
    if (at && advisedAt && at < advisedAt)
      stageConflict('the notices cannot go before business support was told of the change');
  };
