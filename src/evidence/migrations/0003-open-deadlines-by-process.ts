/**
 * The open deadlines of each process, for the worktray of one team: PGlite has no autovacuum, so
 * an embedded store may never have statistics, and without them the planner joined a team's
 * processes to deadlines_open_by_due, whose first column is not the workflow id, scanning that
 * whole index once per process (300 ms for one team's first page at 3,000 open processes; under
 * 10 ms with this index; bench/evidence.ts --analyze=no). Partial, like deadlines_open_by_due.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('deadlines_open_by_process')
    .on('deadlines')
    .columns(['workflow_id', 'due_at'])
    .where(sql.ref('status'), 'in', ['pending', 'overdue'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deadlines_open_by_process').execute();
}
