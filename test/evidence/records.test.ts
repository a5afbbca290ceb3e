import { describe, expect, it } from 'vitest';
import { evidenceBatchSchema, evidenceRecordSchema } from '../../src/evidence/records';
import { deadlineRecord, notificationRecord, processRecord } from './records';

describe('the evidence records schema', () => {
  it('accepts the records the workflows write', () => {
    const batch = [
      processRecord('cpp-CP-1', { team: 'north', childReference: 'CHILD-1', closedAt: '2026-02-01T12:00:00+00:00' }),
      deadlineRecord('cpp-CP-1', {
        step: 3,
        kind: 'met',
        status: 'met',
        metAt: '2026-02-01T09:00:00.000Z',
        metBy: 'sw-1',
      }),
      notificationRecord('cpp-CP-1', 'warn/CP-REVIEW-1/0/1'),
      notificationRecord('cpp-CP-1', 'fail/1', {
        status: 'failed',
        ruleId: undefined,
        occurrence: undefined,
        messageId: undefined,
      }),
    ];
    expect(evidenceBatchSchema.parse(batch)).toEqual(batch);
  });

  it('refuses free text where an id belongs, unknown fields and malformed instants', () => {
    const refused = [
      processRecord('cpp-CP-1', { caseReference: 'Jane Smith' }),
      { ...deadlineRecord('cpp-CP-1', { step: 1 }), actor: 'the social worker said' },
      { ...deadlineRecord('cpp-CP-1', { step: 1 }), note: 'concern about bruising' },
      { ...notificationRecord('cpp-CP-1', 'n/1'), roles: ['social worker'] },
      { ...deadlineRecord('cpp-CP-1', { step: 1 }), at: '1 March 2026' },
      { ...deadlineRecord('cpp-CP-1', { step: -1 }) },
      { ...deadlineRecord('cpp-CP-1', { step: 1 }), kind: 'forgotten' },
      { type: 'comment', workflowId: 'cpp-CP-1' },
    ];
    for (const record of refused)
      expect(evidenceRecordSchema.safeParse(record).success, JSON.stringify(record)).toBe(false);
  });
});
