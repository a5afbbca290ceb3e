/** Messages of the child protection plan workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AssessmentCompleted,
  ChildMoved,
  ConferenceOutput,
  ContingencyPlanUsed,
  CoreGroupHeld,
  EndingEvent,
  PlanState,
  Recorded,
  ReviewHeld,
  ReviewScheduled,
  SupervisionRecorded,
  TransferInConference,
  VisitRecorded,
} from '../../src/processes/child-protection-plan/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';

/**
 * Updates return nothing: a plan lives for years and every update's result is kept in history, so
 * the API reads the state with the query once the update is done.
 */
const update = <T>(name: string) => defineUpdate<void, [Decision<T>]>(name);

export const conferenceOutputUpdate = update<ConferenceOutput>('conferenceOutputRecorded');
export const coreGroupHeldUpdate = update<CoreGroupHeld>('coreGroupHeld');
export const visitRecordedUpdate = update<VisitRecorded>('visitRecorded');
export const supervisionRecordedUpdate = update<SupervisionRecorded>('supervisionRecorded');
export const reviewScheduledUpdate = update<ReviewScheduled>('reviewScheduled');
export const reviewRescheduledUpdate = update<Required<ReviewScheduled>>('reviewRescheduled');
export const reviewHeldUpdate = update<ReviewHeld>('reviewHeld');
export const reportSharedUpdate = update<Recorded>('reviewReportShared');
export const chairMetFamilyUpdate = update<Recorded>('reviewChairMetFamily');
export const assessmentUpdatedUpdate = update<Recorded>('reviewAssessmentUpdated');
export const discontinuationNotifiedUpdate = update<Recorded>('discontinuationNotified');
export const cinPlanningMeetingHeldUpdate = update<Recorded>('cinPlanningMeetingHeld');
export const transferInConferenceHeldUpdate = update<TransferInConference>('transferInConferenceHeld');
export const assessmentCompletedUpdate = update<AssessmentCompleted>('assessmentCompleted');
export const contingencyPlanUsedUpdate = update<ContingencyPlanUsed>('contingencyPlanUsed');
export const childMovedUpdate = update<ChildMoved>('childMovedPermanently');
export const receivingConferenceHeldUpdate = update<EndingEvent>('receivingConferenceHeld');
export const childDiedUpdate = update<EndingEvent>('childDied');
export const childLeftUkUpdate = update<EndingEvent>('childLeftUkPermanently');
export const breachReasonUpdate = update<BreachReason>('breachReason');
/** Recompute open deadlines after the bank-holiday table changed (§1.4). */
export const recomputeDeadlinesUpdate = update<Record<string, never>>('recomputeDeadlines');

export const getStateQuery = defineQuery<PlanState>('getState');
/** The start's answer (update-with-start): the state once the first deadlines are armed. */
export const startedUpdate = defineUpdate<PlanState, []>('started');
