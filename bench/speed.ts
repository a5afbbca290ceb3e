/**
 * How fast is the service against what the same Temporal server allows? `npm run bench:speed`
 * (`-- --quick` for a smoke run of about a minute). One dev server, one worker, the HTTP API and an
 * SMTP capture, all in this process (as bench/starts.ts measured before it was folded in here).
 * In one run, interleaved so that the machine's load hits both sides alike:
 *
 * - starts: `POST /v1/<process>` against a raw `client.workflow.start` of the same workflow with
 *   the same arguments (what the route would pass), at 1, 4 and 16 clients, for each process;
 * - a PGL's approval: the `pgl-response` call and the Director's email arriving, with 10 and with
 *   1,000 other briefings open;
 * - 500 overdue briefings at once: started with a concern a week old on a task queue no worker
 *   polls, then a worker starts: each one's Director deadline has passed, so each sends the
 *   latest draft to the Director at once (the fallback).
 *
 * Each start figure is the median of 3 rounds (min–max beside it); latencies are pooled over the
 * rounds. The OLD column is what the issue measured on the code of then; compare the ratios, not
 * the absolute figures, which move with the machine's load.
 */
import type { Workflow, WorkflowHandle } from '@temporalio/client';
import { performance } from 'node:perf_hooks';
import { createApp, processes as processDefinitions } from '../src/api/app';
import type { AnyProcessDefinition } from '../src/api/process-router';
import { parse } from '../src/api/problem';
import type { AddressInfo } from 'node:net';
import type { Actor } from '../src/process';
import { DEFAULT_MAIL_DOMAINS, withMailDomains } from '../src/schemas';
import { ProcessService } from '../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens, type TokenTable } from '../src/config';
import { silentLogger } from '../src/logger';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorker } from '../worker/worker';
import { startSmtpCapture } from '../test/helpers/smtp';
import {
  devServerEnv,
  testDeps,
  testPayloadKeys,
  testWorker,
  TASK_QUEUE,
  workflowBundle,
} from '../test/helpers/temporal';

const quick = process.argv.includes('--quick');
/** `--only=need-to-know`: one process's starts and nothing else (to profile it). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const ROUNDS = quick ? 1 : 3;
const CLIENTS = [1, 4, 16] as const;
/** Starts per measurement: enough for a p99 at 16 clients, few enough to keep the run under 10 minutes. */
const startsAt = (clients: number) => (quick ? Math.max(6, 2 * clients) : Math.max(20, 6 * clients));
const OPEN = quick ? 100 : 1_000;
const FEW_OPEN = 10;
const APPROVALS = quick ? 8 : 30;
const BURST = quick ? 50 : 500;

const DAY = 86_400_000;
const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();
const runId = Date.now().toString(36).toUpperCase();
let serial = 0;
const nextId = (prefix: string) => `${prefix}${runId}-${(serial += 1)}`;

/** A token with every role a start needs, and the local PGL for the approvals. */
const BENCH_TOKEN = 'bench-starter';
const tokens: TokenTable = {
  ...localTokens,
  [BENCH_TOKEN]: { person: 'bench-1', roles: ['case_system', 'team_manager', 'social_worker'] },
};
const benchActor: Actor = { id: 'bench-1', roles: ['case_system', 'team_manager', 'social_worker'] };

const briefing = (id: string, extra: object = {}) => ({
  briefingId: id,
  caseReference: `CASE-${id}`,
  category: 2,
  item: 4,
  briefing: {
    child: { reference: `CH-${id}`, name: 'Bench Child', legalStatus: 'care_order' },
    concern: 'Missing from placement.',
    actionTaken: 'Police informed.',
    updateExpectedOn: iso(300 * DAY).slice(0, 10),
    contact: { name: 'Sam Worker' },
  },
  ...extra,
});

/** A valid start body for each process, by its resource (fictional references only). */
const bodies: Record<string, { label: string; body: (id: string) => object }> = {
  'need-to-know': { label: 'Need to Know', body: (id) => briefing(id) },
  's47-enquiries': {
    label: 'S47 enquiry',
    body: (id) => ({
      contactId: id,
      caseReference: `CASE-${id}`,
      receivedAt: iso(-3_600_000),
      children: [{ reference: `C-${id}` }],
    }),
  },
  'child-protection-plans': {
    label: 'child protection plan',
    body: (id) => ({
      planId: id,
      caseReference: `CASE-${id}`,
      childReference: `CH-${id}`,
      childDateOfBirth: '2015-06-01',
      icpcHeldAt: iso(-DAY),
    }),
  },
  'looked-after-children': {
    label: 'looked-after child',
    body: (id) => ({
      episodeId: id,
      caseReference: `CASE-${id}`,
      childReference: `CH-${id}`,
      childDateOfBirth: '2016-05-04',
      lacStartAt: iso(-3_600_000),
      emergency: true,
      legalBasis: 'epo',
      approval: { by: 'director', at: iso(-2 * 3_600_000), nextCarePanelDate: iso(7 * DAY).slice(0, 10) },
      placement: { placementId: `${id}-P1`, type: 'foster' },
      education: { stage: 'primary' },
    }),
  },
};

if (only && !(only in bodies)) throw new Error(`--only: one of ${Object.keys(bodies).join(', ')}`);
const measured = only ? [only] : Object.keys(bodies);

const definitionOf = (resource: string): AnyProcessDefinition => {
  const found = processDefinitions.find((d) => d.resource === resource);
  if (!found?.start) throw new Error(`no start route for ${resource}`);
  return found;
};

// ---- figures ----

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);
interface Run {
  rate: number;
  latencies: number[];
}
interface Summary {
  rate: number;
  rateMin: number;
  rateMax: number;
  p50: number;
  p99: number;
}
const summarise = (runs: Run[]): Summary => {
  const all = runs.flatMap((r) => r.latencies);
  const rates = runs.map((r) => r.rate);
  return {
    rate: median(rates),
    rateMin: Math.min(...rates),
    rateMax: Math.max(...rates),
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
  };
};

/** `count` calls of `one` from `clients` loops at once: the rate, and each call's latency. */
async function load(count: number, clients: number, one: () => Promise<void>): Promise<Run> {
  let left = count;
  const latencies: number[] = [];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left > 0) {
        left -= 1;
        const t = performance.now();
        await one();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rate: count / ((performance.now() - began) / 1000), latencies };
}

async function inBatches<T>(items: T[], width: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await each(items[(next += 1) - 1]!);
    }),
  );
}

async function main() {
  // The SDK's INFO line per activity would be measured too (and drown the table): warnings and errors only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const began = performance.now();
  const smtp = await startSmtpCapture();
  const env = await devServerEnv();
  const { client } = env;
  const worker = await testWorker(env, smtp.port);
  const running = worker.run();
  const server = createApp({
    service: new ProcessService({
      client,
      taskQueue: TASK_QUEUE,
      namespace: 'default',
      webUiUrl: 'http://localhost:8233',
    }),
    calendar: calendarFromConfig(loadConfig({})),
    tokens,
    logger: silentLogger, // a line per request would be measured too
    log: (message) => console.error(`[api] ${message}`),
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = async (path: string, token: string, body: object) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { deadlines?: unknown[] };
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  /** What the route would start, started directly: `client.workflow.start`, no answer awaited. */
  const rawStart = async (definition: AnyProcessDefinition, body: object, taskQueue = TASK_QUEUE) => {
    const start = definition.start!;
    const parsed = withMailDomains(DEFAULT_MAIL_DOMAINS, () => parse(start.schema, body));
    return client.workflow.start(definition.workflow as Workflow, {
      taskQueue,
      workflowId: `${definition.idPrefix}-${start.businessId(parsed)}`,
      args: start.toArgs(parsed, benchActor, new Date()),
      typedSearchAttributes: start.searchAttributes(parsed),
      staticSummary: start.summary(parsed),
    });
  };
  /** Waits (untimed) until the worker has armed each started workflow, so its backlog is not measured next. */
  const settled = (handles: WorkflowHandle[]) =>
    inBatches(handles, 8, (handle) => handle.executeUpdate<unknown, []>('started'));

  // ---- starts ----
  type Path = 'service' | 'raw';
  const startRuns = new Map<string, Run[]>();
  const keyOf = (resource: string, clients: number, path: Path) => `${resource}|${clients}|${path}`;
  for (const resource of measured) {
    const definition = definitionOf(resource);
    const warm: WorkflowHandle[] = [];
    for (let i = 0; i < 5; i += 1) {
      await post(`/v1/${resource}`, BENCH_TOKEN, bodies[resource]!.body(nextId('W')));
      warm.push(await rawStart(definition, bodies[resource]!.body(nextId('W'))));
    }
    await settled(warm);
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const resource of measured) {
      const definition = definitionOf(resource);
      const { body } = bodies[resource]!;
      for (const clients of CLIENTS) {
        const n = startsAt(clients);
        const service = await load(n, clients, async () => {
          const answer = await post(`/v1/${resource}`, BENCH_TOKEN, body(nextId('S')));
          if (!answer.deadlines?.length) throw new Error(`${resource}: a start answered with no deadline`);
        });
        const handles: WorkflowHandle[] = [];
        const raw = await load(n, clients, async () => {
          handles.push(await rawStart(definition, body(nextId('R'))));
        });
        await settled(handles);
        for (const [path, run] of [
          ['service', service],
          ['raw', raw],
        ] as const) {
          const key = keyOf(resource, clients, path);
          startRuns.set(key, [...(startRuns.get(key) ?? []), run]);
        }
      }
    }
    console.error(
      `[bench] starts: round ${round + 1} of ${ROUNDS} done (${((performance.now() - began) / 1000).toFixed(0)} s)`,
    );
  }

  // ---- a PGL's approval, with few and with many briefings open; then the burst ----
  const rest = only
    ? undefined
    : await (async () => {
        const ntk = definitionOf('need-to-know');
        const approvalsWith = async () => {
          const http: number[] = [];
          const email: number[] = [];
          for (let i = 0; i < APPROVALS; i += 1) {
            const id = nextId('A');
            await post('/v1/need-to-know', BENCH_TOKEN, briefing(id));
            const sentAt = performance.now();
            await post(`/v1/need-to-know/${id}/pgl-response`, 'local-pgl', { decision: 'approve' });
            http.push(performance.now() - sentAt);
            const [mail] = await smtp.waitFor((m) => m.messageId === `<ntk-${id}.briefing.v1.approved@test.example>`);
            email.push(mail!.receivedAt - sentAt);
          }
          return { http, email };
        };
        const openBriefings = async (count: number) => {
          const handles: WorkflowHandle[] = [];
          await inBatches(Array.from({ length: count }), 16, async () => {
            handles.push(await rawStart(ntk, briefing(nextId('O'))));
          });
          await settled(handles);
        };
        await openBriefings(FEW_OPEN);
        const fewOpen = await approvalsWith();
        await openBriefings(OPEN - FEW_OPEN);
        const manyOpen = await approvalsWith();
        console.error(`[bench] approvals done (${((performance.now() - began) / 1000).toFixed(0)} s)`);

        // ---- 500 overdue briefings at once ----
        const burstQueue = `${TASK_QUEUE}-burst-${runId}`;
        const weekAgo = iso(-7 * DAY);
        const burstIds: string[] = [];
        await inBatches(Array.from({ length: BURST }), 16, async () => {
          const id = nextId('O');
          burstIds.push(`<ntk-${id}.briefing.v1.not_yet_reviewed@test.example>`);
          await rawStart(ntk, briefing(id, { concernAroseAt: weekAgo }), burstQueue);
        });
        const wanted = new Set(burstIds);
        const mailBefore = smtp.messages.length;
        const burstWorker = await createWorker({
          connection: env.nativeConnection,
          namespace: 'default',
          taskQueue: burstQueue,
          deps: testDeps(smtp.port),
          payloadKeys: testPayloadKeys,
          workflowBundle: await workflowBundle(),
        });
        const burstBegan = performance.now();
        const burstRunning = burstWorker.run();
        const directorMails = await smtp.waitFor((m) => wanted.has(m.messageId), BURST, 180_000);
        const times = directorMails.map((m) => m.receivedAt - burstBegan).sort((a, b) => a - b);
        const lastAt = times[times.length - 1]! / 1000;
        const allMails = smtp.messages
          .slice(mailBefore)
          .filter((m) => m.receivedAt - burstBegan <= times[times.length - 1]!);
        burstWorker.shutdown();
        await burstRunning;
        const burst = {
          directorRate: BURST / lastAt,
          allRate: allMails.length / lastAt,
          firstAt: times[0]! / 1000,
          lastAt,
        };
        return { fewOpen, manyOpen, burst };
      })();
  const totalSeconds = (performance.now() - began) / 1000;
  server.close();
  worker.shutdown();
  await running;
  await env.teardown();
  await smtp.close();

  // ---- the table ----
  const old: Record<string, Partial<Record<number, { service: string; raw: string; ratio: number }>>> = {
    'need-to-know': {
      1: { service: '10.4/s p99 162', raw: '68/s p99 66', ratio: 0.15 },
      16: { service: '47/s p99 550', raw: '216/s p99 139', ratio: 0.22 },
    },
    'looked-after-children': {
      1: { service: '6.3/s p99 241', raw: '140/s', ratio: 0.045 },
      16: { service: '22/s p99 860', raw: '158/s', ratio: 0.14 },
    },
  };
  const f0 = (x: number) => x.toFixed(0);
  const f1 = (x: number) => x.toFixed(1);
  const goals: Array<[string, boolean]> = [];
  console.log(
    `\nStarts (${ROUNDS} round${ROUNDS > 1 ? 's' : ''}; starts/s median [min–max]; latency ms p50/p99 over all rounds)`,
  );
  console.log(
    `${'process'.padEnd(22)}${'clients'.padStart(7)}  ${'NEW service'.padEnd(34)}${'NEW raw client.workflow.start'.padEnd(34)}${'ratio'.padStart(6)}   OLD service / raw / ratio`,
  );
  const cell = (s: Summary) =>
    `${f1(s.rate)} [${f1(s.rateMin)}–${f1(s.rateMax)}]/s ${f0(s.p50)}/${f0(s.p99)} ms`.padEnd(34);
  for (const resource of measured) {
    for (const clients of CLIENTS) {
      const service = summarise(startRuns.get(keyOf(resource, clients, 'service'))!);
      const raw = summarise(startRuns.get(keyOf(resource, clients, 'raw'))!);
      const ratio = service.rate / raw.rate;
      const was = old[resource]?.[clients];
      console.log(
        `${bodies[resource]!.label.padEnd(22)}${String(clients).padStart(7)}  ${cell(service)}${cell(raw)}${ratio.toFixed(2).padStart(6)}   ${was ? `${was.service} / ${was.raw} / ${was.ratio}` : ''}`,
      );
      if (clients === 16)
        goals.push([`${bodies[resource]!.label}: start ≥ 0.7× raw at 16 clients (${ratio.toFixed(2)})`, ratio >= 0.7]);
      if (clients === 4)
        goals.push([
          `${bodies[resource]!.label}: start p99 ≤ 250 ms at 4 clients (${f0(service.p99)} ms)`,
          service.p99 <= 250,
        ]);
    }
  }
  if (rest) {
    const { fewOpen, manyOpen, burst } = rest;
    console.log(`\nPGL approval (${APPROVALS} one after another), ms p50/p99`);
    const row = (label: string, few: number[], many: number[], oldText: string) =>
      console.log(
        `  ${label.padEnd(30)} ${FEW_OPEN} open ${f0(quantile(few, 0.5))}/${f0(quantile(few, 0.99))}   ${OPEN} open ${f0(quantile(many, 0.5))}/${f0(quantile(many, 0.99))}   ratio of p99 ${(quantile(fewOpen.email, 0.99) > 0 ? quantile(many, 0.99) / quantile(few, 0.99) : NaN).toFixed(2)}   OLD ${oldText}`,
      );
    row('HTTP pgl-response', fewOpen.http, manyOpen.http, 'p99 145 ms (10 open) vs 130 ms (1,000 open)');
    row("→ the Director's email", fewOpen.email, manyOpen.email, '(not measured)');
    const approvalP99 = quantile(manyOpen.email, 0.99);
    goals.push([
      `PGL approval → Director's email p99 ≤ 300 ms with ${OPEN} open (${f0(approvalP99)} ms)`,
      approvalP99 <= 300,
    ]);
    console.log(`\n${BURST} overdue briefings at once (from the worker's start)`);
    console.log(
      `  Director emails ${f0(burst.directorRate)}/s (all emails ${f0(burst.allRate)}/s), first after ${f1(burst.firstAt)} s, last after ${f1(burst.lastAt)} s   OLD Director 53/s (all 157/s), last after 9.4 s`,
    );
    goals.push([`${BURST} overdue notices at ≥ 20 emails/s (${f0(burst.directorRate)}/s)`, burst.directorRate >= 20]);
  }
  console.log('\nGoals');
  for (const [goal, met] of goals) console.log(`  ${met ? 'MET    ' : 'NOT MET'} ${goal}`);
  console.log(`\n(${f0(totalSeconds)} s in all${quick ? ', --quick: a smoke run, not figures' : ''})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
