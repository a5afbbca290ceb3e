/**
 * One log line per request, when its response is finished (or the client went away): the request
 * id, the method, the route template, the status, the duration and the actor. Never the URL as
 * sent (its ids and query), a header value, a body or a token.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';

/**
 * A caller's (or proxy's) request id is kept only when it is a UUID or 16 to 64 hex digits (nginx's
 * `$request_id`, a W3C trace id): forms that cannot spell a name, so nothing personal reaches the
 * logs or the response through it. Anything else gets a new UUID.
 */
const wellFormedRequestId = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The id `requestLog` gave the request (for the lines logged while handling it). */
export const requestIdOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;

/**
 * The route template (`/v1/need-to-know/:id/pgl-response`) the request matched, or null. Express
 * sets `req.route` when a route matches, while `req.baseUrl` is still the mount path; an error
 * unwinds `req.baseUrl` before the response ends, so the template is taken at that moment.
 */
function recordRouteTemplate(req: Request, res: Response): void {
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (typeof value?.path === 'string') res.locals.routeTemplate = `${req.baseUrl}${value.path}`;
    },
  });
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const offered = req.get(REQUEST_ID_HEADER);
    const requestId = offered !== undefined && wellFormedRequestId.test(offered) ? offered : randomUUID();
    res.locals.requestId = requestId;
    res.set(REQUEST_ID_HEADER, requestId);
    recordRouteTemplate(req, res);
    res.once('close', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      logger.info(
        {
          requestId,
          method: req.method,
          route: (res.locals.routeTemplate as string | undefined) ?? null,
          status: res.statusCode,
          durationMs,
          actor: req.actor?.id,
          // The client closed the connection before the whole response was written.
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}
