/** Messages of the child protection plan workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ConferenceOutput, CoreGroupHeld, PlanState, SupervisionRecorded, VisitRecorded } from '../src/cp-plan';
import type { BreachReason } from '../src/need-to-know';
import type { Decision } from '../src/process';

const update = <T>(name: string) => defineUpdate<PlanState, [Decision<T>]>(name);

export const conferenceOutputUpdate = update<ConferenceOutput>('conferenceOutputRecorded');
export const coreGroupHeldUpdate = update<CoreGroupHeld>('coreGroupHeld');
export const visitRecordedUpdate = update<VisitRecorded>('visitRecorded');
export const supervisionRecordedUpdate = update<SupervisionRecorded>('supervisionRecorded');
export const breachReasonUpdate = update<BreachReason>('breachReason');

export const getStateQuery = defineQuery<PlanState>('getState');
