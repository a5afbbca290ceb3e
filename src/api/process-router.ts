/**
 * One router shape for every process (README "API"): POST to start, GET to read, and one
 * POST per decision, each with its zod schema, the roles allowed, and the workflow update.
 */
import type { Workflow } from '@temporalio/client';
import type { QueryDefinition, SearchAttributePair, UpdateDefinition } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Actor, Decision, DeadlineView } from '../process';
import { deadlineRules } from '../rules';
import { requireRole, type TokenRole } from './auth';
import { HttpProblem, parse } from './problem';
import { StartUnanswered, type ProcessService } from './process-service';
import { breachReasonSchema, processId, withMailDomains, type BreachReason } from '../schemas';

export interface DecisionRoute {
  /** kebab-case verb phrase: `pgl-response`, `update-sent`. */
  path: string;
  summary: string;
  schema: z.ZodType;
  roles: readonly TokenRole[];
  /** The workflow update's name. */
  update: string;
}

/**
 * A read beside the state, for fewer people: what the state leaves out because it is about the
 * child (the briefing itself), served at GET /v1/<resource>/<id>/<path>.
 */
export interface ReadRoute {
  path: string;
  summary: string;
  roles: readonly TokenRole[];
  query: QueryDefinition<unknown>;
}

/** Declares a decision route; the compiler checks the schema matches the update's argument. */
export function decisionRoute<S extends z.ZodType, T>(
  route: Omit<DecisionRoute, 'update' | 'schema'> & {
    schema: S;
    update: UpdateDefinition<T, [z.output<S> & { actor: Actor }]>;
  },
): DecisionRoute {
  return { ...route, update: route.update.name };
}

/**
 * The two routes every process has, as the process kit's `createProcess()` registers them: the reason
 * a deadline was missed (§1.3 point 2), and the recompute after a bank-holiday change (§1.4).
 */
export function commonRoutes(
  messages: {
    breachReasonUpdate: UpdateDefinition<unknown, [Decision<BreachReason>]>;
    recomputeDeadlinesUpdate: UpdateDefinition<unknown, [Decision<Record<string, never>>]>;
  },
  breachReasonRoles: readonly TokenRole[],
): DecisionRoute[] {
  return [
    decisionRoute({
      path: 'breach-reason',
      summary: 'The reason a deadline was missed (§1.3 point 2)',
      schema: breachReasonSchema,
      roles: breachReasonRoles,
      update: messages.breachReasonUpdate,
    }),
    decisionRoute({
      path: 'deadlines-recomputed',
      summary: 'Recompute open deadlines after a bank-holiday change (§1.4)',
      schema: z.strictObject({}),
      roles: ['administrator'],
      update: messages.recomputeDeadlinesUpdate,
    }),
  ];
}

export interface ProcessDefinition<W extends Workflow, S extends z.ZodType, State> {
  /** URL segment: `need-to-know`. */
  resource: string;
  /** Workflow id prefix: `ntk` gives `ntk-<business id>`. */
  idPrefix: string;
  title: string;
  workflow: W;
  /** The `ProcessType` search attribute's value. */
  processType?: string;
  /** Absent for a process only a child's event starts (`POST /v1/children/{ref}/events`). */
  start?: {
    schema: S;
    roles: readonly TokenRole[];
    businessId: (body: z.infer<S>) => string;
    toArgs: (body: z.infer<S>, actor: Actor, now: Date) => Parameters<W>;
    searchAttributes: (body: z.infer<S>) => SearchAttributePair[];
    summary: (body: z.infer<S>) => string;
  };
  stateQuery: QueryDefinition<State>;
  /** The start's update (its messages' `startedUpdate`): the state once the first deadlines are armed. */
  startedUpdate: UpdateDefinition<State, []>;
  decisions: DecisionRoute[];
  reads?: ReadRoute[];
}

export const idParam = z.object({ id: processId });

/** Any process, for lists of them (each definition is checked against its own types where declared). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcessDefinition = ProcessDefinition<any, any, any>;

/** Deadlines closed in earlier runs are carried without their wording: it comes from the catalogue. */
function withLabels(state: object): object {
  const deadlines = (state as { deadlines?: DeadlineView[] }).deadlines;
  return deadlines
    ? { deadlines: deadlines.map((d) => (d.label ? d : { ...d, label: deadlineRules.get(d.id)?.label ?? d.id })) }
    : {};
}

export interface RouterOptions {
  /** Every email address in a request must be in one of these domains. */
  mailDomains: readonly string[];
  log: (message: string, error?: unknown) => void;
  /** How long one read of the state may take once a start or decision is applied (then 503, saying it was applied). */
  readTimeoutMs?: number;
}

export function processRouter<W extends Workflow, S extends z.ZodType, State extends object>(
  service: ProcessService,
  definition: ProcessDefinition<W, S, State>,
  { mailDomains, log, readTimeoutMs = 5_000 }: RouterOptions,
): Router {
  const router = Router();
  const workflowIdOf = (id: string) => `${definition.idPrefix}-${id}`;
  const parseBody = <T extends z.ZodType>(schema: T, value: unknown) =>
    withMailDomains(mailDomains, () => parse(schema, value));
  /** After an applied change, a failed read must not look like a failed change: 503 saying it was applied. */
  const appliedUnread = (id: string, what: string, error: unknown): HttpProblem => {
    log(
      `${what} applied to ${workflowIdOf(id)}; reading its state failed (${(error as HttpProblem).status ?? (error as Error)?.name})`,
    );
    return new HttpProblem(
      503,
      'Applied; state unavailable',
      `the ${what} was applied; reading the new state failed: read it with GET /v1/${definition.resource}/${id}`,
      { applied: true },
      { 'Retry-After': '5', Location: `/v1/${definition.resource}/${id}` },
    );
  };
  const readApplied = async (id: string, what: string): Promise<State> => {
    try {
      return await service.query(workflowIdOf(id), definition.stateQuery, { timeoutMs: readTimeoutMs });
    } catch (error) {
      throw appliedUnread(id, what, error);
    }
  };
  const present = (id: string, state: State) => ({
    ...state,
    ...withLabels(state),
    id,
    workflowId: workflowIdOf(id),
    links: { ...(state as { links?: object }).links, webUi: service.webUiLink(workflowIdOf(id)) },
  });

  const start = definition.start;
  if (start)
    router.post(`/${definition.resource}`, async (req, res) => {
      const actor = requireRole(req.actor, start.roles, `starting a ${definition.title}`);
      const body = parseBody(start.schema, req.body);
      const id = start.businessId(body);
      // One call starts the process and answers its state once every first deadline is armed.
      const state = await service
        .start({
          workflow: definition.workflow,
          workflowId: workflowIdOf(id),
          args: start.toArgs(body, actor, new Date()),
          searchAttributes: start.searchAttributes(body),
          summary: start.summary(body),
          answer: definition.startedUpdate,
        })
        .catch((error: unknown) => {
          throw error instanceof StartUnanswered ? appliedUnread(id, 'start', error.cause) : error;
        });
      res.status(201).location(`/v1/${definition.resource}/${id}`).json(present(id, state));
    });

  router.get(`/${definition.resource}/:id`, async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    res.json(present(id, await service.query(workflowIdOf(id), definition.stateQuery)));
  });

  for (const read of definition.reads ?? []) {
    router.get(`/${definition.resource}/:id/${read.path}`, async (req, res) => {
      requireRole(req.actor, read.roles, read.summary);
      const { id } = parse(idParam, req.params, 'path');
      res.json(await service.query(workflowIdOf(id), read.query));
    });
  }

  for (const decision of definition.decisions) {
    router.post(`/${definition.resource}/:id/${decision.path}`, async (req, res) => {
      const actor = requireRole(req.actor, decision.roles, decision.summary);
      const { id } = parse(idParam, req.params, 'path');
      const body = parseBody(decision.schema, req.body ?? {});
      // Long-running processes' updates return nothing (their results stay in history for years): read the state.
      const result = await service.update<State | undefined>(workflowIdOf(id), decision.update, {
        ...(body as object),
        actor,
      });
      res.json(present(id, result ?? (await readApplied(id, 'decision'))));
    });
  }
  return router;
}
