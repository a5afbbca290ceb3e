/**
 * The deadline engine on its own (workflows/deadline-tracker.ts), through a small test workflow
 * (engine/probe.ts) on the time-skipping server: the walk (warning, overdue, ladder), meet and
 * cancel stopping it, reschedule and reschedule-if-earlier, a backdated anchor, per-subject
 * occurrences, recompute, and the carry across continue-as-new with compaction.
 *
 * The rule used is `s47-manager-signoff`: 5 WD, X-CP (warning at due − 1 WD; on breach the team
 * manager, the chair and QA; the PGL at + 1 WD; the Head of Service at + 3 WD).
 */
import type { WorkflowHandle } from '@temporalio/client';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../src/process';
import { useTimeSkippingStack } from '../helpers/stack';
import {
  addDays,
  addWD,
  inBst,
  isWorkingDay,
  lastSecond,
  on,
  plusHours,
  plusMs,
  wdBefore,
  wdDue,
} from '../helpers/time-base';
import * as probe from './engine/probe';

const QUEUE = 'deadline-engine';
const RULE = 's47-manager-signoff';
const stack = useTimeSkippingStack({ workflowsPath: path.resolve(__dirname, 'engine/probe.ts'), taskQueue: QUEUE });
const { skipTo } = stack;
const start = (id: string) =>
  stack.env.client.workflow.start(probe.deadlineProbe, { taskQueue: QUEUE, workflowId: `probe-${id}`, args: [] });
const views = async (handle: WorkflowHandle) => (await handle.query(probe.viewsQuery)).views;
const find = async (handle: WorkflowHandle, occurrence = 1): Promise<DeadlineView> =>
  (await views(handle)).find((v) => v.occurrence === occurrence)!;
const mails = (id: string, key: string) =>
  stack.smtp.messages.filter((m) => m.messageId === `<probe-${id}.${RULE}.${key}@test.example>`);
const mailed = (id: string, key: string) =>
  stack.smtp.waitFor((m) => m.messageId === `<probe-${id}.${RULE}.${key}@test.example>`);
/** Each test's own Monday, a working day, after the clock as it stands. */
const monday = (where: (day: string) => boolean = () => true) =>
  stack.base({ weekday: 'Monday', where: (day) => isWorkingDay(day) && where(day) });

describe('the deadline engine alone', () => {
  it('walks warning, overdue and the ladder; meeting it stops the ladder', async () => {
    const t = await monday();
    const anchor = t.at(0, '10:00');
    const due = addWD(t.day0, 5);
    const dueAt = wdDue(t.day0, 5);
    await skipTo(anchor);
    const handle = await start('A');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: anchor }] });
    expect(await find(handle)).toMatchObject({
      status: 'pending',
      dueAt,
      statutoryDueAt: lastSecond(due),
      escalationLevel: 0,
    });

    await skipTo(plusMs(wdBefore(dueAt, 1), 30_000)); // due − 1 WD
    const [warning] = await mailed('A', '1.r0.warning-1');
    expect(warning!.to).toEqual(['team-manager@example.test']);
    expect((await find(handle)).status).toBe('pending');

    await skipTo(plusMs(dueAt, 30_000));
    const [overdue] = await mailed('A', '1.r0.overdue');
    expect(overdue!.to).toEqual(['team-manager@example.test', 'cp-chair@example.test', 'qa-bstl@example.test']);
    await skipTo(plusMs(wdDue(due, 1), 30_000));
    expect((await mailed('A', '1.r0.escalation-1'))[0]!.to).toEqual(['pgl@example.test']);
    await expect.poll(async () => (await find(handle)).escalationLevel).toBe(1);
    expect(await find(handle)).toMatchObject({ status: 'overdue', breached: true });

    const metAt = on(addWD(due, 2), '10:00');
    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: RULE, at: metAt }] });
    await skipTo(plusHours(wdDue(due, 3), 17)); // past escalation-2 (due + 3 WD, 17:00)
    expect(await find(handle)).toMatchObject({
      status: 'met',
      breached: true,
      metAt,
      escalationLevel: 1,
    });
    expect(mails('A', '1.r0.escalation-2')).toEqual([]);
    expect((await find(handle)).notifications.map((n) => n.kind)).toEqual(['warning', 'overdue', 'escalation']);
  });

  it('cancel stops the walk; reschedule re-plans it; reschedule-if-earlier moves only sooner', async () => {
    const t = await monday((day) => inBst(day) && inBst(addDays(day, 14))); // British Summer Time throughout
    const anchor = t.at(0, '11:00');
    await skipTo(anchor);
    const handle = await start('B');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: anchor }] });
    await handle.executeUpdate(probe.cancelUpdate, { args: [RULE] });
    expect(await find(handle)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'probe',
      cancelReason: 'cancelled by the test',
    });

    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: anchor }] });
    expect((await find(handle, 2)).dueAt).toBe(wdDue(t.day0, 5));
    await handle.executeUpdate(probe.rescheduleIfEarlierUpdate, {
      args: [RULE, { anchorAt: on(addWD(t.day0, 1), '11:00') }],
    });
    expect((await find(handle, 2)).rescheduled).toEqual([]); // later: unchanged
    const movedFrom = addWD(t.day0, 2);
    await handle.executeUpdate(probe.rescheduleUpdate, { args: [RULE, { anchorAt: on(movedFrom, '11:00') }] });
    expect(await find(handle, 2)).toMatchObject({
      dueAt: wdDue(movedFrom, 5),
      rescheduled: [expect.objectContaining({ from: wdDue(t.day0, 5), to: wdDue(movedFrom, 5), by: 'probe' })],
    });
    const sooner = on(addWD(movedFrom, 4), '13:00'); // the day before the new due day, 13:00
    await handle.executeUpdate(probe.rescheduleIfEarlierUpdate, {
      args: [RULE, { dueOverride: sooner }],
    });
    expect((await find(handle, 2)).dueAt).toBe(sooner);

    await skipTo(plusMs(sooner, 30_000));
    await mailed('B', '2.r2.overdue');
    // Neither the cancelled occurrence nor the superseded plans sent anything at their old times.
    expect(
      stack.smtp.messages
        .filter((m) => m.messageId.includes('probe-B') && m.messageId.includes('overdue'))
        .map((m) => m.messageId),
    ).toEqual([`<probe-B.${RULE}.2.r2.overdue@test.example>`]);
    expect(mails('B', '1.r0.warning-1')).toEqual([]);
  });

  it('a backdated anchor breaches and climbs the ladder at once, without the moot warning', async () => {
    const t = await monday();
    await skipTo(t.at(0, '11:00'));
    const handle = await start('C');
    // Five and a half weeks ago: due, the PGL step (+ 1 WD) and the Head of Service step (+ 3 WD) have all passed.
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: t.at(-39, '11:00') }] });
    await mailed('C', '1.r0.escalation-2');
    expect(await find(handle)).toMatchObject({ status: 'overdue', breached: true, escalationLevel: 2 });
    expect(mails('C', '1.r0.warning-1')).toEqual([]);
    expect(mails('C', '1.r0.overdue')).toHaveLength(1);
  });

  it('occurrences for different subjects are met separately; without a subject, the oldest open one', async () => {
    const t = await monday();
    await skipTo(t.at(0, '11:00'));
    const handle = await start('D');
    for (const subject of ['C1', 'C2', 'C3'])
      await handle.executeUpdate(probe.openUpdate, {
        args: [{ ruleId: 'assessment-see-child', anchorAt: t.at(0, '11:00'), subject }],
      });
    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: 'assessment-see-child', subject: 'C2' }] });
    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: 'assessment-see-child' }] });
    expect((await views(handle)).map((v) => [v.subject, v.status])).toEqual([
      ['C1', 'met'],
      ['C2', 'met'],
      ['C3', 'pending'],
    ]);
  });

  it('carries open deadlines across continue-as-new where their walk stopped, closed ones compacted; recompute changes nothing on the same calendar', async () => {
    const t = await monday();
    const anchor = t.at(0, '11:00');
    const due = wdDue(t.day0, 5);
    await skipTo(anchor);
    const handle = await start('E');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: anchor }] });
    await handle.executeUpdate(probe.openUpdate, {
      args: [{ ruleId: 'assessment-see-child', anchorAt: anchor }],
    });
    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: 'assessment-see-child' }] });
    await skipTo(plusMs(wdBefore(due, 1), 30_000)); // the warning (due − 1 WD) has gone
    await mailed('E', '1.r0.warning-1');
    expect(await handle.executeUpdate(probe.recomputeUpdate, { args: [] })).toBe(0);

    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(probe.continueUpdate, { args: [] });
    await expect
      .poll(async () => (await stack.env.client.workflow.getHandle('probe-E').query(probe.viewsQuery)).run)
      .toBe(2);
    const next = stack.env.client.workflow.getHandle('probe-E');
    expect((await next.describe()).runId).not.toBe(firstRun);
    const [open, closed] = await views(next);
    expect(open).toMatchObject({ id: RULE, status: 'pending', dueAt: due });
    expect(open!.notifications.map((n) => n.kind)).toEqual(['warning']);
    expect(closed).toMatchObject({ id: 'assessment-see-child', status: 'met', label: '' }); // wording comes back from the catalogue

    await skipTo(plusMs(due, 30_000));
    await mailed('E', '1.r0.overdue');
    expect(mails('E', '1.r0.warning-1')).toHaveLength(1); // the new run did not send it again
    expect((await next.query(probe.viewsQuery)).settled).toBe(true);
  });
});
