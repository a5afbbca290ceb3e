/**
 * The record tells the truth about when things happened and who was told (on the time-skipping
 * server): an event that happened before its due time is on time however late it is entered; a
 * send meets a deadline only when it reached the role the deadline is for; every process
 * recomputes its open deadlines after a calendar change (docs/deadlines.md §1.4).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../src/process';
import { childProtectionPlan, lookedAfterChild, needToKnow, s47Enquiry } from '../../workflows';
import * as cpp from '../../workflows/child-protection-plan/messages';
import * as lac from '../../workflows/looked-after-child/messages';
import * as ntk from '../../workflows/need-to-know/messages';
import * as s47 from '../../workflows/s47-enquiry/messages';
import { emergency } from '../helpers/looked-after';
import { ntkInput } from '../helpers/need-to-know';
import { actors, s47Input } from '../helpers/s47';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, isWorkingDay, plusHours, type Weekday } from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

/** A working day of the given weekday whose days at `offsets` are working days too. */
const workingDay = (weekday: Weekday, offsets: number[] = []) =>
  stack.base({ weekday, where: (d) => [0, ...offsets].every((n) => isWorkingDay(addDays(d, n))) });

const admin = { id: 'admin-1', roles: ['administrator' as const] };
const sw = { id: 'sw-1', roles: ['social_worker' as const] };
const find = (state: { deadlines: DeadlineView[] }, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;
const start = <W extends typeof s47Enquiry | typeof needToKnow | typeof childProtectionPlan | typeof lookedAfterChild>(
  workflow: W,
  workflowId: string,
  args: Parameters<W>,
) =>
  startProcess(stack.env.client, workflow, { taskQueue: TASK_QUEUE, workflowId, args } as never) as Promise<
    WorkflowHandle<W>
  >;

describe('the record tells the truth', () => {
  it('an event that happened before its due time is met on time, though entered after the overdue notice', async () => {
    const t = await workingDay('Tuesday', [1, 2]);
    const received = t.at(0, '10:00');
    await skipTo(received);
    const handle = await start(s47Enquiry, 's47-TR1', [s47Input('TR1', received)]);
    const entered = plusHours(received, 48.5);
    await skipTo(entered); // referrer-feedback (48 h) fell due half an hour ago
    await stack.smtp.waitFor((m) => m.messageId === '<s47-TR1.referrer-feedback.1.r0.overdue@test.example>');

    await handle.executeUpdate(s47.referrerFeedbackUpdate, {
      args: [{ actor: actors.mashOfficer, at: plusHours(received, 47) }],
    });
    const feedback = find(await handle.query(s47.getStateQuery), 'referrer-feedback');
    expect(feedback).toMatchObject({ status: 'met', breached: false, metAt: plusHours(received, 47) });
    expect(Date.parse(feedback.recordedAt!)).toBeGreaterThanOrEqual(Date.parse(entered));
    expect(feedback.notifications.map((n) => n.kind)).toContain('overdue'); // the notice that went out stays on record

    // Done after the due time stays a breach.
    await handle.executeUpdate(s47.referrerAcknowledgedUpdate, {
      args: [{ actor: actors.mashOfficer, at: plusHours(received, 48.25) }],
    });
    expect(find(await handle.query(s47.getStateQuery), 'referral-ack-decision')).toMatchObject({
      status: 'met',
      breached: true,
    });
  });

  it('a draft whose email did not reach the PGL leaves ntk-cat2-draft open; a revised draft that reaches them meets it', async () => {
    const t = await workingDay('Monday');
    const at = t.at(0, '10:00');
    await skipTo(at);
    stack.smtp.refusing.add('pgl@example.test');
    const handle = await start(needToKnow, 'ntk-TR2', [ntkInput('TR2', at)]);
    await expect
      .poll(async () => (await handle.query(ntk.getStateQuery)).events.map((e) => e.type))
      .toContain('email_sent');
    let state = await handle.query(ntk.getStateQuery);
    expect(find(state, 'ntk-cat2-draft').status).toBe('pending'); // the copy reached the Head of Service only

    stack.smtp.refusing.delete('pgl@example.test');
    state = await handle.executeUpdate(ntk.briefingRevisedUpdate, {
      args: [{ actor: sw, briefing: { ...ntkInput('TR2', at).briefing, concern: 'Still missing.' } }],
    });
    expect(find(state, 'ntk-cat2-draft')).toMatchObject({ status: 'met', metBy: 'sw-1', breached: false });
  });

  it('the fallback that did not reach the Director does not meet the Director’s deadline', async () => {
    const t = await workingDay('Wednesday', [-1]);
    await skipTo(t.at(0, '10:00'));
    stack.smtp.refusing.add('director@example.test');
    try {
      // A concern of yesterday: the fallback to the Director is due already and fires at once.
      const handle = await start(needToKnow, 'ntk-TR3', [
        ntkInput('TR3', t.at(-1, '10:00'), { raisedAt: t.at(0, '10:00') }),
      ]);
      await stack.smtp.waitFor((m) => m.messageId === '<ntk-TR3.briefing.v1.not_yet_reviewed@test.example>');
      await expect.poll(async () => (await handle.query(ntk.getStateQuery)).stage).toBe('with_director_unreviewed');
      const director = find(await handle.query(ntk.getStateQuery), 'ntk-cat2-director');
      expect(director.status).toBe('overdue');
      expect(director.metAt).toBeUndefined();
    } finally {
      stack.smtp.refusing.delete('director@example.test');
    }
  });

  it('every process recomputes its open deadlines on an administrator’s request (§1.4)', async () => {
    const t = await workingDay('Thursday');
    const at = t.at(0, '10:00');
    await skipTo(at);
    const enquiry = await start(s47Enquiry, 's47-TR4', [s47Input('TR4', at)]);
    const plan = await start(childProtectionPlan, 'cpp-TR4', [
      { planId: 'TR4', caseReference: 'CASE-TR4', childReference: 'C1', icpcHeldAt: at, people: {} },
    ]);
    const episode = await start(lookedAfterChild, 'lac-TR4', [emergency('TR4', at)]);
    type State = { deadlines: DeadlineView[]; events: Array<{ type: string }> };
    const recomputed = async (handle: WorkflowHandle, update: { name: string }, query: { name: string }) => {
      await expect.poll(async () => (await handle.query<State>(query.name)).deadlines.length).toBeGreaterThan(0);
      await handle.executeUpdate(update.name, { args: [{ actor: admin }] });
      return (await handle.query<State>(query.name)).events.find((e) => e.type === 'deadlines_recomputed');
    };
    expect(await recomputed(enquiry, s47.recomputeDeadlinesUpdate, s47.getStateQuery)).toMatchObject({
      actor: 'admin-1',
      summary: '0 open deadline(s) moved by the new calendar',
    });
    expect(await recomputed(plan, cpp.recomputeDeadlinesUpdate, cpp.getStateQuery)).toMatchObject({ actor: 'admin-1' });
    expect(await recomputed(episode, lac.recomputeDeadlinesUpdate, lac.getStateQuery)).toMatchObject({
      actor: 'admin-1',
    });
  });
});
