/**
 * The front door (docs/deadlines.md §3.1, §3.4): the contact's clocks, screening, the MASH decision
 * and a different manager's sign-off, and where the contact goes from there (the assessment, a
 * strategy discussion, the last team under the 13-week rule, another authority, or nowhere
 * further). The referrer's acknowledgement and feedback and the notices to the last team or the
 * other authority are events that only meet their deadline (`p.meets` in the workflow).
 */
import { patched } from '@temporalio/workflow';
import type { Actor, Decision } from '../../src/process';
import { contactRules, FRONT_DOOR_FINALISE, thirteenWeekAnchor } from '../../src/processes/s47-enquiry/enquiry-rules';
import type { MashDecision, MashSignoff, Screened } from '../../src/processes/s47-enquiry/schemas';
import { nowIso, stageConflict } from '../process-kit';
import type { Finish } from './closing';
import { atStage, meetEach, type Enquiry, type EnquiryProcess } from './enquiry';

/** Patch: `contact-13wk-notify` counts from the MASH decision (§3.4), not from its sign-off. */
export const THIRTEEN_WEEK_PATCH = 's47-13wk-from-mash-decision';

/** Where a signed-off pathway goes on: the statutory assessment, or a strategy discussion. */
export interface Onward {
  assessment: () => Promise<void>;
  strategy: (anchorAt: string, actor: string) => Promise<void>;
}

export function frontDoor({ p, input }: Enquiry, finish: Finish, onward: Onward) {
  const { state, deadlines, record } = p;

  return {
    /** The clocks a contact starts (§3.1, §3.4). */
    async open() {
      for (const id of contactRules(input)) await deadlines.open(id, input.receivedAt);
    },

    screened({ actor, significantHarmSuspected, immediateProtectionRequired }: Decision<Screened>) {
      deadlines.meet('contact-screen', actor.id);
      p.setStage('screened');
      record(
        'screened',
        `significant harm suspected: ${significantHarmSuspected}; immediate protection: ${immediateProtectionRequired}`,
        actor.id,
      );
    },

    mashDecision({ actor, pathway, rationale }: Decision<MashDecision>) {
      state.mashDecision = { pathway, rationale, by: actor.id, at: nowIso() };
      p.setStage('awaiting_signoff');
      record('mash_decision', `pathway ${pathway}`, actor.id);
    },

    async mashSignoff({ actor }: Decision<MashSignoff>) {
      const decision = state.mashDecision!;
      decision.signedOffBy = actor.id;
      meetEach(p, FRONT_DOOR_FINALISE, actor.id);
      record('mash_signoff', `pathway ${decision.pathway} signed off`, actor.id);
      switch (decision.pathway) {
        case 'acp_statutory_assessment':
          p.setStage('assessment');
          await onward.assessment();
          break;
        case 'cp_strategy':
          await onward.strategy(input.receivedAt, actor.id);
          break;
        case 'return_to_last_team':
          // ⚠C-34: the 13-week rule; the last team and manager are told at once.
          await deadlines.open(
            'contact-13wk-notify',
            thirteenWeekAnchor(patched(THIRTEEN_WEEK_PATCH), decision.at, nowIso()),
          );
          finish('closed_at_front_door', actor.id, 'returned to the last team (13-week rule)');
          break;
        case 'other_la':
          // 003 QS 2.8: written notification to the other authority ([P] 24 h from receipt).
          if (!deadlines.find('contact-other-la-notify'))
            await deadlines.open('contact-other-la-notify', input.receivedAt);
          finish('closed_at_front_door', actor.id, `transferred to another authority: ${decision.rationale}`);
          break;
        default:
          finish('closed_at_front_door', actor.id, `MASH pathway ${decision.pathway}: ${decision.rationale}`);
      }
    },
  };
}

export const canScreen = (p: EnquiryProcess) => atStage(p, ['contact_received'], 'Screening');
export const canDecidePathway = (p: EnquiryProcess) => atStage(p, ['contact_received', 'screened'], 'A MASH decision');

/** 003 QS 2.12: the final decision is signed off by a *different* MASH manager. */
export const canSignOff =
  (p: EnquiryProcess) =>
  ({ actor }: { actor: Actor }) => {
    p.requireStage(['awaiting_signoff'], 'A sign-off');
    if (p.state.mashDecision?.by === actor.id)
      stageConflict('the MASH decision must be signed off by a different manager');
  };
