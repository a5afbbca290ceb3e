/**
 * The one place the API talks to Temporal: start a process, read its state, apply a decision.
 * Temporal's errors become problems a caller can act on (README "API").
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type Workflow,
  type WorkflowStartOptions,
} from '@temporalio/client';
import {
  ApplicationFailure,
  type QueryDefinition,
  type SearchAttributePair,
  type UpdateDefinition,
} from '@temporalio/common';
import { ProcessType } from '../search-attributes';
import { HttpProblem } from './problem';

export interface ServiceOptions {
  client: Client;
  taskQueue: string;
  namespace: string;
  webUiUrl: string;
  /**
   * How long a start may take to answer with its armed state (default 10 s); past it, a start
   * whose workflow exists is reported as applied but unanswered (`StartUnanswered`).
   */
  startTimeoutMs?: number;
}

export interface StartRequest<W extends Workflow, State> {
  workflow: W;
  workflowId: string;
  args: Parameters<W>;
  searchAttributes: SearchAttributePair[];
  summary: string;
  /** The workflow's start update (`answerWhenStarted`): its state once the first deadlines are armed. */
  answer: UpdateDefinition<State, []>;
}

/**
 * The workflow was started, but its answer did not come (timed out, or the worker could not
 * answer the update): the start is applied, and its state must be read later.
 */
export class StartUnanswered extends Error {
  constructor(
    readonly workflowId: string,
    cause: unknown,
  ) {
    super(`${workflowId} was started; its answer failed`, { cause });
    this.name = 'StartUnanswered';
  }
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function isUnavailable(error: unknown): boolean {
  const code =
    (error as { code?: number; cause?: { code?: number } }).code ??
    (error as { cause?: { code?: number } }).cause?.code;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** Maps a Temporal error to a problem; anything unrecognised is rethrown as our own fault. */
function toProblem(error: unknown, workflowId: string): never {
  if (error instanceof HttpProblem) throw error;
  if (error instanceof WorkflowNotFoundError)
    throw new HttpProblem(404, 'Not found', `no process with id ${workflowId}`);
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    // Only the process's own refusals speak to the caller; anything else is ours and stays in the log.
    if (cause instanceof ApplicationFailure && cause.type === 'StageConflict')
      throw new HttpProblem(409, 'Conflict', cause.message);
    if (cause instanceof ApplicationFailure && cause.type === 'DuplicateEvent')
      throw new HttpProblem(409, 'Already recorded', cause.message, { existingId: workflowId });
    throw new HttpProblem(409, 'Conflict', 'the process could not apply this decision', {}, {}, cause ?? error);
  }
  const message = (error as Error)?.message ?? '';
  if (/workflow execution already completed|already completed/i.test(message)) {
    throw new HttpProblem(409, 'Conflict', 'the process has already ended');
  }
  if (/not found/i.test(message) && /workflow/i.test(message))
    throw new HttpProblem(404, 'Not found', `no process with id ${workflowId}`);
  if (isUnavailable(error))
    throw new HttpProblem(503, 'Service unavailable', 'the workflow server cannot be reached; nothing was changed');
  throw error;
}

export class ProcessService {
  constructor(readonly options: ServiceOptions) {}

  webUiLink(workflowId: string): string {
    return `${this.options.webUiUrl}/namespaces/${encodeURIComponent(this.options.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  /**
   * Starts exactly once per business id and answers the state with every first deadline armed, in
   * one call (update-with-start: the start and its `answer` update travel together, and the update
   * returns once the workflow has armed them). A duplicate is a 409 naming the existing process,
   * with nothing started; an unreachable server is a 503 with nothing started.
   */
  async start<W extends Workflow, State>(request: StartRequest<W, State>): Promise<State> {
    const { client, taskQueue, startTimeoutMs = 10_000 } = this.options;
    const startWorkflowOperation = new WithStartWorkflowOperation(request.workflow, {
      taskQueue,
      workflowId: request.workflowId,
      args: request.args,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      typedSearchAttributes: request.searchAttributes,
      staticSummary: request.summary,
    } as unknown as WorkflowStartOptions<W> & { workflowIdConflictPolicy: WorkflowIdConflictPolicy });
    try {
      return await client.withDeadline(Date.now() + startTimeoutMs, () =>
        client.workflow.executeUpdateWithStart(request.answer, { startWorkflowOperation }),
      );
    } catch (error) {
      // FAIL and REJECT_DUPLICATE: an existing process, running or ended, refuses the whole call.
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new HttpProblem(
          409,
          'Already started',
          `a process with id ${request.workflowId} already exists; nothing was started`,
          {
            existingId: request.workflowId,
          },
        );
      }
      // Any other failure with the workflow there (the already-started case is ruled out above):
      // this call started it, and only the answer is missing. A server that cannot say (unreachable)
      // started nothing that can be seen: 503, as when the start itself cannot be sent.
      if (await this.exists(request.workflowId, 5_000)) throw new StartUnanswered(request.workflowId, error);
      toProblem(error, request.workflowId);
    }
  }

  /** Reads a process's state; with `timeoutMs`, gives up (503) rather than wait on a busy worker. */
  async query<T>(workflowId: string, query: QueryDefinition<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    const read = () => this.options.client.workflow.getHandle(workflowId).query(query);
    try {
      return await (options.timeoutMs === undefined
        ? read()
        : this.options.client.withDeadline(Date.now() + options.timeoutMs, read));
    } catch (error) {
      toProblem(error, workflowId);
    }
  }

  async update<T>(workflowId: string, updateName: string, arg: object): Promise<T> {
    const handle = this.options.client.workflow.getHandle(workflowId);
    try {
      return await handle.executeUpdate<T, [object]>(updateName, { args: [arg] });
    } catch (error) {
      // An update to a finished workflow reports "not found": the process exists but has ended.
      if (error instanceof WorkflowNotFoundError && (await this.exists(workflowId))) {
        throw new HttpProblem(409, 'Conflict', 'the process has already ended; nothing was changed');
      }
      toProblem(error, workflowId);
    }
  }

  /**
   * The child's running processes of the given types, by the case system's child reference (a
   * search attribute): workflow ids by process type. Visibility lags a start by a moment; an event
   * about a child names their status too, and the stricter reading of the two applies.
   */
  async findRunning(childReference: string, processTypes: readonly string[]): Promise<Map<string, string>> {
    // The child reference and the process types are validated patterns (no quotes): safe in a query.
    const types = processTypes.map((type) => `'${type}'`).join(', ');
    const query = `ChildReference = '${childReference}' AND ExecutionStatus = 'Running' AND ProcessType IN (${types})`;
    const found = new Map<string, string>();
    try {
      for await (const execution of this.options.client.workflow.list({ query })) {
        const type = execution.typedSearchAttributes.get(ProcessType);
        if (type && !found.has(type)) found.set(type, execution.workflowId);
      }
    } catch (error) {
      toProblem(error, `child ${childReference}`);
    }
    return found;
  }

  private async exists(workflowId: string, timeoutMs?: number): Promise<boolean> {
    const describe = () => this.options.client.workflow.getHandle(workflowId).describe();
    try {
      await (timeoutMs === undefined ? describe() : this.options.client.withDeadline(Date.now() + timeoutMs, describe));
      return true;
    } catch {
      return false;
    }
  }
}
