/** RFC 9457 problem details: every error the API returns (README "API"). */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { requestIdOf } from './request-log';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
    /** Our own fault behind a client-facing problem: logged, never sent. */
    readonly internal?: unknown,
  ) {
    super(detail ?? title);
  }
}

type Where = 'body' | 'query' | 'path';
const join = (where: Where, path: readonly PropertyKey[]) => [where, ...path.map(String)].join('.');

/** One field error per issue; an unknown field is named itself (strict objects). */
export const badRequest = (error: z.ZodError, where: Where = 'body') =>
  new HttpProblem(400, 'Invalid request', `the request ${where} is not valid`, {
    errors: error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: join(where, [...issue.path, key]),
            message: issue.message.startsWith('Unrecognized key') ? 'unknown field: not accepted' : issue.message,
          }))
        : [{ path: join(where, issue.path), message: issue.message }],
    ),
  });

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: Where = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(result.error, where);
  return result.data;
}

const typeFor = (status: number) => `https://httpstatuses.io/${status}`;

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

interface ClientError {
  status?: number;
  expose?: boolean;
  type?: string;
  limit?: number;
}

/** A client's mistake that express or the body parser found before our routes: a problem, never a 500. */
function clientProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof URIError)
    return new HttpProblem(400, 'Malformed URL', 'the path has a malformed percent-encoding');
  const e = (error ?? {}) as ClientError;
  if (e.type === 'entity.too.large') return new HttpProblem(413, 'Request body too large', `limit ${e.limit} bytes`);
  if (e.type === 'entity.parse.failed')
    return new HttpProblem(400, 'Malformed JSON', 'the request body is not valid JSON');
  if (e.type === 'encoding.unsupported')
    return new HttpProblem(415, 'Unsupported content encoding', 'send the body as identity, gzip, deflate or br');
  if (e.type === 'charset.unsupported') return new HttpProblem(415, 'Unsupported charset', 'send JSON in UTF-8');
  // http-errors marks client errors exposable: a body that does not match its Content-Encoding, an aborted upload…
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new HttpProblem(
      400,
      'Malformed body',
      'the request body could not be read (does it match its Content-Encoding?)',
    );
  }
  return undefined;
}

/** What the API logs besides its request lines: the request's id comes with each. */
export type ApiLog = (message: string, error?: unknown, context?: { requestId?: string }) => void;

/**
 * The one error middleware: client mistakes are 4xx with a reason; only our own faults are 500.
 * A client's mistake caught before the routes is logged in one line, our own faults in full.
 */
export const problemHandler =
  (log: ApiLog): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const context = { requestId: requestIdOf(res) };
    let problem: HttpProblem;
    if (error instanceof HttpProblem) {
      problem = error;
      // The kind of failure only: an internal message may quote the input, personal details included.
      const internal = error.internal as { type?: string; name?: string } | undefined;
      if (internal !== undefined)
        log(
          `${error.status} ${error.title}: ${error.detail} (${internal?.type ?? internal?.name ?? 'unknown'})`,
          undefined,
          context,
        );
    } else {
      const client = clientProblem(error);
      if (client) {
        problem = client;
        log(`rejected a ${req.method} request: ${client.status} ${client.title}`, undefined, context);
      } else {
        log('unexpected error', error, context);
        problem = new HttpProblem(500, 'Internal error', 'the service failed; the request may not have been applied');
      }
    }
    res
      .status(problem.status)
      .set(problem.headers)
      .type('application/problem+json')
      .json({
        type: typeFor(problem.status),
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        ...problem.extra,
      });
  };
