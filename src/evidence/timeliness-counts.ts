/**
 * The timeliness report's figures, counted by the database: one row per rule, outcome and pair of
 * local days (the due day, and the day a late deadline was met), with how many deadlines share
 * them. A year of deadlines comes back as a few thousand rows at most, not one per deadline, and
 * the lateness in working days is still exact: it depends on those two days only
 * (src/evidence/census.ts turns the rows into the report).
 */
import { sql, type Kysely } from 'kysely';
import type { EvidenceDatabase } from './schema';
import { toInstant, type Instant } from './worktray';

export type TimelinessOutcome = 'on_time' | 'late' | 'overdue' | 'open';

export interface TimelinessCountsQuery {
  /** Deadlines due from this instant (inclusive)… */
  from: Instant;
  /** …to this one (exclusive). */
  to: Instant;
  /** What is open and past due by now is overdue. */
  now: Instant;
  /** The calendar's time zone, whose days lateness is counted in (Europe/London). */
  timeZone: string;
  teams?: string[] | 'all';
  team?: string;
  socialWorker?: string;
  rule?: string;
}

export interface TimelinessCount {
  ruleId: string;
  outcome: TimelinessOutcome;
  /** The local due day, for a late or overdue deadline (null otherwise). */
  dueDay: string | null;
  /** The local day a late deadline was met (null otherwise: an overdue one counts to today). */
  metDay: string | null;
  count: number;
}

export async function timelinessCounts(
  db: Kysely<EvidenceDatabase>,
  query: TimelinessCountsQuery,
): Promise<TimelinessCount[]> {
  const teams = query.teams ?? 'all';
  if (teams !== 'all' && teams.length === 0) return [];
  const now = toInstant(query.now, 'now');
  const outcome = sql<TimelinessOutcome>`case
    when d.met_at is null then (case when d.due_at < ${now} then 'overdue' else 'open' end)
    when d.met_at <= d.due_at then 'on_time'
    else 'late' end`;
  const localDay = (column: 'd.due_at' | 'd.met_at') =>
    sql<string>`to_char(${sql.ref(column)} at time zone ${query.timeZone}, 'YYYY-MM-DD')`;
  const dueDay = sql<string | null>`case
    when d.met_at is null and d.due_at >= ${now} then null
    when d.met_at is not null and d.met_at <= d.due_at then null
    else ${localDay('d.due_at')} end`;
  const metDay = sql<string | null>`case when d.met_at > d.due_at then ${localDay('d.met_at')} end`;

  // A left join, as in timelinessRows: a deadline whose process row has not arrived still counts,
  // unless the caller is limited to some teams or cases.
  let select = db
    .selectFrom('deadlines as d')
    .leftJoin('processes as p', 'p.workflow_id', 'd.workflow_id')
    .select([
      'd.rule_id',
      outcome.as('outcome'),
      dueDay.as('due_day'),
      metDay.as('met_day'),
      (eb) => eb.fn.countAll<string | number>().as('count'),
    ])
    .where('d.due_at', '>=', toInstant(query.from, 'from'))
    .where('d.due_at', '<', toInstant(query.to, 'to'))
    .where('d.status', '<>', 'cancelled');
  if (teams !== 'all') select = select.where('p.team', 'in', teams);
  if (query.team !== undefined) select = select.where('p.team', '=', query.team);
  if (query.socialWorker !== undefined) select = select.where('p.social_worker', '=', query.socialWorker);
  if (query.rule !== undefined) select = select.where('d.rule_id', '=', query.rule);
  const rows = await select
    .groupBy(['d.rule_id', sql`2`, sql`3`, sql`4`])
    .orderBy('d.rule_id')
    .execute();
  return rows.map((row) => ({
    ruleId: row.rule_id,
    outcome: row.outcome,
    dueDay: row.due_day,
    metDay: row.met_day,
    count: Number(row.count),
  }));
}
