/**
 * Looked-after child review cycle (docs/deadlines.md §5): the request and event schemas the API
 * validates, and the types the workflow receives. One workflow per episode of care; the child is
 * referred to by a case-system reference only. The date of birth drives the under-5 health cadence
 * and the end at 18: it is personal data, never in ids, search attributes, notices or logs.
 */
import { z } from 'zod';
import { addYearsToDate } from '../../dates';
import type { Actor, DeadlineView, NotificationRecord, ProcessEvent } from '../../process';
import {
  businessId,
  assignmentFields,
  caseReference,
  casePeopleSchema,
  dateOfBirth,
  happenedAt,
  localDate,
  scheduledAt,
  type CasePeople,
  childReference,
  text,
} from '../../schemas';
export { recordedSchema, type Recorded } from '../../schemas';

/** §5.2 `legal_basis` (003 QS 15.3; 004 WT ch.1 para 32). */
export const legalBases = [
  's20',
  'ico',
  'care_order',
  'epo',
  'police_protection',
  'remand_yda',
  'placement_order',
  'other',
] as const;
/** §5.2 `placement.type`: the type selects the visiting cadence (§5.4, 003 QS 9.1). */
export const placementTypes = [
  'foster',
  'connected_person_reg24_temporary',
  'connected_person_approved',
  'residential',
  'placed_with_parent_ico',
  'placed_with_parent_care_order',
  'adoption',
  'semi_independent',
  'other',
] as const;
/** §5.2 `education_stage`: 003 QS 14.14 names the GCSE and A-level years. */
export const educationStages = ['primary', 'secondary', 'gcse_year', 'a_level_year', 'other'] as const;
/** §5.2 `CeasedLookedAfter.reason`. */
export const ceasingReasons = ['return_home', 'sgo', 'adoption_order', 'age_18', 'died', 'other'] as const;
/** D3.4 permanence routes (003 QS 14.7, 14.17). */
export const permanenceRoutes = ['return_home', 'adoption', 'long_term_fostering', 'residential', 'other'] as const;
/** The gates a manager may override before the child stops being looked after (§1.4, §5.5). */
export const ceasingGates = ['lac-review-before-ceasing', 'lac-assessment-before-return'] as const;

export const placementSchema = z.strictObject({
  placementId: businessId.describe('The case system’s id for the placement (no address or carer name)'),
  type: z.enum(placementTypes),
  startAt: happenedAt.describe('When the placement started; defaults to lacStartAt for the first placement').optional(),
});

/**
 * Started when the child becomes looked after (§5.1 `BecameLookedAfter`). A planned admission
 * reports the pre-placement gates (003 QS 14.1–14.3, 14.5, 14.7, 14.13); an emergency one names the
 * next Care Panel, where the admission must be ratified (003 QS 14.1).
 */
export const startLookedAfterSchema = z
  .strictObject({
    episodeId: businessId.describe('The case system’s id for this episode of care; the workflow id is lac-<episodeId>'),
    caseReference,
    ...assignmentFields,
    childReference,
    childDateOfBirth: dateOfBirth().describe(
      'Drives the under-5 health cadence and the end at 18. Kept out of ids, search attributes, notices and logs',
    ),
    lacStartAt: happenedAt.describe(
      'When the child became looked after: anchors lac-review-1, lac-notify-start, lac-health-initial, lac-pep-meeting',
    ),
    emergency: z.boolean(),
    legalBasis: z.enum(legalBases),
    approval: z.strictObject({
      by: z
        .enum(['care_panel', 'director'])
        .describe('Care Panel; in an emergency the Director of Social Work (003 QS 14.1)'),
      at: happenedAt,
      nextCarePanelDate: localDate
        .optional()
        .describe('Required for an emergency admission: lac-panel-ratify is due that day'),
    }),
    placement: placementSchema,
    education: z
      .strictObject({
        stage: z.enum(educationStages),
        ehcp: z.boolean().optional(),
      })
      .optional()
      .describe('Give for a child of school age: the PEP rules apply (⚠C-14)'),
    preAdmission: z
      .strictObject({
        statutoryAssessmentCompletedAt: happenedAt.optional(),
        kinshipOptionsExplored: z.boolean().default(false),
        carePlanCompletedAt: happenedAt.optional(),
        placementPlanCompletedAt: happenedAt.optional(),
        pepInitiatedAt: happenedAt.optional(),
      })
      .default({ kinshipOptionsExplored: false })
      .describe('Planned admission: what was done before the child became looked after (the gates)'),
    lastSupervisionAt: happenedAt
      .optional()
      .describe('The last case supervision; sup-standard counts from it (default: lacStartAt)'),
    lastDentalCheckAt: happenedAt
      .optional()
      .describe('The last dental check; lac-dental counts from it (default: lacStartAt)'),
    onChildProtectionPlan: z
      .boolean()
      .default(false)
      .describe('Also on a child protection plan: supervision is monthly (sup-cp)'),
    people: casePeopleSchema.default({}),
  })
  .superRefine((body, ctx) => {
    const startDate = body.lacStartAt.slice(0, 10);
    if (body.emergency && !body.approval.nextCarePanelDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['approval', 'nextCarePanelDate'],
        message: 'an emergency admission needs the date of the next Care Panel (003 QS 14.1)',
      });
    }
    if (body.approval.nextCarePanelDate && body.approval.nextCarePanelDate < startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['approval', 'nextCarePanelDate'],
        message: 'the next Care Panel cannot be before the child became looked after',
      });
    }
    if (body.childDateOfBirth > startDate)
      ctx.addIssue({ code: 'custom', path: ['childDateOfBirth'], message: 'after lacStartAt' });
    if (addYearsToDate(body.childDateOfBirth, 18) <= startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['childDateOfBirth'],
        message: 'the child is 18 or over on lacStartAt: not an episode of care',
      });
    } else if (addYearsToDate(body.childDateOfBirth, 18) <= new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({
        code: 'custom',
        path: ['childDateOfBirth'],
        message: 'the child is 18 or over today: the episode has ended',
      });
    }
    if (body.placement.startAt && body.placement.startAt < body.lacStartAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['placement', 'startAt'],
        message: 'the first placement cannot start before the child became looked after',
      });
    }
  });
export type StartLookedAfterRequest = z.infer<typeof startLookedAfterSchema>;

/** Events that restart a recurrence need the real happenedAt (⚠C-11: the next one counts from it). */
export const occurredSchema = z.strictObject({ at: happenedAt });

export const visitRecordedSchema = z.strictObject({
  visitedAt: happenedAt,
  childSeen: z.boolean().describe('Only a visit in which the child was seen counts (003 QS 9.1)'),
  seenAlone: z.boolean().optional(),
  jointWithSsw: z
    .boolean()
    .optional()
    .describe('A joint visit with the supervising social worker (lac-joint-visit-ssw)'),
});
/** The recipients 000 KE 2.1 names for a placement change; the independent visitor and advocate only "if any". */
export const placementNoticeRecipients = [
  'iro',
  'iro_manager',
  'school',
  'virtual_school',
  'independent_visitor',
  'advocate',
  'gp',
  'health',
] as const;
export const requiredPlacementNoticeRecipients = [
  'iro',
  'iro_manager',
  'school',
  'virtual_school',
  'gp',
  'health',
] as const;

/** §7.1 `PlacementChanged`: what the key-event notices (000 KE 2.1) and the education gate (003 QS 14.14) need. */
export const placementChangeFields = {
  placementId: businessId,
  startAt: happenedAt.describe('effective_at: when the child moved'),
  planned: z.boolean(),
  decidedAt: happenedAt
    .optional()
    .describe('decided_at: a planned move’s kev-placement-advise counts from it (default startAt)'),
  schoolChanges: z.boolean().optional().describe('school_changes'),
  gpChanges: z.boolean().optional().describe('gp_changes: kev-gp-registration, 10 WD from startAt'),
  educationStage: z
    .enum(educationStages)
    .optional()
    .describe('education_stage at the move (default: the episode’s): a GCSE year arms lac-education-stability'),
  placementPlanCompletedAt: happenedAt
    .optional()
    .describe('Planned move: the placement plan is a gate before it (003 QS 14.5)'),
  virtualHeadConsultedAt: happenedAt
    .optional()
    .describe('Planned move in a GCSE year: consulting the Virtual Headteacher is a gate before it (003 QS 14.14)'),
};
const decidedBeforeMove = (body: { decidedAt?: string; startAt: string }, ctx: z.RefinementCtx) => {
  if (body.decidedAt && body.decidedAt > body.startAt)
    ctx.addIssue({ code: 'custom', path: ['decidedAt'], message: 'a move cannot be decided after it happened' });
};
/** D3.8: a new placement restarts lac-visit-first and lac-placement-plan; it never resets the reviews. */
export const placementChangedSchema = z
  .strictObject({
    ...placementChangeFields,
    type: z.enum(placementTypes),
    eventId: businessId.optional().describe('Set by the child-event route: a repeated event is refused (409)'),
  })
  .superRefine(decidedBeforeMove);
/** The same as a child event (§7.1): `type` names the event there, so the placement's type is `placementType`. */
export const placementChangeEventFields = { ...placementChangeFields, placementType: z.enum(placementTypes) };
export const refinePlacementChange = (body: Record<string, unknown>, ctx: z.RefinementCtx) =>
  decidedBeforeMove(body as { decidedAt?: string; startAt: string }, ctx);
/** The social worker told the Child in Care business support team (000 KE 2.1). */
export const placementChangeAdvisedSchema = z.strictObject({
  at: happenedAt.optional().describe('When business support was told; default now'),
});
/** Business support's notices (000 KE 2.1): every recipient the child has must be named. */
export const placementChangeNotifiedSchema = z.strictObject({
  at: happenedAt.optional().describe('When the last notice went; default now'),
  notified: z
    .array(z.enum(placementNoticeRecipients))
    .min(1)
    .max(placementNoticeRecipients.length)
    .refine((list) => new Set(list).size === list.length, 'each recipient once')
    .refine(
      (list) => requiredPlacementNoticeRecipients.every((r) => list.includes(r)),
      `must include ${requiredPlacementNoticeRecipients.join(', ')} (the independent visitor and advocate only if the child has one)`,
    ),
});
export const icoReg24EndedSchema = z.strictObject({
  at: happenedAt,
  reason: z.enum(['carer_approved', 'final_hearing_completed']),
});
export const cpPlanStatusSchema = z.strictObject({ onPlan: z.boolean(), at: happenedAt });
export const permanencePlanAgreedSchema = z.strictObject({
  at: happenedAt.optional(),
  route: z.enum(permanenceRoutes),
});

export const reviewScheduledSchema = z.strictObject({
  scheduledStart: scheduledAt,
  reason: z.string().trim().max(2_000).optional(),
});
export const reviewRescheduledSchema = z.strictObject({ scheduledStart: scheduledAt, reason: text(2_000) });
export const reviewHeldSchema = z.strictObject({ heldAt: happenedAt });
/** D3.3: a manager who cannot agree must advise those present at the review (003 QS 15.7). */
export const managerResponseSchema = z
  .strictObject({
    agreed: z.boolean(),
    attendeesAdvisedAt: happenedAt.optional().describe('Required when the manager disagrees'),
  })
  .refine((body) => body.agreed || body.attendeesAdvisedAt !== undefined, {
    path: ['attendeesAdvisedAt'],
    message:
      'a manager who disagrees with the IRO must record when those present at the review were advised (003 QS 15.7)',
  });

export const ceasingProposedSchema = z.strictObject({
  reason: z.enum(ceasingReasons).exclude(['died']),
  proposedFor: scheduledAt.describe('When the child is to stop being looked after: the review must be held before it'),
});
export const ceasingOverrideSchema = z.strictObject({ gate: z.enum(ceasingGates), reason: text(5_000) });
export const ceasedSchema = z.strictObject({ at: happenedAt, reason: z.enum(ceasingReasons) });

export type Occurred = z.infer<typeof occurredSchema>;
export type VisitRecorded = z.infer<typeof visitRecordedSchema>;
export type PlacementChanged = z.infer<typeof placementChangedSchema>;
export type PlacementChangeAdvised = z.infer<typeof placementChangeAdvisedSchema>;
export type PlacementChangeNotified = z.infer<typeof placementChangeNotifiedSchema>;
export type IcoReg24Ended = z.infer<typeof icoReg24EndedSchema>;
export type CpPlanStatus = z.infer<typeof cpPlanStatusSchema>;
export type PermanencePlanAgreed = z.infer<typeof permanencePlanAgreedSchema>;
export type ReviewScheduled = z.infer<typeof reviewScheduledSchema>;
export type ReviewRescheduled = z.infer<typeof reviewRescheduledSchema>;
export type ReviewHeld = z.infer<typeof reviewHeldSchema>;
export type ManagerResponse = z.infer<typeof managerResponseSchema>;
export type CeasingProposed = z.infer<typeof ceasingProposedSchema>;
export type CeasingOverride = z.infer<typeof ceasingOverrideSchema>;
export type Ceased = z.infer<typeof ceasedSchema>;
export type CeasingReason = (typeof ceasingReasons)[number];
export type PlacementType = (typeof placementTypes)[number];

/** What the workflow starts with: validated, defaults filled, the starter taken from the token. */
export type LookedAfterInput = Omit<StartLookedAfterRequest, 'placement' | 'people'> & {
  placement: { placementId: string; type: PlacementType; startAt: string };
  people: CasePeople;
  startedBy?: Actor;
  /** Set by continue-as-new: the whole story so far. */
  carried?: LookedAfterCarried;
};

/** What an episode carries into its next run (continue-as-new at each review cycle). */
export interface LookedAfterCarried {
  state: Omit<LookedAfterState, 'deadlines' | 'ready'>;
  // The engine's own record of every deadline (typed where the engine lives).
  deadlines: unknown[];
  /** Evidence not yet written when the run ended (workflows/evidence.ts). */
  evidence?: unknown;
  /** The instant the child turns 18 (start of the day, Europe/London); kept out of the state. */
  eighteenAt: string;
}

export interface LookedAfterState {
  process: 'looked-after-child';
  stage: 'looked_after' | 'ceasing_proposed' | 'ended';
  status: 'open' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: {
    reference: string;
    childReference: string;
    episodeId: string;
    emergency: boolean;
    legalBasis: (typeof legalBases)[number];
    team?: string;
    socialWorker?: string;
  };
  placement: {
    placementId: string;
    type: PlacementType;
    startAt: string;
    number: number;
    reviewsHeldBefore: number;
    variantEnded?: string;
  };
  /** The latest placement change's key events (000 KE 2.1): what the notices after it need. */
  placementChange?: {
    number: number;
    planned: boolean;
    effectiveAt: string;
    decidedAt: string;
    schoolChanges?: boolean;
    gpChanges?: boolean;
    educationStage?: (typeof educationStages)[number];
  };
  /** The case system's event ids recorded against the episode: a repeat is refused (absent in older runs). */
  eventIds?: string[];
  /** Long-term ratification (D3.5): with a year in the placement, visits become 3-monthly. */
  longTermRatifiedAt?: string;
  visits: { lastSeenAt?: string };
  reviews: { held: number; scheduledStart?: string; lastHeldAt?: string };
  healthReviewMonths?: number;
  onChildProtectionPlan: boolean;
  lastSupervisionAt: string;
  /** Held between the first and second reviews; the plan confirmed at the second (003 QS 14.7, 14.17). */
  permanence: { meetingHeldAt?: string; planAgreedAt?: string; route?: (typeof permanenceRoutes)[number] };
  ceasing?: { reason: Exclude<CeasingReason, 'died'>; proposedFor: string; by: string };
  overrides: Array<{ gate: (typeof ceasingGates)[number]; reason: string; by: string; at: string }>;
  ending?: { reason: CeasingReason; at: string };
  /** 1 for the first run; each review cycle continues as new (history stays small for years). */
  cycle: number;
  /** False only while the process is still arming its first deadlines. */
  ready: boolean;
  /** `incident`: the serious incident the child's death started (or joined). */
  links: { previousRuns: string[]; incident?: string };
  notices: NotificationRecord[];
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
