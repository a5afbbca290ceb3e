/** Messages of the missing-episode workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { MissingEpisodeState, MissingFound } from '../../src/processes/missing-episode/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';
import { seniorLeadershipMessages } from '../senior-leadership';

export const foundUpdate = defineUpdate<MissingEpisodeState, [Decision<MissingFound>]>('missingFound');
export const breachReasonUpdate = defineUpdate<MissingEpisodeState, [Decision<BreachReason>]>('breachReason');
export const recomputeDeadlinesUpdate = defineUpdate<MissingEpisodeState, [Decision<Record<string, never>>]>(
  'recomputeDeadlines',
);
export const getStateQuery = defineQuery<MissingEpisodeState>('getState');
export const startedUpdate = defineUpdate<MissingEpisodeState, []>('started');
/** 002 SLN: slt-notification-made, -not-needed, -recorded, slt-update-sent. */
export const slt = seniorLeadershipMessages<MissingEpisodeState>();
