/**
 * The one deadline engine every process uses (docs/deadlines.md §1.1–§1.4).
 *
 * A deadline is planned by a local activity (so its due instants are recorded in history and a
 * later bank-holiday table cannot change them on replay), then a small coroutine walks the plan:
 * warnings, the overdue notice at due, then the escalation ladder. Meeting or cancelling the
 * deadline stops the coroutine at once; rescheduling replaces the plan. A missed deadline stays
 * open until it is met or cancelled (§1.3 point 1).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { Activities, PlanRequest } from '../activities';
import type { DeadlinePlan, PlannedStep } from '../src/deadline-plan';
import type { NotificationContext, NotificationRequest } from '../src/notifications';
import type { DeadlineView, NotificationRecord } from '../src/process';
import type { Duration } from '../src/rules';
import { journal } from './evidence';
import { countDeadline } from './metrics';

const planOptions = { startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 5 } } as const;

/** Mail must never be dropped: transient failures retry with backoff for as long as it takes. */
const mailOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;

/** Each call carries a summary for the Web UI (no personal data: ids and roles only). */
const planDeadline = (request: PlanRequest) =>
  proxyLocalActivities<Activities>({ ...planOptions, summary: `plan ${request.ruleId}` }).planDeadline(request);
const sendNotification = (request: NotificationRequest) =>
  proxyActivities<Activities>({
    ...mailOptions,
    summary: `${request.key} to ${[...request.to, ...(request.cc ?? [])].join(', ')}`,
  }).sendNotification(request);

/** What a deadline carries across continue-as-new: everything but its in-memory hook. */
export interface CarriedDeadline {
  view: DeadlineView;
  plan: DeadlinePlan;
  request: PlanRequest;
  /** Bumped by every reschedule so a running coroutine picks up the new plan. */
  revision: number;
  /** The next step of the plan to fire, once the walk has started (so a new run never repeats a notice). */
  nextStep?: number;
}

interface Tracked extends CarriedDeadline {
  onDue?: OpenOptions['onDue'];
}

const isOpen = (view: DeadlineView) => view.status === 'pending' || view.status === 'overdue';
const carried = ({ view, plan, request, revision, nextStep }: Tracked): CarriedDeadline => ({
  view,
  plan,
  request,
  revision,
  nextStep,
});
/**
 * A closed deadline keeps its story (anchor, due, status, who met it, breaches, escalations and
 * failed sends) but not what can be looked up again: its wording (the rule catalogue has it, by id)
 * and its notice schedule and warnings sent.
 */
const compact = ({ view, plan, request, revision }: Tracked): CarriedDeadline => ({
  view: {
    ...view,
    label: '',
    notifications: view.notifications.filter((n) => n.kind !== 'warning' || n.status === 'failed'),
  },
  plan: { ...plan, label: '', action: '', source: [], steps: [] },
  request: { ruleId: request.ruleId, anchorAt: request.anchorAt },
  revision,
});
const nowIso = () => new Date(Date.now()).toISOString();

export interface OpenOptions {
  duration?: Duration;
  dueOverride?: string;
  responsible?: PlanRequest['responsible'];
  label?: string;
  /**
   * Runs when the due timer fires, before any overdue notice, with the due instant; if it meets
   * the deadline (at that instant) no breach follows. For deadlines whose miss has an automatic action.
   */
  onDue?: (dueAt: string) => Promise<void>;
  /** A plan already made with `preview` (so comparing readings costs no second activity call). */
  plan?: DeadlinePlan;
  /** Whom this occurrence is for, when each child of a case has their own (a case-system reference). */
  subject?: string;
}

/** A plan request as a key: the same rule, anchor and options plan the same. */
const planKey = (r: PlanRequest) =>
  JSON.stringify([
    r.ruleId,
    r.anchorAt,
    r.duration ?? null,
    r.dueOverride ?? null,
    r.responsible ?? null,
    r.label ?? null,
  ]);

export class DeadlineTracker {
  private readonly tracked: Tracked[] = [];
  /** Plans made ahead, at once (`planAhead`), for the `open` and `preview` that ask for them. */
  private readonly plannedAhead = new Map<string, DeadlinePlan>();
  /** Notices being sent now: a run must not end (or continue as new) under them, or one is sent twice. */
  private sending = 0;

  constructor(
    private readonly context: NotificationContext,
    /** Called after every change so the process can refresh search attributes and details. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** Opens a new occurrence of `ruleId` counted from `anchorAt` (an instant or a local date). */
  async open(
    ruleId: string,
    anchorAt: string,
    { onDue, plan: planned, subject, ...options }: OpenOptions = {},
  ): Promise<DeadlineView> {
    const request: PlanRequest = { ruleId, anchorAt, ...options };
    const plan = planned ?? this.takePlannedAhead(request) ?? (await planDeadline(request));
    const occurrence = this.tracked.filter((t) => t.view.id === ruleId).length + 1;
    const view: DeadlineView = {
      id: ruleId,
      occurrence,
      ...(subject ? { subject } : {}),
      label: plan.label,
      anchorAt: plan.anchorAt,
      dueAt: plan.dueAt,
      statutoryDueAt: plan.statutoryDueAt,
      status: 'pending',
      breached: false,
      escalationLevel: 0,
      calendarVersion: plan.calendarVersion,
      rescheduled: [],
      notifications: [],
    };
    const item: Tracked = { view, plan, request, revision: 0, onDue };
    this.tracked.push(item);
    journal()?.deadline('opened', view, nowIso());
    countDeadline(this.context, 'opened', view);
    void this.walk(item);
    this.onChange();
    return view;
  }

  /** Plans a deadline without tracking it: to compare readings before choosing one. */
  preview(ruleId: string, anchorAt: string, options: Omit<OpenOptions, 'onDue' | 'plan'> = {}): Promise<DeadlinePlan> {
    const request = { ruleId, anchorAt, ...options };
    const ahead = this.takePlannedAhead(request);
    return ahead ? Promise.resolve(ahead) : planDeadline(request);
  }

  /**
   * Plans these at once, in parallel local activities rather than one after another; the `open`
   * or `preview` of the same request then takes its plan without a call. Until `dropPlansAhead`.
   */
  async planAhead(requests: PlanRequest[]): Promise<DeadlinePlan[]> {
    const plans = await Promise.all(requests.map((request) => planDeadline(request)));
    requests.forEach((request, i) => this.plannedAhead.set(planKey(request), plans[i]!));
    return plans;
  }

  /** Forgets the plans made ahead and not taken (a later open must plan with the calendar as it is then). */
  dropPlansAhead(): void {
    this.plannedAhead.clear();
  }

  private takePlannedAhead(request: PlanRequest): DeadlinePlan | undefined {
    const key = planKey(request);
    const plan = this.plannedAhead.get(key);
    this.plannedAhead.delete(key);
    return plan;
  }

  /** Ids of every open deadline. */
  openIds(): string[] {
    return [...new Set(this.tracked.filter((t) => isOpen(t.view)).map((t) => t.view.id))];
  }

  /** The latest occurrence of a rule. */
  find(ruleId: string): DeadlineView | undefined {
    return this.latest(ruleId)?.view;
  }

  isOpen(ruleId: string, subject?: string): boolean {
    return this.openItem(ruleId, subject) !== undefined;
  }

  /** Meets the oldest open occurrence of the rule (for `subject`, when given). */
  meet(ruleId: string, actor: string, at = nowIso(), subject?: string): void {
    const item = this.openItem(ruleId, subject);
    if (!item) return;
    item.view.status = 'met';
    item.view.metAt = at;
    item.view.metBy = actor;
    const recordedAt = nowIso();
    item.view.recordedAt = recordedAt;
    // The record tells when it happened: done by the due time is on time even when it is entered
    // late (the overdue notices that went out stay in `notifications`).
    item.view.breached = at > item.view.dueAt;
    journal()?.deadline('met', item.view, recordedAt, actor);
    countDeadline(this.context, 'met', item.view);
    this.onChange();
  }

  /** Cancels every open occurrence of the rule (for `subject`, when given). */
  cancel(ruleId: string, actor: string, reason: string, subject?: string): void {
    for (const item of this.tracked)
      if (this.matches(item, ruleId, subject) && isOpen(item.view)) this.cancelItem(item, actor, reason);
  }

  /** Cancels every open deadline, except the rules named in `keep`. */
  cancelAll(actor: string, reason: string, keep: string[] = []): void {
    for (const item of this.tracked)
      if (isOpen(item.view) && !keep.includes(item.view.id)) this.cancelItem(item, actor, reason);
  }

  /** Moves an open deadline: a new anchor (a "before" rule's event moved) or a due set by a person. */
  async reschedule(
    ruleId: string,
    change: { anchorAt?: string; dueOverride?: string; duration?: Duration },
    actor: string,
    reason: string,
  ): Promise<void> {
    const item = this.openItem(ruleId);
    if (!item)
      throw ApplicationFailure.create({ type: 'StageConflict', message: `${ruleId} is not open`, nonRetryable: true });
    await this.replan(item, { ...item.request, ...change }, actor, reason);
  }

  /** Moves an open deadline only if the change makes it fall due sooner. */
  async rescheduleIfEarlier(
    ruleId: string,
    change: { anchorAt?: string; duration?: Duration },
    actor: string,
    reason: string,
  ): Promise<void> {
    const item = this.openItem(ruleId);
    if (!item) return;
    const request = { ...item.request, ...change };
    const plan = await planDeadline(request);
    if (plan.dueAt < item.view.dueAt) await this.replan(item, request, actor, reason, plan);
  }

  /**
   * §1.4: when the bank-holiday table changes, recompute every open deadline whose due time
   * was computed (not set by a person). Completed deadlines are never touched.
   */
  async recomputeOpen(actor: string): Promise<number> {
    let changed = 0;
    for (const item of this.tracked.filter((t) => isOpen(t.view) && !t.request.dueOverride)) {
      const before = item.view.dueAt;
      const plan = await planDeadline(item.request);
      if (plan.dueAt !== before || plan.calendarVersion !== item.view.calendarVersion) {
        await this.replan(item, item.request, actor, `calendar updated to ${plan.calendarVersion}`, plan);
        changed += plan.dueAt !== before ? 1 : 0;
      }
    }
    return changed;
  }

  recordBreachReason(ruleId: string, actor: string, reason: string): void {
    const item = this.latest(ruleId);
    if (!item?.view.breached) {
      throw ApplicationFailure.create({
        type: 'StageConflict',
        message: `${ruleId} has not been breached`,
        nonRetryable: true,
      });
    }
    item.view.breachReason = `${reason} (${actor})`;
    this.onChange();
  }

  views(): DeadlineView[] {
    return this.tracked.map((t) => t.view);
  }

  /**
   * Every deadline, open or closed, for the next run of a continued-as-new workflow. A closed one
   * is carried compacted (see `compact`): an episode of care carries sixteen years of them.
   */
  snapshot(): CarriedDeadline[] {
    return this.tracked.map((item) => (isOpen(item.view) ? carried(item) : compact(item)));
  }

  /** Takes over the deadlines of the previous run; open ones resume where their walk stopped. */
  restore(carried: CarriedDeadline[]): void {
    for (const item of carried) {
      const tracked: Tracked = { ...item };
      this.tracked.push(tracked);
      if (isOpen(tracked.view)) void this.walk(tracked);
    }
    this.onChange();
  }

  /** No notice is in flight: the run may end or continue as new (`condition(() => deadlines.settled())`). */
  settled(): boolean {
    return this.sending === 0;
  }

  nextDueAt(): string | undefined {
    return this.tracked
      .filter((t) => t.view.status === 'pending')
      .map((t) => t.view.dueAt)
      .sort()[0];
  }

  overdueCount(): number {
    return this.tracked.filter((t) => t.view.status === 'overdue').length;
  }

  /** The deadline table for the Web UI's "current details" (no personal data). */
  toMarkdown(): string {
    const rows = this.tracked.map(
      ({ view: v }) =>
        `| ${v.id}${v.occurrence > 1 ? ` #${v.occurrence}` : ''} | ${v.dueAt} | ${v.status}${v.breached ? ' (breached)' : ''} | ${v.escalationLevel} |`,
    );
    return ['| deadline | due (UTC) | status | escalation |', '|---|---|---|---|', ...rows].join('\n');
  }

  private latest(ruleId: string): Tracked | undefined {
    return this.tracked.filter((t) => t.view.id === ruleId).at(-1);
  }

  /** The oldest open occurrence: occurrences are met in the order they fell due. */
  private openItem(ruleId: string, subject?: string): Tracked | undefined {
    return this.tracked.find((t) => this.matches(t, ruleId, subject) && isOpen(t.view));
  }

  /** An occurrence without a subject (one for the whole case) stands for every subject. */
  private matches(item: Tracked, ruleId: string, subject?: string): boolean {
    return (
      item.view.id === ruleId &&
      (subject === undefined || item.view.subject === undefined || item.view.subject === subject)
    );
  }

  private cancelItem(item: Tracked, actor: string, reason: string): void {
    item.view.status = 'cancelled';
    const cancelledAt = nowIso();
    item.view.cancelledAt = cancelledAt;
    item.view.cancelledBy = actor;
    item.view.cancelReason = reason;
    journal()?.deadline('cancelled', item.view, cancelledAt, actor);
    countDeadline(this.context, 'cancelled', item.view);
    this.onChange();
  }

  private async replan(
    item: Tracked,
    request: PlanRequest,
    actor: string,
    reason: string,
    planned?: DeadlinePlan,
  ): Promise<void> {
    const plan = planned ?? this.takePlannedAhead(request) ?? (await planDeadline(request));
    item.view.rescheduled.push({ from: item.view.dueAt, to: plan.dueAt, by: actor, reason, at: nowIso() });
    Object.assign(item.view, {
      anchorAt: plan.anchorAt,
      dueAt: plan.dueAt,
      statutoryDueAt: plan.statutoryDueAt,
      calendarVersion: plan.calendarVersion,
      status: 'pending',
      escalationLevel: 0,
    });
    item.plan = plan;
    item.request = request;
    item.revision += 1;
    item.nextStep = undefined;
    journal()?.deadline('rescheduled', item.view, nowIso(), actor);
    countDeadline(this.context, 'rescheduled', item.view);
    this.onChange();
  }

  /** Walks the plan until the deadline is met or cancelled; restarts on every reschedule. */
  private async walk(item: Tracked): Promise<void> {
    let revision = -1;
    let index = 0;
    const stale = () => !isOpen(item.view) || revision !== item.revision;
    while (isOpen(item.view)) {
      if (revision !== item.revision) {
        revision = item.revision;
        // Warnings already in the past are moot; a breach in the past fires at once (§1.3 point 6).
        const now = Date.now();
        index = item.nextStep ?? item.plan.steps.findIndex((s) => s.kind !== 'warning' || Date.parse(s.at) > now);
        if (index < 0) index = item.plan.steps.length;
        item.nextStep = index;
      }
      const step = item.plan.steps[index];
      if (!step) {
        await condition(stale);
        continue;
      }
      const wait = Date.parse(step.at) - Date.now();
      if (wait > 0) {
        const summary = `${item.view.id} ${step.key} at ${step.at}`;
        if (await condition(stale, wait, { summary })) continue;
      }
      if (stale()) continue;
      if (step.kind === 'overdue' && item.onDue) {
        await item.onDue(step.at);
        if (stale()) continue;
      }
      if (step.kind !== 'warning') {
        const firstBreach = item.view.status === 'pending';
        item.view.status = 'overdue';
        item.view.breached = true;
        item.view.escalationLevel = Math.max(item.view.escalationLevel, step.level);
        journal()?.deadline(firstBreach ? 'breached' : 'escalated', item.view, nowIso());
        countDeadline(this.context, firstBreach ? 'breached' : 'escalated', item.view);
        this.onChange();
      }
      this.sending += 1;
      try {
        await this.notify(item, step, revision);
      } finally {
        this.sending -= 1;
      }
      index += 1;
      if (revision === item.revision) item.nextStep = index;
    }
  }

  private async notify(item: Tracked, step: PlannedStep, revision: number): Promise<void> {
    const { view, plan } = item;
    const key = `${view.id}.${view.occurrence}.r${revision}.${step.key}`;
    const record: NotificationRecord = await sendNotice(
      this.context,
      key,
      step.kind,
      { to: step.notify },
      {
        type: 'deadline',
        kind: step.kind,
        deadline: {
          id: view.id,
          occurrence: view.occurrence,
          label: plan.label,
          action: plan.action,
          dueAt: view.dueAt,
          level: step.level,
          source: plan.source,
        },
      },
    );
    view.notifications.push(record);
    this.onChange();
  }
}

/**
 * Sends one email and reports what happened. Permanent failures (an address the server refuses,
 * a role with no address) do not fail the workflow: they are returned for the state to show.
 */
export async function sendNotice(
  context: NotificationContext,
  key: string,
  kind: string,
  recipients: { to: NotificationRecordRoles; cc?: NotificationRecordRoles },
  content: NotificationRequest['content'],
): Promise<NotificationRecord> {
  const record = await send(context, key, kind, recipients, content);
  journal()?.notification(
    record,
    content.type === 'deadline' ? { ruleId: content.deadline.id, occurrence: content.deadline.occurrence } : undefined,
  );
  return record;
}

async function send(
  context: NotificationContext,
  key: string,
  kind: string,
  recipients: { to: NotificationRecordRoles; cc?: NotificationRecordRoles },
  content: NotificationRequest['content'],
): Promise<NotificationRecord> {
  const at = nowIso();
  try {
    const result = await sendNotification({ context, key, to: recipients.to, cc: recipients.cc, content });
    const rejected = [...result.rejected, ...result.unresolvedRoles.map((role) => `role:${role}`)];
    return {
      key,
      messageId: result.messageId,
      at,
      kind,
      to: recipients.to,
      status: 'sent',
      ...(rejected.length ? { rejected } : {}),
      ...(result.reachedRoles ? { reached: result.reachedRoles } : {}),
    };
  } catch (error) {
    const cause =
      error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
    if (!cause) throw error;
    log.warn('notification failed permanently', { key, type: cause.type });
    return { key, at, kind, to: recipients.to, status: 'failed', error: `${cause.type}: ${cause.message}` };
  }
}

type NotificationRecordRoles = NotificationRecord['to'];

/** A send meets a deadline only when it reached every role it is for (older records lack `reached`). */
export const reachedAll = (record: NotificationRecord, roles: NotificationRecordRoles): boolean =>
  record.status === 'sent' && (record.reached === undefined || roles.every((role) => record.reached!.includes(role)));
