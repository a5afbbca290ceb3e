/**
 * How fast does `POST /v1/<process>` answer, and how many starts a second does it take?
 * `npm run bench:starts`. Runs a dev server, a worker and two copies of the HTTP API on it: one
 * with today's start (update-with-start: one call answers the armed state), one with the start as
 * it was (start the workflow, then read the state until it is armed, up to 50 × 100 ms), kept here
 * only as the baseline. Both are measured in the same run, interleaved, since this machine is
 * noisy: compare the ratios, not the absolute figures.
 */
import type { Workflow, WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/api/app';
import { silentLogger } from '../src/logger';
import { ProcessService, type ServiceOptions, type StartRequest } from '../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../src/config';
import { startSmtpCapture } from '../test/helpers/smtp';
import { devServerEnv, TASK_QUEUE, testWorker } from '../test/helpers/temporal';

const SEQUENTIAL = 40;
const CONCURRENT = 120;
const IN_FLIGHT = 8;

/** The start before update-with-start, as the router did it: start, then poll the state query until armed. */
class PollingStart extends ProcessService {
  polls = 0;
  override async start<W extends Workflow, State>(request: StartRequest<W, State>): Promise<State> {
    await this.options.client.workflow.start(request.workflow, {
      taskQueue: this.options.taskQueue,
      workflowId: request.workflowId,
      args: request.args,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      typedSearchAttributes: request.searchAttributes,
      staticSummary: request.summary,
    } as unknown as WorkflowStartOptions<W>);
    const stateQuery = defineQuery<State>('getState');
    const isArmed = (state: object) =>
      (state as { ready?: boolean }).ready ?? ((state as { deadlines?: unknown[] }).deadlines?.length ?? 0) > 0;
    let state = await this.query(request.workflowId, stateQuery, { timeoutMs: 5_000 });
    for (let tries = 0; !isArmed(state as object) && tries < 50; tries += 1) {
      this.polls += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await this.query(request.workflowId, stateQuery, { timeoutMs: 5_000 });
    }
    return state;
  }
}

const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();
const processes = {
  'need-to-know': (id: string) => ({
    token: 'local-social-worker',
    body: {
      briefingId: id,
      caseReference: `CASE-${id}`,
      category: 2,
      item: 4,
      briefing: {
        child: { reference: `CH-${id}`, name: 'Bench Child', legalStatus: 'care_order' },
        concern: 'Missing from placement.',
        actionTaken: 'Police informed.',
        updateExpectedOn: '2030-01-15',
        contact: { name: 'Sam Worker' },
      },
    },
  }),
  'child-protection-plans': (id: string) => ({
    token: 'local-case-system',
    body: {
      planId: id,
      caseReference: `CASE-${id}`,
      childReference: `CH-${id}`,
      childDateOfBirth: '2015-06-01',
      icpcHeldAt: iso(-86_400_000),
    },
  }),
};
type Resource = keyof typeof processes;

async function listen(service: ProcessService): Promise<{ server: Server; base: string }> {
  const server = createApp({
    service,
    calendar: calendarFromConfig(loadConfig({})),
    tokens: localTokens,
    log: (message) => console.error(`[api] ${message}`),
    logger: silentLogger, // a line per request would be measured too
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let next = 0;
/** One start over HTTP; its latency in ms. Anything but a 201 armed answer stops the bench. */
async function start(base: string, resource: Resource): Promise<number> {
  const id = `B${(next += 1)}`;
  const { token, body } = processes[resource](id);
  const began = performance.now();
  const response = await fetch(`${base}/v1/${resource}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { deadlines?: unknown[] };
  const elapsed = performance.now() - began;
  if (response.status !== 201 || !answer.deadlines?.length)
    throw new Error(`${resource} ${id}: ${response.status} ${JSON.stringify(answer)}`);
  return elapsed;
}

async function throughput(base: string, resource: Resource): Promise<number> {
  let left = CONCURRENT;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (left > 0) {
        left -= 1;
        await start(base, resource);
      }
    }),
  );
  return CONCURRENT / ((performance.now() - began) / 1000);
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

async function main() {
  const smtp = await startSmtpCapture();
  const env = await devServerEnv();
  const worker = await testWorker(env, smtp.port);
  const running = worker.run();
  const options: ServiceOptions = { client: env.client, taskQueue: TASK_QUEUE, namespace: 'default', webUiUrl: 'x' };
  const polling = new PollingStart(options);
  const apis = { old: await listen(polling), new: await listen(new ProcessService(options)) };
  try {
    console.log(
      `POST /v1/<process> on one dev server and worker; ${SEQUENTIAL} starts one at a time and ${CONCURRENT} with ` +
        `${IN_FLIGHT} in flight, per path (one run, interleaved; compare ratios, not absolutes)`,
    );
    for (const resource of Object.keys(processes) as Resource[]) {
      for (let i = 0; i < 5; i += 1) for (const api of Object.values(apis)) await start(api.base, resource); // warm-up
      const latency = { old: [] as number[], new: [] as number[] };
      polling.polls = 0;
      for (let i = 0; i < SEQUENTIAL; i += 1) {
        latency.old.push(await start(apis.old.base, resource));
        latency.new.push(await start(apis.new.base, resource));
      }
      const pollsPerStart = polling.polls / SEQUENTIAL;
      const rate = { old: [] as number[], new: [] as number[] };
      for (let round = 0; round < 2; round += 1) {
        rate.old.push(await throughput(apis.old.base, resource));
        rate.new.push(await throughput(apis.new.base, resource));
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const oneAtATime = (path: 'old' | 'new') => 1000 / mean(latency[path]);
      const row = (path: 'old' | 'new', label: string) =>
        `  ${label.padEnd(40)} median ${quantile(latency[path], 0.5).toFixed(0).padStart(4)} ms  p95 ${quantile(latency[path], 0.95).toFixed(0).padStart(4)} ms  ` +
        `${oneAtATime(path).toFixed(1).padStart(5)} starts/s one at a time  ${mean(rate[path]).toFixed(1).padStart(5)} starts/s ${IN_FLIGHT} in flight`;
      console.log(`${resource}`);
      console.log(row('old', `start + poll (baseline, ${pollsPerStart.toFixed(2)} waits/start)`));
      console.log(row('new', 'update-with-start'));
      console.log(
        `  ratio new/old: median latency ${(quantile(latency.new, 0.5) / quantile(latency.old, 0.5)).toFixed(2)}×, ` +
          `p95 ${(quantile(latency.new, 0.95) / quantile(latency.old, 0.95)).toFixed(2)}×, ` +
          `starts/s one at a time ${(oneAtATime('new') / oneAtATime('old')).toFixed(2)}×, ` +
          `${IN_FLIGHT} in flight ${(mean(rate.new) / mean(rate.old)).toFixed(2)}×`,
      );
    }
  } finally {
    for (const api of Object.values(apis)) api.server.close();
    worker.shutdown();
    await running;
    await env.teardown();
    await smtp.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
