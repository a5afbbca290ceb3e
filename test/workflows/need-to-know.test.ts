import { describe, expect, it } from 'vitest';
import type { NeedToKnowInput, NeedToKnowState } from '../../src/processes/need-to-know/schemas';
import { needToKnow } from '../../workflows';
import { AUTHOR_COPY_PATCH } from '../../workflows/need-to-know/workflow';
import {
  directorRequestUpdate,
  getStateQuery,
  hosDecisionUpdate,
  pglResponseUpdate,
  updateSentUpdate,
} from '../../workflows/need-to-know/messages';
import { ntkInput } from '../helpers/need-to-know';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  clockChange,
  daysDue,
  eod,
  firstDay,
  holiday,
  inBst,
  isHoliday,
  isWorkingDay,
  plusHours,
  plusMs,
  sod,
  wdDue,
  type Weekday,
} from '../helpers/time-base';

// One time-skipping server for the file; each scenario takes its own time base from its clock.
const stack = useTimeSkippingStack();
const { skipTo } = stack;

async function start(input: NeedToKnowInput) {
  return startProcess(stack.env.client, needToKnow, {
    taskQueue: TASK_QUEUE,
    workflowId: `ntk-${input.briefingId}`,
    args: [input],
  });
}

const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const deadline = (state: NeedToKnowState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;
const year = (day: string) => Number(day.slice(0, 4));
/** A working day of the given weekday whose next `clear` days are working days too (nothing but the weekend between). */
const workingDay = (weekday: Weekday, clear: number[] = []) =>
  stack.base({ weekday, where: (d) => [0, ...clear].every((n) => isWorkingDay(addDays(d, n))) });

describe('Need to Know workflow on the time-skipping server', () => {
  it('category 2 answered in time: draft to the PGL, approved briefing to the Director, no fallback', async () => {
    const t = await workingDay('Tuesday');
    const at = t.at(0, '10:00');
    await skipTo(at); // Tuesday 10:00
    const input = ntkInput('T1', at);
    const handle = await start(input);
    const [draft] = await stack.smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.draft@test.example>');
    expect(draft!.to).toEqual(['pgl@example.test']);
    expect(draft!.cc).toEqual(['head-of-service@example.test']);
    expect(draft!.text).toContain('Test Child');

    await stack.env.sleep(60 * 60_000);
    const state = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(state.stage).toBe('with_director');
    const [approved] = await stack.smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.approved@test.example>');
    expect(approved!.to).toEqual(['director@example.test']);
    expect(approved!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    // New workflows run the patched code: the author is told the Director has it.
    const [copy] = await stack.smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.author-copy@test.example>');
    expect(copy!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    const history = await handle.fetchHistory();
    const patchMarkers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    const patches = patchMarkers.map((e) =>
      Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString(),
    );
    // The evidence store's marker first (the run's start), then the author's copy.
    expect(patches).toHaveLength(2);
    expect(patches[0]).toContain('evidence-store');
    expect(patches[1]).toContain(AUTHOR_COPY_PATCH);

    const director = deadline(state, 'ntk-cat2-director');
    expect(director).toMatchObject({
      status: 'met',
      metBy: 'pgl-1',
      dueAt: eod(t.day0),
      breached: false,
    });
    expect(deadline(state, 'ntk-cat2-draft')).toMatchObject({
      status: 'met',
      metBy: 'sw-1',
      dueAt: plusHours(at, 2),
    });
    expect(deadline(state, 'ntk-update-due')).toMatchObject({
      status: 'pending',
      dueAt: daysDue(input.briefing.updateExpectedOn, 0),
    });

    await skipTo(t.at(0, '18:00'));
    const fallbacks = stack.smtp.messages.filter((m) => m.messageId.includes('ntk-T1.briefing.v1.not_yet_reviewed'));
    expect(fallbacks).toHaveLength(0);
  });

  it('no answer: the latest draft reaches the Director exactly at 17:00, marked not yet reviewed', async () => {
    const t = await workingDay('Wednesday');
    await skipTo(t.at(0, '11:00'));
    const input = ntkInput('T2', t.at(0, '11:00'));
    // A summer date: London midnight is 23:00 UTC the day before.
    const summer = firstDay(t.day(7), (d) => inBst(d) && isWorkingDay(d));
    input.briefing.updateExpectedOn = summer;
    const handle = await start(input);
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T2.briefing.v1.draft@test.example>');
    await skipTo(plusMs(eod(t.day0), 30_000));
    const [fallback] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-T2.briefing.v1.not_yet_reviewed@test.example>',
    );
    expect(fallback!.to).toEqual(['director@example.test']);
    expect(fallback!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(fallback!.subject).toContain('NOT YET REVIEWED');
    // The PGL was warned at due − 25 % (15:30).
    const [warning] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-T2.ntk-cat2-director.1.r0.warning-1@test.example>',
    );
    expect(warning!.to).toEqual(['pgl@example.test']);

    const state = await handle.query(getStateQuery);
    expect(state.stage).toBe('with_director_unreviewed');
    expect(state.directorHas).toBe('not_yet_reviewed');
    const director = deadline(state, 'ntk-cat2-director');
    expect(director).toMatchObject({
      status: 'met',
      metBy: 'system',
      dueAt: eod(t.day0),
      breached: false,
    });
    expect(Date.parse(director.metAt!) - Date.parse(director.dueAt)).toBeLessThan(1_000);

    // The PGL may still approve: the Director then gets the reviewed version.
    const after = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(after.stage).toBe('with_director');
    // The approved briefing promises the same date: the update deadline is not moved.
    expect(deadline(after, 'ntk-update-due')).toMatchObject({ dueAt: daysDue(summer, 0), rescheduled: [] });
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T2.briefing.v1.approved@test.example>');
  });

  it('concern raised Friday 18:00: the fallback goes at 09:00 on Monday', async () => {
    const t = await workingDay('Friday', [3]);
    await skipTo(t.at(0, '18:00'));
    const handle = await start(ntkInput('T3', t.at(0, '18:00')));
    await skipTo(t.at(3, '08:59'));
    expect(stack.smtp.messages.some((m) => m.messageId.includes('ntk-T3.briefing.v1.not_yet_reviewed'))).toBe(false);
    await skipTo(t.at(3, '09:00:30'));
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T3.briefing.v1.not_yet_reviewed@test.example>');
    const state = await handle.query(getStateQuery);
    const director = deadline(state, 'ntk-cat2-director');
    expect(director).toMatchObject({ dueAt: sod(t.day(3)), status: 'met' });
    expect(Date.parse(director.metAt!) - Date.parse(director.dueAt)).toBeLessThan(1_000);
  });

  it('concern on the eve of Good Friday: the fallback waits for 09:00 on the Tuesday after Easter Monday', async () => {
    // Thursday; Good Friday and Easter Monday are bank holidays; BST starts on Easter Sunday.
    const t = await stack.base({
      weekday: 'Thursday',
      where: (d) => isHoliday('Good Friday', addDays(d, 1)) && clockChange(year(d), 'March') === addDays(d, 3),
    });
    expect([t.day(1), t.day(4)]).toEqual([
      holiday('Good Friday', year(t.day0)),
      holiday('Easter Monday', year(t.day0)),
    ]);
    await skipTo(t.at(0, '18:00'));
    const handle = await start(ntkInput('T4', t.at(0, '18:00')));
    const state = await handle.query(getStateQuery);
    expect(deadline(state, 'ntk-cat2-director').dueAt).toBe(sod(t.day(5))); // 09:00 BST on the Tuesday
    await skipTo(plusMs(sod(t.day(5)), 30_000));
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T4.briefing.v1.not_yet_reviewed@test.example>');
  });

  it('category 3, inform: the HoS decides, then the PGL approves for the Director', async () => {
    const t = await workingDay('Tuesday');
    await skipTo(t.at(0, '10:30'));
    const handle = await start(ntkInput('T5', t.at(0, '10:30'), { category: 3, item: 5 }));
    const [ask] = await stack.smtp.waitFor((m) => m.messageId === '<ntk-T5.briefing.v1.decision_needed@test.example>');
    expect(ask!.to).toEqual(['head-of-service@example.test']);
    await stack.env.sleep(2 * 3_600_000);
    const decided = await handle.executeUpdate(hosDecisionUpdate, { args: [{ decision: 'inform', actor: hos }] });
    expect(decided.stage).toBe('awaiting_pgl');
    expect(deadline(decided, 'ntk-cat3-hos-decision')).toMatchObject({ status: 'met', metBy: 'hos-1' });
    expect(deadline(decided, 'ntk-cat3-director')).toMatchObject({
      status: 'pending',
      dueAt: eod(t.day0),
    });
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T5.briefing.v1.draft@test.example>');
    const approved = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(approved.stage).toBe('with_director');
  });

  it('category 3, do not inform: the rationale is recorded and the briefing closes', async () => {
    const t = await workingDay('Wednesday');
    await skipTo(t.at(0, '11:00'));
    const handle = await start(ntkInput('T6', t.at(0, '11:00'), { category: 3, item: 4 }));
    const result = await handle.executeUpdate(hosDecisionUpdate, {
      args: [{ decision: 'do_not_inform', rationale: 'Resolved the same day.', actor: hos }],
    });
    // Not handle.result(): waiting on a result lets the test server skip time for every other workflow.
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED');
    expect(result.status).toBe('closed');
    expect(result.hosDecision).toMatchObject({ decision: 'do_not_inform', rationale: 'Resolved the same day.' });
    expect(result.deadlines.every((d) => d.status !== 'pending')).toBe(true);
  });

  it('update reminder on the promised date, overdue at EOD, HoS at + 1 WD; an update stops it', async () => {
    const t = await workingDay('Thursday', [1, 4, 5]);
    await skipTo(t.at(0, '11:00'));
    const input = ntkInput('T7', t.at(0, '11:00'));
    input.briefing.updateExpectedOn = t.day(4); // Monday
    const handle = await start(input);
    await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await skipTo(t.at(4, '09:30')); // 09:30 on the promised date
    const [reminder] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.warning-1@test.example>',
    );
    expect(reminder!.subject).toContain('ntk-update-due');
    await skipTo(plusMs(wdDue(t.day(4), 1), 30 * 60_000)); // past EOD on the date and EOD + 1 WD
    const [overdue] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.overdue@test.example>',
    );
    expect(overdue!.to).toEqual([
      'social-worker@example.test',
      'advanced-practitioner@example.test',
      'pgl@example.test',
    ]);
    const [hosNotice] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.escalation-1@test.example>',
    );
    expect(hosNotice!.to).toEqual(['head-of-service@example.test']);
    const state = await handle.executeUpdate(updateSentUpdate, {
      args: [
        {
          summary: 'Child found safe.',
          nextUpdateExpectedOn: t.day(12),
          actor: { id: 'sw-1', roles: ['social_worker'] },
        },
      ],
    });
    const first = state.deadlines.find((d) => d.id === 'ntk-update-due' && d.occurrence === 1)!;
    expect(first).toMatchObject({ status: 'met', breached: true, escalationLevel: 1 });
    expect(deadline(state, 'ntk-update-due')).toMatchObject({
      occurrence: 2,
      status: 'pending',
      dueAt: daysDue(t.day(12), 0),
    });
  });

  it('a refused address is visible in the state and the obligation stays open until met', async () => {
    const t = await workingDay('Tuesday');
    await skipTo(t.at(0, '11:00'));
    for (const address of ['pgl@example.test', 'head-of-service@example.test']) stack.smtp.refusing.add(address);
    const handle = await start(ntkInput('T8', t.at(0, '11:00')));
    await expect
      .poll(async () => (await handle.query(getStateQuery)).events.map((e) => e.type))
      .toContain('email_failed');
    let state = await handle.query(getStateQuery);
    expect(state.events.find((e) => e.type === 'email_failed')!.summary).toContain('PermanentSmtpFailure');
    expect(deadline(state, 'ntk-cat2-draft').status).toBe('pending');

    await skipTo(plusMs(t.at(0, '13:00'), 30_000)); // past the 2-hour draft deadline
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-T8.ntk-cat2-draft.1.r0.overdue@test.example>');
    state = await handle.query(getStateQuery);
    const draft = deadline(state, 'ntk-cat2-draft');
    expect(draft).toMatchObject({ status: 'overdue', breached: true });
    expect(draft.notifications.at(-1)).toMatchObject({ status: 'sent', rejected: ['pgl@example.test'] });
    stack.smtp.refusing.clear();
  });

  it('a Director request for more information brings the update forward to the next working day', async () => {
    const t = await workingDay('Wednesday');
    await skipTo(t.at(0, '10:00')); // Wednesday 10:00
    const input = ntkInput('T9', t.at(0, '10:00'));
    const handle = await start(input);
    await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    const state = await handle.executeUpdate(directorRequestUpdate, {
      args: [{ request: 'Has the placement been searched again?', actor: { id: 'director-1', roles: ['director'] } }],
    });
    const update = deadline(state, 'ntk-update-due');
    expect(update).toMatchObject({ status: 'pending', dueAt: wdDue(t.day0, 1) });
    expect(update.rescheduled).toEqual([
      expect.objectContaining({
        from: daysDue(input.briefing.updateExpectedOn, 0),
        to: wdDue(t.day0, 1),
        by: 'director-1',
      }),
    ]);
    const [asked] = await stack.smtp.waitFor(
      (m) => m.subject.includes('The Director asks for more information') && m.text.includes('CASE-T9'),
    );
    expect(asked!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    expect(asked!.text).toContain('Has the placement been searched again?');
  });
});
