/**
 * A child protection plan over nearly three years on the time-skipping server: an ICPC on a
 * Wednesday, core groups, visits, supervision and six review conferences (two late, two moved), ended
 * at the sixth. The script reacts to the plan's own due dates as a team would, with a few planned
 * lapses; the test then checks every deadline's anchor and due instant, that exactly the planned
 * lapses escalated, and the size of every run's history (continue-as-new per review cycle).
 */
import { describe, expect, it } from 'vitest';
import { calendarFromConfig, loadConfig } from '../../src/config';
import type { PlanState } from '../../src/processes/child-protection-plan/schemas';
import type { DeadlineView } from '../../src/process';
import { childProtectionPlan } from '../../workflows';
import * as m from '../../workflows/child-protection-plan/messages';
import { actors } from '../helpers/s47';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, addMonths, isWorkingDay, monthsDue, on, wdDue, weekday } from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

const calendar = calendarFromConfig(loadConfig({}));
const dayOf = (iso: string) => calendar.localDay(new Date(iso));
const atLocal = (day: string, time: string) => calendar.at(day, time).toISOString();
const workingDayBefore = (iso: string, days: number) => calendar.addWorkingDays(dayOf(iso), -days);
const isOpen = (d: DeadlineView) => d.status === 'pending' || d.status === 'overdue';

interface Review {
  bookedOn: string;
  start: string;
  movedOn?: string;
  movedTo?: string;
  decision?: 'discontinue';
  /** When the review falls due (the first 3 months from the ICPC, each later 6 months from the last held). */
  due: string;
}
/**
 * Each review: when it is booked (five weeks ahead), where it is moved (if it is, three weeks
 * ahead), when it is held and the decision, in working days from its due day.
 */
function schedule(icpcDay: string): Review[] {
  const plan: Array<{ start: number; moveTo?: number; decision?: 'discontinue' }> = [
    { start: -2 }, // the first review within 3 months
    { start: -5, moveTo: -2 }, // moved, still in time
    { start: 6 }, // late (its due day is a Friday: six months on was a Saturday)
    { start: -4, moveTo: -2 }, // moved, in time
    { start: 6 }, // late
    { start: -4, decision: 'discontinue' },
  ];
  const reviews: Review[] = [];
  let due = monthsDue(icpcDay, 3);
  for (const step of plan) {
    const start = calendar.addWorkingDays(dayOf(due), step.start);
    const held = step.moveTo === undefined ? start : calendar.addWorkingDays(dayOf(due), step.moveTo);
    reviews.push({
      bookedOn: calendar.workingDayOnOrAfter(addDays(start, -35)),
      start,
      ...(step.moveTo === undefined
        ? {}
        : { movedOn: calendar.workingDayOnOrAfter(addDays(start, -21)), movedTo: held }),
      ...(step.decision ? { decision: step.decision } : {}),
      due,
    });
    due = monthsDue(held, 6);
  }
  return reviews;
}
const held = (review: Review) => review.movedTo ?? review.start;
/** The report, the meeting with the family and the assessment: six working days before each review. */
const gatesOf = (review: Review) => atLocal(calendar.addWorkingDays(held(review), -6), '09:30');
/**
 * An ICPC whose schedule has what the test checks: six months after the second review is a
 * Saturday; each review's updated assessment is in time for the 6-monthly clock except at the two
 * late reviews, which are past its last escalation step.
 */
function fitsTheScript(icpcDay: string): boolean {
  if (!isWorkingDay(icpcDay)) return false;
  const reviews = schedule(icpcDay);
  if (weekday(addMonths(held(reviews[1]!), 6)) !== 6) return false;
  let assessmentDue = monthsDue(icpcDay, 6);
  for (const [i, review] of reviews.entries()) {
    const late = i === 2 || i === 4;
    const gates = gatesOf(review);
    if (late !== dayOf(gates) > dayOf(assessmentDue)) return false;
    if (late && wdDue(dayOf(assessmentDue), 3) >= gates) return false;
    assessmentDue = monthsDue(dayOf(gates), 6);
  }
  return true;
}
/** The fifth visit is made two working days late: X-VISIT fires, the visit stops the ladder. */
const LATE_VISIT = 5;
/** From the first core group after the first review, the plan asks for visits every 8 WD. */
const SHORTER_VISITS_WD = 8;

describe('a child protection plan over nearly three years', () => {
  it('runs ICPC → six reviews → discontinued, each deadline from its last actual occurrence, escalating only where the team was late', async () => {
    const started = performance.now();
    const t = await stack.base({ weekday: 'Wednesday', where: fitsTheScript });
    const ICPC = t.at(0, '10:00'); // Wednesday, 10:00
    const reviews = schedule(t.day0);
    const dateOfBirth = addMonths(t.day0, -113); // nine years and five months old
    const last = reviews[5]!;
    await skipTo(ICPC);
    const handle = await startProcess(stack.env.client, childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-Y3',
      args: [
        {
          planId: 'Y3',
          caseReference: 'CASE-Y3',
          childReference: 'C1',
          icpcHeldAt: ICPC,
          childDateOfBirth: dateOfBirth,
          people: {},
        },
      ],
    });
    const state = () => handle.query(m.getStateQuery);
    const current = (s: PlanState, id: string) => s.deadlines.find((d) => d.id === id && isOpen(d));
    let shorterVisitsFrom: string | undefined;
    let visits = 0;

    // The script: fixed conference events, plus visits, core groups and supervision timed from the plan's own due dates.
    type Step = { at: string; name: string; run: () => Promise<unknown> };
    const fixed: Step[] = [
      ...(['cp-outcome-circulate', 'cp-outline-plan', 'cp-record-plan-circulate', 'cp-minutes-circulate'] as const).map(
        (output) => ({
          at: atLocal(dayOf(ICPC), '15:00'),
          name: output,
          run: () => handle.executeUpdate(m.conferenceOutputUpdate, { args: [{ output, actor: actors.qa }] }),
        }),
      ),
    ];
    reviews.forEach((review, i) => {
      const start = atLocal(review.movedTo ?? review.start, '10:00');
      const gatesAt = atLocal(workingDayBefore(start, 6), '09:30');
      fixed.push({
        at: atLocal(review.bookedOn, '09:00'),
        name: `book review ${i + 1}`,
        run: () =>
          handle.executeUpdate(m.reviewScheduledUpdate, {
            args: [{ scheduledStart: atLocal(review.start, '10:00'), actor: actors.qa }],
          }),
      });
      if (review.movedOn) {
        fixed.push({
          at: atLocal(review.movedOn, '09:00'),
          name: `move review ${i + 1}`,
          run: () =>
            handle.executeUpdate(m.reviewRescheduledUpdate, {
              args: [{ scheduledStart: start, reason: 'Chair unavailable', actor: actors.qa }],
            }),
        });
      }
      fixed.push({
        at: gatesAt,
        name: 'report shared',
        run: () => handle.executeUpdate(m.reportSharedUpdate, { args: [{ at: gatesAt, actor: actors.socialWorker }] }),
      });
      fixed.push({
        at: gatesAt,
        name: 'chair met family',
        run: () => handle.executeUpdate(m.chairMetFamilyUpdate, { args: [{ at: gatesAt, actor: actors.chair }] }),
      });
      fixed.push({
        at: gatesAt,
        name: 'assessment updated',
        run: () =>
          handle.executeUpdate(m.assessmentUpdatedUpdate, { args: [{ at: gatesAt, actor: actors.socialWorker }] }),
      });
      fixed.push({
        at: start,
        name: `review ${i + 1}`,
        run: async () => {
          const cycle = (await state()).cycle;
          await handle.executeUpdate(m.reviewHeldUpdate, {
            args: [{ heldAt: start, decision: review.decision ?? 'continue', actor: actors.chair }],
          });
          if (!review.decision) await expect.poll(async () => (await state()).cycle).toBe(cycle + 1); // continued as new
        },
      });
      for (const output of ['cp-outcome-circulate', 'cp-record-plan-circulate', 'cp-minutes-circulate'] as const) {
        fixed.push({
          at: atLocal(dayOf(start), '15:00'),
          name: output,
          run: () => handle.executeUpdate(m.conferenceOutputUpdate, { args: [{ output, actor: actors.qa }] }),
        });
      }
    });
    const agenciesTold = on(calendar.addWorkingDays(held(last), 1), '10:00');
    const cinMeeting = on(calendar.addWorkingDays(held(last), 8), '10:00');
    const afterEnd: Step[] = [
      {
        at: agenciesTold,
        name: 'agencies told',
        run: () =>
          handle.executeUpdate(m.discontinuationNotifiedUpdate, {
            args: [{ at: agenciesTold, actor: actors.socialWorker }],
          }),
      },
      {
        at: cinMeeting,
        name: 'CIN meeting',
        run: () =>
          handle.executeUpdate(m.cinPlanningMeetingHeldUpdate, {
            args: [{ at: cinMeeting, actor: actors.socialWorker }],
          }),
      },
    ];

    const routine = (s: PlanState): Step[] => {
      if (s.stage !== 'active') return [];
      const visit = current(s, 'cp-visit')!;
      const visitDay =
        visits + 1 === LATE_VISIT
          ? calendar.addWorkingDays(dayOf(visit.dueAt), 2)
          : calendar.addWorkingDays(dayOf(visit.dueAt), -1);
      const coreGroup = current(s, 'cp-first-core-group') ?? current(s, 'cp-core-group')!;
      const supervision = current(s, 'sup-cp')!;
      const visitAt = atLocal(visitDay, '11:00');
      const coreGroupAt = atLocal(
        calendar.workingDayOnOrBefore(calendar.addCalendarDays(dayOf(coreGroup.dueAt), -2)),
        '14:00',
      );
      const supervisionAt = atLocal(
        calendar.workingDayOnOrBefore(calendar.addCalendarDays(dayOf(supervision.dueAt), -3)),
        '11:30',
      );
      const shorten = !shorterVisitsFrom && s.reviews.held >= 1;
      return [
        {
          at: visitAt,
          name: 'visit',
          run: async () => {
            visits += 1;
            return handle.executeUpdate(m.visitRecordedUpdate, {
              args: [{ visitedAt: visitAt, childSeen: true, actor: actors.socialWorker }],
            });
          },
        },
        {
          at: coreGroupAt,
          name: 'core group',
          run: () => {
            if (shorten) shorterVisitsFrom = coreGroupAt;
            return handle.executeUpdate(m.coreGroupHeldUpdate, {
              args: [
                {
                  heldAt: coreGroupAt,
                  ...(shorten ? { visitIntervalWorkingDays: SHORTER_VISITS_WD } : {}),
                  actor: actors.teamManager,
                },
              ],
            });
          },
        },
        {
          at: supervisionAt,
          name: 'supervision',
          run: () =>
            handle.executeUpdate(m.supervisionRecordedUpdate, {
              args: [{ at: supervisionAt, actor: actors.teamManager }],
            }),
        },
      ];
    };

    const pending = [...fixed, ...afterEnd].sort((a, b) => a.at.localeCompare(b.at));
    let steps = 0;
    while (pending.length > 0) {
      const s = await state();
      const next = [pending[0]!, ...routine(s)].sort((a, b) => a.at.localeCompare(b.at))[0]!;
      if (next === pending[0]) pending.shift();
      // Steps at one instant run one after the other; the clock has moved on a few milliseconds meanwhile.
      if (Date.parse(next.at) > (await stack.env.currentTimeMs()) + 60_000) await skipTo(next.at);
      await next.run();
      steps += 1;
    }
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    const final = await state();
    const wallSeconds = (performance.now() - started) / 1000;

    // The whole story is in the last run's state: six reviews, six runs, nothing left open.
    expect(final).toMatchObject({
      stage: 'ended',
      status: 'closed',
      cycle: 6,
      reviews: { held: 6 },
      ending: { reason: 'discontinued_at_review', at: atLocal(held(last), '10:00') },
    });
    expect(final.deadlines.filter(isOpen)).toEqual([]);
    expect(final.links.previousRuns).toHaveLength(5);

    const byId = (id: string) => final.deadlines.filter((d) => d.id === id);
    // ⚠C-11: every recurrence counts from the last actual occurrence (the one that met the previous due).
    for (const [first, later] of [
      ['cp-first-core-group', 'cp-core-group'],
      ['cp-visit', 'cp-visit'],
      ['sup-cp', 'sup-cp'],
      ['cp-first-rcpc', 'cp-rcpc'],
    ] as const) {
      const chain = first === later ? byId(first) : [...byId(first), ...byId(later)];
      for (let i = 1; i < chain.length; i++) {
        if (chain[i - 1]!.status !== 'met') continue; // the last one, cancelled at the end
        expect(chain[i]!.anchorAt, `${chain[i]!.id} #${chain[i]!.occurrence}`).toBe(chain[i - 1]!.metAt);
      }
    }
    // Every due instant, from its anchor, by the duration the rules and the plan's intervals give.
    const wd = (n: number) => (anchor: string) => calendar.workingDayDue(calendar.addWorkingDays(dayOf(anchor), n));
    const monthsOn = (n: number) => (anchor: string) =>
      calendar.dayRuleDue(calendar.addCalendarMonths(dayOf(anchor), n));
    const expected: Record<string, (anchor: string) => Date> = {
      'cp-outcome-circulate': (anchor) => new Date(Date.parse(anchor) + 24 * 3_600_000),
      'cp-outline-plan': wd(1),
      'cp-record-plan-circulate': wd(5),
      'cp-minutes-circulate': wd(20),
      'cp-first-core-group': wd(10),
      'cp-core-group': (anchor) => calendar.dayRuleDue(calendar.addCalendarDays(dayOf(anchor), 28)),
      'cp-visit': (anchor) => wd(shorterVisitsFrom && anchor > shorterVisitsFrom ? SHORTER_VISITS_WD : 10)(anchor),
      'cp-first-rcpc': monthsOn(3),
      'cp-rcpc': monthsOn(6),
      'sup-cp': monthsOn(1),
      'cp-assessment-6-monthly': monthsOn(6),
      'cp-rcpc-report-share': (anchor) => calendar.workingDayDue(calendar.addWorkingDays(dayOf(anchor), -5)),
      'cp-rcpc-chair-meets-parents': (anchor) => new Date(anchor),
      'cp-rcpc-assessment-updated': (anchor) => calendar.workingDayDue(calendar.addWorkingDays(dayOf(anchor), -5)),
      'cp-discontinue-notify': wd(1),
      'cp-cin-after-plan': wd(10),
      'cp-age-18-review': monthsOn(216),
    };
    for (const d of final.deadlines) {
      expect(expected[d.id], `a rule the test knows: ${d.id}`).toBeDefined();
      expect(d.dueAt, `${d.id} #${d.occurrence} from ${d.anchorAt}`).toBe(expected[d.id]!(d.anchorAt).toISOString());
    }
    // Spot checks from the script: the review clocks, and a moved review's report re-armed from the new date.
    expect(byId('cp-first-rcpc')[0]!.dueAt).toBe(reviews[0]!.due);
    expect(dayOf(reviews[2]!.due)).toBe(addDays(addMonths(held(reviews[1]!), 6), -1)); // a Saturday: due the Friday before
    expect(byId('cp-rcpc').map((d) => [d.dueAt, d.breached])).toEqual([
      [reviews[1]!.due, false],
      [reviews[2]!.due, true],
      [reviews[3]!.due, false],
      [reviews[4]!.due, true],
      [reviews[5]!.due, false],
    ]);
    expect(byId('cp-rcpc-report-share')[1]).toMatchObject({
      dueAt: wdDue(reviews[1]!.movedTo!, -5),
      rescheduled: [expect.objectContaining({ from: wdDue(reviews[1]!.start, -5), reason: 'Chair unavailable' })],
    });
    expect(byId('cp-visit').length).toBeGreaterThan(70);
    // Each review's updated assessment restarts the 6-monthly clock, so only the two late reviews let it lapse.
    expect(
      byId('cp-assessment-6-monthly')
        .filter((d) => d.breached)
        .map((d) => [d.occurrence, d.dueAt]),
    ).toEqual([
      [3, monthsDue(dayOf(gatesOf(reviews[1]!)), 6)],
      [5, monthsDue(dayOf(gatesOf(reviews[3]!)), 6)],
    ]);
    expect(byId('cp-age-18-review')[0]).toMatchObject({ status: 'cancelled', dueAt: monthsDue(dateOfBirth, 216) });

    // Exactly the planned lapses escalated: the late visit (stopped by the visit before the PGL step),
    // the two late reviews, and the assessments those reviews' lateness let lapse (X-CP: both steps).
    const lateVisit = byId('cp-visit')[LATE_VISIT - 1]!;
    expect(lateVisit).toMatchObject({ breached: true, escalationLevel: 0 });
    const escalations = stack.smtp.messages
      .map((mail) => mail.messageId)
      .filter((id) => id.startsWith('<cpp-Y3.') && /\.(overdue|escalation-\d+)@/.test(id))
      .sort();
    expect(escalations).toEqual(
      [
        `<cpp-Y3.cp-visit.${LATE_VISIT}.r0.overdue@test.example>`,
        '<cpp-Y3.cp-rcpc.2.r0.overdue@test.example>',
        '<cpp-Y3.cp-rcpc.2.r0.escalation-1@test.example>',
        '<cpp-Y3.cp-rcpc.4.r0.overdue@test.example>',
        '<cpp-Y3.cp-rcpc.4.r0.escalation-1@test.example>',
        ...[3, 5].flatMap((n) =>
          ['overdue', 'escalation-1', 'escalation-2'].map(
            (step) => `<cpp-Y3.cp-assessment-6-monthly.${n}.r0.${step}@test.example>`,
          ),
        ),
      ].sort(),
    );
    const [lateReview] = stack.smtp.messages.filter(
      (mail) => mail.messageId === '<cpp-Y3.cp-rcpc.2.r0.escalation-1@test.example>',
    );
    expect(lateReview!.to).toEqual(['head-of-service@example.test']); // X-CONF

    // Every run's history stays small (§1.4): continue-as-new at each review cycle.
    const runs = [...final.links.previousRuns, (await handle.describe()).runId];
    const lengths: number[] = [];
    for (const runId of runs)
      lengths.push((await stack.env.client.workflow.getHandle('cpp-Y3', runId).fetchHistory()).events!.length);
    expect(Math.max(...lengths)).toBeLessThan(2_000);
    console.info(
      `three-year plan: ${steps} recorded events, ${final.deadlines.length} deadlines, ${stack.smtp.messages.length} emails, wall ${wallSeconds.toFixed(1)} s, history events per run ${lengths.join(', ')}`,
    );
  }, 600_000);
});
