/** Builders of evidence records for the store's tests: ids and instants only, as the workflows write them. */
import type { EvidenceRecord } from '../../src/evidence/records';

type DeadlineRecord = Extract<EvidenceRecord, { type: 'deadline' }>;
type ProcessRecord = Extract<EvidenceRecord, { type: 'process' }>;
type NotificationRecord = Extract<EvidenceRecord, { type: 'notification' }>;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const NOW = new Date('2026-03-02T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
export const fromNow = (ms: number) => iso(NOW.getTime() + ms);

export const processRecord = (workflowId: string, extra: Partial<ProcessRecord> = {}): ProcessRecord => ({
  type: 'process',
  workflowId,
  processType: 'child-protection-plan',
  caseReference: `CASE-${workflowId}`,
  startedAt: '2026-01-05T09:00:00.000Z',
  ...extra,
});

export interface DeadlineState {
  ruleId?: string;
  occurrence?: number;
  step: number;
  kind?: DeadlineRecord['kind'];
  status?: DeadlineRecord['deadline']['status'];
  dueAt?: string;
  metAt?: string;
  metBy?: string;
  escalationLevel?: number;
  breached?: boolean;
  actor?: string;
}

/** The deadline's state after its `step`th transition; the key names the transition. */
export function deadlineRecord(workflowId: string, state: DeadlineState): DeadlineRecord {
  const ruleId = state.ruleId ?? 'CP-REVIEW-1';
  const occurrence = state.occurrence ?? 0;
  const dueAt = state.dueAt ?? fromNow(5 * DAY);
  return {
    type: 'deadline',
    workflowId,
    key: `${ruleId}/${occurrence}/${state.step}`,
    kind: state.kind ?? 'opened',
    at: iso(Date.parse('2026-01-05T09:00:00.000Z') + state.step * HOUR),
    ...(state.actor ? { actor: state.actor } : {}),
    deadline: {
      ruleId,
      occurrence,
      step: state.step,
      status: state.status ?? 'pending',
      anchorAt: '2026-01-05T09:00:00.000Z',
      dueAt,
      statutoryDueAt: iso(Date.parse(dueAt) + 7 * HOUR),
      ...(state.metAt ? { metAt: state.metAt } : {}),
      ...(state.metBy ? { metBy: state.metBy } : {}),
      escalationLevel: state.escalationLevel ?? 0,
      breached: state.breached ?? false,
    },
  };
}

export const notificationRecord = (workflowId: string, key: string, extra: Partial<NotificationRecord> = {}) =>
  ({
    type: 'notification',
    workflowId,
    key,
    ruleId: 'CP-REVIEW-1',
    occurrence: 0,
    kind: 'warning',
    roles: ['social_worker', 'team_manager'],
    status: 'sent',
    at: '2026-02-01T09:00:00.000Z',
    messageId: `<${key.replace(/\//g, '.')}@deadlines.example.test>`,
    ...extra,
  }) satisfies NotificationRecord;
