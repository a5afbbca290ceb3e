import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanState } from '../../src/processes/child-protection-plan/schemas';
import { childProtectionPlan } from '../../workflows';
import * as m from '../../workflows/child-protection-plan/messages';
import { actors } from '../helpers/s47';
import { actOn } from '../helpers/act';
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

const act = actOn(m.getStateQuery);

describe('child protection plan, first part, on the time-skipping server', () => {
  it('arms the post-conference clocks, follows the plan’s intervals, and counts only visits that see the child', async () => {
    await stack.skipTo('2027-03-02T10:00:00Z'); // Tuesday; Easter 2027 falls on 26–29 March
    const handle = await env.client.workflow.start(childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-P1',
      args: [
        {
          planId: 'P1',
          caseReference: 'CASE-P1',
          childReference: 'C1',
          icpcHeldAt: '2027-03-02T10:00:00.000Z',
          people: {},
        },
      ],
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
      'cp-assessment-6-monthly': '2027-09-02T16:00:00.000Z', // 6 months from the assessment updated for the ICPC
    });

    state = await act(handle, m.conferenceOutputUpdate, {
      args: [{ output: 'cp-outcome-circulate', actor: actors.qa }],
    });
    expect(due(state, 'cp-outcome-circulate')).toMatchObject({ status: 'met', breached: false });

    state = await act(handle, m.coreGroupHeldUpdate, {
      args: [{ heldAt: '2027-03-10T10:00:00.000Z', visitIntervalWorkingDays: 5, actor: actors.teamManager }],
    });
    expect(due(state, 'cp-first-core-group')).toMatchObject({ status: 'met' });
    expect(due(state, 'cp-core-group').dueAt).toBe('2027-04-07T16:00:00.000Z'); // 4 weeks from the meeting held
    expect(state.frequencies).toEqual({ visitWorkingDays: 5, coreGroupWeeks: 4 });

    // A visit where the child was not seen does not count; the team manager is told.
    await stack.skipTo('2027-03-12T10:00:00Z');
    await handle.executeUpdate(m.visitRecordedUpdate, {
      args: [{ visitedAt: '2027-03-12T10:00:00.000Z', childSeen: false, actor: actors.socialWorker }],
    });
    const [notSeen] = await smtp.waitFor(
      (mail) => mail.subject.includes('Child not seen') && mail.text.includes('CASE-P1'),
    );
    expect(notSeen!.to).toEqual(['team-manager@example.test']);
    await stack.skipTo('2027-03-16T17:00:30Z');
    const [missed] = await smtp.waitFor((mail) => mail.messageId === '<cpp-P1.cp-visit.1.r0.overdue@test.example>');
    expect(missed!.to).toEqual(['team-manager@example.test', 'cp-chair@example.test']); // X-VISIT (003 QS 7.5)

    state = await act(handle, m.visitRecordedUpdate, {
      args: [{ visitedAt: '2027-03-17T10:00:00.000Z', childSeen: true, seenAlone: true, actor: actors.socialWorker }],
    });
    expect(state.deadlines.filter((d) => d.id === 'cp-visit').map((d) => [d.status, d.breached, d.dueAt])).toEqual([
      ['met', true, '2027-03-16T17:00:00.000Z'],
      ['pending', false, '2027-03-24T17:00:00.000Z'], // 5 WD from the visit, as the plan set
    ]);
  });

  it('reviews: a booked and moved review re-arms its report, a continue re-arms the 6-month clock, a discontinue ends the plan', async () => {
    const handle = env.client.workflow.getHandle('cpp-P1');
    const qa = { id: 'qa-1', roles: ['qa_bstl' as const] };
    let state = await act(handle, m.reviewScheduledUpdate, {
      args: [{ scheduledStart: '2027-05-25T10:00:00.000Z', actor: qa }],
    });
    expect(due(state, 'cp-rcpc-report-share').dueAt).toBe('2027-05-18T16:00:00.000Z'); // 5 WD before
    state = await act(handle, m.reviewRescheduledUpdate, {
      args: [{ scheduledStart: '2027-05-27T10:00:00.000Z', reason: 'Police unavailable', actor: qa }],
    });
    expect(due(state, 'cp-rcpc-report-share')).toMatchObject({
      dueAt: '2027-05-20T16:00:00.000Z',
      rescheduled: [expect.objectContaining({ reason: 'Police unavailable', by: 'qa-1' })],
    });
    await handle.executeUpdate(m.reportSharedUpdate, {
      args: [{ at: '2027-05-19T12:00:00.000Z', actor: actors.socialWorker }],
    });

    const firstRun = (await handle.describe()).runId;
    state = await act(handle, m.reviewHeldUpdate, {
      args: [{ heldAt: '2027-05-27T10:00:00.000Z', decision: 'continue', actor: actors.chair }],
    });
    expect(due(state, 'cp-first-rcpc')).toMatchObject({ status: 'met', breached: false });
    expect(due(state, 'cp-rcpc').dueAt).toBe('2027-11-26T17:00:00.000Z'); // 6 months: Saturday 27 November rolls back to Friday
    expect(state.events.filter((e) => e.type === 'gate_exception').map((e) => e.summary.split(' ')[0])).toEqual([
      'cp-rcpc-chair-meets-parents',
      'cp-rcpc-assessment-updated',
    ]);
    expect(due(state, 'cp-minutes-circulate')).toMatchObject({ occurrence: 2, status: 'pending' }); // ⚠C-08

    // Each review cycle continues as new, carrying the whole story: a new run, cycle 2, a link back.
    await expect.poll(async () => (await handle.query(m.getStateQuery)).cycle).toBe(2);
    const carried = await handle.query(m.getStateQuery);
    expect(carried.links.previousRuns).toEqual([firstRun]);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(due(carried, 'cp-rcpc')).toMatchObject({ status: 'pending', dueAt: '2027-11-26T17:00:00.000Z' });
    expect(carried.deadlines.length).toBe(state.deadlines.length); // nothing lost
    expect(carried.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['plan_started', 'visit_child_not_seen', 'review_held', 'cycle_continued']),
    );
    // Notices already sent are not sent again by the new run.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      smtp.messages.filter((mail) => mail.messageId === '<cpp-P1.cp-record-plan-circulate.1.r0.overdue@test.example>'),
    ).toHaveLength(1);

    state = await act(handle, m.reviewHeldUpdate, {
      args: [{ heldAt: '2027-11-16T10:00:00.000Z', decision: 'discontinue', actor: actors.chair }],
    });
    expect(state.stage).toBe('ending');
    expect(due(state, 'cp-visit')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'plan ended: discontinued_at_review',
    });
    expect(due(state, 'cp-assessment-6-monthly')).toMatchObject({ status: 'cancelled' });
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe('2027-11-17T17:00:00.000Z');
    expect(due(state, 'cp-cin-after-plan').dueAt).toBe('2027-11-30T17:00:00.000Z');
    await expect(
      handle.executeUpdate(m.reviewScheduledUpdate, {
        args: [{ scheduledStart: '2027-12-01T10:00:00.000Z', actor: qa }],
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/the plan is ending/) },
    });

    // The plan ends once every remaining obligation is met.
    await handle.executeUpdate(m.discontinuationNotifiedUpdate, { args: [{ actor: actors.socialWorker }] });
    await handle.executeUpdate(m.cinPlanningMeetingHeldUpdate, { args: [{ actor: actors.socialWorker }] });
    for (const output of (await handle.query(m.getStateQuery)).deadlines.filter(
      (d) => d.status === 'pending' || d.status === 'overdue',
    )) {
      await handle.executeUpdate(m.conferenceOutputUpdate, {
        args: [{ output: output.id as 'cp-minutes-circulate', actor: actors.qa }],
      });
    }
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    expect(await handle.query(m.getStateQuery)).toMatchObject({ stage: 'ended', status: 'closed' });
  });
});
