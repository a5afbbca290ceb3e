/**
 * Section 47 enquiry: from the contact to the initial child protection conference
 * (docs/deadlines.md §3).
 *
 * One workflow per contact, covering every child in it. The front door (screen, MASH decision and
 * a different manager's sign-off, referrer acknowledgement and feedback), the assessment clocks,
 * the strategy discussion chosen by urgency, the S47 decision and sign-off, and the ICPC with its
 * "before" deadlines that move with the conference. A `cp_plan` decision hands each child over to
 * a child protection plan workflow (process 2), linked both ways by id; then this workflow ends.
 * The topics live beside it: `front-door.ts`, `assessment.ts`, `strategy.ts`, `icpc.ts`,
 * `closing.ts`; its rules as data in `src/processes/s47-enquiry/`.
 */
import { condition } from '@temporalio/workflow';
import { assignmentOf, SYSTEM_ACTOR } from '../../src/process';
import type { S47Input, S47State } from '../../src/processes/s47-enquiry/schemas';
import { createProcess, nowIso, settle } from '../process-kit';
import { assessment, canAllocate, canComplete, canReviewCheckpoint, visitDue } from './assessment';
import { closing, notClosed } from './closing';
import type { Enquiry } from './enquiry';
import { canDecidePathway, canScreen, canSignOff, frontDoor } from './front-door';
import { canBook, canCancel, canConfirmRequest, canRecordHeld, canReschedule, icpc } from './icpc';
import * as m from './messages';
import {
  canActInEmergency,
  canDecideOutcome,
  canHoldDiscussion,
  canRaiseConcern,
  canSetUrgency,
  canSignOffEnquiry,
  strategy,
} from './strategy';

export async function s47Enquiry(input: S47Input): Promise<S47State> {
  const p = createProcess<S47State>({
    title: 'Section 47 enquiry',
    context: { process: 's47', caseReference: input.caseReference, people: input.people },
    state: {
      process: 's47-enquiry',
      stage: 'contact_received',
      status: 'open',
      startedAt: input.receivedAt,
      case: {
        reference: input.caseReference,
        trigger: input.trigger,
        contactType: input.contactType,
        children: input.children.map((c) => c.reference),
        ...assignmentOf(input),
      },
      planHandOvers: [],
      events: [],
    },
    messages: m,
    answers: 'state',
  });
  const { state, deadlines, record, decide } = p;
  const enquiry: Enquiry = { p, input, strategyAnchor: input.receivedAt, concurringDiscussions: new Set() };
  const { finish, close } = closing(enquiry);
  const assess = assessment(enquiry, finish);
  const discussion = strategy(enquiry, finish, assess);
  const door = frontDoor(enquiry, finish, { assessment: assess.fromFrontDoor, strategy: discussion.awaitStrategy });
  const conference = icpc(enquiry, finish);

  decide(m.screenedUpdate, door.screened, canScreen(p));
  decide(m.mashDecisionUpdate, door.mashDecision, canDecidePathway(p));
  decide(m.mashSignoffUpdate, door.mashSignoff, canSignOff(p));

  decide(m.childSeenUpdate, assess.childSeen, visitDue(p));
  decide(m.childNotSeenUpdate, assess.childNotSeen, visitDue(p));
  decide(m.assessmentCompletedUpdate, assess.assessmentCompleted, canComplete(p));
  decide(m.assessmentAllocatedUpdate, assess.assessmentAllocated, canAllocate(p));
  decide(m.checkpointReviewedUpdate, assess.checkpointReviewed, canReviewCheckpoint(p));

  decide(m.concernIdentifiedUpdate, discussion.concernIdentified, canRaiseConcern(p));
  decide(m.emergencyActionUpdate, discussion.emergencyAction, canActInEmergency(p));
  decide(m.strategyUrgencyUpdate, discussion.strategyUrgency, canSetUrgency(p));
  decide(m.strategyHeldUpdate, discussion.strategyHeld, canHoldDiscussion(p));
  decide(m.s47OutcomeUpdate, discussion.s47Outcome, canDecideOutcome(enquiry));
  decide(m.s47SignoffUpdate, discussion.s47Signoff, canSignOffEnquiry(p));

  decide(m.icpcRequestConfirmedUpdate, conference.icpcRequestConfirmed, canConfirmRequest(p));
  decide(m.icpcScheduledUpdate, conference.icpcScheduled, canBook(p));
  decide(m.icpcRescheduledUpdate, conference.icpcRescheduled, canReschedule(p));
  decide(m.icpcCancelledUpdate, conference.icpcCancelled, canCancel(enquiry));
  decide(m.icpcHeldUpdate, conference.icpcHeld, canRecordHeld(p));
  decide(m.closeUpdate, close, notClosed(p));

  // Events whose only effect is to meet an open deadline: the referrer, the last team, the other
  // authority, the strategy record and ICPC request, and the gates before the conference.
  p.meets(m.referrerAcknowledgedUpdate, 'referral-ack-decision', 'receipt acknowledged to the referrer');
  p.meets(m.referrerFeedbackUpdate, 'referrer-feedback', 'written feedback sent to the referrer');
  p.meets(m.lastTeamNotifiedUpdate, 'contact-13wk-notify', 'the last team and manager notified (13-week rule)');
  p.meets(
    m.otherAuthorityNotifiedUpdate,
    'contact-other-la-notify',
    'written notification sent to the other authority',
  );
  p.meets(m.strategyRecordCirculatedUpdate, 'strategy-record-circulate', 'strategy record circulated to all invitees');
  p.meets(m.icpcRequestedUpdate, 'strategy-icpc-request', 'ICPC requested and invite list sent to the QA team');
  p.meets(m.chairMetParentsUpdate, 'icpc-chair-meets-parents', 'the chair met the parents');
  p.meets(m.reportSharedWithFamilyUpdate, 'icpc-report-family', 'report shared with the family');
  p.meets(m.reportSentToChairUpdate, 'icpc-report-chair', 'report available to the chair');
  p.meets(m.assessmentUpdatedUpdate, 'icpc-assessment-updated', 'assessment updated for the conference');

  // The clocks each trigger starts (§3.1, §3.4).
  const raisedBy = input.raisedBy.id;
  record('started', `${input.trigger} received (${input.contactType}); ${input.children.length} child(ren)`, raisedBy);
  if (input.trigger === 'contact') await door.open();
  else await discussion.open();
  await p.started();

  // Ends when closed and nothing more is owed (referrer feedback survives closure, §3.6).
  await condition(() => state.stage === 'closed' && deadlines.openIds().length === 0);
  state.status = 'closed';
  state.closedAt = nowIso();
  await settle(deadlines); // as it always was: the last entry once no notice is in flight
  record('completed', 'no obligations left open', SYSTEM_ACTOR);
  return p.complete();
}
