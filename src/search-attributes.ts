/**
 * Custom search attributes for the Web UI's list and filters. Never personal data: process,
 * stage, case and child references (the case system's, never a name), next due instant and how many
 * deadlines are overdue.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProcessType = defineSearchAttributeKey('ProcessType', SearchAttributeType.KEYWORD);
export const Stage = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const CaseReference = defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD);
/** The case system's child reference: how a child's event finds their running episode and plan. */
export const ChildReference = defineSearchAttributeKey('ChildReference', SearchAttributeType.KEYWORD);
export const NextDeadlineAt = defineSearchAttributeKey('NextDeadlineAt', SearchAttributeType.DATETIME);
export const OverdueCount = defineSearchAttributeKey('OverdueCount', SearchAttributeType.INT);

/** As `temporal server start-dev --search-attribute Name=Type` expects them. */
export const searchAttributeDefinitions: Record<string, 'Keyword' | 'Datetime' | 'Int'> = {
  ProcessType: 'Keyword',
  Stage: 'Keyword',
  CaseReference: 'Keyword',
  ChildReference: 'Keyword',
  NextDeadlineAt: 'Datetime',
  OverdueCount: 'Int',
};
