/** Messages of the Need to Know workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Briefing,
  BriefingRevised,
  CloseBriefing,
  DirectorRequest,
  HosDecision,
  NeedToKnowState,
  PglResponse,
  RaisingProcessEvent,
  UpdateSent,
} from '../../src/processes/need-to-know/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';

export const pglResponseUpdate = defineUpdate<NeedToKnowState, [Decision<PglResponse>]>('pglResponse');
export const hosDecisionUpdate = defineUpdate<NeedToKnowState, [Decision<HosDecision>]>('hosDecision');
export const briefingRevisedUpdate = defineUpdate<NeedToKnowState, [Decision<BriefingRevised>]>('briefingRevised');
export const directorRequestUpdate = defineUpdate<NeedToKnowState, [Decision<DirectorRequest>]>('directorRequest');
export const updateSentUpdate = defineUpdate<NeedToKnowState, [Decision<UpdateSent>]>('updateSent');
export const closeBriefingUpdate = defineUpdate<NeedToKnowState, [Decision<CloseBriefing>]>('closeBriefing');
export const breachReasonUpdate = defineUpdate<NeedToKnowState, [Decision<BreachReason>]>('breachReason');
/** Recompute open deadlines after the bank-holiday table changed (§1.4). */
export const recomputeDeadlinesUpdate = defineUpdate<NeedToKnowState, [Decision<Record<string, never>>]>(
  'recomputeDeadlines',
);

export const getStateQuery = defineQuery<NeedToKnowState>('getState');
/** The briefing itself, which the state leaves out: null until an automatic raise has its first draft. */
export const getBriefingQuery = defineQuery<{ version: number; briefing: Briefing | null }>('getBriefing');
/** The start's answer (update-with-start): the state once the first deadlines are armed. */
export const startedUpdate = defineUpdate<NeedToKnowState, []>('started');
/** From the process that raised the briefing by itself: an event its readers must hear of (the child found). */
export const raisingProcessEventSignal = defineSignal<[RaisingProcessEvent]>('raisingProcessEvent');
