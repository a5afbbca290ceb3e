/**
 * A test workflow that drives the deadline engine alone (as the SDK's own integration tests drive
 * a feature through a small workflow): every tracker operation is an update, the views a query,
 * and `continue` carries the deadlines into a new run.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeadlineView } from '../../../src/process';
import { DeadlineTracker, type CarriedDeadline, type OpenOptions } from '../../../workflows/deadline-tracker';
import { serialized } from '../../../workflows/process-kit';

type Change = { anchorAt?: string; dueOverride?: string };
type Open = { ruleId: string; anchorAt: string } & Pick<OpenOptions, 'subject' | 'dueOverride'>;
export const openUpdate = defineUpdate<void, [Open]>('open');
export const meetUpdate = defineUpdate<void, [{ ruleId: string; at?: string; subject?: string }]>('meet');
export const cancelUpdate = defineUpdate<void, [string]>('cancel');
export const rescheduleUpdate = defineUpdate<void, [string, Change]>('reschedule');
export const rescheduleIfEarlierUpdate = defineUpdate<void, [string, Change]>('rescheduleIfEarlier');
export const recomputeUpdate = defineUpdate<number, []>('recompute');
export const continueUpdate = defineUpdate<void, []>('continue');
export const viewsQuery = defineQuery<{ run: number; settled: boolean; views: DeadlineView[] }>('views');

const probe = 'probe';

export async function deadlineProbe(carried?: CarriedDeadline[], run = 1): Promise<void> {
  const deadlines = new DeadlineTracker({
    workflowId: workflowInfo().workflowId,
    process: 's47',
    caseReference: 'CASE-PROBE',
    people: {},
  });
  const { decide, started } = serialized();
  let continuing = false;

  setHandler(viewsQuery, () => ({ run, settled: deadlines.settled(), views: deadlines.views() }));
  decide(
    openUpdate,
    async ({ ruleId, anchorAt, ...options }) => void (await deadlines.open(ruleId, anchorAt, options)),
  );
  decide(meetUpdate, ({ ruleId, at, subject }) => deadlines.meet(ruleId, probe, at, subject));
  decide(cancelUpdate, (ruleId) => deadlines.cancel(ruleId, probe, 'cancelled by the test'));
  decide(rescheduleUpdate, (ruleId, change) => deadlines.reschedule(ruleId, change, probe, 'moved by the test'));
  decide(rescheduleIfEarlierUpdate, (ruleId, change) => deadlines.rescheduleIfEarlier(ruleId, change, probe, 'sooner'));
  decide(recomputeUpdate, () => deadlines.recomputeOpen(probe));
  decide(continueUpdate, () => void (continuing = true));

  if (carried) deadlines.restore(carried);
  await started();
  await condition(() => continuing);
  await condition(() => allHandlersFinished() && deadlines.settled());
  await continueAsNew<typeof deadlineProbe>(deadlines.snapshot(), run + 1);
}
