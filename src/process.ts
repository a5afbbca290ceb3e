/** Types every process shares: who acted, what happened, and each deadline's state (README "API"). */
import type { Role } from './roles';

/** A person (or the case system) acting through the API; roles come from their token. */
export interface Actor {
  id: string;
  roles: Array<Role | 'case_system' | 'administrator'>;
}

/**
 * Who is calling, as the read side needs it: the actor, and the teams or services their token
 * names (src/organisation.ts), which bound what they may read (src/evidence/scope.ts).
 */
export interface Caller {
  actor: Actor;
  teams: string[];
}

/** Every decision carries the actor taken from the caller's token, never from the body. */
export type Decision<T> = T & { actor: Actor };

/** Whose case it is (src/schemas.ts `assignmentFields`): a team id and a staff id, never names. */
export interface Assignment {
  team?: string;
  socialWorker?: string;
}

/** The assignment a start carried, and nothing when it carried none (so older runs' inputs are unchanged). */
export const assignmentOf = ({ team, socialWorker }: Assignment): Assignment => ({
  ...(team ? { team } : {}),
  ...(socialWorker ? { socialWorker } : {}),
});

/** The actor for what the workflow does by itself (timers, fallbacks). */
export const SYSTEM_ACTOR = 'system';

export interface ProcessEvent {
  at: string;
  type: string;
  actor?: string;
  summary: string;
}

export type DeadlineStatus = 'pending' | 'met' | 'overdue' | 'cancelled';

export interface Reschedule {
  from: string;
  to: string;
  by: string;
  reason: string;
  at: string;
}

export interface NotificationRecord {
  key: string;
  messageId?: string;
  at: string;
  kind: string;
  to: Role[];
  status: 'sent' | 'failed';
  rejected?: string[];
  /** Roles reached (absent in records made before it was kept: then a sent email reached all). */
  reached?: Role[];
  error?: string;
}

export interface DeadlineView {
  id: string;
  occurrence: number;
  /** Whom the occurrence is for when each child has their own (a case-system child reference). */
  subject?: string;
  label: string;
  anchorAt: string;
  dueAt: string;
  statutoryDueAt: string;
  status: DeadlineStatus;
  breached: boolean;
  /** When it happened: met on time if by `dueAt`, however late it was recorded. */
  metAt?: string;
  metBy?: string;
  /** When the service was told it was met (later than `metAt` for a late entry). */
  recordedAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
  cancelReason?: string;
  breachReason?: string;
  escalationLevel: number;
  calendarVersion: string;
  rescheduled: Reschedule[];
  notifications: NotificationRecord[];
}
