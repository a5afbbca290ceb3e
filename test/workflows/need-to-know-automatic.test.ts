/**
 * Need to Know briefings raised automatically (docs/deadlines.md §6.1, §6.3; 001 NTK s4), started
 * directly with an `automatic` input and no briefing, on the time-skipping server: the authors are
 * asked for a draft, the PGL cannot approve what does not exist, and with no draft by the Director
 * deadline the minimal notice goes (the child's reference, legal status, category item and known
 * facts, no name), then the raising process's news is the update `ntk-update-due` waits for.
 */
import { describe, expect, it } from 'vitest';
import type { NeedToKnowInput, NeedToKnowState } from '../../src/processes/need-to-know/schemas';
import { needToKnow } from '../../workflows';
import {
  briefingRevisedUpdate,
  getStateQuery,
  hosDecisionUpdate,
  pglResponseUpdate,
  raisingProcessEventSignal,
} from '../../workflows/need-to-know/messages';
import { armed } from '../helpers/act';
import { ntkInput } from '../helpers/need-to-know';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE, terminateWhenSettled } from '../helpers/temporal';
import { addDays, eod, isWorkingDay, plusHours, plusMs, wdDue } from '../helpers/time-base';

const stack = useTimeSkippingStack();
const { skipTo } = stack;

const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const sw = { id: 'sw-1', roles: ['social_worker' as const] };
const deadline = (state: NeedToKnowState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1);
const AUTHORS = ['social-worker@example.test', 'advanced-practitioner@example.test'];

/** As `raiseNeedToKnow` starts it: automatic, brief, no draft, raised by the system. */
function automaticInput(id: string, at: string, category: 2 | 3, item: number): NeedToKnowInput {
  return {
    ...ntkInput(id, at),
    briefing: undefined, // as raised automatically: no draft yet
    caseReference: `CASE-${id}`,
    category,
    item,
    brevity: 'brief',
    raisedBy: { id: 'system', roles: [] },
    automatic: {
      trigger: category === 2 ? 'ntk-trigger-lac-missing' : 'ntk-trigger-out-of-education',
      raisedFrom: `kev-${id}`,
      child: { reference: `CH-${id}`, legalStatus: 'looked_after_s20' },
      facts: category === 2 ? 'Missing for 48 hours.' : 'Out of education for 3 months.',
    },
  };
}

async function start(input: NeedToKnowInput) {
  const handle = await startProcess(stack.env.client, needToKnow, {
    taskQueue: TASK_QUEUE,
    workflowId: `ntk-${input.briefingId}`,
    args: [input],
  });
  await armed(handle, getStateQuery);
  return handle;
}

const mail = (workflowId: string, key: string) => (m: { messageId: string }) =>
  m.messageId.startsWith(`<${workflowId}.${key}`);

describe('automatic Need to Know briefings (§6.3)', () => {
  it('category 2: the authors are asked for a draft; approve is refused until one exists; the draft meets ntk-cat2-draft', async () => {
    const t = await stack.base({ weekday: 'Tuesday', where: (d) => isWorkingDay(d) && isWorkingDay(addDays(d, 1)) });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(automaticInput('AU1', t.at(0, '10:00'), 2, 4));

    const [alert] = await stack.smtp.waitFor(mail('ntk-AU1', 'raised.'));
    expect(alert!.to).toEqual(AUTHORS);
    expect(alert!.cc).toEqual(['team-manager@example.test']);
    expect(alert!.text).toContain('raised automatically by ntk-trigger-lac-missing');
    let state = await handle.query(getStateQuery);
    expect(state).toMatchObject({
      stage: 'awaiting_pgl',
      automatic: { drafted: false },
      links: { raisedBy: 'kev-AU1' },
    });
    expect(deadline(state, 'ntk-cat2-draft')).toMatchObject({
      status: 'pending',
      dueAt: plusHours(t.at(0, '10:00'), 2),
    });
    expect(deadline(state, 'ntk-cat2-director')).toMatchObject({ dueAt: eod(t.day(0)) });

    // No draft yet: the PGL has nothing to approve (409 at the API).
    await expect(
      handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] }),
    ).rejects.toMatchObject({ cause: { type: 'StageConflict' } });

    // Before the Director has anything, the raising process's news goes to the PGL; nothing is met.
    await handle.signal(raisingProcessEventSignal, {
      kind: 'found',
      at: t.at(0, '10:30'),
      summary: 'The child was found.',
    });
    const [toPgl] = await stack.smtp.waitFor(mail('ntk-AU1', 'raising-event.'));
    expect(toPgl!.to).toEqual(['pgl@example.test']);
    expect(toPgl!.cc).toEqual(['head-of-service@example.test', ...AUTHORS]);
    expect(deadline(await handle.query(getStateQuery), 'ntk-update-due')).toBeUndefined();

    // The author's draft reaches the PGL (copy HoS) and meets ntk-cat2-draft.
    await skipTo(t.at(0, '11:00'));
    const { briefing } = ntkInput('AU1', t.at(0, '10:00'));
    state = await handle.executeUpdate(briefingRevisedUpdate, { args: [{ briefing, actor: sw }] });
    expect(state.automatic).toMatchObject({ drafted: true });
    const [draft] = await stack.smtp.waitFor(mail('ntk-AU1', 'briefing.v2.draft'));
    expect(draft!.to).toEqual(['pgl@example.test']);
    expect(draft!.cc).toEqual(['head-of-service@example.test']);
    expect(deadline(state, 'ntk-cat2-draft')).toMatchObject({ status: 'met', metBy: 'sw-1', breached: false });
    state = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(state.stage).toBe('with_director');
    expect(deadline(state, 'ntk-cat2-director')).toMatchObject({ status: 'met', breached: false });
    await terminateWhenSettled(handle);
  });

  it('category 2 with no draft by ntk-cat2-director: the minimal notice, the author and L1 alerted, an update due in 1 WD', async () => {
    const t = await stack.base({ weekday: 'Monday', where: (d) => isWorkingDay(d) && isWorkingDay(addDays(d, 1)) });
    await skipTo(t.at(0, '15:00'));
    const handle = await start(automaticInput('AU2', t.at(0, '15:00'), 2, 4));
    await stack.smtp.waitFor(mail('ntk-AU2', 'raised.'));
    // Reported before the Director has anything: the minimal notice will carry it.
    await handle.signal(raisingProcessEventSignal, {
      kind: 'police-informed',
      at: t.at(0, '15:30'),
      summary: 'Police reference recorded.',
    });
    await stack.smtp.waitFor(mail('ntk-AU2', 'raising-event.'));

    await skipTo(plusMs(eod(t.day(0)), 30_000));
    const [minimal] = await stack.smtp.waitFor(mail('ntk-AU2', 'briefing.v1.minimal'));
    expect(minimal!.to).toEqual(['director@example.test']);
    expect(minimal!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(minimal!.subject).toContain('NO BRIEFING DRAFTED YET');
    expect(minimal!.text).toContain('1. Child: ref CH-AU2, legal status looked_after_s20');
    expect(minimal!.text).toContain('Category: 2, item 4');
    expect(minimal!.text).toContain('Known facts: Missing for 48 hours. Since then:');
    expect(minimal!.text).toContain('Police reference recorded.');
    expect(minimal!.text).not.toContain('Test Child'); // no name: none is known
    const [noDraft] = await stack.smtp.waitFor(mail('ntk-AU2', 'no-draft.'));
    expect(noDraft!.to).toEqual(AUTHORS);
    expect(noDraft!.cc).toEqual(['team-manager@example.test']);

    let state = await handle.query(getStateQuery);
    expect(state.stage).toBe('with_director_unreviewed');
    expect(deadline(state, 'ntk-cat2-director')).toMatchObject({ status: 'met', metBy: 'system', breached: false });
    expect(deadline(state, 'ntk-update-due')).toMatchObject({ status: 'pending', dueAt: wdDue(t.day(0), 1) });
    // Still no draft: approve is still refused.
    await expect(
      handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] }),
    ).rejects.toMatchObject({ cause: { type: 'StageConflict' } });

    // The raising process's news now goes to the Director, and it is the update that was due.
    await skipTo(t.at(1, '10:00'));
    await handle.signal(raisingProcessEventSignal, {
      kind: 'found',
      at: t.at(1, '09:45'),
      summary: 'The child was found.',
    });
    const [update] = await stack.smtp.waitFor(
      (m) => m.messageId.startsWith('<ntk-AU2.raising-event.') && m.to.includes('director@example.test'),
    );
    expect(update!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    await expect.poll(async () => deadline(await handle.query(getStateQuery), 'ntk-update-due')?.status).toBe('met');
    state = await handle.query(getStateQuery);
    expect(deadline(state, 'ntk-update-due')).toMatchObject({ metAt: t.at(1, '09:45'), breached: false });
    await terminateWhenSettled(handle);
  });

  it('category 3: the Head of Service’s decision notice carries the minimal facts; inform asks the authors for a draft', async () => {
    const t = await stack.base({ weekday: 'Wednesday', where: (d) => isWorkingDay(d) && isWorkingDay(addDays(d, 1)) });
    await skipTo(t.at(0, '10:00'));
    const handle = await start(automaticInput('AU3', t.at(0, '10:00'), 3, 6));
    const [decision] = await stack.smtp.waitFor(mail('ntk-AU3', 'briefing.v1.decision_needed'));
    expect(decision!.to).toEqual(['head-of-service@example.test']);
    expect(decision!.cc).toEqual(['pgl@example.test']);
    expect(decision!.text).toContain('Category: 3, item 6');
    expect(decision!.text).toContain('1. Child: ref CH-AU3, legal status looked_after_s20');
    expect(decision!.text).toContain('Raised automatically by: ntk-trigger-out-of-education');
    expect(decision!.text).toContain('Known facts: Out of education for 3 months.');

    await skipTo(t.at(0, '11:00'));
    let state = await handle.executeUpdate(hosDecisionUpdate, { args: [{ decision: 'inform', actor: hos }] });
    expect(state.stage).toBe('awaiting_pgl');
    expect(deadline(state, 'ntk-cat3-director')).toMatchObject({ status: 'pending', dueAt: eod(t.day(0)) });
    const [ask] = await stack.smtp.waitFor(mail('ntk-AU3', 'inform.'));
    expect(ask!.to).toEqual(AUTHORS);
    expect(ask!.cc).toEqual(['team-manager@example.test']);
    await expect(
      handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] }),
    ).rejects.toMatchObject({ cause: { type: 'StageConflict' } });

    // No draft by the deadline: the minimal notice to the Director.
    await skipTo(plusMs(eod(t.day(0)), 30_000));
    const [minimal] = await stack.smtp.waitFor(mail('ntk-AU3', 'briefing.v1.minimal'));
    expect(minimal!.to).toEqual(['director@example.test']);
    expect(minimal!.text).toContain('ref CH-AU3');
    state = await handle.query(getStateQuery);
    expect(deadline(state, 'ntk-cat3-director')).toMatchObject({ status: 'met', metBy: 'system' });
    await terminateWhenSettled(handle);
  });
});
