/** The HTTP API: thin routes over the process service (docs/api.md). */
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { WorkingDayCalendar } from '../calendar';
import type { TokenTable } from '../config';
import { deadlinesRouter } from './deadlines';
import { authenticate } from './auth';
import { cpPlanProcess } from './cp-plan';
import { lookedAfterProcess } from './looked-after';
import { needToKnowProcess } from './need-to-know';
import { s47Process } from './s47';
import { openApiDocument } from './openapi';
import { HttpProblem, problemHandler } from './problem';
import { processRouter, type AnyProcessDefinition } from './process-router';
import type { ProcessService } from './process-service';

export interface AppDeps {
  service: ProcessService;
  calendar: WorkingDayCalendar;
  tokens: TokenTable;
  log?: (message: string, error: unknown) => void;
}

export const processes: AnyProcessDefinition[] = [needToKnowProcess, s47Process, cpPlanProcess, lookedAfterProcess];

export function createApp({ service, calendar, tokens, log = (m, e) => console.error(m, e) }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const document = openApiDocument(processes);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/v1/docs', swaggerUi.serve, swaggerUi.setup(document));

  const v1 = express.Router();
  v1.use(express.json({ limit: '256kb' }));
  v1.use(authenticate(tokens));
  for (const process of processes) v1.use(processRouter(service, process));
  v1.use(deadlinesRouter(calendar));
  app.use('/v1', v1);

  app.use((req) => {
    throw new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler(log));
  return app;
}
