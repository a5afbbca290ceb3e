/**
 * What the looked-after child's topic modules share: the process, its input and its run, the
 * plain emails it sends, and the gates checked at the event they guard.
 */
import { SYSTEM_ACTOR } from '../../src/process';
import type { LookedAfterInput, LookedAfterState } from '../../src/processes/looked-after-child/schemas';
import type { Duration } from '../../src/rules';
import { sendNotice } from '../deadline-tracker';
import type { Process } from '../process-kit';

export type EpisodeProcess = Process<LookedAfterState>;

export interface Episode {
  p: EpisodeProcess;
  input: LookedAfterInput;
  /** A review cycle ended: the next one starts in a new run (continue-as-new). */
  cycleComplete: boolean;
  /** The instant the child turns 18 (start of the day in Europe/London); set before any update is accepted. */
  eighteenAt: string;
}

/** Refuses a decision once the episode of care has ended. */
export const requireOpen = (p: EpisodeProcess, what: string) =>
  p.requireStage(['looked_after', 'ceasing_proposed'], what);
/** The same, as an update's validator. */
export const whileOpen = (p: EpisodeProcess, what: string) => (_: unknown) => requireOpen(p, what);

/** A plain email (no personal data: the case reference only), recorded in the state's notices. */
export async function notify(
  p: EpisodeProcess,
  key: string,
  recipients: Parameters<typeof sendNotice>[3],
  subject: string,
  text: string,
) {
  const notice = await sendNotice(p.context, key, key.split('.')[0]!, recipients, { type: 'message', subject, text });
  p.state.notices.push(notice);
  return notice;
}

/** A gate is due at the event itself (§2.3 "before X"). */
export const AT_EVENT: Duration = { value: 0, unit: 'hours' };

/**
 * A gate checked at the event it guards (§1.4). Met: noted. Not met: the exception is recorded and
 * the obligation opens due at the event, so it is breached at once and stays open until done (§1.3
 * point 1); done late, it is met at once, breached.
 */
export async function gate(
  { p, input }: Episode,
  id: string,
  eventAt: string,
  doneAt: string | undefined,
  what: string,
  actor = input.startedBy?.id,
) {
  if (doneAt && doneAt <= eventAt) {
    p.record('gate_met', `${id} met before ${what}`, actor);
    return;
  }
  p.record('gate_exception', `${id} not met before ${what}${doneAt ? ` (done late, at ${doneAt})` : ''}`, actor);
  await p.deadlines.open(id, eventAt, { duration: AT_EVENT });
  if (doneAt) p.deadlines.meet(id, SYSTEM_ACTOR, doneAt);
}
