/** Once the Director has the briefing (001 NTK s4): their requests, the promised updates, closing. */
import type { Decision } from '../../src/process';
import type {
  CloseBriefing,
  DirectorRequest,
  RaisingProcessEvent,
  UpdateSent,
} from '../../src/processes/need-to-know/schemas';
import { SYSTEM_ACTOR } from '../../src/process';
import { sendNotice } from '../deadline-tracker';
import { nowIso } from '../process-kit';
import { AUTHORS, type NeedToKnowProcess } from './briefing';

export function director(p: NeedToKnowProcess) {
  const { state, deadlines, record } = p;

  const close = (actor: string, reason: string) => {
    deadlines.cancelAll(actor, reason);
    state.status = 'closed';
    state.closedAt = nowIso();
    p.setStage('closed');
    record('closed', reason, actor);
  };

  return {
    close,

    async directorRequest({ actor, request }: Decision<DirectorRequest>) {
      record('director_request', 'the Director asked for more information', actor.id);
      await sendNotice(
        p.context,
        `director-request.${state.events.length}`,
        'director_request',
        { to: AUTHORS, cc: ['pgl'] },
        {
          type: 'message',
          subject: 'The Director asks for more information',
          text: `${request}\n\nSend the update through the service by the end of the next working day (001 NTK s4, D4.4 [P]).`,
        },
      );
      // D4.4 [P]: the answer is due at EOD of the next working day, unless an update is due sooner.
      const nextWorkingDay = { anchorAt: nowIso(), duration: { value: 1, unit: 'working_days' as const } };
      if (!deadlines.isOpen('ntk-update-due'))
        await deadlines.open('ntk-update-due', nextWorkingDay.anchorAt, { duration: nextWorkingDay.duration });
      else
        await deadlines.rescheduleIfEarlier(
          'ntk-update-due',
          nextWorkingDay,
          actor.id,
          'the Director asked for more information',
        );
    },

    async updateSent({ actor, summary, nextUpdateExpectedOn }: Decision<UpdateSent>) {
      deadlines.meet('ntk-update-due', actor.id);
      record(
        'update_sent',
        nextUpdateExpectedOn ? `update sent; next update by ${nextUpdateExpectedOn}` : 'update sent',
        actor.id,
      );
      await sendNotice(
        p.context,
        `update.${state.events.length}`,
        'update',
        { to: ['director'], cc: ['pgl', 'head_of_service'] },
        {
          type: 'message',
          subject: 'Need to Know: update for the Director',
          text: `${summary}${nextUpdateExpectedOn ? `\n\nNext update expected by ${nextUpdateExpectedOn}.` : ''}`,
        },
      );
      if (nextUpdateExpectedOn) await deadlines.open('ntk-update-due', nextUpdateExpectedOn);
    },

    /**
     * The raising process reports an event (the child found): whoever has the briefing hears of it
     * (the Director once they have it, else the PGL); it is the update `ntk-update-due` waits for.
     */
    async raisingProcessEvent({ kind, at, summary }: RaisingProcessEvent) {
      if (state.status === 'closed') return;
      record('raising_process_event', `${kind} at ${at}`, SYSTEM_ACTOR);
      const withDirector = state.stage === 'with_director' || state.stage === 'with_director_unreviewed';
      await sendNotice(
        p.context,
        `raising-event.${state.events.length}`,
        'update',
        withDirector
          ? { to: ['director'], cc: ['pgl', 'head_of_service'] }
          : { to: ['pgl'], cc: ['head_of_service', ...AUTHORS] },
        { type: 'message', subject: 'Need to Know: update from the raising process', text: summary },
      );
      if (withDirector) deadlines.meet('ntk-update-due', SYSTEM_ACTOR, at);
      else if (state.automatic) (state.automatic.reported ??= []).push({ kind, at, summary });
    },

    closeBriefing({ actor, rationale }: Decision<CloseBriefing>) {
      close(actor.id, `matter closed: ${rationale}`);
    },
  };
}
