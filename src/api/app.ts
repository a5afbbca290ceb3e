/** The HTTP API: thin routes over the process service (README "API"). */
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { WorkingDayCalendar } from '../calendar';
import type { JwtConfig, TokenTable } from '../config';
import { DEFAULT_MAIL_DOMAINS } from '../schemas';
import { deadlinesRouter } from './calculator-routes';
import { authenticate, createAuthenticator, type Authenticator } from './auth';
import { childProtectionPlanProcess } from '../processes/child-protection-plan/routes';
import { lookedAfterChildProcess, placementChangedKind } from '../processes/looked-after-child/routes';
import { needToKnowProcess } from '../processes/need-to-know/routes';
import { s47EnquiryProcess } from '../processes/s47-enquiry/routes';
import { keyEventKindsRoutes, keyEventProcess } from '../processes/key-event/routes';
import { missingEpisodeKindsRoutes, missingEpisodeProcess } from '../processes/missing-episode/routes';
import { seriousIncidentKinds, seriousIncidentProcess } from '../processes/serious-incident/routes';
import { codecRouter, type CodecDeps } from './codec-routes';
import { childEventsRouter, type ChildEventKind } from './child-events';
import { openApiDocument } from './openapi';
import { createLogger, type Logger } from '../logger';
import { HttpProblem, problemHandler, type ApiLog } from './problem';
import { requestLog } from './request-log';
import { processRouter, type AnyProcessDefinition } from './process-router';
import type { ProcessService } from './process-service';
import { createWebRouter, type WebOptions } from '../web/router';
import type { EvidenceReports } from '../evidence/reports';
import { reportsRouter } from './reports-routes';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { operationsRouter } from './operations-routes';
import { Readiness } from './readiness';

/** Who may call: an authenticator built once from configuration, or the parts to build one from. */
export type AuthDeps =
  | { authenticator: Authenticator; tokens?: never; jwt?: never }
  | { tokens: TokenTable; jwt?: JwtConfig; authenticator?: never };

export type AppDeps = AuthDeps & {
  service: ProcessService;
  calendar: WorkingDayCalendar;
  /** The configured MAIL_ALLOWED_DOMAINS: every address a request carries must be in one. */
  mailDomains?: readonly string[];
  /** Where the request lines go, and the other lines unless `log` is given: stdout at info unless told. */
  logger?: Logger;
  /** Every line besides the request lines (a 500's error, a rejected body, a failed read); tests capture it. */
  log?: ApiLog;
  /** The payload codec for the Web UI (`/codec/decode`, `/codec/encode`); without it, no such routes. */
  codec?: CodecDeps;
  /** The pages for managers (src/web/), at the root; without it, only the API and its docs. */
  web?: WebOptions;
  /** The worktray and reports over the evidence store; without it, those routes answer 503. */
  reports?: EvidenceReports;
  /** `GET /metrics`: the API's request metrics (a registry of its own unless given). */
  metrics?: ApiMetrics;
  /** `GET /ready`: unless given, Temporal, the reports' store and the service's task queue are checked. */
  readiness?: Readiness;
};

export const processes: AnyProcessDefinition[] = [
  needToKnowProcess,
  s47EnquiryProcess,
  childProtectionPlanProcess,
  lookedAfterChildProcess,
  keyEventProcess,
  missingEpisodeProcess,
  seriousIncidentProcess,
];

/** Every kind of event `POST /v1/children/{childReference}/events` accepts, declared beside its process. */
export const childEventKinds: ChildEventKind[] = [
  ...keyEventKindsRoutes,
  ...missingEpisodeKindsRoutes,
  placementChangedKind,
  ...seriousIncidentKinds,
];

/** Our own faults at error, with the message and stack; a client's mistakes, noted in one line, at warn. */
const logTo =
  (logger: Logger): ApiLog =>
  (message, error, context) =>
    error === undefined ? logger.warn({ ...context }, message) : logger.error({ ...context, err: error }, message);

/**
 * Security headers: helmet's defaults, with the Content-Security-Policy's `upgrade-insecure-requests`
 * dropped. Helmet's CSP already suits Swagger UI at /v1/docs (its scripts and stylesheet come from
 * this origin; the inline <style> swagger-ui-express writes is allowed by `style-src 'unsafe-inline'`),
 * but the upgrade would send that page's own scripts and styles to https:// when the API is served
 * over plain http (the local stack, a loopback port behind a TLS proxy).
 *
 * Cross-Origin-Resource-Policy stays `same-origin`: it applies to no-cors loads only (<img>, <script>,
 * a plain <link>), and keeps child data out of other sites' pages. The Temporal Web UI's requests to
 * a codec endpoint are CORS fetches, governed by CORS alone (Fetch standard, CORP check), so no
 * `/codec/*` route needs a looser policy.
 */
const securityHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

/** A body in anything but JSON is refused, never read as `{}`; an empty body is no body. */
const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  const length = req.get('content-length');
  const hasBody = req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !req.is('application/json')) {
    throw new HttpProblem(415, 'Unsupported media type', 'send the body as application/json');
  }
  next();
};

export function createApp({
  service,
  calendar,
  mailDomains = DEFAULT_MAIL_DOMAINS,
  logger = createLogger({ level: 'info', service: 'api' }),
  log = logTo(logger),
  codec,
  web,
  reports,
  metrics = createApiMetrics(),
  readiness = new Readiness({ ...service.options, store: reports?.store }),
  ...auth
}: AppDeps): express.Express {
  const authenticator = auth.authenticator ?? createAuthenticator({ tokens: auth.tokens, jwt: auth.jwt });
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  app.use(metrics.middleware);
  app.use(securityHeaders);
  const document = openApiDocument(processes, childEventKinds);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(operationsRouter({ metrics, readiness }));
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/v1/docs', swaggerUi.serve, swaggerUi.setup(document));

  const v1 = express.Router();
  // Who first: nobody unknown makes the service read, inflate or parse a body.
  v1.use(authenticate(authenticator));
  v1.use(jsonBodiesOnly);
  v1.use(express.json({ limit: '256kb' }));
  for (const process of processes) v1.use(processRouter(service, process, { mailDomains, log }));
  v1.use(childEventsRouter(service, childEventKinds, { mailDomains }));
  v1.use(deadlinesRouter(calendar));
  v1.use(reportsRouter(reports, calendar));
  app.use('/v1', v1);
  if (codec) app.use('/codec', codecRouter(authenticator, codec));
  if (web) {
    // The pages read the worktray and reports the API serves, unless given their own.
    const pages = { ...web, reports: web.reports ?? reports, service, authenticator, processes, mailDomains, log };
    app.use(createWebRouter(pages));
  }

  app.use((req) => {
    throw new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler(log));
  return app;
}
