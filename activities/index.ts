/**
 * Activities: the only place where deadlines meet the calendar and where email leaves the
 * service. Dependencies come in from the worker so tests use real SMTP servers on loopback.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { WorkingDayCalendar } from '../src/calendar';
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

    async sendNotification(request: NotificationRequest): Promise<NotificationResult> {
      const to = addressesFor(request, request.to);
      const cc = addressesFor(request, request.cc);
      const unresolvedRoles = [...to.unresolved, ...cc.unresolved];
      if (to.addresses.length === 0 && cc.addresses.length === 0) {
        throw ApplicationFailure.nonRetryable(`no address for roles ${unresolvedRoles.join(', ')}`, 'NoRecipients');
      }
      const messageId = messageIdFor(request, deps.mail.messageIdDomain);
      const email = renderEmail(request);
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
        return { messageId, accepted, rejected: asText(info.rejected), unresolvedRoles, reachedRoles };
      } catch (error) {
        if (isPermanent(error)) {
          throw ApplicationFailure.nonRetryable(`mail refused: ${(error as Error).message}`, 'PermanentSmtpFailure');
        }
        throw error; // transient (connection refused, 4xx): retried with backoff
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
