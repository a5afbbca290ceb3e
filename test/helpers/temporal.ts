/** Real Temporal servers for tests: the time-skipping test server and the CLI dev server. */
import type { Client, Workflow, WorkflowHandle, WorkflowStartOptions } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createWorker } from '../../worker/worker';
import nodemailer from 'nodemailer';
import path from 'node:path';
import type { ActivityDeps } from '../../activities';
import { WorkingDayCalendar } from '../../src/calendar';
import { englandAndWalesHolidays, type HolidayOverrides } from '../../src/holidays';
import { localDirectory } from '../../src/config';
import { temporal } from '@temporalio/proto';
import {
  CaseReference,
  ChildReference,
  NextDeadlineAt,
  OverdueCount,
  ProcessType,
  searchAttributeDefinitions,
  Stage,
} from '../../src/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

const tools = path.resolve(__dirname, '../../.tools/bin');
export const TASK_QUEUE = 'test-deadlines';

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: path.join(tools, 'temporal-test-server') } },
  });
  // The test server knows no custom search attributes until they are registered.
  const types = {
    Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(searchAttributeDefinitions).map(([name, type]) => [name, types[type]]),
    ),
  });
  return env;
}

export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: path.join(tools, 'temporal') },
      searchAttributes: [ProcessType, Stage, CaseReference, ChildReference, NextDeadlineAt, OverdueCount],
      extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One workflow bundle per test file: bundling is the slow part of starting a worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../workflows'), logger: quietLogger });
  return bundle;
}

export const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export function testDeps(smtpPort: number, overrides?: HolidayOverrides): ActivityDeps {
  return {
    calendar: new WorkingDayCalendar(englandAndWalesHolidays(overrides)),
    mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }),
    directory: localDirectory,
    mail: { from: 'deadlines@example.test', messageIdDomain: 'test.example' },
    immediateSlaMs: 3_600_000,
  };
}

/**
 * Starts a process directly and answers, as the API's start does, once its first deadlines are
 * armed (the `started` update every process has): a query sent at once could otherwise overtake
 * the first workflow task and see none.
 */
export async function startProcess<W extends Workflow>(
  client: Client,
  workflow: W,
  options: WorkflowStartOptions<W>,
): Promise<WorkflowHandle<W>> {
  const handle = await client.workflow.start(workflow, options);
  await handle.executeUpdate<unknown, []>('started');
  return handle;
}

/** A worker (not yet running) for the test task queue on `env`, sending its mail to the capture on `smtpPort`. */
export async function testWorker(env: TestWorkflowEnvironment, smtpPort: number): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: testDeps(smtpPort),
    workflowBundle: await workflowBundle(),
  });
}
