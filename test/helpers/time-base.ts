/**
 * Time bases for scenario tests on the time-skipping server. Its clock starts at the real time of
 * the run and only moves forward, so a scenario never names a fixed date: it asks for a base day
 * after the clock as it stands (a Monday, the Tuesday 24 days before a Good Friday, …) and writes
 * every instant as an offset from it. Expected due instants are computed from those days with the
 * same working-day calendar the test workers use (England and Wales bank holidays, 09:00–17:00
 * Europe/London), by the duration the rule names: `wdDue(day, 15)` is "17:00 on the 15th working
 * day after `day`".
 *
 * `TIME_BASE_FROM=YYYY-MM-DD` makes every base lie on or after that day, to run the scenarios as
 * they will run at another time of year (or in another year).
 */
import Holidays from 'date-holidays';
import { addCalendarDays, addCalendarMonths, isWeekend, WorkingDayCalendar, type LocalDay } from '../../src/calendar';
import { englandAndWalesHolidays, HOLIDAY_YEARS } from '../../src/holidays';

export type { LocalDay };
export { isWeekend };

/** The calendar of `testDeps` (test/helpers/temporal.ts), the one the test workers compute with. */
export const calendar = new WorkingDayCalendar(englandAndWalesHolidays());

// Days and instants.
export const addDays = addCalendarDays;
export const addMonths = addCalendarMonths;
export const addWD = (day: LocalDay, n: number): LocalDay => calendar.addWorkingDays(day, n);
export const isWorkingDay = (day: LocalDay): boolean => calendar.isWorkingDay(day);
export const isBankHoliday = (day: LocalDay): boolean => calendar.isBankHoliday(day);
/** 0 Sunday … 6 Saturday. */
export const weekday = (day: LocalDay): number => new Date(`${day}T12:00:00Z`).getUTCDay();
/** The Europe/London day of an instant. */
export const dayOf = (iso: string): LocalDay => calendar.localDay(new Date(iso));
/** The instant (ISO, as the state writes it) at a Europe/London wall-clock time on a day. */
export const on = (day: LocalDay, time: string): string => calendar.at(day, time).toISOString();
export const plusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
export const plusHours = (iso: string, hours: number): string => plusMs(iso, hours * 3_600_000);
/** British Summer Time on that day (at noon). */
export const inBst = (day: LocalDay): boolean => calendar.at(day, '12:00').getUTCHours() === 11;

// Due instants, as the rule catalogue words durations (docs/deadlines.md).
/** 17:00 (EOD) on a day. */
export const eod = (day: LocalDay): string => calendar.endOfWorkingDay(day).toISOString();
/** 09:00 (SOD) on a day. */
export const sod = (day: LocalDay): string => calendar.startOfWorkingDay(day).toISOString();
/** 23:59:59 on a day: a statutory due instant. */
export const lastSecond = (day: LocalDay): string => calendar.endOfDay(day).toISOString();
/** "n WD": EOD on the nth working day after `day` (before it, when n < 0). */
export const wdDue = (day: LocalDay, n: number): string => eod(addWD(day, n));
/** "n CD" or weeks: EOD n calendar days on, moved back off a weekend or bank holiday (§2.3). */
export const daysDue = (day: LocalDay, n: number): string => calendar.dayRuleDue(addCalendarDays(day, n)).toISOString();
/** "n months": EOD n calendar months on (clamped to a shorter month), moved back off a non-working day. */
export const monthsDue = (day: LocalDay, n: number): string =>
  calendar.dayRuleDue(addCalendarMonths(day, n)).toISOString();
/** The same local time n working days earlier (a "due − n WD" warning). */
export const wdBefore = (iso: string, n: number): string => calendar.workingDaysBefore(new Date(iso), n).toISOString();

// Calendar features a scenario may need.
const named = new Holidays('GB', 'ENG');
/** A named England and Wales bank holiday of a year ("Good Friday", "Christmas Day", "Summer bank holiday", …). */
export function holiday(name: string, year: number): LocalDay {
  const found = named
    .getHolidays(year)
    .find((h) => h.type === 'public' && h.name === name && !(h as { substitute?: boolean }).substitute);
  if (!found) throw new Error(`no ${name} in ${year}`);
  return found.date.slice(0, 10);
}
/** A holiday that is the named one of its year. */
export const isHoliday = (name: string, day: LocalDay): boolean => holiday(name, Number(day.slice(0, 4))) === day;
/** Bank holidays from `from` to `to`, both included. */
export function holidaysBetween(from: LocalDay, to: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) if (calendar.isBankHoliday(day)) days.push(day);
  return days;
}
/** No bank holiday from `from` to `to`, both included. */
export const noBankHoliday = (from: LocalDay, to: LocalDay): boolean => holidaysBetween(from, to).length === 0;
/** The last Sunday of March (BST starts) or October (BST ends). */
export function clockChange(year: number, month: 'March' | 'October'): LocalDay {
  let day = `${year}-${month === 'March' ? '03' : '10'}-31`;
  while (weekday(day) !== 0) day = addCalendarDays(day, -1);
  return day;
}

/** The first day on or after `from` that meets `test` (within ten years). */
export function firstDay(from: LocalDay, test: (day: LocalDay) => boolean): LocalDay {
  for (let day = from, n = 0; n < 3_660; day = addCalendarDays(day, 1), n += 1) if (test(day)) return day;
  throw new Error(`no day from ${from} meets the test`);
}

const WEEKDAYS = { Sunday: 0, Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6 } as const;
export type Weekday = keyof typeof WEEKDAYS;

export interface BaseOptions {
  /** The base day's weekday. */
  weekday?: Weekday;
  /** The base lies at least this many days after the clock's day (7 unless told). */
  daysAhead?: number;
  /** Whatever else the scenario needs of its calendar (a bank holiday a known number of days on, …). */
  where?: (day: LocalDay) => boolean;
}

/** Day 0 of a scenario: every day and instant of the scenario is an offset from it. */
export class TimeBase {
  constructor(readonly day0: LocalDay) {}

  /** Day n (calendar days after day 0). */
  day(n = 0): LocalDay {
    return addCalendarDays(this.day0, n);
  }

  /** The instant at a Europe/London wall-clock time on day n. */
  at(n: number, time: string): string {
    return on(this.day(n), time);
  }
}

/** The first day that meets `options`, at least `daysAhead` days after the day of `nowMs` (and TIME_BASE_FROM). */
export function chooseBase(nowMs: number, options: BaseOptions = {}): TimeBase {
  const from = process.env.TIME_BASE_FROM || undefined;
  if (from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(from)) throw new Error('TIME_BASE_FROM: expected YYYY-MM-DD');
  const today = calendar.localDay(new Date(nowMs));
  let day = addCalendarDays(from && from > today ? from : today, options.daysAhead ?? 7);
  // Beyond the holiday table every day would be a working day: a feature there is no feature.
  const limit = `${HOLIDAY_YEARS.to}-01-01`;
  for (; day < limit; day = addCalendarDays(day, 1)) {
    if (options.weekday !== undefined && weekday(day) !== WEEKDAYS[options.weekday]) continue;
    if (options.where && !options.where(day)) continue;
    return new TimeBase(day);
  }
  throw new Error(`no base day from ${today} before ${limit} meets the scenario's needs`);
}
