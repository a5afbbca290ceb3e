/** What the Section 47 enquiry's topic modules share: the process, its input, and its run. */
import type { S47Input, S47Stage, S47State } from '../../src/processes/s47-enquiry/schemas';
import { nowIso, stageConflict, type Process } from '../process-kit';

export type EnquiryProcess = Process<S47State>;

export interface Enquiry {
  p: EnquiryProcess;
  input: S47Input;
  /** The strategy clock runs from its anchor (⚠C-02): the contact, the concern or the emergency action. */
  strategyAnchor: string;
  /** Strategy discussions that concurred with cancelling an agreed ICPC (D1.7). */
  concurringDiscussions: Set<string>;
}

/** Meets each of `ids` that is open. */
export const meetEach = (p: EnquiryProcess, ids: string[], actor: string, at = nowIso()) =>
  ids.forEach((id) => p.deadlines.meet(id, actor, at));

/** Refuses a decision unless the enquiry is at one of `stages`. */
export const atStage = (p: EnquiryProcess, stages: S47Stage[], what: string) => (_: unknown) =>
  p.requireStage(stages, what);

/** Refuses a decision unless `id` is open, with the enquiry's own words for it. */
export const whileOpen = (p: EnquiryProcess, id: string, refusal: string) => (_: unknown) => {
  if (!p.deadlines.isOpen(id)) stageConflict(refusal);
};
