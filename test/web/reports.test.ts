/**
 * The worktray and the timeliness report in a real Chromium, over the reports service on an
 * in-memory evidence store seeded as the workflows write it, at a fixed clock: overdue first, times
 * in London, the filters, pagination, the chart and its CSV, each state checked with axe-core.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { EvidenceReports } from '../../src/evidence/reports';
import type { EvidenceStore } from '../../src/evidence/store';
import { localOrganisation } from '../../src/organisation';
import { deadlineRecord, processRecord } from '../evidence/records';
import { axeViolations, launchChromium, pageText, screenshot } from '../helpers/browser';
import { testEvidenceStore } from '../helpers/evidence';
import { apiStack } from '../helpers/stack';

/** The reports' and the pages' clock: a Monday in March (GMT). */
const NOW = new Date('2026-03-16T12:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

let stack: Awaited<ReturnType<typeof apiStack>>;
let store: EvidenceStore;
let browser: Browser;

async function seed(store: EvidenceStore) {
  const north = { team: 'assessment-north' };
  await store.record([
    processRecord('cpp-W1', north),
    deadlineRecord('cpp-W1', {
      ruleId: 'cp-visit',
      step: 2,
      kind: 'escalated',
      status: 'overdue',
      breached: true,
      escalationLevel: 1,
      dueAt: at(-2 * DAY),
    }),
    processRecord('cpp-W2', north),
    deadlineRecord('cpp-W2', { ruleId: 'cp-rcpc', step: 1, dueAt: at(1 * DAY) }),
    processRecord('ntk-W3', { ...north, processType: 'need-to-know' }),
    deadlineRecord('ntk-W3', { ruleId: 'ntk-cat2-director', step: 1, dueAt: at(10 * DAY) }),
    processRecord('cpp-W4', { team: 'assessment-south' }),
    deadlineRecord('cpp-W4', { ruleId: 'cp-visit', step: 1, dueAt: at(3 * DAY) }),
    // Met earlier: one on time in January, one late in February.
    processRecord('cpp-W5', north),
    deadlineRecord('cpp-W5', {
      ruleId: 'cp-visit',
      step: 2,
      kind: 'met',
      status: 'met',
      dueAt: '2026-01-10T17:00:00.000Z',
      metAt: '2026-01-09T11:00:00.000Z',
      metBy: 'sw-1',
    }),
    processRecord('cpp-W6', north),
    deadlineRecord('cpp-W6', {
      ruleId: 'cp-rcpc',
      step: 2,
      kind: 'met',
      status: 'met',
      breached: true,
      dueAt: '2026-02-10T17:00:00.000Z',
      metAt: '2026-02-12T11:00:00.000Z',
      metBy: 'tm-1',
    }),
  ]);
  // More than a page for the looked-after team: 27 reviews due on consecutive days.
  await store.record(
    Array.from({ length: 27 }, (_, i) => [
      processRecord(`lac-P${i}`, { team: 'looked-after', processType: 'looked-after-child' }),
      deadlineRecord(`lac-P${i}`, { ruleId: 'lac-review-n', step: 1, dueAt: at((i + 3) * DAY) }),
    ]).flat(),
  );
}

beforeAll(async () => {
  store = await testEvidenceStore();
  await seed(store);
  const reports = new EvidenceReports({
    store,
    calendar: calendarFromConfig(loadConfig({})),
    organisation: localOrganisation,
    now: () => NOW,
  });
  stack = await apiStack(localTokens, {
    web: {
      sessionSecret: 'test-session-secret-'.repeat(3),
      tokenSignIn: true,
      reports,
      organisation: localOrganisation,
      now: () => NOW,
    },
  });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await store?.close();
});

async function signedInPage(token: string): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1024, height: 768 });
  await page.goto(`${stack.base}/sign-in`);
  await page.type('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('main form button')]);
  return page;
}

const open = async (page: Page, path: string) =>
  (await page.goto(`${stack.base}${path}`, { waitUntil: 'load' }))!.status();

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

/** The worktray's rows as text, cell by cell. */
const rows = (page: Page) =>
  page.$$eval('main table tbody tr', (trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('td, th')].map((cell) => (cell as unknown as { innerText: string }).innerText.trim()),
    ),
  );

describe('the worktray', () => {
  it('lists the team’s open deadlines overdue first, in London time, with status tags and links', async () => {
    const page = await signedInPage('local-team-manager');
    expect(new URL(page.url()).pathname).toBe('/worktray');
    const table = await rows(page);
    expect(table.map((r) => r[3])).toEqual(['CASE-cpp-W1', 'CASE-cpp-W2', 'CASE-ntk-W3']);
    expect(table.map((r) => r[1])).toEqual(['Overdue', 'Due soon', 'Open']);
    // Due 2 days before the clock at 12:00 UTC: 12:00pm in London in March (GMT).
    expect(table[0]![0]).toBe('Sat 14 Mar 2026, 12:00pm');
    expect(table[0]![6]).toMatch(/^Level 1/);
    const link = await page.$eval('main table tbody tr a', (a) => a.getAttribute('href'));
    expect(link).toBe('/child-protection-plans/W1');
    await expectAccessible(page);
    await screenshot(page, 'worktray');
  });

  it('filters by status, team, process and due date, and says when nothing matches', async () => {
    const page = await signedInPage('local-pgl');
    // The PGL's service covers both assessment teams.
    expect((await rows(page)).map((r) => r[3])).toContain('CASE-cpp-W4');
    await page.select('#status', 'overdue');
    await Promise.all([page.waitForNavigation(), page.click('main form button')]);
    expect((await rows(page)).map((r) => r[3])).toEqual(['CASE-cpp-W1']);
    await expectAccessible(page);
    await screenshot(page, 'worktray-filtered');

    await open(page, '/worktray?team=assessment-south');
    expect((await rows(page)).map((r) => r[3])).toEqual(['CASE-cpp-W4']);
    await open(page, '/worktray?process=need-to-know');
    expect((await rows(page)).map((r) => r[3])).toEqual(['CASE-ntk-W3']);
    await open(page, '/worktray?dueBefore=2026-03-18');
    expect((await rows(page)).map((r) => r[3])).toEqual(['CASE-cpp-W1', 'CASE-cpp-W2']);
    await open(page, '/worktray?rule=lac-review-n');
    expect(await pageText(page)).toContain('None matches these filters.');
    await expectAccessible(page);
  });

  it('shows an empty worktray, and refuses bad filters with an error summary, not a failure', async () => {
    const empty = await signedInPage('local-mash-officer');
    expect(await pageText(empty)).toContain('No open deadlines');
    await expectAccessible(empty);
    await screenshot(empty, 'worktray-empty');

    expect(await open(empty, '/worktray?status=bogus&dueBefore=2026-02-30&role=toString')).toBe(400);
    const text = await pageText(empty);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Select overdue, due soon or all open');
    expect(text).toContain('Enter a real date');
    expect(text).toContain('Select a role from the list');
    await expectAccessible(empty);
    expect(await open(empty, '/worktray?cursor=not-a-cursor')).toBe(400);
    // A team outside the person's teams is refused, as the API refuses it.
    expect(await open(empty, '/worktray?team=assessment-north')).toBe(403);
    await expectAccessible(empty);
  });

  it('pages through more than a page of deadlines', async () => {
    const page = await signedInPage('local-iro');
    expect(await rows(page)).toHaveLength(25);
    await Promise.all([page.waitForNavigation(), page.click('.govuk-pagination__next a')]);
    expect(await rows(page)).toHaveLength(2);
    await expectAccessible(page);
    await Promise.all([page.waitForNavigation(), page.click('.govuk-pagination__prev a')]);
    expect(await rows(page)).toHaveLength(25);
  });

  it('refuses the case system, which reads no staff views', async () => {
    const page = await signedInPage('local-case-system');
    expect(await open(page, '/worktray')).toBe(403);
    await expectAccessible(page);
  });
});

describe('the timeliness report', () => {
  it('shows on time and late per rule and by month, as charts and tables', async () => {
    const page = await signedInPage('local-team-manager');
    expect(await open(page, '/reports/timeliness?from=2026-01-01&to=2026-04-01')).toBe(200);
    const text = await pageText(page);
    expect(text).toContain('Per rule');
    expect(await page.$$eval('svg.app-chart[role="img"]', (charts) => charts.length)).toBe(2);
    const desc = await page.$eval('#chart-months-desc', (d) => d.textContent);
    expect(desc).toContain('Jan 26, 1 on time and 0 late');
    expect(desc).toContain('Feb 26, 0 on time and 1 late');
    // March: the overdue visit is late; nothing else of March is met yet.
    expect(desc).toContain('Mar 26, 0 on time and 1 late');
    await expectAccessible(page);
    await screenshot(page, 'timeliness');
  });

  it('downloads the same figures as CSV', async () => {
    const page = await signedInPage('local-team-manager');
    await open(page, '/reports/timeliness?from=2026-01-01&to=2026-04-01');
    const href = await page.$eval('a[download]', (a) => a.getAttribute('href'));
    const csv = (await page.evaluate(
      `fetch(${JSON.stringify(href)}).then(async (r) => ({ type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() }))`,
    )) as { type: string; disposition: string; text: string };
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.disposition).toContain('timeliness-2026-01-01-to-2026-04-01.csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'rule_id,rule,due,met_on_time,met_late,open_overdue,open,median_lateness_working_days,worst_lateness_working_days',
    );
    // Due Saturday 14 March, open on Monday 16th: one working day late.
    const visit = lines.find((line) => line.startsWith('cp-visit,'))!;
    expect(visit.split(',').slice(-7)).toEqual(['2', '1', '0', '1', '0', '1', '1']);
  });

  it('refuses a period that ends before it starts, accessibly', async () => {
    const page = await signedInPage('local-team-manager');
    expect(await open(page, '/reports/timeliness?from=2026-04-01&to=2026-01-01')).toBe(400);
    expect(await pageText(page)).toContain('The end date must be after the start date');
    await expectAccessible(page);
  });
});
