/**
 * The pages for managers (GOV.UK Design System, rendered on the server): sign in, the worktray, a
 * process, the timeliness report, and the PGL's Need to Know review. Each page reads and decides
 * through what the API uses (the process service and its definitions), with the signed-in
 * person as the actor, so a page can show or do no more than the API lets that person.
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';
import type { Authenticator, TokenRole } from '../api/auth';
import { HttpProblem, parse } from '../api/problem';
import { idParam, type AnyProcessDefinition, type DecisionRoute, type ReadRoute } from '../api/process-router';
import type { ProcessService } from '../api/process-service';
import type { Actor, Caller, DeadlineView, ProcessEvent } from '../process';
import { needToKnowProcess } from '../processes/need-to-know/routes';
import type { Briefing, NeedToKnowState } from '../processes/need-to-know/schemas';
import { withMailDomains } from '../schemas';
import { deadlineStatus } from './format';
import type { OidcSignIn } from './oidc';
import { formErrors, formForDraft, pglResponseBody, reviewFormFrom, type FormError } from './review-form';
import { csrfValid, sessions, type SignedIn } from './session';
import { createViews, govukDist, publicDir } from './views';
import type { WebReports } from './reports';
import { mountReportPages } from './report-pages';
import type { Organisation } from '../organisation';

export interface WebOptions {
  /** Seals the session cookies (SESSION_SECRET): at least 32 characters. */
  sessionSecret: string;
  /** Where people reach the service (PUBLIC_URL): https makes the cookies Secure, and OIDC returns here. */
  publicUrl?: string;
  /** The token form on the sign-in page: locally, and wherever no identity provider is configured. */
  tokenSignIn: boolean;
  /** Sign-in with the authority's OpenID Connect provider. */
  oidc?: OidcSignIn;
  /** The worktray and the timeliness report; without them, those pages say they are not available. */
  reports?: WebReports;
  /** The services and their teams: the worktray's and the report's team filter lists a service's teams. */
  organisation?: Organisation;
  /** The clock (tests pass the reports' own): what is overdue or due soon on the worktray. */
  now?: () => Date;
}

export interface WebDeps extends WebOptions {
  service: ProcessService;
  authenticator: Authenticator;
  processes: readonly AnyProcessDefinition[];
  mailDomains: readonly string[];
  log: (message: string, error?: unknown) => void;
}

declare module 'express-serve-static-core' {
  interface Locals {
    cspNonce?: string;
  }
}

export const SERVICE_NAME = 'Statutory deadlines';

/** A page's path back to it after sign-in: a path on this site only (never `//host` or a URL). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 512 ? value : '/worktray';
}

const pglResponse = (): DecisionRoute => {
  const route = needToKnowProcess.decisions.find((d) => d.path === 'pgl-response');
  if (!route) throw new Error('the Need to Know process has no pgl-response decision');
  return route;
};
const briefingRead = (): ReadRoute => {
  const read = needToKnowProcess.reads?.find((r) => r.path === 'briefing');
  if (!read) throw new Error('the Need to Know process has no briefing read');
  return read;
};

const hasRole = (user: SignedIn, roles: readonly TokenRole[]) => user.roles.some((role) => roles.includes(role));

const actorOf = (user: SignedIn): Actor => ({ id: user.id, roles: [...user.roles] });

/** The titles GOV.UK uses for its error pages, by status. */
const errorTitles = new Map<number, string>([
  [400, 'There is a problem with the request'],
  [403, 'You do not have permission to see this page'],
  [404, 'Page not found'],
  [409, 'This could not be done'],
  [503, 'Sorry, the service is unavailable'],
]);

export function createWebRouter(deps: WebDeps): Router {
  const views = createViews();
  const router = Router();
  // The API's paths stay the API's: its own 404s are problem+json, never a page.
  router.use((req, _res, next) => (/^\/(v1|codec|health)(\/|$)/.test(req.path) ? next('router') : next()));
  const secure = deps.publicUrl?.startsWith('https:') ?? false;
  const pgl = pglResponse();
  const briefing = briefingRead();

  // Assets first: no session, no nonce, cached by the browser.
  router.use('/assets', express.static(join(govukDist, 'govuk/assets'), { maxAge: '1d', index: false }));
  router.get('/stylesheets/govuk-frontend.min.css', (_req, res) =>
    res.sendFile(join(govukDist, 'govuk/govuk-frontend.min.css'), { maxAge: '1d' }),
  );
  router.get('/javascripts/govuk-frontend.min.js', (_req, res) =>
    res.sendFile(join(govukDist, 'govuk/govuk-frontend.min.js'), { maxAge: '1d' }),
  );
  router.use('/app', express.static(publicDir, { maxAge: '1h', index: false }));

  // The one inline script (GOV.UK's js-enabled class) runs by its nonce; nothing else inline does.
  const pageCsp = helmet.contentSecurityPolicy({
    directives: {
      upgradeInsecureRequests: null,
      scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
    },
  });
  const pages = Router();
  pages.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    // Pages show a child's case: never kept by a shared cache or the browser's back-forward store.
    res.set('Cache-Control', 'no-store');
    next();
  });
  pages.use(pageCsp);
  pages.use(sessions({ secret: deps.sessionSecret, secure }));
  const forms = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  /** Every form carries the session's token; a form without it changes nothing. */
  const checked: RequestHandler = (req, _res, next) => {
    if (!csrfValid(req)) {
      throw new HttpProblem(403, 'Your form has expired', 'go back, reload the page and try again');
    }
    next();
  };

  const render = (req: Request, res: Response, view: string, context: Record<string, unknown>, status = 200) => {
    const user = req.session?.data.user;
    const navigation = user
      ? [
          { href: '/worktray', text: 'My worktray', active: req.path === '/worktray' },
          { href: '/reports/timeliness', text: 'Timeliness report', active: req.path.startsWith('/reports') },
          { href: '/sign-out', text: 'Sign out', active: req.path === '/sign-out' },
        ]
      : [{ href: '/sign-in', text: 'Sign in', active: req.path === '/sign-in' }];
    res
      .status(status)
      .type('html')
      .send(
        views.render(view, {
          serviceName: SERVICE_NAME,
          navigation,
          user,
          csrfToken: req.session?.data.csrf,
          cspNonce: res.locals.cspNonce,
          errorText: (id: string) => {
            const found = ((context.errors ?? []) as FormError[]).find((e) => e.id === id);
            return found ? { text: found.text } : undefined;
          },
          ...context,
        }),
      );
  };

  /** The signed-in person, or a redirect to the sign-in page that comes back here. */
  const signedIn = (req: Request, res: Response): SignedIn | undefined => {
    const user = req.session?.data.user;
    if (user) return user;
    res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
    return undefined;
  };

  pages.get('/', (req, res) => render(req, res, 'home.njk', {}));

  pages.get('/sign-in', (req, res) => {
    if (req.session?.data.user) return res.redirect(303, safeReturnTo(req.query.returnTo));
    render(req, res, 'sign-in.njk', {
      returnTo: safeReturnTo(req.query.returnTo),
      tokenSignIn: deps.tokenSignIn,
      oidc: deps.oidc !== undefined,
      signInError: typeof req.query.error === 'string' ? 'Sign-in with your council account did not complete' : '',
    });
  });

  if (deps.tokenSignIn)
    pages.post('/sign-in', forms, checked, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = typeof body.token === 'string' ? body.token.trim() : '';
      const returnTo = safeReturnTo(body.returnTo);
      const refuse = (text: string) =>
        render(
          req,
          res,
          'sign-in.njk',
          { returnTo, tokenSignIn: true, oidc: deps.oidc !== undefined, tokenError: text },
          400,
        );
      if (token === '') return refuse('Enter your access token');
      if (token.length > 4096) return refuse('The access token is not one this service knows');
      let caller: Caller;
      try {
        caller = await deps.authenticator.callerFor(`Bearer ${token}`);
      } catch (error) {
        if (error instanceof HttpProblem && error.status === 401)
          return refuse('The access token is not one this service knows');
        throw error;
      }
      // The token itself is not kept: only who it names.
      req.session!.signIn({ id: caller.actor.id, roles: caller.actor.roles, teams: caller.teams, via: 'token' });
      res.redirect(303, returnTo);
    });

  if (deps.oidc) {
    const oidc = deps.oidc;
    pages.get('/sign-in/oidc', async (req, res) => {
      const { url, pending } = await oidc.begin(safeReturnTo(req.query.returnTo)).catch((error: unknown) => {
        throw new HttpProblem(
          503,
          'Identity provider unavailable',
          'the council’s sign-in service could not be reached',
          {},
          {},
          error,
        );
      });
      req.session!.data.login = pending;
      req.session!.save();
      res.redirect(303, url);
    });
    pages.get('/sign-in/callback', async (req, res) => {
      const pending = req.session?.data.login;
      const callbackUrl = new URL(req.originalUrl, oidc.redirectUri);
      const user = pending
        ? await oidc.complete(callbackUrl, pending).catch((error: unknown) => {
            deps.log(`an OpenID Connect sign-in failed (${(error as Error)?.name ?? 'unknown'})`);
            return undefined;
          })
        : undefined;
      if (!user || !pending) {
        delete req.session!.data.login;
        req.session!.save();
        return res.redirect(303, '/sign-in?error=oidc');
      }
      req.session!.signIn(user);
      res.redirect(303, pending.returnTo);
    });
  }

  pages.get('/sign-out', (req, res) => {
    if (!req.session?.data.user) return res.redirect(303, '/sign-in');
    render(req, res, 'sign-out.njk', {});
  });
  pages.post('/sign-out', forms, checked, (req, res) => {
    req.session!.clear();
    res.redirect(303, '/sign-in?signedOut=1');
  });

  mountReportPages(pages, {
    reports: deps.reports,
    organisation: deps.organisation,
    now: deps.now ?? (() => new Date()),
    render,
    signedIn,
    processes: deps.processes,
  });

  const reviewPath = `/${needToKnowProcess.resource}/:id/review`;
  const workflowIdOf = (definition: AnyProcessDefinition, id: string) => `${definition.idPrefix}-${id}`;
  const idFrom = (req: Request) => {
    try {
      return parse(idParam, req.params, 'path').id;
    } catch {
      throw new HttpProblem(404, 'Not found', 'no such process');
    }
  };

  /** What the review page shows: the state, and the draft when the person's roles may read it. */
  const reviewModel = async (user: SignedIn, id: string) => {
    // Who first, as the API's read route: someone who may not read the briefing learns nothing of it.
    if (!hasRole(user, briefing.roles)) {
      throw new HttpProblem(403, 'Forbidden', `the briefing can be read by: ${briefing.roles.join(', ')}`);
    }
    const workflowId = workflowIdOf(needToKnowProcess, id);
    const state = await deps.service.query<NeedToKnowState>(workflowId, needToKnowProcess.stateQuery);
    const read = (await deps.service.query(workflowId, briefing.query)) as {
      version: number;
      briefing: Briefing | null;
    };
    const canDecide =
      hasRole(user, pgl.roles) && (state.stage === 'awaiting_pgl' || state.stage === 'with_director_unreviewed');
    return { id, state, draft: read.briefing, version: read.version, canDecide };
  };

  pages.get(reviewPath, async (req, res) => {
    const user = signedIn(req, res);
    if (!user) return;
    const model = await reviewModel(user, idFrom(req));
    const flash = req.session!.takeFlash();
    render(req, res, 'review.njk', {
      ...model,
      flash,
      form: model.draft ? formForDraft(model.draft) : {},
      errors: [],
    });
  });

  pages.post(reviewPath, forms, checked, async (req, res) => {
    const user = signedIn(req, res);
    if (!user) return;
    const id = idFrom(req);
    if (!hasRole(user, pgl.roles)) throw new HttpProblem(403, 'Forbidden', `${pgl.summary} needs the role pgl`);
    const model = await reviewModel(user, id);
    const form = reviewFormFrom(req.body);
    let body: unknown;
    let errors: FormError[] = [];
    try {
      body = withMailDomains(deps.mailDomains, () => parse(pgl.schema, pglResponseBody(form, model.draft)));
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      errors = formErrors(error.extra.errors ?? []);
    }
    if (errors.length > 0) {
      return render(
        req,
        res,
        'review.njk',
        { ...model, form: { ...formForDraft(model.draft!), ...form }, errors },
        400,
      );
    }
    try {
      // The same update the API's POST /v1/need-to-know/{id}/pgl-response applies, with the same actor.
      await deps.service.update(workflowIdOf(needToKnowProcess, id), pgl.update, {
        ...(body as object),
        actor: actorOf(user),
      });
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 409) {
        const conflict = [
          { id: 'decision', href: '#decision', text: `This briefing could not be approved: ${error.detail}` },
        ];
        return render(req, res, 'review.njk', { ...model, form, errors: conflict }, 409);
      }
      throw error;
    }
    req.session!.data.flash = form.decision === 'amend_and_approve' ? 'amended' : 'approved';
    req.session!.save();
    res.redirect(303, `/${needToKnowProcess.resource}/${encodeURIComponent(id)}/review`);
  });

  for (const definition of deps.processes) {
    pages.get(`/${definition.resource}/:id`, async (req, res) => {
      const user = signedIn(req, res);
      if (!user) return;
      const id = idFrom(req);
      const state = (await deps.service.query(workflowIdOf(definition, id), definition.stateQuery)) as ProcessState;
      const deadlines = [...(state.deadlines ?? [])].map((d) => ({
        ...d,
        shownStatus: deadlineStatus(d),
        // Which one, where a rule recurs or each child has their own.
        name: [d.label, d.occurrence > 1 ? `(${d.occurrence})` : '', d.subject ? `for child ${d.subject}` : '']
          .filter(Boolean)
          .join(' '),
      }));
      const timeline = [...deadlines].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
      const events = [...(state.events ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      render(req, res, 'process.njk', {
        definition: { title: definition.title, resource: definition.resource },
        id,
        state,
        deadlines,
        timeline,
        events,
        reviewable: definition === needToKnowProcess && hasRole(user, briefing.roles),
        webUi: deps.service.webUiLink(workflowIdOf(definition, id)),
      });
    });
  }

  pages.use((req, res) => render(req, res, 'error.njk', { status: 404, title: errorTitles.get(404) }, 404));
  pages.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const problem = error instanceof HttpProblem ? error : undefined;
    const status = problem && problem.status < 500 ? problem.status : problem?.status === 503 ? 503 : 500;
    if (!problem || problem.internal !== undefined) deps.log('a page failed', problem?.internal ?? error);
    const title =
      status === 403 && problem?.title === 'Your form has expired'
        ? problem.title
        : (errorTitles.get(status) ?? 'Sorry, there is a problem with the service');
    render(req, res, 'error.njk', { status, title, detail: status < 500 ? problem?.detail : undefined }, status);
  });

  router.use(pages);
  return router;
}

interface ProcessState {
  stage?: string;
  status?: string;
  startedAt?: string;
  closedAt?: string;
  case?: { reference?: string };
  deadlines?: DeadlineView[];
  events?: ProcessEvent[];
}
