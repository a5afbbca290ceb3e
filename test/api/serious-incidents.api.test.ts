/**
 * Serious harm and deaths through the one child-event route on a real dev server with real SMTP:
 * the three event kinds, the decisions, the S47 link followed, one incident per child's death, and
 * every class of refusal, with nothing personal in ids, search attributes or summaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { CaseReference, ChildReference, ProcessType, Stage } from '../../src/search-attributes';
import { childEvent, iso } from '../helpers/child-events';
import { apiStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof apiStack>>;
const call: typeof stack.call = (...args) => stack.call(...args);
beforeAll(async () => {
  stack = await apiStack(localTokens);
});
afterAll(() => stack?.stop());

const CASE_SYSTEM = 'local-case-system';
const SW = 'local-social-worker';
const TM = 'local-team-manager';
const HOS = 'local-head-of-service';
const DIRECTOR = 'local-director';
const post = (child: string, body: unknown, token = CASE_SYSTEM) =>
  call('POST', `/v1/children/${child}/events`, token, body);
const decide = (id: string, path: string, token: string, body: unknown = {}) =>
  call('POST', `/v1/serious-incidents/${id}/${path}`, token, body);
type View = { id: string; status: string; dueAt: string; label: string; cancelReason?: string };
const deadline = (state: { deadlines: View[] }, id: string) => state.deadlines.find((d) => d.id === id);

const death = (eventId: string, extra: Record<string, unknown> = {}) =>
  childEvent(eventId, 'child-died', {
    diedAt: iso(-3_600_000),
    becameAwareAt: iso(-1_800_000),
    location: 'in_area',
    normallyResidentInArea: true,
    abuseOrNeglectKnownOrSuspected: false,
    placingLa: 'Another Council',
    ...extra,
  });
const harm = (eventId: string, fields: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  childEvent(
    eventId,
    'child-harmed',
    {
      harmTypes: ['injury_by_other_incl_assault'],
      severity: 'serious',
      abuseOrNeglectKnownOrSuspected: true,
      location: 'in_area',
      ...fields,
    },
    { child: { lookedAfter: false, onPlan: true, legalStatus: 'cp_plan' }, ...extra },
  );

describe('serious incidents (§7.1–§7.5) through POST /v1/children/{ref}/events', () => {
  it('a looked-after child’s death: one incident per child, the Panel deadlines, the briefing, the emails', async () => {
    const reported = await post('CH-A1', death('A1'));
    expect(reported.status).toBe(201);
    expect(reported.location).toBe('/v1/serious-incidents/died-CH-A1');
    expect(reported.body.process).toMatchObject({ id: 'died-CH-A1', workflowId: 'incident-died-CH-A1', started: true });
    const state = reported.body.state;
    expect(state.deadlines.map((d: View) => d.id)).toEqual([
      'slt-notify',
      'panel-criteria-decision',
      'panel-notify',
      'panel-partners-notify',
      'panel-sos-ofsted-lac-death',
    ]);
    expect(state.links.briefings).toEqual(['ntk-incident-died-CH-A1-cat2-item2']);
    expect(state).toMatchObject({ placingLa: 'Another Council', case: { kind: 'death', childReference: 'CH-A1' } });

    // A child dies once: a second report, through any event id, names the existing incident.
    const again = await post('CH-A1', death('A1-again'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ existingId: 'incident-died-CH-A1' });

    const [slt] = await stack.smtp.waitFor((m) => m.messageId === '<incident-died-CH-A1.slt-notify@test.example>');
    expect(slt!.envelopeTo).toEqual(['pgl@example.test', 'head-of-service@example.test']);
    expect(slt!.subject).toContain('Senior Leadership notification needed (slt-notify)');
    expect(slt!.text).toContain('Event: death of a looked-after child (event A1)');
    expect(slt!.text).toMatch(/Due \w+day \d+ \w+ \d{4} at \d\d:\d\d \((GMT|BST)\)/);
    const briefing = await call('GET', '/v1/need-to-know/incident-died-CH-A1-cat2-item2', HOS);
    expect(briefing.body).toMatchObject({ case: { category: 2, item: 2 }, links: { raisedBy: 'incident-died-CH-A1' } });

    // D5.4 (⚠C-27): criteria not met closes the Panel notifications; the Secretary of State and Ofsted still.
    expect((await decide('died-CH-A1', 'panel-criteria-decided', SW, { met: false, rationale: 'x' })).status).toBe(403);
    expect((await decide('died-CH-A1', 'panel-criteria-decided', HOS, { met: false })).status).toBe(400);
    const notMet = await decide('died-CH-A1', 'panel-criteria-decided', DIRECTOR, {
      met: false,
      rationale: 'Expected death; no concern of abuse or neglect.',
    });
    expect(notMet.status).toBe(200);
    expect(deadline(notMet.body, 'panel-notify')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'D5.4 criteria not met: Expected death; no concern of abuse or neglect.',
    });
    expect(deadline(notMet.body, 'panel-sos-ofsted-lac-death')).toMatchObject({ status: 'pending' });
    expect((await decide('died-CH-A1', 'panel-criteria-decided', HOS, { met: true, rationale: 'x' })).status).toBe(409);
    expect((await decide('died-CH-A1', 'panel-notified', HOS, { panelReference: 'P-1' })).status).toBe(409);
    const told = await decide('died-CH-A1', 'sos-ofsted-notified', HOS);
    expect(deadline(told.body, 'panel-sos-ofsted-lac-death')).toMatchObject({ status: 'met', metBy: 'hos-1' });
    const closed = await decide('died-CH-A1', 'slt-notification-not-needed', HOS, { rationale: 'Told in person.' });
    expect(closed.status).toBe(200);
    await expect
      .poll(async () => (await call('GET', '/v1/serious-incidents/died-CH-A1', SW)).body.status)
      .toBe('closed');
    // Closed is closed: the death still cannot be reported again.
    expect((await post('CH-A1', death('A1-third'))).body).toMatchObject({ existingId: 'incident-died-CH-A1' });
  });

  it('serious harm to a child on a plan: item 3, the route decided, the S47 link followed (201), the MASH referral', async () => {
    const reported = await post('CH-H1', harm('H-1'));
    expect(reported.status).toBe(201);
    expect(reported.body.process).toMatchObject({ id: 'H-1', workflowId: 'incident-H-1' });
    const state = reported.body.state;
    for (const id of [
      'kev-harm-notify',
      'kev-harm-route',
      'slt-mash-referral',
      'slt-notify',
      'panel-criteria-decision',
    ])
      expect(deadline(state, id)).toMatchObject({ status: 'pending' });
    expect(state.links.briefings).toEqual(['ntk-incident-H-1-cat2-item3']);
    expect((await post('CH-H1', harm('H-1'))).body).toMatchObject({ existingId: 'incident-H-1' });

    expect(
      (await decide('H-1', 'harm-route-decided', 'local-iro', { s47: 'start', needToKnow: 'ask_hos' })).status,
    ).toBe(403);
    expect((await decide('H-1', 'harm-route-decided', TM, { s47: 'maybe', needToKnow: 'ask_hos' })).status).toBe(400);
    const routed = await decide('H-1', 'harm-route-decided', TM, { s47: 'start', needToKnow: 'ask_hos' });
    expect(routed.status).toBe(200);
    expect(deadline(routed.body, 'kev-harm-route')).toMatchObject({ status: 'met' });
    const link = routed.body.links.startS47Enquiry;
    expect(link).toMatchObject({ method: 'POST', href: '/v1/s47-enquiries' });
    const [asked] = await stack.smtp.waitFor((m) => m.messageId === '<incident-H-1.need-to-know-asked@test.example>');
    expect(asked!.envelopeTo).toEqual(['head-of-service@example.test']);
    expect((await decide('H-1', 'harm-route-decided', TM, { s47: 'start', needToKnow: 'ask_hos' })).status).toBe(409);

    // Following the link starts the enquiry through its own route.
    const enquiry = await call(link.method, link.href, CASE_SYSTEM, link.body);
    expect(enquiry.status).toBe(201);
    expect(enquiry.body).toMatchObject({ id: 'inc-H-1', workflowId: 's47-inc-H-1' });
    const referred = await decide('H-1', 'mash-referral-made', SW, { s47EnquiryId: 'inc-H-1' });
    expect(deadline(referred.body, 'slt-mash-referral')).toMatchObject({ status: 'met', metBy: 'sw-1' });
    expect(referred.body.links.s47Enquiry).toBe('s47-inc-H-1');
    expect((await decide('H-1', 'mash-referral-made', SW, {})).status).toBe(409);

    expect((await decide('H-1', 'harm-notified', TM)).status).toBe(403);
    expect((await decide('H-1', 'harm-notified', SW)).status).toBe(200);
    // D5.2: the HoS raises a briefing; the update events open slt-update once; a repeat is refused.
    const raised = await decide('H-1', 'need-to-know-raised', HOS, { category: 3, item: 7 });
    expect(raised.body.links.briefings).toContain('ntk-incident-H-1-cat3-item7');
    expect((await decide('H-1', 'need-to-know-raised', HOS, { category: 4, item: 7 })).status).toBe(400);
    const update = await decide('H-1', 'adult-charged', SW, { eventId: 'U-1' });
    expect(deadline(update.body, 'slt-update')).toMatchObject({ status: 'pending' });
    const repeated = await decide('H-1', 'child-charged', SW, { eventId: 'U-1' });
    expect(repeated.status).toBe(409);
    expect(repeated.body).toMatchObject({ existingId: 'incident-H-1' });
    const future = await decide('H-1', 'health-changed', SW, { eventId: 'U-2', at: iso(86_400_000) });
    expect(future.status).toBe(400);
    // D5.4 met: the Panel's reference is recorded.
    expect(
      (await decide('H-1', 'panel-criteria-decided', HOS, { met: true, rationale: 'Abuse suspected.' })).status,
    ).toBe(200);
    expect((await decide('H-1', 'panel-notified', HOS, { panelReference: 'not a ref!' })).status).toBe(400);
    const notified = await decide('H-1', 'panel-notified', HOS, { panelReference: 'CSPRP/2027/001' });
    expect(notified.body.panel).toMatchObject({ criteriaMet: true, reference: 'CSPRP/2027/001' });
  });

  it('a serious incident anchors the Panel on becameAwareAt; minor harm opens only the key-event clocks', async () => {
    const aware = iso(-600_000);
    const incident = await post(
      'CH-S1',
      childEvent(
        'S-1',
        'serious-incident-aware',
        {
          harmTypes: ['exploitation'],
          sexualExploitation: true,
          severity: 'serious',
          abuseOrNeglectKnownOrSuspected: true,
          location: 'outside_england',
          normallyResidentInArea: true,
          becameAwareAt: aware,
        },
        { occurredAt: iso(-7_200_000) },
      ),
    );
    expect(incident.status).toBe(201);
    expect(deadline(incident.body.state, 'panel-notify')).toMatchObject({ status: 'pending' });
    expect(incident.body.state.deadlines.find((d: { id: string }) => d.id === 'panel-criteria-decision').anchorAt).toBe(
      new Date(aware).toISOString(),
    );
    // Looked after and serious: item 2 raised, item 7 named in its facts.
    expect(incident.body.state.links.briefings).toEqual(['ntk-incident-S-1-cat2-item2']);

    const minor = await post('CH-S2', harm('S-2', { severity: 'minor', abuseOrNeglectKnownOrSuspected: false }));
    expect(minor.body.state.deadlines.map((d: View) => d.id)).toEqual(['kev-harm-notify', 'kev-harm-route']);
    expect(minor.body.state.links.briefings).toEqual([]);
    expect((await decide('S-2', 'panel-criteria-decided', HOS, { met: true, rationale: 'x' })).status).toBe(409);
  });

  it('refuses bad events and decisions with a clear 4xx and changes nothing', async () => {
    const bad = async (body: unknown, path: string) => {
      const answer = await post('CH-X1', body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad(harm('X-1', { sexualExploitation: true }), 'body.sexualExploitation');
    await bad(harm('X-1', { location: 'outside_england' }), 'body.normallyResidentInArea');
    await bad(harm('X-1', { harmTypes: [] }), 'body.harmTypes');
    await bad(harm('X-1', { severity: 'awful' }), 'body.severity');
    await bad(harm('died-X', {}), 'body.eventId');
    await bad(death('X-1', { diedAt: iso(-60_000), becameAwareAt: iso(-120_000) }), 'body.diedAt');
    await bad(death('X-1', { diedAt: iso(86_400_000) }), 'body.diedAt');
    await bad(death('X-1', { childName: 'A Name' }), 'body.childName');
    await bad(
      childEvent('X-1', 'serious-incident-aware', {
        harmTypes: ['self_harm'],
        severity: 'significant',
        abuseOrNeglectKnownOrSuspected: true,
        location: 'in_area',
        becameAwareAt: iso(-60_000),
      }),
      'body.severity',
    );
    expect((await call('POST', '/v1/children/CH-X1/events', undefined, death('X-1'))).status).toBe(401);
    expect((await post('CH-X1', death('X-1'), 'local-iro')).status).toBe(403);
    // Nothing was started by any of them.
    expect((await call('GET', '/v1/serious-incidents/died-CH-X1', SW)).status).toBe(404);
    expect((await call('GET', '/v1/serious-incidents/X-1', SW)).status).toBe(404);
    expect((await decide('NOPE', 'harm-notified', SW)).status).toBe(404);
    expect((await call('GET', '/v1/serious-incidents/X-1', undefined)).status).toBe(401);
  });

  it('puts nothing personal in ids, search attributes or summaries', async () => {
    const reported = await post('CH-P1', death('P-1', { placingLa: 'Placing Council' }));
    expect(reported.status).toBe(201);
    const described = await stack.env.client.workflow.getHandle('incident-died-CH-P1').describe();
    expect(described.typedSearchAttributes.get(ProcessType)).toBe('serious-incident');
    expect(described.typedSearchAttributes.get(CaseReference)).toBe('CASE-P-1');
    expect(described.typedSearchAttributes.get(ChildReference)).toBe('CH-P1');
    expect(described.typedSearchAttributes.get(Stage)).toBe('open');
    expect(await described.staticSummary()).toBe('Serious incident: child-died, case CASE-P-1, child CH-P1');
    const briefing = await stack.env.client.workflow.getHandle('ntk-incident-died-CH-P1-cat2-item2').describe();
    expect(await briefing.staticSummary()).toBe('Need to Know, category 2 item 2, raised by child-died');
    const text = JSON.stringify(reported.body.state.events) + JSON.stringify(reported.body.state.deadlines);
    expect(text).not.toContain('Placing Council');
  });
});
