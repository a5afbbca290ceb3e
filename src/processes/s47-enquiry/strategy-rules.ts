/**
 * The strategy discussion's rules as data (docs/deadlines.md §3.4, D1.5): which rule each urgency
 * runs, and when a new urgency re-arms the clock. Plain code, no Temporal and no zod: the
 * workflow uses it and the unit tests check it.
 */
import type { S47Input, Urgency } from './schemas';

/** D1.5: the strategy rule each urgency category runs (003 QS 11.1). */
export const STRATEGY_RULES: Record<Urgency, string> = {
  standard: 'strategy-standard',
  serious_risk: 'strategy-serious-risk',
  penetrative_sexual_abuse: 'strategy-psa',
  immediate_action: 'strategy-immediate-action',
  staff_allegation: 'strategy-staff-allegation',
  complex: 'strategy-complex',
};
export const STRATEGY_IDS = Object.values(STRATEGY_RULES);

/** Until a manager sets the urgency: an allegation against staff runs its own rule, anything else the standard one. */
export const defaultUrgency = (trigger: S47Input['trigger']): Urgency =>
  trigger === 'staff_allegation' ? 'staff_allegation' : 'standard';

/** The rule a strategy discussion runs: the urgency set, else the trigger's default. */
export const strategyRule = (urgency: Urgency | undefined, trigger: S47Input['trigger']): string =>
  STRATEGY_RULES[urgency ?? defaultUrgency(trigger)];

/**
 * A stricter category re-arms at once; `complex` replaces `standard` by design (⚠C-01); a laxer
 * change keeps the stricter clock already running.
 */
export const rearmsAtOnce = (urgency: Urgency, newDueAt: string, currentDueAt: string): boolean =>
  newDueAt < currentDueAt || urgency === 'complex';

/** ⚠C-01: `complex` may only replace a standard strategy deadline before it falls due. */
export const complexMayReplace = (currentRule: string, currentStatus: string): boolean =>
  currentRule === 'strategy-standard' && currentStatus === 'pending';
