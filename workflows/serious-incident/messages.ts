/** Messages of the serious-incident workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  DeathReported,
  HarmNotified,
  HarmRoute,
  IncidentState,
  MashReferral,
  NeedToKnowRaised,
  PanelCriteria,
  PanelNotified,
  RecordedAt,
  UpdateEventBody,
} from '../../src/processes/serious-incident/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';
import { seniorLeadershipMessages } from '../senior-leadership';

const update = <T>(name: string) => defineUpdate<IncidentState, [Decision<T>]>(name);

export const harmNotifiedUpdate = update<HarmNotified>('incidentHarmNotified');
export const harmRouteUpdate = update<HarmRoute>('incidentHarmRouteDecided');
export const mashReferralUpdate = update<MashReferral>('incidentMashReferralMade');
export const needToKnowRaisedUpdate = update<NeedToKnowRaised>('incidentNeedToKnowRaised');
export const panelCriteriaUpdate = update<PanelCriteria>('incidentPanelCriteriaDecided');
export const panelNotifiedUpdate = update<PanelNotified>('incidentPanelNotified');
export const partnersNotifiedUpdate = update<RecordedAt>('incidentPartnersNotified');
export const sosOfstedNotifiedUpdate = update<RecordedAt>('incidentSosOfstedNotified');
/** 002 SLN s1 update events: the child's health changed, an adult or the child was charged. */
export const healthChangedUpdate = update<UpdateEventBody>('incidentHealthChanged');
export const adultChargedUpdate = update<UpdateEventBody>('incidentAdultCharged');
export const childChargedUpdate = update<UpdateEventBody>('incidentChildCharged');
export const { sltNotifiedUpdate, sltNotNeededUpdate, sltRecordedUpdate, sltUpdateSentUpdate } =
  seniorLeadershipMessages<IncidentState>();
export const breachReasonUpdate = defineUpdate<IncidentState, [Decision<BreachReason>]>('breachReason');
export const recomputeDeadlinesUpdate = defineUpdate<IncidentState, [Decision<Record<string, never>>]>(
  'recomputeDeadlines',
);
export const getStateQuery = defineQuery<IncidentState>('getState');
export const startedUpdate = defineUpdate<IncidentState, []>('started');
/** Another process reported the same death: linked, and what it knows of the child's status. */
export const deathReportedSignal = defineSignal<[DeathReported]>('incidentDeathReported');
