/**
 * Senior Leadership notification (docs/deadlines.md §7.3, 002 SLN): the decisions a missing episode
 * and a serious incident share, their schemas and their routes. The form itself lives in the case
 * system; the service holds its deadlines.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { Decision } from '../process';
import { decisionRoute, type DecisionRoute } from '../api/process-router';
import { happenedAt, text } from '../schemas';

export const sltNotifiedSchema = z.strictObject({
  at: happenedAt.optional().describe('When the notification form was completed; default now'),
});
export const sltNotNeededSchema = z.strictObject({
  rationale: text().describe('D5.3: why no notification is needed (age, frequency, injuries, home context…)'),
});
export const sltRecordedSchema = z.strictObject({
  at: happenedAt.optional().describe('When the notification was attached to the "HOS Notification" case note'),
});
export const sltUpdateSentSchema = z.strictObject({ at: happenedAt.optional() });

export type SltNotified = z.infer<typeof sltNotifiedSchema>;
export type SltNotNeeded = z.infer<typeof sltNotNeededSchema>;
export type SltRecorded = z.infer<typeof sltRecordedSchema>;
export type SltUpdateSent = z.infer<typeof sltUpdateSentSchema>;

/** The updates a process with a Senior Leadership notification registers (`seniorLeadership()` in workflows). */
export interface SeniorLeadershipMessages<View> {
  sltNotifiedUpdate: UpdateDefinition<View | void, [Decision<SltNotified>]>;
  sltNotNeededUpdate: UpdateDefinition<View | void, [Decision<SltNotNeeded>]>;
  sltRecordedUpdate: UpdateDefinition<View | void, [Decision<SltRecorded>]>;
  sltUpdateSentUpdate: UpdateDefinition<View | void, [Decision<SltUpdateSent>]>;
}

/** 002 SLN s1: a service manager (the PGL) or the Head of Service completes the form. */
const SENIOR = ['pgl', 'head_of_service'] as const;

export function seniorLeadershipRoutes<View>(m: SeniorLeadershipMessages<View>): DecisionRoute[] {
  return [
    decisionRoute({
      path: 'slt-notification-made',
      summary: 'The Senior Leadership notification was completed (slt-notify; opens slt-record)',
      schema: sltNotifiedSchema,
      roles: SENIOR,
      update: m.sltNotifiedUpdate,
    }),
    decisionRoute({
      path: 'slt-notification-not-needed',
      summary: 'D5.3: no Senior Leadership notification is needed, with the rationale',
      schema: sltNotNeededSchema,
      roles: SENIOR,
      update: m.sltNotNeededUpdate,
    }),
    decisionRoute({
      path: 'slt-notification-recorded',
      summary: 'The notification is attached to the "HOS Notification" case note (slt-record)',
      schema: sltRecordedSchema,
      roles: [...SENIOR, 'slt'],
      update: m.sltRecordedUpdate,
    }),
    decisionRoute({
      path: 'slt-update-sent',
      summary: 'The updated Senior Leadership notification was sent (slt-update)',
      schema: sltUpdateSentSchema,
      roles: SENIOR,
      update: m.sltUpdateSentUpdate,
    }),
  ];
}
