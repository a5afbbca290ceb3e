/**
 * The key-event process (docs/deadlines.md §7.2, §6.4) on the time-skipping server: the 3-month
 * out-of-education trigger and what a return does before and after it, the end-of-life trigger,
 * and `kev-cj-notify` with its breach notice.
 */
import { describe, expect, it } from 'vitest';
import type { KeyEventDetails, KeyEventInput, KeyEventState } from '../../src/processes/key-event/schemas';
import type { NeedToKnowState } from '../../src/processes/need-to-know/schemas';
import { keyEvent } from '../../workflows';
import * as m from '../../workflows/key-event/messages';
import { getStateQuery as briefingStateQuery } from '../../workflows/need-to-know/messages';
import { armed } from '../helpers/act';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, addMonths, isWorkingDay, monthsDue, on, plusMs, wdDue, weekday } from '../helpers/time-base';

const stack = useTimeSkippingStack();
const { skipTo } = stack;

const sw = { id: 'sw-1', roles: ['social_worker' as const] };
const deadline = (state: KeyEventState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1);

function input(eventId: string, at: string, details: KeyEventDetails, lookedAfter = true): KeyEventInput {
  return {
    eventId,
    caseReference: `CASE-${eventId}`,
    child: {
      reference: `CH-${eventId}`,
      lookedAfter,
      onPlan: false,
      legalStatus: lookedAfter ? 'care_order' : 'cin',
    },
    occurredAt: at,
    knownAt: at,
    details,
    people: {},
  };
}

async function start(keyEventInput: KeyEventInput) {
  const handle = await startProcess(stack.env.client, keyEvent, {
    taskQueue: TASK_QUEUE,
    workflowId: `kev-${keyEventInput.eventId}`,
    args: [keyEventInput],
  });
  return { handle, state: await armed(handle, m.getStateQuery) };
}
const briefingState = (workflowId: string) =>
  stack.env.client.workflow.getHandle(workflowId).query(briefingStateQuery) as Promise<NeedToKnowState>;
const closed = async (handle: Awaited<ReturnType<typeof start>>['handle']) =>
  expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');

describe('key events (§7.2, §6.4)', () => {
  it('out of education: raises category 3 item 6 at the start of the day 3 months on; a later return tells the briefing', async () => {
    // 3 months on is a Saturday: the months rule's EOD would move back to Friday 17:00, before 3 months were up.
    const t = await stack.base({ where: (d) => weekday(addMonths(d, 3)) === 6 });
    const since = t.day(0);
    const threshold = addMonths(since, 3);
    await skipTo(t.at(1, '10:00'));
    const { handle, state } = await start(
      input('KO1', t.at(1, '10:00'), { kind: 'out-of-education', outOfEducationSince: since }),
    );
    const trigger = deadline(state, 'ntk-trigger-out-of-education')!;
    expect(trigger).toMatchObject({ status: 'pending', anchorAt: on(since, '00:00'), dueAt: on(threshold, '00:00') });
    expect(trigger.dueAt > monthsDue(since, 3)).toBe(true);

    await skipTo(plusMs(on(threshold, '00:00'), -60_000));
    expect((await handle.query(m.getStateQuery)).links.briefings).toEqual([]);
    await skipTo(plusMs(on(threshold, '00:00'), 60_000));
    await expect
      .poll(async () => (await handle.query(m.getStateQuery)).links.briefings, { timeout: 10_000 })
      .toEqual(['ntk-kev-KO1-cat3-item6']);
    const fired = await handle.query(m.getStateQuery);
    expect(deadline(fired, 'ntk-trigger-out-of-education')).toMatchObject({
      status: 'met',
      metBy: 'system',
      metAt: on(threshold, '00:00'),
      breached: false,
    });
    const raised = await briefingState('ntk-kev-KO1-cat3-item6');
    expect(raised).toMatchObject({
      stage: 'awaiting_hos_decision',
      case: { category: 3, item: 6 },
      automatic: { trigger: 'ntk-trigger-out-of-education' },
      links: { raisedBy: 'kev-KO1' },
    });
    const [decision] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<ntk-kev-KO1-cat3-item6.briefing.v1.decision_needed@test.example>',
    );
    expect(decision!.text).toContain(`Known facts: Out of education since ${since}: 3 months.`);

    // Back in education after the briefing was raised: its readers hear of it.
    const backAt = on(addDays(threshold, 3), '10:00');
    await skipTo(plusMs(backAt, 60_000));
    const back = await handle.executeUpdate(m.returnedToEducationUpdate, {
      args: [{ eventId: 'KO1-R', at: backAt, actor: sw }],
    });
    expect(back.eventIds).toEqual(['KO1', 'KO1-R']);
    await expect
      .poll(async () => (await briefingState('ntk-kev-KO1-cat3-item6')).events.map((e) => e.type), { timeout: 10_000 })
      .toContain('raising_process_event');
    const [news] = await stack.smtp.waitFor((mail) =>
      mail.messageId.startsWith('<ntk-kev-KO1-cat3-item6.raising-event.'),
    );
    expect(news!.to).toEqual(['pgl@example.test']);
    expect(news!.text).toContain(`The child returned to education at ${backAt}.`);
    await closed(handle);
  });

  it('out of education: a return before 3 months cancels the trigger and raises nothing', async () => {
    const t = await stack.base({ weekday: 'Monday' });
    const since = t.day(0);
    await skipTo(t.at(0, '10:00'));
    const { handle } = await start(
      input('KO2', t.at(0, '10:00'), { kind: 'out-of-education', outOfEducationSince: since }),
    );
    await skipTo(t.at(20, '10:00'));
    const back = await handle.executeUpdate(m.returnedToEducationUpdate, {
      args: [{ eventId: 'KO2-R', at: t.at(20, '09:00'), actor: sw }],
    });
    expect(deadline(back, 'ntk-trigger-out-of-education')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'the child returned to education',
    });
    await closed(handle);
    await skipTo(on(addDays(addMonths(since, 3), 1), '10:00'));
    const after = await handle.query(m.getStateQuery);
    expect(after.links.briefings).toEqual([]);
    await expect(briefingState('ntk-kev-KO2-cat3-item6')).rejects.toThrow();
  });

  it('a prognosis: for a looked-after child ntk-trigger-end-of-life is met at once with the briefing raised; otherwise nothing', async () => {
    const t = await stack.base({ weekday: 'Tuesday' });
    await skipTo(t.at(0, '10:00'));
    // Made at 09:00, reported at 10:00: the trigger counts from the report, the briefing's concern from the prognosis.
    const { handle, state } = await start({
      ...input('KE1', t.at(0, '10:00'), { kind: 'prognosis-recorded', prognosis: 'death_within_12_months' }),
      occurredAt: t.at(0, '09:00'),
    });
    expect(state.links.briefings).toEqual(['ntk-kev-KE1-cat3-item9']);
    expect(deadline(state, 'ntk-trigger-end-of-life')).toMatchObject({
      status: 'met',
      metBy: 'system',
      breached: false,
    });
    expect(deadline(state, 'ntk-trigger-end-of-life')).toMatchObject({ anchorAt: t.at(0, '10:00') });
    expect(await briefingState('ntk-kev-KE1-cat3-item9')).toMatchObject({ case: { category: 3, item: 9 } });
    expect(stack.smtp.messages.some((mail) => mail.messageId.startsWith('<kev-KE1.ntk-trigger-end-of-life'))).toBe(
      false,
    );
    await closed(handle);

    const other = await start(
      input('KE2', t.at(0, '09:00'), { kind: 'prognosis-recorded', prognosis: 'death_within_12_months' }, false),
    );
    expect(other.state.links.briefings).toEqual([]);
    expect(deadline(other.state, 'ntk-trigger-end-of-life')).toBeUndefined();
    await closed(other.handle);
  });

  it('a criminal justice event: kev-cj-notify due 1 WD; missed, the team manager is told', async () => {
    const t = await stack.base({ weekday: 'Thursday', where: (d) => isWorkingDay(d) && isWorkingDay(addDays(d, 1)) });
    await skipTo(t.at(0, '11:00'));
    const { handle, state } = await start(
      input('KC1', t.at(0, '11:00'), {
        kind: 'criminal-justice-event',
        justice: { kind: 'yjs_client', offenceSerious: false },
      }),
    );
    expect(deadline(state, 'kev-cj-notify')).toMatchObject({ status: 'pending', dueAt: wdDue(t.day(0), 1) });
    expect(state.links.briefings).toEqual([]);
    await skipTo(plusMs(wdDue(t.day(0), 1), 60_000));
    const [overdue] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<kev-KC1.kev-cj-notify.1.r0.overdue@test.example>',
    );
    expect(overdue!.to).toEqual(['team-manager@example.test']);
    expect(overdue!.subject).toContain('kev-cj-notify');
    const met = await handle.executeUpdate(m.cjNotifiedUpdate, { args: [{ actor: sw }] });
    expect(deadline(met, 'kev-cj-notify')).toMatchObject({ status: 'met', breached: true, metBy: 'sw-1' });
    await closed(handle);
  });
});
