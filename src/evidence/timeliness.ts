/**
 * The timeliness report (Ofsted ILACS Annex A, the DfE children-in-need census): per rule, how
 * many deadlines fell due in a period, how many were met on time or late, how many are still open,
 * and by how many working days the late ones were late. Pure: the rows come from
 * `EvidenceStore.timelinessRows`, the calendar from the service's configuration.
 */
import type { LocalDay, WorkingDayCalendar } from '../calendar';
import type { TimelinessRow } from './store';

export interface RuleTimeliness {
  ruleId: string;
  /** Deadlines due in the period, less the cancelled: metOnTime + metLate + openOverdue + open. */
  due: number;
  metOnTime: number;
  metLate: number;
  /** Not met, and its due time has passed. */
  openOverdue: number;
  /** Not met, and not yet due. */
  open: number;
  /**
   * Over the late deadlines (met late, and open past due counted to `now`): the working days from
   * the due day to the day it was met (or today), the due day not counted, so 0 means late on the
   * day it fell due. Null when none is late.
   */
  medianLatenessWorkingDays: number | null;
  worstLatenessWorkingDays: number | null;
}

type Row = Pick<TimelinessRow, 'ruleId' | 'status' | 'dueAt' | 'metAt'>;

export function timeliness(rows: readonly Row[], now: Date, calendar: WorkingDayCalendar): RuleTimeliness[] {
  const workingDays = workingDayCounter(calendar);
  const byRule = new Map<string, { summary: RuleTimeliness; lateness: number[] }>();
  for (const row of rows) {
    if (row.status === 'cancelled') continue;
    let entry = byRule.get(row.ruleId);
    if (!entry) {
      entry = { summary: emptySummary(row.ruleId), lateness: [] };
      byRule.set(row.ruleId, entry);
    }
    const { summary, lateness } = entry;
    const due = new Date(row.dueAt);
    summary.due += 1;
    if (row.metAt !== null) {
      const met = new Date(row.metAt);
      if (met.getTime() <= due.getTime()) summary.metOnTime += 1;
      else {
        summary.metLate += 1;
        lateness.push(workingDays(calendar.localDay(due), calendar.localDay(met)));
      }
    } else if (due.getTime() < now.getTime()) {
      summary.openOverdue += 1;
      lateness.push(workingDays(calendar.localDay(due), calendar.localDay(now)));
    } else summary.open += 1;
  }
  return [...byRule.values()]
    .map(({ summary, lateness }) => ({
      ...summary,
      medianLatenessWorkingDays: median(lateness),
      worstLatenessWorkingDays: lateness.length === 0 ? null : Math.max(...lateness),
    }))
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/**
 * The deadlines of one rule, outcome and pair of local days, counted by the database
 * (`EvidenceStore.timelinessSummary`), so a year's report does not fetch a year's rows. The days
 * are set only for the late (`met_late`, `open_overdue`): the due day and the day met (or today).
 */
export interface TimelinessGroup {
  ruleId: string;
  outcome: 'met_on_time' | 'met_late' | 'open_overdue' | 'open';
  dueDay: LocalDay | null;
  endDay: LocalDay | null;
  count: number;
}

/** The same report as `timeliness()`, from counted groups instead of rows (the cancelled already left out). */
export function timelinessFromGroups(
  groups: readonly TimelinessGroup[],
  calendar: WorkingDayCalendar,
): RuleTimeliness[] {
  const workingDays = workingDayCounter(calendar);
  const byRule = new Map<string, { summary: RuleTimeliness; lateness: Map<number, number> }>();
  for (const group of groups) {
    let entry = byRule.get(group.ruleId);
    if (!entry) {
      entry = { summary: emptySummary(group.ruleId), lateness: new Map() };
      byRule.set(group.ruleId, entry);
    }
    const { summary, lateness } = entry;
    summary.due += group.count;
    if (group.outcome === 'met_on_time') summary.metOnTime += group.count;
    else if (group.outcome === 'open') summary.open += group.count;
    else {
      if (group.outcome === 'met_late') summary.metLate += group.count;
      else summary.openOverdue += group.count;
      if (group.dueDay === null || group.endDay === null)
        throw new Error(`a late group without its days: ${group.ruleId}`);
      const days = workingDays(group.dueDay, group.endDay);
      lateness.set(days, (lateness.get(days) ?? 0) + group.count);
    }
  }
  return [...byRule.values()]
    .map(({ summary, lateness }) => {
      const values = [...lateness.entries()].sort(([a], [b]) => a - b);
      return {
        ...summary,
        medianLatenessWorkingDays: weightedMedian(values),
        worstLatenessWorkingDays: values.at(-1)?.[0] ?? null,
      };
    })
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/** `median()` of the values each repeated its count of times: [value, count] pairs sorted by value. */
function weightedMedian(values: readonly (readonly [number, number])[]): number | null {
  const total = values.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const nth = (index: number) => {
    let seen = 0;
    for (const [value, count] of values) {
      seen += count;
      if (index < seen) return value;
    }
    throw new Error('unreachable: index beyond the total');
  };
  const middle = Math.floor(total / 2);
  return total % 2 === 1 ? nth(middle) : (nth(middle - 1) + nth(middle)) / 2;
}

const emptySummary = (ruleId: string): RuleTimeliness => ({
  ruleId,
  due: 0,
  metOnTime: 0,
  metLate: 0,
  openOverdue: 0,
  open: 0,
  medianLatenessWorkingDays: null,
  worstLatenessWorkingDays: null,
});

/** The middle value, or the mean of the two middle ones. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The working days after `from` up to and including `to` (the count `addWorkingDays` inverts:
 * `addWorkingDays(from, n)` is the first day with n). One walk over the calendar per distinct pair,
 * so a report over thousands of deadlines open for months stays cheap.
 */
function workingDayCounter(calendar: WorkingDayCalendar): (from: LocalDay, to: LocalDay) => number {
  const known = new Map<string, number>();
  return (from, to) => {
    const pair = `${from}/${to}`;
    const cached = known.get(pair);
    if (cached !== undefined) return cached;
    let count = 0;
    for (let day = calendar.addCalendarDays(from, 1); day <= to; day = calendar.addCalendarDays(day, 1)) {
      if (calendar.isWorkingDay(day)) count += 1;
    }
    known.set(pair, count);
    return count;
  };
}
