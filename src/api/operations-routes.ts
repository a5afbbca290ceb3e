/**
 * The operators' endpoints beside `/health` (liveness): `GET /ready` (readiness, src/api/readiness.ts)
 * and `GET /metrics` (src/api/metrics.ts). Unauthenticated, as scrapers and load balancers call
 * them: they carry no personal data (check names, counts, route templates) and cost at most one
 * round of checks a second. A deployment that exposes the API beyond its network keeps these two
 * paths to the monitoring network at the reverse proxy.
 */
import { Router } from 'express';
import type { ApiMetrics } from './metrics';
import { HttpProblem } from './problem';
import type { Readiness } from './readiness';

export function operationsRouter({ metrics, readiness }: { metrics: ApiMetrics; readiness: Readiness }): Router {
  const router = Router();
  router.get('/metrics', metrics.handler);
  router.get('/ready', async (_req, res) => {
    const report = await readiness.report();
    res.set('cache-control', 'no-store');
    if (report.ready) {
      res.json({ status: 'ready', checks: report.checks, checkedAt: report.checkedAt });
      return;
    }
    const failing = report.checks.filter((check) => check.status === 'fail');
    throw new HttpProblem(
      503,
      'Not ready',
      failing.map((check) => `${check.name}: ${check.detail}`).join('; '),
      { checks: report.checks, checkedAt: report.checkedAt },
      { 'cache-control': 'no-store' },
    );
  });
  return router;
}
