/** Long-running processes' updates return nothing: record an event, then read the state back. */
import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';

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
