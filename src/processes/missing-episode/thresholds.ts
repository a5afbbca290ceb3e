/**
 * The missing-child thresholds (docs/deadlines.md §6.4, §7.2, §7.3; ⚠C-23, ⚠C-26): pure and
 * zod-free, so the workflow, the API and the unit tests share them.
 *
 * - 001 NTK s2 item 4: a looked-after child missing for 48 hours or more (`ntk-trigger-lac-missing`);
 * - 001 NTK s2 item 5: a child on a plan missing for 72 hours or more, alone or with the family
 *   (`ntk-trigger-cp-missing`); a child who is both looked after and on a plan gets item 4 at
 *   48 hours (§6.4, §1.4 "overlapping rules");
 * - 002 SLN s2: missing "more than 72 hours" with exploitation concerns (`slt-trigger-missing`),
 *   read as firing at ≥ 72 hours (⚠C-26).
 */

export const HOUR_MS = 3_600_000;

export type MissingTriggerId = 'ntk-trigger-lac-missing' | 'ntk-trigger-cp-missing' | 'slt-trigger-missing';

/** What a trigger raises when it fires: a category 2 briefing (with its key) or the SLT notification. */
export type MissingRaise = { kind: 'need-to-know'; item: 4 | 5; key: 'lac-missing' | 'cp-missing' } | { kind: 'slt' };

export interface MissingTrigger {
  ruleId: MissingTriggerId;
  /** Elapsed hours from the missing anchor; the rule catalogue holds the same number (unit-tested). */
  hours: number;
  raises: MissingRaise;
}

export interface MissingStatus {
  lookedAfter: boolean;
  onPlan: boolean;
  exploitationConcern: boolean;
}

/** 001 NTK s2 item 4: 48 hours (elapsed, ≥). */
export const LAC_MISSING: MissingTrigger = {
  ruleId: 'ntk-trigger-lac-missing',
  hours: 48,
  raises: { kind: 'need-to-know', item: 4, key: 'lac-missing' },
};
/** 001 NTK s2 item 5: 72 hours (elapsed, ≥), alone or with the family. */
export const CP_MISSING: MissingTrigger = {
  ruleId: 'ntk-trigger-cp-missing',
  hours: 72,
  raises: { kind: 'need-to-know', item: 5, key: 'cp-missing' },
};
/** 002 SLN s2: "more than 72 hours" with exploitation concerns, fired at ≥ 72 hours (⚠C-26). */
export const SLT_MISSING: MissingTrigger = { ruleId: 'slt-trigger-missing', hours: 72, raises: { kind: 'slt' } };

/**
 * [P] `kev-missing` (000 KE 2.2) has no source timescale: the local Missing Children procedure was
 * not supplied. The project holds it open until the child is found, due at the first threshold
 * that applies, or at 72 hours when none does (the longest threshold in the sources).
 */
export const PROCEDURE_DEFAULT_HOURS = 72;

/** ⚠C-23: the clock runs from the earliest known instant: last seen if known, else reported missing. */
export const missingAnchor = (episode: { lastSeenAt?: string; reportedMissingAt: string }): string =>
  episode.lastSeenAt ?? episode.reportedMissingAt;

/** The triggers that apply to a child, in the order they fall due. */
export function applyingTriggers(status: MissingStatus): MissingTrigger[] {
  const triggers: MissingTrigger[] = [];
  // §6.4: looked after (whether or not also on a plan) → item 4 at 48 h; on a plan only → item 5 at 72 h.
  if (status.lookedAfter) triggers.push(LAC_MISSING);
  else if (status.onPlan) triggers.push(CP_MISSING);
  if (status.exploitationConcern) triggers.push(SLT_MISSING);
  return triggers.sort((a, b) => a.hours - b.hours);
}

export const plusHours = (iso: string, hours: number): string =>
  new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();

/** When a trigger fires: its hours after the missing anchor. */
export const thresholdAt = (anchorAt: string, trigger: MissingTrigger): string => plusHours(anchorAt, trigger.hours);

/** [P] `kev-missing` is due at the first threshold that applies (72 hours if none applies). */
export function procedureDueAt(anchorAt: string, triggers: readonly MissingTrigger[]): string {
  const hours = triggers.length ? Math.min(...triggers.map((t) => t.hours)) : PROCEDURE_DEFAULT_HOURS;
  return plusHours(anchorAt, hours);
}

/** The facts a raised briefing carries (no names): the minimal automatic notice shows them. */
export function missingFacts(episode: {
  anchorAt: string;
  lastSeenAt?: string;
  withFamily: boolean;
  exploitationConcern: boolean;
}): string {
  const since = episode.lastSeenAt ? 'last seen' : 'reported';
  return (
    `Missing since ${episode.anchorAt} (${since}), with family: ${episode.withFamily ? 'yes' : 'no'}, ` +
    `exploitation concern: ${episode.exploitationConcern ? 'yes' : 'no'}.`
  );
}

/** A found instant must not be before the child went missing. */
export const foundBeforeAnchor = (foundAt: string, anchorAt: string): boolean =>
  Date.parse(foundAt) < Date.parse(anchorAt);
