/**
 * One process raising another by itself: a Need to Know briefing raised by a trigger (§6.1, §6.4)
 * runs as a child workflow that outlives its parent (`ABANDON`), linked both ways: the briefing
 * names the process that raised it, and that process keeps the briefing's id.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
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
  try {
    await startChild('needToKnow', {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: ProcessType, value: 'need-to-know' },
        { key: CaseReference, value: p.context.caseReference },
        { key: ChildReference, value: raise.child.reference },
        { key: Stage, value: raise.category === 2 ? 'awaiting_pgl' : 'awaiting_hos_decision' },
      ],
      staticSummary: `Need to Know, category ${raise.category} item ${raise.item}, raised by ${raise.trigger}`,
    });
    p.record(
      'need_to_know_raised',
      `category ${raise.category} item ${raise.item} raised by ${raise.trigger}: ${workflowId}`,
    );
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    p.record('need_to_know_linked', `${workflowId} was already raised`);
  }
  return workflowId;
}

/** Tells a briefing this process raised of an event its readers must hear of (the child found). */
export async function tellRaisedBriefing(workflowId: string, event: RaisingProcessEvent): Promise<void> {
  await getExternalWorkflowHandle(workflowId).signal(raisingProcessEventSignal, event);
}
