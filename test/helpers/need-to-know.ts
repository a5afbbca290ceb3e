/** Valid Need to Know inputs for tests (fictional people; nothing real). */
import type { Briefing, NeedToKnowInput } from '../../src/processes/need-to-know/schemas';
import { addMonths, calendar, dayOf } from './time-base';

/** The update a briefing raised at `at` promises: the first working day nine months on. */
export const updatePromisedFor = (at: string) => calendar.workingDayOnOrAfter(addMonths(dayOf(at), 9));

export function ntkInput(
  briefingId: string,
  at: string,
  overrides: Partial<NeedToKnowInput> = {},
): NeedToKnowInput & { briefing: Briefing } {
  return {
    briefingId,
    caseReference: `CASE-${briefingId}`,
    category: 2,
    item: 4,
    concernAroseAt: at,
    raisedAt: at,
    raisedBy: { id: 'sw-1', roles: ['social_worker'] },
    brevity: 'full',
    briefing: {
      child: { reference: 'CHILD-1', name: 'Test Child', legalStatus: 'care_order' },
      concern: 'Looked-after child missing for 48 hours.',
      actionTaken: 'Police informed; placement searched.',
      updateExpectedOn: updatePromisedFor(at),
      contact: { name: 'Sam Worker', role: 'Social worker' },
    },
    people: {},
    ...overrides,
  } as NeedToKnowInput & { briefing: Briefing };
}

/** A category 2 briefing as a case system posts it to `POST /v1/need-to-know` (fictional people). */
export function briefingRequest(briefingId: string, extra: Record<string, unknown> = {}) {
  return {
    briefingId,
    caseReference: `CASE-${briefingId}`,
    category: 2,
    item: 4,
    briefing: {
      child: { reference: 'CHILD-9', name: 'Test Child', legalStatus: 'care_order' },
      concern: 'Looked-after child missing for 48 hours.',
      actionTaken: 'Police informed.',
      updateExpectedOn: updatePromisedFor(new Date().toISOString()), // the API runs at the real now
      contact: { name: 'Sam Worker' },
    },
    ...extra,
  };
}
