/** Inputs for looked-after child tests and fixtures (fictional references only). */
import type { LookedAfterInput } from '../../src/processes/looked-after-child/schemas';
import type { Actor } from '../../src/process';

const sw: Actor = { id: 'sw-1', roles: ['social_worker'] };

/** An emergency admission with a foster placement starting at once (fictional references only). */
export function emergency(
  episodeId: string,
  lacStartAt: string,
  overrides: Partial<LookedAfterInput> = {},
): LookedAfterInput {
  return {
    episodeId,
    caseReference: `CASE-${episodeId}`,
    childReference: `CH-${episodeId}`,
    childDateOfBirth: '2022-02-10',
    lacStartAt,
    emergency: true,
    legalBasis: 'police_protection',
    approval: { by: 'director', at: lacStartAt, nextCarePanelDate: '2027-01-06' },
    placement: { placementId: `${episodeId}-P1`, type: 'foster', startAt: lacStartAt },
    preAdmission: { kinshipOptionsExplored: false },
    onChildProtectionPlan: false,
    people: {},
    startedBy: sw,
    ...overrides,
  };
}
