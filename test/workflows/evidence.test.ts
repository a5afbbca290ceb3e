/**
 * The workflows' evidence, written through the worker's `recordEvidence` activity to a real
 * (in-memory PGlite) evidence store: what it holds agrees with the process's own state, holds no
 * personal detail, and the run's history still replays.
 */
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { NeedToKnowInput } from '../../src/processes/need-to-know/schemas';
import { needToKnow } from '../../workflows';
import {
  getStateQuery,
  hosDecisionUpdate,
  pglResponseUpdate,
  updateSentUpdate,
} from '../../workflows/need-to-know/messages';
import { factsInStore, factsOfState } from '../helpers/evidence';
import { ntkInput } from '../helpers/need-to-know';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE, testPayloadKeys, workflowBundle } from '../helpers/temporal';
import { addDays, isWorkingDay, plusMs, wdDue } from '../helpers/time-base';
import { encryptingDataConverter } from '../../src/payload-codec';

const stack = useTimeSkippingStack({ evidence: true });
const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hosActor = { id: 'hos-1', roles: ['head_of_service' as const] };

const start = (input: NeedToKnowInput) =>
  startProcess(stack.env.client, needToKnow, {
    taskQueue: TASK_QUEUE,
    workflowId: `ntk-${input.briefingId}`,
    args: [input],
  });

/** Every text value in the store's four tables, to search for what must not be there. */
async function everythingStored(): Promise<string> {
  const db = stack.evidence.db;
  const tables = await Promise.all([
    db.selectFrom('processes').selectAll().execute(),
    db.selectFrom('deadlines').selectAll().execute(),
    db.selectFrom('deadline_transitions').selectAll().execute(),
    db.selectFrom('notifications').selectAll().execute(),
  ]);
  return JSON.stringify(tables);
}

describe('evidence written by the workflows', () => {
  it('a briefing overdue, escalated and then met: the store agrees with the state, by the same ids', async () => {
    const t = await stack.base({
      weekday: 'Thursday',
      where: (d) => [0, 1, 4, 5].every((n) => isWorkingDay(addDays(d, n))),
    });
    await stack.skipTo(t.at(0, '11:00'));
    const input = ntkInput('EV1', t.at(0, '11:00'), { team: 'team-a', socialWorker: 'sw-1' });
    input.briefing.updateExpectedOn = t.day(4);
    const handle = await start(input);
    await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await stack.skipTo(plusMs(wdDue(t.day(4), 1), 30 * 60_000)); // overdue at EOD, escalated EOD + 1 WD
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-EV1.ntk-update-due.1.r0.escalation-1@test.example>');
    await handle.executeUpdate(updateSentUpdate, {
      args: [{ summary: 'Child found safe.', actor: { id: 'sw-1', roles: ['social_worker'] } }],
    });
    const state = await handle.query(getStateQuery);
    // The process's own deadlines and the store's rows tell the same story (written asynchronously).
    await expect
      .poll(() => factsInStore(stack.evidence, 'ntk-EV1'), { timeout: 10_000 })
      .toEqual(factsOfState(state.deadlines));
    expect(factsOfState(state.deadlines).find((d) => d.ruleId === 'ntk-update-due')).toMatchObject({
      status: 'met',
      breached: true,
      escalationLevel: 1,
      metBy: 'sw-1',
    });

    const db = stack.evidence.db;
    const process = await db
      .selectFrom('processes')
      .selectAll()
      .where('workflow_id', '=', 'ntk-EV1')
      .executeTakeFirst();
    expect(process).toMatchObject({
      process_type: 'need-to-know',
      case_reference: 'CASE-EV1',
      team: 'team-a',
      social_worker: 'sw-1',
    });
    const transitions = await db
      .selectFrom('deadline_transitions')
      .select(['kind', 'actor'])
      .where('workflow_id', '=', 'ntk-EV1')
      .where('rule_id', '=', 'ntk-update-due')
      .where('occurrence', '=', 1)
      .orderBy('at')
      .execute();
    expect(transitions.map((row) => row.kind)).toEqual(['opened', 'breached', 'escalated', 'met']);
    expect(transitions.at(-1)!.actor).toBe('sw-1');

    // Every email the process sent is in the store by its Message-ID, none twice.
    const notices = await db.selectFrom('notifications').selectAll().where('workflow_id', '=', 'ntk-EV1').execute();
    const sent = stack.smtp.messages.filter((m) => m.messageId?.startsWith('<ntk-EV1.')).map((m) => m.messageId);
    expect(new Set(notices.map((n) => n.message_id))).toEqual(new Set(sent));
    expect(notices.find((n) => n.key === 'ntk-update-due.1.r0.overdue')).toMatchObject({
      rule_id: 'ntk-update-due',
      occurrence: 1,
      status: 'sent',
    });

    // Nothing a person could be recognised by: the briefing's name, concern, action and contact.
    const stored = await everythingStored();
    for (const detail of ['Test Child', 'missing for 48 hours', 'placement searched', 'Sam Worker'])
      expect(stored).not.toContain(detail);
    expect(stored).toContain('CASE-EV1'); // the positive control: references are kept

    // The history, with its evidence activities, replays on the current code.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), dataConverter: encryptingDataConverter(testPayloadKeys) },
      history,
      'ntk-EV1',
    );
  });

  it('a run completes only once its evidence is written, closing the process row', async () => {
    const t = await stack.base({ weekday: 'Tuesday' });
    await stack.skipTo(t.at(0, '10:00'));
    const input = ntkInput('EV2', t.at(0, '10:00'), { category: 3 });
    const handle = await start(input);
    await handle.executeUpdate(hosDecisionUpdate, {
      args: [{ decision: 'do_not_inform', rationale: 'Not a matter for the Director.', actor: hosActor }],
    });
    await handle.result();
    // No polling: by the time the result is there, the store has the end.
    const process = await stack.evidence.db
      .selectFrom('processes')
      .selectAll()
      .where('workflow_id', '=', 'ntk-EV2')
      .executeTakeFirstOrThrow();
    expect(process.closed_at).toBeInstanceOf(Date);
    expect(process.team).toBeNull();
    expect(await factsInStore(stack.evidence, 'ntk-EV2')).toEqual(factsOfState((await handle.result()).deadlines));
  });
});
