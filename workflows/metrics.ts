/**
 * The service's deadline counters, counted where the tracker records a transition (the same hooks
 * as the evidence journal). They go through the SDK's workflow `metricMeter`: nothing is emitted
 * while a workflow replays and nothing is added to its history (a sink call, not a command), so
 * counting changes no workflow's commands and every recorded history still replays.
 *
 * Labels are bounded sets only: the process key, the rule id of the catalogue, the escalation
 * level, whether a met deadline was late. Never a case reference, a workflow id or a name. The SDK
 * adds the workflow type, the namespace and the task queue.
 */
import { metricMeter } from '@temporalio/workflow';
import type { NotificationContext } from '../src/notifications';
import type { DeadlineView } from '../src/process';
import type { DeadlineTransition } from './evidence';

const counters: ReadonlyMap<DeadlineTransition, { name: string; help: string }> = new Map([
  ['opened', { name: 'deadlines_opened_total', help: 'Deadlines opened' }],
  ['met', { name: 'deadlines_met_total', help: 'Deadlines met (breached="true": met after the due instant)' }],
  ['breached', { name: 'deadlines_breached_total', help: 'Deadlines past their due instant (the overdue notice)' }],
  ['escalated', { name: 'deadlines_escalated_total', help: 'Escalations of overdue deadlines, by level reached' }],
  ['cancelled', { name: 'deadlines_cancelled_total', help: 'Deadlines cancelled' }],
  ['rescheduled', { name: 'deadlines_rescheduled_total', help: 'Deadlines rescheduled' }],
]);

/** Counts one transition of a deadline (a no-op on replay). */
export function countDeadline(context: NotificationContext, kind: DeadlineTransition, view: DeadlineView): void {
  const counter = counters.get(kind);
  if (!counter) return;
  const tags: Record<string, string> = { process: context.process, rule: view.id };
  if (kind === 'met') tags.breached = String(view.breached);
  if (kind === 'escalated' || kind === 'breached') tags.level = String(view.escalationLevel);
  // Created per call: the meter must be used inside workflow context (not at module load), and
  // the worker keeps one native counter per name.
  metricMeter.createCounter(counter.name, undefined, counter.help).add(1, tags);
}
