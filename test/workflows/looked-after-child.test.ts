import { describe, expect, it } from 'vitest';
import type { LookedAfterInput, LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import type { Actor } from '../../src/process';
import { lookedAfterChild } from '../../workflows';
import * as m from '../../workflows/looked-after-child/messages';
import { actOn } from '../helpers/act';
import { emergency } from '../helpers/looked-after';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  addMonths,
  addWD,
  dayOf,
  daysDue,
  eod,
  firstDay,
  holiday,
  holidaysBetween,
  inBst,
  isWeekend,
  isWorkingDay,
  monthsDue,
  on,
  plusHours,
  wdDue,
} from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

const sw: Actor = { id: 'sw-1', roles: ['social_worker'] };
const manager: Actor = { id: 'tm-1', roles: ['team_manager'] };
const qa: Actor = { id: 'qa-1', roles: ['qa_bstl'] };
const iro: Actor = { id: 'iro-1', roles: ['iro'] };

const latest = (state: LookedAfterState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;
const dues = (state: LookedAfterState) => Object.fromEntries(state.deadlines.map((d) => [d.id, d.dueAt]));
const open = (state: LookedAfterState) =>
  state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue');

const start = (input: LookedAfterInput) =>
  startProcess(stack.env.client, lookedAfterChild, {
    taskQueue: TASK_QUEUE,
    workflowId: `lac-${input.episodeId}`,
    args: [input],
  });

/** The start opens its first deadlines one local activity at a time: wait for the last of them. */
async function started(handle: Awaited<ReturnType<typeof start>>): Promise<LookedAfterState> {
  await expect.poll(async () => (await handle.query(m.getStateQuery)).notices.length, { timeout: 20_000 }).toBe(1);
  return handle.query(m.getStateQuery);
}

/** Ends an episode the quick way: proposed, the review gate overridden by a manager, ceased. */
async function close(handle: Awaited<ReturnType<typeof start>>, at: string) {
  await handle.executeUpdate(m.ceasingProposedUpdate, { args: [{ reason: 'other', proposedFor: at, actor: sw }] });
  await handle.executeUpdate(m.ceasingOverrideUpdate, {
    args: [{ gate: 'lac-review-before-ceasing', reason: 'Test episode', actor: manager }],
  });
  await handle.executeUpdate(m.ceasedUpdate, { args: [{ reason: 'other', at, actor: sw }] });
  await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
}

const act = actOn(m.getStateQuery);

/**
 * The Christmas admission's calendar: admitted on the Friday a week or so before Christmas, with a
 * substitute bank holiday among the Christmas ones; visits weekly on days 11, 18 and 25 (working
 * days, each on its due day); review 1 booked the working day before it falls due, moved six
 * working days ahead to two working days earlier, with the third visit between; the placement
 * move after the IRO's recommendations; the recurrences on the first working day from day 59 whose
 * six months end on a weekend, five days after the fifth birthday.
 */
function t1Plan(day0: string) {
  const review1Due = addWD(day0, 20);
  const review1 = addWD(review1Due, -1);
  const moved = addWD(review1, -6);
  const review1Moved = addWD(review1, -2);
  const recurrences = firstDay(addDays(day0, 59), (d) => isWorkingDay(d) && isWeekend(addMonths(d, 6)));
  return {
    review1Due,
    review1,
    moved,
    review1Moved,
    panel: firstDay(addDays(day0, 19), isWorkingDay),
    moveDay: firstDay(addDays(day0, 45), isWorkingDay),
    recurrences,
    fifthBirthday: addDays(recurrences, -5),
  };
}
const christmasAdmission = (day0: string) => {
  const year = Number(day0.slice(0, 4));
  const christmas = holiday('Christmas Day', year);
  const toChristmas = (Date.parse(christmas) - Date.parse(day0)) / 86_400_000;
  const substitute = holidaysBetween(christmas, `${year + 1}-01-04`).some(
    (d) => !isWeekend(d) && ![christmas, holiday('Boxing Day', year), holiday("New Year's Day", year + 1)].includes(d),
  );
  const plan = t1Plan(day0);
  const [v1, v2, v3] = [11, 18, 25].map((n) => addDays(day0, n)) as [string, string, string];
  return (
    toChristmas >= 4 &&
    toChristmas <= 10 &&
    substitute &&
    [v1, v2, v3].every(isWorkingDay) &&
    v2 < plan.moved &&
    plan.moved < v3 &&
    v3 < plan.review1Moved &&
    plan.moveDay > addWD(plan.review1Moved, 3)
  );
};

describe('looked-after child on the time-skipping server', () => {
  it('computes the worked examples of §2.7 from backdated emergency admissions, and checks a planned admission’s gates', async () => {
    // The brief's example: Friday 20 December 2024 (Christmas, Boxing Day and New Year skipped).
    const e2024 = await start(
      emergency('E2024', '2024-12-20T10:00:00.000Z', {
        childDateOfBirth: '2014-05-01',
        education: { stage: 'primary' },
        approval: { by: 'director', at: '2024-12-20T09:00:00.000Z', nextCarePanelDate: '2025-01-08' },
      }),
    );
    let state = await started(e2024);
    expect(dues(state)).toEqual({
      'lac-panel-ratify': '2025-01-08T17:00:00.000Z', // the next Care Panel, at EOD (003 QS 14.1)
      'lac-assessment-before': '2025-01-08T17:00:00.000Z', // [P] 10 WD (⚠C-41)
      'lac-care-plan': '2025-01-08T17:00:00.000Z', // 10 WD (003 QS 14.7)
      'lac-placement-plan': '2024-12-24T17:00:00.000Z', // 5 CD = Christmas Day: back to Tuesday 24th (⚠C-13, §2.3)
      'lac-pep-initiate': '2024-12-30T17:00:00.000Z', // 10 CD (⚠C-14)
      'lac-notify-start': '2024-12-21T10:00:00.000Z', // 24 h elapsed, through the weekend (§2.4)
      'lac-review-1': '2025-01-22T17:00:00.000Z', // 20 WD (003 QS 15.3)
      'lac-health-initial': '2025-01-09T17:00:00.000Z', // 20 CD (⚠C-12)
      'lac-pep-meeting': '2025-01-09T17:00:00.000Z', // 20 CD
      'lac-dental': '2025-06-20T16:00:00.000Z', // 6 months, 17:00 BST
      'sup-standard': '2025-03-20T17:00:00.000Z', // 3 months
      'lac-visit-first': '2024-12-31T17:00:00.000Z', // 5 WD
      'lac-info-pack': '2024-12-31T17:00:00.000Z', // [P] at the first visit
    });
    expect(latest(state, 'lac-placement-plan').statutoryDueAt).toBe('2024-12-25T23:59:59.000Z');
    expect(state.events.find((e) => e.type === 'gate_met')?.summary).toBe(
      'lac-approval met before the child became looked after',
    );
    // A backdated anchor: what is already due breaches at once (§1.3 point 6).
    await expect
      .poll(async () => latest(await e2024.query(m.getStateQuery), 'lac-review-1').status, { timeout: 10_000 })
      .toBe('overdue');

    // The spec's own example (§2.7): Friday 19 December 2025; review and health assessment 13 days apart.
    const e2025 = await start(
      emergency('E2025', '2025-12-19T10:00:00.000Z', {
        approval: { by: 'director', at: '2025-12-19T09:00:00.000Z', nextCarePanelDate: '2026-01-07' },
      }),
    );
    state = await started(e2025);
    expect(latest(state, 'lac-review-1').dueAt).toBe('2026-01-21T17:00:00.000Z');
    expect(latest(state, 'lac-health-initial').dueAt).toBe('2026-01-08T17:00:00.000Z');
    expect(state.deadlines.map((d) => d.id)).not.toContain('lac-pep-meeting'); // under school age (⚠C-14)

    // A planned admission (on a time base ahead of the test server's clock, which starts at the real now):
    // the gates are checked, exceptions recorded and left open, breached at once.
    const t = await stack.base({ weekday: 'Tuesday', where: isWorkingDay });
    await skipTo(t.at(0, '10:00'));
    const planned = await start({
      ...emergency('PL1', t.at(0, '10:00')),
      emergency: false,
      legalBasis: 's20',
      approval: { by: 'care_panel', at: t.at(-11, '10:00') },
      preAdmission: {
        kinshipOptionsExplored: true,
        statutoryAssessmentCompletedAt: t.at(-21, '10:00'),
        placementPlanCompletedAt: t.at(1, '10:00'),
      },
    });
    state = await started(planned);
    expect(state.events.filter((e) => e.type.startsWith('gate_')).map((e) => e.summary)).toEqual([
      'lac-approval met before the child became looked after',
      'lac-kinship-explored met before the child became looked after',
      'lac-assessment-before met before the child became looked after',
      'lac-care-plan not met before the child became looked after',
      `lac-placement-plan not met before the placement started (done late, at ${t.at(1, '10:00')})`,
    ]);
    expect(latest(state, 'lac-placement-plan')).toMatchObject({
      status: 'met',
      breached: true,
      dueAt: t.at(0, '10:00'),
    });
    expect(latest(state, 'lac-annual-assessment').dueAt).toBe(monthsDue(t.day(-21), 12)); // 12 months from the assessment
    expect(state.deadlines.map((d) => d.id)).not.toContain('lac-panel-ratify');
    await expect
      .poll(async () => latest(await planned.query(m.getStateQuery), 'lac-care-plan').status, { timeout: 10_000 })
      .toBe('overdue');
    await stack.smtp.waitFor((mail) => mail.messageId === '<lac-PL1.lac-care-plan.1.r0.overdue@test.example>');

    for (const handle of [e2024, e2025, planned]) await close(handle, t.at(0, '12:00'));
    expect((await planned.query(m.getStateQuery)).events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['gate_override', 'ceased', 'gate_exception']),
    );
    await stack.smtp.waitFor((mail) => mail.messageId === '<lac-PL1.ceased-without-review@test.example>');
  });

  it('an emergency admission on the Friday a week before Christmas: first days, visits, review 1 moved into its consultation window, review 2, recurrences, and the end', async () => {
    const t = await stack.base({ weekday: 'Friday', where: christmasAdmission });
    const plan = t1Plan(t.day0);
    const input = emergency('T1', t.at(0, '10:00'), {
      childDateOfBirth: addMonths(plan.fifthBirthday, -60),
      approval: { by: 'director', at: t.at(0, '10:00'), nextCarePanelDate: plan.panel },
    });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(input);
    let state = await started(handle);
    // Christmas Day, Boxing Day or their substitute, and New Year's Day fall in the 20 WD.
    expect(holidaysBetween(t.day0, plan.review1Due).filter((d) => !isWeekend(d)).length).toBeGreaterThanOrEqual(3);
    expect(dues(state)).toMatchObject({
      'lac-notify-start': plusHours(t.at(0, '10:00'), 24),
      'lac-review-1': wdDue(t.day0, 20), // 20 WD over Christmas, the Boxing Day substitute and New Year
      'lac-health-initial': daysDue(t.day0, 20),
      'lac-placement-plan': daysDue(t.day0, 5),
      'lac-visit-first': wdDue(t.day0, 5),
      'lac-panel-ratify': eod(plan.panel),
    });
    // The real email at the start goes to the QA service, the LAC health team and the Virtual School (003 QS 14.6).
    const [notice] = await stack.smtp.waitFor((mail) => mail.messageId === '<lac-T1.lac-start@test.example>');
    expect(notice!.to).toEqual(['qa-bstl@example.test', 'lac-health-team@example.test', 'virtual-school@example.test']);
    expect(notice!.text).toContain('CASE-T1');
    expect(notice!.text).not.toContain('CH-T1');
    expect(notice!.text).not.toContain(input.childDateOfBirth);
    // That email is the notification: it meets lac-notify-start by itself, at the send.
    state = await handle.query(m.getStateQuery);
    expect(latest(state, 'lac-notify-start')).toMatchObject({
      status: 'met',
      breached: false,
      metBy: 'system',
      metAt: state.notices[0]!.at,
    });
    await expect(act(handle, m.startNotifiedUpdate, { args: [{ actor: sw }] })).rejects.toThrow();

    // Visits: only one in which the child is seen counts; weekly until the first review.
    await skipTo(t.at(4, '12:00'));
    await handle.executeUpdate(m.visitRecordedUpdate, {
      args: [{ visitedAt: t.at(4, '10:00'), childSeen: false, actor: sw }],
    });
    const [notSeen] = await stack.smtp.waitFor(
      (mail) => mail.subject.includes('Child not seen') && mail.text.includes('CASE-T1'),
    );
    expect([notSeen!.to, notSeen!.cc]).toEqual([['team-manager@example.test'], ['iro@example.test']]);
    state = await act(handle, m.visitRecordedUpdate, {
      args: [{ visitedAt: t.at(4, '11:00'), childSeen: true, seenAlone: true, actor: sw }],
    });
    expect(latest(state, 'lac-visit-first')).toMatchObject({ status: 'met', breached: false });
    expect(latest(state, 'lac-visit-weekly').dueAt).toBe(daysDue(t.day(4), 7)); // 7 CD (⚠C-17)
    await handle.executeUpdate(m.infoPackGivenUpdate, { args: [{ actor: sw }] });
    const visit = async (day: string) => {
      await skipTo(on(day, '12:00'));
      return act(handle, m.visitRecordedUpdate, {
        args: [{ visitedAt: on(day, '10:00'), childSeen: true, actor: sw }],
      });
    };
    await visit(t.day(11));
    await visit(t.day(18));

    // Health: the child is 4 at the initial assessment, so it is reviewed within 6 months (⚠C-19).
    state = await act(handle, m.healthAssessmentUpdate, { args: [{ at: t.at(18, '10:00'), actor: sw }] });
    expect(latest(state, 'lac-health-initial')).toMatchObject({ status: 'met', breached: false });
    expect(latest(state, 'lac-health-review').dueAt).toBe(monthsDue(t.day(18), 6));

    // Review 1 booked for the working day before it falls due: the deadlines counted back from it.
    const { review1, moved, review1Moved } = plan;
    state = await act(handle, m.reviewScheduledUpdate, {
      args: [{ scheduledStart: on(review1, '10:00'), actor: qa }],
    });
    expect(dues(state)).toMatchObject({
      'lac-review-consultation': wdDue(review1, -5), // 5 WD before (003 QS 15.2)
      'lac-review-careplan-check': wdDue(review1, -3), // 3 WD before (003 QS 14.7)
      'lac-review-plans-qa': wdDue(review1, -3),
      'lac-review-report': wdDue(review1, -2), // 2 WD before (⚠C-15)
    });
    // Moved 6 WD ahead of it (its consultation not yet due) to 2 WD earlier: now due before the move, it breaches at once.
    await skipTo(on(moved, '10:00'));
    state = await act(handle, m.reviewRescheduledUpdate, {
      args: [{ scheduledStart: on(review1Moved, '10:00'), reason: 'IRO unavailable on the day booked', actor: qa }],
    });
    expect(latest(state, 'lac-review-consultation')).toMatchObject({
      dueAt: wdDue(review1Moved, -5),
      rescheduled: [
        expect.objectContaining({
          from: wdDue(review1, -5),
          to: wdDue(review1Moved, -5),
          by: 'qa-1',
          reason: 'IRO unavailable on the day booked',
        }),
      ],
    });
    const [breach] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-T1.lac-review-consultation.1.r1.overdue@test.example>',
    );
    expect(breach!.to).toEqual(['qa-bstl@example.test', 'iro@example.test']);
    expect(latest(await handle.query(m.getStateQuery), 'lac-review-consultation')).toMatchObject({
      status: 'overdue',
      breached: true,
    });
    expect(latest(state, 'lac-review-report').dueAt).toBe(wdDue(review1Moved, -2));
    await handle.executeUpdate(m.consultationSentUpdate, { args: [{ actor: qa }] });
    await handle.executeUpdate(m.carePlanCheckedUpdate, { args: [{ actor: iro }] });
    await handle.executeUpdate(m.reviewReportUpdate, { args: [{ actor: sw }] });
    state = await visit(t.day(25));
    expect(state.deadlines.filter((d) => d.id === 'lac-visit-weekly').map((d) => d.status)).toEqual([
      'met',
      'met',
      'met',
      'pending',
    ]);

    await skipTo(on(review1Moved, '12:00'));
    const firstRun = (await handle.describe()).runId;
    state = await act(handle, m.reviewHeldUpdate, { args: [{ heldAt: on(review1Moved, '10:00'), actor: iro }] });
    expect(latest(state, 'lac-review-1')).toMatchObject({ status: 'met', breached: false });
    expect(dues(state)).toMatchObject({
      'lac-review-2': monthsDue(review1Moved, 3), // 3 months after review 1 (003 QS 15.3)
      'lac-iro-recommendations': wdDue(review1Moved, 5), // 5 WD (003 QS 15.7)
      'lac-iro-record': wdDue(review1Moved, 20), // 20 WD
      'lac-permanence-meeting': monthsDue(review1Moved, 3), // before review 2 (003 QS 14.17)
      'lac-permanence-plan': monthsDue(review1Moved, 3),
      'lac-visit-6-weekly': daysDue(t.day(25), 42), // after review 1: 42 CD from the last visit
    });
    expect(latest(state, 'lac-review-plans-qa')).toMatchObject({ status: 'cancelled' });
    expect(state.events.filter((e) => e.type === 'gate_exception').map((e) => e.summary)).toEqual([
      'lac-review-plans-qa not met when review 1 was held',
    ]);
    expect(latest(state, 'lac-visit-weekly')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'visiting cadence changed: review 1 held',
    });

    // Each review cycle continues as new, carrying the whole story.
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(2);
    const carried = await handle.query(m.getStateQuery);
    expect(carried.links.previousRuns).toEqual([firstRun]);
    expect(carried.deadlines.length).toBe(state.deadlines.length);
    expect(carried.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'became_looked_after',
        'visit_child_not_seen',
        'review_rescheduled',
        'review_held',
        'cycle_continued',
      ]),
    );

    // The IRO's recommendations, and a manager who disagrees: the attendees must have been advised (003 QS 15.7).
    const recommended = addWD(review1Moved, 3);
    await skipTo(on(recommended, '10:00'));
    state = await act(handle, m.recommendationsIssuedUpdate, {
      args: [{ at: on(recommended, '09:00'), actor: iro }],
    });
    expect(latest(state, 'lac-manager-recs-response').dueAt).toBe(wdDue(recommended, 5));
    await expect(
      handle.executeUpdate(m.managerResponseUpdate, { args: [{ agreed: false, actor: manager }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/advised/) },
    });
    state = await act(handle, m.managerResponseUpdate, {
      args: [{ agreed: false, attendeesAdvisedAt: on(addWD(recommended, -1), '15:00'), actor: manager }],
    });
    expect(latest(state, 'lac-manager-recs-response')).toMatchObject({ status: 'met', metBy: 'tm-1' });
    expect(state.events.at(-1)).toMatchObject({ type: 'recommendations_disagreed', actor: 'tm-1' });
    const [disagreed] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-T1.recommendations-disagreed.1@test.example>',
    );
    expect([disagreed!.to, disagreed!.cc]).toEqual([['iro@example.test'], ['iro-manager@example.test']]);

    // A new placement restarts the first visit and the placement plan; it never resets the reviews.
    const { moveDay } = plan;
    await skipTo(on(moveDay, '12:00'));
    state = await act(handle, m.placementChangedUpdate, {
      args: [{ placementId: 'T1-P2', type: 'foster', startAt: on(moveDay, '10:00'), planned: false, actor: sw }],
    });
    expect(latest(state, 'lac-visit-6-weekly')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'a new placement started',
    });
    expect(dues(state)).toMatchObject({
      'lac-visit-first': wdDue(moveDay, 5),
      'lac-placement-plan': daysDue(moveDay, 5),
      'lac-review-2': monthsDue(review1Moved, 3),
    });
    const visited = addWD(moveDay, 2);
    await skipTo(on(visited, '12:00'));
    state = await act(handle, m.visitRecordedUpdate, {
      args: [{ visitedAt: on(visited, '10:00'), childSeen: true, actor: sw }],
    });
    expect(latest(state, 'lac-visit-6-weekly')).toMatchObject({ occurrence: 2, dueAt: daysDue(visited, 42) }); // already reviewed: 6-weekly

    // Recurrences: the health review now 12 months (5 since the birthday five days ago), dental 6 months
    // (six months on is a weekend), supervision 3 months.
    const { recurrences } = plan;
    const recurrencesAt = on(recurrences, '10:00');
    await skipTo(on(recurrences, '12:00'));
    state = await act(handle, m.healthAssessmentUpdate, { args: [{ at: recurrencesAt, actor: sw }] });
    expect(latest(state, 'lac-health-review')).toMatchObject({ occurrence: 2, dueAt: monthsDue(recurrences, 12) });
    state = await act(handle, m.dentalCheckUpdate, { args: [{ at: recurrencesAt, actor: sw }] });
    expect(isWeekend(addMonths(recurrences, 6))).toBe(true);
    expect(latest(state, 'lac-dental')).toMatchObject({ occurrence: 2, dueAt: monthsDue(recurrences, 6) }); // the weekend day rolls back
    state = await act(handle, m.supervisionRecordedUpdate, {
      args: [{ at: recurrencesAt, actor: manager }],
    });
    expect(latest(state, 'sup-standard')).toMatchObject({ occurrence: 2, dueAt: monthsDue(recurrences, 3) });
    for (const update of [m.permanenceMeetingUpdate, m.panelRatifiedUpdate, m.carePlanCompletedUpdate])
      await handle.executeUpdate(update, { args: [{ actor: manager }] });
    await handle.executeUpdate(m.permanencePlanUpdate, { args: [{ route: 'long_term_fostering', actor: sw }] });
    await handle.executeUpdate(m.statutoryAssessmentUpdate, { args: [{ at: recurrencesAt, actor: sw }] });

    // Review 2, booked ahead and prepared in time; then every 6 months, with a joint visit with the supervising social worker each interval.
    const review2 = addWD(dayOf(monthsDue(review1Moved, 3)), -2);
    await skipTo(on(addDays(review2, -15), '13:00'));
    state = await act(handle, m.reviewScheduledUpdate, {
      args: [{ scheduledStart: on(review2, '10:00'), actor: qa }],
    });
    expect(latest(state, 'lac-review-consultation')).toMatchObject({
      occurrence: 2,
      dueAt: wdDue(review2, -5),
    }); // 5 WD before, BST
    await handle.executeUpdate(m.consultationSentUpdate, { args: [{ actor: qa }] });
    await handle.executeUpdate(m.carePlanCheckedUpdate, { args: [{ actor: iro }] });
    for (const update of [m.plansQaUpdate, m.reviewReportUpdate])
      await handle.executeUpdate(update, { args: [{ actor: sw }] });
    await skipTo(on(review2, '13:00'));
    state = await act(handle, m.reviewHeldUpdate, { args: [{ heldAt: on(review2, '10:00'), actor: iro }] });
    expect(latest(state, 'lac-review-2')).toMatchObject({ status: 'met', breached: false });
    expect(latest(state, 'lac-permanence-plan')).toMatchObject({ status: 'met', breached: false });
    expect(dues(state)).toMatchObject({
      'lac-review-n': monthsDue(review2, 6),
      'lac-joint-visit-ssw': monthsDue(review2, 6),
    });
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(3);

    // Ending: a return home needs a review first and an assessment, or a manager's override (003 QS 15.8, 3.15, 14.10).
    const endsAt = on(addDays(review2, 49), '10:00');
    await skipTo(on(addDays(review2, 20), '13:00'));
    const cease = () => act(handle, m.ceasedUpdate, { args: [{ reason: 'return_home', at: endsAt, actor: sw }] });
    await expect(cease()).rejects.toMatchObject({
      cause: {
        message: expect.stringMatching(
          /lac-review-before-ceasing and lac-assessment-before-return not met.*Propose the ending first/,
        ),
      },
    });
    state = await act(handle, m.ceasingProposedUpdate, {
      args: [{ reason: 'return_home', proposedFor: endsAt, actor: sw }],
    });
    expect(state.stage).toBe('ceasing_proposed');
    expect(dues(state)).toMatchObject({
      'lac-review-before-ceasing': endsAt,
      'lac-assessment-before-return': endsAt,
    });
    await expect(cease()).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/lac-review-before-ceasing and lac-assessment-before-return not met/) },
    });
    await skipTo(on(addDays(review2, 37), '12:00'));
    state = await act(handle, m.reviewHeldUpdate, {
      args: [{ heldAt: on(addDays(review2, 37), '10:00'), actor: iro }],
    });
    expect(latest(state, 'lac-review-before-ceasing')).toMatchObject({ status: 'met' });
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(4);
    await expect(cease()).rejects.toMatchObject({
      cause: {
        message: expect.stringMatching(
          /^the child cannot stop being looked after yet: lac-assessment-before-return not met/,
        ),
      },
    });
    await expect(
      handle.executeUpdate(m.ceasingOverrideUpdate, {
        args: [{ gate: 'lac-review-before-ceasing', reason: 'x', actor: manager }],
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not open/) },
    });
    state = await act(handle, m.ceasingOverrideUpdate, {
      args: [
        { gate: 'lac-assessment-before-return', reason: 'Assessment by the court’s expert adopted', actor: manager },
      ],
    });
    expect(latest(state, 'lac-assessment-before-return')).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'tm-1',
      cancelReason: 'manager override: Assessment by the court’s expert adopted',
    });

    state = await cease();
    expect(state).toMatchObject({
      stage: 'ended',
      status: 'closed',
      ending: { reason: 'return_home', at: endsAt },
    });
    expect(open(state)).toEqual([]); // every recurrence stops: visits, health, dental, PEP, assessment, supervision, reviews
    expect(latest(state, 'lac-review-n')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'the child stopped being looked after (return_home)',
    });
    await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
    await expect(
      handle.executeUpdate(m.visitRecordedUpdate, {
        args: [{ visitedAt: plusHours(endsAt, 24), childSeen: true, actor: sw }],
      }),
    ).rejects.toThrow();
    // No further notices after the end: the next would have been the health review's warning.
    const sent = stack.smtp.messages.length;
    await skipTo(on(addDays(review2, 88), '13:00'));
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.smtp.messages.slice(sent).filter((mail) => mail.messageId.includes('lac-T1'))).toEqual([]);
  });

  it('ends the episode by law at the 18th birthday; without a review first the IRO and managers are told', async () => {
    // Admitted three weeks before an 18th birthday in British Summer Time.
    const t = await stack.base({ where: (d) => inBst(d) && inBst(addDays(d, 22)) });
    const birthday = t.day(22);
    await skipTo(t.at(0, '12:00'));
    const handle = await start(
      emergency('T18', t.at(0, '12:00'), {
        childDateOfBirth: addMonths(birthday, -216),
        approval: { by: 'director', at: t.at(0, '11:00'), nextCarePanelDate: t.day(11) },
      }),
    );
    await started(handle);
    await expect(
      handle.executeUpdate(m.ceasingProposedUpdate, {
        args: [{ reason: 'age_18', proposedFor: on(addDays(birthday, -1), '12:00'), actor: sw }],
      }),
    ).rejects.toMatchObject({
      cause: { message: 'the child is not 18 on that date' },
    });
    await skipTo(on(birthday, '07:00'));
    await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
    const state = await handle.query(m.getStateQuery);
    expect(state.ending).toEqual({ reason: 'age_18', at: on(birthday, '00:00') }); // midnight in London (BST)
    expect(on(birthday, '00:00')).toBe(`${addDays(birthday, -1)}T23:00:00.000Z`);
    expect(open(state)).toEqual([]);
    const [told] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-T18.ceased-without-review@test.example>',
    );
    expect([told!.to, told!.cc]).toEqual([['iro@example.test'], ['team-manager@example.test', 'pgl@example.test']]);
  });

  it('visits at the cadence of the placement’s phase: ICO, then a care order at home, then adoption, then long-term fostering', async () => {
    // A Monday four weeks before the Summer bank holiday.
    const t = await stack.base({
      weekday: 'Monday',
      where: (d) => addDays(d, 28) === holiday('Summer bank holiday', Number(d.slice(0, 4))),
    });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(
      emergency('V1', t.at(0, '10:00'), {
        childDateOfBirth: addMonths(t.day0, -149),
        legalBasis: 'ico',
        approval: { by: 'director', at: t.at(0, '09:00'), nextCarePanelDate: t.day(9) },
        placement: { placementId: 'V1-P1', type: 'placed_with_parent_ico', startAt: t.at(0, '10:00') },
      }),
    );
    let state = await started(handle);
    // Placed with a parent under an ICO: weekly from the placement's start, no separate first visit (003 QS 9.1).
    expect(state.deadlines.map((d) => d.id)).not.toContain('lac-visit-first');
    expect(dues(state)).toMatchObject({
      'lac-visit-weekly': daysDue(t.day0, 7),
      'lac-info-pack': daysDue(t.day0, 7),
    });
    const visit = async (day: string) => {
      await skipTo(on(day, '12:00'));
      return act(handle, m.visitRecordedUpdate, {
        args: [{ visitedAt: on(day, '10:00'), childSeen: true, actor: sw }],
      });
    };
    expect(latest(await visit(t.day(3)), 'lac-visit-weekly').dueAt).toBe(daysDue(t.day(3), 7));
    await skipTo(t.at(18, '12:00'));
    state = await act(handle, m.reviewHeldUpdate, { args: [{ heldAt: t.at(18, '10:00'), actor: iro }] });
    expect(latest(state, 'lac-visit-ico-reg24').dueAt).toBe(daysDue(t.day(3), 28)); // after the first review: 28 CD from the last visit
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(2);

    // The final hearing: the standard rules apply (⚠C-18), so 6-weekly after the first review.
    state = await act(handle, m.icoReg24EndedUpdate, {
      args: [{ at: t.at(18, '11:00'), reason: 'final_hearing_completed', actor: sw }],
    });
    expect(latest(state, 'lac-visit-ico-reg24')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'visiting cadence changed: final_hearing_completed',
    });
    expect(latest(state, 'lac-visit-6-weekly').dueAt).toBe(daysDue(t.day(3), 42));
    await expect(
      handle.executeUpdate(m.icoReg24EndedUpdate, {
        args: [{ at: t.at(18, '11:00'), reason: 'carer_approved', actor: sw }],
      }),
    ).rejects.toMatchObject({
      cause: { message: 'the placement is not visited under the ICO/Reg 24 rules' },
    });

    // A care order with the child at home: a visit within a week (the Monday is the Summer bank holiday: back to Friday), then 6-weekly.
    await skipTo(t.at(21, '12:00'));
    state = await act(handle, m.careOrderAtHomeUpdate, { args: [{ at: t.at(21, '10:00'), actor: sw }] });
    expect(latest(state, 'lac-visit-care-order-home-first').dueAt).toBe(eod(t.day(25)));
    state = await visit(t.day(23));
    expect(latest(state, 'lac-visit-care-order-home-first')).toMatchObject({ status: 'met', breached: false });
    expect(latest(state, 'lac-visit-care-order-home').dueAt).toBe(daysDue(t.day(23), 42));

    // Placed for adoption (planned, its placement plan done first): a first visit, weekly until the next review, then monthly.
    await skipTo(t.at(30, '12:00'));
    state = await act(handle, m.placementChangedUpdate, {
      args: [
        {
          placementId: 'V1-P2',
          type: 'adoption',
          startAt: t.at(30, '10:00'),
          planned: true,
          placementPlanCompletedAt: t.at(29, '10:00'),
          actor: sw,
        },
      ],
    });
    expect(state.events.at(-1)).toMatchObject({
      type: 'gate_met',
      summary: 'lac-placement-plan met before the placement started',
      actor: 'sw-1',
    });
    expect(latest(state, 'lac-visit-care-order-home')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'a new placement started',
    });
    expect(latest(state, 'lac-visit-first').dueAt).toBe(wdDue(t.day(30), 5));
    expect(latest(await visit(t.day(31)), 'lac-visit-weekly').dueAt).toBe(daysDue(t.day(31), 7)); // ⚠C-18: the first review after the adoption placement is still to come
    await skipTo(t.at(49, '12:00'));
    state = await act(handle, m.reviewHeldUpdate, { args: [{ heldAt: t.at(49, '10:00'), actor: iro }] });
    expect(isWeekend(addMonths(t.day(31), 1))).toBe(true);
    expect(latest(state, 'lac-visit-adoption-monthly').dueAt).toBe(monthsDue(t.day(31), 1)); // a month on is a weekend: back to Friday
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(3);

    // Long-term fostering: 6-weekly, and 3-monthly only once ratified and a year into the placement (⚠C-17).
    await skipTo(t.at(60, '12:00'));
    await handle.executeUpdate(m.placementChangedUpdate, {
      args: [
        {
          placementId: 'V1-P3',
          type: 'foster',
          startAt: t.at(60, '10:00'),
          planned: true,
          placementPlanCompletedAt: t.at(59, '10:00'),
          actor: sw,
        },
      ],
    });
    state = await act(handle, m.visitRecordedUpdate, {
      args: [{ visitedAt: t.at(59, '10:00'), childSeen: true, actor: sw }],
    });
    expect(latest(state, 'lac-visit-first')).toMatchObject({ status: 'pending' }); // a late record from the previous placement
    // Also: the IRO's mid-point review ([P] 10 WD; 003 QS 15.4), and monthly supervision while on a CP plan (003 QS 8.1).
    state = await act(handle, m.midpointRequestedUpdate, { args: [{ at: t.at(60, '10:00'), actor: iro }] });
    expect(latest(state, 'lac-midpoint-review').dueAt).toBe(wdDue(t.day(60), 10));
    state = await act(handle, m.cpPlanStatusUpdate, {
      args: [{ onPlan: true, at: t.at(60, '10:00'), actor: sw }],
    });
    expect(latest(state, 'sup-standard')).toMatchObject({ status: 'cancelled' });
    expect(latest(state, 'sup-cp').dueAt).toBe(monthsDue(t.day(60), 1));
    expect(latest(await visit(t.day(63)), 'lac-visit-6-weekly').dueAt).toBe(daysDue(t.day(63), 42));
    state = await act(handle, m.longTermRatifiedUpdate, { args: [{ at: t.at(63, '15:00'), actor: manager }] });
    expect(latest(state, 'lac-visit-6-weekly')).toMatchObject({ status: 'pending', dueAt: daysDue(t.day(63), 42) }); // not yet a year
    const aYearOn = addDays(addMonths(t.day(60), 12), 1); // the day after the placement's first year
    expect(latest(await visit(aYearOn), 'lac-visit-3-monthly').dueAt).toBe(monthsDue(aYearOn, 3));
    await close(handle, on(addDays(aYearOn, 1), '12:00'));
  });
});
