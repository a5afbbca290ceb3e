/**
 * Senior Leadership notification (docs/deadlines.md §7.3, 002 SLN) inside any process that raises
 * one: `slt-notify` when raised (D5.3, or `slt-trigger-missing`), `slt-record` once it is made, and
 * `slt-update` at each update event (the child found, charged, their health changed).
 */
import { defineUpdate } from '@temporalio/workflow';
import type { Decision } from '../src/process';
import type {
  SeniorLeadershipMessages,
  SltNotified,
  SltNotNeeded,
  SltRecorded,
  SltUpdateSent,
} from '../src/processes/senior-leadership';
import { londonTime } from '../src/notifications';
import { sendNotice } from './deadline-tracker';
import { nowIso, stageConflict, type Process, type ProcessView } from './process-kit';

/** The four updates, typed for the process's view (their names are the same in every process). */
export const seniorLeadershipMessages = <View>(): SeniorLeadershipMessages<View> => ({
  sltNotifiedUpdate: defineUpdate<View | void, [Decision<SltNotified>]>('sltNotified'),
  sltNotNeededUpdate: defineUpdate<View | void, [Decision<SltNotNeeded>]>('sltNotNeeded'),
  sltRecordedUpdate: defineUpdate<View | void, [Decision<SltRecorded>]>('sltRecorded'),
  sltUpdateSentUpdate: defineUpdate<View | void, [Decision<SltUpdateSent>]>('sltUpdateSent'),
});

export function seniorLeadership<View extends ProcessView>(p: Process<View>, m: SeniorLeadershipMessages<View>) {
  const { deadlines, record } = p;
  const open = (id: string) => (_: unknown) => p.requireOpen(id);

  const sln = {
    /** Raised (D5.3, or a trigger): the form is due by EOD (⚠C-22's out-of-hours rule), to the PGL and HoS. */
    async raise(knownAt: string, why: string, actor: string): Promise<void> {
      if (deadlines.find('slt-notify')) return; // one notification per process; later changes are updates
      const due = await deadlines.open('slt-notify', knownAt);
      record('slt_raised', `Senior Leadership notification raised: ${why}`, actor);
      await sendNotice(
        p.context,
        'slt-notify',
        'slt_raised',
        { to: ['pgl', 'head_of_service'] },
        {
          type: 'message',
          subject: 'Senior Leadership notification needed (slt-notify)',
          text: `${why}. Complete the Senior Leadership notification form (002 SLN s1, s2) and record it as made (slt-notification-made), or record why none is needed. Due ${londonTime(due.dueAt)}.`,
        },
      );
    },

    /** An update event after the notification: the updated notification is due in 1 WD (002 SLN s1). */
    async updateDue(at: string, what: string, actor: string): Promise<void> {
      const made = deadlines.find('slt-notify');
      if (!made || made.status === 'cancelled') return;
      await deadlines.open('slt-update', at);
      record('slt_update_due', `updated Senior Leadership notification due: ${what}`, actor);
    },

    async notified({ actor, at = nowIso() }: Decision<SltNotified>) {
      deadlines.meet('slt-notify', actor.id, at);
      record('slt_notified', 'Senior Leadership notification made', actor.id);
      await deadlines.open('slt-record', at); // 002 SLN s3
    },

    notNeeded({ actor, rationale }: Decision<SltNotNeeded>) {
      deadlines.cancel('slt-notify', actor.id, `D5.3: not needed: ${rationale}`);
      record('slt_not_needed', `D5.3: no Senior Leadership notification: ${rationale}`, actor.id);
    },

    recorded({ actor, at = nowIso() }: Decision<SltRecorded>) {
      deadlines.meet('slt-record', actor.id, at);
      record('slt_recorded', 'notification attached to the HOS Notification case note', actor.id);
    },

    updateSent({ actor, at = nowIso() }: Decision<SltUpdateSent>) {
      deadlines.meet('slt-update', actor.id, at);
      record('slt_update_sent', 'updated Senior Leadership notification sent', actor.id);
    },
  };

  p.decide(m.sltNotifiedUpdate, sln.notified, open('slt-notify'));
  p.decide(m.sltNotNeededUpdate, sln.notNeeded, open('slt-notify'));
  p.decide(m.sltRecordedUpdate, sln.recorded, open('slt-record'));
  p.decide(m.sltUpdateSentUpdate, sln.updateSent, (_: unknown) => {
    if (!deadlines.isOpen('slt-update')) stageConflict('no updated Senior Leadership notification is due');
  });
  return sln;
}
