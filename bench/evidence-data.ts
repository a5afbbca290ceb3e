/**
 * Synthetic evidence for bench/evidence.ts: open processes of the four main process types across
 * teams, each with its open deadlines and a history of met (on time or late) and cancelled ones,
 * plus the short processes that opened and closed in the history. Rule ids are the real catalogue's;
 * ids are references only (`child-protection-plan-CPP-000123`), no personal data. Seeded, so every
 * run writes the same evidence.
 */
import type { EvidenceRecord } from '../src/evidence/records';

const DAY = 86_400_000;

/** A rule as the generator uses it: due `first` days after the start, then every `every` days. */
interface RuleShape {
  ruleId: string;
  first: number;
  every?: number;
}

interface ProcessShape {
  processType: string;
  prefix: string;
  /** Share of the open processes. */
  share: number;
  /** How long before now an open process started: from…to days. */
  startedDaysAgo: [number, number];
  rules: RuleShape[];
  /** Processes that opened and closed in the history, per open one, per 365 days of history. */
  closedPerOpenPerYear: number;
}

const shapes: ProcessShape[] = [
  {
    processType: 'need-to-know',
    prefix: 'NTK',
    share: 0.15,
    startedDaysAgo: [0, 20],
    rules: [
      { ruleId: 'ntk-cat2-draft', first: 1 },
      { ruleId: 'ntk-cat2-director', first: 2 },
      { ruleId: 'ntk-update-due', first: 7, every: 7 },
    ],
    closedPerOpenPerYear: 6,
  },
  {
    processType: 's47-enquiry',
    prefix: 'S47',
    share: 0.25,
    startedDaysAgo: [0, 45],
    rules: [
      { ruleId: 'contact-screen', first: 1 },
      { ruleId: 'referral-ack-decision', first: 1 },
      { ruleId: 'strategy-record-circulate', first: 2 },
      { ruleId: 'assessment-see-child', first: 5 },
      { ruleId: 's47-decision', first: 10 },
      { ruleId: 'icpc-held', first: 21 },
      { ruleId: 'assessment-complete', first: 45 },
    ],
    closedPerOpenPerYear: 4,
  },
  {
    processType: 'child-protection-plan',
    prefix: 'CPP',
    share: 0.3,
    startedDaysAgo: [1, 900],
    rules: [
      { ruleId: 'cp-outline-plan', first: 1 },
      { ruleId: 'cp-first-core-group', first: 14 },
      { ruleId: 'cp-visit', first: 14, every: 14 },
      { ruleId: 'cp-core-group', first: 42, every: 42 },
      { ruleId: 'cp-first-rcpc', first: 90 },
      { ruleId: 'cp-rcpc', first: 270, every: 182 },
    ],
    closedPerOpenPerYear: 0,
  },
  {
    processType: 'looked-after-child',
    prefix: 'LAC',
    share: 0.3,
    startedDaysAgo: [1, 1500],
    rules: [
      { ruleId: 'lac-placement-plan', first: 5 },
      { ruleId: 'lac-health-initial', first: 20 },
      { ruleId: 'lac-review-1', first: 20 },
      { ruleId: 'lac-review-2', first: 111 },
      { ruleId: 'lac-review-n', first: 293, every: 182 },
      { ruleId: 'lac-health-review', first: 365, every: 365 },
      { ruleId: 'lac-pep-review', first: 120, every: 120 },
      { ruleId: 'lac-joint-visit-ssw', first: 42, every: 42 },
    ],
    closedPerOpenPerYear: 0,
  },
];

export interface GenerateOptions {
  openProcesses: number;
  teams: number;
  historyDays: number;
  now: Date;
}

export const teamName = (index: number) => `team-${String(index + 1).padStart(2, '0')}`;

/** One process's records, in the order its workflow writes them: a batch of the bench is whole processes. */
export type ProcessRecords = EvidenceRecord[];

export function* generateEvidence(options: GenerateOptions): Generator<ProcessRecords> {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const now = options.now.getTime();
  const historyFrom = now - options.historyDays * DAY;
  let serial = 0;

  function* process(shape: ProcessShape, startedAt: number, closedAt: number | undefined): Generator<EvidenceRecord> {
    const number = String((serial += 1)).padStart(6, '0');
    const workflowId = `${shape.processType}-${shape.prefix}-${number}`;
    const team = teamName(Math.floor(random() * options.teams));
    yield {
      type: 'process',
      workflowId,
      processType: shape.processType,
      caseReference: `CASE-${shape.prefix}-${number}`,
      childReference: `CH-${shape.prefix}-${number}`,
      team,
      socialWorker: `sw-${team}-${Math.floor(random() * 8) + 1}`,
      startedAt: new Date(startedAt).toISOString(),
      ...(closedAt === undefined ? {} : { closedAt: new Date(closedAt).toISOString() }),
    };
    const end = closedAt ?? now;
    for (const rule of shape.rules) {
      for (let occurrence = 0; ; occurrence += 1) {
        if (occurrence > 0 && rule.every === undefined) break;
        // At the start's time of day plus up to 7 hours, so that due instants differ across processes.
        const dueAt =
          startedAt + (rule.first + occurrence * (rule.every ?? 0)) * DAY + Math.floor(random() * 8) * 3_600_000;
        const anchorAt = dueAt - (rule.every ?? rule.first) * DAY;
        if (anchorAt > end) break; // not opened yet, or opened after the process closed
        if (dueAt < historyFrom) continue; // before the history this bench keeps
        yield deadline(workflowId, rule.ruleId, occurrence, anchorAt, dueAt, end, closedAt !== undefined);
      }
    }
  }

  /**
   * A deadline's latest transition, as the workflow wrote it last (the earlier ones of a finished
   * deadline are left out: the queries measured read only the deadline's row, and writing every
   * transition would double the bench's time).
   */
  function deadline(
    workflowId: string,
    ruleId: string,
    occurrence: number,
    anchorAt: number,
    dueAt: number,
    end: number,
    closed: boolean,
  ): EvidenceRecord {
    const base = {
      ruleId,
      occurrence,
      anchorAt: new Date(anchorAt).toISOString(),
      dueAt: new Date(dueAt).toISOString(),
      statutoryDueAt: new Date(dueAt + 7 * 3_600_000).toISOString(),
      escalationLevel: 0,
      breached: false,
    };
    const key = `${ruleId}/${occurrence}`;
    const opened: EvidenceRecord = {
      type: 'deadline',
      workflowId,
      key: `${key}/opened`,
      kind: 'opened',
      at: base.anchorAt,
      deadline: { ...base, step: 1, status: 'pending' },
    };
    const roll = random();
    // Due after the process closed: cancelled by the close.
    if (closed && dueAt > end) {
      return transition(workflowId, key, 'cancelled', end, { ...base, step: 2, status: 'cancelled' });
    }
    if (dueAt >= now) return opened; // open, not yet due
    if (roll < 0.03 && !closed) {
      // Open and overdue: breached, escalated.
      return transition(workflowId, key, 'breached', dueAt, {
        ...base,
        step: 2,
        status: 'overdue',
        breached: true,
        escalationLevel: 1,
      });
    }
    if (roll < 0.05) {
      return transition(workflowId, key, 'cancelled', dueAt - DAY, { ...base, step: 2, status: 'cancelled' });
    }
    // Met: mostly on time (up to 3 days early), one in seven late by up to 20 days.
    const late = roll < 0.05 + 0.95 / 7;
    const metAt = Math.min(
      late ? dueAt + Math.floor(random() * 20 * DAY) + 60_000 : dueAt - Math.floor(random() * 3 * DAY),
      now - 60_000,
    );
    const metBy = `sw-${pick(['a', 'b', 'c', 'd'])}${Math.floor(random() * 100)}`;
    const met = { metAt: new Date(metAt).toISOString(), metBy };
    // A late one was breached (step 2) before it was met.
    return transition(
      workflowId,
      key,
      'met',
      metAt,
      { ...base, ...met, step: late ? 3 : 2, status: 'met', breached: late },
      metBy,
    );
  }

  const transition = (
    workflowId: string,
    key: string,
    kind: 'met' | 'breached' | 'cancelled',
    at: number,
    deadline: Extract<EvidenceRecord, { type: 'deadline' }>['deadline'],
    actor?: string,
  ): EvidenceRecord => ({
    type: 'deadline',
    workflowId,
    key: `${key}/${kind}`,
    kind,
    at: new Date(at).toISOString(),
    ...(actor ? { actor } : {}),
    deadline,
  });

  for (const shape of shapes) {
    const open = Math.round(options.openProcesses * shape.share);
    for (let i = 0; i < open; i += 1) {
      const [from, to] = shape.startedDaysAgo;
      const startedAt = now - (from + random() * (to - from)) * DAY;
      yield [...process(shape, startedAt, undefined)];
    }
    const closed = Math.round((open * shape.closedPerOpenPerYear * options.historyDays) / 365);
    for (let i = 0; i < closed; i += 1) {
      const [from, to] = shape.startedDaysAgo;
      const closedAt = now - random() * options.historyDays * DAY;
      const startedAt = closedAt - (from + random() * (to - from)) * DAY;
      yield [...process(shape, startedAt, closedAt)];
    }
  }
}
