/**
 * Section 47 enquiry, from contact to the initial child protection conference
 * (docs/deadlines.md §3): the request and decision schemas the API validates, and the types the
 * workflow receives.
 *
 * Children are identified by their case-system references only: names and addresses stay in the
 * case system; a date of birth comes only with a plan decision, whose 18th-birthday rule needs it.
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
  localDate,
  scheduledAt,
  type CasePeople,
  childReference,
  text,
} from '../../schemas';
export { recordedSchema, type Recorded } from '../../schemas';

export const triggers = ['contact', 'concern', 'emergency', 'staff_allegation'] as const;
export const contactTypes = ['general', 'cp_referral', 'police_notification'] as const;

/** §3.1 triggers: a contact, a concern on an open case, emergency action, an allegation against staff. */
export const startS47Schema = z.strictObject({
  contactId: businessId.describe(
    'The case system’s id for the contact (or concern); the workflow id is s47-<contactId>',
  ),
  caseReference,
  ...assignmentFields,
  trigger: z.enum(triggers).default('contact'),
  /** When the contact was received, the concern identified, the emergency action taken or the allegation received (⚠C-02). */
  receivedAt: happenedAt.optional().describe('The anchor of the front-door clocks; defaults to now'),
  contactType: z
    .enum(contactTypes)
    .default('general')
    .describe('cp_referral and police_notification select the 4-hour rule (003 QS 2.15)'),
  children: z
    .array(z.strictObject({ reference: childReference }))
    .min(1)
    .max(20),
  otherLocalAuthority: z
    .boolean()
    .default(false)
    .describe('Known to another authority: written notification due (003 QS 2.8)'),
  people: casePeopleSchema.default({}),
});

export const pathways = [
  'nfa_close',
  'early_help_hub',
  'acp_statutory_assessment',
  'cp_strategy',
  'dct_referral',
  'return_to_last_team',
  'other_la',
] as const;
export const urgencies = [
  'standard',
  'serious_risk',
  'penetrative_sexual_abuse',
  'immediate_action',
  'staff_allegation',
  'complex',
] as const;
export type Urgency = (typeof urgencies)[number];
export const agencies = [
  'la_social_care',
  'police',
  'health',
  'referrer',
  'school_nursery',
  'residential_or_fostering_service',
  'other',
] as const;

export const screenedSchema = z.strictObject({
  significantHarmSuspected: z.boolean(),
  immediateProtectionRequired: z.boolean(),
});

/** D1.1 recorded by the duty manager; a different manager signs it off (003 QS 2.12). */
export const mashDecisionSchema = z.strictObject({ pathway: z.enum(pathways), rationale: text() });
export const mashSignoffSchema = z.strictObject({ comment: z.string().trim().max(2_000).optional() });

export const childSeenSchema = z.strictObject({ childReference, seenAt: happenedAt, seenAlone: z.boolean() });
/** 003 QS 3.5: a child not seen for the assessment: the reasons, authorised by the line manager. */
export const childNotSeenSchema = z.strictObject({ childReference, reasons: text() });
export const assessmentCompletedSchema = z.strictObject({
  completedAt: happenedAt,
  outcome: z.enum(['nfa', 'cin_plan', 's47', 'lac', 'step_down']),
  exceededReason: z
    .string()
    .trim()
    .max(5_000)
    .optional()
    .describe('Required when past 45 working days (004 WT ch.1 para 75)'),
});

/** D1.3: allocation, face to face, sets the visit target and the checkpoints (003 QS 3.1–3.3). */
export const assessmentAllocatedSchema = z.strictObject({
  visitTargetAt: scheduledAt.describe('No later than assessment-see-child'),
  checkpoints: z.array(localDate).min(1).max(10).describe('Checkpoint dates, each no later than assessment-complete'),
});
/** D1.4: at a checkpoint the manager records complete, or extends with a new target date. */
export const checkpointReviewedSchema = z
  .strictObject({
    decision: z.enum(['complete', 'extend']),
    nextCheckpoint: localDate.optional(),
    reason: z
      .string()
      .trim()
      .max(5_000)
      .optional()
      .describe('Required to extend beyond 45 working days (004 WT ch.1 para 75)'),
  })
  .refine((v) => v.decision === 'complete' || v.nextCheckpoint, {
    path: ['nextCheckpoint'],
    message: 'an extension needs the next checkpoint date',
  });

export const concernIdentifiedSchema = z.strictObject({ identifiedAt: happenedAt });
export const emergencyActionSchema = z.strictObject({
  takenAt: happenedAt,
  action: z.enum(['epo', 'police_protection', 'other']),
});

/** D1.5: which strategy-* rule runs; `complex` needs a rationale (⚠C-01). */
export const strategyUrgencySchema = z
  .strictObject({ urgency: z.enum(urgencies), rationale: z.string().trim().max(5_000).optional() })
  .refine((v) => v.urgency !== 'complex' || (v.rationale ?? '').length > 0, {
    path: ['rationale'],
    message: 'a complex classification needs a rationale',
  });

export const strategyHeldSchema = z
  .strictObject({
    strategyId: businessId,
    heldAt: happenedAt,
    attendees: z
      .array(z.strictObject({ agency: z.enum(agencies), role: z.string().trim().max(200).optional() }))
      .min(1),
    s47Initiated: z.boolean(),
    enquiryType: z.enum(['single', 'joint']).optional(),
    icpcLikely: z.boolean(),
    /** Each becomes a tracked deadline with its owner role and due instant (003 QS 11.4 "SMART"). */
    immediateActions: z
      .array(
        z.strictObject({
          action: text(500),
          ownerRole: z.enum(['social_worker', 'team_manager', 'mash_duty_manager', 'pgl']),
          dueAt: scheduledAt,
        }),
      )
      .max(20)
      .default([]),
    concursWithIcpcCancellation: z
      .boolean()
      .optional()
      .describe('A new discussion that agrees to cancel an agreed ICPC (D1.7)'),
  })
  .refine((v) => ['la_social_care', 'police', 'health'].every((a) => v.attendees.some((x) => x.agency === a)), {
    path: ['attendees'],
    message: 'a strategy discussion must include local authority social care, police and health',
  })
  .refine((v) => !v.s47Initiated || v.enquiryType !== undefined, {
    path: ['enquiryType'],
    message: 'an S47 enquiry is single or joint',
  });

export const s47OutcomeSchema = z.strictObject({
  outcome: z.enum(['not_substantiated', 'substantiated_icpc']),
  multiAgencyConcurredIcpc: z.boolean().optional(),
  rationale: text(),
});

export const icpcScheduledSchema = z.strictObject({
  scheduledStart: scheduledAt,
  reason: z.string().trim().max(2_000).optional(),
});
export const icpcCancelledSchema = z.strictObject({ strategyId: businessId, reason: text() });
export const icpcHeldSchema = z.strictObject({
  heldAt: happenedAt,
  decisions: z
    .array(
      z.strictObject({
        childReference,
        decision: z.enum(['cp_plan', 'no_plan']),
        planId: businessId.optional(),
        childDateOfBirth: dateOfBirth(18)
          .optional()
          .describe('For a cp_plan: handed to the plan for its 18th-birthday rule; omit for an unborn child'),
      }),
    )
    .min(1)
    .refine((d) => d.every((x) => x.decision === 'no_plan' || x.planId), {
      message: 'a cp_plan decision needs the planId of the new plan',
    }),
});
export const closeSchema = z.strictObject({ reason: text() });

export type Screened = z.infer<typeof screenedSchema>;
export type MashDecision = z.infer<typeof mashDecisionSchema>;
export type MashSignoff = z.infer<typeof mashSignoffSchema>;
export type ChildSeen = z.infer<typeof childSeenSchema>;
export type ChildNotSeen = z.infer<typeof childNotSeenSchema>;
export type AssessmentCompleted = z.infer<typeof assessmentCompletedSchema>;
export type ConcernIdentified = z.infer<typeof concernIdentifiedSchema>;
export type AssessmentAllocated = z.infer<typeof assessmentAllocatedSchema>;
export type CheckpointReviewed = z.infer<typeof checkpointReviewedSchema>;
export type EmergencyAction = z.infer<typeof emergencyActionSchema>;
export type StrategyUrgency = z.infer<typeof strategyUrgencySchema>;
export type StrategyHeld = z.infer<typeof strategyHeldSchema>;
export type S47Outcome = z.infer<typeof s47OutcomeSchema>;
export type IcpcScheduled = z.infer<typeof icpcScheduledSchema>;
export type IcpcCancelled = z.infer<typeof icpcCancelledSchema>;
export type IcpcHeld = z.infer<typeof icpcHeldSchema>;
export type CloseS47 = z.infer<typeof closeSchema>;

export interface S47Input {
  contactId: string;
  caseReference: string;
  team?: string;
  socialWorker?: string;
  trigger: (typeof triggers)[number];
  receivedAt: string;
  contactType: (typeof contactTypes)[number];
  children: Array<{ reference: string }>;
  otherLocalAuthority: boolean;
  raisedBy: Actor;
  people: CasePeople;
}

export type S47Stage =
  | 'contact_received'
  | 'screened'
  | 'awaiting_signoff'
  | 'assessment'
  | 'strategy_pending'
  | 's47_in_progress'
  | 'icpc_pending'
  | 'closed';

/** A child protection plan handed over to process 2 (the plan workflow is linked by id both ways). */
export interface PlanHandOver {
  childReference: string;
  planId: string;
  workflowId: string;
}

export interface S47State {
  process: 's47-enquiry';
  stage: S47Stage;
  status: 'open' | 'closed';
  outcome?: 'closed_at_front_door' | 'no_s47' | 'not_substantiated' | 'icpc_held' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: {
    reference: string;
    trigger: S47Input['trigger'];
    contactType: S47Input['contactType'];
    children: string[];
    team?: string;
    socialWorker?: string;
  };
  mashDecision?: { pathway: MashDecision['pathway']; rationale: string; by: string; at: string; signedOffBy?: string };
  urgency?: { urgency: Urgency; by: string; at: string; rationale?: string };
  s47?: { anchorAt: string; strategyId: string; enquiryType?: 'single' | 'joint' };
  icpc?: { agreed: boolean; scheduledStart?: string; heldAt?: string; decisions?: IcpcHeld['decisions'] };
  planHandOvers: PlanHandOver[];
  /** False only while the process is still arming its first deadlines. */
  ready: boolean;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
