/** Messages of the key-event workflow; the API imports this file, never the workflow body. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CjNotified, KeyEventState, ReturnedToEducation } from '../../src/processes/key-event/schemas';
import type { BreachReason } from '../../src/schemas';
import type { Decision } from '../../src/process';

export const cjNotifiedUpdate = defineUpdate<KeyEventState, [Decision<CjNotified>]>('kevCjNotified');
export const returnedToEducationUpdate = defineUpdate<KeyEventState, [Decision<ReturnedToEducation>]>(
  'kevReturnedToEducation',
);
export const breachReasonUpdate = defineUpdate<KeyEventState, [Decision<BreachReason>]>('breachReason');
export const recomputeDeadlinesUpdate = defineUpdate<KeyEventState, [Decision<Record<string, never>>]>(
  'recomputeDeadlines',
);
export const getStateQuery = defineQuery<KeyEventState>('getState');
export const startedUpdate = defineUpdate<KeyEventState, []>('started');
