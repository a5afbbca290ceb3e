/**
 * Shared zod building blocks for every process's API (README "API" conventions).
 *
 * Every request object is strict (an unknown field is a 400 naming it), every instant and date is
 * bounded to a plausible range, and every email address must be in an allowed mail domain. "Now"
 * is read at validation time: this runs in the API process, never in workflow code.
 */
import { z } from 'zod';
import type { Role } from './roles';

/** Nothing this service tracks happened before 1990. */
export const EARLIEST = '1990-01-01';
const EARLIEST_MS = Date.parse(`${EARLIEST}T00:00:00Z`);
/** What happened may be stamped up to this far ahead of our clock (another system's clock skew). */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** A scheduled instant or a planned date lies at most this many years ahead. */
export const YEARS_AHEAD = 20;

const yearsFrom = (ms: number, years: number) => {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
};
/** Today's date (UTC, YYYY-MM-DD) shifted by whole years; a day's slack either way is harmless here. */
const today = (years = 0) => yearsFrom(Date.now(), years).toISOString().slice(0, 10);

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'expected an ISO-8601 instant with an offset, e.g. 2026-03-10T11:00:00Z',
});

/** An instant saying something happened (held, received, seen, taken): from 1990 up to now (plus a small skew). */
export const happenedAt = isoInstant
  .superRefine((value, ctx) => {
    const at = Date.parse(value);
    if (at < EARLIEST_MS) ctx.addIssue({ code: 'custom', message: `must not be before ${EARLIEST}` });
    else if (at > Date.now() + CLOCK_SKEW_MS)
      ctx.addIssue({ code: 'custom', message: 'must not be in the future: it says when something happened' });
  })
  .transform((value) => new Date(value).toISOString());

/** A scheduled instant (a booked conference, a proposed date) or a calculator anchor: from 1990 to 20 years ahead. */
export const scheduledAt = isoInstant
  .superRefine((value, ctx) => {
    const at = Date.parse(value);
    if (at < EARLIEST_MS) ctx.addIssue({ code: 'custom', message: `must not be before ${EARLIEST}` });
    else if (at > yearsFrom(Date.now(), YEARS_AHEAD).getTime())
      ctx.addIssue({ code: 'custom', message: `must not be more than ${YEARS_AHEAD} years ahead` });
  })
  .transform((value) => new Date(value).toISOString());

const isoDate = z.iso.date({ message: 'expected a local date YYYY-MM-DD' });

/** A planned local date (an update expected, a checkpoint, the next Care Panel): from 1990 to 20 years ahead. */
export const localDate = isoDate.superRefine((value, ctx) => {
  if (value < EARLIEST) ctx.addIssue({ code: 'custom', message: `must not be before ${EARLIEST}` });
  else if (value > today(YEARS_AHEAD))
    ctx.addIssue({ code: 'custom', message: `must not be more than ${YEARS_AHEAD} years ahead` });
});

/** A local date on which something happened (out of education since…): from 1990 up to today. */
export const happenedOn = isoDate.superRefine((value, ctx) => {
  if (value < EARLIEST) ctx.addIssue({ code: 'custom', message: `must not be before ${EARLIEST}` });
  else if (value > today())
    ctx.addIssue({ code: 'custom', message: 'must not be in the future: it says when something happened' });
});

/** A child's date of birth: not in the future, and the child under `maxAge` today (else born after 1971). */
export const dateOfBirth = (maxAge?: number) =>
  isoDate.superRefine((value, ctx) => {
    if (value > today()) ctx.addIssue({ code: 'custom', message: 'a date of birth cannot be in the future' });
    else if (maxAge !== undefined && value <= today(-maxAge))
      ctx.addIssue({ code: 'custom', message: `the child must be under ${maxAge} today` });
    else if (value < '1972-01-01') ctx.addIssue({ code: 'custom', message: 'must not be before 1972-01-01' });
  });

/** Names every object in JavaScript inherits: never a token, an id or a field. */
const inherited = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Business ids become part of workflow ids: no spaces, no personal data, bounded length. */
export const businessId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" only, at most 64 characters')
  .refine((value) => !inherited.has(value), 'a reserved name, not an id');

/** A process's id in a URL: a business id, or `<raising id>-<key>` for a process another one raised. */
export const processId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-" only, at most 128 characters')
  .refine((value) => !inherited.has(value), 'a reserved name, not an id');

export const caseReference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'a case-system reference: letters, digits, ".", "_", "/" and "-" only')
  .describe('The case-system reference (no names or dates of birth)');

export const DEFAULT_MAIL_DOMAINS: readonly string[] = ['example.test'];
let allowedMailDomains: readonly string[] = DEFAULT_MAIL_DOMAINS;

/**
 * Runs a (synchronous) parse with the configured mail domains: zod schemas are static, the
 * domains come from the configuration. Nothing can interleave with a synchronous call.
 */
export function withMailDomains<T>(domains: readonly string[], parse: () => T): T {
  const previous = allowedMailDomains;
  allowedMailDomains = domains;
  try {
    return parse();
  } finally {
    allowedMailDomains = previous;
  }
}

export const mailDomainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** An email address in one of the allowed mail domains (MAIL_ALLOWED_DOMAINS). */
export const mailAddress = z
  .email()
  .max(254)
  .refine(
    (address) => allowedMailDomains.includes(mailDomainOf(address)),
    'not in an allowed mail domain (MAIL_ALLOWED_DOMAINS)',
  );

/**
 * The roles a case may name its own people for (§1.2): those allocated to this
 * child. Senior and service roles (PGL, Head of Service, Director, MASH managers, QA, the Care
 * Panel, the Virtual School, the LAC health team, the SLT, out of hours) come from the directory only.
 */
export const caseRoles = [
  'social_worker',
  'advanced_practitioner',
  'team_manager',
  'cp_chair',
  'iro',
  'ssw',
  'designated_teacher',
] as const satisfies readonly Role[];

const addresses = z.array(mailAddress).min(1).max(10);

/** People for this case by role (the social worker, their manager, the IRO…): email addresses. */
export const casePeopleSchema = z
  .strictObject(
    Object.fromEntries(caseRoles.map((role) => [role, addresses.optional()])) as Record<
      (typeof caseRoles)[number],
      z.ZodOptional<typeof addresses>
    >,
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'not a case-level role: senior and service roles come from the directory only'
          : undefined,
    },
  )
  .describe('Per-case recipients by case-level role; other roles, and roles not given, come from the directory');
/** What the workflows receive (runs started before the restriction may carry other roles). */
export type CasePeople = Partial<Record<Role, string[]>>;

/**
 * Whose case it is, as the case system knows it: the team's id and the allocated social worker's
 * staff id (the id their sign-in carries), never names. They scope the worktray and the reports.
 */
export const assignmentFields = {
  team: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a team id: letters, digits, ".", "_" and "-" only')
    .refine((value) => !inherited.has(value), 'a reserved name, not an id')
    .optional()
    .describe('The case-system id of the team that holds the case'),
  socialWorker: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'a staff id: letters, digits, ".", "_", ":", "@" and "-" only')
    .refine((value) => !inherited.has(value), 'a reserved name, not an id')
    .optional()
    .describe('The staff id of the allocated social worker (as their sign-in names them)'),
};

/** A child as the case system names them: a reference, never a name. */
export const childReference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'a case-system child reference, not a name');

/** Free text a person writes (a rationale, a reason), trimmed and bounded. */
export const text = (max = 5_000) => z.string().trim().min(1).max(max);

/** An event that only meets a deadline: when it happened, if not now. */
export const recordedSchema = z.strictObject({ at: happenedAt.optional().describe('When it happened; default now') });
export type Recorded = z.infer<typeof recordedSchema>;

/** §1.3 point 2: the reason a deadline was missed, for any process. */
export const breachReasonSchema = z.strictObject({
  deadlineId: z.string().min(1),
  reason: z.string().trim().min(1).max(5_000),
});
export type BreachReason = z.infer<typeof breachReasonSchema>;
