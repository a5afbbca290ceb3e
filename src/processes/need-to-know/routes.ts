/** The Need to Know routes (docs/deadlines.md §6) on the common process router. */
import { z } from 'zod';
import {
  briefingRevisedSchema,
  closeSchema,
  directorRequestSchema,
  hosDecisionSchema,
  pglResponseSchema,
  startNeedToKnowSchema,
  updateSentSchema,
  type NeedToKnowInput,
  type NeedToKnowState,
} from './schemas';
import { CaseReference, ProcessType, Stage } from '../../search-attributes';
import type { needToKnow } from '../../../workflows/need-to-know/workflow';
import * as messages from '../../../workflows/need-to-know/messages';
import {
  commonRoutes,
  decisionRoute as decision,
  type DecisionRoute,
  type ProcessDefinition,
} from '../../api/process-router';
import type { TokenRole } from '../../api/auth';

/** ⚠C-25: the social worker, an advanced practitioner or the HoS raise it; managers and the case system may too. */
const RAISERS: TokenRole[] = [
  'social_worker',
  'advanced_practitioner',
  'team_manager',
  'head_of_service',
  'case_system',
];
const STAFF: TokenRole[] = [
  'social_worker',
  'advanced_practitioner',
  'team_manager',
  'pgl',
  'head_of_service',
  'director',
];

export const needToKnowDecisions: DecisionRoute[] = [
  decision({
    path: 'pgl-response',
    summary: 'The PGL approves, or amends and approves, the briefing (D4.2)',
    schema: pglResponseSchema,
    roles: ['pgl'],
    update: messages.pglResponseUpdate,
  }),
  decision({
    path: 'hos-decision',
    summary: 'The Head of Service decides a category 3 briefing (D4.3)',
    schema: hosDecisionSchema,
    roles: ['head_of_service'],
    update: messages.hosDecisionUpdate,
  }),
  decision({
    path: 'briefing-revised',
    summary: 'The author sends a revised draft',
    schema: briefingRevisedSchema,
    roles: ['social_worker', 'advanced_practitioner', 'team_manager', 'head_of_service'],
    update: messages.briefingRevisedUpdate,
  }),
  decision({
    path: 'director-request',
    summary: 'The Director asks for more information (D4.4)',
    schema: directorRequestSchema,
    roles: ['director'],
    update: messages.directorRequestUpdate,
  }),
  decision({
    path: 'update-sent',
    summary: 'An update goes to the Director, with the next update date if any',
    schema: updateSentSchema,
    roles: ['social_worker', 'advanced_practitioner', 'team_manager', 'pgl', 'head_of_service'],
    update: messages.updateSentUpdate,
  }),
  decision({
    path: 'closure',
    summary: 'The Director or HoS records that the matter is closed',
    schema: closeSchema,
    roles: ['director', 'head_of_service'],
    update: messages.closeBriefingUpdate,
  }),
  ...commonRoutes(messages, STAFF),
];

type StartBody = z.infer<typeof startNeedToKnowSchema>;

export const needToKnowProcess: ProcessDefinition<typeof needToKnow, typeof startNeedToKnowSchema, NeedToKnowState> = {
  resource: 'need-to-know',
  idPrefix: 'ntk',
  title: 'Need to Know briefing',
  workflow: 'needToKnow' as unknown as typeof needToKnow,
  start: {
    schema: startNeedToKnowSchema,
    roles: RAISERS,
    businessId: (body: StartBody) => body.briefingId,
    toArgs: (body: StartBody, actor, now): [NeedToKnowInput] => {
      const raisedAt = body.raisedAt ?? now.toISOString();
      return [{ ...body, raisedAt, concernAroseAt: body.concernAroseAt ?? raisedAt, raisedBy: actor }];
    },
    searchAttributes: (body: StartBody) => [
      { key: ProcessType, value: 'need-to-know' },
      { key: CaseReference, value: body.caseReference },
      { key: Stage, value: body.category === 2 ? 'awaiting_pgl' : 'awaiting_hos_decision' },
    ],
    summary: (body: StartBody) =>
      `Need to Know, category ${body.category} item ${body.item}, case ${body.caseReference}`,
  },
  stateQuery: messages.getStateQuery,
  startedUpdate: messages.startedUpdate,
  decisions: needToKnowDecisions,
  // The briefing names the child: only the staff it is written by and for read it.
  reads: [
    {
      path: 'briefing',
      summary: 'The briefing itself, latest version',
      roles: STAFF,
      query: messages.getBriefingQuery,
    },
  ],
};
