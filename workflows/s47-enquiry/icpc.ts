/**
 * The initial child protection conference (docs/deadlines.md §3.5): the request confirmed, the
 * conference booked and moved with its "before" gates counted back from it, cancelled after a
 * concurring strategy discussion (D1.7), and held: each child with a plan is handed over to a child
 * protection plan workflow (D1.10), linked both ways by id.
 */
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { assignmentOf, type Actor, type Decision } from '../../src/process';
import type { PlanInput } from '../../src/processes/child-protection-plan/schemas';
import { decidesForEveryChild, ICPC_BEFORE, lastMetAt } from '../../src/processes/s47-enquiry/enquiry-rules';
import type { IcpcCancelled, IcpcHeld, IcpcScheduled, Recorded } from '../../src/processes/s47-enquiry/schemas';
import { nowIso, stageConflict } from '../process-kit';
import type { Finish } from './closing';
import { meetEach, whileOpen, type Enquiry, type EnquiryProcess } from './enquiry';

/** The workflow type and id of process 2, started for each child with a plan. */
export const CHILD_PROTECTION_PLAN_WORKFLOW = 'childProtectionPlan';
export const planWorkflowId = (planId: string) => `cpp-${planId}`;

export function icpc({ p, input }: Enquiry, finish: Finish) {
  const { state, deadlines, record } = p;

  const schedule = async (actor: Actor, scheduledStart: string, reason?: string) => {
    const previous = state.icpc?.scheduledStart;
    state.icpc = { agreed: true, ...state.icpc, scheduledStart };
    for (const id of ICPC_BEFORE) {
      if (!previous) await deadlines.open(id, scheduledStart);
      else if (deadlines.isOpen(id)) await deadlines.reschedule(id, { anchorAt: scheduledStart }, actor.id, reason!);
    }
    record(
      previous ? 'icpc_rescheduled' : 'icpc_scheduled',
      `ICPC ${previous ? `moved from ${previous} to` : 'booked for'} ${scheduledStart}${reason ? `: ${reason}` : ''}`,
      actor.id,
    );
  };

  return {
    icpcRequestConfirmed({ actor, at }: Decision<Recorded>) {
      meetEach(p, ['s47-icpc-request-confirm', 'strategy-icpc-request'], actor.id, at ?? nowIso());
      record('icpc_request_confirmed', 'ICPC request confirmed and invite list sent', actor.id);
    },

    icpcScheduled: ({ actor, scheduledStart }: Decision<IcpcScheduled>) => schedule(actor, scheduledStart),

    icpcRescheduled: ({ actor, scheduledStart, reason }: Decision<Required<IcpcScheduled>>) =>
      schedule(actor, scheduledStart, reason),

    icpcCancelled({ actor, strategyId, reason }: Decision<IcpcCancelled>) {
      finish(
        'not_substantiated',
        actor.id,
        `ICPC cancelled after concurring strategy discussion ${strategyId}: ${reason}`,
      );
    },

    async icpcHeld({ actor, heldAt, decisions }: Decision<IcpcHeld>) {
      deadlines.meet('icpc-held', actor.id, heldAt);
      // §1.4: a gate failed at a safeguarding event does not block it; the exception is recorded.
      for (const id of ICPC_BEFORE.filter((g) => deadlines.isOpen(g))) {
        record('gate_exception', `${id} not met when the conference was held`, actor.id);
        deadlines.cancel(id, actor.id, 'conference held without it: exception recorded');
      }
      state.icpc = { agreed: true, ...state.icpc, heldAt, decisions };
      // The last completed statutory assessment: the one updated for the conference, or its completion.
      const assessedAt = lastMetAt(['icpc-assessment-updated', 'assessment-complete'].map((id) => deadlines.find(id)));
      for (const decision of decisions.filter((d) => d.decision === 'cp_plan')) {
        const planWorkflow = planWorkflowId(decision.planId!);
        // D1.10: process 2 for this child. ABANDON: the plan outlives this enquiry by years.
        await startChild(CHILD_PROTECTION_PLAN_WORKFLOW, {
          workflowId: planWorkflow,
          args: [
            {
              planId: decision.planId!,
              caseReference: input.caseReference,
              childReference: decision.childReference,
              childDateOfBirth: decision.childDateOfBirth,
              icpcHeldAt: heldAt,
              lastAssessmentAt: assessedAt,
              s47WorkflowId: p.context.workflowId,
              people: input.people,
              ...assignmentOf(input),
            } satisfies PlanInput,
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        state.planHandOvers.push({
          childReference: decision.childReference,
          planId: decision.planId!,
          workflowId: planWorkflow,
        });
        record('plan_handed_over', `${decision.childReference}: child protection plan ${planWorkflow}`, actor.id);
      }
      for (const decision of decisions.filter((d) => d.decision === 'no_plan')) {
        record('no_plan', `${decision.childReference}: no plan; child in need plan recommended`, actor.id);
      }
      finish('icpc_held', actor.id, 'initial child protection conference held');
    },
  };
}

const BOOKABLE = ['s47_in_progress', 'icpc_pending'] as const;

export const canConfirmRequest = (p: EnquiryProcess) =>
  whileOpen(p, 's47-icpc-request-confirm', 'no ICPC request confirmation is due');

export const canBook = (p: EnquiryProcess) => (_: unknown) => {
  p.requireStage(BOOKABLE, 'Booking the ICPC');
  if (p.state.icpc?.scheduledStart) stageConflict('the ICPC is already booked: reschedule it with a reason');
};

export const canReschedule = (p: EnquiryProcess) => (_: unknown) => {
  p.requireStage(BOOKABLE, 'Rescheduling the ICPC');
  if (!p.state.icpc?.scheduledStart) stageConflict('the ICPC has not been booked yet');
};

/** D1.7: only after a recorded strategy discussion that concurred with the cancellation. */
export const canCancel =
  ({ p, concurringDiscussions }: Enquiry) =>
  ({ strategyId }: IcpcCancelled) => {
    p.requireStage(BOOKABLE, 'Cancelling the ICPC');
    if (!concurringDiscussions.has(strategyId))
      stageConflict(
        `strategy discussion ${strategyId} is not a recorded discussion concurring with the cancellation (D1.7)`,
      );
  };

export const canRecordHeld =
  (p: EnquiryProcess) =>
  ({ decisions }: IcpcHeld) => {
    p.requireStage(['icpc_pending'], 'Recording the ICPC');
    if (!decidesForEveryChild(decisions, p.state.case.children))
      stageConflict('the conference decides for every child of the enquiry, once each');
  };
