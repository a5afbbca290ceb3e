/**
 * The evidence store's tables, as Kysely sees them. Instants are `timestamptz`: written as ISO
 * strings, read back as `Date`s (by both `pg` and PGlite).
 */
import type { ColumnType } from 'kysely';
import type { DeadlineStatus } from './records';

type Instant = ColumnType<Date, string, string>;
type NullableInstant = ColumnType<Date | null, string | null | undefined, string | null>;

export interface ProcessesTable {
  workflow_id: string;
  process_type: string;
  case_reference: string;
  child_reference: string | null;
  team: string | null;
  social_worker: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Instant;
  closed_at: NullableInstant;
}

/** One row per deadline occurrence: its latest state, by the workflow's own step counter. */
export interface DeadlinesTable {
  workflow_id: string;
  rule_id: string;
  occurrence: number;
  status: DeadlineStatus;
  anchor_at: Instant;
  due_at: Instant;
  statutory_due_at: Instant;
  met_at: NullableInstant;
  met_by: string | null;
  escalation_level: number;
  breached: boolean;
  step: number;
}

/** Append-only: every transition, once, by the workflow's idempotency key. */
export interface DeadlineTransitionsTable {
  workflow_id: string;
  key: string;
  rule_id: string;
  occurrence: number;
  kind: string;
  at: Instant;
  actor: string | null;
  due_at: NullableInstant;
  escalation_level: number | null;
}

/** Append-only: every notification sent or failed, once, by the workflow's idempotency key. */
export interface NotificationsTable {
  workflow_id: string;
  key: string;
  rule_id: string | null;
  occurrence: number | null;
  kind: string;
  roles: ColumnType<string[], string[], string[]>;
  status: 'sent' | 'failed';
  at: Instant;
  message_id: string | null;
}

export interface EvidenceDatabase {
  processes: ProcessesTable;
  deadlines: DeadlinesTable;
  deadline_transitions: DeadlineTransitionsTable;
  notifications: NotificationsTable;
}
