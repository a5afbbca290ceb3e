/**
 * Where the code differed from the spec (an audit of every deadline id), on the time-skipping
 * server. The statutory assessment on every S47 path and per child is in s47-enquiry.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../src/process';
import { childProtectionPlan, s47Enquiry } from '../../workflows';
import * as cpp from '../../workflows/child-protection-plan/messages';
import * as s47 from '../../workflows/s47-enquiry/messages';
import { armed } from '../helpers/act';
import { actors, s47Input } from '../helpers/s47';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, addMonths, inBst, isWorkingDay, monthsDue } from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

const find = (state: { deadlines: DeadlineView[] }, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;

describe('the code follows the spec', () => {
  it('a complex classification tells L2 (D1.5, ⚠C-01)', async () => {
    const t = await stack.base({ weekday: 'Tuesday', where: isWorkingDay });
    await skipTo(t.at(0, '10:00'));
    const handle = await startProcess(stack.env.client, s47Enquiry, {
      taskQueue: TASK_QUEUE,
      workflowId: 's47-SA1',
      args: [s47Input('SA1', t.at(0, '10:00'), { trigger: 'concern' })],
    });
    await armed(handle, s47.getStateQuery);
    await handle.executeUpdate(s47.strategyUrgencyUpdate, {
      args: [{ urgency: 'complex', rationale: 'Several agencies and households.', actor: actors.teamManager }],
    });
    const [notice] = await stack.smtp.waitFor(
      (m) => m.messageId === '<s47-SA1.strategy-complex.classified@test.example>',
    );
    expect(notice!.to).toEqual(['pgl@example.test']);
    expect(notice!.subject).toContain('Strategy discussion classified as complex');
    expect(notice!.text).toContain('CASE-SA1');
  });

  it('contact-13wk-notify counts from the MASH decision, not its later sign-off (§3.4)', async () => {
    const t = await stack.base({ weekday: 'Wednesday', where: isWorkingDay });
    await skipTo(t.at(0, '10:00'));
    const handle = await startProcess(stack.env.client, s47Enquiry, {
      taskQueue: TASK_QUEUE,
      workflowId: 's47-SA2',
      args: [s47Input('SA2', t.at(0, '09:00'))],
    });
    await armed(handle, s47.getStateQuery);
    await handle.executeUpdate(s47.mashDecisionUpdate, {
      args: [{ pathway: 'return_to_last_team', rationale: 'Closed by Team B in January.', actor: actors.dutyManager }],
    });
    const decidedAt = (await handle.query(s47.getStateQuery)).mashDecision!.at;
    await skipTo(t.at(0, '10:40'));
    await handle.executeUpdate(s47.mashSignoffUpdate, { args: [{ actor: actors.secondManager }] });
    const notify = find(await handle.query(s47.getStateQuery), 'contact-13wk-notify');
    expect(notify.anchorAt).toBe(decidedAt);
    expect(Date.parse(notify.dueAt) - Date.parse(decidedAt)).toBe(3_600_000); // immediately: 1 h [P]
  });

  it('cp-assessment-6-monthly counts from the last completed assessment, not the conference (⚠C-20)', async () => {
    // A Thursday conference; the assessment ten days before, its six months ending in British Summer Time.
    const t = await stack.base({
      weekday: 'Thursday',
      where: (d) => isWorkingDay(d) && inBst(addMonths(addDays(d, -10), 6)),
    });
    await skipTo(t.at(0, '10:00'));
    const handle = await startProcess(stack.env.client, childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-SA3',
      args: [
        {
          planId: 'SA3',
          caseReference: 'CASE-SA3',
          childReference: 'C1',
          icpcHeldAt: t.at(0, '10:00'),
          lastAssessmentAt: t.at(-10, '12:00'),
          people: {},
        },
      ],
    });
    const assessment = find(await armed(handle, cpp.getStateQuery), 'cp-assessment-6-monthly');
    expect(assessment.anchorAt).toBe(t.at(-10, '12:00'));
    expect(assessment.dueAt).toBe(monthsDue(t.day(-10), 6)); // 6 months on, at EOD (BST)
  });
});
