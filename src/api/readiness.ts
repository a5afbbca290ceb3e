/**
 * Readiness (`GET /ready`): can this API do its work now? Temporal answers, the evidence store
 * answers (when the API has one), and a worker has polled the task queue for workflow tasks and
 * for activity tasks within the last minute (otherwise every start would wait for nobody).
 *
 * Each check gives up after `timeoutMs` (2 s), and one result serves every caller for `cacheMs`
 * (1 s), in flight included: a flood of /ready requests starts at most one round of checks a
 * second, whatever their number. Details name the failure's kind only (a timeout, a
 * gRPC code, an error's name), never a message that could quote a connection string.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import type { EvidenceStore } from '../evidence/store';

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

export type CheckName = 'temporal' | 'evidence-store' | 'workflow-pollers' | 'activity-pollers';

export interface CheckResult {
  name: CheckName;
  status: 'pass' | 'fail';
  /** Why it failed, or what it saw. */
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckResult[];
  /** When the checks ran (ISO instant): a cached answer is at most `cacheMs` old. */
  checkedAt: string;
}

export interface ReadinessDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** The evidence store the API reads; without one, no store check. */
  store?: EvidenceStore;
  timeoutMs?: number;
  cacheMs?: number;
  /** A worker counts as polling when Temporal saw its poll this recently (default a minute). */
  pollerWindowMs?: number;
  now?: () => number;
}

/** A check that ran and saw no worker: its own message is the detail (it holds ids of ours only). */
class PollerAbsent extends Error {
  override name = 'PollerAbsent';
}

class CheckTimeout extends Error {
  override name = 'CheckTimeout';
}

function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), ms);
  });
  return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
}

/** The kind of a failure, never its message: `timed out after 2000 ms`, `failed (gRPC status 14)`, `failed (ECONNREFUSED)`. */
function failureKind(error: unknown, timeoutMs: number): string {
  if (error instanceof CheckTimeout) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return `failed (gRPC status ${code})`;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return `failed (${code})`;
  return `failed (${error instanceof Error ? error.name : 'unknown'})`;
}

export class Readiness {
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly pollerWindowMs: number;
  private readonly now: () => number;
  private cached?: { at: number; report: Promise<ReadinessReport> };

  constructor(private readonly deps: ReadinessDeps) {
    this.timeoutMs = deps.timeoutMs ?? 2_000;
    this.cacheMs = deps.cacheMs ?? 1_000;
    this.pollerWindowMs = deps.pollerWindowMs ?? 60_000;
    this.now = deps.now ?? Date.now;
  }

  /** The latest report, or a new round of checks when it is older than `cacheMs`. */
  report(): Promise<ReadinessReport> {
    const now = this.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.report;
    const report = this.run(now);
    this.cached = { at: now, report };
    // A round still in flight is shared; its age counts from its start.
    return report;
  }

  private async run(startedAt: number): Promise<ReadinessReport> {
    const checks: Array<Promise<CheckResult>> = [
      this.check('temporal', async () => {
        await this.temporalCall((client) => client.workflowService.getSystemInfo({}));
        return 'answers';
      }),
      ...(this.deps.store ? [this.check('evidence-store', () => this.pingStore(this.deps.store!))] : []),
      this.check('workflow-pollers', () => this.pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, 'workflow')),
      this.check('activity-pollers', () => this.pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, 'activity')),
    ];
    const results = await Promise.all(checks);
    return {
      ready: results.every((result) => result.status === 'pass'),
      checks: results,
      checkedAt: new Date(startedAt).toISOString(),
    };
  }

  private async check(name: CheckName, probe: () => Promise<string>): Promise<CheckResult> {
    try {
      return { name, status: 'pass', detail: await within(this.timeoutMs, probe) };
    } catch (error) {
      if (error instanceof PollerAbsent) return { name, status: 'fail', detail: error.message };
      return { name, status: 'fail', detail: failureKind(error, this.timeoutMs) };
    }
  }

  /** A call under a gRPC deadline, so a call that times out is also cancelled on the wire. */
  private temporalCall<T>(call: (client: Client) => Promise<T>): Promise<T> {
    const { client } = this.deps;
    return client.withDeadline(this.now() + this.timeoutMs, () => call(client));
  }

  private async pingStore(store: EvidenceStore): Promise<string> {
    await sql`select 1`.execute(store.db);
    return 'answers';
  }

  private async pollers(taskQueueType: temporal.api.enums.v1.TaskQueueType, what: string): Promise<string> {
    const { namespace, taskQueue } = this.deps;
    const response = await this.temporalCall((client) =>
      client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
      }),
    );
    const since = this.now() - this.pollerWindowMs;
    const recent = (response.pollers ?? []).filter((poller) => {
      const seconds = poller.lastAccessTime?.seconds;
      return seconds !== undefined && seconds !== null && Number(seconds) * 1000 >= since;
    });
    if (recent.length === 0) {
      throw new PollerAbsent(
        `no worker has polled ${taskQueue} for ${what} tasks within ${Math.round(this.pollerWindowMs / 1000)} s`,
      );
    }
    return `${recent.length} polling`;
  }
}
