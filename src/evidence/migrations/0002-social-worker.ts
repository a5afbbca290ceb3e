/**
 * The allocated social worker of a process (an actor id, never a name), so a social worker's
 * worktray and reports can be scoped to their own cases.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('processes').addColumn('social_worker', 'text').execute();
  await db.schema
    .createIndex('processes_social_worker')
    .on('processes')
    .columns(['social_worker', 'workflow_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('processes_social_worker').execute();
  await db.schema.alterTable('processes').dropColumn('social_worker').execute();
}
