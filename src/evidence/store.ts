/**
 * The evidence store: every deadline transition and notification of the service's workflows,
 * kept in a relational database that outlives Temporal's retention. One schema and one query
 * layer (Kysely) over two backends: PostgreSQL in production (`DATABASE_URL`) and PGlite,
 * PostgreSQL compiled to WebAssembly, embedded for tests and one-process use.
 *
 * Every write is idempotent, because the activity that makes it is retried and its workflow
 * replayed: transitions and notifications are inserted once by their key, and a deadline's row
 * moves only forward, by the workflow's step counter.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { Pool } from 'pg';
import { annexARows, type AnnexAQuery, type AnnexARow } from './annex-a';
import { migrateToLatest } from './migrate';
import type { EvidenceRecord } from './records';
import type { EvidenceDatabase } from './schema';
import { timelinessCounts, type TimelinessCount, type TimelinessCountsQuery } from './timeliness-counts';
import { toInstant, worktray, type Instant, type WorktrayPage, type WorktrayQuery } from './worktray';

export type EvidenceStoreLocation = { databaseUrl: string } | { pgliteDir: string } | { pglite: 'memory' };

export interface TimelinessQuery {
  /** Deadlines due from this instant (inclusive)… */
  from: Instant;
  /** …to this one (exclusive). */
  to: Instant;
  teams?: string[] | 'all';
  team?: string;
  /** Only the processes whose allocated social worker is this actor id. */
  socialWorker?: string;
  rule?: string;
}

/** One deadline due in the period, as the timeliness report needs it (src/evidence/timeliness.ts). */
export interface TimelinessRow {
  workflowId: string;
  ruleId: string;
  occurrence: number;
  team: string | null;
  status: 'pending' | 'met' | 'overdue' | 'cancelled';
  dueAt: string;
  metAt: string | null;
}

export interface EvidenceStore {
  /** Writes a batch in one transaction; writing it again, or an older state after it, changes nothing. */
  record(batch: readonly EvidenceRecord[]): Promise<void>;
  worktray(query: WorktrayQuery): Promise<WorktrayPage>;
  timelinessRows(query: TimelinessQuery): Promise<TimelinessRow[]>;
  /** The timeliness report's counts, aggregated in SQL (src/evidence/timeliness-counts.ts). */
  timelinessCounts(query: TimelinessCountsQuery): Promise<TimelinessCount[]>;
  /** One Annex A list's rows (src/evidence/annex-a.ts). */
  annexA(query: AnnexAQuery): Promise<AnnexARow[]>;
  close(): Promise<void>;
  /** The query builder itself, for what the methods above do not cover (and for tests). */
  readonly db: Kysely<EvidenceDatabase>;
}

/** Opens the store and brings its schema up to date. */
export async function openEvidenceStore(location: EvidenceStoreLocation): Promise<EvidenceStore> {
  const db = new Kysely<EvidenceDatabase>({ dialect: dialectFor(location) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    record: (batch) => record(db, batch),
    worktray: (query) => worktray(db, query),
    timelinessRows: (query) => timelinessRows(db, query),
    timelinessCounts: (query) => timelinessCounts(db, query),
    annexA: (query) => annexARows(db, query),
    close: () => db.destroy(),
  };
}

function dialectFor(location: EvidenceStoreLocation) {
  if ('databaseUrl' in location) {
    const pool = new Pool({ connectionString: location.databaseUrl, max: 10 });
    // A connection that breaks while idle is dropped from the pool and the next query opens a new
    // one; without a listener its error would end the process.
    pool.on('error', () => undefined);
    return new PostgresDialect({ pool });
  }
  if ('pgliteDir' in location) {
    mkdirSync(location.pgliteDir, { recursive: true, mode: 0o700 });
    return new PGliteDialect({ pglite: () => new PGlite(location.pgliteDir) });
  }
  return new PGliteDialect({ pglite: () => new PGlite() });
}

async function record(db: Kysely<EvidenceDatabase>, batch: readonly EvidenceRecord[]): Promise<void> {
  if (batch.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const item of batch) await write(trx, item);
  });
}

/** Written in UTC to the millisecond, so that a worktray cursor (a JS Date) names a row exactly. */
const instant = (value: string) => toInstant(value, 'instant').toISOString();
const optionalInstant = (value: string | undefined) => (value === undefined ? null : instant(value));

async function write(trx: Transaction<EvidenceDatabase>, item: EvidenceRecord): Promise<void> {
  switch (item.type) {
    case 'process':
      // A later write fills in what an earlier one lacked and never blanks a field; the start
      // and the close are each recorded once.
      await trx
        .insertInto('processes')
        .values({
          workflow_id: item.workflowId,
          process_type: item.processType,
          case_reference: item.caseReference,
          child_reference: item.childReference ?? null,
          team: item.team ?? null,
          social_worker: item.socialWorker ?? null,
          started_at: instant(item.startedAt),
          closed_at: optionalInstant(item.closedAt),
        })
        .onConflict((conflict) =>
          conflict.column('workflow_id').doUpdateSet(({ fn, ref }) => ({
            process_type: ref('excluded.process_type'),
            case_reference: ref('excluded.case_reference'),
            child_reference: fn.coalesce('excluded.child_reference', 'processes.child_reference'),
            team: fn.coalesce('excluded.team', 'processes.team'),
            social_worker: fn.coalesce('excluded.social_worker', 'processes.social_worker'),
            closed_at: fn.coalesce('processes.closed_at', 'excluded.closed_at'),
          })),
        )
        .execute();
      return;
    case 'deadline': {
      const { deadline } = item;
      await trx
        .insertInto('deadline_transitions')
        .values({
          workflow_id: item.workflowId,
          key: item.key,
          rule_id: deadline.ruleId,
          occurrence: deadline.occurrence,
          kind: item.kind,
          at: instant(item.at),
          actor: item.actor ?? null,
          due_at: instant(deadline.dueAt),
          escalation_level: deadline.escalationLevel,
        })
        .onConflict((conflict) => conflict.columns(['workflow_id', 'key']).doNothing())
        .execute();
      const row = {
        status: deadline.status,
        anchor_at: instant(deadline.anchorAt),
        due_at: instant(deadline.dueAt),
        statutory_due_at: instant(deadline.statutoryDueAt),
        met_at: optionalInstant(deadline.metAt),
        met_by: deadline.metBy ?? null,
        escalation_level: deadline.escalationLevel,
        breached: deadline.breached,
        step: deadline.step,
      };
      // Only a newer step moves the row: a retried, replayed or late-arriving older state is ignored.
      await trx
        .insertInto('deadlines')
        .values({ workflow_id: item.workflowId, rule_id: deadline.ruleId, occurrence: deadline.occurrence, ...row })
        .onConflict((conflict) =>
          conflict
            .columns(['workflow_id', 'rule_id', 'occurrence'])
            .doUpdateSet(row)
            .where('deadlines.step', '<', deadline.step),
        )
        .execute();
      return;
    }
    case 'notification':
      await trx
        .insertInto('notifications')
        .values({
          workflow_id: item.workflowId,
          key: item.key,
          rule_id: item.ruleId ?? null,
          occurrence: item.occurrence ?? null,
          kind: item.kind,
          roles: item.roles,
          status: item.status,
          at: instant(item.at),
          message_id: item.messageId ?? null,
        })
        .onConflict((conflict) => conflict.columns(['workflow_id', 'key']).doNothing())
        .execute();
      return;
  }
}

async function timelinessRows(db: Kysely<EvidenceDatabase>, query: TimelinessQuery): Promise<TimelinessRow[]> {
  const teams = query.teams ?? 'all';
  if (teams !== 'all' && teams.length === 0) return [];
  // A left join: a deadline whose process row has not arrived still counts (with no team).
  let select = db
    .selectFrom('deadlines as d')
    .leftJoin('processes as p', 'p.workflow_id', 'd.workflow_id')
    .select(['d.workflow_id', 'd.rule_id', 'd.occurrence', 'p.team', 'd.status', 'd.due_at', 'd.met_at'])
    .where('d.due_at', '>=', toInstant(query.from, 'from'))
    .where('d.due_at', '<', toInstant(query.to, 'to'));
  if (teams !== 'all') select = select.where('p.team', 'in', teams);
  if (query.team !== undefined) select = select.where('p.team', '=', query.team);
  if (query.socialWorker !== undefined) select = select.where('p.social_worker', '=', query.socialWorker);
  if (query.rule !== undefined) select = select.where('d.rule_id', '=', query.rule);
  const rows = await select
    .orderBy('d.rule_id')
    .orderBy('d.due_at')
    .orderBy('d.workflow_id')
    .orderBy('d.occurrence')
    .execute();
  return rows.map((row) => ({
    workflowId: row.workflow_id,
    ruleId: row.rule_id,
    occurrence: row.occurrence,
    team: row.team,
    status: row.status,
    dueAt: row.due_at.toISOString(),
    metAt: row.met_at?.toISOString() ?? null,
  }));
}
