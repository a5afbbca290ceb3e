/**
 * The evidence end to end, on the CLI dev server: the worker writes it, the API's worktray and
 * reports read it, and it outlives Temporal: once Temporal no longer knows a completed briefing,
 * its deadlines are still reported, by the same ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import type { EvidenceStore } from '../../src/evidence/store';
import { testEvidenceStore } from '../helpers/evidence';
import { briefingRequest } from '../helpers/need-to-know';
import { apiStack } from '../helpers/stack';
import { calendar } from '../helpers/time-base';

let evidence: EvidenceStore;
let stack: Awaited<ReturnType<typeof apiStack>>;

beforeAll(async () => {
  evidence = await testEvidenceStore();
  stack = await apiStack(localTokens, { evidence });
});
afterAll(async () => {
  await stack?.stop();
  await evidence?.close();
});

/** A London day `n` days from today, as the reports take it. */
const londonDay = (n: number) => calendar.localDay(new Date(Date.now() + n * 86_400_000));

describe('the evidence store behind the API', () => {
  it('a briefing’s deadlines reach the worktray, and are still reported once Temporal has forgotten it', async () => {
    const started = await stack.call(
      'POST',
      '/v1/need-to-know',
      'local-social-worker',
      briefingRequest('EVA-1', { team: 'assessment-north', socialWorker: 'sw-1' }),
    );
    expect(started.status).toBe(201);
    expect(started.body.case).toMatchObject({ team: 'assessment-north', socialWorker: 'sw-1' });

    // The team's manager and the allocated social worker see what is open (the draft went at once:
    // the Director's copy is owed), with its page.
    for (const token of ['local-team-manager', 'local-social-worker']) {
      await expect
        .poll(async () => (await stack.call('GET', '/v1/worktray?process=need-to-know', token)).body.items, {
          timeout: 10_000,
        })
        .toEqual([
          expect.objectContaining({
            workflowId: 'ntk-EVA-1',
            ruleId: 'ntk-cat2-director',
            team: 'assessment-north',
            mustAct: expect.objectContaining({ responsible: ['pgl'] }),
            links: { api: '/v1/need-to-know/EVA-1', page: '/need-to-know/EVA-1' },
          }),
        ]);
    }

    expect(
      (await stack.call('POST', '/v1/need-to-know/EVA-1/pgl-response', 'local-pgl', { decision: 'approve' })).status,
    ).toBe(200);
    const closed = await stack.call('POST', '/v1/need-to-know/EVA-1/closure', 'local-director', {
      rationale: 'Resolved.',
    });
    expect(closed.status).toBe(200);
    const handle = stack.env.client.workflow.getHandle('ntk-EVA-1');
    await handle.result(); // completed: its evidence is written before its result

    const report = async () => {
      const response = await stack.call(
        'GET',
        `/v1/reports/timeliness?from=${londonDay(-1)}&to=${londonDay(10)}`,
        'local-director',
      );
      expect(response.status).toBe(200);
      return response.body.rules.filter((r: { ruleId: string }) => r.ruleId.startsWith('ntk-cat2-'));
    };
    const before = await report();
    expect(before).toEqual([
      expect.objectContaining({ ruleId: 'ntk-cat2-director', due: 1, metOnTime: 1, metLate: 0 }),
      expect.objectContaining({ ruleId: 'ntk-cat2-draft', due: 1, metOnTime: 1, metLate: 0 }),
    ]);
    expect((await stack.call('GET', '/v1/worktray?process=need-to-know', 'local-director')).body.items).toEqual([]);

    // Temporal forgets the briefing, as its retention would: the API and worker move to a new, empty
    // Temporal server (a delete on the dev server is asynchronous and had not happened 30 s later).
    await stack.stop();
    stack = await apiStack(localTokens, { evidence });
    expect((await stack.call('GET', '/v1/need-to-know/EVA-1', 'local-director')).status).toBe(404);
    expect(await report()).toEqual(before);
    const row = await evidence.db
      .selectFrom('processes')
      .selectAll()
      .where('workflow_id', '=', 'ntk-EVA-1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ process_type: 'need-to-know', team: 'assessment-north', social_worker: 'sw-1' });
    expect(row.closed_at).toBeInstanceOf(Date);
  });
});
