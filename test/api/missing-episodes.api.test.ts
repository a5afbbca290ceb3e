/**
 * Missing episodes through the one child-event route on a real dev server with real SMTP (§7.2,
 * §6.4, §7.3): reported, found, the Senior Leadership decisions, every refusal, the stricter
 * status of a child with a running looked-after episode, and nothing personal in sight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { childEvent } from '../helpers/child-events';
import { capturedLogs } from '../helpers/logs';
import { apiStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof apiStack>>;
const call: typeof stack.call = (...args) => stack.call(...args);
beforeAll(async () => {
  stack = await apiStack(localTokens);
});
afterAll(() => stack?.stop());

const CASE_SYSTEM = 'local-case-system';
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const plusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR).toISOString();
const post = (child: string, body: unknown, token = CASE_SYSTEM) =>
  call('POST', `/v1/children/${child}/events`, token, body);
const get = (id: string, token = 'local-social-worker') => call('GET', `/v1/missing-episodes/${id}`, token);
type Deadlines = { deadlines: Array<{ id: string; status: string; dueAt: string; metBy?: string; anchorAt: string }> };
const deadline = (state: Deadlines, id: string) => state.deadlines.filter((d) => d.id === id).at(-1);
const LOOKED_AFTER = { lookedAfter: true, onPlan: false, legalStatus: 'care_order' };
const ON_PLAN = { lookedAfter: false, onPlan: true, legalStatus: 'cp_plan' };
const NEITHER = { lookedAfter: false, onPlan: false, legalStatus: 'none' };

const reported = (episodeId: string, fields: Record<string, unknown> = {}, child: object = LOOKED_AFTER) =>
  childEvent(
    `${episodeId}-R`,
    'missing-reported',
    { episodeId, reportedMissingAt: ago(1), exploitationConcern: false, withFamily: false, ...fields },
    { child },
  );
const foundEvent = (episodeId: string, fields: Record<string, unknown> = {}, eventId = `${episodeId}-F`) =>
  childEvent(eventId, 'missing-found', { episodeId, foundAt: ago(0.1), ...fields });
/** Polls until the episode is closed (it ends once found with nothing open). */
async function closed(id: string) {
  await expect.poll(async () => (await get(id)).body.status, { timeout: 15_000 }).toBe('closed');
  return (await get(id)).body;
}

describe('missing episodes (§7.2, §6.4, §7.3) through POST /v1/children/{ref}/events', () => {
  it('a looked-after child reported and found before 48 hours: kev-missing and the trigger, then nothing raised', async () => {
    const lastSeenAt = ago(3);
    const body = reported('M1', { lastSeenAt, reportedMissingAt: ago(2), policeReference: 'PR/2026/0001' });
    const started = await post('CH-M1', body);
    expect(started.status).toBe(201);
    expect(started.location).toBe('/v1/missing-episodes/M1');
    expect(started.body.process).toMatchObject({ id: 'M1', workflowId: 'missing-M1', started: true });
    const state = started.body.state;
    expect(state).toMatchObject({
      process: 'missing-episode',
      stage: 'missing',
      case: { reference: 'CASE-M1-R', childReference: 'CH-M1', episodeId: 'M1' },
      anchorAt: lastSeenAt, // ⚠C-23: last seen, when known
      links: { briefings: [] },
    });
    expect(deadline(state, 'ntk-trigger-lac-missing')).toMatchObject({
      status: 'pending',
      dueAt: plusHours(lastSeenAt, 48),
    });
    expect(deadline(state, 'kev-missing')).toMatchObject({
      status: 'pending',
      dueAt: plusHours(lastSeenAt, 48),
    });
    expect(deadline(state, 'ntk-trigger-cp-missing')).toBeUndefined();

    const read = await get('M1');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: 'M1',
      workflowId: 'missing-M1',
      links: { webUi: expect.stringContaining('missing-M1') },
    });

    // The same event again: 409 naming the episode, nothing started.
    const again = await post('CH-M1', body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ existingId: 'missing-M1' });

    const found = await post('CH-M1', foundEvent('M1', { circumstances: 'Returned to the placement with a friend.' }));
    expect(found.status).toBe(201);
    expect(found.location).toBe('/v1/missing-episodes/M1');
    expect(found.body.process).toMatchObject({ workflowId: 'missing-M1', started: false });
    expect(deadline(found.body.state, 'ntk-trigger-lac-missing')).toMatchObject({ status: 'cancelled' });
    expect(deadline(found.body.state, 'kev-missing')).toMatchObject({ status: 'met', metBy: 'case-system' });
    const ended = await closed('M1');
    expect(ended.stage).toBe('closed');
    // Found twice: 409, whether the episode still runs or has ended.
    const twice = await post('CH-M1', foundEvent('M1', {}, 'M1-F2'));
    expect(twice.status).toBe(409);
    expect(stack.smtp.messages.some((m) => m.messageId.includes('missing-M1'))).toBe(false);

    // Closed: no next deadline. Nothing personal (the circumstances, free text) in the id, the search
    // attributes, the summary, the details or the worker's logs.
    const handle = stack.env.client.workflow.getHandle('missing-M1');
    const description = await handle.describe();
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    const visible = JSON.stringify({
      id: description.workflowId,
      searchAttributes: description.typedSearchAttributes,
      summary: await description.staticSummary(),
      details: metadata.currentDetails,
      state: ended,
      logs: capturedLogs(),
    });
    expect(await description.staticSummary()).toBe('Missing episode: missing-reported, case CASE-M1-R, child CH-M1');
    expect(visible).toContain('ntk-trigger-lac-missing');
    expect(visible).not.toContain('friend');
    expect(JSON.stringify(description.typedSearchAttributes)).not.toContain('PR/2026');
    expect(
      description.typedSearchAttributes
        .getAll()
        .map((p) => p.key.name)
        .filter((n) => n !== 'BuildIds')
        .sort(),
      // TemporalChangeVersion: the patches the run took (evidence-store), ids only.
    ).toEqual(['CaseReference', 'ChildReference', 'OverdueCount', 'ProcessType', 'Stage', 'TemporalChangeVersion']);
    expect(
      description.typedSearchAttributes.getAll().find((p) => p.key.name === 'TemporalChangeVersion')?.value,
    ).toEqual(['evidence-store']);
  });

  it('a backdated report past 72 hours with exploitation concerns: item 5 and slt-notify at once; the SLT decisions; found opens slt-update', async () => {
    // Last seen a week ago: the briefing's concern (at 72 h) is days old, so whatever the hour the
    // suite runs at, its Director deadline has passed and the minimal notice goes at once.
    const lastSeenAt = ago(7 * 24);
    const started = await post(
      'CH-M2',
      reported(
        'M2',
        { lastSeenAt, reportedMissingAt: ago(7 * 24 - 3), exploitationConcern: true, withFamily: true },
        ON_PLAN,
      ),
    );
    expect(started.status).toBe(201);
    const briefing = 'ntk-missing-M2-cp-missing';
    await expect
      .poll(async () => deadline((await get('M2')).body, 'slt-trigger-missing')?.status, { timeout: 15_000 })
      .toBe('met');
    const raised = (await get('M2')).body;
    expect(raised.links.briefings).toEqual([briefing]);
    expect(deadline(raised, 'ntk-trigger-cp-missing')).toMatchObject({ status: 'met', metBy: 'system' });
    expect(deadline(raised, 'slt-trigger-missing')).toMatchObject({ status: 'met', metBy: 'system' });
    expect(deadline(raised, 'slt-notify')!.anchorAt).toBe(plusHours(lastSeenAt, 72));

    const [slt] = await stack.smtp.waitFor((m) => m.messageId === '<missing-M2.slt-notify@test.example>');
    expect(slt!.envelopeTo).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(slt!.subject).toBe('[Key events] Senior Leadership notification needed (slt-notify) (case CASE-M2-R)');
    expect(slt!.text).toContain('missing 72 hours with exploitation concerns');
    expect(slt!.text).toContain('missing-reported (episode M2, event M2-R)'); // the notice names the event
    const [alert] = await stack.smtp.waitFor((m) => m.messageId.startsWith(`<${briefing}.raised.`));
    expect(alert!.to).toEqual(['social-worker@example.test', 'advanced-practitioner@example.test']);
    const ntk = await call('GET', '/v1/need-to-know/missing-M2-cp-missing', 'local-pgl');
    expect(ntk.body).toMatchObject({
      case: { category: 2, item: 5 },
      automatic: { trigger: 'ntk-trigger-cp-missing' },
      links: { raisedBy: 'missing-M2' },
    });

    // 002 SLN s1: a service manager or the HoS completes the form; the social worker cannot.
    expect(
      (await call('POST', '/v1/missing-episodes/M2/slt-notification-made', 'local-social-worker', {})).status,
    ).toBe(403);
    const made = await call('POST', '/v1/missing-episodes/M2/slt-notification-made', 'local-pgl', {});
    expect(made.status).toBe(200);
    expect(deadline(made.body, 'slt-notify')).toMatchObject({ status: 'met', metBy: 'pgl-1' });
    expect(deadline(made.body, 'slt-record')).toMatchObject({ status: 'pending' });
    expect((await call('POST', '/v1/missing-episodes/M2/slt-notification-made', 'local-pgl', {})).status).toBe(409);
    expect((await call('POST', '/v1/missing-episodes/M2/slt-update-sent', 'local-pgl', {})).status).toBe(409);

    await expect
      .poll(async () => (await call('GET', '/v1/need-to-know/missing-M2-cp-missing', 'local-pgl')).body.stage)
      .toBe('with_director_unreviewed');
    const found = await post('CH-M2', foundEvent('M2', { circumstances: 'With an uncle abroad.' }));
    expect(found.status).toBe(201);
    expect(deadline(found.body.state, 'slt-update')).toMatchObject({ status: 'pending' });
    // The raised briefing hears of it: the Director has the minimal notice, so the update goes to them.
    const [update] = await stack.smtp.waitFor((m) => m.messageId.startsWith(`<${briefing}.raising-event.`));
    expect(update!.to).toEqual(['director@example.test']);
    await expect
      .poll(
        async () =>
          deadline((await call('GET', '/v1/need-to-know/missing-M2-cp-missing', 'local-pgl')).body, 'ntk-update-due')
            ?.status,
      )
      .toBe('met');
    expect(update!.subject).toBe(
      '[Need to Know briefing] Need to Know: update from the raising process (case CASE-M2-R)',
    );
    expect(update!.text).toContain('(circumstances: With an uncle abroad.)');

    expect(
      (await call('POST', '/v1/missing-episodes/M2/slt-notification-recorded', 'local-head-of-service', {})).status,
    ).toBe(200);
    const sent = await call('POST', '/v1/missing-episodes/M2/slt-update-sent', 'local-head-of-service', {});
    expect(sent.status).toBe(200);
    expect(deadline(sent.body, 'slt-update')).toMatchObject({ status: 'met', metBy: 'hos-1' });
    expect((await closed('M2')).deadlines.every((d: { status: string }) => d.status !== 'pending')).toBe(true);
  });

  it('the stricter status: a running looked-after episode makes the child looked after (48 hours)', async () => {
    const lac = await call('POST', '/v1/looked-after-children', CASE_SYSTEM, {
      episodeId: 'M3-LAC',
      caseReference: 'CASE-M3',
      childReference: 'CH-M3',
      childDateOfBirth: '2016-05-04',
      lacStartAt: ago(2),
      emergency: true,
      legalBasis: 'epo',
      approval: {
        by: 'director',
        at: ago(3),
        nextCarePanelDate: new Date(Date.now() + 7 * 24 * HOUR).toISOString().slice(0, 10),
      },
      placement: { placementId: 'M3-P1', type: 'foster' },
      education: { stage: 'primary' },
    });
    expect(lac.status).toBe(201);
    // Visibility lags the start a little: the route finds the episode by its ChildReference search attribute.
    await expect
      .poll(async () => (await stack.service.findRunning('CH-M3', ['looked-after-child'])).get('looked-after-child'), {
        timeout: 15_000,
      })
      .toBe('lac-M3-LAC');
    const started = await post('CH-M3', reported('M3', {}, NEITHER));
    expect(started.status).toBe(201);
    expect(started.body.child).toMatchObject({ lookedAfter: true, onPlan: false, episode: 'lac-M3-LAC' });
    expect(started.body.state.child).toEqual({ lookedAfter: true, onPlan: false });
    expect(started.body.state.links.episode).toBe('lac-M3-LAC');
    expect(deadline(started.body.state, 'ntk-trigger-lac-missing')).toMatchObject({ status: 'pending' });

    // A child neither looked after nor on a plan, with no concern: kev-missing only ([P] 72 hours).
    // Category 3 item 1 is manual: a serious-risk flag is recorded, and raises nothing by itself.
    const neither = await post('CH-M4', reported('M4', { reportedMissingAt: ago(1), seriousRisk: true }, NEITHER));
    expect(neither.body.state.deadlines.map((d: { id: string }) => d.id)).toEqual(['kev-missing']);
    expect(deadline(neither.body.state, 'kev-missing')!.dueAt).toBe(plusHours(neither.body.state.anchorAt, 72));
    expect(neither.body.state.episode).toMatchObject({ seriousRisk: true });
    expect(neither.body.state.events.map((e: { type: string }) => e.type)).toContain('serious_risk');
    expect(neither.body.state.links.briefings).toEqual([]);
  });

  it('refuses bad events with a clear 4xx and changes nothing', async () => {
    const bad = await post('CH-M5', reported('M5', { exploitationConcern: undefined }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.some((e: { path: string }) => e.path.includes('exploitationConcern'))).toBe(true);
    const unknown = await post('CH-M5', reported('M5', { childName: 'Someone' }));
    expect(unknown.status).toBe(400);
    const future = await post(
      'CH-M5',
      reported('M5', { reportedMissingAt: new Date(Date.now() + 86_400_000).toISOString() }),
    );
    expect(future.status).toBe(400);
    const seenAfter = await post('CH-M5', reported('M5', { lastSeenAt: ago(1), reportedMissingAt: ago(2) }));
    expect(seenAfter.status).toBe(400);
    expect(seenAfter.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: 'must not be after reportedMissingAt' })]),
    );
    const named = await post('CH-M5', reported('M5', { policeReference: 'Jane Doe, 12 High Street' }));
    expect(named.status).toBe(400);
    expect((await call('POST', '/v1/children/CH-M5/events', undefined, reported('M5'))).status).toBe(401);
    expect((await post('CH-M5', reported('M5'), 'local-iro')).status).toBe(403);
    expect((await get('M5')).status).toBe(404);
    const nowhere = await post('CH-M5', foundEvent('NO-SUCH'));
    expect(nowhere.status).toBe(404);

    // A found instant before the child went missing: 409 from the workflow's validator, nothing recorded.
    expect((await post('CH-M5', reported('M5', { reportedMissingAt: ago(2) }))).status).toBe(201);
    const early = await post('CH-M5', foundEvent('M5', { foundAt: ago(3) }));
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('before the child went missing');
    const state = (await get('M5')).body;
    expect(state.stage).toBe('missing');
    expect(state.eventIds).toEqual(['M5-R']);
    expect(deadline(state, 'kev-missing')!.status).toBe('pending');
    // The report's own event id, used again for the found event: 409 naming the episode.
    const reused = await post('CH-M5', foundEvent('M5', {}, 'M5-R'));
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ existingId: 'missing-M5' });
  });
});
