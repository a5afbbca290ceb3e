/**
 * Missing episodes on the time-skipping server (§6.4, §7.2, §7.3; ⚠C-23, ⚠C-26): found before
 * the threshold nothing is raised; after it, the briefing raised at exactly the threshold runs its
 * whole path (author, PGL, the fallback to the Director) and hears that the child was found.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ChildStatus } from '../../src/api/child-events';
import type { DeadlineView } from '../../src/process';
import type { MissingEpisodeInput, MissingEpisodeState } from '../../src/processes/missing-episode/schemas';
import type { NeedToKnowState } from '../../src/processes/need-to-know/schemas';
import { missingEpisode } from '../../workflows';
import * as m from '../../workflows/missing-episode/messages';
import * as ntk from '../../workflows/need-to-know/messages';
import { ntkInput } from '../helpers/need-to-know';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import { addDays, eod, isBankHoliday, isWorkingDay, plusHours, plusMs, sod, weekday } from '../helpers/time-base';

const stack = useTimeSkippingStack();
const { skipTo } = stack;

const sw = { id: 'sw-1', roles: ['social_worker' as const] };
const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const LOOKED_AFTER: ChildStatus = { reference: 'CH-1', lookedAfter: true, onPlan: false, legalStatus: 'care_order' };
const ON_PLAN: ChildStatus = { reference: 'CH-1', lookedAfter: false, onPlan: true, legalStatus: 'cp_plan' };

const deadline = (state: { deadlines: DeadlineView[] }, id: string) =>
  state.deadlines.filter((d) => d.id === id).at(-1);
const ids = (state: { deadlines: DeadlineView[] }) => state.deadlines.map((d) => d.id);

function episodeInput(
  id: string,
  reportedMissingAt: string,
  extra: Partial<MissingEpisodeInput> = {},
): MissingEpisodeInput {
  return {
    episodeId: id,
    eventId: `EV-${id}`,
    caseReference: `CASE-${id}`,
    child: { ...LOOKED_AFTER, reference: `CH-${id}` },
    reportedMissingAt,
    exploitationConcern: false,
    withFamily: false,
    knownAt: reportedMissingAt,
    people: {},
    ...extra,
  };
}

const start = (input: MissingEpisodeInput) =>
  startProcess(stack.env.client, missingEpisode, {
    taskQueue: TASK_QUEUE,
    workflowId: `missing-${input.episodeId}`,
    args: [input],
  });
const found = (handle: WorkflowHandle, eventId: string, foundAt: string, circumstances?: string) =>
  handle.executeUpdate(m.foundUpdate, {
    args: [{ eventId, foundAt, ...(circumstances ? { circumstances } : {}), actor: sw }],
  });
const briefing = (id: string) => stack.env.client.workflow.getHandle(id);
const briefingState = (id: string) => briefing(id).query(ntk.getStateQuery) as Promise<NeedToKnowState>;
const exists = (id: string) =>
  briefing(id)
    .describe()
    .then(() => true)
    .catch(() => false);

/**
 * The run's end, without `handle.result()`: waiting on a result lets the test server skip time for
 * every other workflow (the briefings these episodes raised keep running).
 */
async function completed(handle: WorkflowHandle): Promise<MissingEpisodeState> {
  await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
  return handle.query(m.getStateQuery);
}

/** A Friday (a working day) whose Monday is a bank holiday, with the Tuesday a working day. */
const fridayBeforeBankHolidayMonday = () =>
  stack.base({
    weekday: 'Friday',
    where: (d) => isWorkingDay(d) && isBankHoliday(addDays(d, 3)) && isWorkingDay(addDays(d, 4)),
  });

describe('missing episode workflow on the time-skipping server', () => {
  it('(a) a looked-after child found at 47 hours: nothing raised, the trigger cancelled, kev-missing met', async () => {
    const t = await fridayBeforeBankHolidayMonday();
    const anchor = t.at(0, '16:00');
    await skipTo(anchor);
    const handle = await start(episodeInput('A', anchor));
    const armed = await handle.query(m.getStateQuery);
    expect(ids(armed)).toEqual(['kev-missing', 'ntk-trigger-lac-missing']);
    expect(deadline(armed, 'ntk-trigger-lac-missing')).toMatchObject({
      status: 'pending',
      dueAt: plusHours(anchor, 48),
    });
    // [P] kev-missing: no source timescale, due at the first threshold that applies.
    expect(deadline(armed, 'kev-missing')).toMatchObject({ status: 'pending', dueAt: plusHours(anchor, 48) });

    await skipTo(plusHours(anchor, 47));
    const after = await found(handle, 'EV-A-found', plusHours(anchor, 47));
    expect(after.stage).toBe('found');
    expect(deadline(after, 'ntk-trigger-lac-missing')).toMatchObject({
      status: 'cancelled',
      cancelReason: expect.stringContaining('found'),
    });
    expect(deadline(after, 'kev-missing')).toMatchObject({
      status: 'met',
      metAt: plusHours(anchor, 47),
      breached: false,
    });
    expect(after.links.briefings).toEqual([]);

    const closed = await completed(handle);
    expect(closed).toMatchObject({ stage: 'closed', status: 'closed', foundAt: plusHours(anchor, 47) });
    await skipTo(plusHours(anchor, 49));
    expect(await exists('ntk-missing-A-lac-missing')).toBe(false);
    expect(stack.smtp.messages.some((mail) => mail.messageId.includes('ntk-missing-A-'))).toBe(false);
  });

  it('(b) found at 49 hours: the briefing raised at exactly 48 hours, drafted, sent to the Director by the fallback, then told', async () => {
    const t = await fridayBeforeBankHolidayMonday();
    const anchor = t.at(0, '16:00');
    const at48 = plusHours(anchor, 48); // Sunday 16:00
    await skipTo(anchor);
    const handle = await start(episodeInput('B', anchor));
    const id = 'ntk-missing-B-lac-missing';

    await skipTo(plusMs(at48, 60_000));
    const [alert] = await stack.smtp.waitFor((mail) => mail.messageId.startsWith(`<${id}.raised.`));
    expect(alert!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    expect(alert!.cc).toEqual(['team-manager@example.test']);
    const raised = await handle.query(m.getStateQuery);
    expect(raised.links.briefings).toEqual([id]);
    expect(deadline(raised, 'ntk-trigger-lac-missing')).toMatchObject({ status: 'met', metBy: 'system', metAt: at48 });
    expect(deadline(raised, 'ntk-trigger-lac-missing')!.breached).toBe(false);

    const state = await briefingState(id);
    expect(state).toMatchObject({
      stage: 'awaiting_pgl',
      case: { category: 2, item: 4, brevity: 'brief' },
      automatic: { trigger: 'ntk-trigger-lac-missing', drafted: false },
      links: { raisedBy: 'missing-B' },
    });
    // The concern arose at the threshold, on a Sunday before a bank holiday Monday: ⚠C-22, SOD on the Tuesday.
    expect(weekday(t.day(2))).toBe(0);
    expect(deadline(state, 'ntk-cat2-director')).toMatchObject({
      anchorAt: at48,
      dueAt: sod(t.day(4)),
      status: 'pending',
    });
    expect(deadline(state, 'ntk-cat2-draft')).toMatchObject({ anchorAt: at48 });

    // The author drafts: the PGL gets it, copied to the HoS.
    await skipTo(plusHours(at48, 2));
    const draft = ntkInput('x', at48).briefing;
    await briefing(id).executeUpdate(ntk.briefingRevisedUpdate, {
      args: [{ briefing: { ...draft, child: { ...draft.child, reference: 'CH-B' } }, actor: sw }],
    });
    const [toPgl] = await stack.smtp.waitFor((mail) => mail.messageId === `<${id}.briefing.v2.draft@test.example>`);
    expect(toPgl!.to).toEqual(['pgl@example.test']);
    expect(toPgl!.cc).toEqual(['head-of-service@example.test']);

    // No PGL answer: nothing goes to the Director before 09:00 on the Tuesday, then the draft does.
    await skipTo(t.at(4, '08:59'));
    expect(stack.smtp.messages.some((mail) => mail.messageId.includes(`${id}.briefing.v2.not_yet_reviewed`))).toBe(
      false,
    );
    await skipTo(plusMs(sod(t.day(4)), 30_000));
    const [fallback] = await stack.smtp.waitFor(
      (mail) => mail.messageId === `<${id}.briefing.v2.not_yet_reviewed@test.example>`,
    );
    expect(fallback!.to).toEqual(['director@example.test']);
    expect(fallback!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    const withDirector = await briefingState(id);
    expect(withDirector.stage).toBe('with_director_unreviewed');
    const director = deadline(withDirector, 'ntk-cat2-director')!;
    expect(director).toMatchObject({ status: 'met', metBy: 'system', breached: false, dueAt: sod(t.day(4)) });
    const sentAt = withDirector.events.find((e) => e.type === 'fallback')!.at;
    expect(Math.abs(Date.parse(sentAt) - Date.parse(sod(t.day(4))))).toBeLessThan(1_000);
    expect(deadline(withDirector, 'ntk-update-due')).toMatchObject({ status: 'pending' });

    // Found at 49 hours, reported now: the Director (who has the briefing) hears of it; that is the update.
    const foundAt = plusHours(anchor, 49);
    const after = await found(handle, 'EV-B-found', foundAt, 'returned to the placement');
    expect(deadline(after, 'kev-missing')).toMatchObject({ status: 'met', metAt: foundAt, breached: true });
    const [update] = await stack.smtp.waitFor(
      (mail) => mail.messageId.startsWith(`<${id}.raising-event.`) && mail.to.includes('director@example.test'),
    );
    expect(update!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(update!.text).toContain(`The child was found at ${foundAt} (circumstances: returned to the placement).`);
    await expect
      .poll(async () => deadline(await briefingState(id), 'ntk-update-due'), { timeout: 10_000 })
      .toMatchObject({ status: 'met', metBy: 'system', metAt: foundAt });
    // kev-missing went overdue at 48 hours: the manager was told.
    await stack.smtp.waitFor((mail) => mail.messageId === '<missing-B.kev-missing.1.r0.overdue@test.example>');
    expect((await completed(handle)).stage).toBe('closed');
  });

  it('(c) a child on a plan missing with the family: item 5 at 72 hours, nothing at 48', async () => {
    const t = await stack.base({
      weekday: 'Monday',
      where: (d) => [0, 1, 2, 3].every((n) => isWorkingDay(addDays(d, n))),
    });
    const anchor = t.at(0, '10:00');
    const lastSeenAt = t.at(0, '08:00'); // ⚠C-23: the clock runs from last seen
    await skipTo(anchor);
    const handle = await start(
      episodeInput('C', anchor, { lastSeenAt, withFamily: true, child: { ...ON_PLAN, reference: 'CH-C' } }),
    );
    const armed = await handle.query(m.getStateQuery);
    expect(armed.anchorAt).toBe(lastSeenAt);
    expect(ids(armed)).toEqual(['kev-missing', 'ntk-trigger-cp-missing']);
    expect(deadline(armed, 'ntk-trigger-cp-missing')!.dueAt).toBe(plusHours(lastSeenAt, 72));
    expect(deadline(armed, 'kev-missing')!.dueAt).toBe(plusHours(lastSeenAt, 72));

    await skipTo(plusHours(lastSeenAt, 49));
    expect((await handle.query(m.getStateQuery)).links.briefings).toEqual([]);
    expect(await exists('ntk-missing-C-lac-missing')).toBe(false);

    await skipTo(plusMs(plusHours(lastSeenAt, 72), 60_000)); // Thursday 08:00
    const raised = await handle.query(m.getStateQuery);
    expect(raised.links.briefings).toEqual(['ntk-missing-C-cp-missing']);
    expect(deadline(raised, 'ntk-trigger-cp-missing')).toMatchObject({
      status: 'met',
      metAt: plusHours(lastSeenAt, 72),
    });
    const state = await briefingState('ntk-missing-C-cp-missing');
    expect(state.case).toMatchObject({ category: 2, item: 5 });
    expect(deadline(state, 'ntk-cat2-director')!.dueAt).toBe(eod(t.day(3)));
    // No draft by 17:00: the minimal notice carries the known facts (no names).
    await skipTo(plusMs(eod(t.day(3)), 30_000));
    const [minimal] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<ntk-missing-C-cp-missing.briefing.v1.minimal@test.example>',
    );
    expect(minimal!.to).toEqual(['director@example.test']);
    expect(minimal!.text).toContain(
      `Missing since ${lastSeenAt} (last seen), with family: yes, exploitation concern: no.`,
    );
    await found(handle, 'EV-C-found', plusHours(lastSeenAt, 80));
    expect((await completed(handle)).stage).toBe('closed');
  });

  it('(d) on a plan with exploitation concerns: slt-notify raised at 72 hours, the PGL and HoS emailed; found opens slt-update', async () => {
    const t = await stack.base({
      weekday: 'Monday',
      where: (d) => [0, 1, 2, 3, 4].every((n) => isWorkingDay(addDays(d, n))),
    });
    const anchor = t.at(0, '11:00');
    await skipTo(anchor);
    const handle = await start(
      episodeInput('D', anchor, { exploitationConcern: true, child: { ...ON_PLAN, reference: 'CH-D' } }),
    );
    const armed = await handle.query(m.getStateQuery);
    expect(ids(armed)).toEqual(['kev-missing', 'ntk-trigger-cp-missing', 'slt-trigger-missing']);
    expect(deadline(armed, 'slt-trigger-missing')!.dueAt).toBe(plusHours(anchor, 72));

    await skipTo(plusMs(plusHours(anchor, 72), 60_000)); // Thursday 11:01
    const [notice] = await stack.smtp.waitFor((mail) => mail.messageId === '<missing-D.slt-notify@test.example>');
    expect(notice!.to).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(notice!.subject).toContain('slt-notify');
    const raised = await handle.query(m.getStateQuery);
    expect(deadline(raised, 'slt-trigger-missing')).toMatchObject({
      status: 'met',
      metBy: 'system',
      metAt: plusHours(anchor, 72),
    });
    // ⚠C-26: 72 hours exactly is enough; the form is due by EOD that working day.
    expect(deadline(raised, 'slt-notify')).toMatchObject({
      status: 'pending',
      anchorAt: plusHours(anchor, 72),
      dueAt: eod(t.day(3)),
    });
    expect(raised.links.briefings).toEqual(['ntk-missing-D-cp-missing']);

    const notified = await handle.executeUpdate(m.slt.sltNotifiedUpdate, { args: [{ actor: hos }] });
    expect(deadline(notified!, 'slt-notify')).toMatchObject({ status: 'met', metBy: 'hos-1' });
    expect(deadline(notified!, 'slt-record')).toMatchObject({ status: 'pending' });
    const foundAt = plusHours(anchor, 74);
    const after = await found(handle, 'EV-D-found', foundAt);
    // 002 SLN s1: the updated notification is due in 1 WD from the child being found.
    expect(deadline(after, 'slt-update')).toMatchObject({ status: 'pending', anchorAt: foundAt });
    await handle.executeUpdate(m.slt.sltRecordedUpdate, { args: [{ actor: pgl }] });
    const last = await handle.executeUpdate(m.slt.sltUpdateSentUpdate, { args: [{ actor: pgl }] });
    expect(deadline(last!, 'slt-update')).toMatchObject({ status: 'met', metBy: 'pgl-1' });
    expect((await completed(handle)).stage).toBe('closed');
  });

  it('(e) a child both looked after and on a plan: 48 hours, item 4 (the stricter threshold)', async () => {
    const t = await stack.base({
      weekday: 'Tuesday',
      where: (d) => [0, 1, 2].every((n) => isWorkingDay(addDays(d, n))),
    });
    const anchor = t.at(0, '09:30');
    await skipTo(anchor);
    const handle = await start(
      episodeInput('E', anchor, { child: { ...LOOKED_AFTER, onPlan: true, reference: 'CH-E' } }),
    );
    const armed = await handle.query(m.getStateQuery);
    expect(ids(armed)).toEqual(['kev-missing', 'ntk-trigger-lac-missing']);
    expect(ids(armed)).not.toContain('ntk-trigger-cp-missing');
    await skipTo(plusMs(plusHours(anchor, 48), 60_000));
    const raised = await handle.query(m.getStateQuery);
    expect(raised.links.briefings).toEqual(['ntk-missing-E-lac-missing']);
    expect((await briefingState('ntk-missing-E-lac-missing')).case).toMatchObject({ category: 2, item: 4 });
    await found(handle, 'EV-E-found', plusHours(anchor, 50));
    expect((await completed(handle)).stage).toBe('closed');
  });

  it('a backdated report whose threshold has passed fires at once (§1.3 point 6); found twice and before the anchor are refused', async () => {
    const t = await stack.base({ weekday: 'Wednesday', where: isWorkingDay });
    const now = t.at(0, '12:00');
    await skipTo(now);
    const lastSeenAt = plusHours(now, -50);
    const handle = await start(episodeInput('F', now, { lastSeenAt }));
    await expect
      .poll(async () => (await handle.query(m.getStateQuery)).links.briefings, { timeout: 10_000 })
      .toEqual(['ntk-missing-F-lac-missing']);
    const state = await handle.query(m.getStateQuery);
    expect(deadline(state, 'ntk-trigger-lac-missing')).toMatchObject({
      status: 'met',
      metAt: plusHours(lastSeenAt, 48),
    });
    expect(deadline(await briefingState('ntk-missing-F-lac-missing'), 'ntk-cat2-director')!.anchorAt).toBe(
      plusHours(lastSeenAt, 48),
    );
    const refused = (type: string) => ({ cause: { type } });
    await expect(found(handle, 'EV-F-early', plusHours(lastSeenAt, -1))).rejects.toMatchObject(
      refused('StageConflict'),
    );
    await expect(found(handle, 'EV-F', now)).rejects.toMatchObject(refused('DuplicateEvent')); // the report's own event id
    await found(handle, 'EV-F-found', now);
    // Found twice: refused (here the episode has ended, since nothing was left open).
    const again = await found(handle, 'EV-F-again', now).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(Error);
    expect((await handle.query(m.getStateQuery)).eventIds).toEqual(['EV-F', 'EV-F-found']);
  });
});
