import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations';
import type { EvidenceDatabase } from './schema';

/**
 * Brings the schema up to the newest migration; a no-op when it is there already. Safe when
 * several processes open the store at once: Kysely runs the migrations in one transaction under
 * an advisory lock on PostgreSQL, and PGlite has a single connection.
 */
export async function migrateToLatest(db: Kysely<EvidenceDatabase>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'evidence_migrations',
    migrationLockTableName: 'evidence_migrations_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(
      `the evidence store's migrations failed${name}: ${(error as Error | undefined)?.message ?? error}`,
      {
        cause: error,
      },
    );
  }
  return results.map((result) => result.migrationName);
}
