/**
 * The looked-after child's pure rules (docs/deadlines.md §5.4, §5.5): which visiting rule a
 * placement is on in its phase, which review is next, the under-5 health cadence, and the deadlines
 * that move together. No Temporal and no zod (the schemas are imported as types only): the workflow
 * bundle and the unit tests import it.
 */
import { addYearsToDate } from '../../dates';
import type { CeasingReason, LookedAfterState, PlacementType } from './schemas';

/** Counted back from a booked review; they move with it (§1.4; 003 QS 15.1, 15.2, 14.7). */
export const REVIEW_BEFORE = [
  'lac-review-consultation',
  'lac-review-careplan-check',
  'lac-review-plans-qa',
  'lac-review-report',
];
/** Before the second review (003 QS 14.7, 14.17). */
export const PERMANENCE = ['lac-permanence-meeting', 'lac-permanence-plan'];
/** Gates due at the next review, which move with it when it is booked. */
export const AT_NEXT_REVIEW = [...PERMANENCE, 'lac-joint-visit-ssw'];
/** 20 days, and before the first review, whichever is earlier (⚠C-12). */
export const BEFORE_FIRST_REVIEW = ['lac-health-initial', 'lac-pep-meeting'];
/** A placement's first visit. */
export const VISIT_FIRST = ['lac-visit-first', 'lac-visit-care-order-home-first'];
/** The visiting rules after the first visit, one of them open at a time. */
export const VISIT_CADENCE = [
  'lac-visit-weekly',
  'lac-visit-6-weekly',
  'lac-visit-3-monthly',
  'lac-visit-ico-reg24',
  'lac-visit-care-order-home',
  'lac-visit-adoption-monthly',
];
/** Placements with a supervising social worker: a joint visit each review interval (003 QS 9.1). */
export const WITH_SSW: readonly PlacementType[] = [
  'foster',
  'connected_person_reg24_temporary',
  'connected_person_approved',
];

export type VisitVariant = 'standard' | 'ico_reg24' | 'care_order_home' | 'adoption';
type Placement = Pick<LookedAfterState['placement'], 'type' | 'variantEnded'>;
/** What decides the visiting rule in force: the placement, the reviews held, long-term ratification. */
export type VisitPhase = Pick<LookedAfterState, 'placement' | 'reviews' | 'longTermRatifiedAt'>;

/** The placement's visiting variant (§5.4, all 003 QS 9.1; ⚠C-17, ⚠C-18). */
export function visitVariant({ type, variantEnded }: Placement): VisitVariant {
  if (type === 'placed_with_parent_care_order') return 'care_order_home';
  if ((type === 'placed_with_parent_ico' || type === 'connected_person_reg24_temporary') && !variantEnded)
    return 'ico_reg24';
  return type === 'adoption' ? 'adoption' : 'standard';
}

/** A placement's first visit: within 5 WD; within a week of a care order at home; ICO/Reg 24 weekly from the start. */
export function firstVisitRule(placement: Placement): string {
  switch (visitVariant(placement)) {
    case 'care_order_home':
      return 'lac-visit-care-order-home-first';
    case 'ico_reg24':
      return 'lac-visit-weekly';
    default:
      return 'lac-visit-first'; // every new placement too (⚠C-17)
  }
}

/** The visiting rule in force after a visit at `at`: the placement's phase decides. */
export function visitCadenceAfter({ placement, reviews, longTermRatifiedAt }: VisitPhase, at: string): string {
  const reviewed = reviews.held > 0;
  switch (visitVariant(placement)) {
    case 'care_order_home':
      return 'lac-visit-care-order-home'; // 42 CD until the child leaves care
    case 'ico_reg24':
      return reviewed ? 'lac-visit-ico-reg24' : 'lac-visit-weekly'; // 28 CD after the first review
    case 'adoption':
      // ⚠C-18: weekly until the first review held after the adoption placement, then monthly.
      return reviews.held > placement.reviewsHeldBefore ? 'lac-visit-adoption-monthly' : 'lac-visit-weekly';
    default: {
      if (!reviewed) return 'lac-visit-weekly'; // 7 CD until the first review
      // ⚠C-17: 3-monthly only once ratified long-term AND the placement's first year is over.
      const firstYearOver = addYearsToDate(placement.startAt.slice(0, 10), 1) <= at.slice(0, 10);
      return longTermRatifiedAt && firstYearOver ? 'lac-visit-3-monthly' : 'lac-visit-6-weekly';
    }
  }
}

/** Review 1 at 20 WD, review 2 three months after it, then every 6 months (003 QS 15.3). */
export const reviewRule = (held: number) =>
  held === 0 ? 'lac-review-1' : held === 1 ? 'lac-review-2' : 'lac-review-n';

/** At least one joint visit with the SSW between six-monthly reviews, from review 2 (003 QS 9.1). */
export const jointVisitDue = (reviewNumber: number, type: PlacementType) =>
  reviewNumber >= 2 && WITH_SSW.includes(type);

/**
 * Under 5 on the date of `at` (⚠C-19). The UTC date is used: in summer it is the day before the
 * London date for one hour before midnight, which can only pick the stricter 6-month cadence.
 */
export const underFive = (dateOfBirth: string, at: string) => at.slice(0, 10) < addYearsToDate(dateOfBirth, 5);

/** The gates before the child stops being looked after: a review first (003 QS 15.8); an assessment before a return home (003 QS 3.15, 14.10). */
export function gatesBeforeCeasing(reason: CeasingReason): string[] {
  if (reason === 'died') return [];
  return reason === 'return_home'
    ? ['lac-review-before-ceasing', 'lac-assessment-before-return']
    : ['lac-review-before-ceasing'];
}

/**
 * A mid-point review is due within 10 WD of the request, and no later than halfway between the last
 * review and the next one due (003 QS 15.4): the halfway instant when it comes first (and after the
 * request), else nothing (the 10 WD stand).
 */
export function midpointHalfway(since: string, nextDueAt: string, requestedAt: string, tenDaysDueAt: string) {
  const halfway = new Date((Date.parse(since) + Date.parse(nextDueAt)) / 2).toISOString();
  return halfway > requestedAt && halfway < tenDaysDueAt ? halfway : undefined;
}
