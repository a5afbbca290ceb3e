/**
 * How fast are deadline plans computed? `npm run bench`. Prints per-rule throughput and the ratio
 * to the cheapest reading (elapsed hours), measured in one run, since this machine is noisy.
 */
import { performance } from 'node:perf_hooks';
import { WorkingDayCalendar } from '../src/calendar';
import { planDeadline } from '../src/deadline-plan';
import { englandAndWalesHolidays } from '../src/holidays';
import { deadlineRules, type DeadlineRule } from '../src/rules';

const ANCHORS = 20_000;
const calendar = new WorkingDayCalendar(englandAndWalesHolidays());
const from = Date.parse('2018-01-01T00:00:00Z');
const span = Date.parse('2028-12-31T00:00:00Z') - from;
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const anchors = Array.from({ length: ANCHORS }, () => new Date(from + Math.floor(random() * span)));

const synthetic: DeadlineRule[] = [
  { ...deadlineRules.get('ntk-cat2-draft')!, id: 'bench-4h', duration: { value: 4, unit: 'hours' } },
  {
    ...deadlineRules.get('ntk-cat2-draft')!,
    id: 'bench-15wd',
    duration: { value: 15, unit: 'working_days' },
    escalation: 'X-CP',
  },
  {
    ...deadlineRules.get('ntk-cat2-draft')!,
    id: 'bench-6m',
    duration: { value: 6, unit: 'months' },
    escalation: 'X-LAC',
  },
];

function measure(rule: DeadlineRule): number {
  for (const anchor of anchors.slice(0, 500)) planDeadline(calendar, rule, anchor); // warm-up
  const start = performance.now();
  for (const anchor of anchors) planDeadline(calendar, rule, anchor);
  return ANCHORS / ((performance.now() - start) / 1000);
}

const results = [...synthetic, ...[...deadlineRules.values()].filter((rule) => rule.duration)].map((rule) => ({
  rule: rule.id,
  perSecond: measure(rule),
}));
const baseline = results[0]!.perSecond;
console.log(`deadline plans over ${ANCHORS} random anchors 2018–2028 (one run; compare ratios, not absolutes)`);
for (const { rule, perSecond } of results) {
  console.log(
    `${rule.padEnd(24)} ${perSecond.toFixed(0).padStart(8)} plans/s   ${(baseline / perSecond).toFixed(2)}× the cost of bench-4h`,
  );
}
