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
export function workingDayCounter(calendar: WorkingDayCalendar): (from: LocalDay, to: LocalDay) => number {
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
