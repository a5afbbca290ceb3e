/**
 * The first evidence tables. A migration, once released, is never edited: a change is a new file
 * listed in ./index.ts. No foreign keys between the tables: the workflows write through retried
 * activities in no guaranteed order, and a transition must never be refused because the process
 * row has not arrived yet.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('processes')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('process_type', 'text', (c) => c.notNull())
    .addColumn('case_reference', 'text', (c) => c.notNull())
    .addColumn('child_reference', 'text')
    .addColumn('team', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .execute();
  // The worktray's team filter joins from the open deadlines to their processes.
  await db.schema.createIndex('processes_team').on('processes').columns(['team', 'workflow_id']).execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'met', 'overdue', 'cancelled')`))
    .addColumn('anchor_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('statutory_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('met_at', 'timestamptz')
    .addColumn('met_by', 'text')
    .addColumn('escalation_level', 'integer', (c) => c.notNull())
    .addColumn('breached', 'boolean', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadlines_pk', ['workflow_id', 'rule_id', 'occurrence'])
    .execute();
  // The worktray: open deadlines, soonest first, in the order of its keyset cursor. Partial, so
  // the years of met deadlines do not weigh on it.
  await db.schema
    .createIndex('deadlines_open_by_due')
    .on('deadlines')
    .columns(['due_at', 'workflow_id', 'rule_id', 'occurrence'])
    .where(sql.ref('status'), 'in', ['pending', 'overdue'])
    .execute();
  // The timeliness report: one rule's deadlines due in a period, and every rule's.
  await db.schema.createIndex('deadlines_rule_due').on('deadlines').columns(['rule_id', 'due_at']).execute();
  await db.schema.createIndex('deadlines_due').on('deadlines').column('due_at').execute();

  await db.schema
    .createTable('deadline_transitions')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('opened', 'rescheduled', 'met', 'breached', 'escalated', 'cancelled')`),
    )
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('escalation_level', 'integer')
    .addPrimaryKeyConstraint('deadline_transitions_pk', ['workflow_id', 'key'])
    .execute();
  await db.schema
    .createIndex('deadline_transitions_by_deadline')
    .on('deadline_transitions')
    .columns(['workflow_id', 'rule_id', 'occurrence', 'at'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('occurrence', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('sent', 'failed')`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addPrimaryKeyConstraint('notifications_pk', ['workflow_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['notifications', 'deadline_transitions', 'deadlines', 'processes']) {
    await db.schema.dropTable(table).execute();
  }
}
