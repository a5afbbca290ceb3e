/**
 * Turns a rule and an anchor into due instants and the full notification schedule
 * (warnings, overdue notice, escalation ladder): docs/deadlines.md §1.3 and §2.3–§2.6.
 * Pure; the workflows get its result through a local activity so it is recorded in history.
 */
import type { WorkingDayCalendar } from './calendar';
import type { Role } from './roles';
import {
  escalationProfiles,
  type DeadlineRule,
  type Duration,
  type EscalationProfile,
  type EscalationStep,
  type Recipient,
} from './rules';

const HOUR_MS = 3_600_000;

export interface PlannedStep {
  /** Stable within one plan: `warning-1`, `overdue`, `escalation-1`, … */
  key: string;
  kind: 'warning' | 'overdue' | 'escalation';
  /** 0 for warnings and the overdue notice; n for the nth escalation step. */
  level: number;
  at: string;
  notify: Role[];
}

export interface DeadlinePlan {
  ruleId: string;
  /** The rule's wording, recorded with the plan so notices read the same on replay. */
  label: string;
  action: string;
  source: string[];
  anchorAt: string;
  statutoryDueAt: string;
  dueAt: string;
  calendarVersion: string;
  steps: PlannedStep[];
}

export interface PlanOptions {
  /** `sla.immediate` in ms (default 1 h, [P]). */
  immediateSlaMs?: number;
}

interface Due {
  statutory: Date;
  operational: Date;
}

const iso = (date: Date) => date.toISOString();
const earliest = (dates: Date[]) => new Date(Math.min(...dates.map((d) => d.getTime())));

/** One reading of a duration (§2.3). */
export function computeDue(
  calendar: WorkingDayCalendar,
  duration: Duration,
  direction: 'after' | 'before',
  anchor: Date,
  options: PlanOptions = {},
): Due {
  const day = calendar.localDay(anchor);
  const { value, unit } = duration;
  if (direction === 'before') {
    switch (unit) {
      case 'hours': {
        const due = new Date(anchor.getTime() - value * HOUR_MS);
        return { statutory: due, operational: due };
      }
      // "N days before" with no qualifier is read as working days when counting back (§2.3).
      case 'working_days':
      case 'calendar_days': {
        const dueDay = calendar.addWorkingDays(day, -value);
        return { statutory: calendar.endOfDay(dueDay), operational: calendar.workingDayDue(dueDay) };
      }
      default:
        throw new RangeError(`unit ${unit} cannot count back from an event`);
    }
  }
  switch (unit) {
    case 'hours': {
      // Elapsed wall-clock time in UTC: nights, weekends and clock changes included (§2.4).
      const due = new Date(anchor.getTime() + value * HOUR_MS);
      return { statutory: due, operational: due };
    }
    case 'immediate': {
      const due = new Date(anchor.getTime() + (options.immediateSlaMs ?? HOUR_MS));
      return { statutory: due, operational: due };
    }
    case 'same_day': {
      const due = calendar.endOfDay(day);
      return { statutory: due, operational: due };
    }
    case 'end_of_working_day': {
      const due = calendar.endOfWorkingDayOrNextStart(anchor);
      return { statutory: due, operational: due };
    }
    case 'working_days': {
      const dueDay = calendar.addWorkingDays(day, value);
      return { statutory: calendar.endOfDay(dueDay), operational: calendar.workingDayDue(dueDay) };
    }
    case 'ordinal_working_day': {
      const dueDay = calendar.addWorkingDays(calendar.workingDayOnOrAfter(day), value - 1);
      return { statutory: calendar.endOfDay(dueDay), operational: calendar.workingDayDue(dueDay) };
    }
    case 'calendar_days':
    case 'weeks':
    case 'months': {
      const dueDay =
        unit === 'months'
          ? calendar.addCalendarMonths(day, value)
          : calendar.addCalendarDays(day, unit === 'weeks' ? value * 7 : value);
      return { statutory: calendar.endOfDay(dueDay), operational: calendar.dayRuleDue(dueDay) };
    }
  }
}

function readings(rule: DeadlineRule): Duration[] {
  if (!rule.duration) throw new RangeError(`${rule.id}: ${rule.notComputable ?? 'no computable duration'}`);
  return Array.isArray(rule.duration) ? rule.duration : [rule.duration];
}

/** All readings of the rule: the literal first one is statutory; the earliest drives timers (§2.5, §2.6). */
export function computeRuleDue(
  calendar: WorkingDayCalendar,
  rule: DeadlineRule,
  anchor: Date,
  options: PlanOptions = {},
): Due {
  const dues = readings(rule).map((duration) => computeDue(calendar, duration, rule.direction, anchor, options));
  return { statutory: dues[0]!.statutory, operational: earliest(dues.map((due) => due.operational)) };
}

function profileOf(rule: DeadlineRule): EscalationProfile {
  return typeof rule.escalation === 'string' ? escalationProfiles[rule.escalation] : rule.escalation;
}

function resolve(rule: DeadlineRule, recipients: readonly Recipient[]): Role[] {
  const out = recipients.flatMap((r) => (r === 'responsible' ? rule.responsible : [r]));
  return [...new Set(out)];
}

const isSubDayRule = (rule: DeadlineRule) =>
  rule.duration !== undefined &&
  readings(rule).some((d) => ['hours', 'immediate', 'same_day', 'end_of_working_day'].includes(d.unit));

/** §1.3 point 3: warnings before the due time, to the responsible roles (or the roles the rule names). */
function warningTimes(calendar: WorkingDayCalendar, rule: DeadlineRule, anchor: Date, due: Date): Date[] {
  const policy = rule.warnings ?? 'default';
  if (policy === 'none') return [];
  if (policy === 'day_of_due') return [calendar.startOfWorkingDay(calendar.localDay(due))];
  if (typeof policy === 'object' && 'workingDaysBefore' in policy)
    return [calendar.workingDaysBefore(due, policy.workingDaysBefore)];
  if (typeof policy === 'object') {
    return [
      calendar.startOfWorkingDay(
        calendar.workingDayOnOrBefore(calendar.addCalendarMonths(calendar.localDay(due), -policy.monthsBefore)),
      ),
    ];
  }
  const quarterBefore = new Date(due.getTime() - (due.getTime() - anchor.getTime()) / 4);
  if (rule.direction === 'before') return [calendar.workingDaysBefore(due, 1)];
  if (!rule.duration) return [calendar.workingDaysBefore(due, 1)];
  if (readings(rule)[0]!.unit === 'same_day') {
    return [calendar.endOfWorkingDay(calendar.localDay(anchor))]; // ⚠C-32: a warning at EOD
  }
  if (isSubDayRule(rule)) return [quarterBefore];
  const span = countWorkingDays(calendar, calendar.localDay(anchor), calendar.localDay(due));
  const times: Date[] = [];
  // Day-granular rules warn at the start of a working day, not at 03:30 in the night.
  if (span >= 10)
    times.push(calendar.startOfWorkingDay(calendar.workingDayOnOrBefore(calendar.localDay(quarterBefore))));
  if (span >= 3) times.push(calendar.workingDaysBefore(due, 1));
  return times;
}

const warned = ({ warnings, responsible }: DeadlineRule): Role[] =>
  typeof warnings === 'object' && 'notify' in warnings ? warnings.notify : responsible;

function countWorkingDays(calendar: WorkingDayCalendar, from: string, to: string): number {
  let count = 0;
  for (let day = calendar.addCalendarDays(from, 1); day <= to; day = calendar.addCalendarDays(day, 1)) {
    if (calendar.isWorkingDay(day)) count += 1;
    if (count >= 10) break; // only the thresholds 3 and 10 matter
  }
  return count;
}

function escalationTime(calendar: WorkingDayCalendar, step: EscalationStep, breachAt: Date): Date {
  if (step.after.unit === 'hours') return new Date(breachAt.getTime() + step.after.value * HOUR_MS);
  const day = calendar.addWorkingDays(calendar.localDay(breachAt), step.after.value);
  return calendar.workingDayDue(day);
}

/** The whole plan of one deadline; `dueOverride` replaces the computed operational due time. */
export function planDeadline(
  calendar: WorkingDayCalendar,
  rule: DeadlineRule,
  anchorAt: Date,
  options: PlanOptions & { dueOverride?: Date } = {},
): DeadlinePlan {
  const computed = options.dueOverride ? undefined : computeRuleDue(calendar, rule, anchorAt, options);
  const due = options.dueOverride ?? computed!.operational;
  const statutory = options.dueOverride ?? computed!.statutory;
  const profile = profileOf(rule);
  // Hours-based notices outside working hours also go to the out-of-hours service (§2.4).
  const routed = (at: Date, notify: Role[]): Role[] =>
    isSubDayRule(rule) && calendar.isOutOfHours(at)
      ? [...new Set([...notify, 'out_of_hours_service' as const])]
      : notify;

  const steps: PlannedStep[] = warningTimes(calendar, rule, anchorAt, due)
    .filter((at) => at.getTime() > anchorAt.getTime() && at.getTime() < due.getTime())
    .sort((a, b) => a.getTime() - b.getTime())
    .map((at, i) => ({ key: `warning-${i + 1}`, kind: 'warning', level: 0, at: iso(at), notify: warned(rule) }));
  steps.push({
    key: 'overdue',
    kind: 'overdue',
    level: 0,
    at: iso(due),
    notify: routed(due, resolve(rule, profile.onBreach)),
  });
  profile.escalate.forEach((step, i) => {
    const at = escalationTime(calendar, step, due);
    steps.push({
      key: `escalation-${i + 1}`,
      kind: 'escalation',
      level: i + 1,
      at: iso(at),
      notify: routed(at, resolve(rule, step.notify)),
    });
  });
  return {
    ruleId: rule.id,
    label: rule.label,
    action: rule.action,
    source: rule.source,
    anchorAt: iso(anchorAt),
    statutoryDueAt: iso(statutory),
    dueAt: iso(due),
    calendarVersion: calendar.version,
    steps,
  };
}
