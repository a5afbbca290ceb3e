import { describe, expect, it } from 'vitest';
import {
  assessmentLimit,
  checkpointsPastLimit,
  closureSurvivors,
  contactRules,
  decidesForEveryChild,
  exceededWithoutReason,
  extensionNeedsReason,
  FRONT_DOOR_FINALISE,
  ICPC_BEFORE,
  ICPC_RULES,
  lastMetAt,
  S47_RULES,
  SURVIVE_CLOSURE,
  thirteenWeekAnchor,
} from '../../src/processes/s47-enquiry/enquiry-rules';
import { urgencies } from '../../src/processes/s47-enquiry/schemas';
import {
  complexMayReplace,
  defaultUrgency,
  rearmsAtOnce,
  STRATEGY_IDS,
  STRATEGY_RULES,
  strategyRule,
} from '../../src/processes/s47-enquiry/strategy-rules';
import { deadlineRules } from '../../src/rules';

describe('the strategy rule each urgency runs (D1.5)', () => {
  it('maps every urgency to its own catalogue rule', () => {
    expect(Object.keys(STRATEGY_RULES).sort()).toEqual([...urgencies].sort());
    expect(new Set(STRATEGY_IDS).size).toBe(urgencies.length);
    for (const id of STRATEGY_IDS) expect(deadlineRules.has(id), id).toBe(true);
    expect(STRATEGY_RULES.complex).toBe('strategy-complex');
    expect(STRATEGY_RULES.penetrative_sexual_abuse).toBe('strategy-psa');
  });

  it('runs the staff-allegation rule for an allegation against staff, else the standard one, until an urgency is set', () => {
    expect(defaultUrgency('staff_allegation')).toBe('staff_allegation');
    for (const trigger of ['contact', 'concern', 'emergency'] as const)
      expect(defaultUrgency(trigger)).toBe('standard');
    expect(strategyRule(undefined, 'contact')).toBe('strategy-standard');
    expect(strategyRule(undefined, 'staff_allegation')).toBe('strategy-staff-allegation');
    expect(strategyRule('immediate_action', 'staff_allegation')).toBe('strategy-immediate-action');
  });

  it('re-arms for a stricter category or for complex, and keeps the running clock for a laxer one (⚠C-01)', () => {
    const sooner = '2026-03-02T17:00:00.000Z';
    const later = '2026-03-04T17:00:00.000Z';
    expect(rearmsAtOnce('immediate_action', sooner, later)).toBe(true);
    expect(rearmsAtOnce('standard', later, sooner)).toBe(false);
    expect(rearmsAtOnce('serious_risk', sooner, sooner)).toBe(false);
    expect(rearmsAtOnce('complex', later, sooner)).toBe(true);
  });

  it('lets complex replace only a standard deadline still pending', () => {
    expect(complexMayReplace('strategy-standard', 'pending')).toBe(true);
    expect(complexMayReplace('strategy-standard', 'overdue')).toBe(false);
    expect(complexMayReplace('strategy-serious-risk', 'pending')).toBe(false);
  });
});

describe('the enquiry’s deadlines as data (§3)', () => {
  it('opens a contact’s clocks in order, the finalisation by contact type, the other-LA notice only when named', () => {
    expect(contactRules({ contactType: 'general', otherLocalAuthority: false })).toEqual([
      'contact-screen',
      'contact-finalise',
      'referral-ack-decision',
      'referrer-feedback',
    ]);
    const cp = contactRules({ contactType: 'cp_referral', otherLocalAuthority: true });
    expect(cp[1]).toBe('contact-finalise-cp');
    expect(cp.at(-1)).toBe('contact-other-la-notify');
    expect(FRONT_DOOR_FINALISE).toEqual(expect.arrayContaining([cp[1], 'contact-finalise']));
  });

  it('counts the 13-week notice from the MASH decision once patched, from the sign-off before (⚠C-34)', () => {
    expect(thirteenWeekAnchor(true, 'decided', 'signed')).toBe('decided');
    expect(thirteenWeekAnchor(false, 'decided', 'signed')).toBe('signed');
  });

  it('names only catalogue rules', () => {
    for (const id of [...FRONT_DOOR_FINALISE, ...S47_RULES, ...ICPC_RULES, ...SURVIVE_CLOSURE])
      expect(deadlineRules.has(id), id).toBe(true);
    expect(ICPC_RULES).toEqual(expect.arrayContaining(ICPC_BEFORE));
    expect(ICPC_RULES).not.toContain('s47-manager-signoff');
  });

  it('keeps what is owed to others at closure, and the assessment too after a conference (⚠C-05)', () => {
    expect(closureSurvivors(false)).toEqual(['referrer-feedback', 'contact-13wk-notify', 'contact-other-la-notify']);
    expect(closureSurvivors(true)).toEqual([...SURVIVE_CLOSURE, 'assessment-see-child', 'assessment-complete']);
  });
});

describe('the tests the enquiry’s decisions apply', () => {
  it('takes the assessment’s last day from its due instant', () => {
    expect(assessmentLimit('2026-05-01T16:59:59.000Z')).toBe('2026-05-01');
    expect(assessmentLimit(undefined)).toBe('');
  });

  it('asks for the reasons past 45 working days only (004 WT ch.1 para 75)', () => {
    const due = '2026-05-01T16:59:59.000Z';
    expect(exceededWithoutReason('2026-05-02T09:00:00.000Z', due)).toBe(true);
    expect(exceededWithoutReason('2026-05-02T09:00:00.000Z', due, 'court delay')).toBe(false);
    expect(exceededWithoutReason('2026-04-30T09:00:00.000Z', due)).toBe(false);
  });

  it('refuses checkpoints past the assessment, and an extension past it without a reason (D1.4)', () => {
    expect(checkpointsPastLimit(['2026-04-01', '2026-05-01'], '2026-05-01')).toBe(false);
    expect(checkpointsPastLimit(['2026-04-01', '2026-05-02'], '2026-05-01')).toBe(true);
    expect(extensionNeedsReason('extend', '2026-05-02', '2026-05-01')).toBe(true);
    expect(extensionNeedsReason('extend', '2026-05-02', '2026-05-01', 'family unavailable')).toBe(false);
    expect(extensionNeedsReason('extend', '2026-04-20', '2026-05-01')).toBe(false);
    expect(extensionNeedsReason('complete', undefined, '2026-05-01')).toBe(false);
  });

  it('wants a conference decision for every child, once each, in any order', () => {
    const children = ['C2', 'C1'];
    expect(decidesForEveryChild([{ childReference: 'C1' }, { childReference: 'C2' }], children)).toBe(true);
    expect(decidesForEveryChild([{ childReference: 'C1' }], children)).toBe(false);
    expect(decidesForEveryChild([{ childReference: 'C1' }, { childReference: 'C1' }], children)).toBe(false);
    expect(children).toEqual(['C2', 'C1']); // the enquiry's own list is left as it was
  });

  it('takes the latest met of the assessments, ignoring open and missing ones', () => {
    expect(
      lastMetAt([
        { status: 'met', metAt: '2026-03-01T10:00:00.000Z' },
        { status: 'met', metAt: '2026-03-05T10:00:00.000Z' },
      ]),
    ).toBe('2026-03-05T10:00:00.000Z');
    expect(lastMetAt([{ status: 'pending' }, undefined, { status: 'met', metAt: '2026-02-01T10:00:00.000Z' }])).toBe(
      '2026-02-01T10:00:00.000Z',
    );
    expect(lastMetAt([{ status: 'pending' }, undefined])).toBeUndefined();
  });
});
