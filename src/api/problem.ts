/** RFC 9457 problem details: every error the API returns (docs/api.md "Errors"). */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

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
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (error: z.ZodError, where: 'body' | 'query' | 'path' = 'body') =>
  new HttpProblem(400, 'Invalid request', `the request ${where} is not valid`, {
    errors: error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message })),
  });

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.infer<T> {
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

/** The one error middleware: client mistakes are 4xx with a reason; only our own faults are 500. */
export const problemHandler =
  (log: (message: string, error: unknown) => void): ErrorRequestHandler =>
  (error, _req, res, _next) => {
    let problem: HttpProblem;
    if (error instanceof HttpProblem) problem = error;
    else if (error?.type === 'entity.too.large') problem = new HttpProblem(413, 'Request body too large', `limit ${error.limit} bytes`);
    else if (error?.type === 'entity.parse.failed') problem = new HttpProblem(400, 'Malformed JSON', 'the request body is not valid JSON');
    else if (error?.type === 'encoding.unsupported' || error?.type === 'charset.unsupported') problem = new HttpProblem(415, 'Unsupported encoding');
    else {
      log('unexpected error', error);
      problem = new HttpProblem(500, 'Internal error', 'the service failed; the request may not have been applied');
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({ type: typeFor(problem.status), title: problem.title, status: problem.status, detail: problem.detail, ...problem.extra });
  };
