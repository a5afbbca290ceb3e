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
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { DeadlineView } from '../../src/process';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { testDeps, timeSkippingEnv } from '../helpers/temporal';
import * as probe from './engine/probe';

const QUEUE = 'deadline-engine';
const RULE = 's47-manager-signoff';
let env: Awaited<ReturnType<typeof timeSkippingEnv>>;
let smtp: SmtpCapture;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  env = await timeSkippingEnv();
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, 'engine/probe.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: QUEUE,
    workflowBundle,
    activities: createActivities(testDeps(smtp.port)),
  });
  running = worker.run();
}, 60_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await smtp?.close();
});

const skipTo = async (iso: string) => env.sleep(Date.parse(iso) - (await env.currentTimeMs()));
const start = (id: string) =>
  env.client.workflow.start(probe.deadlineProbe, { taskQueue: QUEUE, workflowId: `probe-${id}`, args: [] });
const views = async (handle: WorkflowHandle) => (await handle.query(probe.viewsQuery)).views;
const find = async (handle: WorkflowHandle, occurrence = 1): Promise<DeadlineView> =>
  (await views(handle)).find((v) => v.occurrence === occurrence)!;
const mails = (id: string, key: string) =>
  smtp.messages.filter((m) => m.messageId === `<probe-${id}.${RULE}.${key}@test.example>`);
const mailed = (id: string, key: string) =>
  smtp.waitFor((m) => m.messageId === `<probe-${id}.${RULE}.${key}@test.example>`);

describe('the deadline engine alone', () => {
  it('walks warning, overdue and the ladder; meeting it stops the ladder', async () => {
    await skipTo('2027-03-01T10:00:00Z'); // Monday
    const handle = await start('A');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: '2027-03-01T10:00:00.000Z' }] });
    expect(await find(handle)).toMatchObject({
      status: 'pending',
      dueAt: '2027-03-08T17:00:00.000Z',
      statutoryDueAt: '2027-03-08T23:59:59.000Z',
      escalationLevel: 0,
    });

    await skipTo('2027-03-05T17:00:30Z');
    const [warning] = await mailed('A', '1.r0.warning-1');
    expect(warning!.to).toEqual(['team-manager@example.test']);
    expect((await find(handle)).status).toBe('pending');

    await skipTo('2027-03-08T17:00:30Z');
    const [overdue] = await mailed('A', '1.r0.overdue');
    expect(overdue!.to).toEqual(['team-manager@example.test', 'cp-chair@example.test', 'qa-bstl@example.test']);
    await skipTo('2027-03-09T17:00:30Z');
    expect((await mailed('A', '1.r0.escalation-1'))[0]!.to).toEqual(['pgl@example.test']);
    await expect.poll(async () => (await find(handle)).escalationLevel).toBe(1);
    expect(await find(handle)).toMatchObject({ status: 'overdue', breached: true });

    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: RULE, at: '2027-03-10T10:00:00.000Z' }] });
    await skipTo('2027-03-12T10:00:00Z'); // past escalation-2 (Thursday 17:00)
    expect(await find(handle)).toMatchObject({
      status: 'met',
      breached: true,
      metAt: '2027-03-10T10:00:00.000Z',
      escalationLevel: 1,
    });
    expect(mails('A', '1.r0.escalation-2')).toEqual([]);
    expect((await find(handle)).notifications.map((n) => n.kind)).toEqual(['warning', 'overdue', 'escalation']);
  });

  it('cancel stops the walk; reschedule re-plans it; reschedule-if-earlier moves only sooner', async () => {
    await skipTo('2027-04-05T10:00:00Z'); // Monday (British Summer Time)
    const handle = await start('B');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: '2027-04-05T10:00:00.000Z' }] });
    await handle.executeUpdate(probe.cancelUpdate, { args: [RULE] });
    expect(await find(handle)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'probe',
      cancelReason: 'cancelled by the test',
    });

    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: '2027-04-05T10:00:00.000Z' }] });
    expect((await find(handle, 2)).dueAt).toBe('2027-04-12T16:00:00.000Z');
    await handle.executeUpdate(probe.rescheduleIfEarlierUpdate, {
      args: [RULE, { anchorAt: '2027-04-06T10:00:00.000Z' }],
    });
    expect((await find(handle, 2)).rescheduled).toEqual([]); // later: unchanged
    await handle.executeUpdate(probe.rescheduleUpdate, { args: [RULE, { anchorAt: '2027-04-07T10:00:00.000Z' }] });
    expect(await find(handle, 2)).toMatchObject({
      dueAt: '2027-04-14T16:00:00.000Z',
      rescheduled: [
        expect.objectContaining({ from: '2027-04-12T16:00:00.000Z', to: '2027-04-14T16:00:00.000Z', by: 'probe' }),
      ],
    });
    await handle.executeUpdate(probe.rescheduleIfEarlierUpdate, {
      args: [RULE, { dueOverride: '2027-04-13T12:00:00.000Z' }],
    });
    expect((await find(handle, 2)).dueAt).toBe('2027-04-13T12:00:00.000Z');

    await skipTo('2027-04-13T12:00:30Z');
    await mailed('B', '2.r2.overdue');
    // Neither the cancelled occurrence nor the superseded plans sent anything at their old times.
    expect(
      smtp.messages
        .filter((m) => m.messageId.includes('probe-B') && m.messageId.includes('overdue'))
        .map((m) => m.messageId),
    ).toEqual([`<probe-B.${RULE}.2.r2.overdue@test.example>`]);
    expect(mails('B', '1.r0.warning-1')).toEqual([]);
  });

  it('a backdated anchor breaches and climbs the ladder at once, without the moot warning', async () => {
    await skipTo('2027-05-10T10:00:00Z');
    const handle = await start('C');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: '2027-04-01T10:00:00.000Z' }] });
    await mailed('C', '1.r0.escalation-2');
    expect(await find(handle)).toMatchObject({ status: 'overdue', breached: true, escalationLevel: 2 });
    expect(mails('C', '1.r0.warning-1')).toEqual([]);
    expect(mails('C', '1.r0.overdue')).toHaveLength(1);
  });

  it('occurrences for different subjects are met separately; without a subject, the oldest open one', async () => {
    const handle = await start('D');
    for (const subject of ['C1', 'C2', 'C3'])
      await handle.executeUpdate(probe.openUpdate, {
        args: [{ ruleId: 'assessment-see-child', anchorAt: '2027-05-10T10:00:00.000Z', subject }],
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
    await skipTo('2027-06-07T10:00:00Z'); // Monday
    const handle = await start('E');
    await handle.executeUpdate(probe.openUpdate, { args: [{ ruleId: RULE, anchorAt: '2027-06-07T10:00:00.000Z' }] });
    await handle.executeUpdate(probe.openUpdate, {
      args: [{ ruleId: 'assessment-see-child', anchorAt: '2027-06-07T10:00:00.000Z' }],
    });
    await handle.executeUpdate(probe.meetUpdate, { args: [{ ruleId: 'assessment-see-child' }] });
    await skipTo('2027-06-11T16:00:30Z'); // the warning (due − 1 WD) has gone
    await mailed('E', '1.r0.warning-1');
    expect(await handle.executeUpdate(probe.recomputeUpdate, { args: [] })).toBe(0);

    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(probe.continueUpdate, { args: [] });
    await expect.poll(async () => (await env.client.workflow.getHandle('probe-E').query(probe.viewsQuery)).run).toBe(2);
    const next = env.client.workflow.getHandle('probe-E');
    expect((await next.describe()).runId).not.toBe(firstRun);
    const [open, closed] = await views(next);
    expect(open).toMatchObject({ id: RULE, status: 'pending', dueAt: '2027-06-14T16:00:00.000Z' });
    expect(open!.notifications.map((n) => n.kind)).toEqual(['warning']);
    expect(closed).toMatchObject({ id: 'assessment-see-child', status: 'met', label: '' }); // wording comes back from the catalogue

    await skipTo('2027-06-14T16:00:30Z');
    await mailed('E', '1.r0.overdue');
    expect(mails('E', '1.r0.warning-1')).toHaveLength(1); // the new run did not send it again
    expect((await next.query(probe.viewsQuery)).settled).toBe(true);
  });
});
