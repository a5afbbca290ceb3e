/**
 * A looked-after episode from birth to the 18th birthday on the time-skipping server: an
 * emergency admission of a baby of 25 days on a Monday, two placement moves, a long-term
 * ratification, 38 reviews (one late), the health cadence changing at five, and the end at 18,
 * 18 years on. The script reacts to the episode's own due dates as a team would, with two planned
 * lapses; the test then checks every anchor and due instant, the switch points, exactly the planned
 * escalations, that everything stops at 18, and the size of every run's history.
 */
import { describe, expect, it } from 'vitest';
import { calendarFromConfig, loadConfig } from '../../src/config';
import type { LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import type { DeadlineView } from '../../src/process';
import { lookedAfterChild } from '../../workflows';
import * as m from '../../workflows/looked-after-child/messages';
import { emergency } from '../helpers/looked-after';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, addMonths, isWorkingDay, on, wdDue } from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

const calendar = calendarFromConfig(loadConfig({}));
const dayOf = (iso: string) => calendar.localDay(new Date(iso));
const atLocal = (day: string, time: string) => calendar.at(day, time).toISOString();
const workingDaysOn = (iso: string, days: number) => calendar.addWorkingDays(dayOf(iso), days);
const isOpen = (d: DeadlineView) => d.status === 'pending' || d.status === 'overdue';
const later = (a: string, b: string) => (a > b ? a : b);

const sw = { id: 'sw-1', roles: ['social_worker' as const] };
const manager = { id: 'tm-1', roles: ['team_manager' as const] };
const iro = { id: 'iro-1', roles: ['iro' as const] };
const qa = { id: 'qa-1', roles: ['qa_bstl' as const] };

/** Planned lapses: the fifth review is held three working days late; the twentieth visit two. */
const LATE_REVIEW = 5;
const LATE_VISIT = 20;
const VISITS = ['lac-visit-first', 'lac-visit-weekly', 'lac-visit-6-weekly', 'lac-visit-3-monthly'];
const REVIEWS = ['lac-review-1', 'lac-review-2', 'lac-review-n'];

describe('a looked-after episode from birth to eighteen', () => {
  it('runs 18 years: reviews, placement moves, visits and health at the cadence in force, and stops at 18', async () => {
    const started = performance.now();
    const t = await stack.base({ weekday: 'Monday', where: isWorkingDay });
    const ADMITTED = t.at(0, '10:00'); // Monday, 10:00; the child is 25 days old
    const DOB = addDays(t.day0, -25);
    const FIFTH_BIRTHDAY = addMonths(DOB, 60);
    const EIGHTEEN = atLocal(addMonths(DOB, 216), '00:00');
    const SECOND_PLACEMENT = on(calendar.workingDayOnOrAfter(addDays(addMonths(t.day0, 21), -9)), '10:00');
    const THIRD_PLACEMENT = on(calendar.workingDayOnOrAfter(addDays(addMonths(t.day0, 51), -13)), '10:00');
    const RATIFIED = on(calendar.workingDayOnOrAfter(addDays(dayOf(THIRD_PLACEMENT), 133)), '10:00');
    await skipTo(ADMITTED);
    const handle = await startProcess(stack.env.client, lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-Y18',
      args: [
        emergency('Y18', ADMITTED, {
          childDateOfBirth: DOB,
          approval: { by: 'director', at: t.at(0, '09:00'), nextCarePanelDate: calendar.addWorkingDays(t.day0, 7) },
        }),
      ],
    });
    const state = () => handle.query(m.getStateQuery);
    const openOne = (s: LookedAfterState, ids: string[]) => s.deadlines.find((d) => ids.includes(d.id) && isOpen(d));
    let visits = 0;
    let reviewsBooked = 0;

    type Step = { at: string; name: string; run: () => Promise<unknown> };
    const next: Step[] = [];
    const fixed = (at: string, name: string, run: () => Promise<unknown>) => next.push({ at, name, run });
    const upd =
      <A>(update: { name: string }, arg: A) =>
      () =>
        handle.executeUpdate(update.name, { args: [arg] });

    // The first days, done in time (003 QS 14.1–14.7).
    // lac-notify-start is met by the service's own start email.
    fixed(t.at(1, '10:00'), 'placement plan', upd(m.placementPlanAuthorisedUpdate, { actor: manager }));
    fixed(t.at(2, '10:00'), 'care plan', upd(m.carePlanCompletedUpdate, { actor: sw }));
    fixed(t.at(2, '11:00'), 'assessment', upd(m.statutoryAssessmentUpdate, { at: t.at(2, '11:00'), actor: sw }));
    fixed(
      on(calendar.addWorkingDays(t.day0, 7), '10:00'),
      'panel ratified',
      upd(m.panelRatifiedUpdate, { actor: manager }),
    );
    // Two moves (the first visit restarts, the reviews do not) and a long-term ratification.
    for (const [at, placementId] of [
      [SECOND_PLACEMENT, 'Y-P2'],
      [THIRD_PLACEMENT, 'Y-P3'],
    ] as const) {
      fixed(
        at,
        `move to ${placementId}`,
        upd(m.placementChangedUpdate, {
          placementId,
          type: 'foster',
          startAt: at,
          planned: true,
          placementPlanCompletedAt: atLocal(dayOf(at), '08:00'),
          actor: sw,
        }),
      );
      // 000 KE 2.1: business support told at once, and it tells the IRO, school, GP and health the same day.
      const told = new Date(Date.parse(at) + 60_000).toISOString();
      fixed(told, `advise ${placementId}`, upd(m.placementChangeAdvisedUpdate, { actor: sw }));
      const notified = new Date(Date.parse(at) + 3_600_000).toISOString();
      fixed(
        notified,
        `notify ${placementId}`,
        upd(m.placementChangeNotifiedUpdate, {
          notified: ['iro', 'iro_manager', 'school', 'virtual_school', 'gp', 'health'],
          actor: { id: 'cicbs-1', roles: ['cic_business_support'] },
        }),
      );
    }
    fixed(RATIFIED, 'long-term ratified', upd(m.longTermRatifiedUpdate, { at: RATIFIED, actor: manager }));
    // The end at 18 needs a review first (003 QS 15.8): proposed in good time.
    fixed(
      on(calendar.workingDayOnOrAfter(addDays(dayOf(EIGHTEEN), -109)), '10:00'),
      'ceasing proposed',
      upd(m.ceasingProposedUpdate, { reason: 'age_18', proposedFor: EIGHTEEN, actor: sw }),
    );

    /** Routine work, timed from the episode's own open deadlines. */
    const routine = (s: LookedAfterState, now: string): Step[] => {
      if (s.stage === 'ended') return [];
      const steps: Step[] = [];
      const before = (d: DeadlineView, days: number, time: string) =>
        later(atLocal(calendar.workingDayOnOrBefore(calendar.addCalendarDays(dayOf(d.dueAt), -days)), time), now);
      const visit = openOne(s, VISITS);
      if (visit) {
        const day = visits + 1 === LATE_VISIT ? workingDaysOn(visit.dueAt, 2) : workingDaysOn(visit.dueAt, -1);
        const at = later(atLocal(day, '11:00'), now);
        const joint = s.deadlines.some((d) => d.id === 'lac-joint-visit-ssw' && isOpen(d));
        const infoPack = s.deadlines.some((d) => d.id === 'lac-info-pack' && isOpen(d));
        steps.push({
          at,
          name: 'visit',
          run: async () => {
            visits += 1;
            await handle.executeUpdate(m.visitRecordedUpdate, {
              args: [{ visitedAt: at, childSeen: true, jointWithSsw: joint, actor: sw }],
            });
            if (infoPack) await handle.executeUpdate(m.infoPackGivenUpdate, { args: [{ at, actor: sw }] });
          },
        });
      }
      const recurring: Array<[string[], number, (at: string) => Promise<unknown>]> = [
        [
          ['lac-health-initial', 'lac-health-review'],
          3,
          (at) => handle.executeUpdate(m.healthAssessmentUpdate, { args: [{ at, actor: sw }] }),
        ],
        [['lac-dental'], 3, (at) => handle.executeUpdate(m.dentalCheckUpdate, { args: [{ at, actor: sw }] })],
        [
          ['sup-standard'],
          3,
          (at) => handle.executeUpdate(m.supervisionRecordedUpdate, { args: [{ at, actor: manager }] }),
        ],
        [
          ['lac-annual-assessment'],
          5,
          (at) => handle.executeUpdate(m.statutoryAssessmentUpdate, { args: [{ at, actor: sw }] }),
        ],
      ];
      for (const [ids, days, run] of recurring) {
        const d = openOne(s, ids);
        if (d) steps.push({ at: before(d, days, '10:00'), name: d.id, run: () => run(before(d, days, '10:00')) });
      }
      // Reviews: booked a month ahead, the deadlines before them met six working days ahead, held two working days early (one late).
      const review = openOne(s, REVIEWS);
      const reviewedBeforeEnd = s.deadlines.some((d) => d.id === 'lac-review-before-ceasing' && d.status === 'met');
      if (review && !s.reviews.scheduledStart && !reviewedBeforeEnd) {
        const late = s.reviews.held + 1 === LATE_REVIEW;
        let day = workingDaysOn(review.dueAt, late ? 3 : -2);
        if (s.stage === 'ceasing_proposed' && atLocal(day, '10:00') > EIGHTEEN)
          day = calendar.addWorkingDays(dayOf(EIGHTEEN), -6);
        const start = atLocal(day, '10:00');
        steps.push({
          at: later(atLocal(calendar.workingDayOnOrBefore(calendar.addCalendarDays(day, -30)), '09:00'), now),
          name: 'book review',
          run: async () => {
            reviewsBooked += 1;
            await handle.executeUpdate(m.reviewScheduledUpdate, { args: [{ scheduledStart: start, actor: qa }] });
          },
        });
      }
      if (s.reviews.scheduledStart) {
        const start = s.reviews.scheduledStart;
        const gatesAt = atLocal(workingDaysOn(start, -6), '09:30');
        const gates: Array<[string, { name: string }, object]> = [
          ['lac-review-consultation', m.consultationSentUpdate, { actor: qa }],
          ['lac-review-careplan-check', m.carePlanCheckedUpdate, { actor: iro }],
          ['lac-review-plans-qa', m.plansQaUpdate, { actor: iro }],
          ['lac-review-report', m.reviewReportUpdate, { actor: sw }],
          ['lac-permanence-meeting', m.permanenceMeetingUpdate, { actor: sw }],
        ];
        for (const [id, update, arg] of gates) {
          if (s.deadlines.some((d) => d.id === id && isOpen(d)))
            steps.push({
              at: later(gatesAt, now),
              name: id,
              run: () => handle.executeUpdate(update.name, { args: [{ ...arg, at: later(gatesAt, now) }] }),
            });
        }
        if (s.deadlines.some((d) => d.id === 'lac-permanence-plan' && isOpen(d))) {
          steps.push({
            at: later(gatesAt, now),
            name: 'permanence plan',
            run: () =>
              handle.executeUpdate(m.permanencePlanUpdate, {
                args: [{ at: later(gatesAt, now), route: 'long_term_fostering', actor: sw }],
              }),
          });
        }
        steps.push({
          at: start,
          name: `review ${s.reviews.held + 1}`,
          run: async () => {
            const cycle = (await state()).cycle;
            await handle.executeUpdate(m.reviewHeldUpdate, { args: [{ heldAt: start, actor: iro }] });
            await expect.poll(async () => (await state()).cycle, { timeout: 10_000 }).toBe(cycle + 1); // continued as new
          },
        });
      }
      const recs = openOne(s, ['lac-iro-recommendations']);
      if (recs)
        steps.push({
          at: atLocal(workingDaysOn(recs.anchorAt, 2), '11:00'),
          name: 'recommendations',
          run: () =>
            handle.executeUpdate(m.recommendationsIssuedUpdate, {
              args: [{ at: atLocal(workingDaysOn(recs.anchorAt, 2), '11:00'), actor: iro }],
            }),
        });
      const response = openOne(s, ['lac-manager-recs-response']);
      if (response)
        steps.push({
          at: atLocal(workingDaysOn(response.anchorAt, 1), '11:00'),
          name: 'response',
          run: () => handle.executeUpdate(m.managerResponseUpdate, { args: [{ agreed: true, actor: manager }] }),
        });
      const record = openOne(s, ['lac-iro-record']);
      if (record)
        steps.push({
          at: atLocal(workingDaysOn(record.anchorAt, 10), '11:00'),
          name: 'IRO record',
          run: () =>
            handle.executeUpdate(m.iroRecordIssuedUpdate, {
              args: [{ at: atLocal(workingDaysOn(record.anchorAt, 10), '11:00'), actor: iro }],
            }),
        });
      return steps.filter((step) => step.at < EIGHTEEN); // the episode ends by law at 18
    };

    next.sort((a, b) => a.at.localeCompare(b.at));
    let steps = 0;
    for (;;) {
      const s = await state();
      const now = new Date(await stack.env.currentTimeMs()).toISOString();
      const candidates = [...next.slice(0, 1), ...routine(s, now)].sort((a, b) => a.at.localeCompare(b.at));
      const step = candidates[0];
      if (!step) break;
      if (step === next[0]) next.shift();
      // Steps at one instant run one after the other; the clock has moved on a few milliseconds meanwhile.
      if (Date.parse(step.at) > Date.parse(now) + 60_000) await skipTo(step.at);
      await step.run();
      steps += 1;
    }
    // Nothing is owed after the end: the workflow completes at the 18th birthday.
    await skipTo(atLocal(dayOf(EIGHTEEN), '07:00'));
    await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
    const final = await state();
    const wallSeconds = (performance.now() - started) / 1000;

    expect(final).toMatchObject({ stage: 'ended', status: 'closed', ending: { reason: 'age_18', at: EIGHTEEN } });
    expect(final.deadlines.filter(isOpen)).toEqual([]);
    expect(final.reviews.held).toBe(reviewsBooked);
    expect(final.reviews.held).toBeGreaterThanOrEqual(35);
    expect(final.links.previousRuns).toHaveLength(final.reviews.held); // a run per review cycle
    expect(final.deadlines.find((d) => d.id === 'lac-review-before-ceasing')).toMatchObject({ status: 'met' }); // a review before the end

    const byId = (id: string) => final.deadlines.filter((d) => d.id === id);
    // ⚠C-11: each recurrence counts from the last actual occurrence.
    const chains: string[][] = [
      ['lac-health-initial', 'lac-health-review'],
      ['lac-dental'],
      ['sup-standard'],
      ['lac-assessment-before', 'lac-annual-assessment'],
      REVIEWS,
    ];
    for (const ids of chains) {
      const chain = final.deadlines
        .filter((d) => ids.includes(d.id))
        .sort((a, b) => a.anchorAt.localeCompare(b.anchorAt));
      for (let i = 1; i < chain.length; i++)
        expect(chain[i]!.anchorAt, `${chain[i]!.id} #${chain[i]!.occurrence}`).toBe(chain[i - 1]!.metAt);
    }
    const visitDeadlines = final.deadlines.filter((d) => VISITS.includes(d.id));
    const visitAnchors = new Set([ADMITTED, SECOND_PLACEMENT, THIRD_PLACEMENT, ...visitDeadlines.map((d) => d.metAt)]);
    for (const d of visitDeadlines)
      expect(visitAnchors.has(d.anchorAt), `${d.id} #${d.occurrence} from ${d.anchorAt}`).toBe(true);

    // Every due instant from its anchor, by the rule's duration (and the health cadence by age at the assessment).
    const wd = (n: number) => (anchor: string) => calendar.workingDayDue(calendar.addWorkingDays(dayOf(anchor), n));
    const daysOn = (n: number) => (anchor: string) => calendar.dayRuleDue(calendar.addCalendarDays(dayOf(anchor), n));
    const monthsOn = (n: number) => (anchor: string) =>
      calendar.dayRuleDue(calendar.addCalendarMonths(dayOf(anchor), n));
    const expected: Record<string, (anchor: string) => Date> = {
      'lac-visit-first': wd(5),
      'lac-visit-weekly': daysOn(7),
      'lac-visit-6-weekly': daysOn(42),
      'lac-visit-3-monthly': monthsOn(3),
      'lac-health-review': (anchor) => monthsOn(dayOf(anchor) < FIFTH_BIRTHDAY ? 6 : 12)(anchor),
      'lac-dental': monthsOn(6),
      'sup-standard': monthsOn(3),
      'lac-annual-assessment': monthsOn(12),
      'lac-assessment-before': wd(10),
      'lac-care-plan': wd(10),
      'lac-placement-plan': daysOn(5),
      'lac-review-1': wd(20),
      'lac-review-2': monthsOn(3),
      'lac-review-n': monthsOn(6),
      'lac-review-consultation': wd(-5),
      'lac-review-careplan-check': wd(-3),
      'lac-review-plans-qa': wd(-3),
      'lac-review-report': wd(-2),
      'lac-iro-recommendations': wd(5),
      'lac-iro-record': wd(20),
      'lac-manager-recs-response': wd(5),
      'lac-notify-start': (anchor) => new Date(Date.parse(anchor) + 24 * 3_600_000),
    };
    for (const d of final.deadlines.filter((x) => expected[x.id])) {
      expect(d.dueAt, `${d.id} #${d.occurrence} from ${d.anchorAt}`).toBe(expected[d.id]!(d.anchorAt).toISOString());
    }

    // Switch points. Weekly visits stop at the first review; 6-weekly from then on.
    const firstReviewHeld = byId('lac-review-1')[0]!.metAt!;
    expect(byId('lac-visit-weekly').every((d) => d.anchorAt < firstReviewHeld)).toBe(true);
    expect(byId('lac-visit-6-weekly')[0]!.anchorAt < firstReviewHeld).toBe(true); // re-armed at the review from the last visit
    // Each move restarts the first visit (5 WD) but never the review cycle.
    expect(byId('lac-visit-first').map((d) => [d.anchorAt, d.dueAt])).toEqual([
      [ADMITTED, wdDue(t.day0, 5)],
      [SECOND_PLACEMENT, wdDue(dayOf(SECOND_PLACEMENT), 5)],
      [THIRD_PLACEMENT, wdDue(dayOf(THIRD_PLACEMENT), 5)],
    ]);
    expect(final.events.filter((e) => e.type === 'review_held')).toHaveLength(final.reviews.held);
    // 3-monthly visits only once ratified long-term AND the placement's first year is over.
    const threeMonthly = byId('lac-visit-3-monthly');
    const firstVisitAfterYear = visitDeadlines
      .map((d) => d.metAt!)
      .filter((at) => at && at >= addMonths(dayOf(THIRD_PLACEMENT), 12))
      .sort()[0];
    expect(threeMonthly[0]!.anchorAt).toBe(firstVisitAfterYear);
    expect(byId('lac-visit-6-weekly').every((d) => d.anchorAt < firstVisitAfterYear!)).toBe(true);
    // Health: 6-monthly while under five on the assessment's date, 12-monthly after.
    const health = byId('lac-health-review');
    expect(health.filter((d) => dayOf(d.anchorAt) < FIFTH_BIRTHDAY).length).toBeGreaterThanOrEqual(9);
    expect(health.filter((d) => dayOf(d.anchorAt) >= FIFTH_BIRTHDAY).length).toBeGreaterThanOrEqual(11);

    // Exactly the planned lapses escalated (the late visit met before its PGL step; the late review before its HoS step).
    const escalations = stack.smtp.messages
      .map((mail) => mail.messageId)
      .filter((id) => id.startsWith('<lac-Y18.') && /\.(overdue|escalation-\d+)@/.test(id))
      .sort();
    const lateVisit = [...visitDeadlines]
      .sort((a, b) => a.anchorAt.localeCompare(b.anchorAt))
      .filter((d) => d.status === 'met')[LATE_VISIT - 1]!;
    const lateReview = final.deadlines.filter((d) => REVIEWS.includes(d.id))[LATE_REVIEW - 1]!;
    expect(lateReview.breached).toBe(true);
    expect(escalations).toEqual(
      [
        `<lac-Y18.${lateReview.id}.${lateReview.occurrence}.r0.overdue@test.example>`,
        `<lac-Y18.${lateVisit.id}.${lateVisit.occurrence}.r0.overdue@test.example>`,
      ].sort(),
    );
    // Nothing was sent after the end.
    const sent = stack.smtp.messages.filter((mail) => mail.messageId.startsWith('<lac-Y18.'));
    expect(
      sent.every(
        (mail) =>
          Date.parse(mail.parsed.date!.toISOString()) <= Date.parse(EIGHTEEN) || mail.messageId.includes('ceased'),
      ),
    ).toBe(true);

    const runs = [...final.links.previousRuns, (await handle.describe()).runId];
    const lengths: number[] = [];
    for (const runId of runs)
      lengths.push((await stack.env.client.workflow.getHandle('lac-Y18', runId).fetchHistory()).events!.length);
    expect(Math.max(...lengths)).toBeLessThan(2_000);
    console.info(
      `birth-to-18 episode: ${final.reviews.held} reviews, ${steps} recorded events, ${final.deadlines.length} deadlines, ${sent.length} emails, wall ${wallSeconds.toFixed(1)} s, final state ${Math.round(JSON.stringify(final).length / 1024)} KiB, ${runs.length} runs, history events per run min ${Math.min(...lengths)} / max ${Math.max(...lengths)}`,
    );
  }, 900_000);
});
