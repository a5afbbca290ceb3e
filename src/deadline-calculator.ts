/**
 * "When is this due?" for any rule and one anchor: the same planning code the workflows run
 * (through their local activity), so the calculator and the processes can never disagree.
 */
import type { WorkingDayCalendar } from './calendar';
import { planDeadline } from './deadline-plan';
import { deadlineRules, type DeadlineRule, type DurationUnit } from './rules';

export interface DueCalculation {
  rule: string;
  label: string;
  unit: DurationUnit;
  direction: 'after' | 'before';
  anchorAt: string;
  dueAt: string;
  statutoryDueAt: string;
  source: string[];
  calendarVersion: string;
}

export class UnknownRuleError extends Error {}
/** The rule has no duration computable from one instant (a gate, a manager-set date…). */
export class NotComputableError extends Error {}
/** The calendar cannot count from this anchor (outside the years it covers): the anchor's fault. */
export class AnchorOutOfRangeError extends Error {}

export function primaryUnit(rule: DeadlineRule): DurationUnit | undefined {
  const duration = Array.isArray(rule.duration) ? rule.duration[0] : rule.duration;
  return duration?.unit;
}

export function calculateDue(calendar: WorkingDayCalendar, ruleId: string, anchor: Date): DueCalculation {
  const rule = deadlineRules.get(ruleId);
  if (!rule) throw new UnknownRuleError(`unknown rule ${ruleId}`);
  const unit = primaryUnit(rule);
  if (!unit)
    throw new NotComputableError(
      `${ruleId} has no duration computable from one instant: ${rule.notComputable ?? 'no duration'}`,
    );
  let plan;
  try {
    plan = planDeadline(calendar, rule, anchor);
  } catch (error) {
    if (error instanceof RangeError) throw new AnchorOutOfRangeError(error.message);
    throw error;
  }
  return {
    rule: rule.id,
    label: rule.label,
    unit,
    direction: rule.direction,
    anchorAt: plan.anchorAt,
    dueAt: plan.dueAt,
    statutoryDueAt: plan.statutoryDueAt,
    source: rule.source,
    calendarVersion: plan.calendarVersion,
  };
}
