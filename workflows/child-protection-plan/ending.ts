/**
 * How a plan ends (docs/deadlines.md §4.5): discontinued at a review, no plan after a transfer-in
 * conference, or one of the D2.5 endings (moved away once the receiving authority has held its
 * conference, death, leaving the UK, the 18th birthday).
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import type { ChildMoved, EndingEvent, PlanEnding } from '../../src/processes/child-protection-plan/schemas';
import { monthsBefore } from '../../src/dates';
import { sendNotice } from '../deadline-tracker';
import { stageConflict } from '../process-kit';
import { reportDeath } from '../serious-incident/report';
import { CONFERENCE_OUTPUTS, type Plan, type PlanProcess } from './plan';

/** A death starts the serious incident instead of the one email (docs/deadlines.md §7.4, §6.1 item 3). */
export const DEATH_INCIDENT_PATCH = 'cp-death-starts-incident';

export function ending({ p }: Plan) {
  const { state, deadlines, record } = p;

  /**
   * Every recurrence and pending conference stops; what the last conference still owes (its
   * record, its minutes) stays; every agency invited to the ICPC is told (D2.5).
   */
  const endPlan = async (reason: PlanEnding, at: string, actor: string, after: string[]) => {
    state.stage = 'ending';
    state.ending = { reason, at };
    deadlines.cancelAll(actor, `plan ended: ${reason}`, CONFERENCE_OUTPUTS);
    for (const id of after) await deadlines.open(id, at);
    record('plan_discontinued', `plan discontinued: ${reason}`, actor);
    p.refresh();
  };

  return {
    endPlan,

    /** ⚠C-40: a review that ends the plan in the 3 months before the 18th birthday is the one that rule asks for. */
    nearEighteenthBirthday(at: string): boolean {
      const review = deadlines.find('cp-age-18-review');
      if (!review || !deadlines.isOpen('cp-age-18-review')) return false;
      return at >= monthsBefore(review.dueAt, 3);
    },

    // D2.5 / ⚠C-42: a permanent move keeps the plan open until the receiving authority's conference.
    async childMoved({ actor, toAuthority, notifiedAt }: Decision<ChildMoved>) {
      state.transferOut = { toAuthority, notifiedAt };
      await deadlines.open('cp-transfer-out-watch', notifiedAt);
      record(
        'child_moved',
        'child moved permanently to another authority: the plan stays open until its conference',
        actor.id,
      );
    },

    async receivingConferenceHeld({ actor, at }: Decision<EndingEvent>) {
      deadlines.meet('cp-transfer-out-watch', actor.id, at);
      await endPlan('moved', at, actor.id, ['cp-discontinue-notify']);
    },

    async childDied({ actor, at }: Decision<EndingEvent>) {
      await endPlan('died', at, actor.id, ['cp-discontinue-notify']);
      // The incident raises the category 2 briefing (item 3) and opens the Panel decision itself.
      if (patched(DEATH_INCIDENT_PATCH)) {
        state.links.incident = await reportDeath(p, {
          childReference: state.case.childReference,
          diedAt: at,
          lookedAfter: false,
          onPlan: true,
          legalStatus: 'cp_plan',
        });
        return;
      }
      // D2.5: a death is a Need to Know category 2 item (001 NTK s2 item 3) and needs the Panel check.
      await sendNotice(
        p.context,
        'child-died',
        'key_event',
        { to: ['team_manager', 'pgl', 'head_of_service'] },
        {
          type: 'message',
          subject: 'Child on a protection plan has died: Need to Know briefing and Panel check required',
          text: 'The plan has ended. Submit a Need to Know category 2 briefing (001 NTK s2 item 3) and consider the national Panel notification (004 WT ch.4 paras 10–14).',
        },
      );
    },

    async childLeftUk({ actor, at }: Decision<EndingEvent>) {
      await endPlan('left_uk', at, actor.id, ['cp-discontinue-notify']);
    },
  };
}

/** Refuses a decision once the plan has ended (or is ending). */
export const notEnded = (p: PlanProcess) => (_: unknown) => {
  if (p.state.stage === 'ending' || p.state.stage === 'ended')
    stageConflict(`the plan has already ended (${p.state.ending?.reason})`);
};

/** Refuses a move unless the plan is active with none recorded yet. */
export const canMove = (p: PlanProcess) => (_: unknown) => {
  p.requireStage(['active'], 'Recording a move');
  if (p.state.transferOut) stageConflict('a move is already recorded');
};

/** Refuses the receiving conference unless a move is recorded. */
export const canEndByMove = (p: PlanProcess) => (_: unknown) => {
  p.requireStage(['active'], 'Recording the receiving authority’s conference');
  if (!p.state.transferOut) stageConflict('no move to another authority is recorded');
};
