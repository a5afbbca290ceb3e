/** Messages of the looked-after child workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  Ceased,
  CeasingOverride,
  CeasingProposed,
  CpPlanStatus,
  IcoReg24Ended,
  LookedAfterState,
  ManagerResponse,
  Occurred,
  PermanencePlanAgreed,
  PlacementChangeAdvised,
  PlacementChangeNotified,
  PlacementChanged,
  Recorded,
  ReviewHeld,
  ReviewRescheduled,
  ReviewScheduled,
  VisitRecorded,
} from '../../src/processes/looked-after-child/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';

/**
 * Updates return nothing: an episode lives for years and every update's result is kept in history,
 * so the API reads the state with the query once the update is done.
 */
const update = <T>(name: string) => defineUpdate<void, [Decision<T>]>(name);

// Becoming looked after: plans, notices, the emergency admission's follow-ups (§5.3).
export const panelRatifiedUpdate = update<Recorded>('lacPanelRatified');
export const kinshipExploredUpdate = update<Recorded>('lacKinshipExplored');
export const statutoryAssessmentUpdate = update<Occurred>('lacStatutoryAssessmentCompleted');
export const carePlanCompletedUpdate = update<Recorded>('lacCarePlanCompleted');
export const placementPlanAuthorisedUpdate = update<Recorded>('lacPlacementPlanAuthorised');
export const startNotifiedUpdate = update<Recorded>('lacStartNotified');
export const infoPackGivenUpdate = update<Recorded>('lacInfoPackGiven');
export const pepInitiatedUpdate = update<Recorded>('lacPepInitiated');
export const pepMeetingHeldUpdate = update<Occurred>('lacPepMeetingHeld');
export const healthAssessmentUpdate = update<Occurred>('lacHealthAssessmentCompleted');
export const dentalCheckUpdate = update<Occurred>('lacDentalCheckRecorded');
export const supervisionRecordedUpdate = update<Occurred>('lacSupervisionRecorded');
export const cpPlanStatusUpdate = update<CpPlanStatus>('lacCpPlanStatusChanged');

// Placements and visits (§5.4).
export const visitRecordedUpdate = update<VisitRecorded>('lacVisitRecorded');
export const placementChangedUpdate = update<PlacementChanged>('lacPlacementChanged');
export const longTermRatifiedUpdate = update<Occurred>('lacLongTermRatified');
export const icoReg24EndedUpdate = update<IcoReg24Ended>('lacIcoReg24Ended');
export const careOrderAtHomeUpdate = update<Occurred>('lacCareOrderMadeAtHome');

// A placement change's key events (§7.2, 000 KE 2.1) and the education gate (§5.3, 003 QS 14.14).
export const placementChangeAdvisedUpdate = update<PlacementChangeAdvised>('lacPlacementChangeAdvised');
export const placementChangeNotifiedUpdate = update<PlacementChangeNotified>('lacPlacementChangeNotified');
export const gpRegisteredUpdate = update<Recorded>('lacGpRegistered');
export const virtualHeadConsultedUpdate = update<Recorded>('lacVirtualHeadConsulted');

// Reviews and the IRO (§5.5).
export const reviewScheduledUpdate = update<ReviewScheduled>('lacReviewScheduled');
export const reviewRescheduledUpdate = update<ReviewRescheduled>('lacReviewRescheduled');
export const consultationSentUpdate = update<Recorded>('lacConsultationFormsSent');
export const carePlanCheckedUpdate = update<Recorded>('lacIroCarePlanChecked');
export const plansQaUpdate = update<Recorded>('lacPlansQualityAssured');
export const reviewReportUpdate = update<Recorded>('lacReviewReportAvailable');
export const reviewHeldUpdate = update<ReviewHeld>('lacReviewHeld');
export const recommendationsIssuedUpdate = update<Occurred>('lacIroRecommendationsIssued');
export const iroRecordIssuedUpdate = update<Recorded>('lacIroRecordIssued');
export const managerResponseUpdate = update<ManagerResponse>('lacManagerRecommendationsResponse');
export const midpointRequestedUpdate = update<Occurred>('lacMidpointReviewRequested');
export const midpointHeldUpdate = update<Recorded>('lacMidpointReviewHeld');
export const permanenceMeetingUpdate = update<Recorded>('lacPermanenceMeetingHeld');
export const permanencePlanUpdate = update<PermanencePlanAgreed>('lacPermanencePlanAgreed');

// Ending (§5.6 D3.7).
export const ceasingProposedUpdate = update<CeasingProposed>('lacCeasingProposed');
export const ceasingOverrideUpdate = update<CeasingOverride>('lacCeasingGateOverride');
export const ceasedUpdate = update<Ceased>('lacCeased');
export const breachReasonUpdate = update<BreachReason>('lacBreachReason');
/** Recompute open deadlines after the bank-holiday table changed (§1.4). */
export const recomputeDeadlinesUpdate = update<Record<string, never>>('lacRecomputeDeadlines');

export const getStateQuery = defineQuery<LookedAfterState>('getState');
/** The start's answer (update-with-start): the state once the first deadlines are armed. */
export const startedUpdate = defineUpdate<LookedAfterState, []>('started');
