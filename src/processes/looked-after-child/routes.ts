/** The looked-after child routes (docs/deadlines.md §5) on the common process router. */
import { z } from 'zod';
import * as l from './schemas';
import { CaseReference, ChildReference, ProcessType, Stage } from '../../search-attributes';
import type { lookedAfterChild } from '../../../workflows/looked-after-child/workflow';
import * as m from '../../../workflows/looked-after-child/messages';
import type { TokenRole } from '../../api/auth';
import { commonRoutes, decisionRoute as decision, type ProcessDefinition } from '../../api/process-router';
import { needs, type ChildEventKind } from '../../api/child-events';

const CASEWORK: TokenRole[] = ['social_worker', 'team_manager'];
/** Overrides, ratification and the response to the IRO are managers' decisions (003 QS 14.1, 15.7, 15.8; D3.5). */
const MANAGERS: TokenRole[] = ['team_manager', 'pgl', 'head_of_service'];
const IRO: TokenRole[] = ['iro'];
/** The QA service books reviews (003 QS 15.2); the IRO and the team manager may too. */
const BOOKING: TokenRole[] = ['qa_bstl', 'iro', 'team_manager'];
type StartBody = z.infer<typeof l.startLookedAfterSchema>;

export const lookedAfterChildProcess: ProcessDefinition<
  typeof lookedAfterChild,
  typeof l.startLookedAfterSchema,
  l.LookedAfterState
> = {
  resource: 'looked-after-children',
  idPrefix: 'lac',
  title: 'Looked-after child',
  workflow: 'lookedAfterChild' as unknown as typeof lookedAfterChild,
  start: {
    schema: l.startLookedAfterSchema,
    roles: ['case_system', 'social_worker', 'team_manager'],
    businessId: (body: StartBody) => body.episodeId,
    toArgs: (body: StartBody, actor): [l.LookedAfterInput] => [
      {
        ...body,
        placement: { ...body.placement, startAt: body.placement.startAt ?? body.lacStartAt },
        startedBy: actor,
      },
    ],
    // Never the date of birth: search attributes are visible to every Web UI user.
    searchAttributes: (body: StartBody) => [
      { key: ProcessType, value: 'looked-after-child' },
      { key: CaseReference, value: body.caseReference },
      { key: ChildReference, value: body.childReference },
      { key: Stage, value: 'looked_after' },
    ],
    summary: (body: StartBody) =>
      `Looked-after child, case ${body.caseReference}, child ${body.childReference}, episode ${body.episodeId}`,
  },
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    // Becoming looked after (§5.3)
    decision({
      path: 'panel-ratified',
      summary: 'Emergency admission discussed and ratified at the Care Panel',
      schema: l.recordedSchema,
      roles: MANAGERS,
      update: m.panelRatifiedUpdate,
    }),
    decision({
      path: 'kinship-options-explored',
      summary: 'Kinship options explored (a planned admission’s gate, done late)',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.kinshipExploredUpdate,
    }),
    decision({
      path: 'statutory-assessment-completed',
      summary: 'Statutory assessment completed: the emergency or return-home assessment, and the annual one',
      schema: l.occurredSchema,
      roles: CASEWORK,
      update: m.statutoryAssessmentUpdate,
    }),
    decision({
      path: 'care-plan-completed',
      summary: 'Care plan completed',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.carePlanCompletedUpdate,
    }),
    decision({
      path: 'placement-plan-authorised',
      summary: 'Placement plan authorised by the line manager, signed and distributed',
      schema: l.recordedSchema,
      roles: MANAGERS,
      update: m.placementPlanAuthorisedUpdate,
    }),
    decision({
      path: 'start-notified',
      summary: '“L” flag set; QA service, LAC health team and Virtual School notified (24 h)',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.startNotifiedUpdate,
    }),
    decision({
      path: 'info-pack-given',
      summary: 'Information pack given to the child',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.infoPackGivenUpdate,
    }),
    decision({
      path: 'pep-initiated',
      summary: 'Personal Education Plan started',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.pepInitiatedUpdate,
    }),
    decision({
      path: 'pep-meeting-held',
      summary: 'PEP meeting held (the first, or a review): the next within 12 months',
      schema: l.occurredSchema,
      roles: CASEWORK,
      update: m.pepMeetingHeldUpdate,
    }),
    decision({
      path: 'health-assessment-completed',
      summary: 'Health assessment completed: reviewed within 12 months, 6 if under 5',
      schema: l.occurredSchema,
      roles: [...CASEWORK, 'lac_health_team'],
      update: m.healthAssessmentUpdate,
    }),
    decision({
      path: 'dental-check-recorded',
      summary: 'Dental check-up: the next within 6 months',
      schema: l.occurredSchema,
      roles: CASEWORK,
      update: m.dentalCheckUpdate,
    }),
    decision({
      path: 'supervision-recorded',
      summary: 'Case supervision held and recorded',
      schema: l.occurredSchema,
      roles: ['team_manager'],
      update: m.supervisionRecordedUpdate,
    }),
    decision({
      path: 'cp-plan-status-changed',
      summary: 'The child also went on, or came off, a child protection plan (supervision cadence)',
      schema: l.cpPlanStatusSchema,
      roles: CASEWORK,
      update: m.cpPlanStatusUpdate,
    }),
    // Placements and visits (§5.4)
    decision({
      path: 'visit-recorded',
      summary: 'A visit; only one in which the child was seen counts',
      schema: l.visitRecordedSchema,
      roles: CASEWORK,
      update: m.visitRecordedUpdate,
    }),
    decision({
      path: 'placement-changed',
      summary:
        'A new placement: its own first visit and placement plan, and the key-event notices; reviews are not reset',
      schema: l.placementChangedSchema,
      roles: CASEWORK,
      update: m.placementChangedUpdate,
    }),
    // A placement change's key events (§7.2, 000 KE 2.1) and education gate (003 QS 14.14)
    decision({
      path: 'placement-change-advised',
      summary: 'The social worker told Child in Care business support of the move (kev-placement-advise)',
      schema: l.placementChangeAdvisedSchema,
      roles: CASEWORK,
      update: m.placementChangeAdvisedUpdate,
    }),
    decision({
      path: 'placement-change-notified',
      summary: 'Business support notified the IRO, school, Virtual School, GP and others (kev-placement-notify)',
      schema: l.placementChangeNotifiedSchema,
      roles: ['cic_business_support'],
      update: m.placementChangeNotifiedUpdate,
    }),
    decision({
      path: 'gp-registered',
      summary: 'The child is registered with a GP in the new area (kev-gp-registration)',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.gpRegisteredUpdate,
    }),
    decision({
      path: 'virtual-head-consulted',
      summary: 'The Virtual Headteacher was consulted about a move in a GCSE year (lac-education-stability)',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.virtualHeadConsultedUpdate,
    }),
    decision({
      path: 'long-term-ratified',
      summary: 'Placement ratified long-term: 3-monthly visits after its first year',
      schema: l.occurredSchema,
      roles: MANAGERS,
      update: m.longTermRatifiedUpdate,
    }),
    decision({
      path: 'ico-reg24-ended',
      summary: 'Carer approved or final hearing completed: the standard visiting rules apply',
      schema: l.icoReg24EndedSchema,
      roles: CASEWORK,
      update: m.icoReg24EndedUpdate,
    }),
    decision({
      path: 'care-order-made-at-home',
      summary: 'Care order made with the child placed with parents',
      schema: l.occurredSchema,
      roles: CASEWORK,
      update: m.careOrderAtHomeUpdate,
    }),
    // Reviews and the IRO (§5.5)
    decision({
      path: 'review-scheduled',
      summary: 'Review booked: arms the consultation, checks and report before it',
      schema: l.reviewScheduledSchema,
      roles: BOOKING,
      update: m.reviewScheduledUpdate,
    }),
    decision({
      path: 'review-rescheduled',
      summary: 'Review moved, with a reason: the deadlines before it move too',
      schema: l.reviewRescheduledSchema,
      roles: BOOKING,
      update: m.reviewRescheduledUpdate,
    }),
    decision({
      path: 'consultation-forms-sent',
      summary: 'Consultation forms sent to the child, carers and parents',
      schema: l.recordedSchema,
      roles: ['qa_bstl'],
      update: m.consultationSentUpdate,
    }),
    decision({
      path: 'care-plan-checked',
      summary: 'The IRO is satisfied the care plan rests on an up-to-date assessment',
      schema: l.recordedSchema,
      roles: IRO,
      update: m.carePlanCheckedUpdate,
    }),
    decision({
      path: 'plans-quality-assured',
      summary: 'PEP, health care plan and pathway plan quality-assured',
      schema: l.recordedSchema,
      roles: [...IRO, ...CASEWORK],
      update: m.plansQaUpdate,
    }),
    decision({
      path: 'review-report-available',
      summary: 'Review report available to the child, family and IRO',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.reviewReportUpdate,
    }),
    decision({
      path: 'review-held',
      summary: 'Review held: the IRO’s records and the next review fall due',
      schema: l.reviewHeldSchema,
      roles: [...IRO, 'qa_bstl'],
      update: m.reviewHeldUpdate,
    }),
    decision({
      path: 'iro-recommendations-issued',
      summary: 'The IRO’s written recommendations issued to the manager',
      schema: l.occurredSchema,
      roles: IRO,
      update: m.recommendationsIssuedUpdate,
    }),
    decision({
      path: 'iro-record-issued',
      summary: 'The IRO’s full record of the review issued',
      schema: l.recordedSchema,
      roles: IRO,
      update: m.iroRecordIssuedUpdate,
    }),
    decision({
      path: 'manager-recommendations-response',
      summary: 'Manager agrees the IRO’s recommendations, or disagrees having advised those present',
      schema: l.managerResponseSchema,
      roles: MANAGERS,
      update: m.managerResponseUpdate,
    }),
    decision({
      path: 'midpoint-review-requested',
      summary: 'The IRO asks for a mid-point review (drift)',
      schema: l.occurredSchema,
      roles: IRO,
      update: m.midpointRequestedUpdate,
    }),
    decision({
      path: 'midpoint-review-held',
      summary: 'Mid-point review held',
      schema: l.recordedSchema,
      roles: [...IRO, ...CASEWORK],
      update: m.midpointHeldUpdate,
    }),
    decision({
      path: 'permanence-planning-meeting-held',
      summary: 'Permanence planning meeting held (before the second review)',
      schema: l.recordedSchema,
      roles: CASEWORK,
      update: m.permanenceMeetingUpdate,
    }),
    decision({
      path: 'permanence-plan-agreed',
      summary: 'Permanence plan agreed, with its route (by the second review)',
      schema: l.permanencePlanAgreedSchema,
      roles: CASEWORK,
      update: m.permanencePlanUpdate,
    }),
    // Ending (§5.6 D3.7)
    decision({
      path: 'ceasing-proposed',
      summary:
        'The child is to stop being looked after: a review (and, for a return home, an assessment) must come first',
      schema: l.ceasingProposedSchema,
      roles: CASEWORK,
      update: m.ceasingProposedUpdate,
    }),
    decision({
      path: 'ceasing-gate-override',
      summary: 'A manager overrides a gate before the ending, with a reason',
      schema: l.ceasingOverrideSchema,
      roles: MANAGERS,
      update: m.ceasingOverrideUpdate,
    }),
    decision({
      path: 'ceased',
      summary: 'The child stopped being looked after: every recurring obligation stops',
      schema: l.ceasedSchema,
      roles: CASEWORK,
      update: m.ceasedUpdate,
    }),
    ...commonRoutes(m, ['social_worker', 'team_manager', 'pgl', 'iro', 'qa_bstl']),
  ],
};

/** §7.1 `PlacementChanged` from the case system: recorded against the child's running episode. */
export const placementChangedKind: ChildEventKind = {
  type: 'placement-changed',
  summary: 'A change of placement (kev-placement-advise, kev-placement-notify, kev-gp-registration)',
  fields: l.placementChangeEventFields,
  refine: l.refinePlacementChange,
  handle(event, ctx) {
    const episode = needs(event.child.episode, 'looked-after episode');
    const fields = Object.keys(l.placementChangeFields) as Array<keyof typeof l.placementChangeFields>;
    const change = Object.fromEntries(fields.filter((key) => event[key] !== undefined).map((key) => [key, event[key]]));
    return ctx.update(lookedAfterChildProcess, episode, m.placementChangedUpdate, {
      ...(change as Omit<l.PlacementChanged, 'eventId' | 'type'>),
      type: event.placementType as l.PlacementType,
      eventId: event.eventId,
    });
  },
};
