/**
 * Need to Know briefing (docs/deadlines.md §6): the request and decision schemas the API
 * validates, and the types the workflow receives already validated.
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
  mailAddress,
  type CasePeople,
} from '../../schemas';

/** 001 NTK s4 item 1: the child's legal status. */
export const legalStatuses = [
  'looked_after_s20',
  'care_order',
  'ico',
  'epo',
  'police_protection',
  'remand',
  'cp_plan',
  'cin',
  'none',
] as const;

/** The five sections of a briefing (001 NTK s4 items 1–5). */
export const briefingSchema = z.strictObject({
  child: z.strictObject({
    reference: z.string().trim().min(1).max(64).describe('The child’s case-system reference'),
    name: z.string().trim().min(1).max(200),
    dateOfBirth: dateOfBirth(25).optional().describe('Not in the future; under 25 today (care leavers)'),
    legalStatus: z.enum(legalStatuses),
  }),
  concern: z.string().trim().min(1).max(10_000).describe('Nature of the concern and why the Director needs to know'),
  actionTaken: z.string().trim().min(1).max(10_000).describe('Action being taken'),
  updateExpectedOn: localDate.describe('Date by which an update is expected (YYYY-MM-DD)'),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(200),
    role: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(50).optional(),
    email: mailAddress.optional(),
  }),
});
export type Briefing = z.infer<typeof briefingSchema>;

export const startNeedToKnowSchema = z.strictObject({
  briefingId: businessId.describe('The case system’s id for this briefing; the workflow id is ntk-<briefingId>'),
  caseReference,
  ...assignmentFields,
  category: z.union([z.literal(2), z.literal(3)]).describe('2: always reported; 3: the Head of Service decides'),
  item: z.number().int().min(1).max(10).describe('Item number within the category (001 NTK s2, s3)'),
  concernAroseAt: happenedAt.optional().describe('When the concern arose; defaults to raisedAt (⚠C-23)'),
  raisedAt: happenedAt.optional().describe('When the concern was raised; defaults to now'),
  brevity: z.enum(['full', 'brief']).default('full'),
  briefing: briefingSchema,
  people: casePeopleSchema.default({}),
});

export const pglResponseSchema = z
  .strictObject({
    decision: z.enum(['approve', 'amend_and_approve']),
    amendedBriefing: briefingSchema.optional(),
    comment: z.string().trim().max(2_000).optional(),
  })
  .refine((v) => v.decision === 'approve' || v.amendedBriefing !== undefined, {
    path: ['amendedBriefing'],
    message: 'amend_and_approve needs the amended briefing',
  });

export const hosDecisionSchema = z
  .strictObject({ decision: z.enum(['inform', 'do_not_inform']), rationale: z.string().trim().max(5_000).optional() })
  .refine((v) => v.decision === 'inform' || (v.rationale ?? '').length > 0, {
    path: ['rationale'],
    message: 'a decision not to inform the Director needs a rationale',
  });

export const briefingRevisedSchema = z.strictObject({ briefing: briefingSchema });
export const directorRequestSchema = z.strictObject({ request: z.string().trim().min(1).max(5_000) });
export const updateSentSchema = z.strictObject({
  summary: z.string().trim().min(1).max(10_000),
  nextUpdateExpectedOn: localDate.optional().describe('Omit when no further update is promised'),
});
export const closeSchema = z.strictObject({ rationale: z.string().trim().min(1).max(5_000) });

export type PglResponse = z.infer<typeof pglResponseSchema>;
export type HosDecision = z.infer<typeof hosDecisionSchema>;
export type BriefingRevised = z.infer<typeof briefingRevisedSchema>;
export type DirectorRequest = z.infer<typeof directorRequestSchema>;
export type UpdateSent = z.infer<typeof updateSentSchema>;
export type CloseBriefing = z.infer<typeof closeSchema>;

export type LegalStatus = (typeof legalStatuses)[number];

/**
 * A briefing another process raised by itself (a missing child's threshold, a death, a prognosis:
 * §6.1's automatic triggers). It starts with no draft: the author is asked to write one, and the
 * fallback sends the minimal automatic notice if none exists by then (§6.3 step 5).
 */
export interface AutomaticRaise {
  /** The rule or decision that raised it (`ntk-trigger-lac-missing`). */
  trigger: string;
  /** The raising process's workflow id: the two are linked both ways. */
  raisedFrom: string;
  child: { reference: string; legalStatus: LegalStatus };
  /** What is known, with no names: the minimal notice carries it. */
  facts: string;
}

/** An event of the raising process the briefing's readers must hear of (the child found, an update). */
export interface RaisingProcessEvent {
  kind: string;
  at: string;
  summary: string;
}

/** What the workflow starts with: validated, defaults filled, the raiser taken from the token. */
export interface NeedToKnowInput {
  briefingId: string;
  caseReference: string;
  team?: string;
  socialWorker?: string;
  category: 2 | 3;
  item: number;
  concernAroseAt: string;
  raisedAt: string;
  raisedBy: Actor;
  brevity: 'full' | 'brief';
  /** Absent only for an automatic raise, until the author drafts it. */
  briefing?: Briefing;
  automatic?: AutomaticRaise;
  people: CasePeople;
}

export type NeedToKnowStage =
  'awaiting_hos_decision' | 'awaiting_pgl' | 'with_director_unreviewed' | 'with_director' | 'closed';

export interface NeedToKnowState {
  id: string;
  process: 'need-to-know';
  stage: NeedToKnowStage;
  status: 'open' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: {
    reference: string;
    category: 2 | 3;
    item: number;
    brevity: 'full' | 'brief';
    team?: string;
    socialWorker?: string;
  };
  briefingVersion: number;
  directorHas?: 'approved' | 'not_yet_reviewed';
  hosDecision?: { decision: HosDecision['decision']; rationale?: string; by: string; at: string };
  /** An automatic raise: the rule that raised it, and whether a draft exists yet. */
  automatic?: {
    trigger: string;
    drafted: boolean;
    /** What the raising process reported before the Director had anything: the minimal notice carries it too. */
    reported?: RaisingProcessEvent[];
  };
  links?: { raisedBy?: string };
  /** False only while the process is still arming its first deadlines. */
  ready: boolean;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
