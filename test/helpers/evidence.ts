/** An evidence store for one test file: PGlite in memory, migrated, closed in the file's afterAll. */
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/store';
import type { DeadlineView } from '../../src/process';

export const testEvidenceStore = (): Promise<EvidenceStore> => openEvidenceStore({ pglite: 'memory' });

/** A deadline as both the workflow's state and the evidence store tell it. */
export interface DeadlineFacts {
  ruleId: string;
  occurrence: number;
  status: string;
  dueAt: string;
  metAt: string | null;
  metBy: string | null;
  escalationLevel: number;
  breached: boolean;
}

export const factsOfState = (deadlines: readonly DeadlineView[]): DeadlineFacts[] =>
  deadlines
    .map((d) => ({
      ruleId: d.id,
      occurrence: d.occurrence,
      status: d.status,
      dueAt: new Date(d.dueAt).toISOString(),
      metAt: d.metAt ? new Date(d.metAt).toISOString() : null,
      metBy: d.metBy ?? null,
      escalationLevel: d.escalationLevel,
      breached: d.breached,
    }))
    .sort(byDeadline);

export async function factsInStore(store: EvidenceStore, workflowId: string): Promise<DeadlineFacts[]> {
  const rows = await store.db.selectFrom('deadlines').selectAll().where('workflow_id', '=', workflowId).execute();
  return rows
    .map((r) => ({
      ruleId: r.rule_id,
      occurrence: r.occurrence,
      status: r.status,
      dueAt: r.due_at.toISOString(),
      metAt: r.met_at?.toISOString() ?? null,
      metBy: r.met_by,
      escalationLevel: r.escalation_level,
      breached: r.breached,
    }))
    .sort(byDeadline);
}

const byDeadline = (a: DeadlineFacts, b: DeadlineFacts) =>
  a.ruleId.localeCompare(b.ruleId) || a.occurrence - b.occurrence;
