/**
 * The worktray: the open deadlines someone must act on, soonest first, a page at a time. Whether
 * one is overdue is decided here from `now` (due_at < now), not from the stored status, which
 * only changes when the workflow next writes.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { EvidenceDatabase } from './schema';

/** [P] "Due soon": due within this long of now. */
export const DUE_SOON_WITHIN_MS = 2 * 24 * 60 * 60 * 1000;
/** The largest page the store serves; the API may offer less. */
export const MAX_WORKTRAY_LIMIT = 500;

export type Instant = Date | string;

export interface WorktrayQuery {
  /** The teams the caller may see: `'all'` (the default) or a list; an empty list sees nothing. */
  teams?: string[] | 'all';
  /** One team, within `teams`. */
  team?: string;
  /** Only the processes whose allocated social worker is this actor id ("my cases"). */
  socialWorker?: string;
  /** A process type. */
  process?: string;
  /** A rule id. */
  rule?: string;
  /** Only these rule ids (with `rule`, both apply); an empty list matches nothing. */
  rules?: readonly string[];
  /** `overdue`: due before now; `due_soon`: due from now to now + DUE_SOON_WITHIN_MS; `open` (the default): both and later. */
  status?: 'overdue' | 'due_soon' | 'open';
  /** Only deadlines due before this instant. */
  dueBefore?: Instant;
  now: Instant;
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface WorktrayItem {
  workflowId: string;
  processType: string;
  caseReference: string;
  childReference: string | null;
  team: string | null;
  /** The allocated social worker's actor id, when the process record carries one. */
  socialWorker: string | null;
  ruleId: string;
  occurrence: number;
  status: 'pending' | 'overdue';
  dueAt: string;
  statutoryDueAt: string;
  escalationLevel: number;
}

export interface WorktrayPage {
  items: WorktrayItem[];
  nextCursor?: string;
}

/** A cursor that this store did not hand out (or that was altered): the API answers 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this service returned; start again without it');
    this.name = 'InvalidCursorError';
  }
}

/** The position after the last item of a page: the worktray's sort key, which is unique. */
const positionSchema = z.strictObject({
  dueAt: z.iso.datetime(),
  workflowId: z.string().min(1),
  ruleId: z.string().min(1),
  occurrence: z.number().int().min(0),
});
type Position = z.infer<typeof positionSchema>;

export const encodeCursor = (position: Position): string =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): Position {
  if (cursor.length > 1_000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = positionSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCursorError();
  return parsed.data;
}

/** An instant as the store compares it (to the millisecond, as the cursor carries it). */
export function toInstant(value: Instant, name: string): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name}: not an instant`);
  return date;
}

export async function worktray(db: Kysely<EvidenceDatabase>, query: WorktrayQuery): Promise<WorktrayPage> {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WORKTRAY_LIMIT) {
    throw new RangeError(`limit: an integer from 1 to ${MAX_WORKTRAY_LIMIT}`);
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const teams = query.teams ?? 'all';
  if (teams !== 'all' && teams.length === 0) return { items: [] };
  if (query.rules !== undefined && query.rules.length === 0) return { items: [] };
  const now = toInstant(query.now, 'now');
  const soon = new Date(now.getTime() + DUE_SOON_WITHIN_MS);

  let select = db
    .selectFrom('deadlines as d')
    .innerJoin('processes as p', 'p.workflow_id', 'd.workflow_id')
    .select([
      'd.workflow_id',
      'p.process_type',
      'p.case_reference',
      'p.child_reference',
      'p.team',
      'p.social_worker',
      'd.rule_id',
      'd.occurrence',
      'd.due_at',
      'd.statutory_due_at',
      'd.escalation_level',
    ])
    // Literal, not parameters, so the planner sees it matches the partial index deadlines_open_by_due.
    .where(sql<boolean>`d.status in ('pending', 'overdue')`);
  if (teams !== 'all') select = select.where('p.team', 'in', teams);
  if (query.team !== undefined) select = select.where('p.team', '=', query.team);
  if (query.socialWorker !== undefined) select = select.where('p.social_worker', '=', query.socialWorker);
  if (query.process !== undefined) select = select.where('p.process_type', '=', query.process);
  if (query.rule !== undefined) select = select.where('d.rule_id', '=', query.rule);
  if (query.rules !== undefined) select = select.where('d.rule_id', 'in', [...query.rules]);
  if (query.status === 'overdue') select = select.where('d.due_at', '<', now);
  if (query.status === 'due_soon') select = select.where('d.due_at', '>=', now).where('d.due_at', '<', soon);
  if (query.dueBefore !== undefined) select = select.where('d.due_at', '<', toInstant(query.dueBefore, 'dueBefore'));
  if (after) {
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('d.due_at', 'd.workflow_id', 'd.rule_id', 'd.occurrence'),
        '>',
        tuple(new Date(after.dueAt), after.workflowId, after.ruleId, after.occurrence),
      ),
    );
  }
  const rows = await select
    .orderBy('d.due_at')
    .orderBy('d.workflow_id')
    .orderBy('d.rule_id')
    .orderBy('d.occurrence')
    .limit(limit + 1)
    .execute();

  const items = rows.slice(0, limit).map((row): WorktrayItem => ({
    workflowId: row.workflow_id,
    processType: row.process_type,
    caseReference: row.case_reference,
    childReference: row.child_reference,
    team: row.team,
    socialWorker: row.social_worker,
    ruleId: row.rule_id,
    occurrence: row.occurrence,
    status: row.due_at.getTime() < now.getTime() ? 'overdue' : 'pending',
    dueAt: row.due_at.toISOString(),
    statutoryDueAt: row.statutory_due_at.toISOString(),
    escalationLevel: row.escalation_level,
  }));
  const last = items.at(-1);
  if (rows.length <= limit || !last) return { items };
  return {
    items,
    nextCursor: encodeCursor({
      dueAt: last.dueAt,
      workflowId: last.workflowId,
      ruleId: last.ruleId,
      occurrence: last.occurrence,
    }),
  };
}
