/** Small pieces every process workflow shares: stage conflicts, the event log, Web UI visibility. */
import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { BreachReason } from '../src/schemas';
import type { Decision, ProcessEvent } from '../src/process';
import { NextDeadlineAt, OverdueCount, Stage } from '../src/search-attributes';
import type { DeadlineTracker } from './deadline-tracker';

/** Rejects a decision (an update validator or handler): the API answers 409 with the message. */
export function stageConflict(message: string): never {
  throw ApplicationFailure.create({ type: 'StageConflict', message, nonRetryable: true });
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
 * Handlers for events whose only effect is to meet an open deadline (a notice sent, a record
 * circulated, a gate met): `meets(update, 'deadline-id', 'what happened')`.
 */
export function deadlineEvents<S>(
  decide: Decide,
  deadlines: DeadlineTracker,
  record: ReturnType<typeof eventLog>,
  view: () => S,
) {
  return (update: UpdateDefinition<S, [Decision<{ at?: string }>]>, id: string, summary: string) =>
    decide(
      update,
      ({ actor, at }) => {
        deadlines.meet(id, actor.id, at ?? nowIso());
        record(id, summary, actor.id);
        return view();
      },
      {
        validator: (_: unknown) => {
          if (!deadlines.isOpen(id)) stageConflict(`${id} is not open`);
        },
      },
    );
}

/** No handler is running and no notice is in flight: the run may end or continue as new. */
export const settle = (deadlines: DeadlineTracker): Promise<void> =>
  condition(() => allHandlersFinished() && deadlines.settled());

/**
 * The decisions every process takes the same way: the reason a deadline was missed (§1.3 point
 * 2), and after a bank-holiday change, recomputing every open deadline (§1.4, `recomputeOpen`).
 */
export function commonDecisions<S>(
  decide: Decide,
  messages: {
    breachReasonUpdate: UpdateDefinition<S, [Decision<BreachReason>]>;
    recomputeDeadlinesUpdate: UpdateDefinition<S, [Decision<Record<string, never>>]>;
  },
  deadlines: DeadlineTracker,
  record: ReturnType<typeof eventLog>,
  view: () => S,
): void {
  decide(messages.breachReasonUpdate, ({ actor, deadlineId, reason }) => {
    deadlines.recordBreachReason(deadlineId, actor.id, reason);
    record('breach_reason', `reason recorded for ${deadlineId}`, actor.id);
    return view();
  });
  decide(
    messages.recomputeDeadlinesUpdate,
    async ({ actor }) => {
      const changed = await deadlines.recomputeOpen(actor.id);
      record('deadlines_recomputed', `${changed} open deadline(s) moved by the new calendar`, actor.id);
      return view();
    },
    {
      validator: (_: unknown) => {
        if (deadlines.openIds().length === 0) stageConflict('no deadline is open to recompute');
      },
    },
  );
}
