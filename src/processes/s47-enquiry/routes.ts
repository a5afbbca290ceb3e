/** The Section 47 enquiry routes (docs/deadlines.md §3) on the common process router. */
import { z } from 'zod';
import type { S47Input, S47State } from './schemas';
import * as s from './schemas';
import { CaseReference, ProcessType, Stage } from '../../search-attributes';
import type { s47Enquiry } from '../../../workflows/s47-enquiry/workflow';
import * as m from '../../../workflows/s47-enquiry/messages';
import type { TokenRole } from '../../api/auth';
import { commonRoutes, decisionRoute as decision, type ProcessDefinition } from '../../api/process-router';

const FRONT_DOOR: TokenRole[] = ['mash_officer', 'mash_duty_manager'];
const MANAGERS: TokenRole[] = ['team_manager', 'mash_duty_manager', 'pgl'];
const CASEWORK: TokenRole[] = ['social_worker', 'team_manager'];
const CONFERENCE: TokenRole[] = ['qa_bstl', 'team_manager'];
const STAFF: TokenRole[] = [
  'social_worker',
  'mash_officer',
  'mash_duty_manager',
  'mash_second_manager',
  'team_manager',
  'pgl',
  'head_of_service',
  'qa_bstl',
  'cp_chair',
];
const recorded = s.recordedSchema;

type StartBody = z.infer<typeof s.startS47Schema>;

export const s47EnquiryProcess: ProcessDefinition<typeof s47Enquiry, typeof s.startS47Schema, S47State> = {
  resource: 's47-enquiries',
  idPrefix: 's47',
  title: 'Section 47 enquiry',
  workflow: 's47Enquiry' as unknown as typeof s47Enquiry,
  start: {
    schema: s.startS47Schema,
    roles: [...FRONT_DOOR, 'social_worker', 'team_manager', 'case_system'],
    businessId: (body: StartBody) => body.contactId,
    toArgs: (body: StartBody, actor, now): [S47Input] => [
      { ...body, receivedAt: body.receivedAt ?? now.toISOString(), raisedBy: actor },
    ],
    searchAttributes: (body: StartBody) => [
      { key: ProcessType, value: 's47-enquiry' },
      { key: CaseReference, value: body.caseReference },
      { key: Stage, value: 'contact_received' },
    ],
    summary: (body: StartBody) =>
      `Section 47 enquiry (${body.trigger}), case ${body.caseReference}, ${body.children.length} child(ren)`,
  },
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    decision({
      path: 'contact-screened',
      summary: 'Contact screened (003 QS 2.11)',
      schema: s.screenedSchema,
      roles: FRONT_DOOR,
      update: m.screenedUpdate,
    }),
    decision({
      path: 'mash-decision',
      summary: 'MASH pathway and rationale (D1.1)',
      schema: s.mashDecisionSchema,
      roles: ['mash_duty_manager'],
      update: m.mashDecisionUpdate,
    }),
    decision({
      path: 'mash-signoff',
      summary: 'Sign-off by a different MASH manager (003 QS 2.12)',
      schema: s.mashSignoffSchema,
      roles: ['mash_duty_manager', 'mash_second_manager'],
      update: m.mashSignoffUpdate,
    }),
    decision({
      path: 'referrer-acknowledged',
      summary: 'Receipt acknowledged to the referrer',
      schema: recorded,
      roles: [...FRONT_DOOR, 'social_worker', 'case_system'],
      update: m.referrerAcknowledgedUpdate,
    }),
    decision({
      path: 'referrer-feedback-sent',
      summary: 'Written feedback sent to the referrer',
      schema: recorded,
      roles: [...FRONT_DOOR, 'social_worker', 'case_system'],
      update: m.referrerFeedbackUpdate,
    }),
    decision({
      path: 'last-team-notified',
      summary: 'The last team and manager told and sent the case (13-week rule, ⚠C-34)',
      schema: recorded,
      roles: FRONT_DOOR,
      update: m.lastTeamNotifiedUpdate,
    }),
    decision({
      path: 'other-authority-notified',
      summary: 'Written notification sent to the other authority (003 QS 2.8)',
      schema: recorded,
      roles: FRONT_DOOR,
      update: m.otherAuthorityNotifiedUpdate,
    }),
    decision({
      path: 'assessment-allocated',
      summary: 'Allocation: visit target and checkpoints (D1.3)',
      schema: s.assessmentAllocatedSchema,
      roles: ['team_manager'],
      update: m.assessmentAllocatedUpdate,
    }),
    decision({
      path: 'assessment-checkpoint-reviewed',
      summary: 'Checkpoint: complete, or extend with the next date (D1.4)',
      schema: s.checkpointReviewedSchema,
      roles: ['team_manager'],
      update: m.checkpointReviewedUpdate,
    }),
    decision({
      path: 'child-seen',
      summary: 'A child seen for the statutory assessment',
      schema: s.childSeenSchema,
      roles: CASEWORK,
      update: m.childSeenUpdate,
    }),
    decision({
      path: 'child-not-seen',
      summary: 'A child not seen for the assessment: the reasons, authorised by the line manager (003 QS 3.5)',
      schema: s.childNotSeenSchema,
      roles: ['team_manager'],
      update: m.childNotSeenUpdate,
    }),
    decision({
      path: 'assessment-completed',
      summary: 'Assessment completed and authorised (reason needed past 45 WD)',
      schema: s.assessmentCompletedSchema,
      roles: ['team_manager'],
      update: m.assessmentCompletedUpdate,
    }),
    decision({
      path: 'concern-identified',
      summary: 'Reasonable cause to suspect significant harm on an open case',
      schema: s.concernIdentifiedSchema,
      roles: CASEWORK,
      update: m.concernIdentifiedUpdate,
    }),
    decision({
      path: 'emergency-action-taken',
      summary: 'Emergency action taken (D1.2): strategy as soon as possible',
      schema: s.emergencyActionSchema,
      roles: [...CASEWORK, 'case_system'],
      update: m.emergencyActionUpdate,
    }),
    decision({
      path: 'strategy-urgency',
      summary: 'Strategy urgency category (D1.5, managers only)',
      schema: s.strategyUrgencySchema,
      roles: MANAGERS,
      update: m.strategyUrgencyUpdate,
    }),
    decision({
      path: 'strategy-discussion-held',
      summary: 'Strategy discussion outcome (D1.6)',
      schema: s.strategyHeldSchema,
      roles: MANAGERS,
      update: m.strategyHeldUpdate,
    }),
    decision({
      path: 'strategy-record-circulated',
      summary: 'Strategy record circulated',
      schema: recorded,
      roles: [...MANAGERS, 'social_worker'],
      update: m.strategyRecordCirculatedUpdate,
    }),
    decision({
      path: 'icpc-requested',
      summary: 'ICPC requested after the strategy discussion',
      schema: recorded,
      roles: [...CASEWORK, 'qa_bstl'],
      update: m.icpcRequestedUpdate,
    }),
    decision({
      path: 's47-outcome',
      summary: 'S47 outcome (D1.7)',
      schema: s.s47OutcomeSchema,
      roles: CASEWORK,
      update: m.s47OutcomeUpdate,
    }),
    decision({
      path: 's47-signoff',
      summary: 'S47 enquiry signed off by a manager',
      schema: recorded,
      roles: ['team_manager', 'pgl'],
      update: m.s47SignoffUpdate,
    }),
    decision({
      path: 'icpc-request-confirmed',
      summary: 'ICPC request confirmed, invite list sent',
      schema: recorded,
      roles: [...CASEWORK, 'qa_bstl'],
      update: m.icpcRequestConfirmedUpdate,
    }),
    decision({
      path: 'icpc-scheduled',
      summary: 'ICPC booked',
      schema: s.icpcScheduledSchema,
      roles: CONFERENCE,
      update: m.icpcScheduledUpdate,
    }),
    decision({
      path: 'icpc-rescheduled',
      summary: 'ICPC moved, with a reason',
      schema: s.icpcScheduledSchema.required(),
      roles: CONFERENCE,
      update: m.icpcRescheduledUpdate,
    }),
    decision({
      path: 'chair-met-parents',
      summary: 'The chair met the parents',
      schema: recorded,
      roles: ['cp_chair', 'qa_bstl'],
      update: m.chairMetParentsUpdate,
    }),
    decision({
      path: 'report-shared-with-family',
      summary: 'Report shared with the family',
      schema: recorded,
      roles: CASEWORK,
      update: m.reportSharedWithFamilyUpdate,
    }),
    decision({
      path: 'report-sent-to-chair',
      summary: 'Report available to the chair',
      schema: recorded,
      roles: CASEWORK,
      update: m.reportSentToChairUpdate,
    }),
    decision({
      path: 'assessment-updated',
      summary: 'Assessment updated before the conference',
      schema: recorded,
      roles: CASEWORK,
      update: m.assessmentUpdatedUpdate,
    }),
    decision({
      path: 'icpc-cancelled',
      summary: 'ICPC cancelled after a concurring strategy discussion (D1.7)',
      schema: s.icpcCancelledSchema,
      roles: ['team_manager', 'pgl'],
      update: m.icpcCancelledUpdate,
    }),
    decision({
      path: 'icpc-held',
      summary: 'ICPC held: the decision for each child (D1.10)',
      schema: s.icpcHeldSchema,
      roles: ['cp_chair', 'qa_bstl'],
      update: m.icpcHeldUpdate,
    }),
    decision({
      path: 'closure',
      summary: 'Closed, stepped down or transferred (§3.6)',
      schema: s.closeSchema,
      roles: ['team_manager', 'pgl', 'head_of_service'],
      update: m.closeUpdate,
    }),
    ...commonRoutes(m, STAFF),
  ],
};
