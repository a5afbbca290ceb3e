/**
 * The evidence a process leaves in the evidence store (src/evidence/): its own row, every deadline
 * transition and every notification, written through the `recordEvidence` activity in batches so a
 * busy workflow task costs one activity, not one per record.
 *
 * Runs started before the evidence store (no `evidence-store` patch marker in their history) write
 * nothing, so their histories replay unchanged. A new run always writes. The records carry ids,
 * rule ids, instants, actor ids, team and case reference only (src/evidence/records.ts).
 *
 * The journal is the workflow's module state: each workflow execution has its own copy (the SDK
 * isolates module state per workflow), so `sendNotice` can record a notice without being handed it.
 */
import { ActivityFailure, condition, log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EvidenceRecord } from '../src/evidence/records';
import type { DeadlineView, NotificationRecord } from '../src/process';

/** At most this many records per activity call (the activity refuses more than 1,000). */
const BATCH = 500;

/**
 * Evidence must never be dropped: a store that is down is retried with backoff for as long as it
 * takes, and the run does not end before its evidence is written (`written`).
 */
const recordEvidence = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  summary: 'record evidence',
}).recordEvidence;

/** What a run continued as new carries: the records not yet written, and the step counter. */
export interface CarriedEvidence {
  sequence: number;
  unwritten: EvidenceRecord[];
}

export type DeadlineTransition = Extract<EvidenceRecord, { type: 'deadline' }>['kind'];

export class EvidenceJournal {
  private pending: EvidenceRecord[] = [];
  private inFlight: EvidenceRecord[] = [];
  /** Orders a deadline's states across runs: the store keeps the state with the highest step. */
  private sequence = 0;
  /** Set when the run is about to continue as new: no new batch starts, what is left is carried. */
  private paused = false;

  constructor(
    private readonly workflowId: string,
    /** No decision is being applied and no notice is in flight: a burst is over. */
    private readonly idle: () => boolean,
    carried?: CarriedEvidence,
  ) {
    if (carried) {
      this.sequence = carried.sequence;
      this.pending.push(...carried.unwritten);
    }
    void this.writeLoop();
  }

  add(record: EvidenceRecord): void {
    this.pending.push(record);
  }

  deadline(kind: DeadlineTransition, view: DeadlineView, at: string, actor?: string): void {
    this.sequence += 1;
    this.add({
      type: 'deadline',
      workflowId: this.workflowId,
      key: `${view.id}.${view.occurrence}.${kind}.${this.sequence}`,
      kind,
      at,
      ...(actor ? { actor } : {}),
      deadline: {
        ruleId: view.id,
        occurrence: view.occurrence,
        step: this.sequence,
        status: view.status,
        anchorAt: view.anchorAt,
        dueAt: view.dueAt,
        statutoryDueAt: view.statutoryDueAt,
        ...(view.metAt ? { metAt: view.metAt } : {}),
        ...(view.metBy ? { metBy: view.metBy } : {}),
        escalationLevel: view.escalationLevel,
        breached: view.breached,
      },
    });
  }

  notification(record: NotificationRecord, deadline?: { ruleId: string; occurrence: number }): void {
    this.add({
      type: 'notification',
      workflowId: this.workflowId,
      key: record.key,
      ...(deadline ?? {}),
      kind: record.kind,
      roles: record.to,
      status: record.status,
      at: record.at,
      ...(record.messageId ? { messageId: record.messageId } : {}),
    });
  }

  /** Resolves once every record added so far is in the store. */
  written(): Promise<void> {
    return condition(() => this.pending.length === 0 && this.inFlight.length === 0);
  }

  /**
   * Before continue-as-new: no new batch starts, and this resolves once the one in flight (if any)
   * is answered; then `carried()` hands what is left to the next run. Ending a run with a write in
   * flight would leave it answered to no one (and the time-skipping test server locked on it), and
   * waiting for a write of its own before ending costs a workflow task that server mishandles.
   */
  pause(): Promise<void> {
    this.paused = true;
    return condition(() => this.inFlight.length === 0);
  }

  carried(): CarriedEvidence {
    return { sequence: this.sequence, unwritten: [...this.pending] };
  }

  private async writeLoop(): Promise<void> {
    for (;;) {
      await condition(() => this.pending.length > 0 && !this.paused);
      // A burst (the notices of a 17:00, a decision's re-plans) is written once, not record by
      // record: each write is an activity in the history. A mail outage delays it a minute at most.
      if (!this.idle()) await condition(() => this.idle() || this.paused, '1 minute');
      if (this.paused) continue; // never a write scheduled with the run's end
      this.inFlight = this.pending.splice(0, BATCH);
      try {
        await recordEvidence(this.inFlight);
      } catch (error) {
        // Only a batch the store's schema refuses fails (anything else is retried): it would be
        // refused again, so it is logged by its shape and the process goes on.
        if (!(error instanceof ActivityFailure)) throw error;
        log.error('evidence refused', { records: this.inFlight.length, failure: error.cause?.message });
      }
      this.inFlight = [];
    }
  }
}

let current: EvidenceJournal | undefined;

/**
 * The run's journal, opened once at its start: undefined for a run that began before the
 * evidence store (it replays without the patch marker).
 */
export function openJournal(
  workflowId: string,
  idle: () => boolean,
  carried?: CarriedEvidence,
): EvidenceJournal | undefined {
  current = patched('evidence-store') ? new EvidenceJournal(workflowId, idle, carried) : undefined;
  return current;
}

/** The journal of the run this code runs in, if it writes evidence. */
export const journal = (): EvidenceJournal | undefined => current;
