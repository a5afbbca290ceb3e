/**
 * The worktray and the timeliness report pages, over the reports service the API uses: the person
 * signed in is the caller, so a page lists no more than the API would list them.
 */
import type { Request, Response, Router } from 'express';
import { HttpProblem } from '../api/problem';
import { toCsv } from '../api/reports-routes';
import type { AnyProcessDefinition } from '../api/process-router';
import { ReadForbiddenError } from '../evidence/reports';
import { DUE_SOON_WITHIN_MS, InvalidCursorError } from '../evidence/worktray';
import { teamsOf, type Organisation } from '../organisation';
import type { Caller } from '../process';
import { roles } from '../roles';
import { deadlineRules } from '../rules';
import { horizontalBars, verticalBars, type Bar } from './chart';
import { roleName } from './format';
import { londonMidnight, monthsOf, periodFilters, worktrayFilters, type FieldProblem } from './report-filters';
import type { WebReports } from './reports';
import type { SignedIn } from './session';

export interface ReportPageDeps {
  reports?: WebReports;
  organisation?: Organisation;
  processes: readonly AnyProcessDefinition[];
  now: () => Date;
  render: (req: Request, res: Response, view: string, context: Record<string, unknown>, status?: number) => void;
  signedIn: (req: Request, res: Response) => SignedIn | undefined;
}

export const WORKTRAY_PAGE_SIZE = 25;

/** The `ProcessType` each process records (its search attribute), for the process filter. */
const processTypeOf = (definition: AnyProcessDefinition): string =>
  definition.processType ??
  new Map([
    ['need-to-know', 'need-to-know'],
    ['s47-enquiries', 's47-enquiry'],
    ['child-protection-plans', 'child-protection-plan'],
    ['looked-after-children', 'looked-after-child'],
  ]).get(definition.resource) ??
  definition.resource;

const callerOf = (user: SignedIn): Caller => ({
  actor: { id: user.id, roles: [...user.roles] },
  teams: [...user.teams],
});

const forbidden = (error: unknown): never => {
  if (error instanceof ReadForbiddenError) throw new HttpProblem(403, 'Forbidden', error.message);
  throw error;
};

const labelOf = (ruleId: string) => deadlineRules.get(ruleId)?.label ?? ruleId;

export function mountReportPages(pages: Router, deps: ReportPageDeps): void {
  const { render, signedIn } = deps;
  const unavailable = (req: Request, res: Response, title: string) =>
    render(req, res, 'unavailable.njk', { title }, 503);
  const teamChoices = (user: SignedIn) =>
    deps.organisation ? teamsOf(deps.organisation, user.teams) : [...user.teams];
  const processChoices = deps.processes.map((d) => ({ value: processTypeOf(d), text: d.title }));

  pages.get('/worktray', async (req, res) => {
    const user = signedIn(req, res);
    if (!user) return;
    if (!deps.reports) return unavailable(req, res, 'My worktray');
    const { values, errors } = worktrayFilters(req.query as Record<string, unknown>);
    const now = deps.now();
    const options = {
      teams: teamChoices(user),
      roles: roles.map((role) => ({ value: role, text: roleName(role) })),
      processes: processChoices,
    };
    const show = (context: Record<string, unknown>, status = 200) =>
      render(req, res, 'worktray.njk', { title: 'My worktray', values, options, ...context }, status);
    if (errors.length > 0) return show({ errors, items: [] }, 400);
    let page;
    try {
      page = await deps.reports
        .worktray(callerOf(user), {
          team: values.team,
          role: values.role,
          process: values.process,
          rule: values.rule,
          status: values.status,
          dueBefore: values.dueBefore ? londonMidnight(values.dueBefore) : undefined,
          cursor: values.cursor,
          limit: WORKTRAY_PAGE_SIZE,
        })
        .catch(forbidden);
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        const cursorError: FieldProblem = {
          id: 'status',
          href: '#status',
          text: 'The page link is not valid: start again from the first page',
        };
        return show({ errors: [cursorError], items: [] }, 400);
      }
      throw error;
    }
    const items = page.items.map((item) => ({
      ...item,
      shownStatus:
        item.status === 'overdue' || Date.parse(item.dueAt) < now.getTime()
          ? 'overdue'
          : Date.parse(item.dueAt) - now.getTime() <= DUE_SOON_WITHIN_MS
            ? 'due_soon'
            : 'open',
      label: item.label ?? item.ruleId,
      mustActText: item.mustAct.responsible.map(roleName).join(', '),
    }));
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...values, cursor: undefined })) {
      if (typeof value === 'string' && !(name === 'status' && value === 'open')) query.set(name, value);
    }
    const nextQuery = new URLSearchParams(query);
    if (page.nextCursor) nextQuery.set('cursor', page.nextCursor);
    show({
      items,
      errors: [],
      filtered: query.size > 0,
      next: page.nextCursor ? `/worktray?${nextQuery}` : undefined,
      first: values.cursor ? `/worktray${query.size > 0 ? `?${query}` : ''}` : undefined,
    });
  });

  const report = async (req: Request, res: Response) => {
    const user = signedIn(req, res);
    if (!user) return undefined;
    if (!deps.reports) {
      unavailable(req, res, 'Timeliness report');
      return undefined;
    }
    const now = deps.now();
    const { values, errors } = periodFilters(req.query as Record<string, unknown>, now);
    if (errors.length > 0) {
      render(req, res, 'timeliness.njk', { title: 'Timeliness report', values, errors, teams: teamChoices(user) }, 400);
      return undefined;
    }
    const caller = callerOf(user);
    const period = { from: londonMidnight(values.from), to: londonMidnight(values.to), team: values.team };
    const whole = await deps.reports.timeliness(caller, { ...period, rule: values.rule }).catch(forbidden);
    return { user, values, whole, caller, period };
  };

  pages.get('/reports/timeliness', async (req, res) => {
    const got = await report(req, res);
    if (!got) return;
    const { user, values, whole, caller } = got;
    const reports = deps.reports!;
    // The trend: the same report for each month of the period (at most the last 24).
    const months = await Promise.all(
      monthsOf(values.from, values.to).map(async (month) => {
        const summary = await reports
          .timeliness(caller, {
            from: londonMidnight(month.from),
            to: londonMidnight(month.to),
            team: values.team,
            rule: values.rule,
          })
          .catch(forbidden);
        const onTime = summary.rules.reduce((sum, r) => sum + r.metOnTime, 0);
        const late = summary.rules.reduce((sum, r) => sum + r.metLate + r.openOverdue, 0);
        return { month: month.month, onTime, late };
      }),
    );
    const ruleBars: Bar[] = whole.rules.map((r) => ({
      label: labelOf(r.ruleId),
      onTime: r.metOnTime,
      late: r.metLate + r.openOverdue,
    }));
    const monthLabel = (month: string) =>
      new Date(`${month}-01T12:00:00Z`).toLocaleDateString('en-GB', {
        month: 'short',
        year: '2-digit',
        timeZone: 'UTC',
      });
    const monthBars: Bar[] = months.map((m) => ({ label: monthLabel(m.month), onTime: m.onTime, late: m.late }));
    const csvQuery = new URLSearchParams({ from: values.from, to: values.to });
    if (values.team) csvQuery.set('team', values.team);
    if (values.rule) csvQuery.set('rule', values.rule);
    render(req, res, 'timeliness.njk', {
      title: 'Timeliness report',
      values,
      errors: [],
      teams: teamChoices(user),
      report: whole,
      rules: whole.rules.map((r) => ({ ...r, label: labelOf(r.ruleId) })),
      months: months.map((m) => ({ ...m, label: monthLabel(m.month) })),
      ruleChart: horizontalBars('chart-rules', 'Deadlines on time and late, per rule', ruleBars),
      monthChart: verticalBars('chart-months', 'Deadlines on time and late, by the month they fell due', monthBars),
      csv: `/reports/timeliness.csv?${csvQuery}`,
    });
  });

  pages.get('/reports/timeliness.csv', async (req, res) => {
    const got = await report(req, res);
    if (!got) return;
    const { values, whole } = got;
    const header = [
      'rule_id',
      'rule',
      'due',
      'met_on_time',
      'met_late',
      'open_overdue',
      'open',
      'median_lateness_working_days',
      'worst_lateness_working_days',
    ];
    const rows = whole.rules.map((r) => [
      r.ruleId,
      labelOf(r.ruleId),
      r.due,
      r.metOnTime,
      r.metLate,
      r.openOverdue,
      r.open,
      r.medianLatenessWorkingDays,
      r.worstLatenessWorkingDays,
    ]);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`timeliness-${values.from}-to-${values.to}.csv`)
      .send(toCsv(header, rows));
  });
}
