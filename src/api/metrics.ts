/**
 * The API's own metrics, served at `GET /metrics` in Prometheus text format (prom-client): requests
 * counted and timed by method, route template and status. The route is the template the request
 * matched (`/v1/need-to-know/:id/pgl-response`, as the request log has it), never the path sent:
 * no id, reference or query reaches a label. A request no route matched is `route="unmatched"`;
 * an unknown method is `method="other"`, so a client cannot mint new series.
 *
 * The worker's metrics (the SDK's and the deadline and email counters) are the worker process's
 * own endpoint (worker/metrics.ts, WORKER_METRICS_ADDRESS).
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface ApiMetrics {
  readonly registry: Registry;
  /** Counts and times every request, when its response ends (after `requestLog` has set its route). */
  readonly middleware: RequestHandler;
  /** `GET /metrics`. */
  readonly handler: RequestHandler;
}

/** With `processMetrics`, also the Node process's (CPU, memory, event-loop lag): the API's entry point. */
export function createApiMetrics({ processMetrics = false } = {}): ApiMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its response ending, by method, route template and status',
    labelNames,
    // Reads answer in milliseconds; a start waits for its first deadlines (up to 10 s).
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const labels = {
        method: knownMethods.has(req.method) ? req.method : 'other',
        // Set by requestLog (src/api/request-log.ts) when a route matched.
        route: (res.locals.routeTemplate as string | undefined) ?? 'unmatched',
        status: String(res.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  const handler: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };

  return { registry, middleware, handler };
}
