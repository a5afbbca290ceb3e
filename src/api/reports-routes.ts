/**
 * The read side's routes: the worktray (`GET /v1/worktray`), the timeliness report
 * (`GET /v1/reports/timeliness`) and Ofsted's Annex A lists (`GET /v1/reports/annex-a`). Thin:
 * validate, ask EvidenceReports (src/evidence/reports.ts), answer JSON or CSV. Who may read what is
 * the scope's (src/evidence/scope.ts): every staff role, within their teams; never the case system.
 *
 * Periods are local days (Europe/London), `from` and `to` both inclusive: `from=2026-04-01&
 * to=2026-04-30` is every deadline due in April.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { WorkingDayCalendar } from '../calendar';
import { annexALists } from '../evidence/annex-a';
import { EvidenceReports, ReadForbiddenError, TooManyRowsError } from '../evidence/reports';
import { InvalidCursorError } from '../evidence/worktray';
import { unitId } from '../organisation';
import type { Caller } from '../process';
import { roles } from '../roles';
import { deadlineRules } from '../rules';
import { localDate, scheduledAt } from '../schemas';
import { HttpProblem, parse } from './problem';

export const MAX_WORKTRAY_PAGE = 100;
export const DEFAULT_WORKTRAY_PAGE = 50;
/** The longest period one report covers, in days (two years, a leap day included). */
export const MAX_PERIOD_DAYS = 731;

const ruleId = z
  .string()
  .min(1)
  .max(100)
  .refine((id) => deadlineRules.has(id), 'unknown deadline rule id (GET /v1/deadlines/rules lists them)')
  .describe('A deadline rule id of docs/deadlines.md');
const identifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'an id: letters, digits and _ . : - only');
const format = z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv');

export const worktrayQuerySchema = z.strictObject({
  team: unitId.optional().describe('One team, within those you may read'),
  role: z.enum(roles).optional().describe('Only deadlines this role is responsible for'),
  process: identifier.optional().describe('A process type, as the workflows record it'),
  rule: ruleId.optional(),
  status: z
    .enum(['overdue', 'due_soon', 'open'])
    .default('open')
    .describe('overdue: past due; due_soon: due within 2 days; open (the default): all not met'),
  dueBefore: scheduledAt.optional().describe('Only deadlines due before this instant'),
  cursor: z.string().min(1).max(1_000).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WORKTRAY_PAGE)
    .default(DEFAULT_WORKTRAY_PAGE)
    .describe(`Items per page, at most ${MAX_WORKTRAY_PAGE}`),
});

const period = {
  from: localDate.describe('The first local day (Europe/London) of the period, YYYY-MM-DD'),
  to: localDate.describe('The last local day of the period, inclusive, YYYY-MM-DD'),
};
const periodBounds = <T extends { from: string; to: string }>(value: T, ctx: z.RefinementCtx) => {
  if (value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if ((Date.parse(value.to) - Date.parse(value.from)) / 86_400_000 + 1 > MAX_PERIOD_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is at most ${MAX_PERIOD_DAYS} days` });
  }
};

export const timelinessQuerySchema = z
  .strictObject({ ...period, team: unitId.optional(), rule: ruleId.optional(), format })
  .superRefine(periodBounds);

export const annexAListNames = [...annexALists.keys()] as [string, ...string[]];
export const annexAQuerySchema = z
  .strictObject({
    list: z.enum(annexAListNames).describe('Which list'),
    ...period,
    team: unitId.optional(),
    format,
  })
  .superRefine(periodBounds);

const noStore = () =>
  new HttpProblem(
    503,
    'Evidence store unavailable',
    'this API has no evidence store configured (DATABASE_URL or EVIDENCE_DIR), so it has no deadlines to read',
  );

/** The client's mistakes the service raises, as problems; anything else is ours. */
function problemFor(error: unknown): unknown {
  if (error instanceof ReadForbiddenError) return new HttpProblem(403, 'Forbidden', error.message);
  if (error instanceof InvalidCursorError) {
    return new HttpProblem(400, 'Invalid cursor', error.message, {
      errors: [{ path: 'query.cursor', message: error.message }],
    });
  }
  if (error instanceof TooManyRowsError) return new HttpProblem(422, 'Too many rows', error.message);
  return error;
}

/** A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const toCsv = (header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>) =>
  [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';

const wantsCsv = (req: Request, requested: 'json' | 'csv' | undefined) =>
  requested === 'csv' || (requested === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

function sendCsv(res: Response, filename: string, body: string) {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('content-disposition', `attachment; filename="${filename}"`)
    .send(body);
}

export function reportsRouter(reports: EvidenceReports | undefined, calendar: WorkingDayCalendar): Router {
  const router = Router();
  const ready = (req: Request): { reports: EvidenceReports; caller: Caller } => {
    if (!req.caller) throw new HttpProblem(401, 'Unauthorized');
    if (!reports) throw noStore();
    return { reports, caller: req.caller };
  };
  /** The period's instants: from the start of `from` to the start of the day after `to`. */
  const instants = ({ from, to }: { from: string; to: string }) => ({
    from: calendar.at(from, '00:00'),
    to: calendar.at(calendar.addCalendarDays(to, 1), '00:00'),
  });
  const answer = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw problemFor(error);
    }
  };

  router.get('/worktray', async (req, res) => {
    const { reports: service, caller } = ready(req);
    const query = parse(worktrayQuerySchema, req.query, 'query');
    const page = await answer(() =>
      service.worktray(caller, {
        ...query,
        dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
      }),
    );
    res.json(page);
  });

  router.get('/reports/timeliness', async (req, res) => {
    const { reports: service, caller } = ready(req);
    const query = parse(timelinessQuerySchema, req.query, 'query');
    const report = await answer(() =>
      service.timeliness(caller, { ...instants(query), team: query.team, rule: query.rule }),
    );
    if (!wantsCsv(req, query.format)) {
      res.json({ ...report, period: { from: query.from, to: query.to, toInclusive: true } });
      return;
    }
    const figures = (f: (typeof report.rules)[number] | (typeof report.measures)[number]) => [
      f.due,
      f.metOnTime,
      f.metLate,
      f.openOverdue,
      f.open,
      f.medianLatenessWorkingDays,
      f.worstLatenessWorkingDays,
    ];
    const body = toCsv(
      [
        ...['kind', 'id', 'label', 'due', 'met_on_time', 'met_late', 'open_overdue', 'open'],
        ...['median_lateness_working_days', 'worst_lateness_working_days'],
      ],
      [
        ...report.measures.map((m) => ['measure', m.id, m.label, ...figures(m)]),
        ...report.rules.map((r) => ['rule', r.ruleId, deadlineRules.get(r.ruleId)?.label ?? '', ...figures(r)]),
      ],
    );
    sendCsv(res, `timeliness-${query.from}-to-${query.to}.csv`, body);
  });

  router.get('/reports/annex-a', async (req, res) => {
    const { reports: service, caller } = ready(req);
    const query = parse(annexAQuerySchema, req.query, 'query');
    const report = await answer(() =>
      service.annexA(caller, { list: query.list, ...instants(query), team: query.team }),
    );
    if (!wantsCsv(req, query.format)) {
      res.json({ ...report, period: { from: query.from, to: query.to, toInclusive: true } });
      return;
    }
    const body = toCsv(
      [
        ...['workflow_id', 'case_reference', 'child_reference', 'team', 'rule_id', 'occurrence', 'status'],
        ...['anchor_at', 'due_at', 'met_at'],
      ],
      report.rows.map((row) => [
        row.workflowId,
        row.caseReference,
        row.childReference,
        row.team,
        row.ruleId,
        row.occurrence,
        row.status,
        row.anchorAt,
        row.dueAt,
        row.metAt,
      ]),
    );
    sendCsv(res, `annex-a-${query.list}-${query.from}-to-${query.to}.csv`, body);
  });

  return router;
}
