/** Inputs for looked-after child tests and fixtures (fictional references only). */
import type { LookedAfterInput } from '../../src/processes/looked-after-child/schemas';
import type { Actor } from '../../src/process';
import { addDays, addMonths, dayOf } from './time-base';

const sw: Actor = { id: 'sw-1', roles: ['social_worker'] };

/**
 * An emergency admission with a foster placement starting at once (fictional references only): a
 * child of four years and ten months, the next Care Panel two weeks after the admission.
 */
export function emergency(
  episodeId: string,
  lacStartAt: string,
  overrides: Partial<LookedAfterInput> = {},
): LookedAfterInput {
  return {
    episodeId,
    caseReference: `CASE-${episodeId}`,
    childReference: `CH-${episodeId}`,
    childDateOfBirth: addMonths(dayOf(lacStartAt), -58),
    lacStartAt,
    emergency: true,
    legalBasis: 'police_protection',
    approval: { by: 'director', at: lacStartAt, nextCarePanelDate: addDays(dayOf(lacStartAt), 14) },
    placement: { placementId: `${episodeId}-P1`, type: 'foster', startAt: lacStartAt },
    preAdmission: { kinshipOptionsExplored: false },
    onChildProtectionPlan: false,
    people: {},
    startedBy: sw,
    ...overrides,
  };
}
