/**
 * Key events about a child that raise a briefing or need a notice (docs/deadlines.md §7.1, §6.1):
 * a criminal justice event (000 KE 2.4; 001 NTK s3 item 2), a change of address status (homeless:
 * 001 NTK s3 item 5), a period out of education (s3 item 6) and a prognosis (s3 item 9). Each is
 * one workflow, `kev-<eventId>`, open until its deadlines are met or cancelled.
 */
import { z } from 'zod';
import type { ChildStatus } from '../../api/child-events';
import type { DeadlineView, ProcessEvent } from '../../process';
import { businessId, happenedAt, happenedOn, type CasePeople } from '../../schemas';

export const keyEventKinds = [
  'criminal-justice-event',
  'address-status-changed',
  'out-of-education',
  'prognosis-recorded',
] as const;
export type KeyEventKind = (typeof keyEventKinds)[number];

/** §7.1 `CriminalJusticeEvent`: no offence detail beyond its seriousness. */
export const criminalJusticeFields = {
  justice: z.strictObject({
    kind: z.enum(['yjs_client', 'court_order', 'charged']),
    offenceSerious: z.boolean().describe('Charged with a serious crime: 001 NTK s3 item 2 for a looked-after child'),
    orderType: z.string().trim().max(200).optional().describe('For a court order: its type'),
  }),
};
export const addressStatusFields = { addressStatus: z.enum(['homeless', 'housed']) };
export const outOfEducationFields = {
  outOfEducationSince: happenedOn.describe(
    '§6.2 `out_of_education_since`: ntk-trigger-out-of-education counts 3 months',
  ),
};
export const prognosisFields = {
  prognosis: z.enum(['death_within_12_months']).describe('001 NTK s3 item 9: a looked-after child expected to die'),
};
/** Ends a period out of education: names the `out-of-education` event that opened it. */
export const returnedToEducationFields = {
  outOfEducationEventId: businessId.describe('The eventId of the out-of-education event this ends'),
};

export type KeyEventDetails =
  | { kind: 'criminal-justice-event'; justice: z.infer<typeof criminalJusticeFields.justice> }
  | { kind: 'address-status-changed'; addressStatus: 'homeless' | 'housed' }
  | { kind: 'out-of-education'; outOfEducationSince: string }
  | { kind: 'prognosis-recorded'; prognosis: 'death_within_12_months' };

export interface KeyEventInput {
  eventId: string;
  caseReference: string;
  child: ChildStatus;
  occurredAt: string;
  knownAt: string;
  details: KeyEventDetails;
  people: CasePeople;
}

export const cjNotifiedSchema = z.strictObject({ at: happenedAt.optional() });
export type CjNotified = z.infer<typeof cjNotifiedSchema>;
export interface ReturnedToEducation {
  eventId: string;
  at: string;
}

export type KeyEventStage = 'open' | 'closed';

export interface KeyEventState {
  process: 'key-event';
  stage: KeyEventStage;
  status: 'open' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: { reference: string; childReference: string; kind: KeyEventKind; eventId: string };
  child: { lookedAfter: boolean; onPlan: boolean };
  /** Every event recorded against it (the case system's ids): a repeat is refused. */
  eventIds: string[];
  links: { briefings: string[]; episode?: string; plan?: string };
  ready: boolean;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
