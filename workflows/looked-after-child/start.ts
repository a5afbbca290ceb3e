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
import { reachedAll } from '../deadline-tracker';
import { gate, notify, type Episode } from './episode';
import type { health } from './health';
import type { placements } from './placements';

/** 003 QS 14.6: told at once that the child became looked after. */
const START_NOTIFIED: Role[] = ['qa_bstl', 'lac_health_team', 'virtual_school'];
/** Patch: the start email meets lac-notify-start (before it, someone had to record it). */
export const START_NOTICE_PATCH = 'lac-notify-start-met-by-email';

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

/** The first run's start: every clock of the first days armed, then the start email. */
export async function becameLookedAfter(ep: Episode, place: Placements, care: ReturnType<typeof health>) {
  const { p, input } = ep;
  const { deadlines, record } = p;
  const { lacStartAt, placement } = input;
  const schoolAge = input.education !== undefined; // ⚠C-14: the PEP rules apply to children of school age
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
  await notifyStart(ep);
}
