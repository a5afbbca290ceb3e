import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/calendar';
import { computeDue, computeRuleDue, planDeadline } from '../../src/deadline-plan';
import { englandAndWalesHolidays } from '../../src/holidays';
import { ruleById, type Duration } from '../../src/rules';

const calendar = new WorkingDayCalendar(englandAndWalesHolidays());
const at = (s: string) => new Date(s);
const due = (duration: Duration, anchor: string, direction: 'after' | 'before' = 'after') =>
  computeDue(calendar, duration, direction, at(anchor));
const wd = (value: number): Duration => ({ value, unit: 'working_days' });
const hours = (value: number): Duration => ({ value, unit: 'hours' });

describe('§2.7 worked examples', () => {
  it('referral Thu 17 Apr 2025 15:00, decision within 1 WD skips Good Friday and Easter Monday', () => {
    expect(due(wd(1), '2025-04-17T15:00:00+01:00').operational.toISOString()).toBe('2025-04-22T16:00:00.000Z');
  });

  it('same referral: strategy 48 h elapsed is Sat 19 Apr 15:00; 3 WD is Thu 24 Apr 17:00', () => {
    expect(due(hours(48), '2025-04-17T15:00:00+01:00').operational.toISOString()).toBe('2025-04-19T14:00:00.000Z');
    expect(due(wd(3), '2025-04-17T15:00:00+01:00').operational.toISOString()).toBe('2025-04-24T16:00:00.000Z');
  });

  it('ICPC within 15 WD of Tue 22 Apr 2025 skips the early May bank holiday: Wed 14 May 17:00', () => {
    expect(due(wd(15), '2025-04-22T11:00:00+01:00').operational.toISOString()).toBe('2025-05-14T16:00:00.000Z');
  });

  it('S47 decision by day 5 (ordinal) is Mon 28 Apr; within 5 WD is Tue 29 Apr', () => {
    expect(due({ value: 5, unit: 'ordinal_working_day' }, '2025-04-22T11:00:00+01:00').operational.toISOString()).toBe(
      '2025-04-28T16:00:00.000Z',
    );
    expect(due(wd(5), '2025-04-22T11:00:00+01:00').operational.toISOString()).toBe('2025-04-29T16:00:00.000Z');
  });

  it('looked after Fri 19 Dec 2025: review at 20 WD is Wed 21 Jan 2026; health at 20 CD is Thu 8 Jan', () => {
    expect(due(wd(20), '2025-12-19T12:00:00Z').operational.toISOString()).toBe('2026-01-21T17:00:00.000Z');
    expect(due({ value: 20, unit: 'calendar_days' }, '2025-12-19T12:00:00Z').operational.toISOString()).toBe(
      '2026-01-08T17:00:00.000Z',
    );
  });

  it('ICPC Tue 6 Jan 2026 10:00: 2 WD before is Fri 2 Jan 17:00; 48 h before is Sun 4 Jan 10:00', () => {
    expect(due(wd(2), '2026-01-06T10:00:00Z', 'before').operational.toISOString()).toBe('2026-01-02T17:00:00.000Z');
    expect(due(hours(48), '2026-01-06T10:00:00Z', 'before').operational.toISOString()).toBe('2026-01-04T10:00:00.000Z');
  });

  it('RCPC 3 months after Fri 28 Nov 2025 rolls back from Sat 28 Feb to Fri 27 Feb 17:00; statutory stays Sat 23:59:59', () => {
    const result = due({ value: 3, unit: 'months' }, '2025-11-28T10:00:00Z');
    expect(result.operational.toISOString()).toBe('2026-02-27T17:00:00.000Z');
    expect(result.statutory.toISOString()).toBe('2026-02-28T23:59:59.000Z');
  });
});

describe('calendar edge cases', () => {
  it('hours are elapsed across clock changes (§2.4)', () => {
    expect(due(hours(24), '2025-03-29T10:00:00Z').operational.toISOString()).toBe('2025-03-30T10:00:00.000Z'); // 11:00 BST
    expect(calendar.localTime(at('2025-03-30T10:00:00Z'))).toBe('11:00:00');
    expect(due(hours(24), '2025-10-25T09:00:00Z').operational.toISOString()).toBe('2025-10-26T09:00:00.000Z'); // 09:00 GMT
    expect(calendar.localTime(at('2025-10-26T09:00:00Z'))).toBe('09:00:00');
  });

  it('EOD is 17:00 London in summer and winter', () => {
    expect(calendar.endOfWorkingDay('2025-07-01').toISOString()).toBe('2025-07-01T16:00:00.000Z');
    expect(calendar.endOfWorkingDay('2025-12-01').toISOString()).toBe('2025-12-01T17:00:00.000Z');
  });

  it('an anchor late at night is still counted by its London date', () => {
    // 23:30 UTC on 31 Mar 2025 is 00:30 BST on 1 Apr: day 0 is 1 Apr.
    expect(due(wd(1), '2025-03-31T23:30:00Z').operational.toISOString()).toBe('2025-04-02T16:00:00.000Z');
  });

  it('29 February: months clamp and leap days count', () => {
    expect(due({ value: 6, unit: 'months' }, '2023-08-31T10:00:00+01:00').statutory.toISOString()).toBe(
      '2024-02-29T23:59:59.000Z',
    );
    expect(due({ value: 6, unit: 'months' }, '2022-08-31T10:00:00+01:00').statutory.toISOString()).toBe(
      '2023-02-28T23:59:59.000Z',
    );
    expect(due({ value: 12, unit: 'months' }, '2024-02-29T10:00:00Z').statutory.toISOString()).toBe(
      '2025-02-28T23:59:59.000Z',
    );
    expect(due(wd(1), '2024-02-28T10:00:00Z').operational.toISOString()).toBe('2024-02-29T17:00:00.000Z');
  });

  it('Friday 16:59 and 17:01 anchors give the same WD due but differ for the end of the working day', () => {
    expect(due(wd(1), '2026-03-06T16:59:00Z').operational.toISOString()).toBe('2026-03-09T17:00:00.000Z');
    expect(due(wd(1), '2026-03-06T17:01:00Z').operational.toISOString()).toBe('2026-03-09T17:00:00.000Z');
    const eowd: Duration = { value: 0, unit: 'end_of_working_day' };
    expect(due(eowd, '2026-03-06T16:59:00Z').operational.toISOString()).toBe('2026-03-06T17:00:00.000Z');
    expect(due(eowd, '2026-03-06T17:01:00Z').operational.toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it('Christmas and New Year 2026: the 28 December substitute day is skipped', () => {
    expect(calendar.isBankHoliday('2026-12-28')).toBe(true);
    expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(calendar.addWorkingDays('2026-12-24', 4)).toBe('2027-01-04');
    expect(due(wd(3), '2026-12-23T12:00:00Z').operational.toISOString()).toBe('2026-12-30T17:00:00.000Z');
  });

  it('one-off holidays: 2022 Jubilee and funeral, 2023 coronation', () => {
    for (const day of ['2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08'])
      expect(calendar.isBankHoliday(day)).toBe(true);
    expect(calendar.addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    expect(calendar.addWorkingDays('2023-05-05', 1)).toBe('2023-05-09');
  });

  it('holiday overrides add days and change the calendar version', () => {
    const extra = new WorkingDayCalendar(
      englandAndWalesHolidays({ add: [{ date: '2027-06-07', name: 'Announced holiday' }], remove: [] }),
    );
    expect(extra.version).not.toBe(calendar.version);
    expect(extra.addWorkingDays('2027-06-04', 1)).toBe('2027-06-08');
    expect(calendar.addWorkingDays('2027-06-04', 1)).toBe('2027-06-07');
  });

  it('a calendar-day rule falling on a weekend can keep or roll forward by configuration', () => {
    const keep = new WorkingDayCalendar(calendar.holidays, { ...calendar.settings, nonWorkingDue: 'keep' });
    const forward = new WorkingDayCalendar(calendar.holidays, { ...calendar.settings, nonWorkingDue: 'roll_forward' });
    const d: Duration = { value: 3, unit: 'months' };
    expect(computeDue(keep, d, 'after', at('2025-11-28T10:00:00Z')).operational.toISOString()).toBe(
      '2026-02-28T17:00:00.000Z',
    );
    expect(computeDue(forward, d, 'after', at('2025-11-28T10:00:00Z')).operational.toISOString()).toBe(
      '2026-03-02T17:00:00.000Z',
    );
  });

  it('same day is due at 23:59:59 local', () => {
    expect(due({ value: 0, unit: 'same_day' }, '2025-07-01T10:00:00+01:00').operational.toISOString()).toBe(
      '2025-07-01T22:59:59.000Z',
    );
  });
});

describe('Need to Know deadlines (§6.4, ⚠C-22)', () => {
  const director = ruleById('ntk-cat2-director');
  const draft = ruleById('ntk-cat2-draft');

  it('concern on a working day before EOD: due at 17:00 that day', () => {
    expect(computeRuleDue(calendar, director, at('2026-03-10T11:00:00Z')).operational.toISOString()).toBe(
      '2026-03-10T17:00:00.000Z',
    );
  });

  it('concern on a working day before SOD (07:30 on a Tuesday): due at 17:00 that day (⚠C-22 as settled)', () => {
    expect(computeRuleDue(calendar, director, at('2026-03-10T07:30:00Z')).operational.toISOString()).toBe(
      '2026-03-10T17:00:00.000Z',
    );
  });

  it('concern at 17:00 exactly: the working day is over, so due at 09:00 the next working day', () => {
    expect(computeRuleDue(calendar, director, at('2026-03-10T17:00:00Z')).operational.toISOString()).toBe(
      '2026-03-11T09:00:00.000Z',
    );
  });

  it('concern on Friday 18:00: due at 09:00 on Monday', () => {
    expect(computeRuleDue(calendar, director, at('2026-03-13T18:00:00Z')).operational.toISOString()).toBe(
      '2026-03-16T09:00:00.000Z',
    );
  });

  it('concern on the evening before Good Friday: due at 09:00 on the Tuesday after Easter Monday', () => {
    expect(computeRuleDue(calendar, director, at('2026-04-02T18:30:00+01:00')).operational.toISOString()).toBe(
      '2026-04-07T08:00:00.000Z',
    );
  });

  it('draft is due 2 h after the concern, or at the Director deadline if that is earlier', () => {
    expect(computeRuleDue(calendar, draft, at('2026-03-10T11:00:00Z')).operational.toISOString()).toBe(
      '2026-03-10T13:00:00.000Z',
    );
    expect(computeRuleDue(calendar, draft, at('2026-03-10T16:00:00Z')).operational.toISOString()).toBe(
      '2026-03-10T17:00:00.000Z',
    );
  });
});

describe('deadline plans (§1.3)', () => {
  it('a 15 WD rule warns at due − 25 % and due − 1 WD, then escalates by its ladder', () => {
    const rule = { ...ruleById('ntk-cat3-hos-decision'), id: 'test', duration: wd(15), escalation: 'X-CP' as const };
    const plan = planDeadline(calendar, rule, at('2025-04-22T10:00:00Z'));
    expect(plan.dueAt).toBe('2025-05-14T16:00:00.000Z');
    expect(plan.steps.map((s) => [s.key, s.at])).toEqual([
      ['warning-1', '2025-05-09T08:00:00.000Z'],
      ['warning-2', '2025-05-13T16:00:00.000Z'],
      ['overdue', '2025-05-14T16:00:00.000Z'],
      ['escalation-1', '2025-05-15T16:00:00.000Z'],
      ['escalation-2', '2025-05-19T16:00:00.000Z'],
    ]);
    expect(plan.steps[2]!.notify).toEqual(['head_of_service', 'team_manager', 'cp_chair', 'qa_bstl']);
    expect(plan.calendarVersion).toBe(calendar.version);
  });

  it('hours-based notices outside working hours are routed to the out-of-hours service', () => {
    const rule = { ...draft(), duration: hours(2) };
    const plan = planDeadline(calendar, rule, at('2026-03-13T18:00:00Z'));
    expect(plan.steps.find((s) => s.kind === 'overdue')!.notify).toContain('out_of_hours_service');
  });

  it('a notice due at EOD is not out of hours; one after EOD, or on a night or weekend, is (§2.4)', () => {
    const director = ruleById('ntk-cat2-director');
    const atEod = planDeadline(calendar, director, at('2026-03-10T11:00:00Z')).steps.find((s) => s.kind === 'overdue')!;
    expect(atEod.at).toBe('2026-03-10T17:00:00.000Z');
    expect(atEod.notify).not.toContain('out_of_hours_service');
    expect(calendar.isOutOfHours(at('2026-03-10T17:00:00Z'))).toBe(false);
    expect(calendar.isOutOfHours(at('2026-03-10T17:00:01Z'))).toBe(true);
    expect(calendar.isOutOfHours(at('2026-03-14T17:00:00Z'))).toBe(true); // Saturday
    expect(calendar.isOutOfHours(at('2026-03-10T08:59:59Z'))).toBe(true);
  });

  function draft() {
    return ruleById('ntk-cat2-draft');
  }
});
