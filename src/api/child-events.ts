/**
 * One place a case system reports what happened to a child (docs/deadlines.md §7.1, §6.2):
 * `POST /v1/children/{childReference}/events`, one body shape for every kind, told apart by `type`.
 *
 * Each kind is declared beside the process it starts or updates (`ChildEventKind`). The route
 * finds the child's running looked-after episode and plan by the child reference (a search
 * attribute), and the stricter status applies: a child the event calls not looked after but who
 * has a running episode is looked after (§6.4: 48 hours for a child who is both). Idempotent by
 * the case system's event id: a repeated event answers 409 with the existing process's id.
 */
import type { Workflow } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Actor, Decision } from '../process';
import { legalStatuses, type LegalStatus } from '../processes/need-to-know/schemas';
import {
  businessId,
  caseReference,
  casePeopleSchema,
  childReference,
  happenedAt,
  withMailDomains,
  type CasePeople,
} from '../schemas';
import { CaseReference, ChildReference, ProcessType, Stage } from '../search-attributes';
import { requireRole, type TokenRole } from './auth';
import { HttpProblem, parse } from './problem';
import type { AnyProcessDefinition, RouterOptions } from './process-router';
import { StartUnanswered, type ProcessService } from './process-service';

/** The fields every event carries (§7.1: child ref, looked-after status, `occurred_at` / `known_at`). */
export const eventEnvelope = {
  eventId: businessId.describe('The case system’s id for this event: a repeat is refused (409)'),
  caseReference,
  occurredAt: happenedAt.describe('When it happened'),
  knownAt: happenedAt.optional().describe('When the authority knew of it; defaults to now'),
  child: z
    .strictObject({
      lookedAfter: z.boolean(),
      onPlan: z.boolean().describe('On a child protection plan'),
      legalStatus: z.enum(legalStatuses).describe('001 NTK s4 item 1: carried by any briefing the event raises'),
    })
    .describe('The child’s status as the case system knows it; a running episode or plan found here also counts'),
  people: casePeopleSchema.default({}),
};

/** What the child's status is taken to be: the event's word or a running process, whichever is stricter. */
export interface ChildStatus {
  reference: string;
  lookedAfter: boolean;
  onPlan: boolean;
  legalStatus: LegalStatus;
  /** Workflow ids of the running looked-after episode and plan, when found. */
  episode?: string;
  plan?: string;
}

/** An event as a kind's handler receives it: validated, `knownAt` filled, the status resolved. */
export type ChildEvent<Fields> = Fields & {
  eventId: string;
  type: string;
  caseReference: string;
  occurredAt: string;
  knownAt: string;
  child: ChildStatus;
  people: CasePeople;
  reportedBy: Actor;
};

/** What an event did: the process it started or updated, with that process's state. */
export interface EventOutcome {
  resource: string;
  id: string;
  workflowId: string;
  started: boolean;
  state: unknown;
}

export interface EventContext {
  /** Starts a process for the event (409 if its id exists: a repeated event starts nothing). */
  start<W extends Workflow>(
    definition: AnyProcessDefinition,
    businessId: string,
    args: Parameters<W>,
    stage: string,
  ): Promise<EventOutcome>;
  /** Records the event against a running process (its validator refuses a repeated event id). */
  update<Arg extends object>(
    definition: AnyProcessDefinition,
    workflowId: string,
    update: UpdateDefinition<unknown, [Decision<Arg>]>,
    arg: Arg,
  ): Promise<EventOutcome>;
}

export interface ChildEventKind {
  type: string;
  summary: string;
  /** The kind's own fields, beside the envelope's. */
  fields: z.ZodRawShape;
  /** Cross-field rules (`superRefine`). */
  refine?: (body: Record<string, unknown>, ctx: z.RefinementCtx) => void;
  roles?: readonly TokenRole[];
  handle(event: ChildEvent<Record<string, unknown>>, ctx: EventContext): Promise<EventOutcome>;
}

/** The case system reports events; the social worker and their managers may too. */
const REPORTERS: TokenRole[] = ['case_system', 'social_worker', 'team_manager', 'pgl', 'head_of_service'];

/** Each kind's schema: the envelope, its `type` and its own fields. */
function kindSchema(kind: ChildEventKind) {
  // A kind's field must not replace the envelope's (`type` tells the kinds apart).
  const clash = Object.keys(kind.fields).find((key) => key === 'type' || key in eventEnvelope);
  if (clash) throw new Error(`child event ${kind.type}: its field ${clash} is the envelope's`);
  const object = z.strictObject({ ...eventEnvelope, type: z.literal(kind.type), ...kind.fields });
  return kind.refine ? object.superRefine(kind.refine) : object;
}

/** One schema per kind, told apart by `type` (for the OpenAPI document). */
export function childEventSchema(kinds: readonly ChildEventKind[]) {
  const [first, ...rest] = kinds.map(kindSchema);
  return z.discriminatedUnion('type', [first!, ...rest]);
}

/**
 * Parses a body with its kind's schema, so every error names its field; with no known `type`, with
 * the envelope's, so an unknown field is still named beside the missing type.
 */
function parser(kinds: readonly ChildEventKind[]) {
  const schemas = new Map(kinds.map((kind) => [kind.type, kindSchema(kind)]));
  const untyped = z.strictObject({ ...eventEnvelope, type: z.enum(kinds.map((kind) => kind.type)) });
  return (body: unknown) => {
    const type =
      body && typeof body === 'object' && Object.hasOwn(body, 'type') ? (body as { type: unknown }).type : undefined;
    const schema = typeof type === 'string' ? schemas.get(type) : undefined;
    return parse(schema ?? untyped, body) as z.infer<ReturnType<typeof kindSchema>>;
  };
}

export const childParam = z.object({ childReference });

export function childEventsRouter(
  service: ProcessService,
  kinds: readonly ChildEventKind[],
  { mailDomains }: Pick<RouterOptions, 'mailDomains'>,
): Router {
  const router = Router();
  const parseEvent = parser(kinds);
  const byType = new Map(kinds.map((kind) => [kind.type, kind]));

  router.post('/children/:childReference/events', async (req, res) => {
    const { childReference: reference } = parse(childParam, req.params, 'path');
    requireRole(req.actor, REPORTERS, 'reporting an event about a child');
    const body = withMailDomains(mailDomains, () => parseEvent(req.body));
    const kind = byType.get(body.type)!;
    const actor = requireRole(req.actor, kind.roles ?? REPORTERS, kind.summary);

    const running = await service.findRunning(reference, ['looked-after-child', 'child-protection-plan']);
    const episode = running.get('looked-after-child');
    const plan = running.get('child-protection-plan');
    const child: ChildStatus = {
      reference,
      lookedAfter: body.child.lookedAfter || episode !== undefined,
      onPlan: body.child.onPlan || plan !== undefined,
      legalStatus: body.child.legalStatus,
      ...(episode ? { episode } : {}),
      ...(plan ? { plan } : {}),
    };
    const event = {
      ...body,
      knownAt: body.knownAt ?? new Date().toISOString(),
      child,
      reportedBy: actor,
    } as ChildEvent<Record<string, unknown>>;

    const present = (
      definition: AnyProcessDefinition,
      workflowId: string,
      started: boolean,
      state: unknown,
    ): EventOutcome => {
      const id = workflowId.slice(definition.idPrefix.length + 1);
      return { resource: definition.resource, id, workflowId, started, state };
    };
    const outcome = await kind.handle(event, {
      async start(definition, businessId, args, stage) {
        const workflowId = `${definition.idPrefix}-${businessId}`;
        const state = await service
          .start({
            workflow: definition.workflow,
            workflowId,
            args,
            searchAttributes: [
              { key: ProcessType, value: definition.processType ?? definition.resource },
              { key: CaseReference, value: body.caseReference },
              { key: ChildReference, value: reference },
              { key: Stage, value: stage },
            ],
            summary: `${definition.title}: ${body.type}, case ${body.caseReference}, child ${reference}`,
            answer: definition.startedUpdate,
          })
          .catch((error: unknown) => {
            // Started, but its answer did not come: the event is recorded; its state is read later.
            if (!(error instanceof StartUnanswered)) throw error;
            const href = `/v1/${definition.resource}/${businessId}`;
            throw new HttpProblem(
              503,
              'Applied; state unavailable',
              `the event was recorded and ${workflowId} started; read its state with GET ${href}`,
              { applied: true },
              { 'Retry-After': '5', Location: href },
            );
          });
        return present(definition, workflowId, true, state);
      },
      async update(definition, workflowId, update, arg) {
        const result = await service.update<unknown>(workflowId, update.name, { ...arg, actor });
        const state = result ?? (await service.query(workflowId, definition.stateQuery, { timeoutMs: 5_000 }));
        return present(definition, workflowId, false, state);
      },
    });
    const href = `/v1/${outcome.resource}/${outcome.id}`;
    res
      .status(201)
      .location(href)
      .json({
        eventId: body.eventId,
        type: body.type,
        childReference: reference,
        child: { lookedAfter: child.lookedAfter, onPlan: child.onPlan, episode: episode, plan: plan },
        process: { id: outcome.id, workflowId: outcome.workflowId, started: outcome.started, href },
        state: outcome.state,
        links: { process: href, webUi: service.webUiLink(outcome.workflowId) },
      });
  });
  return router;
}

/** Refuses an event that needs a running process the child does not have. */
export function needs(workflowId: string | undefined, what: string): string {
  if (!workflowId) throw new HttpProblem(409, 'Conflict', `the child has no running ${what}; nothing was recorded`);
  return workflowId;
}
