/**
 * Looked-after child review cycle (docs/deadlines.md §5): one workflow per episode of care, from the
 * child becoming looked after (emergency, or planned with its pre-placement gates) to the day the
 * child stops being looked after. First days (notice, health, PEP, plans), reviews at 20 WD, 3 months
 * and then every 6 months with the deadlines counted back from each booked review, the IRO's records
 * and the manager's response, visits in which the child is seen at the cadence of the placement's
 * phase, and the recurring health, dental, PEP, assessment and supervision clocks. Continues as new
 * at each review cycle, carrying every deadline and the event log. The topics live beside it:
 * `start.ts`, `placements.ts`, `reviews.ts`, `health.ts`, `ending.ts`; the pure rules (visiting
 * cadence, review order, the under-5 test) in src/processes/looked-after-child/cadence.ts.
 *
 * The child's date of birth is used for the under-5 health cadence and the end at 18 only: it never
 * appears in ids, search attributes, notices, timer summaries or logs.
 *
 * The workflow type is `lookedAfterChild`.
 */
import { condition, workflowInfo } from '@temporalio/workflow';
import type { LookedAfterInput, LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import { assignmentOf, SYSTEM_ACTOR } from '../../src/process';
import { createProcess, settle } from '../process-kit';
import { canCease, canOverride, canPropose, ending } from './ending';
import { whileOpen, type Episode } from './episode';
import { canChangeCpPlan, health } from './health';
import * as m from './messages';
import { canAdvise, canChangePlacement, canNotify } from './placement-events';
import { canEndIcoReg24, placements } from './placements';
import {
  canBookReview,
  canMoveReview,
  canRequestMidpoint,
  canRespond,
  recommendationsAwaited,
  reviews,
} from './reviews';
import { becameLookedAfter } from './start';

export async function lookedAfterChild(input: LookedAfterInput): Promise<LookedAfterState> {
  const p = createProcess<LookedAfterState>({
    title: 'Looked-after child',
    context: { process: 'lac', caseReference: input.caseReference, people: input.people },
    state: input.carried?.state ?? {
      process: 'looked-after-child',
      stage: 'looked_after',
      status: 'open',
      startedAt: input.lacStartAt,
      case: {
        reference: input.caseReference,
        childReference: input.childReference,
        episodeId: input.episodeId,
        emergency: input.emergency,
        legalBasis: input.legalBasis,
        ...assignmentOf(input),
      },
      placement: { ...input.placement, number: 1, reviewsHeldBefore: 0 },
      visits: {},
      reviews: { held: 0 },
      onChildProtectionPlan: input.onChildProtectionPlan,
      lastSupervisionAt: input.lastSupervisionAt ?? input.lacStartAt,
      permanence: {},
      overrides: [],
      cycle: 1,
      links: { previousRuns: [] },
      notices: [],
      eventIds: [],
      events: [],
    },
    messages: m,
    answers: 'nothing',
    carried: input.carried,
    stageText: () => ': the episode of care has ended',
  });
  const { state, decide } = p;
  const ep: Episode = { p, input, cycleComplete: false, eighteenAt: input.carried?.eighteenAt ?? '' };
  const place = placements(ep);
  const care = health(ep);
  const review = reviews(ep, place.rearmVisits);
  const ends = ending(ep);
  const open = (what: string) => whileOpen(p, what);

  // Becoming looked after (§5.3), health and education.
  p.meets(m.panelRatifiedUpdate, 'lac-panel-ratify', 'emergency admission discussed at the Care Panel');
  p.meets(m.kinshipExploredUpdate, 'lac-kinship-explored', 'kinship options explored');
  p.meets(m.carePlanCompletedUpdate, 'lac-care-plan', 'care plan completed');
  p.meets(m.placementPlanAuthorisedUpdate, 'lac-placement-plan', 'placement plan authorised, signed and distributed');
  p.meets(m.infoPackGivenUpdate, 'lac-info-pack', 'information pack given to the child');
  p.meets(m.pepInitiatedUpdate, 'lac-pep-initiate', 'Personal Education Plan started');
  p.meets(
    m.startNotifiedUpdate,
    'lac-notify-start',
    '"L" flag set; QA service, LAC health team and Virtual School notified',
  );
  decide(m.statutoryAssessmentUpdate, care.statutoryAssessment, open('Recording an assessment'));
  decide(m.pepMeetingHeldUpdate, care.pepMeetingHeld, open('Recording a PEP meeting'));
  decide(m.healthAssessmentUpdate, care.healthAssessment, open('Recording a health assessment'));
  decide(m.dentalCheckUpdate, care.dentalCheck, open('Recording a dental check'));
  decide(m.supervisionRecordedUpdate, care.supervisionRecorded, open('Recording supervision'));
  decide(m.cpPlanStatusUpdate, care.cpPlanStatus, canChangeCpPlan(p));

  // Placements and visits (§5.4).
  decide(m.visitRecordedUpdate, place.visitRecorded, open('Recording a visit'));
  decide(m.placementChangedUpdate, place.placementChanged, canChangePlacement(p));
  decide(m.longTermRatifiedUpdate, place.longTermRatified, open('Ratifying the placement'));
  decide(m.icoReg24EndedUpdate, place.icoReg24Ended, canEndIcoReg24(p));
  decide(m.careOrderAtHomeUpdate, place.careOrderAtHome, open('Recording a care order'));
  // A placement change's key events (§7.2, 000 KE 2.1) and education gate (003 QS 14.14).
  decide(m.placementChangeAdvisedUpdate, place.placementChangeAdvised, canAdvise(p));
  decide(m.placementChangeNotifiedUpdate, place.placementChangeNotified, canNotify(p));
  p.meets(m.gpRegisteredUpdate, 'kev-gp-registration', 'child registered with a GP in the new area');
  p.meets(m.virtualHeadConsultedUpdate, 'lac-education-stability', 'the Virtual Headteacher consulted about the move');

  // Reviews and the IRO (§5.5).
  decide(m.reviewScheduledUpdate, review.reviewScheduled, canBookReview(p));
  decide(m.reviewRescheduledUpdate, review.reviewRescheduled, canMoveReview(p));
  p.meets(
    m.carePlanCheckedUpdate,
    'lac-review-careplan-check',
    'the IRO checked the care plan rests on an up-to-date assessment',
  );
  p.meets(m.consultationSentUpdate, 'lac-review-consultation', 'consultation forms sent');
  p.meets(m.plansQaUpdate, 'lac-review-plans-qa', 'PEP, health and pathway plans quality-assured');
  p.meets(m.reviewReportUpdate, 'lac-review-report', 'review report available to the child, family and IRO');
  decide(m.reviewHeldUpdate, review.reviewHeld, open('Recording a review'));
  decide(m.recommendationsIssuedUpdate, review.recommendationsIssued, recommendationsAwaited(p));
  p.meets(m.iroRecordIssuedUpdate, 'lac-iro-record', 'the IRO’s full record of the review issued');
  decide(m.managerResponseUpdate, review.managerResponse, canRespond(p));
  decide(m.midpointRequestedUpdate, review.midpointRequested, canRequestMidpoint(p));
  p.meets(m.midpointHeldUpdate, 'lac-midpoint-review', 'mid-point review held');
  decide(m.permanenceMeetingUpdate, review.permanenceMeeting, open('Recording a permanence planning meeting'));
  decide(m.permanencePlanUpdate, review.permanencePlan, open('Recording the permanence plan'));

  // Ending (§5.6 D3.7).
  decide(m.ceasingProposedUpdate, ends.ceasingProposed, canPropose(ep));
  decide(m.ceasingOverrideUpdate, ends.ceasingOverride, canOverride(p));
  decide(m.ceasedUpdate, ends.ceased, canCease(ep));

  // Start, or resume the next review cycle (the kit restored the carried deadlines).
  if (!input.carried) await becameLookedAfter(ep, place, care);
  await p.started();

  // An episode runs for years: each review cycle (or the server's suggestion) continues as new,
  // carrying the whole story, so every run's history stays small. At 18 the episode ends by law.
  const proceed = () => state.stage === 'ended' || ep.cycleComplete || workflowInfo().continueAsNewSuggested;
  const untilEighteen = Date.parse(ep.eighteenAt) - Date.now();
  if (untilEighteen > 0)
    await condition(proceed, untilEighteen, { summary: 'the episode ends when the child turns 18' });
  if (!proceed()) {
    await settle(p.deadlines);
    await p.exclusive(async () => {
      if (state.stage !== 'ended') await ends.finish('age_18', ep.eighteenAt, SYSTEM_ACTOR);
    });
  }
  if (state.stage !== 'ended') return p.continueAsNew(input, { eighteenAt: ep.eighteenAt });
  return p.complete();
}
