/**
 * Activities: the only place where deadlines meet the calendar and where email leaves the
 * service. Dependencies come in from the worker so tests use real SMTP servers on loopback.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { WorkingDayCalendar } from '../src/calendar';
import { evidenceBatchSchema, type EvidenceRecord } from '../src/evidence/records';
import type { EvidenceStore } from '../src/evidence/store';
import { planDeadline as plan, type DeadlinePlan } from '../src/deadline-plan';
import { messageIdFor, renderEmail, type NotificationRequest, type NotificationResult } from '../src/notifications';
import type { Directory, Role } from '../src/roles';
import { caseRoles } from '../src/schemas';
import { ruleById, type Duration } from '../src/rules';

export interface ActivityDeps {
  calendar: WorkingDayCalendar;
  mailer: Transporter;
  directory: Directory;
  mail: { from: string; messageIdDomain: string };
  immediateSlaMs: number;
  /**
   * Where the workflows' evidence goes. The worker's entry point always opens one (from config);
   * only tests that do not read the evidence leave it out, and then batches are checked and not kept.
   */
  evidence?: EvidenceStore;
  /** Where people reach the service's pages (PUBLIC_URL): emails link to the item's page. None: no links. */
  publicUrl?: string;
}

export interface PlanRequest {
  ruleId: string;
  /** An instant, or a local date (YYYY-MM-DD) meaning the start of that day in Europe/London. */
  anchorAt: string;
  /** Replaces the rule's duration (for example a Director's request answered by the next working day). */
  duration?: Duration;
  /** A due instant set by a person (a booked conference), instead of a computed one. */
  dueOverride?: string;
  /** For tasks the process defines (a strategy discussion's immediate actions): who owns it and what it is. */
  responsible?: Role[];
  label?: string;
}

/**
 * The SDK's activity logger: the Runtime logger (the worker's pino logger), with the workflow id,
 * the activity type and the attempt added to every line. None outside an activity (unit tests).
 */
const activityLog = (): Logger | undefined => asyncLocalStorage.getStore()?.log;

/**
 * What a notification's log line says: ids, kinds, roles and counts. Never an address, a name, a
 * subject or a text: a briefing's content is a child's details, and a plain message's subject is free text.
 */
function notificationFields(request: NotificationRequest, messageId: string, recipients: number) {
  const { content } = request;
  return {
    workflowId: request.context.workflowId,
    process: request.context.process,
    notification: content.type,
    ...(content.type === 'deadline'
      ? { kind: content.kind, deadlineId: content.deadline.id, occurrence: content.deadline.occurrence }
      : content.type === 'briefing'
        ? { kind: content.variant, category: content.category, item: content.item, version: content.version }
        : {}),
    toRoles: request.to,
    ccRoles: request.cc ?? [],
    recipients,
    messageId,
  };
}

/**
 * Counts an email sent or failed, by process, notice (deadline, briefing, message) and kind
 * (warning, overdue, escalation; a briefing's variant), on the activity's metric meter (the worker
 * Runtime's: its Prometheus endpoint, WORKER_METRICS_ADDRESS). Bounded labels only: never an
 * address, a case reference or a workflow id. A transient failure counts once per attempt.
 */
function countNotification(request: NotificationRequest, outcome: 'sent' | 'failed', failure?: string): void {
  const meter = asyncLocalStorage.getStore()?.metricMeter;
  if (!meter) return; // outside an activity (unit tests)
  const { content } = request;
  const kind = content.type === 'deadline' ? content.kind : content.type === 'briefing' ? content.variant : 'message';
  const tags = { process: request.context.process, notice: content.type, kind, ...(failure ? { failure } : {}) };
  const name = outcome === 'sent' ? 'notifications_sent_total' : 'notifications_failed_total';
  meter.createCounter(name, undefined, `Emails ${outcome}`).add(1, tags);
}

const isCaseRole = (role: Role): boolean => (caseRoles as readonly Role[]).includes(role);

/** SMTP 5xx replies and fully rejected envelopes will not succeed on retry. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  return (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EENVELOPE';
}

export function createActivities(deps: ActivityDeps) {
  const addressesFor = (request: NotificationRequest, roles: Role[] = []) => {
    const unresolved: Role[] = [];
    const byRole = roles.map((role) => {
      // Senior roles come from the directory alone, even for a run started before the API refused them.
      const own = isCaseRole(role) ? request.context.people[role] : undefined;
      const found = own ?? deps.directory[role] ?? [];
      if (found.length === 0) unresolved.push(role);
      return [role, found] as const;
    });
    return { addresses: [...new Set(byRole.flatMap(([, found]) => found))], unresolved, byRole };
  };

  return {
    /** Computes due instants and the notice schedule. Run as a local activity: recorded in history. */
    async planDeadline(request: PlanRequest): Promise<DeadlinePlan> {
      const rule = ruleById(request.ruleId);
      const anchor = /^\d{4}-\d{2}-\d{2}$/.test(request.anchorAt)
        ? deps.calendar.at(request.anchorAt, '00:00')
        : new Date(request.anchorAt);
      const adjusted = {
        ...rule,
        ...(request.duration ? { duration: request.duration } : {}),
        ...(request.responsible ? { responsible: request.responsible } : {}),
        ...(request.label ? { label: request.label } : {}),
      };
      return plan(deps.calendar, adjusted, anchor, {
        immediateSlaMs: deps.immediateSlaMs,
        dueOverride: request.dueOverride ? new Date(request.dueOverride) : undefined,
      });
    },

    /** Writes a batch of evidence, idempotently: a retried or replayed batch changes nothing. */
    async recordEvidence(batch: EvidenceRecord[]): Promise<void> {
      const checked = evidenceBatchSchema.safeParse(batch);
      if (!checked.success) {
        // Paths and messages only, never a value: a refused value could be the free text it keeps out.
        const where = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
        throw ApplicationFailure.nonRetryable(`evidence refused (${where.join('; ')})`, 'EvidenceRefused');
      }
      await deps.evidence?.record(checked.data);
    },

    async sendNotification(request: NotificationRequest): Promise<NotificationResult> {
      const to = addressesFor(request, request.to);
      const cc = addressesFor(request, request.cc);
      const unresolvedRoles = [...to.unresolved, ...cc.unresolved];
      const messageId = messageIdFor(request, deps.mail.messageIdDomain);
      const recipients = new Set([...to.addresses, ...cc.addresses]).size;
      const fields = notificationFields(request, messageId, recipients);
      if (recipients === 0) {
        activityLog()?.warn('notification failed', { ...fields, unresolvedRoles, failure: 'NoRecipients' });
        countNotification(request, 'failed', 'NoRecipients');
        throw ApplicationFailure.nonRetryable(`no address for roles ${unresolvedRoles.join(', ')}`, 'NoRecipients');
      }
      const email = renderEmail(request, { pagesUrl: deps.publicUrl });
      try {
        const info = await deps.mailer.sendMail({
          from: deps.mail.from,
          to: to.addresses.length > 0 ? to.addresses : cc.addresses,
          cc: to.addresses.length > 0 ? cc.addresses : [],
          messageId,
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
        const asText = (list: Array<string | { address: string }>) =>
          list.map((a) => (typeof a === 'string' ? a : a.address));
        const accepted = asText(info.accepted);
        const reachedRoles = [...to.byRole, ...cc.byRole]
          .filter(([, found]) => found.some((address) => accepted.includes(address)))
          .map(([role]) => role);
        const rejected = asText(info.rejected);
        activityLog()?.info('notification sent', {
          ...fields,
          accepted: accepted.length,
          rejected: rejected.length,
          reachedRoles,
          unresolvedRoles,
        });
        countNotification(request, 'sent');
        return { messageId, accepted, rejected, unresolvedRoles, reachedRoles };
      } catch (error) {
        // The SMTP reply is not logged: it may quote a refused address.
        const { code, responseCode } = error as { code?: string; responseCode?: number };
        activityLog()?.warn('notification failed', {
          ...fields,
          unresolvedRoles,
          failure: isPermanent(error) ? 'PermanentSmtpFailure' : 'TransientSmtpFailure',
          smtpCode: code,
          smtpResponseCode: responseCode,
        });
        countNotification(request, 'failed', isPermanent(error) ? 'PermanentSmtpFailure' : 'TransientSmtpFailure');
        if (isPermanent(error)) {
          // The reply's code only: its text may quote the refused address, and this message is kept
          // in the history, in the process's state and in the SDK's "Activity failed" log line.
          throw ApplicationFailure.nonRetryable(`mail refused (SMTP ${responseCode ?? code})`, 'PermanentSmtpFailure');
        }
        throw error; // transient (connection refused, 4xx): retried with backoff
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
