/**
 * Serious harm and deaths (docs/deadlines.md §7.1–§7.5) on the time-skipping server: a
 * looked-after child's death before Easter (⚠C-27's 5 calendar days against 5 WD), the X-SENIOR
 * ladder, the category 2 briefing raised at once, serious harm to a child on a plan (D5.1–D5.4,
 * slt-*), and a death reported by both the looked-after episode and the plan: one incident.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../src/process';
import { startS47Schema } from '../../src/processes/s47-enquiry/schemas';
import type { IncidentInput, IncidentState } from '../../src/processes/serious-incident/schemas';
import { childProtectionPlan, lookedAfterChild, seriousIncident } from '../../workflows';
import * as cpp from '../../workflows/child-protection-plan/messages';
import * as lac from '../../workflows/looked-after-child/messages';
import { getStateQuery as briefingState } from '../../workflows/need-to-know/messages';
import * as m from '../../workflows/serious-incident/messages';
import { actOn } from '../helpers/act';
import { emergency } from '../helpers/looked-after';
import { actors } from '../helpers/s47';
import { deathInput, harmInput } from '../helpers/serious-incident';
import { useTimeSkippingStack } from '../helpers/stack';
import { startProcess, TASK_QUEUE } from '../helpers/temporal';
import {
  addDays,
  daysDue,
  eod,
  isBankHoliday,
  isHoliday,
  isWorkingDay,
  noBankHoliday,
  plusHours,
  plusMs,
  wdBefore,
  wdDue,
} from '../helpers/time-base';

const stack = useTimeSkippingStack();
const { skipTo } = stack;

const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const director = { id: 'director-1', roles: ['director' as const] };
const pgl = { id: 'pgl-1', roles: ['pgl' as const] };

const start = (input: IncidentInput) =>
  startProcess(stack.env.client, seriousIncident, {
    taskQueue: TASK_QUEUE,
    workflowId: `incident-${input.incidentId}`,
    args: [input],
  });
const deadline = (state: IncidentState, id: string): DeadlineView => {
  const found = state.deadlines.filter((d) => d.id === id).at(-1);
  if (!found) throw new Error(`${id} was not opened: ${state.deadlines.map((d) => d.id).join(', ')}`);
  return found;
};
const ids = (state: IncidentState) => state.deadlines.map((d) => d.id);
/** The patch ids a workflow's history recorded. */
const patches = async (handle: WorkflowHandle) =>
  ((await handle.fetchHistory()).events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map(
      (e) =>
        JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString())
          .id as string,
    );
const mail = (id: string) => stack.smtp.waitFor((message) => message.messageId === `<${id}@test.example>`);

describe('serious incident workflow on the time-skipping server', () => {
  it('a looked-after child’s death before Easter: panel-notify 5 calendar days (⚠C-27), not 5 WD; the X-SENIOR ladder', async () => {
    // A Thursday whose next day is Good Friday: Good Friday and Easter Monday fall in the window.
    const t = await stack.base({ weekday: 'Thursday', where: (d) => isHoliday('Good Friday', addDays(d, 1)) });
    expect(isHoliday('Easter Monday', t.day(4))).toBe(true);
    const at = t.at(0, '10:00');
    await skipTo(at);
    const looked = await start(deathInput('CH-L1', at));
    const other = await start(deathInput('CH-N1', at, { lookedAfter: false, abuseOrNeglectKnownOrSuspected: true }));

    const state = await looked.query(m.getStateQuery);
    expect(ids(state)).toEqual([
      'slt-notify',
      'panel-criteria-decision',
      'panel-notify',
      'panel-partners-notify',
      'panel-sos-ofsted-lac-death',
    ]);
    // 5 calendar days: the Tuesday after Easter Monday (a working day, so not moved back).
    expect(daysDue(t.day0, 5)).toBe(eod(t.day(5)));
    expect(deadline(state, 'panel-notify')).toMatchObject({ status: 'pending', anchorAt: at, dueAt: eod(t.day(5)) });
    // ⚠C-28: the same as panel-notify.
    expect(deadline(state, 'panel-sos-ofsted-lac-death')).toMatchObject({ dueAt: eod(t.day(5)) });
    expect(deadline(state, 'panel-partners-notify').dueAt).toBe(wdDue(t.day0, 5));
    expect(deadline(state, 'panel-criteria-decision').dueAt).toBe(wdDue(t.day0, 2));
    expect(deadline(state, 'slt-notify').dueAt).toBe(eod(t.day0));
    // Category 2 item 2 (death of a looked-after child) raised at once: the briefing is running.
    expect(state.links.briefings).toEqual(['ntk-incident-died-CH-L1-cat2-item2']);
    const briefing = await stack.env.client.workflow
      .getHandle('ntk-incident-died-CH-L1-cat2-item2')
      .query(briefingState);
    expect(briefing).toMatchObject({ case: { category: 2, item: 2 }, automatic: { trigger: 'child-died' } });

    // 5 WD for a child not looked after: Good Friday and Easter Monday do not count (the Monday after).
    const otherState = await other.query(m.getStateQuery);
    expect(wdDue(t.day0, 5)).toBe(eod(t.day(11)));
    expect(deadline(otherState, 'panel-notify')).toMatchObject({ status: 'pending', dueAt: eod(t.day(11)) });
    expect(ids(otherState)).not.toContain('panel-sos-ofsted-lac-death');
    expect(otherState.links.briefings).toEqual(['ntk-incident-died-CH-N1-cat2-item1']);

    // The senior leadership notification: due in Europe/London time, with what to do.
    const [slt] = await mail('incident-died-CH-L1.slt-notify');
    expect(slt!.envelopeTo).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(slt!.text).toContain('Event: death of a looked-after child (event E-CH-L1)');
    expect(slt!.text).toMatch(/Due Thursday \d+ \w+ \d{4} at 17:00 \((GMT|BST)\)/);
    expect(slt!.text).toContain('slt-notification-made');

    // At breach: the Head of Service, and the Director at once (X-SENIOR).
    await skipTo(plusMs(eod(t.day(5)), 60_000));
    const [overdue] = await mail('incident-died-CH-L1.panel-notify.1.r0.overdue');
    expect(overdue!.envelopeTo).toEqual(['head-of-service@example.test']);
    expect(overdue!.subject).toContain('panel-notify');
    expect(overdue!.text).toContain('Child Safeguarding Practice Review Panel’s online incident notification');
    expect(overdue!.text).toContain('Event: death of a looked-after child (event E-CH-L1)');
    expect(overdue!.text).toMatch(/Was due: Tuesday \d+ \w+ \d{4} at 17:00/);
    const [escalated] = await mail('incident-died-CH-L1.panel-notify.1.r0.escalation-1');
    expect(escalated!.envelopeTo).toEqual(['director@example.test']);
    const [sos] = await mail('incident-died-CH-L1.panel-sos-ofsted-lac-death.1.r0.overdue');
    expect(sos!.envelopeTo).toEqual(['head-of-service@example.test']);
    expect(sos!.text).toContain('Secretary of State (Department for Education) and Ofsted');
    const [sosDirector] = await mail('incident-died-CH-L1.panel-sos-ofsted-lac-death.1.r0.escalation-1');
    expect(sosDirector!.envelopeTo).toEqual(['director@example.test']);
    // No warning went to the looked-after child's: due − 2 WD fell before the death was known.
    expect(
      stack.smtp.messages.some((message) =>
        message.messageId.startsWith('<incident-died-CH-L1.panel-notify.1.r0.warning'),
      ),
    ).toBe(false);

    // The other child's: a warning to the HoS and the Director at due − 2 WD (§7.4 X-SENIOR).
    const warnAt = wdBefore(eod(t.day(11)), 2);
    expect(warnAt).toBe(eod(t.day(7)));
    await skipTo(plusMs(warnAt, 60_000));
    const [warning] = await mail('incident-died-CH-N1.panel-notify.1.r0.warning-1');
    expect(warning!.envelopeTo).toEqual(['head-of-service@example.test', 'director@example.test']);
    expect(warning!.subject).toContain('Deadline approaching: panel-notify');

    // ⚠C-27: the HoS closes panel-notify as criteria not met; panel-sos-ofsted-lac-death still runs.
    let after = await looked.executeUpdate(m.panelCriteriaUpdate, {
      args: [{ met: false, rationale: 'Natural causes; no concern of abuse or neglect.', actor: hos }],
    });
    expect(deadline(after, 'panel-criteria-decision')).toMatchObject({ status: 'met', metBy: 'hos-1', breached: true });
    expect(deadline(after, 'panel-notify')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'D5.4 criteria not met: Natural causes; no concern of abuse or neglect.',
    });
    expect(deadline(after, 'panel-partners-notify')).toMatchObject({ status: 'cancelled' });
    expect(deadline(after, 'panel-sos-ofsted-lac-death')).toMatchObject({ status: 'overdue', escalationLevel: 1 });
    await expect(
      looked.executeUpdate(m.panelNotifiedUpdate, { args: [{ panelReference: 'X-1', actor: hos }] }),
    ).rejects.toMatchObject({ cause: { message: 'panel-notify is not open' } });
    after = await looked.executeUpdate(m.sosOfstedNotifiedUpdate, { args: [{ actor: hos }] });
    expect(deadline(after, 'panel-sos-ofsted-lac-death')).toMatchObject({ status: 'met', breached: true });
    await looked.executeUpdate(m.sltNotNeededUpdate, { args: [{ rationale: 'Briefed in person.', actor: pgl }] });
    // Nothing left open: the incident completes.
    const closed = await looked.result();
    expect(closed).toMatchObject({ status: 'closed', stage: 'closed' });
    expect(closed.deadlines.every((d) => d.status === 'met' || d.status === 'cancelled')).toBe(true);
  });

  it('serious harm to a child on a plan: item 3 raised, the route decided with an S47 link, slt-* and the Panel', async () => {
    const t = await stack.base({ weekday: 'Tuesday', where: (d) => noBankHoliday(d, addDays(d, 10)) });
    const at = t.at(0, '10:00');
    await skipTo(at);
    const handle = await start(harmInput('H1', at));
    let state = await handle.query(m.getStateQuery);
    expect(ids(state)).toEqual([
      'kev-harm-notify',
      'kev-harm-route',
      'slt-mash-referral',
      'slt-notify',
      'panel-criteria-decision',
      'panel-notify',
      'panel-partners-notify',
    ]);
    // [P] 24 h elapsed for serious harm; immediately (sla.immediate, 1 h in tests) for the route and the MASH.
    expect(deadline(state, 'kev-harm-notify').dueAt).toBe(plusHours(at, 24));
    expect(deadline(state, 'kev-harm-route').dueAt).toBe(plusHours(at, 1));
    expect(deadline(state, 'slt-mash-referral').dueAt).toBe(plusHours(at, 1));
    expect(deadline(state, 'slt-notify').dueAt).toBe(eod(t.day0));
    expect(deadline(state, 'panel-notify').dueAt).toBe(wdDue(t.day0, 5));
    expect(state.links.briefings).toEqual(['ntk-incident-H1-cat2-item3']);

    // D5.1 and D5.2: an S47 enquiry, and the HoS asked for a Need to Know.
    state = await handle.executeUpdate(m.harmRouteUpdate, {
      args: [{ s47: 'start', needToKnow: 'ask_hos', actor: actors.teamManager }],
    });
    expect(deadline(state, 'kev-harm-route')).toMatchObject({ status: 'met', metBy: 'tm-1', breached: false });
    const link = state.links.startS47Enquiry!;
    expect(link).toMatchObject({ method: 'POST', href: '/v1/s47-enquiries' });
    expect(link.body).toMatchObject({
      contactId: 'inc-H1',
      trigger: 'concern',
      receivedAt: at,
      children: [{ reference: 'CH-H1' }],
    });
    // A valid start body for the S47 route (its instant is the test clock's, ahead of the real one: left out here).
    const { receivedAt, ...rest } = link.body;
    expect(receivedAt).toBe(at);
    expect(startS47Schema.safeParse(rest).success).toBe(true);
    const [asked] = await mail('incident-H1.need-to-know-asked');
    expect(asked!.envelopeTo).toEqual(['head-of-service@example.test']);
    expect(asked!.text).toContain('serious harm to a child on a protection plan');

    state = await handle.executeUpdate(m.mashReferralUpdate, {
      args: [{ s47EnquiryId: 'inc-H1', actor: actors.socialWorker }],
    });
    expect(deadline(state, 'slt-mash-referral')).toMatchObject({ status: 'met', metBy: 'sw-1' });
    expect(state.links.s47Enquiry).toBe('s47-inc-H1');
    state = await handle.executeUpdate(m.harmNotifiedUpdate, { args: [{ actor: actors.socialWorker }] });
    expect(deadline(state, 'kev-harm-notify')).toMatchObject({ status: 'met' });

    // D5.2: the HoS raises a category 3 briefing too; the same one twice is refused.
    state = await handle.executeUpdate(m.needToKnowRaisedUpdate, { args: [{ category: 3, item: 7, actor: hos }] });
    expect(state.links.briefings).toEqual(['ntk-incident-H1-cat2-item3', 'ntk-incident-H1-cat3-item7']);
    await expect(
      handle.executeUpdate(m.needToKnowRaisedUpdate, { args: [{ category: 3, item: 7, actor: hos }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/already raised/) } });

    // 002 SLN: made → slt-record; an update event → slt-update; a repeated update event is refused.
    state = (await handle.executeUpdate(m.sltNotifiedUpdate, { args: [{ actor: pgl }] })) as IncidentState;
    expect(deadline(state, 'slt-notify')).toMatchObject({ status: 'met' });
    expect(deadline(state, 'slt-record')).toMatchObject({ status: 'pending', dueAt: wdDue(t.day0, 1) });
    state = await handle.executeUpdate(m.healthChangedUpdate, {
      args: [{ eventId: 'U1', actor: actors.socialWorker }],
    });
    expect(deadline(state, 'slt-update')).toMatchObject({ status: 'pending', dueAt: wdDue(t.day0, 1) });
    await expect(
      handle.executeUpdate(m.adultChargedUpdate, { args: [{ eventId: 'U1', actor: actors.socialWorker }] }),
    ).rejects.toMatchObject({ cause: { type: 'DuplicateEvent' } });

    // D5.4 met: the notifications stay; the Panel's reference is recorded.
    state = await handle.executeUpdate(m.panelCriteriaUpdate, {
      args: [{ met: true, rationale: 'Abuse suspected; serious injury.', actor: director }],
    });
    expect(deadline(state, 'panel-criteria-decision')).toMatchObject({ status: 'met', metBy: 'director-1' });
    expect(deadline(state, 'panel-notify').status).toBe('pending');
    state = await handle.executeUpdate(m.panelNotifiedUpdate, { args: [{ panelReference: 'CSPRP-0001', actor: hos }] });
    expect(state.panel).toMatchObject({ criteriaMet: true, reference: 'CSPRP-0001' });
    await handle.executeUpdate(m.partnersNotifiedUpdate, { args: [{ actor: hos }] });
    await handle.executeUpdate(m.sltRecordedUpdate, { args: [{ actor: hos }] });
    await handle.executeUpdate(m.sltUpdateSentUpdate, { args: [{ actor: hos }] });
    const closed = await handle.result();
    expect(closed.status).toBe('closed');
    for (const id of [
      'kev-harm-notify',
      'kev-harm-route',
      'slt-mash-referral',
      'slt-notify',
      'slt-record',
      'slt-update',
    ])
      expect(deadline(closed, id).status).toBe('met');
  });

  it('a death recorded by the looked-after episode and by the plan starts one incident-died-<ref>', async () => {
    const t = await stack.base({ where: (d) => isWorkingDay(d) && !isBankHoliday(addDays(d, 1)) });
    const at = t.at(0, '10:00');
    await skipTo(at);
    const episode = await startProcess(stack.env.client, lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-E1',
      args: [emergency('E1', at)],
    });
    const plan = await startProcess(stack.env.client, childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-E1',
      args: [{ planId: 'E1', caseReference: 'CASE-E1', childReference: 'CH-E1', icpcHeldAt: at, people: {} }],
    });
    const diedAt = t.at(0, '12:00');
    await skipTo(plusMs(diedAt, 60_000));
    const ended = await actOn(lac.getStateQuery)(episode, lac.ceasedUpdate, {
      args: [{ at: diedAt, reason: 'died', actor: actors.socialWorker }],
    });
    expect(ended).toMatchObject({ stage: 'ended', links: { incident: 'incident-died-CH-E1' } });
    // The episode still stops every recurrence.
    expect(ended.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);
    const planEnded = await actOn(cpp.getStateQuery)(plan, cpp.childDiedUpdate, {
      args: [{ at: diedAt, actor: actors.teamManager }],
    });
    expect(planEnded.links.incident).toBe('incident-died-CH-E1');
    expect(planEnded.events.map((e) => e.type)).toContain('incident_linked');

    const incident = stack.env.client.workflow.getHandle('incident-died-CH-E1');
    await expect
      .poll(async () => (await incident.query(m.getStateQuery)).links.reportedFrom, { timeout: 20_000 })
      .toEqual(['lac-E1', 'cpp-E1']);
    const state = await incident.query(m.getStateQuery);
    // The plan told the incident the child was on a plan too; the looked-after clocks are there.
    expect(state.child).toEqual({ lookedAfter: true, onPlan: true });
    expect(deadline(state, 'panel-sos-ofsted-lac-death').dueAt).toBe(daysDue(t.day0, 5));
    expect(deadline(state, 'panel-notify').dueAt).toBe(daysDue(t.day0, 5));
    expect(state.links.briefings).toEqual(['ntk-incident-died-CH-E1-cat2-item2']);
    // No second incident, and the old prompt of the plan was not sent (patch cp-death-starts-incident).
    expect(stack.smtp.messages.some((message) => message.messageId === '<cpp-E1.child-died@test.example>')).toBe(false);
    expect(await patches(episode)).toContain('lac-death-starts-incident');
    expect(await patches(plan)).toContain('cp-death-starts-incident');
  });
});
