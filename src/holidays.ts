/**
 * England and Wales bank holidays (docs/deadlines.md §2.1) from the `date-holidays` package, whose
 * public holidays match the official list (substitute days and one-off holidays included), plus an
 * override list for holidays announced after the package was published.
 */
import Holidays from 'date-holidays';
import { z } from 'zod';
import type { HolidayTable, LocalDay } from './calendar';

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const holidayOverridesSchema = z.object({
  add: z.array(z.object({ date: localDay, name: z.string().min(1) })).default([]),
  remove: z.array(localDay).default([]),
});
export type HolidayOverrides = z.infer<typeof holidayOverridesSchema>;

export const HOLIDAY_YEARS = { from: 2000, to: 2045 } as const;

/** FNV-1a: a short, stable fingerprint of the table, so a changed table gets a new version. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function englandAndWalesHolidays(overrides: HolidayOverrides = { add: [], remove: [] }): HolidayTable {
  const source = new Holidays('GB', 'ENG');
  const dates = new Set<LocalDay>();
  for (let year = HOLIDAY_YEARS.from; year <= HOLIDAY_YEARS.to; year += 1) {
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type === 'public') dates.add(holiday.date.slice(0, 10));
    }
  }
  for (const { date } of overrides.add) dates.add(date);
  for (const date of overrides.remove) dates.delete(date);
  const sorted = [...dates].sort();
  return { version: `england-and-wales-${fingerprint(sorted.join(','))}`, dates: new Set(sorted) };
}
