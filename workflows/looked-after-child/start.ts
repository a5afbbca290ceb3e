/**
 * The child becomes looked after (docs/deadlines.md §5.3): an emergency admission with its
 * follow-ups, or a planned one with its pre-placement gates; then the first days' clocks (notice,
 * review 1, health, PEP, dental, supervision, the first visit and the information pack) and the
 * start email.
 */
import { patched } from '@temporalio/workflow';
import { addYearsToDate } from '../../src/dates';
import { SYSTEM_ACTOR } from '../../src/process';
import type { Role } from '../../src/roles';
import type { PlanRequest } from '../../activities';
import { firstVisitRule } from '../../src/processes/looked-after-child/cadence';
import { reachedAll } from '../deadline-tracker';
import { AT_EVENT, gate, notify, type Episode } from './episode';
import type { health } from './health';
import type { placements } from './placements';

/** 003 QS 14.6: told at once that the child became looked after. */
const START_NOTIFIED: Role[] = ['qa_bstl', 'lac_health_team', 'virtual_school'];
/** Patch: the start email meets lac-notify-start (before it, someone had to record it). */
export const START_NOTICE_PATCH = 'lac-notify-start-met-by-email';
/**
 * Patch: the first days' plans are made at once (two rounds of parallel local activities instead of
 * ~15 one after another), and the start answers before its email is sent. Before it, the plans'
 * markers and the timers came in turn, and the update's answer after the email.
 */
export const START_AT_ONCE_PATCH = 'lac-start-planned-at-once-answered-before-email';

type Placements = ReturnType<typeof placements>;

/** 003 QS 14.1: the Director's approval beforehand, then the next Care Panel. */
async function emergencyAdmission(ep: Episode, place: Placements, schoolAge: boolean) {
  const { input } = ep;
  const { deadlines } = ep.p;
  const { lacStartAt, placement } = input;
  await gate(ep, 'lac-approval', lacStartAt, input.approval.at, 'the child became looked after');
  const panel = await deadlines.preview('lac-panel-ratify', input.approval.nextCarePanelDate!, {
    duration: { value: 0, unit: 'calendar_days' },
  });
  await deadlines.open('lac-panel-ratify', lacStartAt, { dueOverride: panel.dueAt }); // by the panel's date, at EOD
  await deadlines.open('lac-assessment-before', lacStartAt); // ⚠C-41 [P]: 10 WD
  await deadlines.open('lac-care-plan', lacStartAt); // 10 WD (003 QS 14.7)
  await place.placementPlan(false, placement.startAt); // 5 CD (003 QS 14.5, ⚠C-13)
  if (schoolAge) await deadlines.open('lac-pep-initiate', lacStartAt); // 10 CD (003 QS 14.13, ⚠C-14)
}

/** Planned: the pre-placement gates (003 QS 14.1, 14.3, 14.5, 14.7, 14.13, 3.15). */
async function plannedAdmission(ep: Episode, place: Placements, schoolAge: boolean) {
  const { input } = ep;
  const { deadlines, record } = ep.p;
  const { lacStartAt, placement } = input;
  const before = 'the child became looked after';
  const gates = input.preAdmission;
  if (input.approval.by !== 'care_panel')
    record(
      'gate_exception',
      'lac-approval: a planned admission is approved by the Care Panel (003 QS 14.1)',
      input.startedBy?.id,
    );
  await gate(ep, 'lac-approval', lacStartAt, input.approval.at, before);
  await gate(ep, 'lac-kinship-explored', lacStartAt, gates.kinshipOptionsExplored ? lacStartAt : undefined, before);
  await gate(ep, 'lac-assessment-before', lacStartAt, gates.statutoryAssessmentCompletedAt, before);
  await gate(ep, 'lac-care-plan', lacStartAt, gates.carePlanCompletedAt, before);
  await place.placementPlan(true, placement.startAt, gates.placementPlanCompletedAt);
  if (schoolAge) await gate(ep, 'lac-pep-initiate', lacStartAt, gates.pepInitiatedAt, before);
  if (gates.statutoryAssessmentCompletedAt)
    await deadlines.open('lac-annual-assessment', gates.statutoryAssessmentCompletedAt); // 12 months (003 QS 3.15)
}

/** 003 QS 14.6: the QA service, the LAC health team and the Virtual School are told at once. */
async function notifyStart({ p, input }: Episode) {
  const startNotice = await notify(
    p,
    'lac-start',
    { to: START_NOTIFIED },
    'A child has become looked after',
    [
      `The child in this case became looked after at ${input.lacStartAt} (UTC): ${input.emergency ? 'an emergency' : 'a planned'} admission, legal basis ${input.legalBasis}, episode ${input.episodeId}.`,
      'QA service: book the first review (due within 20 working days, 003 QS 15.3).',
      'LAC health team: the initial health assessment is due within 20 days (003 QS 14.11).',
      'Virtual School: the Personal Education Plan is due within 10 days and its meeting within 20 days, for a child of school age (003 QS 14.13).',
    ].join(' '),
  );
  // The service's own email is the notification: it meets lac-notify-start once all three have it.
  if (reachedAll(startNotice, START_NOTIFIED) && patched(START_NOTICE_PATCH))
    p.deadlines.meet('lac-notify-start', SYSTEM_ACTOR, startNotice.at);
}

/** A gate's deadline opens (at the event) only when it was not met before it: as `gate` decides. */
const gateOpens = (eventAt: string, doneAt: string | undefined) => !(doneAt && doneAt <= eventAt);

/**
 * Every plan the first days open below, made at once: the independent ones together, then the two
 * due at another's instant (the panel's date, the first visit). What is listed here must match what
 * `becameLookedAfter` opens (a request it does not list is planned when opened, one after another).
 */
async function planFirstDays({ p, input }: Episode, schoolAge: boolean): Promise<void> {
  const { deadlines } = p;
  const { lacStartAt, placement } = input;
  const gates = input.preAdmission;
  const at = (ruleId: string, anchorAt: string, options: Partial<PlanRequest> = {}): PlanRequest => ({
    ruleId,
    anchorAt,
    ...options,
  });
  const atEvent = (ruleId: string, eventAt: string, doneAt: string | undefined) =>
    gateOpens(eventAt, doneAt) ? [at(ruleId, eventAt, { duration: AT_EVENT })] : [];
  const panel = input.emergency
    ? at('lac-panel-ratify', input.approval.nextCarePanelDate!, { duration: { value: 0, unit: 'calendar_days' } })
    : undefined;
  const firstVisit = at(firstVisitRule(p.state.placement), placement.startAt);
  const admission = input.emergency
    ? [
        ...atEvent('lac-approval', lacStartAt, input.approval.at),
        at('lac-assessment-before', lacStartAt),
        at('lac-care-plan', lacStartAt),
        at('lac-placement-plan', placement.startAt),
        ...(schoolAge ? [at('lac-pep-initiate', lacStartAt)] : []),
      ]
    : [
        ...atEvent('lac-approval', lacStartAt, input.approval.at),
        ...atEvent('lac-kinship-explored', lacStartAt, gates.kinshipOptionsExplored ? lacStartAt : undefined),
        ...atEvent('lac-assessment-before', lacStartAt, gates.statutoryAssessmentCompletedAt),
        ...atEvent('lac-care-plan', lacStartAt, gates.carePlanCompletedAt),
        ...atEvent('lac-placement-plan', placement.startAt, gates.placementPlanCompletedAt),
        ...(schoolAge ? atEvent('lac-pep-initiate', lacStartAt, gates.pepInitiatedAt) : []),
        ...(gates.statutoryAssessmentCompletedAt
          ? [at('lac-annual-assessment', gates.statutoryAssessmentCompletedAt)]
          : []),
      ];
  const [panelPlan, visitPlan] = await deadlines.planAhead([
    ...(panel ? [panel] : []),
    firstVisit,
    at('lac-review-before-ceasing', addYearsToDate(input.childDateOfBirth, 18)),
    ...admission,
    at('lac-notify-start', lacStartAt),
    at('lac-review-1', lacStartAt),
    at('lac-health-initial', lacStartAt),
    ...(schoolAge ? [at('lac-pep-meeting', lacStartAt)] : []),
    at('lac-dental', input.lastDentalCheckAt ?? lacStartAt),
    at(p.state.onChildProtectionPlan ? 'sup-cp' : 'sup-standard', p.state.lastSupervisionAt),
  ]);
  const firstVisitPlan = panel ? visitPlan! : panelPlan!;
  await deadlines.planAhead([
    ...(panel ? [at('lac-panel-ratify', lacStartAt, { dueOverride: panelPlan!.dueAt })] : []),
    at('lac-info-pack', lacStartAt, { dueOverride: firstVisitPlan.dueAt }),
  ]);
}

/** The first run's start: every clock of the first days armed, then the start email. */
export async function becameLookedAfter(ep: Episode, place: Placements, care: ReturnType<typeof health>) {
  const { p, input } = ep;
  const { deadlines, record } = p;
  const { lacStartAt, placement } = input;
  const schoolAge = input.education !== undefined; // ⚠C-14: the PEP rules apply to children of school age
  const atOnce = patched(START_AT_ONCE_PATCH);
  if (atOnce) await planFirstDays(ep, schoolAge);
  // The start of the 18th birthday in London, computed by the calendar activity (recorded in history).
  ep.eighteenAt = (
    await deadlines.preview('lac-review-before-ceasing', addYearsToDate(input.childDateOfBirth, 18))
  ).dueAt;
  record(
    'became_looked_after',
    `${input.emergency ? 'emergency' : 'planned'} admission (${input.legalBasis}), placement ${placement.placementId} (${placement.type})`,
    input.startedBy?.id,
  );
  if (input.emergency) await emergencyAdmission(ep, place, schoolAge);
  else await plannedAdmission(ep, place, schoolAge);
  await deadlines.open('lac-notify-start', lacStartAt); // 24 h elapsed, hours_mode locked (003 QS 14.6, §2.4)
  await deadlines.open('lac-review-1', lacStartAt); // 20 WD (003 QS 15.3)
  await deadlines.open('lac-health-initial', lacStartAt); // 20 CD and before review 1 (003 QS 14.11, ⚠C-12)
  if (schoolAge) await deadlines.open('lac-pep-meeting', lacStartAt); // 20 CD and before review 1 (003 QS 14.13)
  await deadlines.open('lac-dental', input.lastDentalCheckAt ?? lacStartAt); // 6 months (003 QS 14.12, ⚠C-16)
  await care.openSupervision(p.state.lastSupervisionAt);
  const firstVisit = await place.startVisits(placement.startAt);
  await deadlines.open('lac-info-pack', lacStartAt, { dueOverride: firstVisit.dueAt }); // [P] at the first visit (003 QS 14.4)
  if (atOnce) {
    deadlines.dropPlansAhead();
    // Every first deadline is armed: the start answers now, not after the email (README "API": a start
    // answers once its first deadlines are armed). The lock stays held until the email is sent.
    p.answerStart();
  }
  await notifyStart(ep);
}
