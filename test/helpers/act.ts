/** Long-running processes' updates return nothing: record an event, then read the state back. */
import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { expect } from 'vitest';

export function actOn<S>(stateQuery: QueryDefinition<S>) {
  return async <A extends [unknown, ...unknown[]]>(
    handle: WorkflowHandle,
    update: UpdateDefinition<void, A>,
    options: { args: A },
  ): Promise<S> => {
    await handle.executeUpdate(update, options);
    return handle.query(stateQuery);
  };
}

/** A query can overtake a start's first workflow task: waits until its first deadlines are armed. */
export async function armed<S extends { ready: boolean }>(
  handle: WorkflowHandle,
  stateQuery: QueryDefinition<S>,
): Promise<S> {
  await expect.poll(async () => (await handle.query(stateQuery)).ready, { timeout: 20_000 }).toBe(true);
  return handle.query(stateQuery);
}
