/**
 * Property: whatever the start schemas accept, the real workflows run. Starts generated from the
 * accepted space (dates and instants drawn across their bounds, edges included) go through the
 * real API to the real workflows on a dev server; every start answers 201 with its first
 * deadlines armed, and afterwards no workflow has failed or had a workflow task fail.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { temporal } from '@temporalio/proto';
import type { TokenTable } from '../../src/config';
import { startPlanSchema } from '../../src/processes/child-protection-plan/schemas';
import { legalBases, placementTypes, startLookedAfterSchema } from '../../src/processes/looked-after-child/schemas';
import { legalStatuses, startNeedToKnowSchema } from '../../src/processes/need-to-know/schemas';
import { roles } from '../../src/roles';
import { contactTypes, startS47Schema, triggers } from '../../src/processes/s47-enquiry/schemas';
import { caseRoles, CLOCK_SKEW_MS, EARLIEST, YEARS_AHEAD } from '../../src/schemas';
import { apiStack } from '../helpers/stack';

const { EventType } = temporal.api.enums.v1;
const tokens: TokenTable = {
  'every-role-token': { person: 'prop-1', roles: [...roles, 'case_system', 'administrator'] },
};
const RUNS = 25;
const DAY = 86_400_000;
const now = Date.now();
const earliest = Date.parse(`${EARLIEST}T00:00:00Z`);
const ahead = new Date(now);
ahead.setUTCFullYear(ahead.getUTCFullYear() + YEARS_AHEAD);
const latestScheduled = ahead.getTime() - DAY;
// A run takes a while: stay a minute inside the skew so that "now" at validation still accepts it.
const latestHappened = now + CLOCK_SKEW_MS - 60_000;

/** An instant in [min, max], biased to the ends, written with one of several offsets. */
function instantIn(min: number, max: number): fc.Arbitrary<string> {
  const edges = [
    min,
    max,
    Math.min(max, Date.parse('2025-03-30T00:59:00Z')),
    Math.min(max, Date.parse('2024-02-29T23:30:00Z')),
    Math.min(max, Date.parse('2025-12-24T16:59:59Z')),
  ];
  const ms = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...edges.filter((t) => t >= min)) },
    { weight: 3, arbitrary: fc.integer({ min, max }) },
  );
  return fc.tuple(ms, fc.constantFrom(0, 60, -300, 330)).map(([t, offset]) => {
    if (offset === 0) return new Date(t).toISOString();
    const local = new Date(t + offset * 60_000).toISOString().slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });
}
const dateIn = (min: number, max: number) =>
  instantIn(min, max).map((value) => new Date(value).toISOString().slice(0, 10));
const happened = (min = earliest) => instantIn(min, latestHappened);
const planned = dateIn(earliest, latestScheduled);
const today = new Date(now).toISOString().slice(0, 10);
/** Born today at the latest, under 18 today (a day's margin at the far end). */
const childDob = dateIn(
  Date.parse(`${Number(today.slice(0, 4)) - 18}${today.slice(4)}T00:00:00Z`) + 2 * DAY,
  Date.parse(`${today}T00:00:00Z`),
);
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);
const people = fc.option(
  fc.dictionary(fc.constantFrom(...caseRoles), fc.constant(['someone@example.test']), { maxKeys: 3 }),
  { nil: undefined },
);

let counter = 0;
const nextId = (prefix: string) => `${prefix}${(counter += 1)}`;

const ntk = fc
  .record({
    category: fc.constantFrom(2, 3),
    item: fc.integer({ min: 1, max: 10 }),
    concernAroseAt: fc.option(happened(), { nil: undefined }),
    raisedAt: fc.option(happened(), { nil: undefined }),
    brevity: fc.constantFrom('full', 'brief'),
    dateOfBirth: fc.option(childDob, { nil: undefined }),
    legalStatus: fc.constantFrom(...legalStatuses),
    updateExpectedOn: planned,
    people,
  })
  .map(({ dateOfBirth, legalStatus, updateExpectedOn, ...rest }) => ({
    briefingId: nextId('PN'),
    caseReference: 'CASE-PROP',
    ...rest,
    briefing: {
      child: { reference: 'CH-1', name: 'Test Child', legalStatus, dateOfBirth },
      concern: 'A concern.',
      actionTaken: 'An action.',
      updateExpectedOn,
      contact: { name: 'Sam Worker' },
    },
  }));

const s47 = fc
  .record({
    trigger: fc.constantFrom(...triggers),
    receivedAt: fc.option(happened(), { nil: undefined }),
    contactType: fc.constantFrom(...contactTypes),
    children: fc.array(
      fc.constantFrom('C1', 'C2', 'C3').map((reference) => ({ reference })),
      { minLength: 1, maxLength: 3 },
    ),
    otherLocalAuthority: fc.boolean(),
    people,
  })
  .map((body) => ({ contactId: nextId('PS'), caseReference: 'CASE-PROP', ...body }));

const plan = fc
  .record({
    childDateOfBirth: fc.option(childDob, { nil: undefined }),
    start: fc.oneof(
      happened().map((icpcHeldAt) => ({ icpcHeldAt })),
      fc.record({ transferIn: fc.record({ notifiedAt: happened(), fromAuthority: text }) }),
    ),
    people,
  })
  .map(({ start, ...body }) => ({
    planId: nextId('PP'),
    caseReference: 'CASE-PROP',
    childReference: 'C1',
    ...body,
    ...start,
  }));

const lac = childDob
  .chain((dob) => {
    const born = Math.max(earliest, Date.parse(`${dob}T00:00:00Z`));
    return fc.record({
      childDateOfBirth: fc.constant(dob),
      lacStartAt: happened(born),
      emergency: fc.boolean(),
      legalBasis: fc.constantFrom(...legalBases),
      approvalAt: happened(),
      type: fc.constantFrom(...placementTypes),
      placementLater: fc.option(fc.integer({ min: 0, max: 30 * DAY }), { nil: undefined }),
      panelDays: fc.integer({ min: 0, max: 60 }),
      education: fc.option(
        fc.record({ stage: fc.constantFrom('primary', 'secondary', 'gcse_year', 'a_level_year', 'other' as const) }),
        { nil: undefined },
      ),
      lastSupervisionAt: fc.option(happened(), { nil: undefined }),
      lastDentalCheckAt: fc.option(happened(), { nil: undefined }),
      preAdmission: fc.option(
        fc.record({
          statutoryAssessmentCompletedAt: fc.option(happened(), { nil: undefined }),
          kinshipOptionsExplored: fc.boolean(),
          pepInitiatedAt: fc.option(happened(), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      onChildProtectionPlan: fc.boolean(),
      people,
    });
  })
  .map(({ approvalAt, type, placementLater, panelDays, ...body }) => {
    const start = Date.parse(body.lacStartAt);
    const placementStart =
      placementLater === undefined
        ? undefined
        : new Date(Math.min(start + placementLater, latestHappened)).toISOString();
    const panel = new Date(start + panelDays * DAY).toISOString().slice(0, 10);
    const episodeId = nextId('PL');
    return {
      episodeId,
      caseReference: 'CASE-PROP',
      childReference: 'C1',
      ...body,
      approval: {
        by: body.emergency ? 'director' : 'care_panel',
        at: approvalAt,
        nextCarePanelDate: body.emergency || panelDays % 2 ? panel : undefined,
      },
      placement: { placementId: `${episodeId}-P1`, type, startAt: placementStart },
    };
  });

let stack: Awaited<ReturnType<typeof apiStack>>;
const started: string[] = [];

beforeAll(async () => {
  stack = await apiStack(tokens);
});
afterAll(() => stack?.stop());

/** JSON as a case system sends it: no undefined members. */
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

async function startAccepted(resource: string, schema: z.ZodType, body: Record<string, unknown>, idField: string) {
  const accepted = schema.safeParse(body);
  expect(accepted.success, `generator left the accepted space: ${JSON.stringify(accepted.error?.issues)}`).toBe(true);
  const response = await stack.call('POST', `/v1/${resource}`, 'every-role-token', body);
  expect(response.status, JSON.stringify({ body, response: response.body })).toBe(201);
  expect(response.body.deadlines.length, JSON.stringify(body)).toBeGreaterThan(0);
  if ('ready' in response.body) expect(response.body.ready, JSON.stringify(body)).toBe(true);
  for (const d of response.body.deadlines) expect(Number.isNaN(Date.parse(d.dueAt)), `${d.id} ${d.dueAt}`).toBe(false);
  started.push(response.body.workflowId);
  expect(response.body.id).toBe(body[idField]);
}

describe('every start the schemas accept runs on the real workflows', () => {
  const options = { numRuns: RUNS, endOnFailure: true };

  it('Need to Know', async () => {
    await fc.assert(
      fc.asyncProperty(ntk, (body) => startAccepted('need-to-know', startNeedToKnowSchema, json(body), 'briefingId')),
      options,
    );
  });
  it('Section 47 enquiry', async () => {
    await fc.assert(
      fc.asyncProperty(s47, (body) => startAccepted('s47-enquiries', startS47Schema, json(body), 'contactId')),
      options,
    );
  });
  it('child protection plan', async () => {
    await fc.assert(
      fc.asyncProperty(plan, (body) => startAccepted('child-protection-plans', startPlanSchema, json(body), 'planId')),
      options,
    );
  });
  it('looked-after child', async () => {
    await fc.assert(
      fc.asyncProperty(lac, (body) =>
        startAccepted('looked-after-children', startLookedAfterSchema, json(body), 'episodeId'),
      ),
      options,
    );
  });

  it('and none of them failed, or had a workflow task fail', async () => {
    expect(started.length).toBe(4 * RUNS);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const workflowId of started) {
      const handle = stack.env.client.workflow.getHandle(workflowId);
      expect((await handle.describe()).status.name, workflowId).not.toMatch(/FAILED|TERMINATED|TIMED_OUT/);
      const history = await handle.fetchHistory();
      const failed = (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect(
        failed.map((e) => e.workflowTaskFailedEventAttributes?.failure?.message),
        workflowId,
      ).toEqual([]);
    }
    console.log(`property: ${started.length} generated starts ran on the real workflows`);
  });
});
