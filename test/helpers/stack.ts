/** The real parts a test file runs against: a Temporal server, a worker, SMTP on loopback, the API. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { ProcessService, type ServiceOptions } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, type TokenTable } from '../../src/config';
import { createWorker } from '../../worker/worker';
import { startSmtpCapture, type SmtpCapture } from './smtp';
import { devServerEnv, TASK_QUEUE, testDeps, timeSkippingEnv, workflowBundle } from './temporal';

export interface Stack {
  env: TestWorkflowEnvironment;
  smtp: SmtpCapture;
  stop(): Promise<void>;
}

async function withWorker(env: TestWorkflowEnvironment, smtp: SmtpCapture): Promise<Stack> {
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: testDeps(smtp.port),
    workflowBundle: await workflowBundle(),
  });
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

/** The time-skipping test server: its clock only moves forward, so a file's tests run in date order. */
export async function timeSkippingStack(): Promise<Stack & { skipTo(iso: string): Promise<void> }> {
  const smtp = await startSmtpCapture();
  const env = await timeSkippingEnv();
  const stack = await withWorker(env, smtp);
  return {
    ...stack,
    async skipTo(iso: string) {
      const now = await env.currentTimeMs();
      const target = Date.parse(iso);
      if (target < now) throw new Error(`test clock is already past ${iso}`);
      await env.sleep(target - now);
    },
  };
}

export interface ApiResponse {
  status: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The CLI dev server, a worker and the real HTTP API on an ephemeral port. */
export interface ApiStackOptions {
  /** Replaces the process service (to inject a fault); it receives the real options. */
  service?: (options: ServiceOptions) => ProcessService;
  mailDomains?: readonly string[];
  /** Every line the API logs. */
  log?: (message: string, error?: unknown) => void;
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
  const env = await devServerEnv();
  const stack = await withWorker(env, smtp);
  const serviceOptions: ServiceOptions = {
    client: env.client,
    taskQueue: TASK_QUEUE,
    namespace: 'default',
    webUiUrl: 'http://localhost:8233',
  };
  const service = options.service?.(serviceOptions) ?? new ProcessService(serviceOptions);
  const app = createApp({
    service,
    calendar: calendarFromConfig(loadConfig({})),
    tokens,
    mailDomains: options.mailDomains,
    log: options.log ?? (() => undefined),
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
        body: text ? JSON.parse(text) : undefined,
      };
    },
    async stop() {
      server.close();
      await stack.stop();
    },
  };
}
