/**
 * The timeliness report counted in the database equals the pure report over the rows it counts:
 * `store.timelinessSummary(q, now, calendar)` against `timeliness(await store.timelinessRows(q),
 * now, calendar)`, on PGlite and on a throwaway PostgreSQL, over deadlines due and met around
 * London midnight, across the clock changes and bank holidays, on time, late, open and cancelled.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/calendar';
import type { EvidenceRecord } from '../../src/evidence/records';
import { openEvidenceStore, type EvidenceStore, type TimelinessQuery } from '../../src/evidence/store';
import { timeliness, timelinessFromGroups } from '../../src/evidence/timeliness';
import { englandAndWalesHolidays } from '../../src/holidays';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres';
import { DAY, deadlineRecord, HOUR, iso, processRecord } from './records';

const calendar = new WorkingDayCalendar(englandAndWalesHolidays());
const NOW = new Date('2025-04-22T12:00:00.000Z');
const YEAR = { from: '2024-04-22T00:00:00.000Z', to: '2025-04-23T00:00:00.000Z' };

/** Seeded: due instants near London midnight (either side of it, in GMT and BST), some met, some late. */
function evidence(): EvidenceRecord[] {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const records: EvidenceRecord[] = [];
  const teams = ['north', 'south', 'east'];
  for (let p = 0; p < 60; p += 1) {
    const workflowId = `wf-${p}`;
    // Every tenth process has no process row: its deadlines count, with no team.
    if (p % 10 !== 9) records.push(processRecord(workflowId, { team: teams[p % teams.length]! }));
    for (let occurrence = 0; occurrence < 25; occurrence += 1) {
      const ruleId = `R${(p + occurrence) % 4}`;
      const day = Date.parse(YEAR.from) + Math.floor(random() * 400) * DAY - 20 * DAY;
      // 22:00–02:00 UTC: in BST, 23:00–03:00 London; so the UTC and the London day often differ.
      const dueAt = day + 22 * HOUR + Math.floor(random() * 4 * HOUR);
      const roll = random();
      const status = roll < 0.1 ? 'cancelled' : roll < 0.55 ? 'met' : dueAt < NOW.getTime() ? 'overdue' : 'pending';
      const metAt =
        status !== 'met'
          ? undefined
          : roll < 0.2
            ? dueAt // at the due instant: on time
            : dueAt + Math.floor((random() - 0.5) * 12 * DAY);
      records.push(
        deadlineRecord(workflowId, {
          step: 2,
          ruleId,
          occurrence,
          status,
          dueAt: iso(dueAt),
          ...(metAt === undefined ? {} : { metAt: iso(metAt) }),
        }),
      );
    }
  }
  // A rule whose only deadline is cancelled is not in the report.
  records.push(
    deadlineRecord('wf-0', { step: 2, ruleId: 'R-cancelled', status: 'cancelled', dueAt: '2025-01-10T17:00:00Z' }),
  );
  return records;
}

const postgres = () => {
  let cluster: ThrowawayPostgres | undefined;
  return {
    name: 'PostgreSQL (a throwaway cluster)',
    open: async () => {
      cluster = await startPostgres();
      return openEvidenceStore({ databaseUrl: await cluster.createDatabase('evidence_summary') });
    },
    stop: async () => cluster?.stop(),
  };
};
const pglite = {
  name: 'PGlite (in memory)',
  open: () => openEvidenceStore({ pglite: 'memory' }),
  stop: async () => undefined,
};

describe.each([pglite, postgres()])('timelinessSummary() on $name', (backend) => {
  let store: EvidenceStore;
  beforeAll(async () => {
    store = await backend.open();
    await store.record(evidence());
  });
  afterAll(async () => {
    await store?.close();
    await backend.stop();
  });

  const queries: [string, TimelinessQuery][] = [
    ['every team', YEAR],
    ['one team', { ...YEAR, team: 'north' }],
    ['a list of teams', { ...YEAR, teams: ['south', 'east'] }],
    ['no team at all', { ...YEAR, teams: [] }],
    ['one rule', { ...YEAR, rule: 'R2' }],
    ['a team within the teams', { ...YEAR, teams: ['north', 'south'], team: 'south', rule: 'R1' }],
    ['a month in the summer (BST)', { from: '2024-07-01T00:00:00+01:00', to: '2024-08-01T00:00:00+01:00' }],
  ];

  it.each(queries)('equals timeliness() over timelinessRows(): %s', async (_, query) => {
    for (const now of [NOW, new Date('2024-10-27T00:30:00Z'), new Date('2024-12-25T23:30:00Z')]) {
      const expected = timeliness(await store.timelinessRows(query), now, calendar);
      expect(await store.timelinessSummary(query, now, calendar)).toEqual(expected);
    }
  });

  it('has late deadlines to compare, met late and open, and leaves out a rule with only cancelled ones', async () => {
    const summary = await store.timelinessSummary(YEAR, NOW, calendar);
    expect(summary.map((rule) => rule.ruleId)).toEqual(['R0', 'R1', 'R2', 'R3']);
    for (const rule of summary) {
      expect(rule.metLate).toBeGreaterThan(0);
      expect(rule.openOverdue).toBeGreaterThan(0);
      expect(rule.metOnTime).toBeGreaterThan(0);
      expect(rule.worstLatenessWorkingDays).toBeGreaterThan(0);
    }
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from deadlines where status = 'cancelled'`.execute(store.db);
    expect(rows[0]!.n).toBeGreaterThan(10);
  });
});

describe('timelinessFromGroups()', () => {
  it('takes the median over the counts: the mean of the two middle deadlines when they are even', () => {
    const late = (dueDay: string, endDay: string, count: number) =>
      ({ ruleId: 'R', outcome: 'met_late', dueDay, endDay, count }) as const;
    // Mon 14 Apr 2025 → Tue 15th: 1 working day (×3); → Tue 22nd after Easter: 4 (×1).
    const [summary] = timelinessFromGroups(
      [late('2025-04-14', '2025-04-15', 3), late('2025-04-14', '2025-04-22', 1)],
      calendar,
    );
    expect(summary).toMatchObject({ due: 4, metLate: 4, medianLatenessWorkingDays: 1, worstLatenessWorkingDays: 4 });
    const [even] = timelinessFromGroups(
      [late('2025-04-14', '2025-04-15', 1), late('2025-04-14', '2025-04-22', 1)],
      calendar,
    );
    expect(even).toMatchObject({ medianLatenessWorkingDays: 2.5, worstLatenessWorkingDays: 4 });
  });
});
