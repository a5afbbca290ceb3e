/**
 * What the workflows write to the evidence store, through an activity: every deadline transition
 * and every notification, with ids, rule ids, instants, actor ids, team and case reference only.
 * No names and no free text: the evidence outlives Temporal's retention, so it holds nothing a
 * person could be recognised by beyond the references the case system already uses.
 */
import { z } from 'zod';

export type DeadlineTransitionKind = 'opened' | 'rescheduled' | 'met' | 'breached' | 'escalated' | 'cancelled';
export type DeadlineStatus = 'pending' | 'met' | 'overdue' | 'cancelled';

export type EvidenceRecord =
  | {
      type: 'process';
      workflowId: string;
      processType: string;
      caseReference: string;
      childReference?: string;
      team?: string;
      /** The allocated social worker's actor id (the case system's staff id), for "my cases". */
      socialWorker?: string;
      startedAt: string;
      closedAt?: string;
    }
  | {
      type: 'deadline';
      workflowId: string;
      key: string;
      kind: 'opened' | 'rescheduled' | 'met' | 'breached' | 'escalated' | 'cancelled';
      at: string;
      actor?: string;
      deadline: {
        ruleId: string;
        occurrence: number;
        step: number;
        status: 'pending' | 'met' | 'overdue' | 'cancelled';
        anchorAt: string;
        dueAt: string;
        statutoryDueAt: string;
        metAt?: string;
        metBy?: string;
        escalationLevel: number;
        breached: boolean;
      };
    }
  | {
      type: 'notification';
      workflowId: string;
      key: string;
      ruleId?: string;
      occurrence?: number;
      kind: string;
      roles: string[];
      status: 'sent' | 'failed';
      at: string;
      messageId?: string;
    };

/**
 * Identifiers only: letters, digits and `_ - . : / @ #`, no spaces, so free text (a name, a
 * sentence about a concern) cannot slip into the evidence through an id field.
 */
const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:/@#-]+$/, 'an identifier: letters, digits and _ . : / @ # - only');
const instant = z.iso.datetime({ offset: true });
const count = z.number().int().min(0).max(1_000_000);

const processRecord = z.strictObject({
  type: z.literal('process'),
  workflowId: id,
  processType: id,
  caseReference: id,
  childReference: id.optional(),
  team: id.optional(),
  socialWorker: id.optional(),
  startedAt: instant,
  closedAt: instant.optional(),
});

const deadlineRecord = z.strictObject({
  type: z.literal('deadline'),
  workflowId: id,
  key: id,
  kind: z.enum(['opened', 'rescheduled', 'met', 'breached', 'escalated', 'cancelled']),
  at: instant,
  actor: id.optional(),
  deadline: z.strictObject({
    ruleId: id,
    occurrence: count,
    step: count,
    status: z.enum(['pending', 'met', 'overdue', 'cancelled']),
    anchorAt: instant,
    dueAt: instant,
    statutoryDueAt: instant,
    metAt: instant.optional(),
    metBy: id.optional(),
    escalationLevel: count,
    breached: z.boolean(),
  }),
});

const notificationRecord = z.strictObject({
  type: z.literal('notification'),
  workflowId: id,
  key: id,
  ruleId: id.optional(),
  occurrence: count.optional(),
  kind: id,
  roles: z.array(id).max(50),
  status: z.enum(['sent', 'failed']),
  at: instant,
  // An RFC 5322 Message-ID: `<local@domain>`, which the id pattern does not cover.
  messageId: z
    .string()
    .max(300)
    .regex(/^<?[^\s<>]+>?$/, 'a Message-ID')
    .optional(),
});

export const evidenceRecordSchema = z.discriminatedUnion('type', [processRecord, deadlineRecord, notificationRecord]);
export const evidenceBatchSchema = z.array(evidenceRecordSchema).max(1_000);

// The schema and the type the lead codes against must describe the same records.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<typeof evidenceRecordSchema>, EvidenceRecord> = true;
void schemaMatchesType;
