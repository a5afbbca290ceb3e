/**
 * The read side through the real HTTP server: the worktray, the timeliness report and the Annex A
 * lists, scoped by the caller's roles and teams (the local tokens and organisation), over an
 * evidence store written directly with `store.record`. The reports' clock is fixed, so nothing
 * here depends on the hour or the day the tests run.
 */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import type { EvidenceRecord } from '../../src/evidence/records';
import { EvidenceReports } from '../../src/evidence/reports';
import type { EvidenceStore } from '../../src/evidence/store';
import { DUE_SOON_WITHIN_MS } from '../../src/evidence/worktray';
import { silentLogger } from '../../src/logger';
import { localOrganisation } from '../../src/organisation';
import { ruleById } from '../../src/rules';
import { testEvidenceStore } from '../helpers/evidence';

const NOW = new Date('2026-03-02T10:00:00.000Z'); // a Monday
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

interface Fixture {
  workflowId: string;
  processType: string;
  team: string;
  socialWorker: string;
  ruleId: string;
  occurrence?: number;
  dueAt: string;
  metAt?: string;
  status?: 'pending' | 'met' | 'overdue' | 'cancelled';
  escalationLevel?: number;
}

/** The evidence: open deadlines in every team, and assessments met on time, late, overdue and open. */
const fixtures: Fixture[] = [
  // Open: what the worktray shows.
  {
    workflowId: 'ntk-NTK-1',
    processType: 'need-to-know',
    team: 'assessment-north',
    socialWorker: 'sw-1',
    ruleId: 'ntk-cat2-draft',
    dueAt: at(-1 * DAY),
    status: 'overdue',
    escalationLevel: 1,
  },
  {
    workflowId: 's47-S47-1',
    processType: 's47-enquiry',
    team: 'assessment-south',
    socialWorker: 'sw-2',
    ruleId: 's47-decision',
    dueAt: at(1 * DAY),
  },
  {
    workflowId: 's47-S47-1',
    processType: 's47-enquiry',
    team: 'assessment-south',
    socialWorker: 'sw-2',
    ruleId: 'icpc-held',
    dueAt: at(10 * DAY),
  },
  {
    workflowId: 'cpp-CPP-1',
    processType: 'child-protection-plan',
    team: 'assessment-north',
    socialWorker: 'sw-2',
    ruleId: 'cp-visit',
    dueAt: at(5 * DAY),
  },
  {
    workflowId: 'lac-LAC-1',
    processType: 'looked-after-child',
    team: 'looked-after',
    socialWorker: 'sw-1',
    ruleId: 'lac-review-1',
    dueAt: at(3 * DAY),
  },
  // Assessments due in February and March 2026: the timeliness report's figures.
  {
    workflowId: 's47-A1',
    processType: 's47-enquiry',
    team: 'assessment-north',
    socialWorker: 'sw-1',
    ruleId: 'assessment-complete',
    dueAt: '2026-02-02T17:00:00.000Z',
    metAt: '2026-02-02T12:00:00.000Z',
    status: 'met',
  },
  {
    workflowId: 's47-A2',
    processType: 's47-enquiry',
    team: 'assessment-north',
    socialWorker: 'sw-2',
    ruleId: 'assessment-complete',
    dueAt: '2026-02-03T17:00:00.000Z', // a Tuesday; met the Friday: 3 WD late
    metAt: '2026-02-06T10:00:00.000Z',
    status: 'met',
  },
  {
    workflowId: 's47-A3',
    processType: 's47-enquiry',
    team: 'assessment-south',
    socialWorker: 'sw-2',
    ruleId: 'assessment-complete',
    dueAt: '2026-02-10T17:00:00.000Z', // a Tuesday; still open on Monday 2 March: 14 WD late
    status: 'overdue',
  },
  {
    workflowId: 's47-A4',
    processType: 's47-enquiry',
    team: 'assessment-north',
    socialWorker: 'sw-1',
    ruleId: 'assessment-complete',
    dueAt: '2026-03-20T17:00:00.000Z',
  },
  {
    workflowId: 's47-A5',
    processType: 's47-enquiry',
    team: 'assessment-north',
    socialWorker: 'sw-1',
    ruleId: 'assessment-complete',
    dueAt: '2026-02-12T17:00:00.000Z',
    status: 'cancelled',
  },
  // An ICPC held late (Annex A's icpc list), and one held on time in another team.
  {
    workflowId: 's47-ICPC-1',
    processType: 's47-enquiry',
    team: 'assessment-north',
    socialWorker: 'sw-1',
    ruleId: 'icpc-held',
    dueAt: '2026-02-16T17:00:00.000Z',
    metAt: '2026-02-18T11:00:00.000Z',
    status: 'met',
  },
  {
    workflowId: 's47-ICPC-2',
    processType: 's47-enquiry',
    team: 'looked-after',
    socialWorker: 'sw-3',
    ruleId: 'icpc-held',
    dueAt: '2026-02-20T17:00:00.000Z',
    metAt: '2026-02-19T11:00:00.000Z',
    status: 'met',
  },
];

function records(): EvidenceRecord[] {
  const processes = new Map<string, EvidenceRecord>();
  const deadlines: EvidenceRecord[] = [];
  for (const f of fixtures) {
    processes.set(f.workflowId, {
      type: 'process',
      workflowId: f.workflowId,
      processType: f.processType,
      caseReference: `CASE-${f.workflowId}`,
      childReference: `CHILD-${f.workflowId}`,
      team: f.team,
      socialWorker: f.socialWorker,
      startedAt: '2026-01-05T09:00:00.000Z',
    });
    deadlines.push({
      type: 'deadline',
      workflowId: f.workflowId,
      key: `${f.ruleId}/0/1`,
      kind: 'opened',
      at: '2026-01-05T09:00:00.000Z',
      deadline: {
        ruleId: f.ruleId,
        occurrence: f.occurrence ?? 0,
        step: 1,
        status: f.status ?? 'pending',
        anchorAt: '2026-01-05T09:00:00.000Z',
        dueAt: f.dueAt,
        statutoryDueAt: f.dueAt,
        ...(f.metAt ? { metAt: f.metAt } : {}),
        escalationLevel: f.escalationLevel ?? 0,
        breached: f.status === 'overdue',
      },
    });
  }
  return [...processes.values(), ...deadlines];
}

const open = (f: Fixture) => f.status !== 'met' && f.status !== 'cancelled';
const byDue = (a: Fixture, b: Fixture) =>
  a.dueAt.localeCompare(b.dueAt) || a.workflowId.localeCompare(b.workflowId) || a.ruleId.localeCompare(b.ruleId);
/** The model: the open deadlines a filter keeps, in the worktray's order, as `workflowId rule`. */
const expected = (keep: (f: Fixture) => boolean) =>
  fixtures
    .filter(open)
    .filter(keep)
    .sort(byDue)
    .map((f) => `${f.workflowId} ${f.ruleId}`);

const calendar = calendarFromConfig(loadConfig({}));
// No route here reaches Temporal: the service is never called.
const service = new ProcessService({
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
  taskQueue: 'unused',
  namespace: 'default',
  webUiUrl: 'http://x',
});
let store: EvidenceStore;
let server: Server;
let bare: Server;
let base: string;
let bareBase: string;

const listen = async (app: ReturnType<typeof createApp>): Promise<[Server, string]> => {
  const s = app.listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
};

beforeAll(async () => {
  store = await testEvidenceStore();
  await store.record(records());
  const reports = new EvidenceReports({ store, calendar, organisation: localOrganisation, now: () => NOW });
  [server, base] = await listen(createApp({ service, calendar, tokens: localTokens, logger: silentLogger, reports }));
  [bare, bareBase] = await listen(createApp({ service, calendar, tokens: localTokens, logger: silentLogger }));
});
afterAll(async () => {
  server?.close();
  bare?.close();
  await store?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;
async function get(path: string, token = 'local-director', headers: Record<string, string> = {}, root = base) {
  const response = await fetch(`${root}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return {
    status: response.status,
    type,
    disposition: response.headers.get('content-disposition'),
    text,
    body: (type.includes('json') ? JSON.parse(text) : undefined) as Body,
  };
}
const keys = (body: Body) => (body.items as Body[]).map((item) => `${item.workflowId} ${item.ruleId}`);

describe('GET /v1/worktray', () => {
  it('gives the Director every open deadline, soonest first, with its process link and who must act', async () => {
    const { status, body } = await get('/v1/worktray');
    expect(status).toBe(200);
    expect(keys(body)).toEqual(expected(() => true));
    expect(body.nextCursor).toBeUndefined();
    const ntk = body.items.find((item: Body) => item.workflowId === 'ntk-NTK-1');
    expect(ntk).toMatchObject({
      caseReference: 'CASE-ntk-NTK-1',
      childReference: 'CHILD-ntk-NTK-1',
      team: 'assessment-north',
      socialWorker: 'sw-1',
      status: 'overdue',
      escalationLevel: 1,
      label: ruleById('ntk-cat2-draft').label,
      links: { api: '/v1/need-to-know/NTK-1', page: '/need-to-know/NTK-1' },
    });
    expect(ntk.mustAct.responsible).toEqual(ruleById('ntk-cat2-draft').responsible);
    expect(ntk.mustAct.escalationLevel).toBe(1);
    const visit = body.items.find((item: Body) => item.workflowId === 'cpp-CPP-1');
    expect(visit).toMatchObject({ status: 'pending', links: { api: '/v1/child-protection-plans/CPP-1' } });
    expect(visit.mustAct).toEqual({ responsible: ['social_worker'], escalationLevel: 0, escalatedTo: [] });
  });

  it.each([
    ['status=overdue', (f: Fixture) => Date.parse(f.dueAt) < NOW.getTime()],
    [
      'status=due_soon',
      (f: Fixture) => Date.parse(f.dueAt) >= NOW.getTime() && Date.parse(f.dueAt) < NOW.getTime() + DUE_SOON_WITHIN_MS,
    ],
    ['status=open', () => true],
    ['process=child-protection-plan', (f: Fixture) => f.processType === 'child-protection-plan'],
    ['rule=icpc-held', (f: Fixture) => f.ruleId === 'icpc-held'],
    ['role=iro', (f: Fixture) => ruleById(f.ruleId).responsible.includes('iro')],
    ['team=looked-after', (f: Fixture) => f.team === 'looked-after'],
    [`dueBefore=${encodeURIComponent(at(4 * DAY))}`, (f: Fixture) => f.dueAt < at(4 * DAY)],
    ['team=assessment-north&status=open&role=social_worker', (f: Fixture) => f.team === 'assessment-north'],
  ])('filters by %s', async (query, keep) => {
    const { status, body } = await get(`/v1/worktray?${query}`);
    expect(status).toBe(200);
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(keys(body)).toEqual(want);
  });

  it('pages with limit and nextCursor to the same list, and refuses a cursor it did not give', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get(`/v1/worktray?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...keys(body));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(expected(() => true));
    expect(pages).toBe(Math.ceil(seen.length / 2) + (seen.length % 2 === 0 ? 1 : 0));

    const bad = await get('/v1/worktray?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });

  it.each([
    ['local-team-manager', (f: Fixture) => f.team === 'assessment-north'],
    ['local-pgl', (f: Fixture) => ['assessment-north', 'assessment-south'].includes(f.team)],
    ['local-head-of-service', (f: Fixture) => f.team !== 'mash'],
    ['local-iro', (f: Fixture) => f.team === 'looked-after'],
    ['local-qa', () => true],
    ['local-administrator', () => true],
    ['local-social-worker', (f: Fixture) => f.socialWorker === 'sw-1'],
  ])('scopes %s to what they may read', async (token, keep) => {
    const { status, body } = await get('/v1/worktray', token);
    expect(status).toBe(200);
    expect(keys(body)).toEqual(expected(keep));
  });

  it('gives a team manager of the MASH, with no deadlines in their team, an empty tray', async () => {
    const { status, body } = await get('/v1/worktray', 'local-mash-duty-manager');
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });

  it('lets a social worker filter their own cases by team, across teams', async () => {
    const { status, body } = await get('/v1/worktray?team=looked-after', 'local-social-worker');
    expect(status).toBe(200);
    expect(keys(body)).toEqual(expected((f) => f.socialWorker === 'sw-1' && f.team === 'looked-after'));
  });

  it.each([
    ['local-team-manager', 'team=assessment-south'],
    ['local-pgl', 'team=looked-after'],
    ['local-iro', 'team=assessment-north'],
  ])('answers 403 when %s asks for a team outside their scope (%s)', async (token, query) => {
    const { status, type, body } = await get(`/v1/worktray?${query}`, token);
    expect(status).toBe(403);
    expect(type).toContain('application/problem+json');
    expect(body.detail).toContain('outside the teams you may read');
  });

  it('answers 403 to the case system, and 401 without a token', async () => {
    const caseSystem = await get('/v1/worktray', 'local-case-system');
    expect(caseSystem.status).toBe(403);
    expect((await fetch(`${base}/v1/worktray`)).status).toBe(401);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=ten',
    'status=late',
    'rule=no-such-rule',
    'role=case_system',
    'team=two%20words',
    'dueBefore=tomorrow',
    'dueBefore=2300-01-01T00:00:00Z',
    'unknown=1',
    'team=a&team=b',
    'rule=__proto__',
  ])('answers 400 to %s', async (query) => {
    const { status, type, body } = await get(`/v1/worktray?${query}`);
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body.errors.length).toBeGreaterThan(0);
  });
});

describe('GET /v1/reports/timeliness', () => {
  const period = 'from=2026-02-01&to=2026-03-31';

  it('counts each rule due in the period and the census measures, lateness in working days', async () => {
    const { status, body } = await get(`/v1/reports/timeliness?${period}`);
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2026-02-01', to: '2026-03-31', toInclusive: true });
    expect(body.from).toBe('2026-02-01T00:00:00.000Z');
    expect(body.to).toBe('2026-03-31T23:00:00.000Z'); // the local midnight ending 31 March, in BST
    const assessments = body.rules.find((r: Body) => r.ruleId === 'assessment-complete');
    // A5 is cancelled: not counted. A2 3 WD late; A3 open past due, 14 WD by Monday 2 March.
    expect(assessments).toEqual({
      ruleId: 'assessment-complete',
      due: 4,
      metOnTime: 1,
      metLate: 1,
      openOverdue: 1,
      open: 1,
      medianLatenessWorkingDays: 8.5,
      worstLatenessWorkingDays: 14,
    });
    const measure = body.measures.find((m: Body) => m.id === 'assessments-within-45-wd');
    expect(measure).toMatchObject({ due: 4, metOnTime: 1, metLate: 1, medianLatenessWorkingDays: 8.5 });
    const icpc = body.measures.find((m: Body) => m.id === 'icpc-within-15-wd');
    // ICPC-1 held 2 WD late, ICPC-2 on time, S47-1's not yet due.
    expect(icpc).toMatchObject({ due: 3, metOnTime: 1, metLate: 1, open: 1, worstLatenessWorkingDays: 2 });
    expect(body.measures.map((m: Body) => m.id)).toEqual([
      'assessments-within-45-wd',
      'icpc-within-15-wd',
      'cp-reviews-on-time',
      'looked-after-reviews-on-time',
      'visits-on-time',
    ]);
  });

  it('is scoped like the worktray, and filters by team and rule', async () => {
    const manager = await get(`/v1/reports/timeliness?${period}`, 'local-team-manager');
    expect(manager.status).toBe(200);
    expect(manager.body.rules.find((r: Body) => r.ruleId === 'assessment-complete')).toMatchObject({
      due: 3,
      openOverdue: 0,
    });
    const own = await get(`/v1/reports/timeliness?${period}&rule=icpc-held`, 'local-social-worker');
    expect(own.body.rules).toEqual([expect.objectContaining({ ruleId: 'icpc-held', due: 1, metLate: 1 })]);
    const south = await get(`/v1/reports/timeliness?${period}&team=assessment-south`, 'local-pgl');
    expect(south.body.rules.map((r: Body) => `${r.ruleId} ${r.due}`)).toEqual([
      'assessment-complete 1',
      'icpc-held 1',
      's47-decision 1',
    ]);
    expect((await get(`/v1/reports/timeliness?${period}&team=looked-after`, 'local-pgl')).status).toBe(403);
    expect((await get(`/v1/reports/timeliness?${period}`, 'local-case-system')).status).toBe(403);
  });

  it.each([{ accept: 'text/csv' }, { query: '&format=csv' }])('answers CSV (%o)', async ({ accept, query = '' }) => {
    const { status, type, disposition, text } = await get(
      `/v1/reports/timeliness?${period}${query}`,
      'local-director',
      accept ? { accept } : {},
    );
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    expect(disposition).toBe('attachment; filename="timeliness-2026-02-01-to-2026-03-31.csv"');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'kind,id,label,due,met_on_time,met_late,open_overdue,open,median_lateness_working_days,worst_lateness_working_days',
    );
    expect(lines).toContain(
      `measure,assessments-within-45-wd,Assessments completed within 45 working days,4,1,1,1,1,8.5,14`,
    );
    expect(lines).toContain(`rule,assessment-complete,${ruleById('assessment-complete').label},4,1,1,1,1,8.5,14`);
  });

  it.each([
    ['to before from', 'from=2026-03-01&to=2026-02-01'],
    ['a period over two years', 'from=2024-01-01&to=2026-01-02'],
    ['a year before 1990', 'from=1900-01-01&to=1900-06-01'],
    ['not a date', 'from=2026-02-30&to=2026-03-01'],
    ['an instant', 'from=2026-02-01T00:00:00Z&to=2026-03-01'],
    ['no from', 'to=2026-03-01'],
    ['an unknown rule', `${period}&rule=nope`],
    ['an unknown format', `${period}&format=xml`],
    ['an unknown parameter', `${period}&x=1`],
  ])('answers 400 to %s, and changes nothing', async (_what, query) => {
    const before = await store.db.selectFrom('deadlines').selectAll().orderBy('workflow_id').execute();
    const { status, type, body } = await get(`/v1/reports/timeliness?${query}`);
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body.errors.length).toBeGreaterThan(0);
    expect(await store.db.selectFrom('deadlines').selectAll().orderBy('workflow_id').execute()).toEqual(before);
  });
});

describe('GET /v1/reports/annex-a', () => {
  it('lists the ICPCs due in the period with case and child references and dates, never a name', async () => {
    const { status, body } = await get('/v1/reports/annex-a?list=icpc&from=2026-02-01&to=2026-02-28');
    expect(status).toBe(200);
    expect(body).toMatchObject({ list: 'icpc', title: 'Initial child protection conferences' });
    expect(body.rows).toEqual([
      {
        workflowId: 's47-ICPC-1',
        caseReference: 'CASE-s47-ICPC-1',
        childReference: 'CHILD-s47-ICPC-1',
        team: 'assessment-north',
        ruleId: 'icpc-held',
        occurrence: 0,
        status: 'met',
        anchorAt: '2026-01-05T09:00:00.000Z',
        dueAt: '2026-02-16T17:00:00.000Z',
        metAt: '2026-02-18T11:00:00.000Z',
      },
      expect.objectContaining({ workflowId: 's47-ICPC-2', team: 'looked-after' }),
    ]);
  });

  it('is scoped: a team manager sees their team’s rows only', async () => {
    const { body } = await get('/v1/reports/annex-a?list=icpc&from=2026-02-01&to=2026-02-28', 'local-team-manager');
    expect(body.rows.map((row: Body) => row.workflowId)).toEqual(['s47-ICPC-1']);
  });

  it.each([
    ['s47', ['s47-S47-1']],
    ['looked-after-reviews', ['lac-LAC-1']],
    ['plans', []],
  ])('lists %s', async (list, workflows) => {
    const { status, body } = await get(`/v1/reports/annex-a?list=${list}&from=2026-03-01&to=2026-03-31`);
    expect(status).toBe(200);
    expect(body.rows.map((row: Body) => row.workflowId)).toEqual(workflows);
  });

  it('answers CSV with a filename', async () => {
    const { status, type, disposition, text } = await get(
      '/v1/reports/annex-a?list=icpc&from=2026-02-01&to=2026-02-28&format=csv',
    );
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    expect(disposition).toBe('attachment; filename="annex-a-icpc-2026-02-01-to-2026-02-28.csv"');
    expect(text.trimEnd().split('\r\n')).toEqual([
      'workflow_id,case_reference,child_reference,team,rule_id,occurrence,status,anchor_at,due_at,met_at',
      's47-ICPC-1,CASE-s47-ICPC-1,CHILD-s47-ICPC-1,assessment-north,icpc-held,0,met,2026-01-05T09:00:00.000Z,2026-02-16T17:00:00.000Z,2026-02-18T11:00:00.000Z',
      's47-ICPC-2,CASE-s47-ICPC-2,CHILD-s47-ICPC-2,looked-after,icpc-held,0,met,2026-01-05T09:00:00.000Z,2026-02-20T17:00:00.000Z,2026-02-19T11:00:00.000Z',
    ]);
  });

  it.each(['list=names&from=2026-02-01&to=2026-02-28', 'list=__proto__&from=2026-02-01&to=2026-02-28', 'list=icpc'])(
    'answers 400 to %s',
    async (query) => {
      const { status, body } = await get(`/v1/reports/annex-a?${query}`);
      expect(status).toBe(400);
      expect(body.errors.length).toBeGreaterThan(0);
    },
  );

  it('answers 403 to the case system and to a team outside the scope', async () => {
    const query = 'list=icpc&from=2026-02-01&to=2026-02-28';
    expect((await get(`/v1/reports/annex-a?${query}`, 'local-case-system')).status).toBe(403);
    expect((await get(`/v1/reports/annex-a?${query}&team=looked-after`, 'local-team-manager')).status).toBe(403);
  });
});

describe('without an evidence store', () => {
  it.each([
    '/v1/worktray',
    '/v1/reports/timeliness?from=2026-02-01&to=2026-02-28',
    '/v1/reports/annex-a?list=icpc&from=2026-02-01&to=2026-02-28',
  ])('answers 503 to %s', async (path) => {
    const { status, type, body } = await get(path, 'local-director', {}, bareBase);
    expect(status).toBe(503);
    expect(type).toContain('application/problem+json');
    expect(body.title).toBe('Evidence store unavailable');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${bareBase}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/worktray', '/v1/reports/timeliness', '/v1/reports/annex-a']),
    );
  });
});
