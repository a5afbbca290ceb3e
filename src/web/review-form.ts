/**
 * The Need to Know review form (the PGL approves, or amends and approves): the posted fields as the
 * body of the API's `pgl-response` decision, and that schema's errors as the form's fields. Pure:
 * the page validates with the API's own schema, so the two cannot disagree.
 */
import type { FieldError } from '../api/problem';
import type { Briefing } from '../processes/need-to-know/schemas';

/** The form's fields, by name, as posted (urlencoded: every value a string, or absent). */
export type ReviewForm = Partial<
  Record<
    | 'decision'
    | 'concern'
    | 'actionTaken'
    | 'updateExpectedOn-day'
    | 'updateExpectedOn-month'
    | 'updateExpectedOn-year'
    | 'contactName'
    | 'contactRole'
    | 'contactPhone'
    | 'contactEmail'
    | 'comment',
    string
  >
>;

const fieldNames = [
  'decision',
  'concern',
  'actionTaken',
  'updateExpectedOn-day',
  'updateExpectedOn-month',
  'updateExpectedOn-year',
  'contactName',
  'contactRole',
  'contactPhone',
  'contactEmail',
  'comment',
] as const;

/** Only the known fields, only strings: anything else a request carries is dropped here. */
export function reviewFormFrom(body: unknown): ReviewForm {
  const form: ReviewForm = {};
  if (typeof body !== 'object' || body === null) return form;
  for (const name of fieldNames) {
    const value: unknown = Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'string') form[name] = value;
  }
  return form;
}

const optional = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

/** Day, month and year as "YYYY-MM-DD"; what is not three numbers is passed on for the schema to refuse. */
export function dateFrom(day = '', month = '', year = ''): string {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return `${y}-${m}-${d}`;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** The form as a date input shows a "YYYY-MM-DD" value. */
export function dateParts(date: string | undefined): { day: string; month: string; year: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  return match
    ? { year: match[1]!, month: String(Number(match[2])), day: String(Number(match[3])) }
    : { day: '', month: '', year: '' };
}

/** The form's values for a draft: what the PGL starts amending from. */
export function formForDraft(draft: Briefing): ReviewForm {
  const date = dateParts(draft.updateExpectedOn);
  return {
    concern: draft.concern,
    actionTaken: draft.actionTaken,
    'updateExpectedOn-day': date.day,
    'updateExpectedOn-month': date.month,
    'updateExpectedOn-year': date.year,
    contactName: draft.contact.name,
    contactRole: draft.contact.role ?? '',
    contactPhone: draft.contact.phone ?? '',
    contactEmail: draft.contact.email ?? '',
  };
}

/**
 * The `pgl-response` body. An amendment keeps the child's details of the draft (the PGL amends
 * what is said, not who it is about) and replaces the rest with the form's.
 */
export function pglResponseBody(form: ReviewForm, draft: Briefing | null): Record<string, unknown> {
  const comment = optional(form.comment);
  const body: Record<string, unknown> = { decision: form.decision ?? '', ...(comment ? { comment } : {}) };
  if (form.decision !== 'amend_and_approve' || draft === null) return body;
  const contact = {
    name: form.contactName ?? '',
    ...(optional(form.contactRole) ? { role: form.contactRole } : {}),
    ...(optional(form.contactPhone) ? { phone: form.contactPhone } : {}),
    ...(optional(form.contactEmail) ? { email: form.contactEmail!.trim() } : {}),
  };
  body.amendedBriefing = {
    child: draft.child,
    concern: form.concern ?? '',
    actionTaken: form.actionTaken ?? '',
    updateExpectedOn: dateFrom(
      form['updateExpectedOn-day'],
      form['updateExpectedOn-month'],
      form['updateExpectedOn-year'],
    ),
    contact,
  };
  return body;
}

/** Which field of the form an error of the schema is about (its id on the page), with GOV.UK wording. */
const fieldsByPath = new Map<string, { id: string; label: string }>([
  ['body.decision', { id: 'decision', label: 'Select whether you approve the briefing, or amend and approve it' }],
  ['body.amendedBriefing', { id: 'concern', label: 'Enter the amended briefing' }],
  ['body.amendedBriefing.concern', { id: 'concern', label: 'Enter the nature of the concern' }],
  ['body.amendedBriefing.actionTaken', { id: 'actionTaken', label: 'Enter the action being taken' }],
  [
    'body.amendedBriefing.updateExpectedOn',
    { id: 'updateExpectedOn-day', label: 'Enter the date an update is expected, for example 27 3 2027' },
  ],
  ['body.amendedBriefing.contact.name', { id: 'contactName', label: 'Enter the contact’s name' }],
  [
    'body.amendedBriefing.contact.role',
    { id: 'contactRole', label: 'The contact’s role must be 200 characters or fewer' },
  ],
  [
    'body.amendedBriefing.contact.phone',
    { id: 'contactPhone', label: 'The phone number must be 50 characters or fewer' },
  ],
  [
    'body.amendedBriefing.contact.email',
    { id: 'contactEmail', label: 'Enter an email address in the authority’s mail domains, like name@example.gov.uk' },
  ],
  ['body.comment', { id: 'comment', label: 'The comment must be 2,000 characters or fewer' }],
]);

export interface FormError {
  /** The field's id: the error summary links to it. */
  href: string;
  id: string;
  text: string;
}

/** One error per field, in the form's order; an error about no known field goes to the decision. */
export function formErrors(errors: readonly FieldError[]): FormError[] {
  const seen = new Map<string, FormError>();
  for (const error of errors) {
    const field = fieldsByPath.get(error.path) ?? fieldsByPath.get('body.decision')!;
    if (!seen.has(field.id)) seen.set(field.id, { id: field.id, href: `#${field.id}`, text: field.label });
  }
  const order = ['decision', 'concern', 'actionTaken', 'updateExpectedOn-day', 'contactName', 'contactRole'];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...seen.values()].sort((a, b) => rank(a.id) - rank(b.id));
}
