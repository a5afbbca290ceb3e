/**
 * The one date helper: whole-year and whole-month shifts the processes need outside the calendar
 * (which counts working days in src/calendar.ts). Pure and free of zod, so workflows import it.
 */

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** "YYYY-MM-DD" plus whole years (29 February becomes 28 February: §2.3 month clamping). */
export function addYearsToDate(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  const year = Number(y) + years;
  return m === '02' && d === '29' && !isLeapYear(year) ? `${year}-02-28` : `${year}-${m}-${d}`;
}

/** An instant `months` calendar months earlier, in UTC (a window opening before a due instant). */
export function monthsBefore(instant: string, months: number): string {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString();
}
