/** Builds the worker that runs every workflow and activity of the service. */
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../activities';
import { calendarFromConfig, defaultWorkerTuning, type Config, type WorkerTuning } from '../src/config';
import { createMailTransport } from './mail-transport';
import { encryptingDataConverter, failureConverterPath, type PayloadKeys } from '../src/payload-codec';

const serviceWorkflows = path.resolve(__dirname, '../workflows');

/** The workflow code with the service's failure converter: production's pre-built bundle and the tests'. */
export function bundleWorkflows(
  options: { workflowsPath?: string; logger?: Parameters<typeof bundleWorkflowCode>[0]['logger'] } = {},
) {
  return bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? serviceWorkflows,
    failureConverterPath,
    logger: options.logger,
  });
}

export function activityDepsFromConfig(config: Config): ActivityDeps {
  return {
    calendar: calendarFromConfig(config),
    mailer: createMailTransport(config.smtp),
    directory: config.directory,
    mail: { from: config.mail.from, messageIdDomain: config.mail.messageIdDomain },
    immediateSlaMs: config.immediateSlaMs,
    // Emails link to the pages where they are served: the API serves them with a session secret.
    publicUrl: config.web.sessionSecret ? config.web.publicUrl : undefined,
  };
}

export interface ServiceWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Every payload the worker stores is encrypted with these (config PAYLOAD_KEYS). */
  payloadKeys: PayloadKeys;
  /** A pre-built bundle from `bundleWorkflows` (production, and tests that share one); otherwise the sources are bundled. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The sticky cache and slots (config WORKER_*); each one left out is its configured default. */
  tuning?: Partial<WorkerTuning>;
  /** 0 disables the sticky cache, so another worker can take over a workflow at once. */
  maxCachedWorkflows?: number;
}

export function createWorker({
  connection,
  namespace,
  taskQueue,
  deps,
  payloadKeys,
  workflowBundle,
  tuning,
  maxCachedWorkflows,
}: ServiceWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    ...defaultWorkerTuning(),
    ...tuning,
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    namespace,
    taskQueue,
    activities: createActivities(deps),
    dataConverter: encryptingDataConverter(payloadKeys),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: serviceWorkflows }),
  });
}
