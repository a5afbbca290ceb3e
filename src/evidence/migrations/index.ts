/**
 * Every migration of the evidence store, in order. Static (no directory scan), so the list is the
 * same under tsx, a bundle or a compiled build; Kysely applies them in the order of their names.
 */
import type { Migration } from 'kysely/migration';
import * as evidenceTables from './0001-evidence-tables';
import * as socialWorker from './0002-social-worker';
import * as openDeadlinesByProcess from './0003-open-deadlines-by-process';

export const migrations: Record<string, Migration> = {
  '0001-evidence-tables': evidenceTables,
  '0002-social-worker': socialWorker,
  '0003-open-deadlines-by-process': openDeadlinesByProcess,
};
