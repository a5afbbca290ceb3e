/**
 * A placement change's key events (§7.2, 000 KE 2.1) on a real dev server with real SMTP: through
 * the episode's own route and through `POST /v1/children/{ref}/events`, once only, and refused
 * with a clear 4xx when the body, the role or the child's episode is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { childEvent, iso } from '../helpers/child-events';
import { apiStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof apiStack>>;
const call: typeof stack.call = (...args) => stack.call(...args);
beforeAll(async () => {
  stack = await apiStack(localTokens);
});
afterAll(() => stack?.stop());

const BASE = '/v1/looked-after-children';
const SW = 'local-social-worker';
const SUPPORT = 'local-cic-business-support';
const DAY = 24 * 3_600_000;
type Deadline = { id: string; status: string; dueAt: string; anchorAt: string; occurrence: number };
const latest = (state: { deadlines: Deadline[] }, id: string) => state.deadlines.filter((d) => d.id === id).at(-1);
const EVERYONE = ['iro', 'iro_manager', 'school', 'virtual_school', 'gp', 'health'];

/** An emergency admission two days ago, in a GCSE year; answers once its first deadlines are armed. */
async function admit(episodeId: string) {
  const started = await call('POST', BASE, 'local-case-system', {
    episodeId,
    caseReference: `CASE-${episodeId}`,
    childReference: `CH-${episodeId}`,
    childDateOfBirth: '2011-03-04',
    lacStartAt: iso(-2 * DAY),
    emergency: true,
    legalBasis: 's20',
    approval: { by: 'director', at: iso(-2 * DAY), nextCarePanelDate: iso(7 * DAY).slice(0, 10) },
    placement: { placementId: `${episodeId}-P1`, type: 'foster' },
    education: { stage: 'gcse_year' },
  });
  expect(started.status).toBe(201);
}
/** The child-event route finds the episode by a search attribute: wait until visibility has it. */
async function visible(childReference: string) {
  await expect
    .poll(async () => (await stack.service.findRunning(childReference, ['looked-after-child'])).size, {
      timeout: 15_000,
    })
    .toBe(1);
}

describe('placement change key events through the API', () => {
  it('the episode’s own route: advise, notify (business support only), GP, Virtual Head; emails sent', async () => {
    await admit('PA1');
    const change = {
      placementId: 'PA1-P2',
      type: 'foster',
      startAt: iso(-60_000),
      planned: true,
      decidedAt: iso(-DAY),
      schoolChanges: true,
      gpChanges: true,
      placementPlanCompletedAt: iso(-2 * 60_000),
    };
    // Bad bodies: 400, nothing recorded.
    expect(
      (await call('POST', `${BASE}/PA1/placement-changed`, SW, { ...change, decidedAt: iso(60_000) })).status,
    ).toBe(400);
    expect(
      (await call('POST', `${BASE}/PA1/placement-changed`, SW, { ...change, educationStage: 'nursery' })).status,
    ).toBe(400);
    const afterMove = await call('POST', `${BASE}/PA1/placement-changed`, SW, { ...change, decidedAt: iso(-10_000) });
    expect(afterMove.status).toBe(400);
    expect(afterMove.body.errors).toEqual([expect.objectContaining({ path: 'body.decidedAt' })]);
    expect((await call('GET', `${BASE}/PA1`, SW)).body.placement.number).toBe(1);

    const changed = await call('POST', `${BASE}/PA1/placement-changed`, SW, change);
    expect(changed.status).toBe(200);
    expect(latest(changed.body, 'kev-placement-advise')).toMatchObject({ anchorAt: change.decidedAt });
    expect(latest(changed.body, 'kev-gp-registration')).toMatchObject({ status: 'pending', anchorAt: change.startAt });
    expect(latest(changed.body, 'lac-education-stability')).toMatchObject({ dueAt: change.startAt });

    // Nothing to notify before business support is told.
    expect((await call('POST', `${BASE}/PA1/placement-change-notified`, SUPPORT, { notified: EVERYONE })).status).toBe(
      409,
    );
    const advised = await call('POST', `${BASE}/PA1/placement-change-advised`, SW, {});
    expect(advised.status).toBe(200);
    expect(latest(advised.body, 'kev-placement-advise')).toMatchObject({ status: 'met' });
    // A planned move told to business support once it happened cannot be notified before it: 1 WD.
    const notify = latest(advised.body, 'kev-placement-notify');
    expect(notify).toMatchObject({ status: 'pending', breached: false });
    expect(notify!.dueAt > change.startAt).toBe(true);
    expect((await call('POST', `${BASE}/PA1/placement-change-advised`, SW, {})).status).toBe(409);

    // Only business support notifies; every required recipient must be named.
    expect((await call('POST', `${BASE}/PA1/placement-change-notified`, SW, { notified: EVERYONE })).status).toBe(403);
    const missing = await call('POST', `${BASE}/PA1/placement-change-notified`, SUPPORT, {
      notified: ['iro', 'school', 'gp'],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toContain('iro_manager');
    expect(
      (await call('POST', `${BASE}/PA1/placement-change-notified`, SUPPORT, { notified: [...EVERYONE, 'iro'] })).status,
    ).toBe(400);
    expect(
      (await call('POST', `${BASE}/PA1/placement-change-notified`, SUPPORT, { notified: [...EVERYONE, 'priest'] }))
        .status,
    ).toBe(400);
    const notified = await call('POST', `${BASE}/PA1/placement-change-notified`, SUPPORT, {
      notified: [...EVERYONE, 'advocate'],
    });
    expect(notified.status).toBe(200);
    expect(latest(notified.body, 'kev-placement-notify')).toMatchObject({ status: 'met', metBy: 'cicbs-1' });
    expect(notified.body.events.at(-1).summary).toBe(
      'placement change notified to iro, iro_manager, school, virtual_school, gp, health, advocate',
    );

    const registered = await call('POST', `${BASE}/PA1/gp-registered`, SW, {});
    expect(latest(registered.body, 'kev-gp-registration')).toMatchObject({ status: 'met' });
    const consulted = await call('POST', `${BASE}/PA1/virtual-head-consulted`, SW, {});
    expect(latest(consulted.body, 'lac-education-stability')).toMatchObject({ status: 'met' });
    expect((await call('POST', `${BASE}/PA1/virtual-head-consulted`, SW, {})).status).toBe(409);

    // The breach notice went by real SMTP: the Virtual Head gate was due at the move (out of working
    // hours, as the suite may run, the out-of-hours service is copied too: §2.4).
    const [gate] = await stack.smtp.waitFor(
      (mail) => mail.messageId === '<lac-PA1.lac-education-stability.1.r0.overdue@test.example>',
    );
    expect(gate!.to.filter((address) => address !== 'out-of-hours-service@example.test')).toEqual([
      'team-manager@example.test',
      'virtual-school@example.test',
    ]);
  });

  it('the child-event route: recorded against the running episode once; 409 without one; 400s and 403', async () => {
    await admit('PA2');
    await visible('CH-PA2');
    const movedAt = iso(-5 * 60_000);
    const event = childEvent('EV-PA2-1', 'placement-changed', {
      placementId: 'PA2-P2',
      placementType: 'residential',
      startAt: movedAt,
      planned: false,
      gpChanges: false,
      educationStage: 'gcse_year',
    });
    const recorded = await call('POST', '/v1/children/CH-PA2/events', 'local-case-system', event);
    expect(recorded.status).toBe(201);
    expect(recorded.location).toBe(`${BASE}/PA2`);
    expect(recorded.body.process).toMatchObject({ workflowId: 'lac-PA2', started: false });
    expect(recorded.body.state.eventIds).toEqual(['EV-PA2-1']);
    expect(recorded.body.state.placement).toMatchObject({ placementId: 'PA2-P2', number: 2 });
    // Unplanned: counted from the move; no GP change; no education gate for an unplanned move.
    expect(latest(recorded.body.state, 'kev-placement-advise')).toMatchObject({ anchorAt: movedAt });
    expect(latest(recorded.body.state, 'kev-gp-registration')).toBeUndefined();
    expect(latest(recorded.body.state, 'lac-education-stability')).toBeUndefined();

    // The same event again: 409, nothing changed.
    const again = await call('POST', '/v1/children/CH-PA2/events', 'local-case-system', event);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('EV-PA2-1');
    const state = (await call('GET', `${BASE}/PA2`, SW)).body;
    expect(state.placement.number).toBe(2);
    expect(state.deadlines.filter((d: Deadline) => d.id === 'kev-placement-advise')).toHaveLength(1);

    // A child with no running episode: 409, nothing started.
    const none = await call(
      'POST',
      '/v1/children/CH-PA-NONE/events',
      'local-case-system',
      childEvent('EV-PA-NONE', 'placement-changed', { ...event, eventId: 'EV-PA-NONE' }),
    );
    expect(none.status).toBe(409);
    expect(none.body.detail).toBe('the child has no running looked-after episode; nothing was recorded');

    // Bad events: 400; a reporter without the role: 403.
    const bad = (fields: Record<string, unknown>) =>
      call('POST', '/v1/children/CH-PA2/events', 'local-case-system', { ...event, eventId: 'EV-PA2-2', ...fields });
    expect((await bad({ startAt: iso(DAY) })).status).toBe(400);
    expect((await bad({ planned: undefined })).status).toBe(400);
    expect((await bad({ carerName: 'x' })).status).toBe(400);
    expect((await bad({ placementType: 'hotel' })).status).toBe(400);
    expect((await bad({ planned: true, decidedAt: iso(-60_000) })).status).toBe(400);
    expect(
      (await call('POST', '/v1/children/CH-PA2/events', 'local-iro', { ...event, eventId: 'EV-PA2-3' })).status,
    ).toBe(403);
    expect((await call('GET', `${BASE}/PA2`, SW)).body.eventIds).toEqual(['EV-PA2-1']);

    // The advice is still awaited from the move: the social worker records it on the episode.
    const advised = await call('POST', `${BASE}/PA2/placement-change-advised`, SW, {});
    expect(latest(advised.body, 'kev-placement-notify')).toMatchObject({ status: 'pending' });
  });
});
