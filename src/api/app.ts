/** The HTTP API: thin routes over the process service (docs/api.md). */
import express, { type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { WorkingDayCalendar } from '../calendar';
import type { TokenTable } from '../config';
import { DEFAULT_MAIL_DOMAINS } from '../schemas';
import { deadlinesRouter } from './calculator-routes';
import { authenticate } from './auth';
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
import { HttpProblem, problemHandler } from './problem';
import { processRouter, type AnyProcessDefinition } from './process-router';
import type { ProcessService } from './process-service';

export interface AppDeps {
  service: ProcessService;
  calendar: WorkingDayCalendar;
  tokens: TokenTable;
  /** The configured MAIL_ALLOWED_DOMAINS: every address a request carries must be in one. */
  mailDomains?: readonly string[];
  log?: (message: string, error?: unknown) => void;
  /** The payload codec for the Web UI (`/codec/decode`, `/codec/encode`); without it, no such routes. */
  codec?: CodecDeps;
}

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
  tokens,
  mailDomains = DEFAULT_MAIL_DOMAINS,
  log = defaultLog,
  codec,
}: AppDeps): express.Express {
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
  v1.use(authenticate(tokens));
  v1.use(jsonBodiesOnly);
  v1.use(express.json({ limit: '256kb' }));
  for (const process of processes) v1.use(processRouter(service, process, { mailDomains, log }));
  v1.use(childEventsRouter(service, childEventKinds, { mailDomains }));
  v1.use(deadlinesRouter(calendar));
  app.use('/v1', v1);
  if (codec) app.use('/codec', codecRouter(tokens, codec));

  app.use((req) => {
    throw new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler(log));
  return app;
}
