/**
 * One process starting another by itself (`startLinked`): a Need to Know briefing raised by a
 * trigger (§6.1, §6.4), or a death's incident, runs as a child workflow that outlives its parent
 * (`ABANDON`), linked both ways: each names the other's workflow id.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { getExternalWorkflowHandle, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../src/process';
import type { LegalStatus, NeedToKnowInput, RaisingProcessEvent } from '../src/processes/need-to-know/schemas';
import { CaseReference, ChildReference, ProcessType, Stage } from '../src/search-attributes';
import { raisingProcessEventSignal } from './need-to-know/messages';
import type { ProcessView, Process } from './process-kit';

export interface NeedToKnowRaise {
  /** Unique within the raising process: the briefing's workflow id is `ntk-<raising id>-<key>`. */
  key: string;
  category: 2 | 3;
  item: number;
  /** The rule or decision that raised it. */
  trigger: string;
  concernAroseAt: string;
  child: { reference: string; legalStatus: LegalStatus };
  /** What is known, with no names (the minimal notice carries it). */
  facts: string;
}

/** Starts the briefing (once: a second raise with the same key links the first) and answers its workflow id. */
export async function raiseNeedToKnow<View extends ProcessView>(
  p: Process<View>,
  raise: NeedToKnowRaise,
): Promise<string> {
  const raisedFrom = p.context.workflowId;
  const workflowId = `ntk-${raisedFrom}-${raise.key}`;
  const input: NeedToKnowInput = {
    briefingId: workflowId.slice('ntk-'.length),
    caseReference: p.context.caseReference,
    category: raise.category,
    item: raise.item,
    concernAroseAt: raise.concernAroseAt,
    raisedAt: new Date(Date.now()).toISOString(),
    raisedBy: { id: SYSTEM_ACTOR, roles: [] },
    // 001 NTK s4: brief information is allowed where the speed of notification is vital.
    brevity: 'brief',
    automatic: { trigger: raise.trigger, raisedFrom, child: raise.child, facts: raise.facts },
    people: p.context.people,
  };
  const started = await startLinked(p, {
    workflowType: 'needToKnow',
    workflowId,
    args: [input],
    processType: 'need-to-know',
    childReference: raise.child.reference,
    stage: raise.category === 2 ? 'awaiting_pgl' : 'awaiting_hos_decision',
    summary: `Need to Know, category ${raise.category} item ${raise.item}, raised by ${raise.trigger}`,
  });
  p.record(
    started ? 'need_to_know_raised' : 'need_to_know_linked',
    started
      ? `category ${raise.category} item ${raise.item} raised by ${raise.trigger}: ${workflowId}`
      : `${workflowId} was already raised`,
  );
  return workflowId;
}

/**
 * Starts another process as a child workflow that outlives this one (`ABANDON`), with the search
 * attributes every process has; false when a process with that id already exists (it is linked).
 */
export async function startLinked<View extends ProcessView>(
  p: Process<View>,
  start: {
    workflowType: string;
    workflowId: string;
    args: unknown[];
    processType: string;
    childReference: string;
    stage: string;
    summary: string;
  },
): Promise<boolean> {
  try {
    await startChild(start.workflowType, {
      workflowId: start.workflowId,
      args: start.args,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: ProcessType, value: start.processType },
        { key: CaseReference, value: p.context.caseReference },
        { key: ChildReference, value: start.childReference },
        { key: Stage, value: start.stage },
      ],
      staticSummary: start.summary,
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/** Tells a briefing this process raised of an event its readers must hear of (the child found). */
export async function tellRaisedBriefing(workflowId: string, event: RaisingProcessEvent): Promise<void> {
  await getExternalWorkflowHandle(workflowId).signal(raisingProcessEventSignal, event);
}
