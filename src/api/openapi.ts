/** The OpenAPI document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { calculateBatchSchema, calculateQuerySchema } from './calculator-routes';
import { annexAQuerySchema, timelinessQuerySchema, worktrayQuerySchema } from './reports-routes';
import { problemSchema } from './problem';
import { childEventSchema, childParam, type ChildEventKind } from './child-events';
import { idParam, type AnyProcessDefinition } from './process-router';

const problems = {
  400: 'Invalid body or parameters (field messages in `errors`)',
  401: 'No valid bearer token',
  403: 'The token’s roles may not do this',
  404: 'Unknown id',
  409: 'Wrong stage for this decision, or a duplicate start',
  413: 'Body too large',
  503: 'Workflow server unreachable; nothing changed',
} as const;

const stateSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    process: z.string(),
    stage: z.string(),
    status: z.string(),
    deadlines: z.array(z.object({}).passthrough()),
    events: z.array(z.object({}).passthrough()),
    links: z.object({ webUi: z.string() }),
  })
  .passthrough();

function responses(success: number, description: string) {
  return {
    [success]: { description, content: { 'application/json': { schema: stateSchema } } },
    ...Object.fromEntries(
      Object.entries(problems).map(([status, text]) => [
        status,
        { description: text, content: { 'application/problem+json': { schema: problemSchema } } },
      ]),
    ),
  };
}

export function openApiDocument(processes: AnyProcessDefinition[], childEvents: readonly ChildEventKind[] = []) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const p of processes) {
    const tags = [p.title];
    if (p.start)
      registry.registerPath({
        method: 'post',
        path: `/v1/${p.resource}`,
        summary: `Start a ${p.title} (roles: ${p.start.roles.join(', ')})`,
        tags,
        request: { body: { content: { 'application/json': { schema: p.start.schema } } } },
        responses: responses(201, 'Started; the new state'),
      });
    registry.registerPath({
      method: 'get',
      path: `/v1/${p.resource}/{id}`,
      summary: `Read a ${p.title}: stage, deadlines, events`,
      tags,
      request: { params: idParam },
      responses: responses(200, 'The current state'),
    });
    for (const r of p.reads ?? []) {
      registry.registerPath({
        method: 'get',
        path: `/v1/${p.resource}/{id}/${r.path}`,
        summary: `${r.summary} (roles: ${r.roles.join(', ')})`,
        tags,
        request: { params: idParam },
        responses: responses(200, r.summary),
      });
    }
    for (const d of p.decisions) {
      registry.registerPath({
        method: 'post',
        path: `/v1/${p.resource}/{id}/${d.path}`,
        summary: `${d.summary} (roles: ${d.roles.join(', ')})`,
        tags,
        request: { params: idParam, body: { content: { 'application/json': { schema: d.schema } } } },
        responses: responses(200, 'Accepted; the new state'),
      });
    }
  }
  if (childEvents.length > 0)
    registry.registerPath({
      method: 'post',
      path: '/v1/children/{childReference}/events',
      summary: `What happened to a child, told apart by \`type\`: ${childEvents.map((k) => `\`${k.type}\` (${k.summary})`).join('; ')}`,
      tags: ['Events about a child'],
      request: {
        params: childParam,
        body: { content: { 'application/json': { schema: childEventSchema(childEvents) } } },
      },
      responses: {
        ...responses(201, 'Recorded: the process it started or updated, with its state'),
        409: {
          description: 'A repeated event id (`existingId`), or the child has no running process the event needs',
          content: { 'application/problem+json': { schema: problemSchema } },
        },
      },
    });
  const calculation = z.object({
    rule: z.string(),
    label: z.string(),
    unit: z.string(),
    direction: z.enum(['after', 'before']),
    anchorAt: z.string(),
    dueAt: z.string(),
    statutoryDueAt: z.string(),
    source: z.array(z.string()),
    calendarVersion: z.string(),
  });
  const json = (schema: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema } },
  });
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problemSchema } },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/deadlines/calculate',
    tags: ['Deadline calculator'],
    summary: 'When is it due? One rule, one anchor (any role)',
    request: { query: calculateQuerySchema },
    responses: {
      200: json(calculation, 'The due instants'),
      400: problem('Unknown rule or invalid anchor'),
      401: problem('No valid token'),
      422: problem('The rule has no duration computable from one instant'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/deadlines/calculate',
    tags: ['Deadline calculator'],
    summary: 'Up to 1,000 calculations, answered in order, each with its result or its own error',
    request: { body: { content: { 'application/json': { schema: calculateBatchSchema } } } },
    responses: {
      200: json(
        z.object({
          calendarVersion: z.string(),
          results: z.array(z.object({ index: z.number(), ok: z.boolean() }).passthrough()),
        }),
        'One result per item',
      ),
      400: problem('Not an array of 1–1,000 items'),
      401: problem('No valid token'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/deadlines/rules',
    tags: ['Deadline calculator'],
    summary: 'Every deadline rule with its id, label, unit, duration and source',
    responses: {
      200: json(
        z.object({ calendarVersion: z.string(), rules: z.array(z.object({ id: z.string() }).passthrough()) }),
        'The rules',
      ),
      401: problem('No valid token'),
    },
  });
  const readProblems = {
    400: problem('Invalid parameters (field messages in `errors`), or a cursor this service did not return'),
    401: problem('No valid token'),
    403: problem('No staff role (the case system reads none of this), or a team outside those you may read'),
    503: problem('No evidence store is configured'),
  };
  const csv = (description: string) => ({
    description,
    content: {
      'application/json': { schema: z.object({}).passthrough() },
      'text/csv': { schema: z.string() },
    },
  });
  const readers =
    'every staff role, within their teams: a team manager their teams, a PGL or Head of Service their services, the Director and QA all, a social worker their own cases';
  registry.registerPath({
    method: 'get',
    path: '/v1/worktray',
    tags: ['Worktray and reports'],
    summary: `Open deadlines across every process, soonest first, with the process link and who must act (${readers})`,
    request: { query: worktrayQuerySchema },
    responses: {
      200: json(
        z.object({
          items: z.array(z.object({ workflowId: z.string() }).passthrough()),
          nextCursor: z.string().optional(),
        }),
        'One page; nextCursor when there is more',
      ),
      ...readProblems,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/reports/timeliness',
    tags: ['Worktray and reports'],
    summary:
      'Per rule and per census measure: due in the period (local days, both inclusive), met on time, met late, open and overdue, lateness in working days. JSON, or CSV with Accept: text/csv or format=csv',
    request: { query: timelinessQuerySchema },
    responses: { 200: csv('The report'), ...readProblems },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/reports/annex-a',
    tags: ['Worktray and reports'],
    summary:
      'An Ofsted Annex A list (s47, icpc, plans, looked-after-reviews): case and child references with the dates, never names. JSON or CSV',
    request: { query: annexAQuerySchema },
    responses: { 200: csv('The list'), ...readProblems, 422: problem('More rows than one answer carries') },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Statutory deadlines for children’s social care',
      version: '1',
      description:
        'Start statutory processes, record decisions and read every deadline. Deadline ids follow docs/deadlines.md.',
    },
    security: [{ bearer: [] }],
  });
}
