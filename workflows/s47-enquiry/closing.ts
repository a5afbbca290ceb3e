/**
 * How the enquiry ends (docs/deadlines.md §3.6): every rule is cancelled except what is still owed
 * to others (the referrer's feedback above all), and after a conference the statutory assessment
 * (⚠C-05).
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import { ASSESSMENT_RULES, closureSurvivors } from '../../src/processes/s47-enquiry/enquiry-rules';
import type { CloseS47, S47State } from '../../src/processes/s47-enquiry/schemas';
import { stageConflict } from '../process-kit';
import { ASSESSMENT_PATCH } from './assessment';
import type { Enquiry, EnquiryProcess } from './enquiry';

/** Ends the enquiry with its outcome: what the topic modules call once nothing more is theirs to do. */
export type Finish = (outcome: NonNullable<S47State['outcome']>, actor: string, reason: string) => void;

export function closing({ p }: Enquiry) {
  const { state, deadlines, record } = p;

  const finish: Finish = (outcome, actor, reason) => {
    state.outcome = outcome;
    // §3.6: a recorded closure decision with its rationale counts as concluding the assessment.
    if (outcome !== 'icpc_held') deadlines.meet('assessment-complete', actor);
    // ⚠C-05: the conference does not end the statutory assessment; it runs to its own completion.
    const assessmentGoesOn =
      outcome === 'icpc_held' && ASSESSMENT_RULES.some((id) => deadlines.isOpen(id)) && patched(ASSESSMENT_PATCH);
    deadlines.cancelAll(actor, reason, closureSurvivors(assessmentGoesOn));
    p.setStage('closed');
    record('closed', reason, actor);
  };

  return {
    finish,

    close({ actor, reason }: Decision<CloseS47>) {
      finish('closed', actor.id, reason);
    },
  };
}

export const notClosed = (p: EnquiryProcess) => (_: unknown) => {
  if (p.state.stage === 'closed') stageConflict('the enquiry is already closed');
};
