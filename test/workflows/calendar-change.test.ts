import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorker } from '../../worker/worker';
import { needToKnow } from '../../workflows';
import { getStateQuery, pglResponseUpdate, recomputeDeadlinesUpdate } from '../../workflows/need-to-know/messages';
import { ntkInput } from '../helpers/need-to-know';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { TASK_QUEUE, testDeps, timeSkippingEnv, workflowBundle } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  env = await timeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
  await smtp?.close();
});

// No sticky cache: the second worker must take over (and replay) at once.
const worker = async (overrides?: Parameters<typeof testDeps>[1]) =>
  createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: testDeps(smtp.port, overrides),
    workflowBundle: await workflowBundle(),
    maxCachedWorkflows: 0,
  });

it('a new bank holiday never changes recorded deadlines on replay; an explicit recompute moves the open ones (§1.4)', async () => {
  await env.sleep(Date.parse('2027-05-10T10:00:00Z') - (await env.currentTimeMs()));
  const input = ntkInput('CAL1', '2027-05-10T10:00:00.000Z');
  input.briefing.updateExpectedOn = '2027-06-07'; // a Monday that a later announcement makes a bank holiday
  const handle = await env.client.workflow.start(needToKnow, {
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
  expect(recorded.dueAt).toBe('2027-06-07T16:00:00.000Z');

  // The table changes: a worker with the new holiday replays the whole history from scratch.
  const after = await worker({ add: [{ date: '2027-06-07', name: 'Announced bank holiday' }], remove: [] });
  await after.runUntil(async () => {
    const replayed = await handle.query(getStateQuery);
    const same = replayed.deadlines.find((d) => d.id === 'ntk-update-due')!;
    expect(same).toMatchObject({ dueAt: recorded.dueAt, calendarVersion: recorded.calendarVersion, rescheduled: [] });

    const recomputed = await handle.executeUpdate(recomputeDeadlinesUpdate, {
      args: [{ actor: { id: 'admin-1', roles: ['administrator'] } }],
    });
    const moved = recomputed.deadlines.find((d) => d.id === 'ntk-update-due')!;
    expect(moved.dueAt).toBe('2027-06-04T16:00:00.000Z'); // rolled back off the new holiday to Friday EOD
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
