/** The child protection plan routes (docs/deadlines.md §4) on the common process router. */
import { z } from 'zod';
import * as p from './schemas';
import { CaseReference, ChildReference, ProcessType, Stage } from '../../search-attributes';
import type { childProtectionPlan } from '../../../workflows/child-protection-plan/workflow';
import * as m from '../../../workflows/child-protection-plan/messages';
import type { TokenRole } from '../../api/auth';
import { commonRoutes, decisionRoute as decision, type ProcessDefinition } from '../../api/process-router';

const CASEWORK: TokenRole[] = ['social_worker', 'team_manager'];
type StartBody = z.infer<typeof p.startPlanSchema>;

export const childProtectionPlanProcess: ProcessDefinition<
  typeof childProtectionPlan,
  typeof p.startPlanSchema,
  p.PlanState
> = {
  resource: 'child-protection-plans',
  idPrefix: 'cpp',
  title: 'Child protection plan',
  workflow: 'childProtectionPlan' as unknown as typeof childProtectionPlan,
  start: {
    schema: p.startPlanSchema,
    roles: ['case_system', 'qa_bstl', 'team_manager'],
    businessId: (body: StartBody) => body.planId,
    toArgs: (body: StartBody, actor): [p.PlanInput] => [{ ...body, startedBy: actor }],
    searchAttributes: (body: StartBody) => [
      { key: ProcessType, value: 'child-protection-plan' },
      { key: CaseReference, value: body.caseReference },
      { key: ChildReference, value: body.childReference },
      { key: Stage, value: body.transferIn ? 'transfer_in' : 'active' },
    ],
    summary: (body: StartBody) => `Child protection plan, case ${body.caseReference}, child ${body.childReference}`,
  },
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    decision({
      path: 'transfer-in-conference-held',
      summary: 'This authority’s conference for a child who moved here on a plan: cp_plan starts the plan',
      schema: p.transferInConferenceSchema,
      roles: ['cp_chair', 'qa_bstl'],
      update: m.transferInConferenceHeldUpdate,
    }),
    decision({
      path: 'conference-output-recorded',
      summary: 'Outcome, outline plan, record and plan, or minutes circulated',
      schema: p.conferenceOutputSchema,
      roles: ['cp_chair', 'qa_bstl', 'team_manager'],
      update: m.conferenceOutputUpdate,
    }),
    decision({
      path: 'core-group-held',
      summary: 'Core group held; the plan may set shorter visit and core-group intervals',
      schema: p.coreGroupHeldSchema,
      roles: CASEWORK,
      update: m.coreGroupHeldUpdate,
    }),
    decision({
      path: 'visit-recorded',
      summary: 'A visit; only one in which the child was seen counts',
      schema: p.visitRecordedSchema,
      roles: CASEWORK,
      update: m.visitRecordedUpdate,
    }),
    decision({
      path: 'supervision-recorded',
      summary: 'Supervision held and recorded (monthly)',
      schema: p.supervisionRecordedSchema,
      roles: ['team_manager'],
      update: m.supervisionRecordedUpdate,
    }),
    decision({
      path: 'assessment-completed',
      summary: 'Statutory assessment completed: restarts the 6-monthly clock',
      schema: p.assessmentCompletedSchema,
      roles: CASEWORK,
      update: m.assessmentCompletedUpdate,
    }),
    decision({
      path: 'contingency-plan-used',
      summary: 'The contingency plan was used because the parents do not co-operate (D2.4)',
      schema: p.contingencyPlanUsedSchema,
      roles: ['team_manager'],
      update: m.contingencyPlanUsedUpdate,
    }),
    decision({
      path: 'review-scheduled',
      summary: 'Review conference booked: arms the report and the gates before it',
      schema: p.reviewScheduledSchema,
      roles: ['qa_bstl', 'team_manager'],
      update: m.reviewScheduledUpdate,
    }),
    decision({
      path: 'review-rescheduled',
      summary: 'Review conference moved, with a reason',
      schema: p.reviewScheduledSchema.required(),
      roles: ['qa_bstl', 'team_manager'],
      update: m.reviewRescheduledUpdate,
    }),
    decision({
      path: 'review-report-shared',
      summary: 'Report shared 5 WD before the review',
      schema: p.recordedSchema,
      roles: CASEWORK,
      update: m.reportSharedUpdate,
    }),
    decision({
      path: 'review-chair-met-family',
      summary: 'The chair met the family before the review',
      schema: p.recordedSchema,
      roles: ['cp_chair', 'qa_bstl'],
      update: m.chairMetFamilyUpdate,
    }),
    decision({
      path: 'review-assessment-updated',
      summary: 'Assessment updated before the review',
      schema: p.recordedSchema,
      roles: CASEWORK,
      update: m.assessmentUpdatedUpdate,
    }),
    decision({
      path: 'review-held',
      summary: 'Review conference held: continue or discontinue the plan',
      schema: p.reviewHeldSchema,
      roles: ['cp_chair', 'qa_bstl'],
      update: m.reviewHeldUpdate,
    }),
    decision({
      path: 'discontinuation-notified',
      summary: 'Every agency invited to the ICPC told the plan has ended',
      schema: p.recordedSchema,
      roles: CASEWORK,
      update: m.discontinuationNotifiedUpdate,
    }),
    decision({
      path: 'cin-planning-meeting-held',
      summary: 'Child in need planning meeting held after the plan',
      schema: p.recordedSchema,
      roles: CASEWORK,
      update: m.cinPlanningMeetingHeldUpdate,
    }),
    decision({
      path: 'child-moved-permanently',
      summary: 'The child moved permanently to another authority: the plan stays open until its conference',
      schema: p.childMovedSchema,
      roles: CASEWORK,
      update: m.childMovedUpdate,
    }),
    decision({
      path: 'receiving-conference-held',
      summary: 'The receiving authority held its conference: the plan ends',
      schema: p.receivingConferenceHeldSchema,
      roles: CASEWORK,
      update: m.receivingConferenceHeldUpdate,
    }),
    decision({
      path: 'child-died',
      summary: 'The child died: the plan ends; Need to Know and Panel check prompted',
      schema: p.childDiedSchema,
      roles: ['team_manager'],
      update: m.childDiedUpdate,
    }),
    decision({
      path: 'child-left-uk',
      summary: 'The child left the UK permanently: the plan ends',
      schema: p.childLeftUkSchema,
      roles: ['team_manager'],
      update: m.childLeftUkUpdate,
    }),
    ...commonRoutes(m, ['social_worker', 'team_manager', 'pgl', 'cp_chair', 'qa_bstl']),
  ],
};
