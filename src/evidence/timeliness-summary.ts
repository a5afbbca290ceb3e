/**
 * The timeliness report counted in the database: a year of deadlines is hundreds of thousands of
 * rows, too many to fetch for a report that answers a few numbers per rule. The database groups
 * the deadlines due in the period by rule, outcome and (for the late ones) the Europe/London days
 * they fell due and were met; the working days between those days, which need the service's
 * bank-holiday table, are counted in JS (`timelinessFromGroups`), once per distinct pair of days.
 * The result equals `timeliness(await timelinessRows(query), now, calendar)`
 * (test/evidence/timeliness-summary.test.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { WorkingDayCalendar } from '../calendar';
import type { EvidenceDatabase } from './schema';
import type { TimelinessQuery } from './store';
import { timelinessFromGroups, type RuleTimeliness, type TimelinessGroup } from './timeliness';
import { toInstant, type Instant } from './worktray';

export async function timelinessSummary(
  db: Kysely<EvidenceDatabase>,
  query: TimelinessQuery,
  now: Instant,
  calendar: WorkingDayCalendar,
): Promise<RuleTimeliness[]> {
  // The same deadlines as timelinessRows() selects, less the cancelled, which the report leaves out.
  const teams = query.teams ?? 'all';
  if (teams !== 'all' && teams.length === 0) return [];
  const at = toInstant(now, 'now');
  const zone = calendar.settings.timeZone;
  const outcome = sql<TimelinessGroup['outcome']>`case
    when d.met_at is not null then case when d.met_at <= d.due_at then 'met_on_time' else 'met_late' end
    when d.due_at < ${at} then 'open_overdue'
    else 'open' end`;
  const late = sql`(d.met_at > d.due_at or (d.met_at is null and d.due_at < ${at}))`;
  const localDay = (instant: ReturnType<typeof sql>) =>
    sql<string | null>`case when ${late} then to_char(${instant} at time zone ${zone}, 'YYYY-MM-DD') end`;

  let select = db
    .selectFrom('deadlines as d')
    .leftJoin('processes as p', 'p.workflow_id', 'd.workflow_id')
    .select([
      'd.rule_id',
      outcome.as('outcome'),
      localDay(sql`d.due_at`).as('due_day'),
      localDay(sql`coalesce(d.met_at, ${at})`).as('end_day'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('d.due_at', '>=', toInstant(query.from, 'from'))
    .where('d.due_at', '<', toInstant(query.to, 'to'))
    .where('d.status', '<>', 'cancelled');
  if (teams !== 'all') select = select.where('p.team', 'in', teams);
  if (query.team !== undefined) select = select.where('p.team', '=', query.team);
  if (query.rule !== undefined) select = select.where('d.rule_id', '=', query.rule);
  const rows = await select.groupBy(['d.rule_id', sql`2`, sql`3`, sql`4`]).execute();
  return timelinessFromGroups(
    rows.map((row) => ({
      ruleId: row.rule_id,
      outcome: row.outcome,
      dueDay: row.due_day,
      endDay: row.end_day,
      count: row.count,
    })),
    calendar,
  );
}
