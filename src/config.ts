/**
 * Configuration: read once from the environment at start and validated, with clear errors.
 * Never imported by workflow code.
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { WorkingDayCalendar } from './calendar';
import { parsePayloadKeys, type PayloadKeys } from './payload-codec';
import { englandAndWalesHolidays, holidayOverridesSchema, type HolidayOverrides } from './holidays';
import { logLevels, type LogLevel } from './logger';
import { localOrganisation, organisationSchema, unitId, type Organisation } from './organisation';
import { isLoopbackHost } from './loopback';
import { roles, type Directory } from './roles';
import { DEFAULT_MAIL_DOMAINS, mailDomainOf } from './schemas';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const port = z.coerce.number().int().min(0).max(65_535);
/** A whole number from min to max, from a decimal string ("1.5", "lots" and "" refused). */
const count = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
/** A PostgreSQL connection URL: postgres:// or postgresql://, a host or a Unix socket directory (?host=/dir). */
const postgresUrl = z.string().refine((text) => URL.canParse(text) && /^postgres(ql)?:$/.test(new URL(text).protocol), {
  message: 'expected a PostgreSQL URL such as postgresql://user:password@host:5432/database',
});
/**
 * Where the worker serves its Prometheus metrics: an IP address and a port (`127.0.0.1:9464`,
 * `[::1]:9464`, `0.0.0.0:9464` in a container), as the SDK's exporter binds it, or `off`.
 */
const bindAddress = z.string().refine(
  (text) => {
    if (text === 'off') return true;
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
    if (!match) return false;
    const [, v6, v4, portText] = match;
    const portNumber = Number(portText);
    return (v6 !== undefined ? isIPv6(v6) : isIPv4(v4!)) && portNumber >= 1 && portNumber <= 65_535;
  },
  { message: 'expected an IP address and a port such as 127.0.0.1:9464 or [::1]:9464, or off' },
);
const emails = z.array(z.email()).min(1);
const domain = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
/** A comma-separated list of mail domains, compared case-insensitively with an address's whole domain. */
const mailDomains = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(domain, 'a mail domain such as council.gov.uk')).min(1, 'at least one mail domain'));

/** A claim's name, or a dotted path into nested claims (`realm_access.roles`). */
const claimPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a claim name or a dotted path such as realm_access.roles');

export const directorySchema = z.partialRecord(z.enum(roles), emails);

/** The roles a caller may hold: the service's roles, the case system's, and the administrator's. */
export const actorRoles = [...roles, 'case_system', 'administrator'] as const;

export const tokensSchema = z.record(
  z.string().min(8, 'tokens must be at least 8 characters'),
  z.object({
    person: z.string().min(1),
    roles: z.array(z.enum(actorRoles)).min(1),
    /** The teams, or services, whose deadlines the caller reads (src/evidence/scope.ts); none unless told. */
    teams: z.array(unitId).max(100).optional(),
  }),
);
export type TokenTable = z.infer<typeof tokensSchema>;

/** A directory for the local stack: every role has a mailbox on the local mail catcher. */
export const localDirectory: Directory = Object.fromEntries(
  roles.map((role) => [role, [`${role.replace(/_/g, '-')}@example.test`]]),
);

/** Tokens for the local stack only; a real deployment sets AUTH_TOKENS or AUTH_TOKENS_FILE. */
/** Teams and services name those of `localOrganisation` (src/organisation.ts). */
export const localTokens: TokenTable = {
  'local-social-worker': { person: 'sw-1', roles: ['social_worker'], teams: ['assessment-north'] },
  'local-advanced-practitioner': { person: 'ap-1', roles: ['advanced_practitioner'], teams: ['assessment-north'] },
  'local-team-manager': { person: 'tm-1', roles: ['team_manager'], teams: ['assessment-north'] },
  'local-mash-officer': { person: 'mo-1', roles: ['mash_officer'], teams: ['mash'] },
  'local-mash-duty-manager': { person: 'mdm-1', roles: ['mash_duty_manager'], teams: ['mash'] },
  'local-mash-second-manager': { person: 'mdm-2', roles: ['mash_second_manager'], teams: ['mash'] },
  'local-qa': { person: 'qa-1', roles: ['qa_bstl'] },
  'local-cp-chair': { person: 'chair-1', roles: ['cp_chair'], teams: ['safeguarding'] },
  'local-iro': { person: 'iro-1', roles: ['iro'], teams: ['children-in-care'] },
  'local-cic-business-support': { person: 'cicbs-1', roles: ['cic_business_support'] },
  'local-pgl': { person: 'pgl-1', roles: ['pgl'], teams: ['safeguarding'] },
  'local-head-of-service': { person: 'hos-1', roles: ['head_of_service'], teams: ['safeguarding', 'children-in-care'] },
  'local-director': { person: 'director-1', roles: ['director'] },
  'local-case-system': { person: 'case-system', roles: ['case_system'] },
  'local-administrator': { person: 'admin-1', roles: ['administrator'] },
};

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('statutory-deadlines'),
  TEMPORAL_WEB_UI_URL: z.url().optional(),
  /** Set by `npm start` only: the local Web UI, which has no sign-in, may use the codec without a token. */
  CODEC_LOCAL_UI: z.enum(['on', 'off']).default('off'),
  DATA_DIR: z.string().default('.data'),
  /** The evidence store's PostgreSQL; without it, PGlite in EVIDENCE_DIR (`npm start` serves that to its children). */
  DATABASE_URL: postgresUrl.optional(),
  EVIDENCE_DIR: z.string().min(1).optional(),
  // [P] npm start's dev server deletes a closed process's history after 30 days (README "Data protection").
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(1025),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  MAIL_FROM: z.string().default('Statutory deadlines <deadlines@example.test>'),
  MAIL_VIEWER_PORT: port.default(1080),
  MAIL_CATCHER: z.enum(['on', 'off']).optional(),
  MAIL_ALLOWED_DOMAINS: mailDomains.default([...DEFAULT_MAIL_DOMAINS]),
  MESSAGE_ID_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/)
    .default('deadlines.example.test'),
  DIRECTORY: z.string().optional(),
  DIRECTORY_FILE: z.string().optional(),
  AUTH_TOKENS: z.string().optional(),
  AUTH_TOKENS_FILE: z.string().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_PERSON_CLAIM: claimPath.optional(),
  AUTH_ROLES_CLAIM: claimPath.optional(),
  AUTH_TEAMS_CLAIM: claimPath.optional(),
  ORGANISATION: z.string().optional(),
  ORGANISATION_FILE: z.string().optional(),
  BANK_HOLIDAY_OVERRIDES_FILE: z.string().optional(),
  PAYLOAD_KEYS: z.string().optional(),
  PAYLOAD_KEYS_FILE: z.string().optional(),
  PAYLOAD_KEY_CURRENT: z.string().optional(),
  CALENDAR_SOD: time.default('09:00'),
  CALENDAR_EOD: time.default('17:00'),
  CALENDAR_WD_DUE_TIME: z.enum(['eod', 'midnight']).default('eod'),
  CALENDAR_NON_WORKING_DUE: z.enum(['roll_back', 'keep', 'roll_forward']).default('roll_back'),
  SLA_IMMEDIATE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  // The pages for managers (src/web/): where people reach them, the session key, the identity provider.
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  SESSION_SECRET_FILE: z.string().min(1).optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  WORKER_METRICS_ADDRESS: bindAddress.default('127.0.0.1:9464'),
  // The worker's sticky cache and slots (README "Configuration": why these defaults).
  WORKER_CACHED_WORKFLOWS: count(0, 100_000).default(500),
  WORKER_WORKFLOW_TASKS: count(1, 1_000).default(40),
  WORKER_WORKFLOW_THREADS: count(1, 16).default(1),
  WORKER_REUSE_V8_CONTEXT: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(logLevels, `expected one of ${logLevels.join(', ')}`))
    .default('info'),
});

export interface Config {
  http: { host: string; port: number };
  temporal: {
    address?: string;
    port: number;
    uiPort: number;
    namespace: string;
    taskQueue: string;
    webUiUrl: string;
    dataDir: string;
    /** How long the dev server of `npm start` keeps a closed process's history. */
    retentionDays: number;
  };
  /**
   * The evidence store (src/evidence/store.ts): PostgreSQL at `databaseUrl` when set, otherwise the
   * PGlite data directory `pgliteDir` (DATA_DIR/evidence unless EVIDENCE_DIR says otherwise).
   */
  evidence: { databaseUrl?: string; pgliteDir: string };
  /** The codec server (`/codec`): the Web UI origins it answers, and whether the local UI needs no token. */
  codec: { webUiOrigins: string[]; trustLocalUi: boolean };
  smtp: { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  /** `allowedDomains`: every address given to the service (requests, the directory) is in one of them. */
  mail: { from: string; messageIdDomain: string; viewerPort: number; startCatcher: boolean; allowedDomains: string[] };
  directory: Directory;
  /** The services and their teams, for scoping what a caller reads (src/organisation.ts). */
  organisation: Organisation;
  tokens: TokenTable;
  /** Bearer JWTs from the authority's OpenID Connect provider, when AUTH_ISSUER etc. are set. */
  jwt?: JwtConfig;
  calendar: {
    startOfDay: string;
    endOfDay: string;
    workingDayDueTime: 'eod' | 'midnight';
    nonWorkingDue: 'roll_back' | 'keep' | 'roll_forward';
  };
  holidayOverrides: HolidayOverrides;
  immediateSlaMs: number;
  /** The keys every payload stored in Temporal is encrypted with; see `requirePayloadKeys`. */
  payloadKeys?: PayloadKeys;
  /** The least severe level written to the JSON log lines on stdout. */
  log: { level: LogLevel };
  /** Where the worker serves the SDK's and the service's metrics (`GET /metrics`); none when off. */
  metrics: { workerAddress?: string };
  /** The pages for managers (src/web/): served only when a session secret is configured. */
  web: WebConfig;
  /** The worker's tuning (@temporalio/worker WorkerOptions of the same names). */
  worker: WorkerTuning;
}

/**
 * How many workflows the worker keeps in memory between their tasks, and how many tasks it runs at
 * once. A workflow not in the cache is replayed from its history at its next task: slower by some
 * milliseconds, never wrong. The SDK's own default cache is sized from the V8 heap limit (about
 * 2,300 workflows on a machine with 8 GB), which holds far more than 1 GB of workflow state.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  workflowThreadPoolSize: number;
  reuseV8Context: boolean;
}

export interface JwtConfig {
  /** The `iss` every token must carry. */
  issuer: string;
  /** The `aud` every token must include: this service's client id at the provider. */
  audience: string;
  /** The provider's public keys (JWKS): https, or http on a loopback host only. */
  jwksUrl: string;
  /** The claim naming the person (the actor recorded); `sub` unless told. */
  personClaim: string;
  /** The claim holding the roles: an array of strings or one space-separated string; `roles` unless told. */
  rolesClaim: string;
  /** The claim holding the caller's teams or services (as the roles claim); `teams` when absent. */
  teamsClaim?: string;
}

/** The worker's tuning when nothing is configured: what tests and benches get unless they choose. */
export const defaultWorkerTuning = (): WorkerTuning => loadConfig({}).worker;

export class ConfigError extends Error {}

type AuthEnv = Pick<
  z.infer<typeof envSchema>,
  'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL' | 'AUTH_PERSON_CLAIM' | 'AUTH_ROLES_CLAIM' | 'AUTH_TEAMS_CLAIM'
>;

/** JWT authentication is on when all three of AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are set, off when none is. */
function jwtFrom(e: AuthEnv): JwtConfig | undefined {
  const required = { AUTH_ISSUER: e.AUTH_ISSUER, AUTH_AUDIENCE: e.AUTH_AUDIENCE, AUTH_JWKS_URL: e.AUTH_JWKS_URL };
  const missing = Object.entries(required).filter(([, value]) => value === undefined);
  if (missing.length === 3) {
    const stray = (['AUTH_PERSON_CLAIM', 'AUTH_ROLES_CLAIM', 'AUTH_TEAMS_CLAIM'] as const).filter(
      (name) => e[name] !== undefined,
    );
    if (stray.length > 0) {
      throw new ConfigError(`${stray.join(', ')}: set only with AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL`);
    }
    return undefined;
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `JWT authentication needs all of AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL; missing: ${missing.map(([name]) => name).join(', ')}`,
    );
  }
  const jwksUrl = new URL(e.AUTH_JWKS_URL!);
  if (jwksUrl.protocol !== 'https:' && !(jwksUrl.protocol === 'http:' && isLoopbackHost(jwksUrl.hostname))) {
    throw new ConfigError('AUTH_JWKS_URL: must be https (http only on a loopback host, for local use)');
  }
  return {
    issuer: e.AUTH_ISSUER!,
    audience: e.AUTH_AUDIENCE!,
    jwksUrl: jwksUrl.href,
    personClaim: e.AUTH_PERSON_CLAIM ?? 'sub',
    rolesClaim: e.AUTH_ROLES_CLAIM ?? 'roles',
    ...(e.AUTH_TEAMS_CLAIM === undefined ? {} : { teamsClaim: e.AUTH_TEAMS_CLAIM }),
  };
}

function jsonFrom<T>(name: string, schema: z.ZodType<T>, inline?: string, file?: string): T | undefined {
  const text = inline ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ConfigError(`${name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  if (e.CALENDAR_SOD >= e.CALENDAR_EOD) throw new ConfigError('CALENDAR_SOD must be before CALENDAR_EOD');
  const directory = jsonFrom('DIRECTORY', directorySchema, e.DIRECTORY, e.DIRECTORY_FILE) ?? localDirectory;
  for (const [role, addresses] of Object.entries(directory)) {
    const outside = (addresses ?? []).filter((address) => !e.MAIL_ALLOWED_DOMAINS.includes(mailDomainOf(address)));
    if (outside.length > 0) {
      throw new ConfigError(
        `DIRECTORY: ${role} has addresses outside MAIL_ALLOWED_DOMAINS (${e.MAIL_ALLOWED_DOMAINS.join(', ')}): ${outside.join(', ')}`,
      );
    }
  }
  const jwt = jwtFrom(e);
  const webUiUrl = e.TEMPORAL_WEB_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`;
  if (e.CODEC_LOCAL_UI === 'on' && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `CODEC_LOCAL_UI=on lets the Web UI read decrypted payloads without a token, so only an API on a loopback address may set it; HOST is ${e.HOST}`,
    );
  }
  if (e.WORKER_CACHED_WORKFLOWS > 0 && e.WORKER_WORKFLOW_TASKS < 2) {
    throw new ConfigError('WORKER_WORKFLOW_TASKS must be at least 2 while WORKER_CACHED_WORKFLOWS is not 0');
  }
  const smtpAuth = e.SMTP_USER ? { user: e.SMTP_USER, pass: e.SMTP_PASS ?? '' } : undefined;
  return {
    http: { host: e.HOST, port: e.PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      webUiUrl,
      dataDir: e.DATA_DIR,
      retentionDays: e.TEMPORAL_RETENTION_DAYS,
    },
    evidence: { databaseUrl: e.DATABASE_URL, pgliteDir: e.EVIDENCE_DIR ?? path.join(e.DATA_DIR, 'evidence') },
    codec: { webUiOrigins: webUiOrigins(webUiUrl), trustLocalUi: e.CODEC_LOCAL_UI === 'on' },
    smtp: { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE === 'true', auth: smtpAuth },
    mail: {
      from: e.MAIL_FROM,
      messageIdDomain: e.MESSAGE_ID_DOMAIN,
      viewerPort: e.MAIL_VIEWER_PORT,
      startCatcher: (e.MAIL_CATCHER ?? (env.SMTP_HOST ? 'off' : 'on')) === 'on',
      allowedDomains: e.MAIL_ALLOWED_DOMAINS,
    },
    directory,
    organisation:
      jsonFrom('ORGANISATION', organisationSchema, e.ORGANISATION, e.ORGANISATION_FILE) ?? localOrganisation,
    // With an identity provider, the well-known local tokens are not accepted: static tokens come from AUTH_TOKENS only.
    tokens: jsonFrom('AUTH_TOKENS', tokensSchema, e.AUTH_TOKENS, e.AUTH_TOKENS_FILE) ?? (jwt ? {} : localTokens),
    jwt,
    calendar: {
      startOfDay: e.CALENDAR_SOD,
      endOfDay: e.CALENDAR_EOD,
      workingDayDueTime: e.CALENDAR_WD_DUE_TIME,
      nonWorkingDue: e.CALENDAR_NON_WORKING_DUE,
    },
    holidayOverrides: jsonFrom(
      'BANK_HOLIDAY_OVERRIDES_FILE',
      holidayOverridesSchema,
      undefined,
      e.BANK_HOLIDAY_OVERRIDES_FILE,
    ) ?? { add: [], remove: [] },
    immediateSlaMs: e.SLA_IMMEDIATE_MINUTES * 60_000,
    payloadKeys: payloadKeysFrom(e.PAYLOAD_KEYS, e.PAYLOAD_KEYS_FILE, e.PAYLOAD_KEY_CURRENT),
    log: { level: e.LOG_LEVEL },
    metrics: { workerAddress: e.WORKER_METRICS_ADDRESS === 'off' ? undefined : e.WORKER_METRICS_ADDRESS },
    web: webFrom(e, jwt),
    worker: {
      maxCachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_WORKFLOW_TASKS,
      workflowThreadPoolSize: e.WORKER_WORKFLOW_THREADS,
      reuseV8Context: e.WORKER_REUSE_V8_CONTEXT === 'on',
    },
  };
}

function payloadKeysFrom(inline?: string, file?: string, current?: string): PayloadKeys | undefined {
  if (inline !== undefined && file !== undefined)
    throw new ConfigError('set PAYLOAD_KEYS or PAYLOAD_KEYS_FILE, not both');
  let text = inline;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`PAYLOAD_KEYS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  if (text === undefined) {
    if (current !== undefined) throw new ConfigError('PAYLOAD_KEY_CURRENT is set but no PAYLOAD_KEYS');
    return undefined;
  }
  try {
    return parsePayloadKeys(text, current);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * The payload keys, which the API and the worker cannot start without: a child's details are
 * stored in Temporal's history only encrypted. `npm start` creates a local key in DATA_DIR.
 */
export function requirePayloadKeys(config: Config): PayloadKeys {
  if (config.payloadKeys) return config.payloadKeys;
  throw new ConfigError(
    'no payload key: set PAYLOAD_KEYS (a JSON object of key id to a 32-byte base64 key) or PAYLOAD_KEYS_FILE. ' +
      'Every workflow input, result and message is encrypted with it before it reaches Temporal. ' +
      "Create a key with: node -e \"console.log(JSON.stringify({ k1: require('crypto').randomBytes(32).toString('base64') }))\"",
  );
}

/**
 * The origin a browser sends from the Web UI at `url`. A UI on this machine is reached as
 * `localhost` or `127.0.0.1`, whichever was typed (the dev server prints the first, binds the
 * second): both are loopback, so accepting the twin opens nothing to another machine.
 */
const loopbackTwins = new Map([
  ['localhost', '127.0.0.1'],
  ['127.0.0.1', 'localhost'],
]);
function webUiOrigins(url: string): string[] {
  const origin = new URL(url);
  const twin = loopbackTwins.get(origin.hostname);
  if (twin === undefined) return [origin.origin];
  const other = new URL(origin.origin);
  other.hostname = twin;
  return [origin.origin, other.origin];
}

/** The working-day calendar this configuration describes: one for the worker, the API and the CLI. */
export function calendarFromConfig(config: Pick<Config, 'calendar' | 'holidayOverrides'>): WorkingDayCalendar {
  return new WorkingDayCalendar(englandAndWalesHolidays(config.holidayOverrides), {
    timeZone: 'Europe/London',
    ...config.calendar,
  });
}

export interface WebConfig {
  /** Where people reach the service: https makes the session cookie Secure; OIDC returns to it. */
  publicUrl: string;
  /** Seals the session cookies; without it, no pages are served (npm start creates DATA_DIR/session-secret). */
  sessionSecret?: string;
  /** The access-token form on the sign-in page: only where no identity provider is configured. */
  tokenSignIn: boolean;
  /** Sign-in with the authority's OpenID Connect provider (authorisation code with PKCE). */
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    personClaim: string;
    rolesClaim: string;
    teamsClaim: string;
  };
}

type WebEnv = Pick<
  z.infer<typeof envSchema>,
  | 'PUBLIC_URL'
  | 'SESSION_SECRET'
  | 'SESSION_SECRET_FILE'
  | 'OIDC_ISSUER'
  | 'OIDC_CLIENT_ID'
  | 'OIDC_CLIENT_SECRET'
  | 'HOST'
  | 'PORT'
>;

/** PUBLIC_URL, the session secret (inline or from a file, not both) and OIDC_*, each checked with a clear error. */
function webFrom(e: WebEnv, jwt: JwtConfig | undefined): WebConfig {
  if (e.SESSION_SECRET !== undefined && e.SESSION_SECRET_FILE !== undefined) {
    throw new ConfigError('set SESSION_SECRET or SESSION_SECRET_FILE, not both');
  }
  let sessionSecret = e.SESSION_SECRET;
  if (e.SESSION_SECRET_FILE !== undefined) {
    try {
      sessionSecret = readFileSync(e.SESSION_SECRET_FILE, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `SESSION_SECRET_FILE: cannot read ${e.SESSION_SECRET_FILE} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    if (sessionSecret.length < 32)
      throw new ConfigError('SESSION_SECRET_FILE: the secret must be at least 32 characters');
  }
  const host = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://${host}:${e.PORT}`).origin;
  if (e.OIDC_ISSUER === undefined) {
    if (e.OIDC_CLIENT_ID !== undefined || e.OIDC_CLIENT_SECRET !== undefined) {
      throw new ConfigError('OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set only with OIDC_ISSUER');
    }
    return { publicUrl, sessionSecret, tokenSignIn: true };
  }
  if (e.OIDC_CLIENT_ID === undefined) throw new ConfigError('OIDC_ISSUER needs OIDC_CLIENT_ID');
  if (e.PUBLIC_URL === undefined)
    throw new ConfigError('OIDC_ISSUER needs PUBLIC_URL: the provider sends people back to it');
  const issuer = new URL(e.OIDC_ISSUER);
  if (issuer.protocol !== 'https:' && !isLoopbackHost(issuer.hostname)) {
    throw new ConfigError('OIDC_ISSUER: must be https (http only on a loopback host, for local use)');
  }
  return {
    publicUrl,
    sessionSecret,
    tokenSignIn: false,
    oidc: {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      // The claims as the API reads an access token's (AUTH_PERSON_CLAIM etc.).
      personClaim: jwt?.personClaim ?? 'sub',
      rolesClaim: jwt?.rolesClaim ?? 'roles',
      teamsClaim: jwt?.teamsClaim ?? 'teams',
    },
  };
}
