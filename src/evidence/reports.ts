/**
 * The read side: the worktray and the reports, for a caller, within what they may read
 * (src/evidence/scope.ts). A thin service over the evidence store, the calendar and the
 * organisation, used by the API (src/api/reports-routes.ts) and the web pages.
 */
import type { WorkingDayCalendar } from '../calendar';
import type { Organisation } from '../organisation';
import type { Caller } from '../process';
import { processLink, type ProcessLink } from '../process-links';
import type { Role } from '../roles';
import { deadlineRules } from '../rules';
import { annexALists, type AnnexAList, type AnnexARow } from './annex-a';
import { censusMeasures, summarise, type TimelinessSummary } from './census';
import { scopeCoversTeam, scopeFilter, scopeOf, type Scope } from './scope';
import type { EvidenceStore } from './store';
import { whoMustAct, type WhoMustAct } from './who-must-act';
import type { WorktrayItem } from './worktray';

/** The caller may not read this: no reading role, or a team outside their scope. The API's 403. */
export class ReadForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadForbiddenError';
  }
}

/** A list longer than one answer carries: the API's 422, asking for a shorter period. */
export class TooManyRowsError extends Error {
  constructor(readonly limit: number) {
    super(`the period holds more than ${limit} rows; ask for a shorter period`);
    this.name = 'TooManyRowsError';
  }
}

export interface EvidenceReportsDeps {
  store: EvidenceStore;
  calendar: WorkingDayCalendar;
  organisation: Organisation;
  /** The clock (tests pass their own). */
  now?: () => Date;
}

export interface WorktrayRequest {
  team?: string;
  /** Only deadlines this role is responsible for (the rule catalogue's `responsible`). */
  role?: Role;
  /** A process type, as the workflows record it. */
  process?: string;
  rule?: string;
  /** `open` unless told. */
  status?: 'overdue' | 'due_soon' | 'open';
  dueBefore?: Date;
  cursor?: string;
  limit: number;
}

export type WorktrayEntry = WorktrayItem & {
  /** Where the process is read; null for a workflow id of no known process. */
  links: ProcessLink | null;
  /** The rule's label from the catalogue (null for a rule it does not know). */
  label: string | null;
  mustAct: WhoMustAct;
};

export interface WorktrayResult {
  items: WorktrayEntry[];
  nextCursor?: string;
}

export interface PeriodRequest {
  /** From this instant (inclusive)… */
  from: Date;
  /** …to this one (exclusive). */
  to: Date;
  team?: string;
}

export type TimelinessRequest = PeriodRequest & { rule?: string };

export interface TimelinessReport extends TimelinessSummary {
  from: string;
  to: string;
  generatedAt: string;
  calendarVersion: string;
}

export type AnnexARequest = PeriodRequest & { list: string };

export interface AnnexAReport {
  list: string;
  title: string;
  /** What a row's `anchorAt` and `metAt` are. */
  columns: { anchorAt: string; metAt: string };
  from: string;
  to: string;
  rows: AnnexARow[];
}

/** The most rows one Annex A answer carries. */
export const MAX_ANNEX_A_ROWS = 50_000;

export class EvidenceReports {
  private readonly now: () => Date;

  constructor(private readonly deps: EvidenceReportsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The store it reads (the API's readiness checks it answers). */
  get store(): EvidenceStore {
    return this.deps.store;
  }

  /** What the caller may read; throws ReadForbiddenError when nothing, or when `team` lies outside it. */
  scope(caller: Caller, team?: string): Scope {
    const scope = scopeOf(caller, this.deps.organisation);
    if (scope === undefined) throw new ReadForbiddenError('reading deadlines needs a staff role');
    if (team !== undefined && !scopeCoversTeam(scope, team)) {
      throw new ReadForbiddenError(`team ${team} is outside the teams you may read`);
    }
    return scope;
  }

  async worktray(caller: Caller, request: WorktrayRequest): Promise<WorktrayResult> {
    const scope = this.scope(caller, request.team);
    const now = this.now();
    const rules =
      request.role === undefined
        ? undefined
        : [...deadlineRules.values()].filter((rule) => rule.responsible.includes(request.role!)).map((rule) => rule.id);
    const page = await this.deps.store.worktray({
      ...scopeFilter(scope),
      team: request.team,
      process: request.process,
      rule: request.rule,
      rules,
      status: request.status ?? 'open',
      dueBefore: request.dueBefore,
      cursor: request.cursor,
      limit: request.limit,
      now,
    });
    return {
      items: page.items.map((item) => ({
        ...item,
        links: processLink(item.workflowId) ?? null,
        label: deadlineRules.get(item.ruleId)?.label ?? null,
        mustAct: whoMustAct(item.ruleId, item.escalationLevel, item.status === 'overdue'),
      })),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  async timeliness(caller: Caller, request: TimelinessRequest): Promise<TimelinessReport> {
    const scope = this.scope(caller, request.team);
    const now = this.now();
    const counts = await this.deps.store.timelinessCounts({
      ...scopeFilter(scope),
      team: request.team,
      rule: request.rule,
      from: request.from,
      to: request.to,
      now,
      timeZone: this.deps.calendar.settings.timeZone,
    });
    return {
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      generatedAt: now.toISOString(),
      calendarVersion: this.deps.calendar.version,
      ...summarise(counts, now, this.deps.calendar, censusMeasures),
    };
  }

  async annexA(caller: Caller, request: AnnexARequest): Promise<AnnexAReport> {
    const list: AnnexAList | undefined = annexALists.get(request.list);
    if (!list) throw new RangeError(`no Annex A list ${request.list}`);
    const scope = this.scope(caller, request.team);
    const rows = await this.deps.store.annexA({
      ...scopeFilter(scope),
      team: request.team,
      rules: list.rules,
      from: request.from,
      to: request.to,
      limit: MAX_ANNEX_A_ROWS + 1,
    });
    if (rows.length > MAX_ANNEX_A_ROWS) throw new TooManyRowsError(MAX_ANNEX_A_ROWS);
    return {
      list: request.list,
      title: list.title,
      columns: { anchorAt: list.anchor, metAt: list.met },
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      rows,
    };
  }
}
