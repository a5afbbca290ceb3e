/**
 * The timeliness report from the counts the database returns (src/evidence/timeliness-counts.ts):
 * per rule, and for the measures the DfE children-in-need census and Ofsted's Annex A ask about,
 * each a named group of rules. Pure; the same figures as `timeliness()` (src/evidence/timeliness.ts)
 * gives from one row per deadline.
 */
import type { WorkingDayCalendar } from '../calendar';
import type { TimelinessCount } from './timeliness-counts';
import { workingDayCounter, type RuleTimeliness } from './timeliness';

export interface CensusMeasure {
  id: string;
  label: string;
  /** The rules it counts, with the docs/deadlines.md section each comes from. */
  rules: string[];
}

/**
 * The census-style measures, as rules of the catalogue:
 * - assessments within 45 working days: `assessment-complete` (§3.4; 004 WT ch.1 para 75);
 * - the ICPC within 15 working days of the strategy discussion: `icpc-held` (§3.4; 003 QS 13.3);
 * - review conferences of child protection plans on time: `cp-first-rcpc`, `cp-rcpc` (§4.3);
 * - looked-after reviews on time: `lac-review-1`, `lac-review-2`, `lac-review-n` (§5.5);
 * - visits on time: to children on plans (§4.3), looked after (§5.4), in need and disabled (§8).
 */
export const censusMeasures: readonly CensusMeasure[] = [
  {
    id: 'assessments-within-45-wd',
    label: 'Assessments completed within 45 working days',
    rules: ['assessment-complete'],
  },
  {
    id: 'icpc-within-15-wd',
    label: 'Initial conferences within 15 working days of the strategy discussion',
    rules: ['icpc-held'],
  },
  {
    id: 'cp-reviews-on-time',
    label: 'Child protection review conferences on time',
    rules: ['cp-first-rcpc', 'cp-rcpc'],
  },
  {
    id: 'looked-after-reviews-on-time',
    label: 'Looked-after reviews on time',
    rules: ['lac-review-1', 'lac-review-2', 'lac-review-n'],
  },
  {
    id: 'visits-on-time',
    label: 'Visits on time',
    rules: [
      'cp-visit',
      'lac-visit-first',
      'lac-visit-weekly',
      'lac-visit-6-weekly',
      'lac-visit-3-monthly',
      'lac-visit-ico-reg24',
      'lac-visit-care-order-home-first',
      'lac-visit-care-order-home',
      'lac-visit-adoption-monthly',
      'cin-visit',
      'dct-visit-short-breaks',
      'dct-visit-no-short-breaks',
    ],
  },
];

export type MeasureTimeliness = Omit<RuleTimeliness, 'ruleId'> & { id: string; label: string; rules: string[] };

export interface TimelinessSummary {
  rules: RuleTimeliness[];
  measures: MeasureTimeliness[];
}

/** The counts of one rule or measure, and its lateness as (working days → how many) pairs. */
interface Tally {
  due: number;
  metOnTime: number;
  metLate: number;
  openOverdue: number;
  open: number;
  lateness: Map<number, number>;
}

const emptyTally = (): Tally => ({ due: 0, metOnTime: 0, metLate: 0, openOverdue: 0, open: 0, lateness: new Map() });

function add(into: Tally, from: Tally): void {
  into.due += from.due;
  into.metOnTime += from.metOnTime;
  into.metLate += from.metLate;
  into.openOverdue += from.openOverdue;
  into.open += from.open;
  for (const [days, count] of from.lateness) into.lateness.set(days, (into.lateness.get(days) ?? 0) + count);
}

/** The middle value of the weighted values, or the mean of the two middle ones (as `timeliness()`). */
export function weightedMedian(values: ReadonlyMap<number, number>): number | null {
  const total = [...values.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const sorted = [...values.entries()].sort(([a], [b]) => a - b);
  const at = (index: number) => {
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (index < seen) return value;
    }
    return sorted.at(-1)![0];
  };
  const middle = Math.floor(total / 2);
  return total % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

const figures = (tally: Tally) => ({
  due: tally.due,
  metOnTime: tally.metOnTime,
  metLate: tally.metLate,
  openOverdue: tally.openOverdue,
  open: tally.open,
  medianLatenessWorkingDays: weightedMedian(tally.lateness),
  worstLatenessWorkingDays: tally.lateness.size === 0 ? null : Math.max(...tally.lateness.keys()),
});

export function summarise(
  counts: readonly TimelinessCount[],
  now: Date,
  calendar: WorkingDayCalendar,
  measures: readonly CensusMeasure[] = censusMeasures,
): TimelinessSummary {
  const workingDays = workingDayCounter(calendar);
  const today = calendar.localDay(now);
  const byRule = new Map<string, Tally>();
  for (const row of counts) {
    let tally = byRule.get(row.ruleId);
    if (!tally) {
      tally = emptyTally();
      byRule.set(row.ruleId, tally);
    }
    tally.due += row.count;
    if (row.outcome === 'on_time') tally.metOnTime += row.count;
    else if (row.outcome === 'open') tally.open += row.count;
    else {
      if (row.outcome === 'late') tally.metLate += row.count;
      else tally.openOverdue += row.count;
      const days = workingDays(row.dueDay!, row.outcome === 'late' ? row.metDay! : today);
      tally.lateness.set(days, (tally.lateness.get(days) ?? 0) + row.count);
    }
  }
  const rules = [...byRule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ruleId, tally]) => ({ ruleId, ...figures(tally) }));
  return {
    rules,
    measures: measures.map((measure) => {
      const tally = emptyTally();
      for (const ruleId of measure.rules) {
        const own = byRule.get(ruleId);
        if (own) add(tally, own);
      }
      return { id: measure.id, label: measure.label, rules: [...measure.rules], ...figures(tally) };
    }),
  };
}
