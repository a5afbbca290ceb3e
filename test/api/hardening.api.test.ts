/**
 * What a careless or hostile caller sends, on the real API over a real dev server: inherited
 * property names as tokens, ids and fields; malformed URLs, encodings and media types; unknown
 * fields; senior roles and outside addresses in `people`; impossible dates; a decision applied
 * whose state read then failed. Every answer is a 4xx (or a 503 saying it was applied), never a 500.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProblem } from '../../src/api/problem';
import { ProcessService } from '../../src/api/process-service';
import type { TokenTable } from '../../src/config';
import { roles } from '../../src/roles';
import { apiStack } from '../helpers/stack';
import { briefingRequest } from '../helpers/need-to-know';

/** Fails every state read while `failing` is set, with the real worker's answer to an unknown query. */
class FlakyReads extends ProcessService {
  failing = false;
  override query<T>(workflowId: string, query: QueryDefinition<T>, options?: { timeoutMs?: number }): Promise<T> {
    return this.failing
      ? super.query(workflowId, defineQuery<T>('noSuchQuery'), options)
      : super.query(workflowId, query, options);
  }
}

const tokens: TokenTable = {
  'every-role-token': { person: 'fuzz-1', roles: [...roles, 'case_system', 'administrator'] },
  'social-worker-token': { person: 'sw-1', roles: ['social_worker'] },
  'pgl-token-0001': { person: 'pgl-1', roles: ['pgl'] },
  'admin-token-001': { person: 'admin-1', roles: ['administrator'] },
};
const ALL = 'every-role-token';
const inherited = Object.getOwnPropertyNames(Object.prototype);
const DAY = 86_400_000;
const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();

let stack: Awaited<ReturnType<typeof apiStack>>;
let flaky: FlakyReads;
const logs: string[] = [];
const call: typeof stack.call = (...args) => stack.call(...args);
let operations: Array<{ method: string; path: string; body: boolean }> = [];

async function raw(method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array) {
  const response = await fetch(`${stack.base}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  stack = await apiStack(tokens, {
    service: (options) => (flaky = new FlakyReads(options)),
    mailDomains: ['example.test', 'council.example'],
    log: (message, error) => logs.push(error === undefined ? message : `${message} ${String(error)}`),
  });
  expect((await call('POST', '/v1/need-to-know', ALL, briefingRequest('H1'))).status).toBe(201);
  const document = (await call('GET', '/v1/openapi.json', undefined)).body as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      body: operation.requestBody !== undefined,
    })),
  );
});
afterAll(() => stack?.stop());

describe('inherited property names', () => {
  it('are no token on any route (401), even for a process that exists', async () => {
    expect(operations.length).toBeGreaterThan(80);
    for (const name of inherited) {
      for (const { method, path } of operations.filter(
        (o) => o.path.startsWith('/v1/') && !o.path.startsWith('/v1/openapi'),
      )) {
        const response = await call(method, path.replace('{id}', 'H1'), name, method === 'POST' ? {} : undefined);
        expect(response.status, `${name} on ${method} ${path}`).toBe(401);
      }
    }
  });

  it('are no id (400 naming the path) on every id route', async () => {
    for (const name of inherited) {
      for (const { method, path } of operations.filter((o) => o.path.includes('{id}'))) {
        const response = await call(
          method,
          path.replace('{id}', encodeURIComponent(name)),
          ALL,
          method === 'POST' ? {} : undefined,
        );
        expect(response.status, `${name} as id on ${method} ${path}`).toBe(400);
        expect(response.body.errors, `${name} as id on ${method} ${path}`).toEqual(
          expect.arrayContaining([expect.objectContaining({ path: 'path.id' })]),
        );
      }
    }
  });

  it('are no field (400 naming it) in any body, nor a role in people', async () => {
    for (const name of inherited) {
      for (const { method, path } of operations.filter((o) => o.body && o.path !== '/v1/deadlines/calculate')) {
        const response = await call(
          method,
          path.replace('{id}', 'H1').replace('{childReference}', 'CH-H1'),
          ALL,
          `{${JSON.stringify(name)}: 1}`,
        );
        expect(response.status, `${name} as field on ${path}`).toBe(400);
        expect(response.body.errors, `${name} as field on ${path}`).toEqual(
          expect.arrayContaining([{ path: `body.${name}`, message: 'unknown field: not accepted' }]),
        );
      }
      const people = await call(
        'POST',
        '/v1/need-to-know',
        ALL,
        `{"briefingId":"H-P","people":{${JSON.stringify(name)}:["a@example.test"]}}`,
      );
      expect(people.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: `body.people.${name}` })]),
      );
      const query = await raw(
        'GET',
        `/v1/deadlines/calculate?rule=icpc-held&anchor=2025-04-22T10:00:00Z&${encodeURIComponent(name)}=1`,
        { authorization: `Bearer ${ALL}` },
      );
      expect(query.status).toBe(400);
      const rule = await raw(
        'GET',
        `/v1/deadlines/calculate?rule=${encodeURIComponent(name)}&anchor=2025-04-22T10:00:00Z`,
        { authorization: `Bearer ${ALL}` },
      );
      expect(rule.body.errors).toEqual([{ path: 'query.rule', message: 'unknown deadline id' }]);
    }
    expect((await call('GET', '/v1/need-to-know/H-P', ALL)).status).toBe(404);
  });
});

describe('malformed requests', () => {
  it('a malformed percent-encoding in an id is a 400 on every id route', async () => {
    for (const { method, path } of operations.filter((o) => o.path.includes('{id}'))) {
      const response = await call(method, path.replace('{id}', '%ZZ'), ALL, method === 'POST' ? {} : undefined);
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.title).toBe('Malformed URL');
    }
  });

  it('a body that does not match its Content-Encoding is a 400 logged in one line; unknown encodings 415', async () => {
    const body = JSON.stringify(briefingRequest('H2'));
    logs.length = 0;
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const response = await raw(
        'POST',
        '/v1/need-to-know',
        { authorization: `Bearer ${ALL}`, 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      );
      expect(response.status, encoding).toBe(400);
      expect(response.body.title).toBe('Malformed body');
      // Nobody unknown makes the service inflate anything.
      expect(
        (
          await raw(
            'POST',
            '/v1/need-to-know',
            { 'content-type': 'application/json', 'content-encoding': encoding },
            body,
          )
        ).status,
      ).toBe(401);
    }
    expect(logs).toEqual([
      'rejected a POST request: 400 Malformed body',
      'rejected a POST request: 400 Malformed body',
      'rejected a POST request: 400 Malformed body',
    ]);
    const unknown = await raw(
      'POST',
      '/v1/need-to-know',
      { authorization: `Bearer ${ALL}`, 'content-type': 'application/json', 'content-encoding': 'zstd-ish' },
      body,
    );
    expect(unknown.status).toBe(415);
    expect((await call('GET', '/v1/need-to-know/H2', ALL)).status).toBe(404);
  });

  it('a body in anything but JSON is a 415, never applied as {}', async () => {
    const auth = { authorization: `Bearer ${ALL}` };
    const cases: Array<[Record<string, string>, string | Uint8Array]> = [
      [{ 'content-type': 'text/plain' }, JSON.stringify(briefingRequest('H3'))],
      [{ 'content-type': 'application/xml' }, '<briefing id="H3"/>'],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'briefingId=H3'],
      [{}, new TextEncoder().encode(JSON.stringify(briefingRequest('H3')))],
    ];
    for (const [headers, body] of cases) {
      expect(
        (await raw('POST', '/v1/need-to-know', { ...auth, ...headers }, body)).status,
        JSON.stringify(headers),
      ).toBe(415);
      const decision = await raw('POST', '/v1/need-to-know/H1/deadlines-recomputed', { ...auth, ...headers }, body);
      expect(decision.status, JSON.stringify(headers)).toBe(415);
    }
    expect((await call('GET', '/v1/need-to-know/H3', ALL)).status).toBe(404);
    // A decision with no fields: no body at all, or {}, is fine.
    expect(
      (await raw('POST', '/v1/need-to-know/H1/deadlines-recomputed', { authorization: 'Bearer admin-token-001' }))
        .status,
    ).toBe(200);
    expect((await call('POST', '/v1/need-to-know/H1/deadlines-recomputed', 'admin-token-001', {})).status).toBe(200);
    expect(
      (await call('POST', '/v1/need-to-know/H1/deadlines-recomputed', 'admin-token-001', { everything: true })).status,
    ).toBe(400);
  });

  it('unknown fields are refused, each named, and nothing is started', async () => {
    const response = await call('POST', '/v1/s47-enquiries', ALL, {
      contactId: 'H4',
      caseReference: 'CASE-H4',
      childName: 'Jane Example',
      children: [{ reference: 'C1', name: 'Jane Example', dateOfBirth: '2015-01-01' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'body.children.0.name', message: 'unknown field: not accepted' },
      { path: 'body.children.0.dateOfBirth', message: 'unknown field: not accepted' },
      { path: 'body.childName', message: 'unknown field: not accepted' },
    ]);
    expect((await call('GET', '/v1/s47-enquiries/H4', ALL)).status).toBe(404);
  });

  it('the OpenAPI document says so: additionalProperties false', async () => {
    const doc = (await call('GET', '/v1/openapi.json', undefined)).body;
    const start = doc.paths['/v1/s47-enquiries'].post.requestBody.content['application/json'].schema;
    expect(start.additionalProperties).toBe(false);
    expect(start.properties.children.items.additionalProperties).toBe(false);
  });
});

describe('people and mail domains', () => {
  it('senior roles come from the directory only: people.director, pgl, head_of_service are 400 naming the field', async () => {
    const response = await call(
      'POST',
      '/v1/need-to-know',
      ALL,
      briefingRequest('H5', {
        people: {
          director: ['outsider@example.test'],
          pgl: ['outsider@example.test'],
          head_of_service: ['outsider@example.test'],
          social_worker: ['sam@example.test'],
        },
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.people.director',
      'body.people.head_of_service',
      'body.people.pgl',
    ]);
    expect(response.body.errors[0].message).toContain('directory');
    expect((await call('GET', '/v1/need-to-know/H5', ALL)).status).toBe(404);
  });

  it('an address outside the allowed mail domains is 400 naming the field; an allowed one is used', async () => {
    const outside = await call(
      'POST',
      '/v1/need-to-know',
      ALL,
      briefingRequest('H6', { people: { social_worker: ['sam@example.test', 'outsider@evil.test'] } }),
    );
    expect(outside).toMatchObject({
      status: 400,
      body: {
        errors: [{ path: 'body.people.social_worker.1', message: expect.stringContaining('MAIL_ALLOWED_DOMAINS') }],
      },
    });
    const contact = briefingRequest('H6');
    const withContact = {
      ...contact,
      briefing: { ...contact.briefing, contact: { name: 'Sam Worker', email: 'sam@evil.test' } },
    };
    expect((await call('POST', '/v1/need-to-know', ALL, withContact)).body.errors).toEqual([
      expect.objectContaining({ path: 'body.briefing.contact.email' }),
    ]);
    const revised = await call('POST', '/v1/need-to-know/H1/briefing-revised', ALL, { briefing: withContact.briefing });
    expect(revised.body.errors).toEqual([expect.objectContaining({ path: 'body.briefing.contact.email' })]);
    expect((await call('GET', '/v1/need-to-know/H6', ALL)).status).toBe(404);

    // A subdomain is another domain; the configured one, in any case, is accepted.
    expect(
      (
        await call(
          'POST',
          '/v1/need-to-know',
          ALL,
          briefingRequest('H6', { people: { social_worker: ['sam@mail.council.example'] } }),
        )
      ).status,
    ).toBe(400);
    const started = await call(
      'POST',
      '/v1/need-to-know',
      ALL,
      briefingRequest('H6', { category: 3, item: 1, people: { team_manager: ['Tess@Council.Example'] } }),
    );
    expect(started.status).toBe(201);
  });
});

describe('dates and instants', () => {
  const errorsFor = async (path: string, body: unknown) => {
    const response = await call('POST', path, ALL, body);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    return response.body.errors.map((e: { path: string }) => e.path);
  };

  it('years 0000, 1000 and 9999 are refused at once, in instants and dates', async () => {
    for (const year of ['0000', '1000', '9999']) {
      expect(
        await errorsFor('/v1/need-to-know', briefingRequest('H7', { concernAroseAt: `${year}-03-10T11:00:00Z` })),
      ).toEqual(['body.concernAroseAt']);
      const b = briefingRequest('H7');
      expect(
        await errorsFor('/v1/need-to-know', { ...b, briefing: { ...b.briefing, updateExpectedOn: `${year}-01-01` } }),
      ).toEqual(['body.briefing.updateExpectedOn']);
      expect(
        await errorsFor('/v1/need-to-know/H1/update-sent', { summary: 'x', nextUpdateExpectedOn: `${year}-01-01` }),
      ).toEqual(['body.nextUpdateExpectedOn']);
      expect(
        await errorsFor('/v1/s47-enquiries/H1/icpc-scheduled', { scheduledStart: `${year}-01-01T10:00:00Z` }),
      ).toEqual(['body.scheduledStart']);
      const anchor = await raw('GET', `/v1/deadlines/calculate?rule=icpc-held&anchor=${year}-04-22T10:00:00Z`, {
        authorization: `Bearer ${ALL}`,
      });
      expect(anchor).toMatchObject({ status: 400, body: { errors: [{ path: 'query.anchor' }] } });
    }
    expect((await call('GET', '/v1/need-to-know/H7', ALL)).status).toBe(404);
  });

  it('what happened cannot lie ahead beyond 5 minutes; what is scheduled may, up to 20 years', async () => {
    const twoWeeks = iso(14 * DAY);
    expect(
      await errorsFor('/v1/s47-enquiries/H1/icpc-held', {
        heldAt: twoWeeks,
        decisions: [{ childReference: 'C1', decision: 'no_plan' }],
      }),
    ).toEqual(['body.heldAt']);
    expect(await errorsFor('/v1/need-to-know', briefingRequest('H8', { concernAroseAt: iso(10 * 60_000) }))).toEqual([
      'body.concernAroseAt',
    ]);
    const admission = {
      episodeId: 'H8',
      caseReference: 'CASE-H8',
      childReference: 'CH-H8',
      childDateOfBirth: '2016-05-04',
      lacStartAt: iso(120 * DAY),
      emergency: false,
      legalBasis: 's20',
      approval: { by: 'care_panel', at: iso(-DAY) },
      placement: { placementId: 'H8-P1', type: 'foster' },
    };
    expect(await errorsFor('/v1/looked-after-children', admission)).toEqual(['body.lacStartAt']);
    expect((await call('GET', '/v1/looked-after-children/H8', ALL)).status).toBe(404);
    expect(stack.smtp.messages.filter((m) => m.messageId.startsWith('<lac-H8'))).toEqual([]);

    // Within the skew, and a booking ahead, pass validation (they reach the process: 404 for an unknown id).
    expect(
      (
        await call('POST', '/v1/s47-enquiries/NOPE/icpc-held', ALL, {
          heldAt: iso(60_000),
          decisions: [{ childReference: 'C1', decision: 'no_plan' }],
        })
      ).status,
    ).toBe(404);
    expect(
      (await call('POST', '/v1/s47-enquiries/NOPE/icpc-scheduled', ALL, { scheduledStart: iso(365 * DAY) })).status,
    ).toBe(404);
    expect(await errorsFor('/v1/s47-enquiries/NOPE/icpc-scheduled', { scheduledStart: iso(21 * 366 * DAY) })).toEqual([
      'body.scheduledStart',
    ]);
    expect(await errorsFor('/v1/s47-enquiries/NOPE/referrer-acknowledged', { at: '1989-12-31T23:59:59Z' })).toEqual([
      'body.at',
    ]);
  });

  it('a date of birth lies within the child’s lifetime', async () => {
    const plan = { planId: 'H9', caseReference: 'CASE-H9', childReference: 'C1', icpcHeldAt: iso(-DAY) };
    expect(
      await errorsFor('/v1/child-protection-plans', { ...plan, childDateOfBirth: iso(2 * DAY).slice(0, 10) }),
    ).toEqual(['body.childDateOfBirth']);
    expect(await errorsFor('/v1/child-protection-plans', { ...plan, childDateOfBirth: '0000-01-01' })).toEqual([
      'body.childDateOfBirth',
    ]);
    const b = briefingRequest('H9');
    expect(
      await errorsFor('/v1/need-to-know', {
        ...b,
        briefing: { ...b.briefing, child: { ...b.briefing.child, dateOfBirth: '1900-01-01' } },
      }),
    ).toEqual(['body.briefing.child.dateOfBirth']);
    expect(
      await errorsFor('/v1/s47-enquiries/NOPE/icpc-held', {
        heldAt: iso(),
        decisions: [{ childReference: 'C1', decision: 'cp_plan', planId: 'P9', childDateOfBirth: '9999-01-01' }],
      }),
    ).toEqual(['body.decisions.0.childDateOfBirth']);
  });
});

describe('a decision applied whose state read failed', () => {
  it('answers 503 with Retry-After saying it was applied, never a failure', async () => {
    // A long-running process's update returns nothing: the route reads the state after it.
    const start = { planId: 'H10', caseReference: 'CASE-H10', childReference: 'C1', icpcHeldAt: iso(-DAY) };
    expect((await call('POST', '/v1/child-protection-plans', ALL, start)).status).toBe(201);
    flaky.failing = true;
    let response;
    try {
      response = await raw(
        'POST',
        '/v1/child-protection-plans/H10/supervision-recorded',
        { authorization: `Bearer ${ALL}`, 'content-type': 'application/json' },
        JSON.stringify({ at: iso() }),
      );
    } finally {
      flaky.failing = false;
    }
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('location')).toBe('/v1/child-protection-plans/H10');
    expect(response.body).toMatchObject({ applied: true, detail: expect.stringContaining('was applied') });
    expect(logs.at(-1)).toMatch(/^decision applied to cpp-H10; reading its state failed/);
    // It was: the supervision is recorded.
    const read = await call('GET', '/v1/child-protection-plans/H10', ALL);
    expect(read.body.deadlines.find((d: { id: string }) => d.id === 'sup-cp')).toMatchObject({
      status: 'met',
      metBy: 'fuzz-1',
    });
  });
});

describe('what a refused decision says', () => {
  it('a process’s own refusal is passed on; an internal failure is not', async () => {
    const failing = (cause: Error) => {
      const handle = {
        executeUpdate: () => Promise.reject(new WorkflowUpdateFailedError('Workflow Update failed', cause)),
      };
      return new ProcessService({
        client: { workflow: { getHandle: () => handle } } as unknown as Client,
        taskQueue: 'q',
        namespace: 'default',
        webUiUrl: 'http://x',
      });
    };
    const refused = await failing(ApplicationFailure.create({ type: 'StageConflict', message: 'category 3 only' }))
      .update('ntk-X', 'u', {})
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, detail: 'category 3 only' });
    const internal = await failing(
      ApplicationFailure.create({ message: 'not a local date (YYYY-MM-DD): +010000-01-01' }),
    )
      .update('ntk-X', 'u', {})
      .catch((e: unknown) => e);
    expect(internal).toBeInstanceOf(HttpProblem);
    expect(internal).toMatchObject({ status: 409, detail: 'the process could not apply this decision' });
    expect(JSON.stringify(internal)).not.toContain('local date');
  });
});
