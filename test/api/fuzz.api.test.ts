/**
 * A bounded fuzz run generated from the service's own OpenAPI document, over every route, against
 * the real API on a real dev server: invalid JSON, wrong types, enum garbage, absurd dates, huge
 * strings, deep nesting, prototype keys, unknown fields, odd ids, tokens, encodings and media
 * types. No answer may be a 5xx, and no workflow may be started by a rejected request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFromConfig, loadConfig, type TokenTable } from '../../src/config';
import { EvidenceReports } from '../../src/evidence/reports';
import type { EvidenceStore } from '../../src/evidence/store';
import { localOrganisation } from '../../src/organisation';
import { testEvidenceStore } from '../helpers/evidence';
import { roles } from '../../src/roles';
import { apiStack } from '../helpers/stack';

const TOKEN = 'every-role-token';
const tokens: TokenTable = { [TOKEN]: { person: 'fuzz-1', roles: [...roles, 'case_system', 'administrator'] } };
/** Requests per operation drawn from its mutations (besides ids, tokens and encodings). */
const PER_OPERATION = 40;
const DAY = 86_400_000;
const iso = (offset = 0) => new Date(Date.now() + offset).toISOString();

// A seeded generator: the same run every time, so a failure can be replayed.
let seed = 20_261_201;
const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
function sample<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minimum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};
interface Operation {
  method: string;
  path: string;
  body?: Schema;
  query?: string[];
}

/** A plausible value for a schema: what the mutations start from. */
function example(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternative = schema.anyOf ?? schema.oneOf;
  if (alternative) return example(alternative.find((s) => s.type !== 'null') ?? alternative[0], depth + 1);
  if (schema.allOf) return example(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, example(schema.properties?.[key], depth + 1)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => example(schema.items, depth + 1));
    case 'string':
      if (schema.format === 'date-time') return iso(-DAY);
      if (schema.format === 'date') return iso(DAY).slice(0, 10);
      if (schema.format === 'email') return 'someone@example.test';
      return 'X1';
    case 'integer':
    case 'number':
      return schema.minimum ?? 2;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const deep = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
const badValues: unknown[] = [
  null,
  12_345,
  -1e308,
  1.5,
  'x',
  '',
  true,
  [],
  {},
  'not-an-option',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  '1000-01-01',
  '2026-03-10T11:00:00',
  iso(30 * DAY),
  'A'.repeat(100_000),
  'B'.repeat(300_000),
  '\u0000\u202e<script>',
  deep(2_000),
  { __proto__: null, constructor: { prototype: { polluted: true } } },
  ['a@evil.test'],
];
const rawBodies = [
  '{',
  '[1,',
  'nul',
  '{"a":}',
  '"\\ud800"',
  'null',
  '[]',
  '1',
  '"x"',
  'true',
  `{"x":${'['.repeat(100_000)}}`,
];
const oddIds = [
  '%ZZ',
  '%00',
  '..',
  '%2e%2e',
  'a'.repeat(300),
  '%F0%9F%98%80',
  ' ',
  '%20',
  'constructor',
  '__proto__',
  'ntk-',
  '-x',
  'x%2Fy',
  'NOPE',
];
const oddTokens = [
  undefined,
  '',
  'constructor',
  '__proto__',
  'toString',
  'x'.repeat(5_000),
  `${TOKEN} `,
  TOKEN.toUpperCase(),
];
const encodings: Array<Record<string, string>> = [
  { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  { 'content-type': 'application/json', 'content-encoding': 'deflate' },
  { 'content-type': 'application/json', 'content-encoding': 'br' },
  { 'content-type': 'application/json', 'content-encoding': 'compress' },
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/xml' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'application/json; charset=latin1' },
  { 'content-type': 'multipart/form-data; boundary=x' },
];

/** Every value of a body with one field (top level or one level down) replaced, removed, or a key added. */
function mutations(skeleton: unknown): string[] {
  const out: string[] = [...rawBodies];
  if (!skeleton || typeof skeleton !== 'object' || Array.isArray(skeleton)) {
    out.push(...badValues.map((v) => JSON.stringify(v)));
    return out;
  }
  const base = skeleton as Record<string, unknown>;
  out.push(JSON.stringify(base));
  for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'actor', 'childName']) {
    out.push(JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(key)}:{"isAdmin":true},`));
  }
  for (const [key, value] of Object.entries(base)) {
    out.push(JSON.stringify(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))));
    for (const bad of badValues) out.push(JSON.stringify({ ...base, [key]: bad }));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner] of Object.entries(value)) {
        for (const bad of sample(badValues, 6))
          out.push(JSON.stringify({ ...base, [key]: { ...(value as object), [inner]: bad } }));
      }
    }
  }
  return out;
}

const idFields = new Map([
  ['need-to-know', 'briefingId'],
  ['s47-enquiries', 'contactId'],
  ['child-protection-plans', 'planId'],
  ['looked-after-children', 'episodeId'],
]);

let stack: Awaited<ReturnType<typeof apiStack>>;
let evidence: EvidenceStore | undefined;
let operations: Operation[] = [];
/** The processes every decision route is aimed at (besides odd ids). */
const fixtures = new Map<string, string>();

beforeAll(async () => {
  // The read routes get a store, so that every route is fuzzed against a working service.
  evidence = await testEvidenceStore();
  const calendar = calendarFromConfig(loadConfig({}));
  stack = await apiStack(tokens, {
    reports: new EvidenceReports({ store: evidence, calendar, organisation: localOrganisation }),
  });
  const starts: Array<[string, Record<string, unknown>]> = [
    [
      'need-to-know',
      {
        briefingId: 'F1',
        caseReference: 'CASE-F',
        category: 2,
        item: 4,
        briefing: {
          child: { reference: 'C1', name: 'Test Child', legalStatus: 'cin' },
          concern: 'c',
          actionTaken: 'a',
          updateExpectedOn: iso(30 * DAY).slice(0, 10),
          contact: { name: 'Sam' },
        },
      },
    ],
    ['s47-enquiries', { contactId: 'F1', caseReference: 'CASE-F', children: [{ reference: 'C1' }] }],
    [
      'child-protection-plans',
      {
        planId: 'F1',
        caseReference: 'CASE-F',
        childReference: 'C1',
        childDateOfBirth: '2016-01-01',
        icpcHeldAt: iso(-DAY),
      },
    ],
    [
      'looked-after-children',
      {
        episodeId: 'F1',
        caseReference: 'CASE-F',
        childReference: 'C1',
        childDateOfBirth: '2016-01-01',
        lacStartAt: iso(-DAY),
        emergency: false,
        legalBasis: 's20',
        approval: { by: 'care_panel', at: iso(-2 * DAY) },
        placement: { placementId: 'F1-P1', type: 'foster' },
      },
    ],
  ];
  for (const [resource, body] of starts) {
    const response = await stack.call('POST', `/v1/${resource}`, TOKEN, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    fixtures.set(resource, 'F1');
  }
  type Doc = {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content: { 'application/json': { schema: Schema } } };
          parameters?: Array<{ in: string; name: string }>;
        }
      >
    >;
  };
  const doc = (await stack.call('GET', '/v1/openapi.json', undefined)).body as Doc;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      body: op.requestBody?.content['application/json'].schema,
      query: op.parameters?.filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
});
afterAll(async () => {
  await stack?.stop();
  await evidence?.close();
});

describe('fuzz from the OpenAPI document', () => {
  it('answers every request with no 5xx and starts no workflow for a rejected one', async () => {
    const began = Date.now();
    const histogram = new Map<number, number>();
    const accepted = new Set<string>(['ntk-F1', 's47-F1', 'cpp-F1', 'lac-F1']);
    const fivexx: string[] = [];
    let count = 0;
    let n = 0;

    const send = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
      const response = await fetch(`${stack.base}${path}`, { method, headers, body });
      const text = await response.text();
      count += 1;
      histogram.set(response.status, (histogram.get(response.status) ?? 0) + 1);
      if (response.status >= 500)
        fivexx.push(
          `${response.status} ${method} ${path.slice(0, 120)} ${body?.slice(0, 200)} -> ${text.slice(0, 300)}`,
        );
      if (response.status === 201 || response.status === 200) {
        const parsed = JSON.parse(text) as { workflowId?: string; planHandOvers?: Array<{ workflowId: string }> };
        if (parsed.workflowId) accepted.add(parsed.workflowId);
        for (const handOver of parsed.planHandOvers ?? []) accepted.add(handOver.workflowId);
      }
      return response.status;
    };
    const auth = (token: string | undefined = TOKEN): Record<string, string> =>
      token === undefined ? {} : { authorization: `Bearer ${token}` };

    expect(operations.length).toBeGreaterThan(80);
    for (const op of operations) {
      const resource = op.path.split('/')[2]!;
      const concrete = (id: string) => op.path.replace('{id}', id);
      const target = concrete(fixtures.get(resource) ?? 'NOPE');
      if (op.method === 'GET' && op.query?.length) {
        const queries = [
          'rule=icpc-held&anchor=2025-04-22T10:00:00Z',
          'rule=icpc-held&anchor=0000-01-01T00:00:00Z',
          'rule=icpc-held&anchor=%2B275760-09-13T00:00:00Z',
          'rule=icpc-held&rule=cp-visit&anchor=2025-04-22T10:00:00Z',
          'rule=__proto__&anchor=2025-04-22T10:00:00Z',
          'rule=constructor&anchor=2025-04-22T10:00:00Z&constructor=1',
          'rule=icpc-held&anchor=%ZZ',
          `rule=${'x'.repeat(10_000)}&anchor=2025-04-22T10:00:00Z`,
          'anchor=2025-04-22T10:00:00Z',
          'rule=lac-panel-ratify&anchor=2025-04-22T10:00:00Z',
        ];
        for (const query of queries) await send('GET', `${op.path}?${query}`, auth());
      }
      if (op.path.includes('{id}')) {
        for (const id of sample(oddIds, 4))
          await send(
            op.method,
            concrete(id),
            { ...auth(), 'content-type': 'application/json' },
            op.method === 'POST' ? '{}' : undefined,
          );
      }
      for (const token of sample(oddTokens, 2))
        await send(
          op.method,
          target,
          { ...auth(token), 'content-type': 'application/json' },
          op.method === 'POST' ? '{}' : undefined,
        );
      if (!op.body) {
        if (op.method === 'GET') await send('GET', target, auth());
        continue;
      }
      const skeleton = example(op.body) as Record<string, unknown> | unknown[];
      const idField = op.path === `/v1/${resource}` ? idFields.get(resource) : undefined;
      const withId = (text: string) =>
        idField ? text.replace(`"${idField}":"X1"`, `"${idField}":"Z${(n += 1)}"`) : text;
      const encoding = pick(encodings);
      await send('POST', target, { ...auth(), ...encoding }, withId(JSON.stringify(skeleton)));
      for (const body of sample(mutations(skeleton), PER_OPERATION))
        await send('POST', target, { ...auth(), 'content-type': 'application/json' }, withId(body));
    }
    const seconds = (Date.now() - began) / 1_000;

    // Visibility catches up with the starts within moments.
    await new Promise((r) => setTimeout(r, 1_500));
    const listed: string[] = [];
    for await (const execution of stack.env.client.workflow.list()) listed.push(execution.workflowId);
    const histogramText = [...histogram.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, k]) => `${status}: ${k}`)
      .join(', ');
    console.log(
      `fuzz: ${count} requests over ${operations.length} operations in ${seconds.toFixed(1)} s; statuses ${histogramText}; ${listed.length} workflows, all from accepted requests`,
    );

    expect(fivexx).toEqual([]);
    expect(listed.filter((id) => !accepted.has(id))).toEqual([]);
    expect(count).toBeGreaterThan(2_000);
    expect(histogram.get(400)).toBeGreaterThan(1_000);
  });
});
