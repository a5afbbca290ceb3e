/**
 * Serious harm and deaths (docs/deadlines.md §7.1–§7.5): the child-event fields that start an
 * incident, the decisions' schemas, and the types the workflow receives. One workflow per incident:
 * `incident-<eventId>` for harm, `incident-died-<childReference>` for a death (a child dies once).
 */
import { z } from 'zod';
import type { ChildStatus } from '../../api/child-events';
import type { DeadlineView, NotificationRecord, ProcessEvent } from '../../process';
import { businessId, happenedAt, text, type CasePeople } from '../../schemas';
import { harmTypes, locations, severities, type IncidentFacts } from './criteria';

/** §7.1 ChildHarmed (000 KE 2.3; 004 WT ch.4 paras 10–12). */
export const harmFields = {
  harmTypes: z.array(z.enum(harmTypes)).min(1).max(harmTypes.length),
  sexualExploitation: z
    .boolean()
    .optional()
    .describe('Only with exploitation: sexual exploitation of a looked-after child is NTK category 2 item 7'),
  severity: z.enum(severities),
  abuseOrNeglectKnownOrSuspected: z.boolean(),
  location: z.enum(locations),
  normallyResidentInArea: z.boolean().optional().describe('Needed when the harm happened outside England'),
};

/** §7.1 SeriousIncidentAware: as ChildHarmed, plus when the authority became aware (the Panel's anchor). */
export const seriousIncidentFields = {
  ...harmFields,
  becameAwareAt: happenedAt.describe(
    'When the authority became aware: anchors panel-criteria-decision and panel-notify',
  ),
};

/** §7.1 ChildDied (004 WT ch.4 paras 12–13; 002 SLN preamble). */
export const deathFields = {
  diedAt: happenedAt.describe('When the child died: not after becameAwareAt'),
  becameAwareAt: happenedAt.describe('When the authority became aware of the death: anchors the Panel deadlines'),
  location: z.enum(locations),
  normallyResidentInArea: z.boolean(),
  abuseOrNeglectKnownOrSuspected: z.boolean(),
  placingLa: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('The placing authority, for a child placed here by another (an authority’s name, never a person’s)'),
};

/** Cross-field rules of a harm report. */
export function refineHarm(body: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const types = body.harmTypes as string[] | undefined;
  if (body.sexualExploitation !== undefined && !types?.includes('exploitation'))
    ctx.addIssue({ code: 'custom', path: ['sexualExploitation'], message: 'only with the harm type exploitation' });
  if (body.location === 'outside_england' && body.normallyResidentInArea === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['normallyResidentInArea'],
      message: 'harm outside England needs normallyResidentInArea (004 WT ch.4 para 12)',
    });
}

export function refineSeriousIncident(body: Record<string, unknown>, ctx: z.RefinementCtx): void {
  refineHarm(body, ctx);
  if (body.severity !== 'serious')
    ctx.addIssue({
      code: 'custom',
      path: ['severity'],
      message: 'a serious incident is serious harm: severity serious',
    });
  refineAware(body, ctx);
}

/** The authority cannot become aware of something before it happened (`field`: when it happened). */
export function refineAware(body: Record<string, unknown>, ctx: z.RefinementCtx, field = 'occurredAt'): void {
  const aware = body.becameAwareAt as string | undefined;
  const happened = body[field];
  if (aware && typeof happened === 'string' && Date.parse(happened) > Date.parse(aware))
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: 'must not be after becameAwareAt: the authority became aware of it after it happened',
    });
}

export const refineDeath = (body: Record<string, unknown>, ctx: z.RefinementCtx): void =>
  refineAware(body, ctx, 'diedAt');

export interface IncidentInput {
  /** The business id: the event id for harm, `died-<childReference>` for a death. */
  incidentId: string;
  eventId: string;
  caseReference: string;
  child: ChildStatus;
  occurredAt: string;
  knownAt: string;
  becameAwareAt: string;
  diedAt?: string;
  facts: IncidentFacts;
  placingLa?: string;
  /** The process that reported it (the looked-after episode or the plan), when not the route. */
  reportedFrom?: string;
  people: CasePeople;
}

// Decisions.
export const harmNotifiedSchema = z.strictObject({ at: happenedAt.optional() });
/** D5.1 and D5.2 (000 KE 2.3): an S47 through the MASH, and whether to ask the HoS for a Need to Know. */
export const harmRouteSchema = z.strictObject({
  s47: z.enum(['start', 'not_needed']),
  needToKnow: z.enum(['ask_hos', 'not_needed']),
  rationale: text().optional(),
});
export const mashReferralSchema = z.strictObject({
  at: happenedAt.optional(),
  s47EnquiryId: businessId.optional().describe('The S47 enquiry the referral started (its id in /v1/s47-enquiries)'),
});
/** D5.2: the Head of Service raises a briefing (001 NTK s2, s3). */
export const needToKnowRaisedSchema = z.strictObject({
  category: z.union([z.literal(2), z.literal(3)]),
  item: z.number().int().min(1).max(10),
});
/** D5.4 (004 WT ch.4 paras 10–12). */
export const panelCriteriaSchema = z.strictObject({ met: z.boolean(), rationale: text() });
export const panelNotifiedSchema = z.strictObject({
  at: happenedAt.optional(),
  panelReference: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/,
      'the Panel’s notification reference: letters, digits, ".", "_", "/", "-"',
    )
    .describe('The reference the Panel’s online incident notification gave'),
});
export const recordedAtSchema = z.strictObject({ at: happenedAt.optional() });
/** 002 SLN s1: the child's health changed, an adult was charged, the child was charged. */
export const updateEventSchema = z.strictObject({
  eventId: businessId.describe('The case system’s id for this update: a repeat is refused (409)'),
  at: happenedAt.optional(),
});

export type HarmNotified = z.infer<typeof harmNotifiedSchema>;
export type HarmRoute = z.infer<typeof harmRouteSchema>;
export type MashReferral = z.infer<typeof mashReferralSchema>;
export type NeedToKnowRaised = z.infer<typeof needToKnowRaisedSchema>;
export type PanelCriteria = z.infer<typeof panelCriteriaSchema>;
export type PanelNotified = z.infer<typeof panelNotifiedSchema>;
export type RecordedAt = z.infer<typeof recordedAtSchema>;
export type UpdateEventBody = z.infer<typeof updateEventSchema>;
export const updateKinds = ['health-changed', 'adult-charged', 'child-charged'] as const;
export type UpdateEvent = UpdateEventBody & { kind: (typeof updateKinds)[number] };

/** A link the case system follows: the S47 enquiry started through its own route. */
export interface StartLink {
  method: 'POST';
  href: string;
  body: Record<string, unknown>;
}

export type IncidentStage = 'open' | 'closed';

export interface IncidentState {
  process: 'serious-incident';
  stage: IncidentStage;
  status: 'open' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: {
    reference: string;
    childReference: string;
    eventId: string;
    kind: IncidentFacts['kind'];
    /** The event in words (no personal data). */
    event: string;
  };
  child: { lookedAfter: boolean; onPlan: boolean };
  facts: IncidentFacts;
  becameAwareAt: string;
  diedAt?: string;
  placingLa?: string;
  route?: HarmRoute & { by: string; at: string };
  panel?: { criteriaMet?: boolean; rationale?: string; reference?: string };
  /** Every event recorded against it (the case system's ids): a repeat is refused. */
  eventIds: string[];
  links: {
    briefings: string[];
    episode?: string;
    plan?: string;
    reportedFrom?: string[];
    s47Enquiry?: string;
    startS47Enquiry?: StartLink;
  };
  notices: NotificationRecord[];
  ready: boolean;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}

/** A second report of the same death (the episode and the plan both end): linked to the incident. */
export interface DeathReported {
  reportedFrom: string;
  lookedAfter: boolean;
  onPlan: boolean;
}
