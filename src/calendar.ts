/**
 * England and Wales working-day calendar (docs/deadlines.md §2). Pure: the bank-holiday
 * table is handed in, so the same code runs in activities, the API and the CLI.
 *
 * Local calendar days are `YYYY-MM-DD` strings in Europe/London; instants are `Date`s.
 */
import { TZDate } from '@date-fns/tz';
import { addMonths, format } from 'date-fns';

export type LocalDay = string;

export interface HolidayTable {
  /** Changes whenever the set of dates changes; stored beside every computed deadline (§1.1). */
  version: string;
  dates: ReadonlySet<LocalDay>;
}

export interface CalendarSettings {
  timeZone: string;
  /** `calendar.sod_local_time`, HH:MM. */
  startOfDay: string;
  /** `calendar.eod_local_time`, HH:MM: when day-granular deadlines fall due. */
  endOfDay: string;
  /** `calendar.wd_due_time`: `eod` (default, strict) or `midnight` (23:59:59). */
  workingDayDueTime: 'eod' | 'midnight';
  /** `calendar.non_working_due` for calendar-day, week and month rules. */
  nonWorkingDue: 'roll_back' | 'keep' | 'roll_forward';
}

export const defaultCalendarSettings: CalendarSettings = {
  timeZone: 'Europe/London',
  startOfDay: '09:00',
  endOfDay: '17:00',
  workingDayDueTime: 'eod',
  nonWorkingDue: 'roll_back',
};

const LAST_SECOND = '23:59:59';

function parseDay(day: LocalDay): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`not a local date (YYYY-MM-DD): ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

const DAY_MS = 86_400_000;

/** Day arithmetic is done on UTC midnights so the host's time zone never leaks in. */
const utcMidnight = (day: LocalDay): number => {
  const [y, m, d] = parseDay(day);
  return Date.UTC(y, m - 1, d);
};
const dayOf = (utcMs: number): LocalDay => new Date(utcMs).toISOString().slice(0, 10);

export const addCalendarDays = (day: LocalDay, days: number): LocalDay => dayOf(utcMidnight(day) + days * DAY_MS);

/** Calendar months, clamped to the end of a shorter month (31 Aug + 6 months = 28/29 Feb, §2.3). */
export const addCalendarMonths = (day: LocalDay, months: number): LocalDay =>
  format(addMonths(new TZDate(utcMidnight(day), 'UTC'), months), 'yyyy-MM-dd');

export const isWeekend = (day: LocalDay): boolean => {
  const weekday = new Date(utcMidnight(day)).getUTCDay();
  return weekday === 0 || weekday === 6;
};

export class WorkingDayCalendar {
  /** 'en-CA' formats dates as YYYY-MM-DD; one formatter per calendar (they are costly to build). */
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    readonly holidays: HolidayTable,
    readonly settings: CalendarSettings = defaultCalendarSettings,
  ) {
    this.dayFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: settings.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  get version(): string {
    return this.holidays.version;
  }

  /** §2.1: a working day is not a Saturday, a Sunday or a bank holiday. */
  isWorkingDay(day: LocalDay): boolean {
    return !isWeekend(day) && !this.holidays.dates.has(day);
  }

  addCalendarDays(day: LocalDay, days: number): LocalDay {
    return addCalendarDays(day, days);
  }

  addCalendarMonths(day: LocalDay, months: number): LocalDay {
    return addCalendarMonths(day, months);
  }

  isBankHoliday(day: LocalDay): boolean {
    return this.holidays.dates.has(day);
  }

  /** The Europe/London calendar date of an instant. */
  localDay(instant: Date): LocalDay {
    return this.dayFormat.format(instant);
  }

  /** The Europe/London wall-clock time of an instant, HH:MM:SS. */
  localTime(instant: Date): string {
    return format(new TZDate(instant.getTime(), this.settings.timeZone), 'HH:mm:ss');
  }

  /** The instant at a local wall-clock time on a local day. */
  at(day: LocalDay, time: string): Date {
    const [y, m, d] = parseDay(day);
    const [hh = 0, mm = 0, ss = 0] = time.split(':').map(Number);
    return new Date(new TZDate(y, m - 1, d, hh, mm, ss, this.settings.timeZone).getTime());
  }

  endOfWorkingDay(day: LocalDay): Date {
    return this.at(day, this.settings.endOfDay);
  }

  startOfWorkingDay(day: LocalDay): Date {
    return this.at(day, this.settings.startOfDay);
  }

  /** 23:59:59 local: the literal end of a day, used for statutory due times (§2.6). */
  endOfDay(day: LocalDay): Date {
    return this.at(day, LAST_SECOND);
  }

  /** When a working-day rule falls due on `day` (`calendar.wd_due_time`). */
  workingDayDue(day: LocalDay): Date {
    return this.settings.workingDayDueTime === 'eod' ? this.endOfWorkingDay(day) : this.endOfDay(day);
  }

  /** Moves `count` working days forward (or back, when negative); `day` itself is not counted. */
  addWorkingDays(day: LocalDay, count: number): LocalDay {
    const step = count < 0 ? -1 : 1;
    let remaining = Math.abs(count);
    let current = day;
    while (remaining > 0) {
      current = addCalendarDays(current, step);
      if (this.isWorkingDay(current)) remaining -= 1;
    }
    return current;
  }

  /** The first working day on or after `day`. */
  workingDayOnOrAfter(day: LocalDay): LocalDay {
    return this.isWorkingDay(day) ? day : this.addWorkingDays(day, 1);
  }

  /** The first working day on or before `day`. */
  workingDayOnOrBefore(day: LocalDay): LocalDay {
    return this.isWorkingDay(day) ? day : this.addWorkingDays(day, -1);
  }

  /** §2.2: inside working hours = a working day, from SOD (inclusive) to EOD (exclusive). */
  isWorkingHours(instant: Date): boolean {
    const day = this.localDay(instant);
    if (!this.isWorkingDay(day)) return false;
    const t = instant.getTime();
    return t >= this.startOfWorkingDay(day).getTime() && t < this.endOfWorkingDay(day).getTime();
  }

  /** The same local time `count` working days earlier (used for "due − 1 WD" warnings). */
  workingDaysBefore(instant: Date, count: number): Date {
    const day = this.workingDayOnOrBefore(this.localDay(instant));
    return this.at(this.addWorkingDays(day, -count), this.localTime(instant));
  }

  /**
   * §2.3 "non-working due dates" for calendar-day, week and month rules: the operational
   * due time moves off a weekend or bank holiday (back by default).
   */
  dayRuleDue(day: LocalDay): Date {
    if (this.isWorkingDay(day) || this.settings.nonWorkingDue === 'keep') return this.workingDayDue(day);
    const moved =
      this.settings.nonWorkingDue === 'roll_back' ? this.workingDayOnOrBefore(day) : this.workingDayOnOrAfter(day);
    return this.workingDayDue(moved);
  }

  /**
   * "End of the working day during which the concern arose" (001 NTK s4, ⚠C-22, settled): a concern
   * on a working day before EOD, including before SOD (07:30 on a Tuesday belongs to Tuesday's
   * working day), is due at EOD that day; after EOD or on a non-working day, at the next SOD.
   */
  endOfWorkingDayOrNextStart(instant: Date): Date {
    const day = this.localDay(instant);
    if (this.isWorkingDay(day) && instant.getTime() < this.endOfWorkingDay(day).getTime())
      return this.endOfWorkingDay(day);
    return this.startOfWorkingDay(this.addWorkingDays(day, 1));
  }

  /**
   * §2.4: outside working hours, for routing notices to the out-of-hours service. EOD itself closes
   * the working day rather than opening the night: a notice due "by EOD" is not out of hours.
   */
  isOutOfHours(instant: Date): boolean {
    const day = this.localDay(instant);
    const endOfDay = this.isWorkingDay(day) && instant.getTime() === this.endOfWorkingDay(day).getTime();
    return !this.isWorkingHours(instant) && !endOfDay;
  }
}
