import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { SmtpCapture } from '../helpers/smtp';
import { timeSkippingStack } from '../helpers/stack';
import { TASK_QUEUE } from '../helpers/temporal';

// One time-skipping server for the file: its clock only moves forward, so tests run in date order.
let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
const skipTo = (iso: string) => stack.skipTo(iso);

beforeAll(async () => {
  stack = await timeSkippingStack();
  ({ env, smtp } = stack);
});
afterAll(() => stack?.stop());

async function start(input: NeedToKnowInput) {
  return env.client.workflow.start(needToKnow, {
    taskQueue: TASK_QUEUE,
    workflowId: `ntk-${input.briefingId}`,
    args: [input],
  });
}

const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const deadline = (state: NeedToKnowState, id: string) => state.deadlines.filter((d) => d.id === id).at(-1)!;

describe('Need to Know workflow on the time-skipping server', () => {
  it('category 2 answered in time: draft to the PGL, approved briefing to the Director, no fallback', async () => {
    await skipTo('2027-03-09T10:00:00Z'); // Tuesday 10:00 GMT
    const handle = await start(ntkInput('T1', '2027-03-09T10:00:00.000Z'));
    const [draft] = await smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.draft@test.example>');
    expect(draft!.to).toEqual(['pgl@example.test']);
    expect(draft!.cc).toEqual(['head-of-service@example.test']);
    expect(draft!.text).toContain('Test Child');

    await env.sleep(60 * 60_000);
    const state = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(state.stage).toBe('with_director');
    const [approved] = await smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.approved@test.example>');
    expect(approved!.to).toEqual(['director@example.test']);
    expect(approved!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    // New workflows run the patched code: the author is told the Director has it.
    const [copy] = await smtp.waitFor((m) => m.messageId === '<ntk-T1.briefing.v1.author-copy@test.example>');
    expect(copy!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    const history = await handle.fetchHistory();
    const patchMarkers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    expect(patchMarkers).toHaveLength(1);
    expect(
      Buffer.from(
        patchMarkers[0]!.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!,
      ).toString(),
    ).toContain(AUTHOR_COPY_PATCH);

    const director = deadline(state, 'ntk-cat2-director');
    expect(director).toMatchObject({
      status: 'met',
      metBy: 'pgl-1',
      dueAt: '2027-03-09T17:00:00.000Z',
      breached: false,
    });
    expect(deadline(state, 'ntk-cat2-draft')).toMatchObject({
      status: 'met',
      metBy: 'sw-1',
      dueAt: '2027-03-09T12:00:00.000Z',
    });
    expect(deadline(state, 'ntk-update-due')).toMatchObject({ status: 'pending', dueAt: '2027-12-01T17:00:00.000Z' });

    await skipTo('2027-03-09T18:00:00Z');
    expect(smtp.messages.filter((m) => m.messageId.includes('ntk-T1.briefing.v1.not_yet_reviewed'))).toHaveLength(0);
  });

  it('no answer: the latest draft reaches the Director exactly at 17:00, marked not yet reviewed', async () => {
    await skipTo('2027-03-10T11:00:00Z');
    const input = ntkInput('T2', '2027-03-10T11:00:00.000Z');
    input.briefing.updateExpectedOn = '2027-07-01'; // a summer date: London midnight is 23:00 UTC the day before
    const handle = await start(input);
    await smtp.waitFor((m) => m.messageId === '<ntk-T2.briefing.v1.draft@test.example>');
    await skipTo('2027-03-10T17:00:30Z');
    const [fallback] = await smtp.waitFor((m) => m.messageId === '<ntk-T2.briefing.v1.not_yet_reviewed@test.example>');
    expect(fallback!.to).toEqual(['director@example.test']);
    expect(fallback!.cc).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(fallback!.subject).toContain('NOT YET REVIEWED');
    // The PGL was warned at due − 25 % (15:30).
    const [warning] = await smtp.waitFor(
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
      dueAt: '2027-03-10T17:00:00.000Z',
      breached: false,
    });
    expect(Date.parse(director.metAt!) - Date.parse(director.dueAt)).toBeLessThan(1_000);

    // The PGL may still approve: the Director then gets the reviewed version.
    const after = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(after.stage).toBe('with_director');
    // The approved briefing promises the same date: the update deadline is not moved.
    expect(deadline(after, 'ntk-update-due')).toMatchObject({ dueAt: '2027-07-01T16:00:00.000Z', rescheduled: [] });
    await smtp.waitFor((m) => m.messageId === '<ntk-T2.briefing.v1.approved@test.example>');
  });

  it('concern raised Friday 18:00: the fallback goes at 09:00 on Monday', async () => {
    await skipTo('2027-03-12T18:00:00Z');
    const handle = await start(ntkInput('T3', '2027-03-12T18:00:00.000Z'));
    await skipTo('2027-03-15T08:59:00Z');
    expect(smtp.messages.some((m) => m.messageId.includes('ntk-T3.briefing.v1.not_yet_reviewed'))).toBe(false);
    await skipTo('2027-03-15T09:00:30Z');
    await smtp.waitFor((m) => m.messageId === '<ntk-T3.briefing.v1.not_yet_reviewed@test.example>');
    const state = await handle.query(getStateQuery);
    const director = deadline(state, 'ntk-cat2-director');
    expect(director).toMatchObject({ dueAt: '2027-03-15T09:00:00.000Z', status: 'met' });
    expect(Date.parse(director.metAt!) - Date.parse(director.dueAt)).toBeLessThan(1_000);
  });

  it('concern on the eve of Good Friday: the fallback waits for 09:00 on the Tuesday after Easter Monday', async () => {
    await skipTo('2027-03-25T18:00:00Z'); // Thursday; 26 and 29 March 2027 are bank holidays; BST from 28 March
    const handle = await start(ntkInput('T4', '2027-03-25T18:00:00.000Z'));
    const state = await handle.query(getStateQuery);
    expect(deadline(state, 'ntk-cat2-director').dueAt).toBe('2027-03-30T08:00:00.000Z');
    await skipTo('2027-03-30T08:00:30Z');
    await smtp.waitFor((m) => m.messageId === '<ntk-T4.briefing.v1.not_yet_reviewed@test.example>');
  });

  it('category 3, inform: the HoS decides, then the PGL approves for the Director', async () => {
    await skipTo('2027-04-06T09:30:00Z');
    const handle = await start(ntkInput('T5', '2027-04-06T09:30:00.000Z', { category: 3, item: 5 }));
    const [ask] = await smtp.waitFor((m) => m.messageId === '<ntk-T5.briefing.v1.decision_needed@test.example>');
    expect(ask!.to).toEqual(['head-of-service@example.test']);
    await env.sleep(2 * 3_600_000);
    const decided = await handle.executeUpdate(hosDecisionUpdate, { args: [{ decision: 'inform', actor: hos }] });
    expect(decided.stage).toBe('awaiting_pgl');
    expect(deadline(decided, 'ntk-cat3-hos-decision')).toMatchObject({ status: 'met', metBy: 'hos-1' });
    expect(deadline(decided, 'ntk-cat3-director')).toMatchObject({
      status: 'pending',
      dueAt: '2027-04-06T16:00:00.000Z',
    });
    await smtp.waitFor((m) => m.messageId === '<ntk-T5.briefing.v1.draft@test.example>');
    const approved = await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    expect(approved.stage).toBe('with_director');
  });

  it('category 3, do not inform: the rationale is recorded and the briefing closes', async () => {
    await skipTo('2027-04-07T10:00:00Z');
    const handle = await start(ntkInput('T6', '2027-04-07T10:00:00.000Z', { category: 3, item: 4 }));
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
    await skipTo('2027-04-08T10:00:00Z');
    const input = ntkInput('T7', '2027-04-08T10:00:00.000Z');
    input.briefing.updateExpectedOn = '2027-04-12'; // Monday
    const handle = await start(input);
    await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await skipTo('2027-04-12T08:30:00Z'); // 09:30 BST on the promised date
    const [reminder] = await smtp.waitFor((m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.warning-1@test.example>');
    expect(reminder!.subject).toContain('ntk-update-due');
    await skipTo('2027-04-13T16:30:00Z'); // past EOD on the date and EOD + 1 WD
    const [overdue] = await smtp.waitFor((m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.overdue@test.example>');
    expect(overdue!.to).toEqual([
      'social-worker@example.test',
      'advanced-practitioner@example.test',
      'pgl@example.test',
    ]);
    const [hosNotice] = await smtp.waitFor(
      (m) => m.messageId === '<ntk-T7.ntk-update-due.1.r0.escalation-1@test.example>',
    );
    expect(hosNotice!.to).toEqual(['head-of-service@example.test']);
    const state = await handle.executeUpdate(updateSentUpdate, {
      args: [
        {
          summary: 'Child found safe.',
          nextUpdateExpectedOn: '2027-04-20',
          actor: { id: 'sw-1', roles: ['social_worker'] },
        },
      ],
    });
    const first = state.deadlines.find((d) => d.id === 'ntk-update-due' && d.occurrence === 1)!;
    expect(first).toMatchObject({ status: 'met', breached: true, escalationLevel: 1 });
    expect(deadline(state, 'ntk-update-due')).toMatchObject({
      occurrence: 2,
      status: 'pending',
      dueAt: '2027-04-20T16:00:00.000Z',
    });
  });

  it('a refused address is visible in the state and the obligation stays open until met', async () => {
    await skipTo('2027-04-20T10:00:00Z');
    for (const address of ['pgl@example.test', 'head-of-service@example.test']) smtp.refusing.add(address);
    const handle = await start(ntkInput('T8', '2027-04-20T10:00:00.000Z'));
    await expect
      .poll(async () => (await handle.query(getStateQuery)).events.map((e) => e.type))
      .toContain('email_failed');
    let state = await handle.query(getStateQuery);
    expect(state.events.find((e) => e.type === 'email_failed')!.summary).toContain('PermanentSmtpFailure');
    expect(deadline(state, 'ntk-cat2-draft').status).toBe('pending');

    await skipTo('2027-04-20T12:00:30Z'); // past the 2-hour draft deadline
    await smtp.waitFor((m) => m.messageId === '<ntk-T8.ntk-cat2-draft.1.r0.overdue@test.example>');
    state = await handle.query(getStateQuery);
    const draft = deadline(state, 'ntk-cat2-draft');
    expect(draft).toMatchObject({ status: 'overdue', breached: true });
    expect(draft.notifications.at(-1)).toMatchObject({ status: 'sent', rejected: ['pgl@example.test'] });
    smtp.refusing.clear();
  });

  it('a Director request for more information brings the update forward to the next working day', async () => {
    await skipTo('2027-04-21T09:00:00Z'); // Wednesday 10:00 BST
    const handle = await start(ntkInput('T9', '2027-04-21T09:00:00.000Z'));
    await handle.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    const state = await handle.executeUpdate(directorRequestUpdate, {
      args: [{ request: 'Has the placement been searched again?', actor: { id: 'director-1', roles: ['director'] } }],
    });
    const update = deadline(state, 'ntk-update-due');
    expect(update).toMatchObject({ status: 'pending', dueAt: '2027-04-22T16:00:00.000Z' });
    expect(update.rescheduled).toEqual([
      expect.objectContaining({ from: '2027-12-01T17:00:00.000Z', to: '2027-04-22T16:00:00.000Z', by: 'director-1' }),
    ]);
    const [asked] = await smtp.waitFor(
      (m) => m.subject.includes('The Director asks for more information') && m.text.includes('CASE-T9'),
    );
    expect(asked!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    expect(asked!.text).toContain('Has the placement been searched again?');
  });
});
