import { describe, expect, it } from 'vitest';
import {
  AT_NEXT_REVIEW,
  firstVisitRule,
  gatesBeforeCeasing,
  jointVisitDue,
  midpointHalfway,
  reviewRule,
  underFive,
  VISIT_CADENCE,
  visitCadenceAfter,
  visitVariant,
  type VisitPhase,
} from '../../src/processes/looked-after-child/cadence';
import type { PlacementType } from '../../src/processes/looked-after-child/schemas';

const phase = (
  type: PlacementType,
  {
    held = 0,
    before = 0,
    startAt = '2025-03-10T09:00:00Z',
    ratified = undefined as string | undefined,
    ended = '',
  } = {},
): VisitPhase => ({
  placement: {
    placementId: 'P1',
    type,
    startAt,
    number: 1,
    reviewsHeldBefore: before,
    ...(ended ? { variantEnded: ended } : {}),
  },
  reviews: { held },
  longTermRatifiedAt: ratified,
});

describe('visiting variant by placement type (§5.4, ⚠C-18)', () => {
  it.each<[PlacementType, string]>([
    ['foster', 'standard'],
    ['residential', 'standard'],
    ['connected_person_approved', 'standard'],
    ['semi_independent', 'standard'],
    ['other', 'standard'],
    ['placed_with_parent_care_order', 'care_order_home'],
    ['placed_with_parent_ico', 'ico_reg24'],
    ['connected_person_reg24_temporary', 'ico_reg24'],
    ['adoption', 'adoption'],
  ])('%s is visited under the %s rules', (type, variant) => {
    expect(visitVariant({ type })).toBe(variant);
  });

  it('ICO and Reg 24 placements return to the standard rules once that visiting has ended', () => {
    expect(visitVariant({ type: 'placed_with_parent_ico', variantEnded: 'final_hearing_completed' })).toBe('standard');
    expect(visitVariant({ type: 'connected_person_reg24_temporary', variantEnded: 'carer_approved' })).toBe('standard');
  });

  it('a care order at home stays its own variant whatever ended before', () => {
    expect(visitVariant({ type: 'placed_with_parent_care_order', variantEnded: 'carer_approved' })).toBe(
      'care_order_home',
    );
  });
});

describe('first visit of a placement', () => {
  it('is within a week of a care order at home, weekly under ICO/Reg 24, else lac-visit-first', () => {
    expect(firstVisitRule({ type: 'placed_with_parent_care_order' })).toBe('lac-visit-care-order-home-first');
    expect(firstVisitRule({ type: 'placed_with_parent_ico' })).toBe('lac-visit-weekly');
    expect(firstVisitRule({ type: 'connected_person_reg24_temporary' })).toBe('lac-visit-weekly');
    expect(firstVisitRule({ type: 'connected_person_reg24_temporary', variantEnded: 'carer_approved' })).toBe(
      'lac-visit-first',
    );
    expect(firstVisitRule({ type: 'foster' })).toBe('lac-visit-first');
    expect(firstVisitRule({ type: 'adoption' })).toBe('lac-visit-first');
  });
});

describe('visiting cadence after a visit, by phase (⚠C-17, ⚠C-18)', () => {
  const at = '2025-06-01T10:00:00Z';

  it('is weekly until the first review in a standard placement, then 6-weekly', () => {
    expect(visitCadenceAfter(phase('foster'), at)).toBe('lac-visit-weekly');
    expect(visitCadenceAfter(phase('foster', { held: 1 }), at)).toBe('lac-visit-6-weekly');
  });

  it('is 3-monthly only once ratified long-term AND the first year of the placement is over', () => {
    const ratified = '2025-05-01T10:00:00Z';
    expect(visitCadenceAfter(phase('foster', { held: 2, ratified }), '2026-03-09T23:00:00Z')).toBe(
      'lac-visit-6-weekly',
    );
    expect(visitCadenceAfter(phase('foster', { held: 2, ratified }), '2026-03-10T00:00:00Z')).toBe(
      'lac-visit-3-monthly',
    );
    expect(visitCadenceAfter(phase('foster', { held: 2 }), '2027-01-01T00:00:00Z')).toBe('lac-visit-6-weekly');
  });

  it('counts the first year of a placement started on 29 February to 28 February', () => {
    const leap = { held: 1, ratified: '2024-03-01T00:00:00Z', startAt: '2024-02-29T12:00:00Z' };
    expect(visitCadenceAfter(phase('residential', leap), '2025-02-27T12:00:00Z')).toBe('lac-visit-6-weekly');
    expect(visitCadenceAfter(phase('residential', leap), '2025-02-28T00:00:00Z')).toBe('lac-visit-3-monthly');
  });

  it('is weekly under ICO/Reg 24 until the first review, then every 28 days; standard once it ended', () => {
    expect(visitCadenceAfter(phase('placed_with_parent_ico'), at)).toBe('lac-visit-weekly');
    expect(visitCadenceAfter(phase('connected_person_reg24_temporary', { held: 1 }), at)).toBe('lac-visit-ico-reg24');
    expect(visitCadenceAfter(phase('connected_person_reg24_temporary', { held: 1, ended: 'carer_approved' }), at)).toBe(
      'lac-visit-6-weekly',
    );
  });

  it('is 6-weekly under a care order at home, whatever the reviews', () => {
    expect(visitCadenceAfter(phase('placed_with_parent_care_order'), at)).toBe('lac-visit-care-order-home');
    expect(visitCadenceAfter(phase('placed_with_parent_care_order', { held: 3 }), at)).toBe(
      'lac-visit-care-order-home',
    );
  });

  it('is weekly in an adoption placement until a review is held after it started, then monthly', () => {
    expect(visitCadenceAfter(phase('adoption', { held: 2, before: 2 }), at)).toBe('lac-visit-weekly');
    expect(visitCadenceAfter(phase('adoption', { held: 3, before: 2 }), at)).toBe('lac-visit-adoption-monthly');
  });

  it('always names one of the visiting cadences', () => {
    for (const type of ['foster', 'adoption', 'placed_with_parent_ico', 'placed_with_parent_care_order'] as const)
      for (const held of [0, 1, 2]) expect(VISIT_CADENCE).toContain(visitCadenceAfter(phase(type, { held }), at));
  });
});

describe('reviews (003 QS 15.3, 9.1)', () => {
  it('picks the review rule by the number already held', () => {
    expect([0, 1, 2, 3, 10].map(reviewRule)).toEqual([
      'lac-review-1',
      'lac-review-2',
      'lac-review-n',
      'lac-review-n',
      'lac-review-n',
    ]);
  });

  it('asks for a joint visit with the SSW from review 2, in placements with one', () => {
    expect(jointVisitDue(1, 'foster')).toBe(false);
    expect(jointVisitDue(2, 'foster')).toBe(true);
    expect(jointVisitDue(3, 'connected_person_reg24_temporary')).toBe(true);
    expect(jointVisitDue(2, 'connected_person_approved')).toBe(true);
    expect(jointVisitDue(5, 'residential')).toBe(false);
    expect(jointVisitDue(5, 'adoption')).toBe(false);
  });

  it('moves the permanence gates and the joint visit with the next review', () => {
    expect(AT_NEXT_REVIEW).toEqual(['lac-permanence-meeting', 'lac-permanence-plan', 'lac-joint-visit-ssw']);
  });

  it('puts a mid-point review halfway to the next review when that comes before the 10 WD', () => {
    const since = '2025-01-01T00:00:00.000Z';
    const next = '2025-01-21T00:00:00.000Z';
    expect(midpointHalfway(since, next, '2025-01-05T00:00:00.000Z', '2025-01-19T17:00:00.000Z')).toBe(
      '2025-01-11T00:00:00.000Z',
    );
    expect(midpointHalfway(since, next, '2025-01-05T00:00:00.000Z', '2025-01-10T17:00:00.000Z')).toBeUndefined();
    expect(midpointHalfway(since, next, '2025-01-12T00:00:00.000Z', '2025-01-26T17:00:00.000Z')).toBeUndefined();
  });
});

describe('under 5 on the date of a health assessment (⚠C-19)', () => {
  it('is under 5 until the day before the fifth birthday', () => {
    expect(underFive('2020-06-15', '2025-06-14T23:59:59Z')).toBe(true);
    expect(underFive('2020-06-15', '2025-06-15T00:00:00Z')).toBe(false);
    expect(underFive('2020-06-15', '2030-01-01T00:00:00Z')).toBe(false);
  });

  it('takes a 29 February birthday to 28 February in a common year', () => {
    expect(underFive('2020-02-29', '2025-02-27T12:00:00Z')).toBe(true);
    expect(underFive('2020-02-29', '2025-02-28T00:00:00Z')).toBe(false);
  });

  it('uses the UTC date of the assessment', () => {
    // 23:30 UTC on 14 June is 00:30 on the birthday in London: still under 5 (the stricter cadence).
    expect(underFive('2020-06-15', '2025-06-14T23:30:00.000Z')).toBe(true);
    expect(underFive('2020-06-15', '2025-06-15T00:30:00.000Z')).toBe(false);
  });
});

describe('the gates before the child stops being looked after (003 QS 15.8, 3.15, 14.10)', () => {
  it('needs a review, and an assessment too before a return home; none after a death', () => {
    expect(gatesBeforeCeasing('return_home')).toEqual(['lac-review-before-ceasing', 'lac-assessment-before-return']);
    for (const reason of ['sgo', 'adoption_order', 'age_18', 'other'] as const)
      expect(gatesBeforeCeasing(reason)).toEqual(['lac-review-before-ceasing']);
    expect(gatesBeforeCeasing('died')).toEqual([]);
  });
});
