/**
 * The read side's queries on both backends (PGlite in memory and a throwaway PostgreSQL): the
 * timeliness figures aggregated in SQL equal those of the pure `timeliness()` over every row, for
 * a year of varied deadlines across clock changes and bank holidays; the Annex A rows; the
 * worktray's "my cases" filter. And the census grouping itself, pure.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFromConfig, loadConfig } from '../../src/config';
import { censusMeasures, summarise, weightedMedian } from '../../src/evidence/census';
import type { EvidenceRecord } from '../../src/evidence/records';
import { EvidenceReports } from '../../src/evidence/reports';
import { openEvidenceStore, type EvidenceStore, type EvidenceStoreLocation } from '../../src/evidence/store';
import { timeliness } from '../../src/evidence/timeliness';
import type { TimelinessCount } from '../../src/evidence/timeliness-counts';
import { localOrganisation } from '../../src/organisation';
import { deadlineRules, ruleById } from '../../src/rules';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';

const calendar = calendarFromConfig(loadConfig({}));
const NOW = new Date('2026-03-02T10:00:00.000Z');
const DAY = 86_400_000;
const RULES = ['assessment-complete', 'icpc-held', 'cp-rcpc', 'lac-review-n', 'cp-visit', 'cin-visit'];
const TEAMS = ['assessment-north', 'assessment-south', 'looked-after'];
const WORKERS = ['sw-1', 'sw-2', 'sw-3'];

/** A small deterministic generator (mulberry32), so every run writes the same year of evidence. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/** 600 deadlines due from March 2025 to May 2026: met early, late by hours or weeks, open, overdue, cancelled. */
function yearOfEvidence(): EvidenceRecord[] {
  const random = lcg(7);
  const out: EvidenceRecord[] = [];
  for (let i = 0; i < 200; i += 1) {
    const workflowId = `cpp-Y${i}`;
    if (i % 40 !== 39) {
      // A few deadlines have no process row yet: they count with no team, seen only by 'all'.
      out.push({
        type: 'process',
        workflowId,
        processType: 'child-protection-plan',
        caseReference: `CASE-Y${i}`,
        childReference: `CHILD-Y${i}`,
        team: TEAMS[random(3)],
        socialWorker: WORKERS[random(3)],
        startedAt: '2025-01-06T09:00:00.000Z',
      });
    }
    for (let occurrence = 0; occurrence < 3; occurrence += 1) {
      const ruleId = RULES[random(RULES.length)]!;
      const due = Date.parse('2025-03-01T00:00:00Z') + random(450) * DAY + random(24) * 3_600_000;
      const kind = random(6);
      const metAt =
        kind === 0
          ? due - random(5) * DAY
          : kind === 1
            ? due + random(30) * DAY + random(20) * 3_600_000
            : kind === 2
              ? due + random(3) * 3_600_000
              : undefined;
      const status =
        kind === 5 ? 'cancelled' : metAt !== undefined ? 'met' : due < NOW.getTime() ? 'overdue' : 'pending';
      out.push({
        type: 'deadline',
        workflowId,
        key: `${ruleId}/${occurrence}/1`,
        kind: 'opened',
        at: '2025-01-06T09:00:00.000Z',
        deadline: {
          ruleId,
          occurrence,
          step: 1,
          status,
          anchorAt: '2025-01-06T09:00:00.000Z',
          dueAt: new Date(due).toISOString(),
          statutoryDueAt: new Date(due).toISOString(),
          ...(metAt === undefined ? {} : { metAt: new Date(metAt).toISOString() }),
          escalationLevel: 0,
          breached: status === 'overdue',
        },
      });
    }
  }
  return out;
}

interface Backend {
  name: string;
  open(): Promise<EvidenceStore>;
  stop(): Promise<void>;
}
const pglite: Backend = {
  name: 'PGlite (in memory)',
  open: () => openEvidenceStore({ pglite: 'memory' }),
  stop: async () => undefined,
};
function postgres(): Backend {
  let cluster: ThrowawayPostgres | undefined;
  return {
    name: 'PostgreSQL (a throwaway cluster)',
    async open() {
      cluster = await startPostgres();
      const location: EvidenceStoreLocation = { databaseUrl: await cluster.createDatabase('reports') };
      return openEvidenceStore(location);
    },
    stop: async () => cluster?.stop(),
  };
}

describe.each([pglite, postgres()])('the read side on $name', (backend) => {
  let store: EvidenceStore;
  const timeZone = calendar.settings.timeZone;
  beforeAll(async () => {
    store = await backend.open();
    await store.record(yearOfEvidence());
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await backend.stop();
  });

  it.each([
    ['everything', {}],
    ['two teams', { teams: ['assessment-north', 'looked-after'] }],
    ['one team', { team: 'assessment-south' }],
    ['one social worker', { socialWorker: 'sw-2' }],
    ['one rule', { rule: 'icpc-held' }],
    ['no teams', { teams: [] as string[] }],
  ])('counts in SQL what timeliness() counts from every row: %s', async (_what, filter) => {
    for (const [from, to] of [
      ['2025-03-01T00:00:00Z', '2026-06-01T00:00:00Z'],
      ['2025-10-26T00:00:00Z', '2025-11-01T00:00:00Z'], // the clocks go back on the 26th
    ] as const) {
      const counts = await store.timelinessCounts({ from, to, now: NOW, timeZone, ...filter });
      const rows = await store.timelinessRows({ from, to, ...filter });
      expect(summarise(counts, NOW, calendar).rules).toEqual(timeliness(rows, NOW, calendar));
      const wholeYear = from === '2025-03-01T00:00:00Z';
      if (wholeYear && !('teams' in filter && filter.teams.length === 0)) expect(rows.length).toBeGreaterThan(20);
    }
  });

  it('returns a few rows per rule, not one per deadline', async () => {
    const counts = await store.timelinessCounts({
      from: '2025-03-01T00:00:00Z',
      to: '2026-06-01T00:00:00Z',
      now: NOW,
      timeZone,
    });
    const total = counts.reduce((sum, row) => sum + row.count, 0);
    const onTimeRows = counts.filter((row) => row.outcome === 'on_time' || row.outcome === 'open');
    expect(onTimeRows.length).toBeLessThanOrEqual(2 * RULES.length);
    expect(total).toBeGreaterThan(400);
  });

  it('lists Annex A rows with references and dates, scoped and in due order', async () => {
    const reports = new EvidenceReports({ store, calendar, organisation: localOrganisation, now: () => NOW });
    const from = new Date('2025-06-01T00:00:00Z');
    const to = new Date('2025-12-01T00:00:00Z');
    const director = { actor: { id: 'director-1', roles: ['director' as const] }, teams: [] };
    const all = await reports.annexA(director, { list: 'plans', from, to });
    expect(all.rows.length).toBeGreaterThan(0);
    expect(all.rows.every((row) => row.ruleId === 'cp-rcpc')).toBe(true);
    expect(all.rows.every((row) => row.dueAt >= from.toISOString() && row.dueAt < to.toISOString())).toBe(true);
    expect(all.rows.map((row) => row.dueAt)).toEqual(all.rows.map((row) => row.dueAt).sort());
    expect(Object.keys(all.rows[0]!).sort()).toEqual(
      [
        'anchorAt',
        'caseReference',
        'childReference',
        'dueAt',
        'metAt',
        'occurrence',
        'ruleId',
        'status',
        'team',
        'workflowId',
      ].sort(),
    );
    const manager = { actor: { id: 'tm-1', roles: ['team_manager' as const] }, teams: ['looked-after'] };
    const theirs = await reports.annexA(manager, { list: 'plans', from, to });
    expect(theirs.rows.length).toBeGreaterThan(0);
    expect(theirs.rows).toEqual(all.rows.filter((row) => row.team === 'looked-after'));
  });

  it('keeps a social worker’s worktray to their own cases', async () => {
    const page = await store.worktray({ now: NOW, limit: 500, socialWorker: 'sw-3' });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((item) => item.socialWorker === 'sw-3')).toBe(true);
    const everyone = await store.worktray({ now: NOW, limit: 500 });
    expect(page.items).toEqual(everyone.items.filter((item) => item.socialWorker === 'sw-3'));
  });

  it('reads nothing it should not change', async () => {
    const count = async () =>
      (await sql<{ n: string }>`select count(*) as n from deadlines`.execute(store.db)).rows[0]!.n;
    const before = await count();
    await store.timelinessCounts({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', now: NOW, timeZone });
    expect(await count()).toBe(before);
  });
});

describe('the census measures', () => {
  it('name rules of the catalogue, each once per measure', () => {
    for (const measure of censusMeasures) {
      expect(new Set(measure.rules).size).toBe(measure.rules.length);
      for (const ruleId of measure.rules) expect(() => ruleById(ruleId)).not.toThrow();
    }
    // Every visit rule of the catalogue is counted, bar the joint visit and the short-break sighting.
    const visits = censusMeasures.find((m) => m.id === 'visits-on-time')!.rules;
    const visitRules = [...deadlineRules.keys()].filter((id) => /-visit(-|$)/.test(id));
    expect(visitRules.filter((id) => !visits.includes(id))).toEqual(['lac-joint-visit-ssw']);
  });

  it('group the rules’ counts, with the median and the worst over the group’s late deadlines', () => {
    const counts: TimelinessCount[] = [
      { ruleId: 'lac-review-1', outcome: 'on_time', dueDay: null, metDay: null, count: 3 },
      // Due Friday 6 March, met Tuesday 10 March: 2 working days late.
      { ruleId: 'lac-review-1', outcome: 'late', dueDay: '2026-03-06', metDay: '2026-03-10', count: 2 },
      // Due Friday 27 February, still open on Monday 2 March: 1 working day late.
      { ruleId: 'lac-review-n', outcome: 'overdue', dueDay: '2026-02-27', metDay: null, count: 1 },
      { ruleId: 'lac-review-n', outcome: 'open', dueDay: null, metDay: null, count: 4 },
      { ruleId: 'cp-visit', outcome: 'late', dueDay: '2026-03-02', metDay: '2026-03-09', count: 1 },
    ];
    const summary = summarise(counts, NOW, calendar);
    const reviews = summary.measures.find((m) => m.id === 'looked-after-reviews-on-time')!;
    expect(reviews).toMatchObject({
      due: 10,
      metOnTime: 3,
      metLate: 2,
      openOverdue: 1,
      open: 4,
      medianLatenessWorkingDays: 2,
      worstLatenessWorkingDays: 2,
    });
    expect(summary.measures.find((m) => m.id === 'visits-on-time')).toMatchObject({
      due: 1,
      metLate: 1,
      worstLatenessWorkingDays: 5,
    });
    expect(summary.measures.find((m) => m.id === 'icpc-within-15-wd')).toMatchObject({
      due: 0,
      medianLatenessWorkingDays: null,
      worstLatenessWorkingDays: null,
    });
    expect(summary.rules.map((r) => r.ruleId)).toEqual(['cp-visit', 'lac-review-1', 'lac-review-n']);
  });

  it('take the median of weighted values as of the values themselves', () => {
    expect(weightedMedian(new Map())).toBeNull();
    expect(weightedMedian(new Map([[4, 1]]))).toBe(4);
    expect(
      weightedMedian(
        new Map([
          [1, 1],
          [3, 1],
        ]),
      ),
    ).toBe(2);
    expect(
      weightedMedian(
        new Map([
          [1, 3],
          [10, 1],
        ]),
      ),
    ).toBe(1);
    expect(
      weightedMedian(
        new Map([
          [10, 2],
          [1, 2],
        ]),
      ),
    ).toBe(5.5);
    expect(
      weightedMedian(
        new Map([
          [0, 1],
          [2, 2],
          [9, 2],
        ]),
      ),
    ).toBe(2);
  });
});
