/**
 * How a child protection plan starts after a transfer-in and ends without a review conference
 * (docs/deadlines.md §4.1, D2.5, §4.5): moved away, 18th birthday, death. Time-skipping server.
 */
import { describe, expect, it } from 'vitest';
import type { PlanInput, PlanState } from '../../src/processes/child-protection-plan/schemas';
import { childProtectionPlan } from '../../workflows';
import * as m from '../../workflows/child-protection-plan/messages';
import { getStateQuery as incidentState } from '../../workflows/serious-incident/messages';
import { actors } from '../helpers/s47';
import { actOn } from '../helpers/act';
import { useTimeSkippingStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  addMonths,
  addWD,
  dayOf,
  holiday,
  inBst,
  isWorkingDay,
  lastSecond,
  monthsDue,
  on,
  plusMs,
  sod,
  wdDue,
} from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

const due = (state: PlanState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;
const open = (state: PlanState) =>
  state.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue').map((d) => d.id);
/** Starts a plan and waits for the start's answer: a query could overtake the first workflow task. */
const start = async (planId: string, plan: Partial<PlanInput>) => {
  const handle = await stack.env.client.workflow.start(childProtectionPlan, {
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
    // A Monday in winter: the conference on day 10 is in GMT, its first review three months on in BST.
    const t = await stack.base({
      weekday: 'Monday',
      where: (d) =>
        isWorkingDay(d) &&
        isWorkingDay(addDays(d, 10)) &&
        !inBst(addDays(d, 10)) &&
        inBst(addMonths(addDays(d, 10), 3)),
    });
    await skipTo(t.at(0, '10:00')); // Monday
    const handle = await start('T1', {
      transferIn: { notifiedAt: t.at(0, '10:00'), fromAuthority: 'Another Council' },
    });
    let state = await handle.query(m.getStateQuery);
    expect(state.stage).toBe('transfer_in');
    expect(open(state)).toEqual(['cp-transfer-in-conference']);
    expect(due(state, 'cp-transfer-in-conference').dueAt).toBe(wdDue(t.day0, 15)); // 15 WD (004 WT ch.1 p.52)
    await expect(
      handle.executeUpdate(m.visitRecordedUpdate, {
        args: [{ visitedAt: t.at(1, '10:00'), childSeen: true, actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject(rejection(/the plan is transfer in/));

    await skipTo(t.at(10, '10:00'));
    state = await act(handle, m.transferInConferenceHeldUpdate, {
      args: [{ heldAt: t.at(10, '10:00'), decision: 'cp_plan', actor: actors.chair }],
    });
    expect(state.stage).toBe('active');
    expect(due(state, 'cp-transfer-in-conference')).toMatchObject({ status: 'met', breached: false });
    expect(due(state, 'cp-first-core-group').dueAt).toBe(wdDue(t.day(10), 10)); // 10 WD from this conference
    expect(due(state, 'cp-first-rcpc').dueAt).toBe(monthsDue(t.day(10), 3)); // 3 months (BST)
    await expect(
      handle.executeUpdate(m.receivingConferenceHeldUpdate, {
        args: [{ at: t.at(11, '10:00'), actor: actors.socialWorker }],
      }),
    ).rejects.toMatchObject(rejection(/no move to another authority/));

    state = await act(handle, m.childMovedUpdate, {
      args: [{ toAuthority: 'Receiving Council', notifiedAt: t.at(22, '10:00'), actor: actors.socialWorker }],
    });
    const watch = wdDue(t.day(22), 15);
    expect(due(state, 'cp-transfer-out-watch').dueAt).toBe(watch); // 15 WD from telling the receiving authority
    await skipTo(plusMs(watch, 30_000));
    const [chase] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<cpp-T1.cp-transfer-out-watch.1.r0.overdue@test.example>',
    );
    expect(chase!.to).toEqual(['team-manager@example.test', 'pgl@example.test', 'cp-chair@example.test']);
    state = await handle.query(m.getStateQuery);
    expect(state.stage).toBe('active'); // the plan stays open until the receiving conference (⚠C-42)
    expect(open(state)).toContain('cp-visit');

    const received = addWD(dayOf(watch), 2); // the receiving conference, two working days late
    state = await act(handle, m.receivingConferenceHeldUpdate, {
      args: [{ at: on(received, '10:00'), actor: actors.socialWorker }],
    });
    expect(state).toMatchObject({
      stage: 'ending',
      ending: { reason: 'moved', at: on(received, '10:00') },
      transferOut: { toAuthority: 'Receiving Council' },
    });
    expect(due(state, 'cp-transfer-out-watch')).toMatchObject({ status: 'met', breached: true });
    for (const id of ['cp-visit', 'cp-first-core-group', 'cp-first-rcpc', 'sup-cp', 'cp-assessment-6-monthly'])
      expect(due(state, id).status).toBe('cancelled');
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe(wdDue(received, 1)); // [P] 1 WD
    expect(state.deadlines.some((d) => d.id === 'cp-cin-after-plan')).toBe(false); // the receiving authority takes over
    await settle(handle);
  });

  it('18th birthday: a warning 3 months ahead, the missed review escalates, and the plan ends by itself at the end of the birthday', async () => {
    // The conference 135 days before an 18th birthday on a working day three months after a Good Friday.
    const t = await stack.base({
      where: (d) => {
        const birthday = addDays(d, 135);
        const goodFriday = holiday('Good Friday', Number(d.slice(0, 4)));
        return isWorkingDay(d) && isWorkingDay(birthday) && addMonths(birthday, -3) === goodFriday;
      },
    });
    const birthday = t.day(135);
    const goodFriday = addMonths(birthday, -3);
    await skipTo(t.at(0, '10:00'));
    const handle = await start('A1', { icpcHeldAt: t.at(0, '10:00'), childDateOfBirth: addMonths(birthday, -216) });
    let state = await handle.query(m.getStateQuery);
    // ⚠C-40 [P]: no later than the birthday (end of its working day).
    expect(due(state, 'cp-age-18-review')).toMatchObject({
      dueAt: monthsDue(addMonths(birthday, -216), 216),
      statutoryDueAt: lastSecond(birthday),
    });
    expect(due(state, 'cp-age-18-review').dueAt).toBe(wdDue(birthday, 0));

    // Three months before is Good Friday: the warning comes at the start of the Thursday.
    expect(goodFriday).toBe(holiday('Good Friday', Number(goodFriday.slice(0, 4))));
    await skipTo(plusMs(sod(addWD(goodFriday, -1)), 30_000));
    const [warning] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<cpp-A1.cp-age-18-review.1.r0.warning-1@test.example>',
    );
    expect(warning!.to).toEqual(['social-worker@example.test', 'cp-chair@example.test']);

    await skipTo(plusMs(wdDue(birthday, 0), 30_000));
    const [missed] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<cpp-A1.cp-age-18-review.1.r0.overdue@test.example>',
    );
    expect(missed!.to).toEqual([
      'team-manager@example.test',
      'pgl@example.test',
      'cp-chair@example.test',
      'qa-bstl@example.test',
    ]); // X-CONF
    expect((await handle.query(m.getStateQuery)).stage).toBe('active');

    await skipTo(plusMs(lastSecond(birthday), 31_000));
    state = await handle.query(m.getStateQuery);
    expect(state).toMatchObject({ stage: 'ending', ending: { reason: 'age_18', at: lastSecond(birthday) } });
    expect(due(state, 'cp-age-18-review')).toMatchObject({ status: 'cancelled', cancelledBy: 'system' });
    // What stays: the notice to the agencies, and the initial conference's outputs nobody recorded.
    expect(open(state).sort()).toEqual([
      'cp-discontinue-notify',
      'cp-minutes-circulate',
      'cp-outcome-circulate',
      'cp-outline-plan',
      'cp-record-plan-circulate',
    ]);
    expect(due(state, 'cp-discontinue-notify').dueAt).toBe(wdDue(birthday, 1)); // the next working day

    // Nothing of the plan keeps firing after its end: only the notice still owed (the outputs' ladders ran out in the spring).
    const sentBefore = stack.smtp.messages.length;
    await skipTo(on(addDays(birthday, 32), '10:00'));
    const after = stack.smtp.messages.slice(sentBefore).filter((mail) => mail.messageId?.startsWith('<cpp-A1.'));
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((mail) => mail.messageId!.startsWith('<cpp-A1.cp-discontinue-notify.'))).toBe(true);
    await settle(handle);
  });

  it('death: the plan ends, the serious incident starts (it raises the briefing), and later endings are refused', async () => {
    const t = await stack.base({ where: isWorkingDay });
    await skipTo(t.at(0, '10:00'));
    const handle = await start('D1', { icpcHeldAt: t.at(0, '10:00'), childDateOfBirth: addMonths(t.day0, -163) });
    const state = await act(handle, m.childDiedUpdate, {
      args: [{ at: t.at(0, '12:00'), actor: actors.teamManager }],
    });
    expect(state).toMatchObject({ stage: 'ending', ending: { reason: 'died' } });
    expect(open(state).sort()).toEqual([
      'cp-discontinue-notify',
      'cp-minutes-circulate',
      'cp-outcome-circulate',
      'cp-outline-plan',
      'cp-record-plan-circulate',
    ]);
    // Patch cp-death-starts-incident: the incident (category 2 item 3, the Panel decision) replaces the old prompt.
    expect(state.links.incident).toBe('incident-died-C1');
    const incident = stack.env.client.workflow.getHandle('incident-died-C1');
    await expect
      .poll(async () => (await incident.query(incidentState)).links.briefings, { timeout: 20_000 })
      .toEqual(['ntk-incident-died-C1-cat2-item3']);
    expect(stack.smtp.messages.some((mail) => mail.messageId === '<cpp-D1.child-died@test.example>')).toBe(false);
    await expect(
      handle.executeUpdate(m.childLeftUkUpdate, {
        args: [{ at: t.at(1, '10:00'), actor: actors.teamManager }],
      }),
    ).rejects.toMatchObject(rejection(/already ended \(died\)/));
    await settle(handle);
  });
});
