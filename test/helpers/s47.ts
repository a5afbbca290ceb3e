/** Inputs and actors for Section 47 tests (fictional references only). */
import type { Actor } from '../../src/process';
import type { S47Input } from '../../src/processes/s47-enquiry/schemas';

export const actors = {
  mashOfficer: { id: 'mo-1', roles: ['mash_officer'] },
  dutyManager: { id: 'mdm-1', roles: ['mash_duty_manager'] },
  secondManager: { id: 'mdm-2', roles: ['mash_second_manager'] },
  socialWorker: { id: 'sw-1', roles: ['social_worker'] },
  teamManager: { id: 'tm-1', roles: ['team_manager'] },
  qa: { id: 'qa-1', roles: ['qa_bstl'] },
  chair: { id: 'chair-1', roles: ['cp_chair'] },
} satisfies Record<string, Actor>;

export function s47Input(contactId: string, receivedAt: string, overrides: Partial<S47Input> = {}): S47Input {
  return {
    contactId,
    caseReference: `CASE-${contactId}`,
    trigger: 'contact',
    receivedAt,
    contactType: 'general',
    children: [{ reference: 'C1' }, { reference: 'C2' }],
    otherLocalAuthority: false,
    raisedBy: actors.mashOfficer,
    people: {},
    ...overrides,
  };
}

export const attendees = [
  { agency: 'la_social_care' as const },
  { agency: 'police' as const },
  { agency: 'health' as const },
];
