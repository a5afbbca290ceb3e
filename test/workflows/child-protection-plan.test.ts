import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanState } from '../../src/cp-plan';
import { childProtectionPlan } from '../../workflows';
import * as m from '../../workflows/child-protection-plan.messages';
import { actors } from '../helpers/s47';
import type { SmtpCapture } from '../helpers/smtp';
import { timeSkippingStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';

let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;

beforeAll(async () => {
  stack = await timeSkippingStack();
  ({ env, smtp } = stack);
});
afterAll(() => stack?.stop());

const due = (state: PlanState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;

describe('child protection plan, first part, on the time-skipping server', () => {
  it('arms the post-conference clocks, follows the plan’s intervals, and counts only visits that see the child', async () => {
    await stack.skipTo('2027-03-02T10:00:00Z'); // Tuesday; Easter 2027 falls on 26–29 March
    const handle = await env.client.workflow.start(childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-P1',
      args: [{ planId: 'P1', caseReference: 'CASE-P1', childReference: 'C1', icpcHeldAt: '2027-03-02T10:00:00.000Z', people: {} }],
    });
    let state = await handle.query(m.getStateQuery);
    expect(Object.fromEntries(state.deadlines.map((d) => [d.id, d.dueAt]))).toEqual({
      'cp-outcome-circulate': '2027-03-03T10:00:00.000Z', // 24 h
      'cp-outline-plan': '2027-03-03T17:00:00.000Z', // 1 WD
      'cp-record-plan-circulate': '2027-03-09T17:00:00.000Z', // 5 WD
      'cp-minutes-circulate': '2027-04-01T16:00:00.000Z', // 20 WD over Good Friday and Easter Monday
      'cp-first-core-group': '2027-03-16T17:00:00.000Z', // 10 WD
      'cp-first-rcpc': '2027-06-02T16:00:00.000Z', // 3 months
      'sup-cp': '2027-04-02T16:00:00.000Z', // 1 month
      'cp-visit': '2027-03-16T17:00:00.000Z', // 10 WD from the plan's start (⚠C-09)
    });

    state = await handle.executeUpdate(m.conferenceOutputUpdate, { args: [{ output: 'cp-outcome-circulate', actor: actors.qa }] });
    expect(due(state, 'cp-outcome-circulate')).toMatchObject({ status: 'met', breached: false });

    state = await handle.executeUpdate(m.coreGroupHeldUpdate, { args: [{ heldAt: '2027-03-10T10:00:00.000Z', visitIntervalWorkingDays: 5, actor: actors.teamManager }] });
    expect(due(state, 'cp-first-core-group')).toMatchObject({ status: 'met' });
    expect(due(state, 'cp-core-group').dueAt).toBe('2027-04-07T16:00:00.000Z'); // 4 weeks from the meeting held
    expect(state.frequencies).toEqual({ visitWorkingDays: 5, coreGroupWeeks: 4 });

    // A visit where the child was not seen does not count; the team manager is told.
    await stack.skipTo('2027-03-12T10:00:00Z');
    await handle.executeUpdate(m.visitRecordedUpdate, { args: [{ visitedAt: '2027-03-12T10:00:00.000Z', childSeen: false, actor: actors.socialWorker }] });
    const [notSeen] = await smtp.waitFor((mail) => mail.subject.includes('Child not seen') && mail.text.includes('CASE-P1'));
    expect(notSeen!.to).toEqual(['team-manager@example.test']);
    await stack.skipTo('2027-03-16T17:00:30Z');
    const [missed] = await smtp.waitFor((mail) => mail.messageId === '<cpp-P1.cp-visit.1.r0.overdue@test.example>');
    expect(missed!.to).toEqual(['team-manager@example.test', 'cp-chair@example.test']); // X-VISIT (003 QS 7.5)

    state = await handle.executeUpdate(m.visitRecordedUpdate, { args: [{ visitedAt: '2027-03-17T10:00:00.000Z', childSeen: true, seenAlone: true, actor: actors.socialWorker }] });
    expect(state.deadlines.filter((d) => d.id === 'cp-visit').map((d) => [d.status, d.breached, d.dueAt])).toEqual([
      ['met', true, '2027-03-16T17:00:00.000Z'],
      ['pending', false, '2027-03-24T17:00:00.000Z'], // 5 WD from the visit, as the plan set
    ]);
  });
});
