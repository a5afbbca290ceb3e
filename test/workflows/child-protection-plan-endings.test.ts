/**
 * How a child protection plan starts after a transfer-in and ends without a review conference
 * (docs/deadlines.md §4.1, D2.5, §4.5): moved away, 18th birthday, death. Time-skipping server.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanInput, PlanState } from '../../src/processes/child-protection-plan/schemas';
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
const open = (state: PlanState) =>
  state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue').map((d) => d.id);
/** Starts a plan and waits for the start's answer: a query could overtake the first workflow task. */
const start = async (planId: string, plan: Partial<PlanInput>) => {
  const handle = await env.client.workflow.start(childProtectionPlan, {
    taskQueue: TASK_QUEUE,
    workflowId: `cpp-${planId}`,
    args: [{ planId, caseReference: `CASE-${planId}`, childReference: 'C1', people: {}, ...plan }],
  });
  await handle.executeUpdate(m.startedUpdate);
  return handle;
};
const rejection = (message: RegExp) => ({ cause: { message: expect.stringMatching(message) } });

/** Meets whatever the plan still owes after it ended, so the workflow can complete. */
async function settle(handle: Awaited<ReturnType<typeof start>>) {
  await handle.executeUpdate(m.discontinuationNotifiedUpdate, { args: [{ actor: actors.socialWorker }] });
  for (const id of open(await handle.query(m.getStateQuery))) {
    await handle.executeUpdate(m.conferenceOutputUpdate, {
      args: [{ output: id as 'cp-minutes-circulate', actor: actors.qa }],
    });
  }
  await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
}

const act = actOn(m.getStateQuery);

describe('child protection plan endings, on the time-skipping server', () => {
  it('transfer-in: this authority’s conference starts the plan; a move away keeps it open until the receiving conference', async () => {
    await stack.skipTo('2028-01-10T10:00:00Z'); // Monday
    const handle = await start('T1', {
      transferIn: { notifiedAt: '2028-01-10T10:00:00.000Z', fromAuthority: 'Another Council' },
    });
    let state = await handle.query(m.getStateQuery);
    expect(state.stage).toBe('transfer_in');
    expect(open(state)).toEqual(['cp-transfer-in-conference']);
    expect(due(state, 'cp-transfer-in-conference').dueAt).toBe('2028-01-31T17:00:00.000Z'); // 15 WD (004 WT ch.1 p.52)
    await expect(
      handle.executeUpdate(m.visitRecordedUpdate, {
        args: [{ visitedAt: '2028-01-11T10:00:00.000Z', childSeen: true, actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject(rejection(/the plan is transfer in/));

    await stack.skipTo('2028-01-20T10:00:00Z');
    state = await act(handle, m.transferInConferenceHeldUpdate, {
      args: [{ heldAt: '2028-01-20T10:00:00.000Z', decision: 'cp_plan', actor: actors.chair }],
    });
    expect(state.stage).toBe('active');
    expect(due(state, 'cp-transfer-in-conference')).toMatchObject({ status: 'met', breached: false });
    expect(due(state, 'cp-first-core-group').dueAt).toBe('2028-02-03T17:00:00.000Z'); // 10 WD from this conference
    expect(due(state, 'cp-first-rcpc').dueAt).toBe('2028-04-20T16:00:00.000Z'); // 3 months (BST)
    await expect(
      handle.executeUpdate(m.receivingConferenceHeldUpdate, {
        args: [{ at: '2028-01-21T10:00:00.000Z', actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject(rejection(/no move to another authority/));

    state = await act(handle, m.childMovedUpdate, {
      args: [{ toAuthority: 'Receiving Council', notifiedAt: '2028-02-01T10:00:00.000Z', actor: actors.socialWorker }],
    });
    expect(due(state, 'cp-transfer-out-watch').dueAt).toBe('2028-02-22T17:00:00.000Z'); // 15 WD from telling the receiving authority
    await stack.skipTo('2028-02-22T17:00:30Z');
    const [chase] = await smtp.waitFor(
      (mail) => mail.messageId === '<cpp-T1.cp-transfer-out-watch.1.r0.overdue@test.example>',
    );
    expect(chase!.to).toEqual(['team-manager@example.test', 'pgl@example.test', 'cp-chair@example.test']);
    state = await handle.query(m.getStateQuery);
    expect(state.stage).toBe('active'); // the plan stays open until the receiving conference (⚠C-42)
    expect(open(state)).toContain('cp-visit');

    state = await act(handle, m.receivingConferenceHeldUpdate, {
      args: [{ at: '2028-02-24T10:00:00.000Z', actor: actors.socialWorker }],
    });
    expect(state).toMatchObject({
      stage: 'ending',
      ending: { reason: 'moved', at: '2028-02-24T10:00:00.000Z' },
      transferOut: { toAuthority: 'Receiving Council' },
    });
    expect(due(state, 'cp-transfer-out-watch')).toMatchObject({ status: 'met', breached: true });
    for (const id of ['cp-visit', 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp', 'cp-assessment-6-monthly'])
      expect(due(state, id).status).toBe('cancelled');
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe('2028-02-25T17:00:00.000Z'); // [P] 1 WD
    expect(state.deadlines.some((d) => d.id === 'cp-cin-after-plan')).toBe(false); // the receiving authority takes over
    await settle(handle);
  });

  it('18th birthday: a warning 3 months ahead, the missed review escalates, and the plan ends by itself at the end of the birthday', async () => {
    await stack.skipTo('2028-03-01T10:00:00Z');
    const handle = await start('A1', { icpcHeldAt: '2028-03-01T10:00:00.000Z', childDateOfBirth: '2010-07-14' });
    let state = await handle.query(m.getStateQuery);
    // ⚠C-40 [P]: no later than the birthday, Friday 14 July 2028 (end of its working day).
    expect(due(state, 'cp-age-18-review')).toMatchObject({
      dueAt: '2028-07-14T16:00:00.000Z',
      statutoryDueAt: '2028-07-14T22:59:59.000Z',
    });

    // Three months before is Good Friday 2028: the warning comes at the start of the Thursday.
    await stack.skipTo('2028-04-13T08:00:30Z');
    const [warning] = await smtp.waitFor(
      (mail) => mail.messageId === '<cpp-A1.cp-age-18-review.1.r0.warning-1@test.example>',
    );
    expect(warning!.to).toEqual(['social-worker@example.test', 'cp-chair@example.test']);

    await stack.skipTo('2028-07-14T16:00:30Z');
    const [missed] = await smtp.waitFor(
      (mail) => mail.messageId === '<cpp-A1.cp-age-18-review.1.r0.overdue@test.example>',
    );
    expect(missed!.to).toEqual([
      'team-manager@example.test',
      'pgl@example.test',
      'cp-chair@example.test',
      'qa-bstl@example.test',
    ]); // X-CONF
    expect((await handle.query(m.getStateQuery)).stage).toBe('active');

    await stack.skipTo('2028-07-15T00:00:30Z');
    state = await handle.query(m.getStateQuery);
    expect(state).toMatchObject({ stage: 'ending', ending: { reason: 'age_18', at: '2028-07-14T22:59:59.000Z' } });
    expect(due(state, 'cp-age-18-review')).toMatchObject({ status: 'cancelled', cancelledBy: 'system' });
    // What stays: the notice to the agencies, and the initial conference's outputs nobody recorded.
    expect(open(state).sort()).toEqual([
      'cp-discontinue-notify',
      'cp-minutes-circulate',
      'cp-outcome-circulate',
      'cp-outline-plan',
      'cp-record-plan-circulate',
    ]);
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe('2028-07-17T16:00:00.000Z'); // the next working day

    // Nothing of the plan keeps firing after its end: only the notice still owed (the outputs' ladders ran out in the spring).
    const sentBefore = smtp.messages.length;
    await stack.skipTo('2028-08-15T10:00:00Z');
    const after = smtp.messages.slice(sentBefore).filter((mail) => mail.messageId?.startsWith('<cpp-A1.'));
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((mail) => mail.messageId!.startsWith('<cpp-A1.cp-discontinue-notify.'))).toBe(true);
    await settle(handle);
  });

  it('death: the plan ends, managers are prompted for the Need to Know briefing, and later endings are refused', async () => {
    await stack.skipTo('2028-08-16T10:00:00Z');
    const handle = await start('D1', { icpcHeldAt: '2028-08-16T10:00:00.000Z', childDateOfBirth: '2015-01-02' });
    const state = await act(handle, m.childDiedUpdate, {
      args: [{ at: '2028-08-16T12:00:00.000Z', actor: actors.teamManager }],
    });
    expect(state).toMatchObject({ stage: 'ending', ending: { reason: 'died' } });
    expect(open(state).sort()).toEqual([
      'cp-discontinue-notify',
      'cp-minutes-circulate',
      'cp-outcome-circulate',
      'cp-outline-plan',
      'cp-record-plan-circulate',
    ]);
    const [prompt] = await smtp.waitFor((mail) => mail.messageId === '<cpp-D1.child-died@test.example>');
    expect(prompt!.to).toEqual(['team-manager@example.test', 'pgl@example.test', 'head-of-service@example.test']);
    expect(prompt!.text).toContain('Need to Know category 2');
    await expect(
      handle.executeUpdate(m.childLeftUkUpdate, {
        args: [{ at: '2028-08-17T10:00:00.000Z', actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject(rejection(/already ended \(died\)/));
    await settle(handle);
  });
});
