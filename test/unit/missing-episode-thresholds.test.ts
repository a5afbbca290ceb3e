import { describe, expect, it } from 'vitest';
import { otherRules } from '../../src/other-rules';
import {
  applyingTriggers,
  CP_MISSING,
  foundBeforeAnchor,
  LAC_MISSING,
  missingAnchor,
  missingFacts,
  procedureDueAt,
  SLT_MISSING,
  thresholdAt,
} from '../../src/processes/missing-episode/thresholds';

const ids = (status: { lookedAfter: boolean; onPlan: boolean; exploitationConcern: boolean }) =>
  applyingTriggers(status).map((t) => t.ruleId);
const REPORTED = '2027-03-05T16:00:00.000Z';
const SEEN = '2027-03-05T10:00:00.000Z';

describe('missing-child thresholds (§6.4, §7.3, ⚠C-23, ⚠C-26)', () => {
  it('⚠C-23: the clock runs from last seen if known, else from the report', () => {
    expect(missingAnchor({ reportedMissingAt: REPORTED, lastSeenAt: SEEN })).toBe(SEEN);
    expect(missingAnchor({ reportedMissingAt: REPORTED })).toBe(REPORTED);
  });

  it('a looked-after child: item 4 at 48 hours, also when on a plan too (the stricter threshold)', () => {
    expect(ids({ lookedAfter: true, onPlan: false, exploitationConcern: false })).toEqual(['ntk-trigger-lac-missing']);
    expect(ids({ lookedAfter: true, onPlan: true, exploitationConcern: false })).toEqual(['ntk-trigger-lac-missing']);
    expect(LAC_MISSING).toMatchObject({ hours: 48, raises: { kind: 'need-to-know', item: 4, key: 'lac-missing' } });
  });

  it('a child on a plan only: item 5 at 72 hours, never item 4', () => {
    expect(ids({ lookedAfter: false, onPlan: true, exploitationConcern: false })).toEqual(['ntk-trigger-cp-missing']);
    expect(CP_MISSING).toMatchObject({ hours: 72, raises: { kind: 'need-to-know', item: 5, key: 'cp-missing' } });
  });

  it('exploitation concerns add slt-trigger-missing at 72 hours, ordered after the 48-hour trigger', () => {
    expect(ids({ lookedAfter: false, onPlan: false, exploitationConcern: true })).toEqual(['slt-trigger-missing']);
    expect(ids({ lookedAfter: true, onPlan: false, exploitationConcern: true })).toEqual([
      'ntk-trigger-lac-missing',
      'slt-trigger-missing',
    ]);
    expect(ids({ lookedAfter: false, onPlan: true, exploitationConcern: true })).toEqual([
      'ntk-trigger-cp-missing',
      'slt-trigger-missing',
    ]);
    expect(SLT_MISSING.hours).toBe(72);
  });

  it('nothing applies to a child neither looked after nor on a plan, with no exploitation concern', () => {
    expect(ids({ lookedAfter: false, onPlan: false, exploitationConcern: false })).toEqual([]);
  });

  it('⚠C-26: a threshold is reached at exactly N hours (≥), counted in elapsed hours', () => {
    expect(thresholdAt(SEEN, LAC_MISSING)).toBe('2027-03-07T10:00:00.000Z');
    expect(thresholdAt(SEEN, SLT_MISSING)).toBe('2027-03-08T10:00:00.000Z');
    // Across the clocks going forward (28 March 2027): 48 elapsed hours, not 48 wall-clock hours.
    expect(thresholdAt('2027-03-27T12:00:00.000Z', LAC_MISSING)).toBe('2027-03-29T12:00:00.000Z');
  });

  it('[P] kev-missing is due at the first threshold that applies, or at 72 hours when none does', () => {
    const status = { lookedAfter: true, onPlan: false, exploitationConcern: true };
    expect(procedureDueAt(SEEN, applyingTriggers(status))).toBe('2027-03-07T10:00:00.000Z');
    expect(procedureDueAt(SEEN, [CP_MISSING])).toBe('2027-03-08T10:00:00.000Z');
    expect(procedureDueAt(SEEN, [])).toBe('2027-03-08T10:00:00.000Z');
  });

  it('the thresholds are the rule catalogue’s durations (the ids are a public contract)', () => {
    for (const trigger of [LAC_MISSING, CP_MISSING, SLT_MISSING]) {
      const rule = otherRules.find((r) => r.id === trigger.ruleId);
      expect(rule?.duration, trigger.ruleId).toEqual({ value: trigger.hours, unit: 'hours' });
    }
    expect(otherRules.find((r) => r.id === 'kev-missing')?.duration).toBeUndefined();
  });

  it('the facts a briefing carries say where the clock runs from, and no names', () => {
    expect(missingFacts({ anchorAt: SEEN, lastSeenAt: SEEN, withFamily: true, exploitationConcern: false })).toBe(
      `Missing since ${SEEN} (last seen), with family: yes, exploitation concern: no.`,
    );
    expect(missingFacts({ anchorAt: REPORTED, withFamily: false, exploitationConcern: true })).toBe(
      `Missing since ${REPORTED} (reported), with family: no, exploitation concern: yes.`,
    );
  });

  it('a found instant before the anchor is refused; at the anchor it is not', () => {
    expect(foundBeforeAnchor('2027-03-05T09:59:59.000Z', SEEN)).toBe(true);
    expect(foundBeforeAnchor(SEEN, SEEN)).toBe(false);
  });
});
