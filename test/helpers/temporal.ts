/** Real Temporal servers for tests: the time-skipping test server and the CLI dev server. */
import type { Client, Workflow, WorkflowHandle, WorkflowStartOptions } from '@temporalio/client';
import type { EvidenceStore } from '../../src/evidence/store';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows, createWorker } from '../../worker/worker';
import nodemailer from 'nodemailer';
import path from 'node:path';
import type { ActivityDeps } from '../../activities';
import { WorkingDayCalendar } from '../../src/calendar';
import { englandAndWalesHolidays, type HolidayOverrides } from '../../src/holidays';
import { localDirectory } from '../../src/config';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { EncryptionCodec, encryptingDataConverter, parsePayloadKeys } from '../../src/payload-codec';
import { readFileSync } from 'node:fs';
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

/** The tests' payload key (test/payload-keys.json, never a real one): every test client and worker encrypts. */
export const testPayloadKeys = parsePayloadKeys(readFileSync(path.resolve(__dirname, '../payload-keys.json'), 'utf8'));
export const testDataConverter = encryptingDataConverter(testPayloadKeys);

/** A payload of a fetched history (stored encrypted), as the value it holds. */
export async function decodedPayload<T>(payload: Payload): Promise<T> {
  const [decoded] = await new EncryptionCodec(testPayloadKeys).decode([payload]);
  return defaultPayloadConverter.fromPayload<T>(decoded!);
}

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    client: { dataConverter: testDataConverter },
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

/** The CLI dev server; with `dbFilename`, its SQLite store is that file (in memory otherwise). */
export function devServerEnv(options: { dbFilename?: string } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    server: {
      executable: { type: 'existing-path', path: path.join(tools, 'temporal') },
      dbFilename: options.dbFilename,
      searchAttributes: [ProcessType, Stage, CaseReference, ChildReference, NextDeadlineAt, OverdueCount],
      extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One workflow bundle per test file: bundling is the slow part of starting a worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflows({ logger: quietLogger });
  return bundle;
}

/** What `Worker.runReplayHistory` needs to replay the service's histories, encrypted or recorded before the codec. */
export async function replayOptions() {
  return { workflowBundle: await workflowBundle(), dataConverter: testDataConverter };
}

export const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export function testDeps(smtpPort: number, overrides?: HolidayOverrides): ActivityDeps {
  return {
    calendar: new WorkingDayCalendar(englandAndWalesHolidays(overrides)),
    // Pooled: the capture (smtp-server) waits 100 ms before greeting each new connection, which
    // was a third of a long scenario's time (278 emails in the 18-year episode).
    mailer: nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
    }),
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
export async function testWorker(
  env: TestWorkflowEnvironment,
  smtpPort: number,
  evidence?: EvidenceStore,
): Promise<Worker> {
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: { ...testDeps(smtpPort), evidence },
    payloadKeys: testPayloadKeys,
    workflowBundle: await workflowBundle(),
  });
}

/**
 * Terminates a workflow once no activity of it is pending (within 10 s). The time-skipping test
 * server keeps time locked for an activity scheduled but not yet started when its workflow is
 * terminated (the evidence a decision just wrote), and every later skip in the file then hangs.
 */
export async function terminateWhenSettled(handle: WorkflowHandle, reason = 'test done'): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until && (await handle.describe()).raw.pendingActivities?.length)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await handle.terminate(reason);
}
