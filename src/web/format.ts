/** How the pages write times, statuses and names: pure, so the wording is tested without a browser. */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { DeadlineStatus } from '../process';
import { roleLabels, type Role } from '../roles';

export const TIME_ZONE = 'Europe/London';

const valid = (iso: string | undefined): iso is string => iso !== undefined && !Number.isNaN(Date.parse(iso));

/** "Wed 2 Dec 2026, 5:00pm" in Europe/London (GMT or BST as the date has it). */
export function londonTime(iso: string | undefined): string {
  if (!valid(iso)) return '';
  return format(new TZDate(Date.parse(iso), TIME_ZONE), 'EEE d MMM yyyy, h:mmaaa');
}

/** "2 December 2026": a date-only value ("YYYY-MM-DD") or an instant's London date. */
export function londonDate(value: string | undefined): string {
  if (value === undefined) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return format(new Date(y, m - 1, d), 'd MMMM yyyy');
  }
  return valid(value) ? format(new TZDate(Date.parse(value), TIME_ZONE), 'd MMMM yyyy') : '';
}

/** The machine-readable form for <time datetime>. */
export const isoAttribute = (iso: string | undefined) => (valid(iso) ? new Date(iso).toISOString() : '');

/** GOV.UK tag colours (govuk-tag--*): red for overdue, the rest as the design system suggests. */
const statusTags = new Map<string, { text: string; colour: string }>([
  ['overdue', { text: 'Overdue', colour: 'red' }],
  ['due_soon', { text: 'Due soon', colour: 'orange' }],
  ['open', { text: 'Open', colour: 'blue' }],
  ['pending', { text: 'Open', colour: 'blue' }],
  ['met', { text: 'Met', colour: 'green' }],
  ['met_late', { text: 'Met late', colour: 'pink' }],
  ['cancelled', { text: 'Cancelled', colour: 'grey' }],
  ['closed', { text: 'Closed', colour: 'grey' }],
]);

export function statusTag(status: string): { text: string; classes: string } {
  const tag = statusTags.get(status) ?? { text: status.replace(/_/g, ' '), colour: 'grey' };
  return { text: tag.text, classes: `govuk-tag--${tag.colour}` };
}

/** A deadline's status as a person reads it: a met deadline that was breached is "met late". */
export const deadlineStatus = (deadline: { status: DeadlineStatus; breached: boolean }): string =>
  deadline.status === 'met' && deadline.breached ? 'met_late' : deadline.status;

/** "Level 2 (Head of Service)": how far up the chain a deadline has been escalated; "None" before any. */
export function escalationText(level: number, chain: readonly Role[] = []): string {
  if (!Number.isInteger(level) || level <= 0) return 'None';
  const role = chain[level - 1];
  return role ? `Level ${level} (${roleLabels[role]})` : `Level ${level}`;
}

/** A role key as words; the case system and the administrator too. */
export function roleName(role: string): string {
  if (role === 'case_system') return 'Case system';
  if (role === 'administrator') return 'Administrator';
  return Object.hasOwn(roleLabels, role) ? roleLabels[role as Role] : role;
}

/** "awaiting_pgl" as "Awaiting PGL". */
export function stageText(stage: string): string {
  const words = stage
    .replace(/_/g, ' ')
    .replace(/\bpgl\b/i, 'PGL')
    .replace(/\bhos\b/i, 'Head of Service');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const legalStatuses = new Map<string, string>([
  ['looked_after_s20', 'Looked after (section 20)'],
  ['care_order', 'Care order'],
  ['ico', 'Interim care order'],
  ['epo', 'Emergency protection order'],
  ['police_protection', 'Police protection'],
  ['remand', 'Remanded'],
  ['cp_plan', 'Child protection plan'],
  ['cin', 'Child in need'],
  ['none', 'None'],
]);

/** A briefing's legal status as words. */
export const legalStatusText = (status: string): string => legalStatuses.get(status) ?? stageText(status);
