/**
 * The Ofsted ILACS Annex A lists the service holds the dates for: one row per deadline
 * occurrence of the list's rules that fell due in the period, with the case's and child's
 * references and the team, never a name.
 */
import type { Kysely } from 'kysely';
import type { EvidenceDatabase } from './schema';
import { toInstant, type Instant } from './worktray';

export interface AnnexAList {
  /** What the list is, for a person reading it. */
  title: string;
  /** The rules whose occurrences are its rows. */
  rules: string[];
  /** What each row's `anchorAt` is (the event the deadline counts from). */
  anchor: string;
  /** What each row's `metAt` is. */
  met: string;
}

/**
 * Annex A's lists, by the rules that carry their dates (rule ids of docs/deadlines.md §3.4, §4.3
 * and §5.5; the anchors as src/processes/s47-enquiry/ and the others count from them).
 */
export const annexALists: ReadonlyMap<string, AnnexAList> = new Map([
  [
    's47',
    {
      title: 'Section 47 enquiries',
      rules: ['s47-decision'],
      anchor: 'the strategy discussion that started the enquiry',
      met: 'the outcome decided',
    },
  ],
  [
    'icpc',
    {
      title: 'Initial child protection conferences',
      rules: ['icpc-held'],
      anchor: 'the strategy discussion that started the section 47 enquiry',
      met: 'the conference held',
    },
  ],
  [
    'plans',
    {
      title: 'Children on child protection plans: review conferences',
      rules: ['cp-first-rcpc', 'cp-rcpc'],
      anchor: 'the initial conference, or the previous review conference',
      met: 'the review conference held',
    },
  ],
  [
    'looked-after-reviews',
    {
      title: 'Looked-after children: reviews',
      rules: ['lac-review-1', 'lac-review-2', 'lac-review-n'],
      anchor: 'the child becoming looked after, or the previous review',
      met: 'the review held',
    },
  ],
]);

export interface AnnexAQuery {
  /** The list's rules (`annexALists`). */
  rules: readonly string[];
  /** Deadlines due from this instant (inclusive)… */
  from: Instant;
  /** …to this one (exclusive). */
  to: Instant;
  teams?: string[] | 'all';
  team?: string;
  socialWorker?: string;
  /** At most this many rows; the caller asks for one more to know the period holds too many. */
  limit: number;
}

export interface AnnexARow {
  workflowId: string;
  caseReference: string;
  childReference: string | null;
  team: string | null;
  ruleId: string;
  occurrence: number;
  status: 'pending' | 'met' | 'overdue' | 'cancelled';
  anchorAt: string;
  dueAt: string;
  metAt: string | null;
}

export async function annexARows(db: Kysely<EvidenceDatabase>, query: AnnexAQuery): Promise<AnnexARow[]> {
  const teams = query.teams ?? 'all';
  if ((teams !== 'all' && teams.length === 0) || query.rules.length === 0) return [];
  let select = db
    .selectFrom('deadlines as d')
    .innerJoin('processes as p', 'p.workflow_id', 'd.workflow_id')
    .select([
      'd.workflow_id',
      'p.case_reference',
      'p.child_reference',
      'p.team',
      'd.rule_id',
      'd.occurrence',
      'd.status',
      'd.anchor_at',
      'd.due_at',
      'd.met_at',
    ])
    .where('d.rule_id', 'in', [...query.rules])
    .where('d.due_at', '>=', toInstant(query.from, 'from'))
    .where('d.due_at', '<', toInstant(query.to, 'to'));
  if (teams !== 'all') select = select.where('p.team', 'in', teams);
  if (query.team !== undefined) select = select.where('p.team', '=', query.team);
  if (query.socialWorker !== undefined) select = select.where('p.social_worker', '=', query.socialWorker);
  const rows = await select
    .orderBy('d.due_at')
    .orderBy('d.workflow_id')
    .orderBy('d.rule_id')
    .orderBy('d.occurrence')
    .limit(query.limit)
    .execute();
  return rows.map((row) => ({
    workflowId: row.workflow_id,
    caseReference: row.case_reference,
    childReference: row.child_reference,
    team: row.team,
    ruleId: row.rule_id,
    occurrence: row.occurrence,
    status: row.status,
    anchorAt: row.anchor_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    metAt: row.met_at?.toISOString() ?? null,
  }));
}
