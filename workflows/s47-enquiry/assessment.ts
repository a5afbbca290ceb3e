/**
 * The statutory assessment (docs/deadlines.md §3.3, ⚠C-02, ⚠C-05): counted from the contact, a
 * visit for each child and 45 working days in all, with the manager's checkpoints in between.
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import {
  assessmentLimit,
  checkpointsPastLimit,
  exceededWithoutReason,
  extensionNeedsReason,
} from '../../src/processes/s47-enquiry/enquiry-rules';
import type {
  AssessmentAllocated,
  AssessmentCompleted,
  CheckpointReviewed,
  ChildNotSeen,
  ChildSeen,
} from '../../src/processes/s47-enquiry/schemas';
import { stageConflict } from '../process-kit';
import type { Finish } from './closing';
import type { Enquiry, EnquiryProcess } from './enquiry';

/**
 * Patch: the statutory assessment starts with every S47 enquiry, not only on the assessment
 * pathway, each child has their own `assessment-see-child`, and the 45 WD clock outlives the ICPC
 * (⚠C-05; 003 QS 12.7, 3.3, 3.5). Histories recorded before it replay without it.
 */
export const ASSESSMENT_PATCH = 's47-assessment-every-enquiry';

const limit = (p: EnquiryProcess) => assessmentLimit(p.deadlines.find('assessment-complete')?.dueAt);

export function assessment({ p, input }: Enquiry, finish: Finish) {
  const { state, deadlines, record } = p;
  /** A checkpoint falls due at EOD on its date (a manager-set date: `assessment-checkpoint` has no duration of its own). */
  const openCheckpoint = (date: string) =>
    deadlines.open('assessment-checkpoint', date, { duration: { value: 0, unit: 'calendar_days' } });

  /** The statutory assessment, counted from the contact (⚠C-02): a visit for each child, 45 WD in all. */
  const start = async () => {
    for (const child of state.case.children)
      await deadlines.open('assessment-see-child', input.receivedAt, { subject: child });
    await deadlines.open('assessment-complete', input.receivedAt);
  };

  return {
    /** The front door's assessment pathway; before ASSESSMENT_PATCH, one visit for the whole contact. */
    async fromFrontDoor() {
      if (patched(ASSESSMENT_PATCH)) {
        await start();
      } else {
        await deadlines.open('assessment-see-child', input.receivedAt);
        await deadlines.open('assessment-complete', input.receivedAt);
      }
    },

    /** 003 QS 12.7: a statutory assessment starts with the enquiry, on whichever path it came (⚠C-05). */
    async withEnquiry() {
      if (!deadlines.find('assessment-complete') && patched(ASSESSMENT_PATCH)) await start();
    },

    childSeen({ actor, childReference, seenAt, seenAlone }: Decision<ChildSeen>) {
      deadlines.meet('assessment-see-child', actor.id, seenAt, childReference);
      record('child_seen', `${childReference} seen${seenAlone ? ' alone' : ''}`, actor.id);
    },

    // 003 QS 3.5: the visit is no longer owed once the line manager authorises the reasons it did not happen.
    childNotSeen({ actor, childReference, reasons }: Decision<ChildNotSeen>) {
      deadlines.cancel(
        'assessment-see-child',
        actor.id,
        `not seen; reasons authorised by the line manager: ${reasons}`,
        childReference,
      );
      record('child_not_seen', `${childReference} not seen: reasons authorised`, actor.id);
    },

    assessmentCompleted({ actor, completedAt, outcome, exceededReason }: Decision<AssessmentCompleted>) {
      deadlines.meet('assessment-complete', actor.id, completedAt);
      deadlines.cancel('assessment-checkpoint', actor.id, 'assessment completed');
      const completed = deadlines.find('assessment-complete')!;
      if (completed.breached) deadlines.recordBreachReason('assessment-complete', actor.id, exceededReason!);
      record('assessment_completed', `outcome ${outcome}`, actor.id);
      if (state.stage === 'assessment' && outcome !== 's47')
        finish('closed', actor.id, `assessment completed: ${outcome}`);
    },

    async assessmentAllocated({ actor, visitTargetAt, checkpoints }: Decision<AssessmentAllocated>) {
      for (const date of [...checkpoints].sort()) await openCheckpoint(date);
      record('assessment_allocated', `visit by ${visitTargetAt}; checkpoints ${checkpoints.join(', ')}`, actor.id);
    },

    async checkpointReviewed({ actor, decision, nextCheckpoint, reason }: Decision<CheckpointReviewed>) {
      deadlines.meet('assessment-checkpoint', actor.id);
      record(
        'checkpoint',
        decision === 'complete'
          ? 'assessment ready for authorisation'
          : `extended to ${nextCheckpoint}${reason ? `: ${reason}` : ''}`,
        actor.id,
      );
      if (decision === 'extend') await openCheckpoint(nextCheckpoint!);
    },
  };
}

/** Refuses a visit decision unless the child is one of the contact's and their visit is still due. */
export const visitDue =
  (p: EnquiryProcess) =>
  ({ childReference }: { childReference: string }) => {
    if (!p.state.case.children.includes(childReference))
      stageConflict(`${childReference} is not a child of this contact`);
    if (!p.deadlines.isOpen('assessment-see-child', childReference))
      stageConflict(`no statutory assessment visit is due for ${childReference}`);
  };

export const canComplete =
  (p: EnquiryProcess) =>
  ({ completedAt, exceededReason }: AssessmentCompleted) => {
    const open = p.deadlines.find('assessment-complete');
    if (!open || !p.deadlines.isOpen('assessment-complete')) stageConflict('no statutory assessment is open');
    // [S] 004 WT ch.1 para 75: past 45 working days the social worker records the reasons.
    if (exceededWithoutReason(completedAt, open.dueAt, exceededReason))
      stageConflict('the assessment exceeded 45 working days: exceededReason is required');
  };

export const canAllocate =
  (p: EnquiryProcess) =>
  ({ visitTargetAt, checkpoints }: AssessmentAllocated) => {
    p.requireStage(['assessment'], 'Allocating the assessment');
    const visit = p.deadlines.find('assessment-see-child');
    if (visit && visitTargetAt > visit.dueAt)
      stageConflict(`the visit target must be no later than assessment-see-child (${visit.dueAt})`);
    if (checkpointsPastLimit(checkpoints, limit(p)))
      stageConflict(`checkpoints must be no later than assessment-complete (${limit(p)})`);
  };

export const canReviewCheckpoint =
  (p: EnquiryProcess) =>
  ({ decision, nextCheckpoint, reason }: CheckpointReviewed) => {
    if (!p.deadlines.isOpen('assessment-checkpoint')) stageConflict('no assessment checkpoint is open');
    // D1.4: beyond 45 working days only with the reasons recorded (004 WT ch.1 para 75).
    if (extensionNeedsReason(decision, nextCheckpoint, limit(p), reason))
      stageConflict(`extending beyond ${limit(p)} needs a reason`);
  };
