import { expect, it } from 'vitest';
import type { HolidayOverrides } from '../../src/holidays';
import { needToKnow } from '../../workflows';
import { getStateQuery, pglResponseUpdate, recomputeDeadlinesUpdate } from '../../workflows/need-to-know/messages';
import { ntkInput } from '../helpers/need-to-know';
import { useTimeSkippingStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';
import { addDays, daysDue, eod, isWorkingDay } from '../helpers/time-base';

// No worker of the file's own: each test starts the workers it swaps.
const stack = useTimeSkippingStack({ runWorker: false });
// No sticky cache: the second worker must take over (and replay) at once.
const worker = (holidays?: HolidayOverrides) => stack.worker({ holidays, maxCachedWorkflows: 0 });

it('a new bank holiday never changes recorded deadlines on replay; an explicit recompute moves the open ones (§1.4)', async () => {
  // A Monday; four weeks on, a working Monday after a working Friday.
  const t = await stack.base({
    weekday: 'Monday',
    where: (d) => [0, 25, 28].every((n) => isWorkingDay(addDays(d, n))),
  });
  await stack.skipTo(t.at(0, '11:00'));
  const input = ntkInput('CAL1', t.at(0, '11:00'));
  const announced = t.day(28);
  input.briefing.updateExpectedOn = announced; // a Monday that a later announcement makes a bank holiday
  const handle = await stack.env.client.workflow.start(needToKnow, {
    taskQueue: TASK_QUEUE,
    workflowId: 'ntk-CAL1',
    args: [input],
  });

  const before = await worker();
  const original = await before.runUntil(
    handle.executeUpdate(pglResponseUpdate, {
      args: [{ decision: 'approve', actor: { id: 'pgl-1', roles: ['pgl'] } }],
    }),
  );
  const recorded = original.deadlines.find((d) => d.id === 'ntk-update-due')!;
  expect(recorded.dueAt).toBe(daysDue(announced, 0));

  // The table changes: a worker with the new holiday replays the whole history from scratch.
  const after = await worker({ add: [{ date: announced, name: 'Announced bank holiday' }], remove: [] });
  await after.runUntil(async () => {
    const replayed = await handle.query(getStateQuery);
    const same = replayed.deadlines.find((d) => d.id === 'ntk-update-due')!;
    expect(same).toMatchObject({ dueAt: recorded.dueAt, calendarVersion: recorded.calendarVersion, rescheduled: [] });

    const recomputed = await handle.executeUpdate(recomputeDeadlinesUpdate, {
      args: [{ actor: { id: 'admin-1', roles: ['administrator'] } }],
    });
    const moved = recomputed.deadlines.find((d) => d.id === 'ntk-update-due')!;
    expect(moved.dueAt).toBe(eod(t.day(25))); // rolled back off the new holiday to Friday EOD
    expect(moved.calendarVersion).not.toBe(recorded.calendarVersion);
    expect(moved.rescheduled).toEqual([
      expect.objectContaining({
        from: recorded.dueAt,
        to: moved.dueAt,
        by: 'admin-1',
        reason: `calendar updated to ${moved.calendarVersion}`,
      }),
    ]);
    // Met deadlines are never recomputed.
    expect(recomputed.deadlines.find((d) => d.id === 'ntk-cat2-director')).toMatchObject({
      status: 'met',
      rescheduled: [],
    });
  });
});
