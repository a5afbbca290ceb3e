/**
 * What a missing episode raises by itself (§6.4, §7.3) and what the child being found changes:
 * each trigger that applies fires at its threshold (⚠C-26: at ≥ N hours) unless the child is
 * found first; after a threshold, the readers of what it raised hear that the child was found.
 */
import { SYSTEM_ACTOR, type Decision } from '../../src/process';
import type {
  MissingEpisodeInput,
  MissingEpisodeState,
  MissingFound,
} from '../../src/processes/missing-episode/schemas';
import {
  foundBeforeAnchor,
  missingFacts,
  thresholdAt,
  type MissingTrigger,
} from '../../src/processes/missing-episode/thresholds';
import { refuseDuplicateEvent, stageConflict, type Process } from '../process-kit';
import { raiseNeedToKnow, tellRaisedBriefing } from '../raise';
import type { seniorLeadership } from '../senior-leadership';

type MissingProcess = Process<MissingEpisodeState>;
type Sln = ReturnType<typeof seniorLeadership<MissingEpisodeState>>;

export function missingTriggers(p: MissingProcess, input: MissingEpisodeInput, sln: Sln, triggers: MissingTrigger[]) {
  const { state, deadlines, record } = p;

  /** Raises what the trigger raises and meets it at its due instant; once only (a found event may fire it first). */
  const fire = async (trigger: MissingTrigger, dueAt: string) => {
    if (!deadlines.isOpen(trigger.ruleId)) return;
    const raises = trigger.raises;
    if (raises.kind === 'need-to-know') {
      const briefing = await raiseNeedToKnow(p, {
        key: raises.key,
        category: 2,
        item: raises.item,
        trigger: trigger.ruleId,
        concernAroseAt: dueAt, // the concern arises at the threshold (001 NTK s2 items 4–5)
        child: { reference: input.child.reference, legalStatus: input.child.legalStatus },
        facts: missingFacts({ ...state.episode, anchorAt: state.anchorAt }),
      });
      state.links.briefings.push(briefing);
    } else {
      await sln.raise(dueAt, 'missing 72 hours with exploitation concerns', SYSTEM_ACTOR);
    }
    deadlines.meet(trigger.ruleId, SYSTEM_ACTOR, dueAt);
    record(trigger.ruleId, `missing ${trigger.hours} hours: ${trigger.ruleId} fired`, SYSTEM_ACTOR);
  };

  return {
    /** Arms every trigger that applies; a backdated report whose threshold passed fires at once (§1.3 point 6). */
    async arm() {
      for (const trigger of triggers)
        await deadlines.open(trigger.ruleId, state.anchorAt, {
          onDue: (dueAt) => p.exclusive(() => fire(trigger, dueAt)),
        });
    },

    validateFound({ eventId, foundAt }: MissingFound) {
      refuseDuplicateEvent(state.eventIds, eventId);
      if (state.foundAt) stageConflict(`the child is already recorded as found at ${state.foundAt}`);
      if (foundBeforeAnchor(foundAt, state.anchorAt))
        stageConflict(`foundAt ${foundAt} is before the child went missing (${state.anchorAt}); nothing was recorded`);
    },

    async found({ actor, eventId, foundAt, circumstances }: Decision<MissingFound>) {
      state.eventIds.push(eventId);
      state.foundAt = foundAt;
      // A threshold reached by the found instant fires (a timer the event overtook); the others are cancelled.
      for (const trigger of triggers) {
        const dueAt = thresholdAt(state.anchorAt, trigger);
        if (foundAt >= dueAt) await fire(trigger, dueAt);
        else deadlines.cancel(trigger.ruleId, actor.id, 'found: the child was found before the threshold');
      }
      deadlines.meet('kev-missing', actor.id, foundAt);
      p.setStage('found');
      record('missing_found', `the child was found at ${foundAt} (event ${eventId})`, actor.id);
      // After a threshold: the update each raised briefing waits for (it meets its ntk-update-due),
      // and the updated Senior Leadership notification (002 SLN s1: "found, and in what circumstances").
      const summary = `The child was found at ${foundAt}${circumstances ? ` (circumstances: ${circumstances})` : ''}.`;
      for (const briefing of state.links.briefings)
        await tellRaisedBriefing(briefing, { kind: 'missing-found', at: foundAt, summary });
      await sln.updateDue(foundAt, 'the child was found', actor.id);
    },
  };
}
