/**
 * The evidence store on both of its backends: PGlite in memory (the embedded default) and a real
 * PostgreSQL, a throwaway cluster started for this file (test/helpers/postgres.ts). The same
 * tests, the same schema, the same queries.
 */
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/evidence/migrate';
import { migrations } from '../../src/evidence/migrations';
import type { EvidenceRecord } from '../../src/evidence/records';
import { openEvidenceStore, type EvidenceStore, type EvidenceStoreLocation } from '../../src/evidence/store';
import { DUE_SOON_WITHIN_MS, encodeCursor, InvalidCursorError } from '../../src/evidence/worktray';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { DAY, deadlineRecord, fromNow, HOUR, iso, notificationRecord, NOW, processRecord } from './records';

interface Backend {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A store location holding nothing yet, not even the schema. */
  fresh(): Promise<EvidenceStoreLocation>;
  /** Whether several stores may open one location at once (an in-memory PGlite is its own database). */
  shared: boolean;
}

const pgliteInMemory: Backend = {
  name: 'PGlite (in memory)',
  setUp: async () => undefined,
  tearDown: async () => undefined,
  fresh: async () => ({ pglite: 'memory' }),
  shared: false,
};

function throwawayPostgres(): Backend {
  let cluster: ThrowawayPostgres | undefined;
  let databases = 0;
  return {
    name: 'PostgreSQL (a throwaway cluster)',
    setUp: async () => {
      cluster = await startPostgres();
    },
    tearDown: async () => cluster?.stop(),
    fresh: async () => ({ databaseUrl: await cluster!.createDatabase(`evidence_${++databases}`) }),
    shared: true,
  };
}

const tables = ['processes', 'deadlines', 'deadline_transitions', 'notifications'] as const;

describe.each([pgliteInMemory, throwawayPostgres()])('the evidence store on $name', (backend) => {
  let store: EvidenceStore;

  beforeAll(async () => {
    await backend.setUp();
    store = await openEvidenceStore(await backend.fresh());
  });
  afterAll(async () => {
    await store?.close();
    await backend.tearDown();
  });
  beforeEach(async () => {
    await sql`truncate processes, deadlines, deadline_transitions, notifications`.execute(store.db);
  });

  const deadlineRows = () =>
    store.db
      .selectFrom('deadlines')
      .selectAll()
      .orderBy('workflow_id')
      .orderBy('rule_id')
      .orderBy('occurrence')
      .execute();
  const transitionRows = () => store.db.selectFrom('deadline_transitions').selectAll().orderBy('key').execute();
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(async (table) => {
          const { n } = await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow();
          return [table, Number(n)];
        }),
      ),
    );

  describe('migrations', () => {
    it('create every table from an empty database, and a second run changes nothing', async () => {
      const fresh = await openEvidenceStore(await backend.fresh());
      try {
        const { rows } = await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = 'public' order by table_name
        `.execute(fresh.db);
        expect(rows.map((row) => row.table_name)).toEqual(
          expect.arrayContaining([...tables, 'evidence_migrations', 'evidence_migrations_lock']),
        );
        const applied = await sql<{ name: string }>`select name from evidence_migrations order by name`.execute(
          fresh.db,
        );
        expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
        expect(await migrateToLatest(fresh.db)).toEqual([]);
        const indexes = await sql<{ indexname: string }>`
          select indexname from pg_indexes where schemaname = 'public' order by indexname
        `.execute(fresh.db);
        expect(indexes.rows.map((row) => row.indexname)).toEqual(
          expect.arrayContaining([
            'deadlines_open_by_due',
            'deadlines_open_by_process',
            'deadlines_rule_due',
            'processes_team',
          ]),
        );
      } finally {
        await fresh.close();
      }
    });

    // Several workers and API processes open one PostgreSQL at once (PGlite's case: pglite-server.test.ts).
    if (backend.shared)
      it('run once when two stores open the same empty database at once', async () => {
        const location = await backend.fresh();
        const [a, b] = await Promise.all([openEvidenceStore(location), openEvidenceStore(location)]);
        try {
          const applied = await sql<{ name: string }>`select name from evidence_migrations`.execute(a.db);
          expect(applied.rows).toHaveLength(Object.keys(migrations).length);
          await a.record([processRecord('wf-shared')]);
          expect(await b.db.selectFrom('processes').select('workflow_id').execute()).toEqual([
            { workflow_id: 'wf-shared' },
          ]);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });
  });

  describe('record()', () => {
    const lifecycle = (workflowId: string): EvidenceRecord[] => [
      processRecord(workflowId, { team: 'north' }),
      deadlineRecord(workflowId, { step: 1, kind: 'opened' }),
      deadlineRecord(workflowId, { step: 2, kind: 'rescheduled', dueAt: fromNow(9 * DAY), actor: 'tm-1' }),
      notificationRecord(workflowId, 'warn/1'),
      deadlineRecord(workflowId, {
        step: 3,
        kind: 'met',
        status: 'met',
        dueAt: fromNow(9 * DAY),
        metAt: fromNow(DAY),
        metBy: 'sw-1',
        actor: 'sw-1',
      }),
    ];

    it('writes a batch, and the same batch again changes nothing', async () => {
      await store.record(lifecycle('wf-1'));
      const first = { deadlines: await deadlineRows(), transitions: await transitionRows(), counts: await counts() };
      expect(first.counts).toEqual({ processes: 1, deadlines: 1, deadline_transitions: 3, notifications: 1 });
      expect(first.deadlines[0]).toMatchObject({ status: 'met', step: 3, met_by: 'sw-1' });
      expect(first.deadlines[0]!.met_at?.toISOString()).toBe(fromNow(DAY));
      expect(first.transitions.map((row) => [row.kind, row.actor])).toEqual([
        ['opened', null],
        ['rescheduled', 'tm-1'],
        ['met', 'sw-1'],
      ]);

      await store.record(lifecycle('wf-1'));
      expect({ deadlines: await deadlineRows(), transitions: await transitionRows(), counts: await counts() }).toEqual(
        first,
      );
    });

    it('ends in the same state when the batch is replayed in reverse order, one record at a time', async () => {
      await store.record(lifecycle('wf-1'));
      for (const item of lifecycle('wf-2').reverse()) await store.record([item]);
      const [one, two] = await deadlineRows();
      expect({ ...two, workflow_id: 'wf-1' }).toEqual(one);
      expect(await counts()).toMatchObject({ deadlines: 2, deadline_transitions: 6 });
    });

    it('ignores an older step written after a newer one', async () => {
      await store.record([deadlineRecord('wf-1', { step: 5, status: 'overdue', breached: true, escalationLevel: 2 })]);
      const before = await deadlineRows();
      await store.record([deadlineRecord('wf-1', { step: 4, status: 'pending', escalationLevel: 1 })]);
      await store.record([deadlineRecord('wf-1', { step: 5, status: 'cancelled' })]); // the same step again
      expect(await deadlineRows()).toEqual(before);
      expect(before[0]).toMatchObject({ status: 'overdue', breached: true, escalation_level: 2, step: 5 });
      // The older transition itself is evidence, kept once by its key.
      expect((await transitionRows()).map((row) => row.key)).toEqual(['CP-REVIEW-1/0/4', 'CP-REVIEW-1/0/5']);
    });

    it('keeps the first transition or notification written under a key', async () => {
      await store.record([
        deadlineRecord('wf-1', { step: 1, kind: 'opened' }),
        notificationRecord('wf-1', 'n/1', { status: 'failed' }),
      ]);
      await store.record([
        { ...deadlineRecord('wf-1', { step: 1, kind: 'cancelled' }), at: fromNow(0) },
        notificationRecord('wf-1', 'n/1', { status: 'sent', roles: ['director'] }),
      ]);
      expect((await transitionRows()).map((row) => row.kind)).toEqual(['opened']);
      const notifications = await store.db.selectFrom('notifications').selectAll().execute();
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({
        status: 'failed',
        roles: ['social_worker', 'team_manager'],
        message_id: '<n.1@deadlines.example.test>',
      });
    });

    it('writes a batch in one transaction: a record the database refuses leaves nothing of its batch', async () => {
      const refused = { ...deadlineRecord('wf-1', { step: 2 }), kind: 'forgotten' } as unknown as EvidenceRecord;
      await expect(
        store.record([processRecord('wf-1'), deadlineRecord('wf-1', { step: 1 }), refused]),
      ).rejects.toThrow();
      expect(await counts()).toEqual({ processes: 0, deadlines: 0, deadline_transitions: 0, notifications: 0 });
    });

    it('takes concurrent batches, as a worker running many activities at once writes them', async () => {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.record([
            processRecord(`wf-${i}`),
            deadlineRecord(`wf-${i}`, { step: 1 }),
            deadlineRecord(`wf-${i}`, { step: 2 }),
          ]),
        ),
      );
      expect(await counts()).toEqual({ processes: 30, deadlines: 30, deadline_transitions: 60, notifications: 0 });
    });

    it('upserts a process without losing a field, and records its close once', async () => {
      const row = () => store.db.selectFrom('processes').selectAll().executeTakeFirstOrThrow();
      await store.record([processRecord('wf-1', { team: 'north', childReference: 'CHILD-1' })]);
      await store.record([processRecord('wf-1')]); // a replayed start that knew neither
      expect(await row()).toMatchObject({ team: 'north', child_reference: 'CHILD-1', closed_at: null });
      await store.record([processRecord('wf-1', { team: 'south', closedAt: '2026-02-01T12:00:00.000Z' })]);
      await store.record([processRecord('wf-1', { closedAt: '2026-02-09T12:00:00.000Z' })]);
      const closed = await row();
      expect(closed).toMatchObject({ team: 'south', child_reference: 'CHILD-1', case_reference: 'CASE-wf-1' });
      expect(closed.closed_at?.toISOString()).toBe('2026-02-01T12:00:00.000Z');
      expect(closed.started_at.toISOString()).toBe('2026-01-05T09:00:00.000Z');
    });

    it('stores instants as instants, whatever offset they were written with', async () => {
      await store.record([deadlineRecord('wf-1', { step: 1, dueAt: '2026-03-30T17:00:00+01:00' })]);
      expect((await deadlineRows())[0]!.due_at.toISOString()).toBe('2026-03-30T16:00:00.000Z');
    });
  });

  describe('worktray()', () => {
    /** One open deadline per workflow, due `dueIn` from NOW. */
    const open = async (
      workflowId: string,
      dueIn: number,
      extra: {
        team?: string;
        process?: string;
        rule?: string;
        status?: 'pending' | 'overdue' | 'met' | 'cancelled';
      } = {},
    ) =>
      store.record([
        processRecord(workflowId, { team: extra.team, processType: extra.process ?? 'child-protection-plan' }),
        deadlineRecord(workflowId, { step: 1, ruleId: extra.rule, status: extra.status, dueAt: fromNow(dueIn) }),
      ]);
    const ids = (items: { workflowId: string }[]) => items.map((item) => item.workflowId);

    it('lists the open deadlines soonest first, overdue by now whatever the stored status says', async () => {
      await open('wf-later', 3 * DAY, { team: 'north' });
      await open('wf-late', -2 * HOUR, { team: 'north' }); // stored as pending: the workflow has not written yet
      await open('wf-soon', HOUR, { team: 'north', status: 'overdue' }); // rescheduled into the future
      await open('wf-met', 2 * HOUR, { status: 'met' });
      await open('wf-cancelled', 2 * HOUR, { status: 'cancelled' });
      const { items, nextCursor } = await store.worktray({ now: NOW, limit: 10 });
      expect(nextCursor).toBeUndefined();
      expect(items.map((item) => [item.workflowId, item.status])).toEqual([
        ['wf-late', 'overdue'],
        ['wf-soon', 'pending'],
        ['wf-later', 'pending'],
      ]);
      expect(items[0]).toEqual({
        workflowId: 'wf-late',
        processType: 'child-protection-plan',
        caseReference: 'CASE-wf-late',
        childReference: null,
        team: 'north',
        socialWorker: null,
        ruleId: 'CP-REVIEW-1',
        occurrence: 0,
        status: 'overdue',
        dueAt: fromNow(-2 * HOUR),
        statutoryDueAt: fromNow(5 * HOUR),
        escalationLevel: 0,
      });
      // The same rows an hour and a half later: one more is overdue.
      const later = await store.worktray({ now: new Date(NOW.getTime() + 1.5 * HOUR), limit: 10, status: 'overdue' });
      expect(ids(later.items)).toEqual(['wf-late', 'wf-soon']);
    });

    it('filters by status: overdue, due soon (within two days of now) and open', async () => {
      expect(DUE_SOON_WITHIN_MS).toBe(2 * DAY);
      await open('wf-overdue', -DAY);
      await open('wf-now', 0);
      await open('wf-tomorrow', DAY);
      await open('wf-two-days', 2 * DAY); // exactly at the edge: no longer "soon"
      await open('wf-next-week', 7 * DAY);
      const statusOf = async (status: 'overdue' | 'due_soon' | 'open') =>
        ids((await store.worktray({ now: NOW.toISOString(), limit: 10, status })).items);
      expect(await statusOf('overdue')).toEqual(['wf-overdue']);
      expect(await statusOf('due_soon')).toEqual(['wf-now', 'wf-tomorrow']);
      expect(await statusOf('open')).toEqual(['wf-overdue', 'wf-now', 'wf-tomorrow', 'wf-two-days', 'wf-next-week']);
      expect(ids((await store.worktray({ now: NOW, limit: 10, dueBefore: fromNow(DAY) })).items)).toEqual([
        'wf-overdue',
        'wf-now',
      ]);
    });

    it('filters by the teams a caller may see, a team, a process type and a rule', async () => {
      await open('wf-north', DAY, { team: 'north' });
      await open('wf-south', 2 * DAY, { team: 'south', process: 'looked-after-child', rule: 'LAC-REVIEW-1' });
      await open('wf-unassigned', 3 * DAY);
      const list = async (query: Partial<Parameters<EvidenceStore['worktray']>[0]>) =>
        ids((await store.worktray({ now: NOW, limit: 10, ...query })).items);
      expect(await list({})).toEqual(['wf-north', 'wf-south', 'wf-unassigned']);
      expect(await list({ teams: 'all' })).toEqual(['wf-north', 'wf-south', 'wf-unassigned']);
      expect(await list({ teams: ['north'] })).toEqual(['wf-north']);
      expect(await list({ teams: ['north', 'south'] })).toEqual(['wf-north', 'wf-south']);
      expect(await list({ teams: [] })).toEqual([]);
      expect(await list({ teams: ['north'], team: 'south' })).toEqual([]);
      expect(await list({ team: 'south' })).toEqual(['wf-south']);
      expect(await list({ process: 'looked-after-child' })).toEqual(['wf-south']);
      expect(await list({ rule: 'CP-REVIEW-1' })).toEqual(['wf-north', 'wf-unassigned']);
      expect(await list({ rule: 'LAC-REVIEW-1', team: 'north' })).toEqual([]);
    });

    it('pages through 250 deadlines, many due at the same instant, with no gap and no repeat', async () => {
      const batch: EvidenceRecord[] = [];
      for (let i = 0; i < 250; i += 1) {
        const workflowId = `wf-${String(i).padStart(3, '0')}`;
        batch.push(processRecord(workflowId, { team: i % 2 === 0 ? 'north' : 'south' }));
        // 25 distinct due times, ten deadlines each; two rules on some workflows.
        for (const ruleId of i % 5 === 0 ? ['A-RULE', 'B-RULE'] : ['A-RULE']) {
          batch.push(deadlineRecord(workflowId, { step: 1, ruleId, dueAt: fromNow((i % 25) * HOUR - 12 * HOUR) }));
        }
      }
      await store.record(batch);
      const everything = (await store.worktray({ now: NOW, limit: 500 })).items;
      expect(everything).toHaveLength(300);

      const paged: typeof everything = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.worktray({ now: NOW, limit: 40, cursor });
        expect(page.items.length).toBeLessThanOrEqual(40);
        paged.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(8);
      expect(paged).toEqual(everything);
      expect(new Set(paged.map((item) => `${item.workflowId}/${item.ruleId}`)).size).toBe(300);
      const dueTimes = paged.map((item) => item.dueAt);
      expect(dueTimes).toEqual([...dueTimes].sort());

      // Paging with a filter pages through that filter's rows only.
      const north: string[] = [];
      cursor = undefined;
      do {
        const page = await store.worktray({ now: NOW, limit: 33, cursor, team: 'north', status: 'overdue' });
        north.push(...ids(page.items));
        cursor = page.nextCursor;
      } while (cursor);
      const expected = everything
        .filter((item) => item.team === 'north' && item.status === 'overdue')
        .map((item) => item.workflowId);
      expect(north).toEqual(expected);
      expect(expected.length).toBeGreaterThan(33);
    });

    it('refuses a cursor it did not hand out, and a limit out of range', async () => {
      await open('wf-1', DAY);
      const bad = [
        'not a cursor!',
        Buffer.from('not json').toString('base64url'),
        Buffer.from(JSON.stringify({ dueAt: 'yesterday', workflowId: 'wf-1', ruleId: 'R', occurrence: 0 })).toString(
          'base64url',
        ),
        Buffer.from(JSON.stringify(['2026-03-02T10:00:00.000Z', 'wf-1'])).toString('base64url'),
        Buffer.from(
          JSON.stringify({ dueAt: '2026-03-02T10:00:00.000Z', workflowId: 'wf-1', ruleId: 'R', occurrence: 0, x: 1 }),
        ).toString('base64url'),
        'A'.repeat(5_000),
      ];
      for (const cursor of bad) {
        await expect(store.worktray({ now: NOW, limit: 10, cursor }), cursor.slice(0, 40)).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      }
      // A well-formed cursor past the last row is an empty page, not an error.
      const past = encodeCursor({ dueAt: fromNow(30 * DAY), workflowId: 'wf-z', ruleId: 'Z', occurrence: 0 });
      expect(await store.worktray({ now: NOW, limit: 10, cursor: past })).toEqual({ items: [] });
      for (const limit of [0, -1, 1.5, 501]) {
        await expect(store.worktray({ now: NOW, limit })).rejects.toThrow(RangeError);
      }
    });
  });

  describe('timelinessRows()', () => {
    const from = '2026-02-01T00:00:00.000Z';
    const to = '2026-03-01T00:00:00.000Z';

    beforeEach(async () => {
      await store.record([
        processRecord('wf-north', { team: 'north' }),
        processRecord('wf-south', { team: 'south' }),
        // On the first instant of the period: in. On the last: out (the period is half-open).
        deadlineRecord('wf-north', { step: 1, ruleId: 'R1', occurrence: 0, dueAt: from }),
        deadlineRecord('wf-north', { step: 1, ruleId: 'R1', occurrence: 1, dueAt: to }),
        deadlineRecord('wf-north', {
          step: 2,
          ruleId: 'R2',
          status: 'met',
          dueAt: '2026-02-10T17:00:00.000Z',
          metAt: '2026-02-12T10:00:00.000Z',
        }),
        deadlineRecord('wf-south', { step: 1, ruleId: 'R1', status: 'overdue', dueAt: '2026-02-20T17:00:00.000Z' }),
        deadlineRecord('wf-south', { step: 1, ruleId: 'R2', status: 'met', dueAt: '2026-01-31T23:59:59.999Z' }),
        deadlineRecord('wf-south', { step: 3, ruleId: 'R3', status: 'cancelled', dueAt: '2026-02-05T17:00:00.000Z' }),
        // A deadline whose process row has not arrived: counted, with no team.
        deadlineRecord('wf-orphan', { step: 1, ruleId: 'R1', dueAt: '2026-02-15T17:00:00.000Z' }),
      ]);
    });

    it('returns the deadlines due in [from, to), by rule and due time', async () => {
      const rows = await store.timelinessRows({ from, to });
      expect(rows).toEqual([
        {
          workflowId: 'wf-north',
          ruleId: 'R1',
          occurrence: 0,
          team: 'north',
          status: 'pending',
          dueAt: from,
          metAt: null,
        },
        {
          workflowId: 'wf-orphan',
          ruleId: 'R1',
          occurrence: 0,
          team: null,
          status: 'pending',
          dueAt: '2026-02-15T17:00:00.000Z',
          metAt: null,
        },
        {
          workflowId: 'wf-south',
          ruleId: 'R1',
          occurrence: 0,
          team: 'south',
          status: 'overdue',
          dueAt: '2026-02-20T17:00:00.000Z',
          metAt: null,
        },
        {
          workflowId: 'wf-north',
          ruleId: 'R2',
          occurrence: 0,
          team: 'north',
          status: 'met',
          dueAt: '2026-02-10T17:00:00.000Z',
          metAt: '2026-02-12T10:00:00.000Z',
        },
        {
          workflowId: 'wf-south',
          ruleId: 'R3',
          occurrence: 0,
          team: 'south',
          status: 'cancelled',
          dueAt: '2026-02-05T17:00:00.000Z',
          metAt: null,
        },
      ]);
    });

    it('filters by teams, team and rule', async () => {
      const list = async (query: { teams?: string[] | 'all'; team?: string; rule?: string }) =>
        (await store.timelinessRows({ from: new Date(from), to: new Date(to), ...query })).map(
          (row) => `${row.workflowId}/${row.ruleId}`,
        );
      expect(await list({ teams: ['north'] })).toEqual(['wf-north/R1', 'wf-north/R2']);
      expect(await list({ teams: [] })).toEqual([]);
      expect(await list({ team: 'south' })).toEqual(['wf-south/R1', 'wf-south/R3']);
      expect(await list({ teams: ['south'], team: 'north' })).toEqual([]);
      expect(await list({ rule: 'R2' })).toEqual(['wf-north/R2']);
      expect(await list({ rule: 'R1', teams: 'all' })).toEqual(['wf-north/R1', 'wf-orphan/R1', 'wf-south/R1']);
    });
  });
});

describe('a PGlite store persisted in a directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'evidence-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what it recorded across a close and a reopen', async () => {
    const pgliteDir = path.join(dir, 'evidence');
    const first = await openEvidenceStore({ pgliteDir });
    await first.record([
      processRecord('wf-1', { team: 'north' }),
      deadlineRecord('wf-1', { step: 1, dueAt: iso(NOW.getTime() + DAY) }),
    ]);
    await first.close();

    const second = await openEvidenceStore({ pgliteDir });
    try {
      expect(await migrateToLatest(second.db)).toEqual([]);
      const { items } = await second.worktray({ now: NOW, limit: 10 });
      expect(items.map((item) => [item.workflowId, item.team, item.dueAt])).toEqual([
        ['wf-1', 'north', iso(NOW.getTime() + DAY)],
      ]);
    } finally {
      await second.close();
    }
  });
});
