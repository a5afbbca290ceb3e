/**
 * How fast does the evidence store answer the worktray and the timeliness report with 10,000 open
 * processes and a year of history? `npm run bench:evidence [-- --history-days=365
 * --backend=pglite|postgres|both --open-processes=10000 --teams=20 --worktray-runs=200
 * --report-runs=10 --all-teams-rows-runs=3 --analyze=yes|no]`.
 *
 * Writes synthetic evidence (bench/evidence-data.ts) through `store.record()`, the real write path,
 * on PGlite in memory and on a throwaway PostgreSQL cluster (test/helpers/postgres.ts; run
 * `bash scripts/setup-postgres.sh` first), then times each query beside a plain `SELECT` of the
 * same rows (the baseline), interleaved in the same run, since this machine is noisy: compare the
 * ratios as much as the absolute figures. The report is timed both ways: the rows fetched and
 * aggregated in JS (`timelinessRows()` + `timeliness()`) and counted in the database
 * (the report, counted in SQL by `EvidenceReports.timeliness`). Most of the run (6 to 10 minutes at the defaults) is the writing;
 * `--open-processes=1000` takes about a minute.
 */
import { sql, type Kysely } from 'kysely';
import { cpus } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { WorkingDayCalendar } from '../src/calendar';
import type { EvidenceRecord } from '../src/evidence/records';
import { EvidenceReports } from '../src/evidence/reports';
import type { EvidenceDatabase } from '../src/evidence/schema';
import { openEvidenceStore, type EvidenceStore, type EvidenceStoreLocation } from '../src/evidence/store';
import { timeliness } from '../src/evidence/timeliness';
import { englandAndWalesHolidays } from '../src/holidays';
import { localOrganisation } from '../src/organisation';
import { startPostgres, type ThrowawayPostgres } from '../test/helpers/postgres';
import { generateEvidence, teamName } from './evidence-data';

const GOALS = { worktrayMs: 200, timelinessMs: 2_000 };
const NOW = new Date('2026-03-02T10:00:00.000Z');
const YEAR = { from: new Date(NOW.getTime() - 365 * 86_400_000), to: NOW };
const PAGE = 50;
/** The page deep in: this many pages in, or the team's last page when it has fewer. */
const DEEP_PAGE = 20;
const BATCH = 500;

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}
function count(name: string, fallback: number, least = 1): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name}: a whole number from ${least}`);
  return value;
}
const historyDays = count('history-days', 365, 0);
const openProcesses = count('open-processes', 10_000);
const teams = count('teams', 20);
const worktrayRuns = count('worktray-runs', 200);
const reportRuns = count('report-runs', 10);
/** Fetching a year's rows for every team takes seconds a run: fewer runs of it (its p99 is then its worst). */
const allTeamsRowsRuns = count('all-teams-rows-runs', 3);
const analyze = option('analyze', 'yes') !== 'no';
const backendOption = option('backend', 'both');
if (!['pglite', 'postgres', 'both'].includes(backendOption)) throw new Error('--backend: pglite, postgres or both');

const calendar = new WorkingDayCalendar(englandAndWalesHolidays());
/** The Director sees every team: a team's report is the Director's with `team=`. */
const director = { actor: { id: 'director-1', roles: ['director' as const] }, teams: [] };
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;

interface Backend {
  name: string;
  open(): Promise<{ location: EvidenceStoreLocation; writers: number; stop(): Promise<void> }>;
}

const allBackends: Backend[] = [
  {
    name: 'PGlite (in memory)',
    open: async () => ({ location: { pglite: 'memory' }, writers: 1, stop: async () => undefined }),
  },
  {
    name: 'PostgreSQL (throwaway cluster)',
    open: async () => {
      const cluster: ThrowawayPostgres = await startPostgres();
      return {
        location: { databaseUrl: await cluster.createDatabase('evidence_bench') },
        // Batches in flight at once, as several workers' activities would write.
        writers: 4,
        stop: () => cluster.stop(),
      };
    },
  },
];
const backends = allBackends.filter(
  (backend) => backendOption === 'both' || (backendOption === 'pglite') === backend.name.startsWith('PGlite'),
);

/** Writes the evidence in batches of whole processes, `writers` batches in flight; records per second. */
async function load(store: EvidenceStore, writers: number) {
  const source = generateEvidence({ openProcesses, teams, historyDays, now: NOW });
  let records = 0;
  const nextBatch = (): EvidenceRecord[] | undefined => {
    const batch: EvidenceRecord[] = [];
    while (batch.length < BATCH) {
      const next = source.next();
      if (next.done) break;
      batch.push(...next.value);
    }
    return batch.length === 0 ? undefined : batch;
  };
  const began = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let batch = nextBatch(); batch; batch = nextBatch()) {
        await store.record(batch);
        records += batch.length;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  return { records, seconds, perSecond: records / seconds };
}

async function tableSizes(db: Kysely<EvidenceDatabase>) {
  const { rows } = await sql<{ processes: number; open: number; deadlines: number; year: number; transitions: number }>`
    select (select count(*) from processes where closed_at is null)::int as processes,
           (select count(*) from deadlines where status in ('pending', 'overdue'))::int as open,
           (select count(*) from deadlines)::int as deadlines,
           (select count(*) from deadlines where due_at >= ${YEAR.from} and due_at < ${YEAR.to})::int as year,
           (select count(*) from deadline_transitions)::int as transitions`.execute(db);
  return rows[0]!;
}

interface Measured {
  label: string;
  rows: number;
  target: number[];
  baseline: number[];
}

/**
 * Times `target` and `baseline` alternately, after a warm-up of each; or `target` alone beside the
 * baseline of an earlier measurement, when that baseline is too slow to run again.
 */
async function compare(
  label: string,
  runs: number,
  target: () => Promise<unknown>,
  baseline: (() => Promise<{ rows: unknown[] }>) | Measured,
): Promise<Measured> {
  const measureBaseline = typeof baseline === 'function' ? baseline : undefined;
  let rows = typeof baseline === 'function' ? 0 : baseline.rows;
  // One warm-up run of each: the first plans the query and fills the caches.
  await target();
  if (measureBaseline) rows = (await measureBaseline()).rows.length;
  const times = { target: [] as number[], baseline: typeof baseline === 'function' ? [] : baseline.baseline };
  for (let i = 0; i < runs; i += 1) {
    let began = performance.now();
    await target();
    times.target.push(performance.now() - began);
    if (!measureBaseline) continue;
    began = performance.now();
    await measureBaseline();
    times.baseline.push(performance.now() - began);
  }
  return { label, rows, ...times };
}

/** The page's rows again, by their primary keys: the cheapest way to read exactly those rows. */
function rowsByKey(db: Kysely<EvidenceDatabase>, keys: { workflowId: string; ruleId: string; occurrence: number }[]) {
  const values = sql.join(keys.map((k) => sql`(${k.workflowId}, ${k.ruleId}, ${k.occurrence}::int)`));
  return sql`
    select d.workflow_id, p.process_type, p.case_reference, p.child_reference, p.team, d.rule_id, d.occurrence,
           d.due_at, d.statutory_due_at, d.escalation_level
    from deadlines d join processes p on p.workflow_id = d.workflow_id
    where (d.workflow_id, d.rule_id, d.occurrence) in (values ${values})`.execute(db);
}

/** The rows the timeliness report reads, with no order and no mapping: what the database must hand over anyway. */
function plainTimelinessRows(db: Kysely<EvidenceDatabase>, team: string | undefined) {
  return sql`
    select d.workflow_id, d.rule_id, d.occurrence, p.team, d.status, d.due_at, d.met_at
    from deadlines d left join processes p on p.workflow_id = d.workflow_id
    where d.due_at >= ${YEAR.from} and d.due_at < ${YEAR.to}
      ${team === undefined ? sql`` : sql`and p.team = ${team}`}`.execute(db);
}

async function measure(store: EvidenceStore): Promise<Measured[]> {
  const reports = new EvidenceReports({ store, calendar, organisation: localOrganisation, now: () => NOW });
  const { db } = store;
  const team = teamName(0);
  const results: Measured[] = [];

  const worktrayPage = (query: { team?: string; cursor?: string }) =>
    store.worktray({ ...query, now: NOW, limit: PAGE });
  let deepCursor: string | undefined;
  let deepPage = 1;
  for (; deepPage <= DEEP_PAGE; deepPage += 1) {
    const { nextCursor } = await worktrayPage({ team, cursor: deepCursor });
    if (nextCursor === undefined) break;
    deepCursor = nextCursor;
  }
  if (deepCursor === undefined) throw new Error(`${team} has only one page of open deadlines`);

  for (const [label, query] of [
    [`worktray ${team}, first page`, { team }],
    [`worktray ${team}, page ${deepPage} (cursor)`, { team, cursor: deepCursor }],
    ['worktray all teams, first page', {}],
  ] as const) {
    const keys = (await worktrayPage(query)).items;
    results.push(
      await compare(
        label,
        worktrayRuns,
        () => worktrayPage(query),
        () => rowsByKey(db, keys),
      ),
    );
  }

  for (const [scope, legacyRuns] of [
    [team, reportRuns],
    [undefined, allTeamsRowsRuns],
  ] as const) {
    const label = `timeliness ${scope ?? 'all teams'}, a year`;
    const query = { ...YEAR, ...(scope === undefined ? {} : { team: scope }) };
    // Not timed: the report (what GET /v1/reports/timeliness answers) agrees with the pure
    // timeliness() over the rows on this data, or comparing their speed means nothing.
    const report = () => reports.timeliness(director, { ...YEAR, team: scope });
    const fromRows = timeliness(await store.timelinessRows(query), NOW, calendar);
    if (!isDeepStrictEqual(fromRows, (await report()).rules))
      throw new Error(`${label}: the report differs from timeliness() over its rows`);
    const legacy = await compare(
      `${label}: rows + timeliness()`,
      legacyRuns,
      async () => timeliness(await store.timelinessRows(query), NOW, calendar),
      () => plainTimelinessRows(db, scope),
    );
    results.push(legacy);
    // Counted in the database, beside the same plain SELECT of the rows it no longer fetches.
    results.push(await compare(`${label}: report (SQL counts)`, reportRuns, report, legacy));
  }
  return results;
}

function print(results: Measured[]) {
  const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0)).padStart(7);
  console.log(
    `  ${'query'.padEnd(52)} ${'rows read'.padStart(9)}  ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ` +
      `${'plain p50'.padStart(9)} ${'p99'.padStart(7)}  ${'ratio p50'.padStart(9)}  ${'runs'.padStart(4)}  goal`,
  );
  for (const { label, rows, target, baseline } of results) {
    const goal = label.startsWith('worktray') ? GOALS.worktrayMs : GOALS.timelinessMs;
    const p50 = quantile(target, 0.5);
    const p99 = quantile(target, 0.99);
    console.log(
      `  ${label.padEnd(52)} ${String(rows).padStart(9)}  ${ms(p50)} ${ms(p99)}  ${ms(quantile(baseline, 0.5)).padStart(9)} ` +
        `${ms(quantile(baseline, 0.99))}  ${(p50 / quantile(baseline, 0.5)).toFixed(2).padStart(8)}×  ` +
        `${String(target.length).padStart(4)}  ${p99 < goal ? 'met' : 'MISSED'} (p99 < ${goal} ms)`,
    );
  }
}

async function main() {
  console.log(
    `evidence store: ${openProcesses} open processes across ${teams} teams, ${historyDays} days of history, ` +
      `now = ${NOW.toISOString()}; on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`,
  );
  console.log(
    `each query timed interleaved with its baseline, a plain SELECT of the same rows (the report beside ` +
      `the baseline measured for the rows it replaces); compare ratios as much as absolutes\n`,
  );
  for (const backend of backends) {
    const opened = await backend.open();
    const store = await openEvidenceStore(opened.location);
    try {
      const written = await load(store, opened.writers);
      // As PostgreSQL's autovacuum would after such a load; `--analyze=no` shows the plans without statistics.
      const began = performance.now();
      if (analyze) await sql`analyze`.execute(store.db);
      const analyzed = analyze ? `analyze ${(performance.now() - began).toFixed(0)} ms` : 'not analyzed';
      const sizes = await tableSizes(store.db);
      console.log(`${backend.name}`);
      console.log(
        `  wrote ${written.records} records in batches of ${BATCH}+, ${opened.writers} in flight: ` +
          `${written.perSecond.toFixed(0)} records/s (${written.seconds.toFixed(0)} s); ${analyzed}`,
      );
      console.log(
        `  ${sizes.processes} open processes, ${sizes.open} open deadlines, ${sizes.deadlines} deadlines ` +
          `(${sizes.year} due in the year), ${sizes.transitions} transitions`,
      );
      print(await measure(store));
      console.log();
    } finally {
      await store.close();
      await opened.stop();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
