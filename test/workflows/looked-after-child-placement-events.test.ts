/**
 * A placement change's key events on the looked-after episode (docs/deadlines.md §7.2, 000 KE 2.1)
 * and its education gate (§5.3, 003 QS 14.14), on the time-skipping server: who is told, by when,
 * counted from the decision for a planned move and from the move for an unplanned one.
 */
import { describe, expect, it } from 'vitest';
import type { LookedAfterInput, LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import type { Actor } from '../../src/process';
import { lookedAfterChild } from '../../workflows';
import * as m from '../../workflows/looked-after-child/messages';
import { actOn } from '../helpers/act';
import { emergency } from '../helpers/looked-after';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE, terminateWhenSettled } from '../helpers/temporal';
import { addDays, addWD, eod, isWorkingDay, on, plusMs, wdDue } from '../helpers/time-base';

const stack = useTimeSkippingStack();
const { skipTo } = stack;

const sw: Actor = { id: 'sw-1', roles: ['social_worker'] };
const support: Actor = { id: 'cicbs-1', roles: ['cic_business_support'] };
const act = actOn(m.getStateQuery);
const latest = (state: LookedAfterState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1);
const EVERYONE = ['iro', 'iro_manager', 'school', 'virtual_school', 'gp', 'health'] as const;

async function start(input: LookedAfterInput) {
  const handle = await startProcess(stack.env.client, lookedAfterChild, {
    taskQueue: TASK_QUEUE,
    workflowId: `lac-${input.episodeId}`,
    args: [input],
  });
  await expect.poll(async () => (await handle.query(m.getStateQuery)).notices.length, { timeout: 20_000 }).toBe(1);
  return handle;
}

describe('placement change key events (000 KE 2.1, 003 QS 14.14)', () => {
  it('a planned move in a GCSE year: advice from the decision, notices capped at the move, GP, Virtual Head', async () => {
    const t = await stack.base({
      weekday: 'Monday',
      where: (d) => [0, 1, 2, 3, 4].every((n) => isWorkingDay(addDays(d, n))), // Monday to Friday, no bank holiday
    });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(emergency('PE1', t.at(0, '09:30'), { education: { stage: 'gcse_year' } }));

    // Decided before SOD on the Wednesday: that day's EOD (a move before SOD belongs to its day, as ⚠C-22).
    await skipTo(t.at(2, '10:30'));
    let state = await act(handle, m.placementChangedUpdate, {
      args: [
        {
          placementId: 'PE1-P2',
          type: 'foster',
          startAt: t.at(2, '10:00'),
          planned: true,
          decidedAt: t.at(2, '08:00'),
          schoolChanges: false,
          gpChanges: true,
          placementPlanCompletedAt: t.at(2, '08:30'),
          actor: sw,
        },
      ],
    });
    expect(latest(state, 'kev-placement-advise')).toMatchObject({
      anchorAt: t.at(2, '08:00'),
      dueAt: eod(t.day(2)),
      status: 'pending',
    });
    expect(latest(state, 'kev-gp-registration')).toMatchObject({
      anchorAt: t.at(2, '10:00'),
      dueAt: wdDue(t.day(2), 10),
    });
    // 003 QS 14.14: a GCSE year, even with the school unchanged; a gate due at the move, not met before it.
    expect(latest(state, 'lac-education-stability')).toMatchObject({ dueAt: t.at(2, '10:00') });
    await expect
      .poll(async () => latest(await handle.query(m.getStateQuery), 'lac-education-stability')?.status)
      .toBe('overdue');
    const [gate] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-PE1.lac-education-stability.1.r0.overdue@test.example>',
    );
    expect(gate!.to).toEqual(['team-manager@example.test', 'virtual-school@example.test']);

    // Business support told at 09:00, before the move: the notices are due 1 WD on, but a planned
    // move caps them at the move itself (recorded at 16:31, so already late).
    await skipTo(t.at(2, '16:31'));
    state = await act(handle, m.placementChangeAdvisedUpdate, { args: [{ at: t.at(2, '09:00'), actor: sw }] });
    expect(latest(state, 'kev-placement-advise')).toMatchObject({ status: 'met', breached: false });
    expect(latest(state, 'kev-placement-notify')).toMatchObject({
      anchorAt: t.at(2, '09:00'),
      dueAt: t.at(2, '10:00'),
    });
    const [late] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-PE1.kev-placement-notify.1.r0.overdue@test.example>',
    );
    expect(late!.to).toEqual(['team-manager@example.test', 'iro-manager@example.test']);

    // Business support's notices: the required recipients are checked at the API; here it meets the deadline.
    await skipTo(t.at(3, '11:00'));
    state = await act(handle, m.placementChangeNotifiedUpdate, { args: [{ notified: [...EVERYONE], actor: support }] });
    expect(latest(state, 'kev-placement-notify')).toMatchObject({ status: 'met', breached: true, metBy: 'cicbs-1' });
    state = await act(handle, m.gpRegisteredUpdate, { args: [{ actor: sw }] });
    expect(latest(state, 'kev-gp-registration')).toMatchObject({ status: 'met', breached: false });
    state = await act(handle, m.virtualHeadConsultedUpdate, { args: [{ actor: sw }] });
    expect(latest(state, 'lac-education-stability')).toMatchObject({ status: 'met', breached: true });
    expect(state.placementChange).toEqual({
      number: 2,
      planned: true,
      effectiveAt: t.at(2, '10:00'),
      decidedAt: t.at(2, '08:00'),
      schoolChanges: false,
      gpChanges: true,
      educationStage: 'gcse_year',
    });

    // A second advice or notice for the same move is refused: nothing is open.
    await expect(handle.executeUpdate(m.placementChangeAdvisedUpdate, { args: [{ actor: sw }] })).rejects.toMatchObject(
      {
        cause: { message: 'kev-placement-advise is not open' },
      },
    );

    // The next planned move, the Virtual Head consulted before it: the gate is met and nothing opens.
    await skipTo(t.at(3, '15:00'));
    state = await act(handle, m.placementChangedUpdate, {
      args: [
        {
          placementId: 'PE1-P3',
          type: 'foster',
          startAt: t.at(3, '14:00'),
          planned: true,
          decidedAt: t.at(3, '09:30'),
          virtualHeadConsultedAt: t.at(3, '12:00'),
          placementPlanCompletedAt: t.at(3, '12:00'),
          eventId: 'EV-PE1-3',
          actor: sw,
        },
      ],
    });
    expect(state.deadlines.filter((d) => d.id === 'lac-education-stability')).toHaveLength(1);
    expect(state.events.some((e) => e.summary === 'lac-education-stability met before the move')).toBe(true);
    expect(latest(state, 'kev-placement-advise')).toMatchObject({ occurrence: 2, dueAt: eod(t.day(3)) });
    expect(state.eventIds).toEqual(['EV-PE1-3']);
    // The same case-system event again: refused, nothing changed.
    await expect(
      handle.executeUpdate(m.placementChangedUpdate, {
        args: [
          {
            placementId: 'PE1-P3',
            type: 'foster',
            startAt: t.at(3, '14:00'),
            planned: true,
            eventId: 'EV-PE1-3',
            actor: sw,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { type: 'DuplicateEvent' } });
    expect((await handle.query(m.getStateQuery)).placement.number).toBe(3);

    // The first review ends the cycle: the next run carries the event ids, and still refuses the repeat.
    await skipTo(t.at(4, '11:00'));
    await handle.executeUpdate(m.reviewHeldUpdate, {
      args: [{ heldAt: t.at(4, '10:00'), actor: { id: 'iro-1', roles: ['iro'] } }],
    });
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle, { timeout: 10_000 }).toBe(2);
    expect((await handle.query(m.getStateQuery)).eventIds).toEqual(['EV-PE1-3']);
    await expect(
      handle.executeUpdate(m.placementChangedUpdate, {
        args: [
          {
            placementId: 'PE1-P3',
            type: 'foster',
            startAt: t.at(3, '14:00'),
            planned: true,
            eventId: 'EV-PE1-3',
            actor: sw,
          },
        ],
      }),
    ).rejects.toMatchObject({ cause: { type: 'DuplicateEvent' } });
    await terminateWhenSettled(handle);
  });

  it('an unplanned move out of hours: EOD of the next working day, from the move; notices 1 WD after the advice', async () => {
    const t = await stack.base({ weekday: 'Friday', where: (d) => isWorkingDay(d) });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(emergency('PE2', t.at(0, '09:30'), { education: { stage: 'gcse_year' } }));

    // Friday 18:30: out of hours, so EOD of the next working day (§7.2 [P]), not the next day's 09:00 start.
    await skipTo(t.at(0, '18:45'));
    let state = await act(handle, m.placementChangedUpdate, {
      args: [
        {
          placementId: 'PE2-P2',
          type: 'residential',
          startAt: t.at(0, '18:30'),
          planned: false,
          decidedAt: t.at(0, '18:00'),
          gpChanges: false,
          actor: sw,
        },
      ],
    });
    const nextWorkingDay = addWD(t.day(0), 1);
    expect(latest(state, 'kev-placement-advise')).toMatchObject({
      anchorAt: t.at(0, '18:30'),
      dueAt: eod(nextWorkingDay),
    });
    // No GP change, and an unplanned move: neither kev-gp-registration nor the education gate.
    expect(latest(state, 'kev-gp-registration')).toBeUndefined();
    expect(latest(state, 'lac-education-stability')).toBeUndefined();

    // Not told by then: the team manager hears of it.
    await skipTo(plusMs(eod(nextWorkingDay), 60_000));
    const [overdue] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-PE2.kev-placement-advise.1.r0.overdue@test.example>',
    );
    expect(overdue!.to).toEqual(['team-manager@example.test']);
    const advisedDay = addWD(t.day(0), 2);
    await skipTo(on(advisedDay, '10:00'));
    state = await act(handle, m.placementChangeAdvisedUpdate, { args: [{ actor: sw }] });
    expect(latest(state, 'kev-placement-advise')).toMatchObject({ status: 'met', breached: true });
    expect(latest(state, 'kev-placement-notify')).toMatchObject({ dueAt: wdDue(advisedDay, 1) });

    // In hours the next day: that day's EOD. The earlier change's open notices are superseded.
    await skipTo(on(advisedDay, '11:30'));
    state = await act(handle, m.placementChangedUpdate, {
      args: [{ placementId: 'PE2-P3', type: 'foster', startAt: on(advisedDay, '11:00'), planned: false, actor: sw }],
    });
    expect(latest(state, 'kev-placement-advise')).toMatchObject({ occurrence: 2, dueAt: eod(advisedDay) });
    expect(state.deadlines.find((d) => d.id === 'kev-placement-notify')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'superseded by a later placement change',
    });
    await terminateWhenSettled(handle);
  });
});
