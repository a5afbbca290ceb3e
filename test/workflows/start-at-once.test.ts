/**
 * A looked-after start on the dev server: its first ~15 plans are made at once, not one local
 * activity after another, and it answers with its first deadlines armed before the start email is sent, so a stalled mail
 * server does not hold the answer (README "API": a start answers once its first deadlines are
 * armed). The email is still sent, under the lock, after the answer.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessService } from '../../src/api/process-service';
import { lookedAfterChildProcess } from '../../src/processes/looked-after-child/routes';
import type { LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import { START_AT_ONCE_PATCH } from '../../workflows/looked-after-child/start';
import { emergency } from '../helpers/looked-after';
import { devServerEnv, replayOptions, TASK_QUEUE, testWorker } from '../helpers/temporal';

const { EventType } = temporal.api.enums.v1;

/** A mail server that accepts connections and never greets: every send hangs until it is closed. */
async function stalledMailServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let mail: Awaited<ReturnType<typeof stalledMailServer>>;
let service: ProcessService;

beforeAll(async () => {
  mail = await stalledMailServer();
  env = await devServerEnv();
  worker = await testWorker(env, mail.port);
  running = worker.run();
  service = new ProcessService({ client: env.client, taskQueue: TASK_QUEUE, namespace: 'default', webUiUrl: 'x' });
});
afterAll(async () => {
  await mail?.close(); // the pending sends fail, so the worker can stop
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const start = (id: string) => {
  const input = emergency(id, new Date(Date.now() - 3_600_000).toISOString(), { education: { stage: 'primary' } });
  return service.start({
    workflow: lookedAfterChildProcess.workflow,
    workflowId: `lac-${id}`,
    args: [input],
    searchAttributes: [],
    summary: 'test',
    answer: lookedAfterChildProcess.startedUpdate,
  }) as Promise<LookedAfterState & { deadlines: Array<{ id: string; status: string }>; ready: boolean }>;
};

describe('a looked-after start', () => {
  it('answers with its first deadlines armed while the start email cannot be sent', async () => {
    const began = Date.now();
    const state = await start('LS1');
    expect(Date.now() - began).toBeLessThan(5_000); // the service gives up on an answer at 10 s
    expect(state.ready).toBe(true);
    expect(state.deadlines.map((d) => d.id)).toEqual(
      expect.arrayContaining([
        'lac-panel-ratify',
        'lac-care-plan',
        'lac-review-1',
        'lac-health-initial',
        'lac-pep-meeting',
        'lac-info-pack',
      ]),
    );
    // The email is not sent yet, so its deadline is not met by it; it is still sent, after the answer.
    expect(state.deadlines.find((d) => d.id === 'lac-notify-start')?.status).toBe('pending');
    const until = Date.now() + 10_000;
    while (mail.connections() === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(mail.connections()).toBeGreaterThan(0);
  });

  it('makes its plans at once: its plans are recorded together, with no timer between them, and the history replays', async () => {
    await start('LS2');
    await expectPlansAtOnce('lac-LS2', START_AT_ONCE_PATCH, 15);
  });
});

/**
 * The start's plans are recorded together, no timer between them: made at once. One after another,
 * each plan's marker came with the timers of the deadline it opened, before the next plan.
 */
async function expectPlansAtOnce(workflowId: string, patch: string, atLeast: number) {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const plans = events.flatMap((e, i) =>
    e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [i] : [],
  );
  expect(plans.length).toBeGreaterThanOrEqual(atLeast);
  const between = events.slice(plans[0], plans[plans.length - 1]);
  expect(between.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)).toHaveLength(0);
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED).length).toBeGreaterThan(atLeast / 2);
  const patches = events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!;
      return (JSON.parse(Buffer.from(data).toString()) as { id: string }).id;
    });
  expect(patches).toContain(patch);
  await expect(Worker.runReplayHistory(await replayOptions(), history, workflowId)).resolves.toBeUndefined();
}
