/** The real parts a test file runs against: a Temporal server, a worker, SMTP on loopback, the API. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/api/app';
import type { Authenticator } from '../../src/api/auth';
import { EvidenceReports } from '../../src/evidence/reports';
import { localOrganisation } from '../../src/organisation';
import type { WebOptions } from '../../src/web/router';
import { ProcessService, type ServiceOptions } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, type TokenTable } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';
import { bundleWorkflows, createWorker } from '../../worker/worker';
import type { HolidayOverrides } from '../../src/holidays';
import type { EvidenceStore } from '../../src/evidence/store';
import { testEvidenceStore } from './evidence';
import { startSmtpCapture, type SmtpCapture } from './smtp';
import {
  devServerEnv,
  quietLogger,
  TASK_QUEUE,
  testDeps,
  testPayloadKeys,
  testWorker,
  timeSkippingEnv,
  workflowBundle,
} from './temporal';
import { chooseBase, type BaseOptions, type TimeBase } from './time-base';

export interface Stack {
  env: TestWorkflowEnvironment;
  smtp: SmtpCapture;
  stop(): Promise<void>;
}

async function withWorker(env: TestWorkflowEnvironment, smtp: SmtpCapture, evidence?: EvidenceStore): Promise<Stack> {
  const worker = await testWorker(env, smtp.port, evidence);
  const running = worker.run();
  return {
    env,
    smtp,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await smtp.close();
    },
  };
}

export interface TimeSkippingOptions {
  /** The workflows to bundle instead of the service's (`workflows/`), e.g. a test workflow. */
  workflowsPath?: string;
  /** The file's task queue (TASK_QUEUE unless told). */
  taskQueue?: string;
  /** false: no worker runs for the file; its tests start their own with `worker()`. */
  runWorker?: boolean;
  /** true: the worker writes the workflows' evidence to an in-memory store, `stack.evidence`. */
  evidence?: boolean;
}

/**
 * One time-skipping test server for a test file, with an SMTP capture and a worker, set up in the
 * file's beforeAll and torn down in its afterAll. The server's clock starts at the real now and
 * only moves forward: each scenario takes its own time base with `base()`, chosen after the clock as
 * it stands when the scenario starts, so no scenario depends on which ran before it.
 *
 * ```ts
 * const stack = useTimeSkippingStack();
 * it('…', async () => {
 *   const t = await stack.base({ weekday: 'Monday' });
 *   await stack.skipTo(t.at(0, '10:00'));
 *   const handle = await stack.env.client.workflow.start(…);
 * });
 * ```
 */
export function useTimeSkippingStack(options: TimeSkippingOptions = {}) {
  const taskQueue = options.taskQueue ?? TASK_QUEUE;
  let parts:
    | {
        env: TestWorkflowEnvironment;
        smtp: SmtpCapture;
        evidence?: EvidenceStore;
        worker?: Worker;
        running?: Promise<void>;
      }
    | undefined;
  let ownBundle: Promise<WorkflowBundleWithSourceMap> | undefined;
  const bundle = () =>
    options.workflowsPath
      ? (ownBundle ??= bundleWorkflows({ workflowsPath: options.workflowsPath, logger: quietLogger }))
      : workflowBundle();
  const got = () => {
    if (!parts) throw new Error('the time-skipping stack is set up in beforeAll: use it inside a test');
    return parts;
  };
  const stack = {
    taskQueue,
    get env(): TestWorkflowEnvironment {
      return got().env;
    },
    get smtp(): SmtpCapture {
      return got().smtp;
    },
    get evidence(): EvidenceStore {
      const { evidence } = got();
      if (!evidence) throw new Error('the stack has no evidence store: useTimeSkippingStack({ evidence: true })');
      return evidence;
    },
    /** The server's clock, in ms. */
    now: () => got().env.currentTimeMs(),
    /** Moves the server's clock forward to `iso`; refuses to move it back. */
    async skipTo(iso: string): Promise<void> {
      const { env } = got();
      const now = await env.currentTimeMs();
      const target = Date.parse(iso);
      if (Number.isNaN(target)) throw new Error(`not an instant: ${iso}`);
      if (target < now) throw new Error(`test clock is already past ${iso}`);
      await env.sleep(target - now);
    },
    /** A time base for one scenario, after the clock as it stands now (see time-base.ts). */
    async base(baseOptions?: BaseOptions): Promise<TimeBase> {
      return chooseBase(await got().env.currentTimeMs(), baseOptions);
    },
    /** A worker on the file's server and task queue, not yet running. */
    async worker(workerOptions: { holidays?: HolidayOverrides; maxCachedWorkflows?: number } = {}): Promise<Worker> {
      const { env, smtp, evidence } = got();
      return createWorker({
        connection: env.nativeConnection,
        namespace: 'default',
        taskQueue,
        deps: { ...testDeps(smtp.port, workerOptions.holidays), evidence },
        payloadKeys: testPayloadKeys,
        workflowBundle: await bundle(),
        maxCachedWorkflows: workerOptions.maxCachedWorkflows,
      });
    },
  };
  beforeAll(async () => {
    parts = {
      smtp: await startSmtpCapture(),
      env: await timeSkippingEnv(),
      evidence: options.evidence ? await testEvidenceStore() : undefined,
    };
    if (options.runWorker === false) return;
    parts.worker = await stack.worker();
    parts.running = parts.worker.run();
  });
  afterAll(async () => {
    if (!parts) return;
    parts.worker?.shutdown();
    await parts.running;
    await parts.env.teardown();
    await parts.smtp.close();
    await parts.evidence?.close();
  });
  return stack;
}

export interface ApiResponse {
  status: number;
  type: string;
  location: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The CLI dev server, a worker and the real HTTP API on an ephemeral port. */
export interface ApiStackOptions {
  /** Replaces the process service (to inject a fault); it receives the real options. */
  service?: (options: ServiceOptions) => ProcessService;
  mailDomains?: readonly string[];
  /** Every line the API logs besides its request lines. */
  log?: (message: string, error?: unknown) => void;
  /** Replaces the static table given (e.g. one that also verifies JWTs). */
  authenticator?: Authenticator;
  /** The dev server's SQLite file (in memory otherwise). */
  dbFilename?: string;
  /** The API's logger (its request lines, and the rest unless `log` is given); silent unless told. */
  logger?: Logger;
  /** The pages for managers (src/web/), mounted as createApp mounts them. */
  web?: WebOptions;
  /** The worktray and reports (src/evidence/reports.ts); without it, those routes answer 503. */
  reports?: EvidenceReports;
  /** The worker writes the workflows' evidence here and the reports read it (instead of `reports`). */
  evidence?: EvidenceStore;
}

export async function apiStack(
  tokens: TokenTable,
  options: ApiStackOptions = {},
): Promise<
  Stack & {
    base: string;
    service: ProcessService;
    call(method: string, path: string, token: string | undefined, body?: unknown): Promise<ApiResponse>;
  }
> {
  const smtp = await startSmtpCapture();
  const env = await devServerEnv({ dbFilename: options.dbFilename });
  const stack = await withWorker(env, smtp, options.evidence);
  const calendar = calendarFromConfig(loadConfig({}));
  const reports = options.evidence
    ? new EvidenceReports({ store: options.evidence, calendar, organisation: localOrganisation })
    : options.reports;
  const serviceOptions: ServiceOptions = {
    client: env.client,
    taskQueue: TASK_QUEUE,
    namespace: env.namespace ?? 'default',
    webUiUrl: 'http://localhost:8233',
  };
  const service = options.service?.(serviceOptions) ?? new ProcessService(serviceOptions);
  const app = createApp({
    service,
    calendar,
    ...(options.authenticator ? { authenticator: options.authenticator } : { tokens }),
    mailDomains: options.mailDomains,
    logger: options.logger ?? silentLogger,
    log: options.log,
    web: options.web,
    reports,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...stack,
    base,
    service,
    async call(method, path, token, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        location: response.headers.get('location'),
        body: text ? JSON.parse(text) : undefined,
      };
    },
    async stop() {
      server.close();
      await stack.stop();
    },
  };
}
