/** Messages of the Section 47 enquiry workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';
import type {
  AssessmentAllocated,
  AssessmentCompleted,
  CheckpointReviewed,
  ChildNotSeen,
  ChildSeen,
  CloseS47,
  ConcernIdentified,
  EmergencyAction,
  IcpcCancelled,
  IcpcHeld,
  IcpcScheduled,
  MashDecision,
  MashSignoff,
  Recorded,
  S47Outcome,
  S47State,
  Screened,
  StrategyHeld,
  StrategyUrgency,
} from '../../src/processes/s47-enquiry/schemas';

const update = <T>(name: string) => defineUpdate<S47State, [Decision<T>]>(name);

export const screenedUpdate = update<Screened>('contactScreened');
export const mashDecisionUpdate = update<MashDecision>('mashDecision');
export const mashSignoffUpdate = update<MashSignoff>('mashSignoff');
export const referrerAcknowledgedUpdate = update<Recorded>('referrerAcknowledged');
export const referrerFeedbackUpdate = update<Recorded>('referrerFeedbackSent');
export const lastTeamNotifiedUpdate = update<Recorded>('lastTeamNotified');
export const otherAuthorityNotifiedUpdate = update<Recorded>('otherAuthorityNotified');
export const childSeenUpdate = update<ChildSeen>('childSeen');
export const childNotSeenUpdate = update<ChildNotSeen>('childNotSeen');
export const assessmentCompletedUpdate = update<AssessmentCompleted>('assessmentCompleted');
export const assessmentAllocatedUpdate = update<AssessmentAllocated>('assessmentAllocated');
export const checkpointReviewedUpdate = update<CheckpointReviewed>('checkpointReviewed');
export const concernIdentifiedUpdate = update<ConcernIdentified>('concernIdentified');
export const emergencyActionUpdate = update<EmergencyAction>('emergencyAction');
export const strategyUrgencyUpdate = update<StrategyUrgency>('strategyUrgency');
export const strategyHeldUpdate = update<StrategyHeld>('strategyDiscussionHeld');
export const strategyRecordCirculatedUpdate = update<Recorded>('strategyRecordCirculated');
export const icpcRequestedUpdate = update<Recorded>('icpcRequested');
export const s47OutcomeUpdate = update<S47Outcome>('s47Outcome');
export const s47SignoffUpdate = update<Recorded>('s47Signoff');
export const icpcRequestConfirmedUpdate = update<Recorded>('icpcRequestConfirmed');
export const icpcScheduledUpdate = update<IcpcScheduled>('icpcScheduled');
export const icpcRescheduledUpdate = update<Required<IcpcScheduled>>('icpcRescheduled');
export const chairMetParentsUpdate = update<Recorded>('chairMetParents');
export const reportSharedWithFamilyUpdate = update<Recorded>('reportSharedWithFamily');
export const reportSentToChairUpdate = update<Recorded>('reportSentToChair');
export const assessmentUpdatedUpdate = update<Recorded>('assessmentUpdatedForConference');
export const icpcCancelledUpdate = update<IcpcCancelled>('icpcCancelled');
export const icpcHeldUpdate = update<IcpcHeld>('icpcHeld');
export const closeUpdate = update<CloseS47>('close');
export const breachReasonUpdate = update<BreachReason>('breachReason');
/** Recompute open deadlines after the bank-holiday table changed (§1.4). */
export const recomputeDeadlinesUpdate = update<Record<string, never>>('recomputeDeadlines');

export const getStateQuery = defineQuery<S47State>('getState');
/** The start's answer (update-with-start): the state once the first deadlines are armed. */
export const startedUpdate = defineUpdate<S47State, []>('started');
