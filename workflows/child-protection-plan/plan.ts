/** What the child protection plan's topic modules share: the process, its input, and its run. */
import type { PlanInput, PlanState } from '../../src/processes/child-protection-plan/schemas';
import type { Process } from '../process-kit';

export type PlanProcess = Process<PlanState>;

export interface Plan {
  p: PlanProcess;
  input: PlanInput;
  /** A review cycle ended: the next one starts in a new run (continue-as-new). */
  cycleComplete: boolean;
}

/** After every conference (003 QS 13.8–13.10); ⚠C-08: review conferences produce them too, bar the outline plan. */
export const CONFERENCE_OUTPUTS = [
  'cp-outcome-circulate',
  'cp-outline-plan',
  'cp-record-plan-circulate',
  'cp-minutes-circulate',
];

/** Refuses a decision unless the plan is active. */
export const whileActive = (p: PlanProcess, what: string) => (_: unknown) => p.requireStage(['active'], what);
