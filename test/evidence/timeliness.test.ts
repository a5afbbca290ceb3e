import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/calendar';
import { timeliness } from '../../src/evidence/timeliness';
import type { TimelinessRow } from '../../src/evidence/store';
import { englandAndWalesHolidays } from '../../src/holidays';

const calendar = new WorkingDayCalendar(englandAndWalesHolidays());
// Tuesday 22 April 2025, after Easter (Good Friday 18 April, Easter Monday 21 April).
const now = new Date('2025-04-22T12:00:00+01:00');

let n = 0;
const row = (ruleId: string, dueAt: string, metAt: string | null, status?: TimelinessRow['status']): TimelinessRow => ({
  workflowId: `wf-${++n}`,
  ruleId,
  occurrence: 0,
  team: 'north',
  status: status ?? (metAt ? 'met' : 'pending'),
  dueAt: new Date(dueAt).toISOString(),
  metAt: metAt && new Date(metAt).toISOString(),
});

describe('timeliness()', () => {
  it('counts per rule: met on time, met late, open and overdue, open; the cancelled not at all', () => {
    const rows = [
      row('R1', '2025-04-10T17:00:00+01:00', '2025-04-10T17:00:00+01:00'), // at the due instant: on time
      row('R1', '2025-04-10T17:00:00+01:00', '2025-04-09T09:00:00+01:00'),
      row('R1', '2025-04-10T17:00:00+01:00', '2025-04-11T09:00:00+01:00'), // late by one working day
      row('R1', '2025-04-15T17:00:00+01:00', null, 'overdue'),
      row('R1', '2025-04-25T17:00:00+01:00', null),
      row('R1', '2025-04-01T17:00:00+01:00', null, 'cancelled'),
      row('R2', '2025-04-23T17:00:00+01:00', null),
    ];
    expect(timeliness(rows, now, calendar)).toEqual([
      {
        ruleId: 'R1',
        due: 5,
        metOnTime: 2,
        metLate: 1,
        openOverdue: 1,
        open: 1,
        // Late by 1 (met Fri 11th) and by 3 so far (due Tue 15th: Wed, Thu, then Tue 22nd after Easter).
        medianLatenessWorkingDays: 2,
        worstLatenessWorkingDays: 3,
      },
      {
        ruleId: 'R2',
        due: 1,
        metOnTime: 0,
        metLate: 0,
        openOverdue: 0,
        open: 1,
        medianLatenessWorkingDays: null,
        worstLatenessWorkingDays: null,
      },
    ]);
  });

  it('judges overdue by now, whatever the stored status', () => {
    const [summary] = timeliness(
      [
        row('R1', '2025-04-22T11:59:00+01:00', null, 'pending'),
        row('R1', '2025-04-22T12:01:00+01:00', null, 'overdue'),
      ],
      now,
      calendar,
    );
    expect(summary).toMatchObject({
      openOverdue: 1,
      open: 1,
      medianLatenessWorkingDays: 0,
      worstLatenessWorkingDays: 0,
    });
  });

  it('counts lateness in working days: weekends and bank holidays do not count, the due day does not', () => {
    const lateness = (dueAt: string, metAt: string) =>
      timeliness([row('R', dueAt, metAt)], now, calendar)[0]!.worstLatenessWorkingDays;
    expect(lateness('2025-04-14T17:00:00+01:00', '2025-04-14T18:30:00+01:00')).toBe(0); // late on its own day
    expect(lateness('2025-04-11T17:00:00+01:00', '2025-04-14T09:00:00+01:00')).toBe(1); // Fri → Mon
    expect(lateness('2025-04-17T17:00:00+01:00', '2025-04-22T09:00:00+01:00')).toBe(1); // Thu → Tue after Easter
    expect(lateness('2025-04-17T17:00:00+01:00', '2025-04-21T09:00:00+01:00')).toBe(0); // met on Easter Monday
    expect(lateness('2025-03-28T17:00:00+00:00', '2025-04-04T17:00:00+01:00')).toBe(5); // across the clock change
    // Local days, not UTC ones: 23:30 UTC on Sunday 13 April is already Monday in London.
    expect(lateness('2025-04-11T17:00:00+01:00', '2025-04-13T23:30:00Z')).toBe(1);
  });

  it('takes the median of an even number of late deadlines as the mean of the middle two', () => {
    const [summary] = timeliness(
      [
        row('R', '2025-04-01T17:00:00+01:00', '2025-04-02T10:00:00+01:00'), // 1
        row('R', '2025-04-01T17:00:00+01:00', '2025-04-04T10:00:00+01:00'), // 3
        row('R', '2025-04-01T17:00:00+01:00', '2025-04-08T10:00:00+01:00'), // 5
        row('R', '2025-04-01T17:00:00+01:00', '2025-04-15T10:00:00+01:00'), // 10
      ],
      now,
      calendar,
    );
    expect(summary).toMatchObject({ metLate: 4, medianLatenessWorkingDays: 4, worstLatenessWorkingDays: 10 });
  });

  it('returns nothing for no rows', () => {
    expect(timeliness([], now, calendar)).toEqual([]);
  });
});
