import { describe, expect, it } from 'vitest';
import { addCalendarMonths } from '../../src/calendar';
import { addMonthsToDate } from '../../src/dates';

describe('addMonthsToDate (pure, for workflows)', () => {
  it('clamps to the end of a shorter month (§2.3) and crosses years', () => {
    expect(addMonthsToDate('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsToDate('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonthsToDate('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonthsToDate('2027-03-31', -1)).toBe('2027-02-28');
  });

  it('agrees with the calendar’s month arithmetic on every day of four years', () => {
    for (let day = '2026-01-01'; day < '2030-01-01'; day = next(day))
      for (const months of [1, 3, 6, 12]) expect(addMonthsToDate(day, months)).toBe(addCalendarMonths(day, months));
  });
});

function next(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
