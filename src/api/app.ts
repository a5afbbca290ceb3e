/** The HTTP API: thin routes over the process service (docs/api.md). */
import express, { type RequestHandler } from 'express';
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
import { childEventsRouter, type ChildEventKind } from './child-events';
import { openApiDocument } from './openapi';
import { HttpProblem, problemHandler } from './problem';
import { processRouter, type AnyProcessDefinition } from './process-router';
import type { ProcessService } from './process-service';

/** Who may call: an authenticator built once from configuration, or the parts to build one from. */
export type AuthDeps =
  | { authenticator: Authenticator; tokens?: never; jwt?: never }
  | { tokens: TokenTable; jwt?: JwtConfig; authenticator?: never };

export type AppDeps = AuthDeps & {
  service: ProcessService;
  calendar: WorkingDayCalendar;
  /** The configured MAIL_ALLOWED_DOMAINS: every address a request carries must be in one. */
  mailDomains?: readonly string[];
  log?: (message: string, error?: unknown) => void;
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

const defaultLog = (message: string, error?: unknown) =>
  error === undefined ? console.error(message) : console.error(message, error);

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
  log = defaultLog,
  ...auth
}: AppDeps): express.Express {
  const authenticator = auth.authenticator ?? createAuthenticator({ tokens: auth.tokens, jwt: auth.jwt });
  const app = express();
  app.disable('x-powered-by');
  const document = openApiDocument(processes, childEventKinds);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
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
  app.use('/v1', v1);

  app.use((req) => {
    throw new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler(log));
  return app;
}
