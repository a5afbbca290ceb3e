/**
 * What a workflow asks the notification activity to send, and how it reads as an email.
 * Pure: rendering happens in the activity, from data recorded in history.
 * Deadline notices carry the case reference only; briefings go to the managers who must read them.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import type { AutomaticRaise, Briefing } from './processes/need-to-know/schemas';
import { processLink } from './process-links';
import { roleLabels, type Role } from './roles';
import { processLabels, type ProcessKey } from './rules';
import type { CasePeople } from './schemas';

export interface NotificationContext {
  workflowId: string;
  process: ProcessKey;
  caseReference: string;
  people: CasePeople;
  /** The event the process is about, when an event started it (`missing-reported`): named in every notice. */
  event?: string;
}

export type NoticeKind = 'warning' | 'overdue' | 'escalation';

export interface DeadlineNotice {
  type: 'deadline';
  kind: NoticeKind;
  deadline: {
    id: string;
    occurrence: number;
    label: string;
    action: string;
    dueAt: string;
    level: number;
    source: string[];
  };
}

export interface BriefingMessage {
  type: 'briefing';
  variant: 'draft' | 'decision_needed' | 'approved' | 'not_yet_reviewed' | 'minimal';
  category: 2 | 3;
  item: number;
  version: number;
  /** Absent for an automatic raise not yet drafted: then `automatic` gives the minimal facts. */
  briefing?: Briefing;
  automatic?: AutomaticRaise;
}

export interface PlainMessage {
  type: 'message';
  subject: string;
  text: string;
}

export interface NotificationRequest {
  context: NotificationContext;
  /** Unique within the workflow and stable across retries: the Message-ID is derived from it. */
  key: string;
  to: Role[];
  cc?: Role[];
  content: DeadlineNotice | BriefingMessage | PlainMessage;
}

export interface NotificationResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** Roles with no address in the case people or the directory. */
  unresolvedRoles: Role[];
  /** Roles the mail server accepted at least one address of: a send meets a deadline only for these. */
  reachedRoles: Role[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const TIME_ZONE = 'Europe/London';

/** "Wednesday 10 March 2027 at 17:00 (GMT)": the wall-clock time people in England read. */
export function londonTime(isoInstant: string): string {
  const instant = new Date(isoInstant);
  const zone = tzOffset(TIME_ZONE, instant) === 0 ? 'GMT' : 'BST';
  return `${format(new TZDate(instant.getTime(), TIME_ZONE), "EEEE d MMMM yyyy 'at' HH:mm")} (${zone})`;
}

/** `<workflowId.key@domain>`: the same step always gets the same id, so a retried send is recognisable. */
export function messageIdFor(request: Pick<NotificationRequest, 'context' | 'key'>, domain: string): string {
  const safe = `${request.context.workflowId}.${request.key}`.replace(/[^A-Za-z0-9._#-]/g, '-');
  return `<${safe}@${domain}>`;
}

const noticeTitles: Record<NoticeKind, string> = {
  warning: 'Deadline approaching',
  overdue: 'Deadline missed',
  escalation: 'Deadline missed: escalation',
};

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function toHtml(title: string, lines: Array<[string, string]>, footer: string): string {
  const rows = lines
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<!doctype html><html><body><h2>${escapeHtml(title)}</h2><table>${rows}</table><p>${escapeHtml(footer)}</p></body></html>`;
}

function toText(title: string, lines: Array<[string, string]>, footer: string): string {
  return [title, '', ...lines.map(([k, v]) => `${k}: ${v}`), '', footer, ''].join('\n');
}

const FOOTER =
  'Sent by the statutory deadlines service. Record the action in the case system; do not reply to this email.';

const variantTitles: Record<BriefingMessage['variant'], string> = {
  draft: 'Need to Know briefing for your review',
  decision_needed: 'Need to Know: Head of Service decision needed',
  approved: 'Need to Know briefing (approved)',
  not_yet_reviewed: 'Need to Know briefing: NOT YET REVIEWED',
  minimal: 'Need to Know: automatic notice, NO BRIEFING DRAFTED YET',
};

/** §6.3 step 5 [P]: the child, the legal status, the category item and the known facts; no names. */
function minimalLines(raise: AutomaticRaise): Array<[string, string]> {
  return [
    ['1. Child', `ref ${raise.child.reference}, legal status ${raise.child.legalStatus}`],
    ['Raised automatically by', raise.trigger],
    ['Known facts', raise.facts],
  ];
}

export interface RenderOptions {
  /** Where people reach the pages (PUBLIC_URL): each email then links to its item's page. */
  pagesUrl?: string;
}

/** The item's page (a draft briefing's review page) under `pagesUrl`; nothing without it. */
function pageLine(request: NotificationRequest, pagesUrl: string | undefined): Array<[string, string]> {
  const link = pagesUrl === undefined ? undefined : processLink(request.context.workflowId);
  if (link === undefined) return [];
  const { content } = request;
  const review = content.type === 'briefing' && content.variant === 'draft';
  return [['Open in the service', new URL(review ? `${link.page}/review` : link.page, pagesUrl).href]];
}

export function renderEmail(request: NotificationRequest, { pagesUrl }: RenderOptions = {}): RenderedEmail {
  const { context, content } = request;
  const page = pageLine(request, pagesUrl);
  const processLabel = processLabels[context.process];
  if (content.type === 'deadline') {
    const { deadline, kind } = content;
    const title = `${noticeTitles[kind]}: ${deadline.id}`;
    const lines: Array<[string, string]> = [
      ['Process', processLabel],
      ...(context.event ? ([['Event', context.event]] as Array<[string, string]>) : []),
      ['Case reference', context.caseReference],
      ['Deadline', `${deadline.id}${deadline.occurrence > 1 ? ` (occurrence ${deadline.occurrence})` : ''}`],
      ['What must happen', deadline.label],
      [kind === 'warning' ? 'Due' : 'Was due', londonTime(deadline.dueAt)],
      ['Escalation level', String(deadline.level)],
      ['What to do', kind === 'warning' ? deadline.action : `${deadline.action} Record the reason for the delay.`],
      ['Source', deadline.source.join('; ')],
      ['Sent to', request.to.map((role) => roleLabels[role]).join(', ')],
      ...page,
    ];
    const subject = `[${processLabel}] ${noticeTitles[kind]}: ${deadline.id} (case ${context.caseReference}, level ${deadline.level})`;
    return { subject, text: toText(title, lines, FOOTER), html: toHtml(title, lines, FOOTER) };
  }
  if (content.type === 'briefing') {
    const { briefing } = content;
    const title = variantTitles[content.variant];
    const lines: Array<[string, string]> = [
      ['Case reference', context.caseReference],
      ['Category', `${content.category}, item ${content.item}`],
      ['Briefing version', String(content.version)],
      ...(briefing
        ? ([
            [
              '1. Child',
              `${briefing.child.name} (ref ${briefing.child.reference}), legal status ${briefing.child.legalStatus}`,
            ],
            ['2. Nature of the concern', briefing.concern],
            ['3. Action being taken', briefing.actionTaken],
            ['4. Update expected by', briefing.updateExpectedOn],
            [
              '5. Contact',
              [briefing.contact.name, briefing.contact.role, briefing.contact.phone, briefing.contact.email]
                .filter(Boolean)
                .join(', '),
            ],
          ] as Array<[string, string]>)
        : content.automatic
          ? minimalLines(content.automatic)
          : []),
    ];
    lines.push(...page);
    if (content.variant === 'minimal') {
      lines.unshift(['Status', 'No briefing was drafted by the deadline: this is the automatic notice (001 NTK s4)']);
    }
    if (content.variant === 'not_yet_reviewed') {
      lines.unshift([
        'Status',
        'Not yet reviewed: no response from the Practice Group Lead by the deadline (001 NTK s4)',
      ]);
    }
    const subject = `[Need to Know] ${title} (case ${context.caseReference}, category ${content.category} item ${content.item})`;
    return { subject, text: toText(title, lines, FOOTER), html: toHtml(title, lines, FOOTER) };
  }
  const subject = `[${processLabel}] ${content.subject} (case ${context.caseReference})`;
  const lines: Array<[string, string]> = [
    ...(context.event ? ([['Event', context.event]] as Array<[string, string]>) : []),
    ['Case reference', context.caseReference],
    ['Message', content.text],
    ...page,
  ];
  return { subject, text: toText(content.subject, lines, FOOTER), html: toHtml(content.subject, lines, FOOTER) };
}
