/** Child protection plan test helpers. */
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { PlanState } from '../../src/cp-plan';
import * as m from '../../workflows/child-protection-plan.messages';

/** Records an event on a plan and reads its state back (plan updates return nothing). */
export async function act<A extends [unknown, ...unknown[]]>(handle: WorkflowHandle, update: UpdateDefinition<void, A>, options: { args: A }): Promise<PlanState> {
  await handle.executeUpdate(update, options);
  return handle.query(m.getStateQuery);
}
