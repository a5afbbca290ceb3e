/**
 * Child protection plan lifecycle (statutory-rules §4): the request and event schemas the API
 * validates, and the types the workflow receives. One plan per child, identified by references only.
 */
import { z } from 'zod';
import type { Actor, DeadlineView, ProcessEvent } from './process';
import { businessId, caseReference, casePeopleSchema, instant, type CasePeople } from './schemas';

const childReference = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'a case-system child reference, not a name');

/** Started by the S47 enquiry's ICPC decision, or by a case system that ran its own enquiry. */
export const startPlanSchema = z.object({
  planId: businessId.describe('The case system’s id for the plan; the workflow id is cpp-<planId>'),
  caseReference,
  childReference,
  icpcHeldAt: instant.describe('When the initial conference decided on a plan: the anchor of the first clocks'),
  people: casePeopleSchema.default({}),
});

export const outputs = ['cp-outcome-circulate', 'cp-outline-plan', 'cp-record-plan-circulate', 'cp-minutes-circulate'] as const;
export const conferenceOutputSchema = z.object({ output: z.enum(outputs), at: instant.optional() });

/** The plan may set shorter intervals, never laxer ones (⚠C-10; 003 QS 9.1, 13.14). */
export const coreGroupHeldSchema = z.object({
  heldAt: instant,
  visitIntervalWorkingDays: z.number().int().min(1).max(10, 'visits may not be laxer than every 10 working days').optional(),
  coreGroupIntervalWeeks: z.number().int().min(1).max(4, 'core groups may not be laxer than every 4 weeks').optional(),
});
export const visitRecordedSchema = z.object({ visitedAt: instant, childSeen: z.boolean(), seenAlone: z.boolean().optional() });
export const supervisionRecordedSchema = z.object({ at: instant });

export const reviewScheduledSchema = z.object({ scheduledStart: instant, reason: z.string().trim().max(2_000).optional() });
/** D2.x: at each review conference the plan continues or is discontinued (003 QS 13.15, 13.17). */
export const reviewHeldSchema = z.object({ heldAt: instant, decision: z.enum(['continue', 'discontinue']) });
export const recordedSchema = z.object({ at: instant.optional() });

export type ReviewScheduled = z.infer<typeof reviewScheduledSchema>;
export type ReviewHeld = z.infer<typeof reviewHeldSchema>;
export type Recorded = z.infer<typeof recordedSchema>;
export type ConferenceOutput = z.infer<typeof conferenceOutputSchema>;
export type CoreGroupHeld = z.infer<typeof coreGroupHeldSchema>;
export type VisitRecorded = z.infer<typeof visitRecordedSchema>;
export type SupervisionRecorded = z.infer<typeof supervisionRecordedSchema>;

/** What a plan carries into its next run (continue-as-new at each review cycle). */
export interface PlanCarried {
  state: Omit<PlanState, 'deadlines'>;
  // The engine's own record of every deadline (typed where the engine lives).
  deadlines: unknown[];
}

export interface PlanInput {
  planId: string;
  caseReference: string;
  childReference: string;
  icpcHeldAt: string;
  /** Set when the plan was handed over by a Section 47 enquiry (the link back). */
  s47WorkflowId?: string;
  people: CasePeople;
  startedBy?: Actor;
  /** Set by continue-as-new: the whole story so far. */
  carried?: PlanCarried;
}

export interface PlanState {
  process: 'child-protection-plan';
  stage: 'active' | 'ending' | 'ended';
  status: 'open' | 'closed';
  closedAt?: string;
  /** Review conferences held so far, and the one booked next. */
  reviews: { held: number; scheduledStart?: string };
  /** 1 for the first run; each review cycle continues as new (history stays small for years). */
  cycle: number;
  startedAt: string;
  case: { reference: string; childReference: string };
  links: { s47WorkflowId?: string; previousRuns: string[] };
  frequencies: { visitWorkingDays: number; coreGroupWeeks: number };
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
