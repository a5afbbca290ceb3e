/**
 * Child protection plan lifecycle (docs/deadlines.md §4): the request and event schemas the API
 * validates, and the types the workflow receives. One plan per child, identified by references only.
 */
import { z } from 'zod';
import type { Actor, DeadlineView, ProcessEvent } from '../../process';
import {
  businessId,
  assignmentFields,
  caseReference,
  casePeopleSchema,
  dateOfBirth,
  happenedAt,
  scheduledAt,
  type CasePeople,
  childReference,
  text,
} from '../../schemas';
export { recordedSchema, type Recorded } from '../../schemas';

/** Born (on or before today) and not yet 18: a plan ends at 18. */
const childDateOfBirth = dateOfBirth(18).describe(
  'Drives cp-age-18-review and the end of the plan at 18; omit only for an unborn child. Kept out of ids, search attributes and logs',
);

/**
 * Started by an initial conference's decision (the S47 enquiry's, or a case system's own), or by a
 * transfer-in: a child on a plan elsewhere moved into the area and this authority must hold its
 * own conference first (§4.1; 004 WT ch.1 p.52).
 */
export const startPlanSchema = z
  .strictObject({
    planId: businessId.describe('The case system’s id for the plan; the workflow id is cpp-<planId>'),
    caseReference,
    ...assignmentFields,
    childReference,
    childDateOfBirth: childDateOfBirth.optional(),
    icpcHeldAt: happenedAt
      .describe('When the initial conference decided on a plan: the anchor of the first clocks')
      .optional(),
    lastAssessmentAt: happenedAt
      .describe(
        'When the last statutory assessment was completed (the one updated for the conference): cp-assessment-6-monthly counts from it (⚠C-20); default the conference',
      )
      .optional(),
    transferIn: z
      .strictObject({
        notifiedAt: happenedAt.describe('When this authority was told of the move'),
        fromAuthority: z.string().trim().min(1).max(200),
      })
      .optional()
      .describe(
        'A child on a plan in another authority who moved here permanently: cp-transfer-in-conference runs first',
      ),
    people: casePeopleSchema.default({}),
  })
  .refine((body) => !body.lastAssessmentAt || !body.icpcHeldAt || body.lastAssessmentAt <= body.icpcHeldAt, {
    message: 'the last assessment is the one completed for the conference: no later than icpcHeldAt',
    path: ['lastAssessmentAt'],
  })
  .refine((body) => (body.icpcHeldAt === undefined) !== (body.transferIn === undefined), {
    message:
      'give exactly one of icpcHeldAt (a conference decided on a plan) or transferIn (a child moved here on a plan)',
    path: ['icpcHeldAt'],
  });

/** The receiving authority's own conference for a transfer-in (§4.1). */
export const transferInConferenceSchema = z.strictObject({
  heldAt: happenedAt,
  decision: z.enum(['cp_plan', 'no_plan']),
});

export const outputs = [
  'cp-outcome-circulate',
  'cp-outline-plan',
  'cp-record-plan-circulate',
  'cp-minutes-circulate',
] as const;
export const conferenceOutputSchema = z.strictObject({ output: z.enum(outputs), at: happenedAt.optional() });

/** The plan may set shorter intervals, never laxer ones (⚠C-10; 003 QS 9.1, 13.14). */
export const coreGroupHeldSchema = z.strictObject({
  heldAt: happenedAt,
  visitIntervalWorkingDays: z
    .number()
    .int()
    .min(1)
    .max(10, 'visits may not be laxer than every 10 working days')
    .optional(),
  coreGroupIntervalWeeks: z.number().int().min(1).max(4, 'core groups may not be laxer than every 4 weeks').optional(),
});
export const visitRecordedSchema = z.strictObject({
  visitedAt: happenedAt,
  childSeen: z.boolean(),
  seenAlone: z.boolean().optional(),
});
export const supervisionRecordedSchema = z.strictObject({ at: happenedAt });

export const reviewScheduledSchema = z.strictObject({
  scheduledStart: scheduledAt,
  reason: z.string().trim().max(2_000).optional(),
});
/** D2.x: at each review conference the plan continues or is discontinued (003 QS 13.15, 13.17). */
export const reviewHeldSchema = z.strictObject({ heldAt: happenedAt, decision: z.enum(['continue', 'discontinue']) });
/** A statutory assessment completed: restarts the 6-monthly clock (003 QS 3.15). */
export const assessmentCompletedSchema = z.strictObject({ at: happenedAt });
/** D2.4: the manager used the contingency plan because the parents do not co-operate (003 QS 13.11). */
export const contingencyPlanUsedSchema = z.strictObject({
  at: happenedAt,
  reason: text(2_000).describe('Why the contingency plan was used'),
});

/** D2.5 and §4.5: the endings without a review conference. */
export const childMovedSchema = z.strictObject({
  toAuthority: z.string().trim().min(1).max(200),
  notifiedAt: happenedAt.describe('When the receiving authority was told of the move'),
});
export const receivingConferenceHeldSchema = z.strictObject({ at: happenedAt });
export const childDiedSchema = z.strictObject({ at: happenedAt });
export const childLeftUkSchema = z.strictObject({ at: happenedAt });

export type ReviewScheduled = z.infer<typeof reviewScheduledSchema>;
export type ReviewHeld = z.infer<typeof reviewHeldSchema>;
export type ConferenceOutput = z.infer<typeof conferenceOutputSchema>;
export type CoreGroupHeld = z.infer<typeof coreGroupHeldSchema>;
export type VisitRecorded = z.infer<typeof visitRecordedSchema>;
export type SupervisionRecorded = z.infer<typeof supervisionRecordedSchema>;
export type TransferInConference = z.infer<typeof transferInConferenceSchema>;
export type AssessmentCompleted = z.infer<typeof assessmentCompletedSchema>;
export type ContingencyPlanUsed = z.infer<typeof contingencyPlanUsedSchema>;
export type ChildMoved = z.infer<typeof childMovedSchema>;
export type EndingEvent = z.infer<typeof childDiedSchema>;

/** Why a plan ended (§4.5): at a review, or one of the D2.5 endings. */
export type PlanEnding =
  'discontinued_at_review' | 'moved' | 'age_18' | 'died' | 'left_uk' | 'no_plan_after_transfer_in';

/** What a plan carries into its next run (continue-as-new at each review cycle). */
export interface PlanCarried {
  state: Omit<PlanState, 'deadlines' | 'ready'>;
  // The engine's own record of every deadline (typed where the engine lives).
  deadlines: unknown[];
  /** Evidence not yet written when the run ended (workflows/evidence.ts). */
  evidence?: unknown;
}

export interface PlanInput {
  planId: string;
  caseReference: string;
  childReference: string;
  team?: string;
  socialWorker?: string;
  /** Absent for an unborn child; runs in history from before it was collected have none either. */
  childDateOfBirth?: string;
  /** The initial conference that decided on the plan; absent for a transfer-in. */
  icpcHeldAt?: string;
  transferIn?: { notifiedAt: string; fromAuthority: string };
  /** The last completed statutory assessment before the plan: the 6-monthly clock's first anchor (⚠C-20). */
  lastAssessmentAt?: string;
  /** Set when the plan was handed over by a Section 47 enquiry (the link back). */
  s47WorkflowId?: string;
  people: CasePeople;
  startedBy?: Actor;
  /** Set by continue-as-new: the whole story so far. */
  carried?: PlanCarried;
}

export interface PlanState {
  process: 'child-protection-plan';
  /** `transfer_in`: waiting for this authority's conference on a child who moved here. */
  stage: 'transfer_in' | 'active' | 'ending' | 'ended';
  status: 'open' | 'closed';
  closedAt?: string;
  ending?: { reason: PlanEnding; at: string };
  /** A permanent move to another authority: the plan stays open until its conference (⚠C-42). */
  transferOut?: { toAuthority: string; notifiedAt: string };
  /** Review conferences held so far, and the one booked next. */
  reviews: { held: number; scheduledStart?: string };
  /** 1 for the first run; each review cycle continues as new (history stays small for years). */
  cycle: number;
  /** False only while the process is still arming its first deadlines. */
  ready: boolean;
  startedAt: string;
  case: { reference: string; childReference: string; team?: string; socialWorker?: string };
  /** `incident`: the serious incident the child's death started (or joined). */
  links: { s47WorkflowId?: string; previousRuns: string[]; incident?: string };
  frequencies: { visitWorkingDays: number; coreGroupWeeks: number };
  /** D2.4: each time the contingency plan was used (absent until the first). */
  contingencyPlanUsed?: Array<{ at: string; by: string; reason: string }>;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
