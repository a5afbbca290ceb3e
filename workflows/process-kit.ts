/**
 * The process kit: what every process workflow shares. `createProcess()` gives a process its state,
 * deadline tracker, event log, stage guard, Web UI visibility, the one lock its decisions run under,
 * the decisions every process takes the same way, and the end of a run (complete or continue as new).
 */
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { BreachReason } from '../src/schemas';
import type { NotificationContext } from '../src/notifications';
import type { Decision, DeadlineView, ProcessEvent } from '../src/process';
import { NextDeadlineAt, OverdueCount, Stage } from '../src/search-attributes';
import { DeadlineTracker, type CarriedDeadline } from './deadline-tracker';
import { openJournal, type CarriedEvidence, type EvidenceJournal } from './evidence';

/** Rejects a decision (an update validator or handler): the API answers 409 with the message. */
export function stageConflict(message: string): never {
  throw ApplicationFailure.create({ type: 'StageConflict', message, nonRetryable: true });
}

/** Refuses an event already recorded (the case system's event id): the API answers 409 with the process's id. */
export function refuseDuplicateEvent(eventIds: readonly string[], eventId: string): void {
  if (eventIds.includes(eventId))
    throw ApplicationFailure.create({
      type: 'DuplicateEvent',
      message: `event ${eventId} is already recorded; nothing was changed`,
      nonRetryable: true,
    });
}

export const nowIso = (): string => new Date(Date.now()).toISOString();

/** Appends to the process's event log (the state's `events`). */
export const eventLog =
  (events: ProcessEvent[]) =>
  (type: string, summary: string, actor?: string): void => {
    events.push({ at: nowIso(), type, actor, summary });
  };

/**
 * Keeps the Web UI current: the deadline table as "current details" on every change, and the
 * search attributes only when they change (each upsert is a history event).
 */
export function visibility(title: string, stage: () => string, deadlines: () => DeadlineTracker) {
  let sent = '';
  return () => {
    const tracker = deadlines();
    setCurrentDetails(`**${title}** stage \`${stage()}\`\n\n${tracker.toMarkdown()}`);
    const next = tracker.nextDueAt();
    const attributes = { stage: stage(), next, overdue: tracker.overdueCount() };
    if (JSON.stringify(attributes) === sent) return;
    sent = JSON.stringify(attributes);
    upsertSearchAttributes([
      { key: Stage, value: attributes.stage },
      { key: NextDeadlineAt, value: next ? new Date(next) : null },
      { key: OverdueCount, value: attributes.overdue },
    ]);
  };
}

/** A decision's handler and validator, as `setHandler` takes them for an update. */
type Handler<Ret, Args extends unknown[]> = (...args: Args) => Ret | Promise<Ret>;
type Validator<Args extends unknown[]> = (...args: Args) => void;
export type Decide = <Ret, Args extends unknown[]>(
  update: UpdateDefinition<Ret, Args>,
  handler: Handler<Ret, Args>,
  options?: { validator?: Validator<Args> },
) => void;

/**
 * Decisions applied one at a time (Temporal's "safe message handlers"). A handler that awaits (a
 * deadline's plan, a send) would otherwise interleave with another one, and a history in which
 * two handlers' local activities overlapped no longer replays. `decide` registers an update whose
 * body runs under the process's one lock, after its validator runs again against the state the
 * previous decision left (the validator alone rejects early, with nothing written to history);
 * `exclusive` runs anything else that changes state (an automatic action) under it. The start
 * holds the lock from the moment `serialized()` is called until it calls `started()`: no decision
 * is applied before the first deadlines are armed.
 */
export function serialized(): {
  decide: Decide;
  exclusive: <T>(body: () => T | Promise<T>) => Promise<T>;
  started: () => Promise<void>;
} {
  const lock = new Mutex();
  const starting = lock.acquire(); // free, so taken at once
  const exclusive = <T>(body: () => T | Promise<T>): Promise<T> => lock.runExclusive(body);
  const decide: Decide = (update, handler, options) =>
    setHandler(
      update,
      (...args) =>
        exclusive(() => {
          options?.validator?.(...args);
          return handler(...args);
        }),
      options,
    );
  return { decide, exclusive, started: async () => (await starting)() };
}

/**
 * The start's answer. The API starts a process with update-with-start: one call starts the workflow
 * and sends it `update` (its messages' `startedUpdate`), which answers `view()` as soon as
 * `isReady()` (the start has armed its first deadlines), so a start needs no polling. It waits
 * outside the decision lock (the start holds that lock until armed) and changes nothing, so it is
 * no decision and writes no commands: histories recorded before it replay unchanged.
 */
export function answerWhenStarted<S>(update: UpdateDefinition<S, []>, isReady: () => boolean, view: () => S): void {
  setHandler(update, async () => {
    await condition(isReady);
    return view();
  });
}

/** No handler is running and no notice is in flight: the run may end or continue as new. */
export const settle = (deadlines: DeadlineTracker): Promise<void> =>
  condition(() => allHandlersFinished() && deadlines.settled());

/** What every process's state view has. */
export interface ProcessView<Stage extends string = string> {
  stage: Stage;
  events: ProcessEvent[];
  deadlines: DeadlineView[];
  /** False until the start (or the restored run) has armed its deadlines: the API's start answers after it. */
  ready: boolean;
}

/** A process's own state: its view without what the kit adds. */
export type StateOf<View extends ProcessView> = Omit<View, 'deadlines' | 'ready'>;

/** A process that lives for years carries its state and deadlines into each new run. */
export interface Carried<View extends ProcessView> {
  state: StateOf<View> & { cycle: number; links: { previousRuns: string[] } };
  deadlines: unknown[];
  /** Evidence not yet written when the run ended (absent in runs before the evidence store). */
  evidence?: unknown;
}

/** A decision's body: what it does; the kit runs it under the lock and answers it. */
type Body<Args extends unknown[]> = (...args: Args) => void | Promise<void>;

export interface ProcessOptions<View extends ProcessView> {
  /** Heading of the Web UI's current details. */
  title: string;
  /** Whom its notices are about (the case reference and the case's people); the kit adds the workflow id. */
  context: Omit<NotificationContext, 'workflowId'>;
  state: StateOf<View>;
  messages: {
    getStateQuery: QueryDefinition<View>;
    /** The start's answer (update-with-start): the state once the first deadlines are armed. */
    startedUpdate: UpdateDefinition<View, []>;
    breachReasonUpdate: UpdateDefinition<View | void, [Decision<BreachReason>]>;
    recomputeDeadlinesUpdate: UpdateDefinition<View | void, [Decision<Record<string, never>>]>;
  };
  /**
   * `'state'`: each decision answers with the new state. `'nothing'` for processes that live for
   * years: every update's result stays in history, so the API reads the state after it.
   */
  answers: 'state' | 'nothing';
  /** The previous run's deadlines and unwritten evidence, for a run continued as new. */
  carried?: { deadlines: unknown[]; evidence?: unknown };
  /** How a refused decision names the stage: " at stage X" unless the process says better. */
  stageText?: (stage: View['stage']) => string;
}

export type Process<View extends ProcessView> = ReturnType<typeof createProcess<View>>;

export function createProcess<View extends ProcessView>(options: ProcessOptions<View>) {
  const { state, messages } = options;
  const context: NotificationContext = { workflowId: workflowInfo().workflowId, ...options.context };
  const evidence = openJournal(
    context.workflowId,
    () => allHandlersFinished() && deadlines.settled(),
    options.carried?.evidence as CarriedEvidence | undefined,
  );
  recordProcess(evidence, state);
  const refresh = visibility(
    options.title,
    () => state.stage,
    () => deadlines,
  );
  const deadlines = new DeadlineTracker(context, refresh);
  const { decide: serializedDecide, exclusive, started } = serialized();
  const record = eventLog(state.events);
  let ready = false;
  const view = (): View => ({ ...state, ready, deadlines: deadlines.views() }) as View;
  const answer = (): View | undefined => (options.answers === 'state' ? view() : undefined);
  const stageText = options.stageText ?? ((stage: string) => ` at stage ${stage}`);

  /** Registers a decision: its validator refuses early, and runs again inside the lock. */
  const decide = <Args extends unknown[]>(
    update: UpdateDefinition<View | void, Args>,
    body: Body<Args>,
    validator?: Validator<Args>,
  ): void =>
    serializedDecide(
      update,
      async (...args: Args) => {
        await body(...args);
        return answer();
      },
      validator ? { validator } : undefined,
    );

  const process = {
    context,
    state,
    deadlines,
    record,
    refresh,
    view,
    decide,
    exclusive,
    setStage(stage: View['stage']): void {
      state.stage = stage;
      refresh();
    },
    /** Refuses a decision (409) unless the process is at one of `allowed`. */
    requireStage(allowed: readonly View['stage'][], what: string): void {
      if (!allowed.includes(state.stage)) stageConflict(`${what} is not possible${stageText(state.stage)}`);
    },
    /** Refuses a decision (409) unless `id` has an open occurrence. */
    requireOpen(id: string): void {
      if (!deadlines.isOpen(id)) stageConflict(`${id} is not open`);
    },
    /** An event whose only effect is to meet an open deadline (a notice sent, a record circulated). */
    meets(update: UpdateDefinition<View | void, [Decision<{ at?: string }>]>, id: string, summary: string): void {
      decide(
        update,
        ({ actor, at }) => {
          deadlines.meet(id, actor.id, at ?? nowIso());
          record(id, summary, actor.id);
        },
        (_: unknown) => process.requireOpen(id),
      );
    },
    /**
     * The first deadlines are armed: the start answers now, while the start goes on under the lock
     * (its first email), so no decision is applied before `started`.
     */
    answerStart(): void {
      ready = true;
      refresh();
    },
    /** The first deadlines are armed: the start answers, and decisions may be applied. */
    async started(): Promise<void> {
      ready = true;
      refresh();
      await started();
    },
    /** The run ends with the process: once no handler runs and no notice is in flight. */
    async complete(): Promise<View> {
      await settle(deadlines);
      recordProcess(evidence, state);
      await evidence?.written();
      return view();
    },
    /** The run ends and the process goes on in a new one, carrying its state and deadlines. */
    async continueAsNew<Input extends { carried?: unknown }>(input: Input, extra: object = {}): Promise<never> {
      await evidence?.pause();
      await settle(deadlines);
      const cycled = state as unknown as Carried<View>['state'];
      record('cycle_continued', `review cycle ${cycled.cycle} complete: continued in a new run`);
      const carried = {
        state: {
          ...cycled,
          cycle: cycled.cycle + 1,
          links: { ...cycled.links, previousRuns: [...cycled.links.previousRuns, workflowInfo().runId] },
        },
        deadlines: deadlines.snapshot(),
        ...(evidence ? { evidence: evidence.carried() } : {}),
        ...extra,
      };
      return continueAsNew({ ...input, carried });
    },
  };

  setHandler(messages.getStateQuery, view);
  answerWhenStarted(messages.startedUpdate, () => ready, view);
  // The reason a deadline was missed (§1.3 point 2), and after a bank-holiday change, every open
  // deadline recomputed (§1.4, `recomputeOpen`).
  decide(messages.breachReasonUpdate, ({ actor, deadlineId, reason }) => {
    deadlines.recordBreachReason(deadlineId, actor.id, reason);
    record('breach_reason', `reason recorded for ${deadlineId}`, actor.id);
  });
  decide(
    messages.recomputeDeadlinesUpdate,
    async ({ actor }) => {
      const changed = await deadlines.recomputeOpen(actor.id);
      record('deadlines_recomputed', `${changed} open deadline(s) moved by the new calendar`, actor.id);
    },
    (_: unknown) => {
      if (deadlines.openIds().length === 0) stageConflict('no deadline is open to recompute');
    },
  );
  if (options.carried) deadlines.restore(options.carried.deadlines as CarriedDeadline[]);
  return process;
}

/** What every process's state says about its case; the team and social worker come from its start. */
interface CaseOfState {
  process: string;
  startedAt: string;
  closedAt?: string;
  case: { reference: string; childReference?: unknown; team?: string; socialWorker?: string };
}

/** The process's own row in the evidence store: written at the start of each run and at its end. */
function recordProcess(evidence: EvidenceJournal | undefined, state: object): void {
  if (!evidence) return;
  const { process, startedAt, closedAt, case: c } = state as CaseOfState;
  evidence.add({
    type: 'process',
    workflowId: workflowInfo().workflowId,
    processType: process,
    caseReference: c.reference,
    ...(typeof c.childReference === 'string' ? { childReference: c.childReference } : {}),
    ...(c.team ? { team: c.team } : {}),
    ...(c.socialWorker ? { socialWorker: c.socialWorker } : {}),
    startedAt,
    ...(closedAt ? { closedAt } : {}),
  });
}
