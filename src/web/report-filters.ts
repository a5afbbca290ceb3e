/**
 * The worktray's and the report's filters, from a page's query string: validated and bounded, with
 * GOV.UK error wording per field, and the London dates turned into instants. Pure.
 */
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { unitId } from '../organisation';
import { roles, type Role } from '../roles';
import { TIME_ZONE } from './format';

export interface FieldProblem {
  id: string;
  href: string;
  text: string;
}

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d));
    return y >= 2000 && y <= 2100 && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  });
const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/);
const processType = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,512}$/);

/** Midnight at the start of a London day ("YYYY-MM-DD"), as an instant. */
export function londonMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, TIME_ZONE).getTime());
}

/** The London day an instant falls on. */
export function londonDay(instant: Date): string {
  const local = new TZDate(instant.getTime(), TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** One query parameter as a string: absent, empty, or repeated (`?a=1&a=2`) is undefined or a problem. */
function single(query: Record<string, unknown>, name: string): string | undefined | null {
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export interface WorktrayFilterValues {
  team?: string;
  role?: Role;
  process?: string;
  rule?: string;
  status: 'overdue' | 'due_soon' | 'open';
  /** The London day entered: deadlines due before its start. */
  dueBefore?: string;
  cursor?: string;
}

const roleSet: ReadonlySet<string> = new Set(roles);

/**
 * Reads a form's fields: `take` parses one (absent is undefined; given twice or invalid is a
 * problem for the error summary, with its message), `problem` adds one of the form's own.
 */
function fieldReader(query: Record<string, unknown>) {
  const errors: FieldProblem[] = [];
  const problem = (id: string, text: string) => errors.push({ id, href: `#${id}`, text });
  const take = <T>(name: string, schema: z.ZodType<T>, text: string): T | undefined => {
    const raw = single(query, name);
    if (raw === undefined) return undefined;
    const parsed = raw === null ? undefined : schema.safeParse(raw);
    if (!parsed?.success) {
      problem(name, text);
      return undefined;
    }
    return parsed.data;
  };
  return { errors, problem, take };
}

export function worktrayFilters(query: Record<string, unknown>): {
  values: WorktrayFilterValues;
  errors: FieldProblem[];
} {
  const { errors, problem, take } = fieldReader(query);
  const values: WorktrayFilterValues = { status: 'open' };
  values.team = take('team', unitId, 'Select a team from the list');
  const role = take('role', z.string(), 'Select a role from the list');
  if (role !== undefined) {
    if (roleSet.has(role)) values.role = role as Role;
    else problem('role', 'Select a role from the list');
  }
  values.process = take('process', processType, 'Select a process from the list');
  values.rule = take('rule', ruleId, 'Enter a rule id such as ntk-cat2-director');
  values.status =
    take('status', z.enum(['overdue', 'due_soon', 'open']), 'Select overdue, due soon or all open') ?? 'open';
  values.dueBefore = take('dueBefore', date, 'Enter a real date between 2000 and 2100, for example 2027-03-27');
  values.cursor = take('cursor', cursor, 'The page link is not valid: start again from the first page');
  return { values, errors };
}

export interface PeriodValues {
  from: string;
  to: string;
  team?: string;
  rule?: string;
}

/** The longest period one report covers, so one request cannot ask for decades. */
export const MAX_PERIOD_DAYS = 5 * 366;

/** The default period: the twelve whole months before the current London month, and this month so far. */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = londonDay(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const monthStart = (year: number, month: number) =>
    `${year + Math.floor((month - 1) / 12)}-${String(((((month - 1) % 12) + 12) % 12) + 1).padStart(2, '0')}-01`;
  return { from: monthStart(y - 1, m), to: monthStart(y, m + 1) };
}

export function periodFilters(
  query: Record<string, unknown>,
  now: Date,
): { values: PeriodValues; errors: FieldProblem[] } {
  const { errors, problem, take } = fieldReader(query);
  const fallback = defaultPeriod(now);
  const from = take('from', date, 'Enter a real start date between 2000 and 2100, for example 2026-04-01');
  const to = take('to', date, 'Enter a real end date between 2000 and 2100, for example 2027-04-01');
  const values: PeriodValues = {
    from: from ?? fallback.from,
    to: to ?? fallback.to,
    team: take('team', unitId, 'Select a team from the list'),
    rule: take('rule', ruleId, 'Enter a rule id such as ntk-cat2-director'),
  };
  if (errors.length === 0) {
    const days = (londonMidnight(values.to).getTime() - londonMidnight(values.from).getTime()) / 86_400_000;
    if (days <= 0) problem('to', 'The end date must be after the start date');
    else if (days > MAX_PERIOD_DAYS) problem('to', 'The period must be 5 years or shorter');
  }
  return { values, errors };
}

/** The calendar months a period touches, each cut to the period: the report's trend by month. */
export function monthsOf(from: string, to: string, maxMonths = 24): { month: string; from: string; to: string }[] {
  const months: { month: string; from: string; to: string }[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    if (start >= to) break;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    const next = `${y}-${String(m).padStart(2, '0')}-01`;
    months.push({ month: start.slice(0, 7), from: start < from ? from : start, to: next > to ? to : next });
  }
  return months.slice(-maxMonths);
}
