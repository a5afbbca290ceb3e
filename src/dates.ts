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

/** "YYYY-MM-DD" plus whole calendar months, clamped to the last day of a shorter month (§2.3: 30 Nov + 3 months = 28 Feb). */
export function addMonthsToDate(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** An instant `months` calendar months earlier, in UTC (a window opening before a due instant). */
export function monthsBefore(instant: string, months: number): string {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString();
}
