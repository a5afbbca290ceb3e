/**
 * The Section 47 enquiry's rules as data (docs/deadlines.md §3): the deadlines each step opens,
 * what survives the enquiry's end, and the tests its decisions apply. Plain code, no Temporal and
 * no zod: the workflow uses it and the unit tests check it.
 */
import type { DeadlineView } from '../../process';
import type { S47Input } from './schemas';

/** Either front-door finalisation: the MASH sign-off meets whichever one runs (003 QS 2.12). */
export const FRONT_DOOR_FINALISE = ['contact-finalise', 'contact-finalise-cp'];

/** The clocks a contact starts (§3.1, §3.4), in the order they are opened. */
export const contactRules = ({
  contactType,
  otherLocalAuthority,
}: Pick<S47Input, 'contactType' | 'otherLocalAuthority'>) => [
  'contact-screen',
  contactType === 'general' ? 'contact-finalise' : 'contact-finalise-cp',
  'referral-ack-decision',
  'referrer-feedback',
  ...(otherLocalAuthority ? ['contact-other-la-notify'] : []),
];

/**
 * ⚠C-34, §3.4: the 13-week rule's notice to the last team counts from the MASH decision; before
 * that was fixed (THIRTEEN_WEEK_PATCH), from its sign-off.
 */
export const thirteenWeekAnchor = (fromMashDecision: boolean, decidedAt: string, signedOffAt: string): string =>
  fromMashDecision ? decidedAt : signedOffAt;

/** The statutory assessment: a visit for each child and the 45 working days in all (⚠C-02, ⚠C-05). */
export const ASSESSMENT_RULES = ['assessment-see-child', 'assessment-complete'];

/** The last day of the statutory assessment ("YYYY-MM-DD"), or '' before it is open. */
export const assessmentLimit = (assessmentDueAt: string | undefined): string => assessmentDueAt?.slice(0, 10) ?? '';

/** [S] 004 WT ch.1 para 75: an assessment completed past its 45 working days needs the reasons. */
export const exceededWithoutReason = (completedAt: string, dueAt: string, exceededReason?: string): boolean =>
  completedAt > dueAt && !exceededReason;

/** Checkpoints set when the assessment is allocated that fall after its last day. */
export const checkpointsPastLimit = (checkpoints: string[], limit: string): boolean =>
  checkpoints.some((date) => date > limit);

/** D1.4: extending a checkpoint beyond the 45 working days only with a reason (004 WT ch.1 para 75). */
export const extensionNeedsReason = (
  decision: 'complete' | 'extend',
  nextCheckpoint: string | undefined,
  limit: string,
  reason?: string,
): boolean => decision === 'extend' && nextCheckpoint! > limit && !reason;

/** What the first S47-initiating strategy discussion starts, anchored at it (⚠C-36). */
export const S47_RULES = ['s47-decision', 's47-manager-signoff', 's47-icpc-request-confirm', 'icpc-held'];

/** Deadlines counted back from the scheduled ICPC; they move with it (§1.4 "before" rules). */
export const ICPC_BEFORE = [
  'icpc-report-family',
  'icpc-report-chair',
  'icpc-chair-meets-parents',
  'icpc-assessment-updated',
];
/** Everything the ICPC owes: no longer owed once the S47 is not substantiated. */
export const ICPC_RULES = ['icpc-held', 's47-icpc-request-confirm', ...ICPC_BEFORE];

/** The conference decides for every child of the enquiry, once each. */
export const decidesForEveryChild = (decisions: Array<{ childReference: string }>, children: string[]): boolean =>
  decisions
    .map((d) => d.childReference)
    .sort()
    .join(',') === [...children].sort().join(',');

/** The last completed statutory assessment among these (the one updated for the conference, or its completion). */
export const lastMetAt = (deadlines: Array<Pick<DeadlineView, 'status' | 'metAt'> | undefined>): string | undefined =>
  deadlines
    .filter((d) => d?.status === 'met')
    .map((d) => d!.metAt!)
    .sort()
    .at(-1);

/** Owed to others even when the enquiry ends: the referrer, the last team, the other authority (§3.6). */
export const SURVIVE_CLOSURE = ['referrer-feedback', 'contact-13wk-notify', 'contact-other-la-notify'];

/** What the end of the enquiry leaves open: ⚠C-05, after a conference the assessment runs to its own completion. */
export const closureSurvivors = (assessmentGoesOn: boolean): string[] =>
  assessmentGoesOn ? [...SURVIVE_CLOSURE, ...ASSESSMENT_RULES] : SURVIVE_CLOSURE;
