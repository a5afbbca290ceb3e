import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/calendar';
import { planDeadline } from '../../src/deadline-plan';
import { englandAndWalesHolidays } from '../../src/holidays';
import { deadlineRules } from '../../src/rules';

/** The ids of the §12 index, kept in the repository so the suite runs without the specification. */
const indexIds = readFileSync(path.resolve(__dirname, '../fixtures/spec-deadline-ids.txt'), 'utf8')
  .split('\n')
  .filter(Boolean);
/** A copy of the source specification the catalogue was built from, when one is at hand (optional). */
const specPath = process.env.DEADLINE_SPEC_FILE;
/** Deadlines the processes add where the spec asks for tracking but gives no id ([P]). */
const processTasks = ['strategy-action'];
const calendar = new WorkingDayCalendar(englandAndWalesHolidays());

describe('the rule catalogue is the §12 index, as data', () => {
  it('keeps its copy of the §12 index in step with the spec (when DEADLINE_SPEC_FILE names it)', () => {
    const spec = specPath && existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;
    const fromSpec = spec
      ?.slice(spec.indexOf('## 12.'))
      .split('\n')
      .map((line) => /^\| `([a-z0-9-]+)`/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    expect(fromSpec ?? indexIds).toEqual(indexIds);
  });

  it('has every deadline id of §12, and no other', () => {
    expect(indexIds.length).toBeGreaterThan(100);
    expect(indexIds.filter((id) => !deadlineRules.has(id))).toEqual([]);
    expect([...deadlineRules.keys()].filter((id) => !indexIds.includes(id) && !processTasks.includes(id))).toEqual([]);
  });

  it.each([...deadlineRules.values()].map((rule) => [rule.id, rule] as const))(
    '%s is complete and plans',
    (_id, rule) => {
      expect(rule.label.length).toBeGreaterThan(5);
      expect(rule.action.length).toBeGreaterThan(5);
      expect(rule.responsible.length).toBeGreaterThan(0);
      expect(rule.source.length).toBeGreaterThan(0);
      expect((rule.duration === undefined) !== (rule.notComputable === undefined)).toBe(true);
      for (const anchor of ['2025-04-17T15:00:00+01:00', '2026-12-24T18:00:00Z', '2027-03-06T10:00:00Z']) {
        if (!rule.duration) {
          expect(() => planDeadline(calendar, rule, new Date(anchor))).toThrow(rule.notComputable);
          expect(
            planDeadline(calendar, rule, new Date(anchor), { dueOverride: new Date('2028-01-05T12:00:00Z') }).dueAt,
          ).toBe('2028-01-05T12:00:00.000Z');
          continue;
        }
        const plan = planDeadline(calendar, rule, new Date(anchor));
        // ("The stated date" of ntk-update-due may fall before a late-evening anchor's EOD: compare the literal reading.)
        if (rule.direction === 'after') expect(Date.parse(plan.statutoryDueAt)).toBeGreaterThan(Date.parse(anchor));
        else expect(Date.parse(plan.dueAt)).toBeLessThanOrEqual(Date.parse(anchor));
        expect(Date.parse(plan.statutoryDueAt)).toBeGreaterThanOrEqual(Date.parse(plan.dueAt) - 1);
      }
    },
  );
});

describe('escalation routes follow the spec (§1.3 points 4–5)', () => {
  const overdue = (id: string) =>
    planDeadline(calendar, deadlineRules.get(id)!, new Date('2027-03-09T10:00:00Z')).steps.find(
      (s) => s.kind === 'overdue',
    )!;

  it('front-door rules tell the MASH duty manager, their L1, never the team manager', () => {
    const frontDoor = [
      'contact-screen',
      'contact-finalise',
      'contact-finalise-cp',
      'contact-13wk-notify',
      'contact-other-la-notify',
      'referral-ack-decision',
      'referrer-feedback',
    ];
    for (const id of frontDoor) {
      expect(overdue(id).notify, id).toContain('mash_duty_manager');
      expect(overdue(id).notify, id).not.toContain('team_manager');
    }
    expect(overdue('contact-finalise-cp').notify).toEqual(['mash_duty_manager', 'pgl']); // X-URGENT: L1 and L2 together
  });

  it('the mid-point review is the IRO’s: its breach tells the IRO’s manager (X-QA)', () => {
    expect(overdue('lac-midpoint-review').notify).toEqual(['iro_manager']);
  });
});
