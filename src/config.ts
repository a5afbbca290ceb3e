/**
 * Configuration: read once from the environment at start and validated, with clear errors.
 * Never imported by workflow code.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { WorkingDayCalendar } from './calendar';
import { englandAndWalesHolidays, holidayOverridesSchema, type HolidayOverrides } from './holidays';
import { isLoopbackHost } from './loopback';
import { roles, type Directory } from './roles';
import { DEFAULT_MAIL_DOMAINS, mailDomainOf } from './schemas';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const port = z.coerce.number().int().min(0).max(65_535);
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

export const directorySchema = z.partialRecord(z.enum(roles), emails);

export const tokensSchema = z.record(
  z.string().min(8, 'tokens must be at least 8 characters'),
  z.object({ person: z.string().min(1), roles: z.array(z.enum([...roles, 'case_system', 'administrator'])).min(1) }),
);
export type TokenTable = z.infer<typeof tokensSchema>;

/** A directory for the local stack: every role has a mailbox on the local mail catcher. */
export const localDirectory: Directory = Object.fromEntries(
  roles.map((role) => [role, [`${role.replace(/_/g, '-')}@example.test`]]),
);

/** Tokens for the local stack only; a real deployment sets AUTH_TOKENS or AUTH_TOKENS_FILE. */
export const localTokens: TokenTable = {
  'local-social-worker': { person: 'sw-1', roles: ['social_worker'] },
  'local-advanced-practitioner': { person: 'ap-1', roles: ['advanced_practitioner'] },
  'local-team-manager': { person: 'tm-1', roles: ['team_manager'] },
  'local-mash-officer': { person: 'mo-1', roles: ['mash_officer'] },
  'local-mash-duty-manager': { person: 'mdm-1', roles: ['mash_duty_manager'] },
  'local-mash-second-manager': { person: 'mdm-2', roles: ['mash_second_manager'] },
  'local-qa': { person: 'qa-1', roles: ['qa_bstl'] },
  'local-cp-chair': { person: 'chair-1', roles: ['cp_chair'] },
  'local-iro': { person: 'iro-1', roles: ['iro'] },
  'local-cic-business-support': { person: 'cicbs-1', roles: ['cic_business_support'] },
  'local-pgl': { person: 'pgl-1', roles: ['pgl'] },
  'local-head-of-service': { person: 'hos-1', roles: ['head_of_service'] },
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
  BANK_HOLIDAY_OVERRIDES_FILE: z.string().optional(),
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
  };
  /** The codec server (`/codec`): the Web UI origins it answers, and whether the local UI needs no token. */
  codec: { webUiOrigins: string[]; trustLocalUi: boolean };
  smtp: { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  /** `allowedDomains`: every address given to the service (requests, the directory) is in one of them. */
  mail: { from: string; messageIdDomain: string; viewerPort: number; startCatcher: boolean; allowedDomains: string[] };
  directory: Directory;
  tokens: TokenTable;
  calendar: {
    startOfDay: string;
    endOfDay: string;
    workingDayDueTime: 'eod' | 'midnight';
    nonWorkingDue: 'roll_back' | 'keep' | 'roll_forward';
  };
  holidayOverrides: HolidayOverrides;
  immediateSlaMs: number;
}

export class ConfigError extends Error {}

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
  const webUiUrl = e.TEMPORAL_WEB_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`;
  if (e.CODEC_LOCAL_UI === 'on' && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `CODEC_LOCAL_UI=on lets the Web UI read decrypted payloads without a token, so only an API on a loopback address may set it; HOST is ${e.HOST}`,
    );
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
    },
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
    tokens: jsonFrom('AUTH_TOKENS', tokensSchema, e.AUTH_TOKENS, e.AUTH_TOKENS_FILE) ?? localTokens,
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
  };
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
