/**
 * How an episode of care ends (docs/deadlines.md §5.6 D3.7, §5.7): the ending proposed with the
 * gates it needs (a review; an assessment before a return home), a manager's override of a gate,
 * and the end itself, recorded or at the 18th birthday, which stops every recurrence.
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import type { LegalStatus } from '../../src/processes/need-to-know/schemas';
import { gatesBeforeCeasing } from '../../src/processes/looked-after-child/cadence';
import type {
  Ceased,
  CeasingOverride,
  CeasingProposed,
  CeasingReason,
  LookedAfterState,
} from '../../src/processes/looked-after-child/schemas';
import { nowIso, stageConflict } from '../process-kit';
import { reportDeath } from '../serious-incident/report';
import { notify, requireOpen, type Episode, type EpisodeProcess } from './episode';

/** A death starts the serious incident (docs/deadlines.md §7.4, ⚠C-27): episodes that ended before it did not. */
export const DEATH_INCIDENT_PATCH = 'lac-death-starts-incident';

/** 001 NTK s4 item 1: the legal status a briefing carries, from the episode's legal basis. */
const legalStatusOf: Record<LookedAfterState['case']['legalBasis'], LegalStatus> = {
  s20: 'looked_after_s20',
  ico: 'ico',
  care_order: 'care_order',
  epo: 'epo',
  police_protection: 'police_protection',
  remand_yda: 'remand',
  placement_order: 'care_order',
  other: 'none',
};

/** The gates still blocking the end: neither met nor overridden by a manager. */
const missingGates = ({ state, deadlines }: EpisodeProcess, reason: CeasingReason) =>
  gatesBeforeCeasing(reason).filter(
    (g) => deadlines.find(g)?.status !== 'met' && !state.overrides.some((o) => o.gate === g),
  );

export function ending({ p }: Episode) {
  const { state, deadlines, record } = p;

  /** Every recurrence stops: all open deadlines are cancelled and the workflow completes (§5.7). */
  const finish = async (reason: CeasingReason, at: string, actor: string) => {
    const withoutReview = reason !== 'died' && deadlines.find('lac-review-before-ceasing')?.status !== 'met';
    state.ending = { reason, at };
    deadlines.cancelAll(actor, `the child stopped being looked after (${reason})`);
    state.stage = 'ended';
    state.status = 'closed';
    state.closedAt = nowIso();
    record(
      'ceased',
      `the child stopped being looked after (${reason}) at ${at}; every recurring obligation stops`,
      actor,
    );
    p.refresh();
    if (withoutReview) {
      // §5.5 lac-review-before-ceasing: ceased without a review, the IRO, L1 and L2 are told.
      record(
        'gate_exception',
        'lac-review-before-ceasing: no review was held before the child stopped being looked after',
        actor,
      );
      await notify(
        p,
        'ceased-without-review',
        { to: ['iro'], cc: ['team_manager', 'pgl'] },
        'Child stopped being looked after without a review',
        `The episode of care ended (${reason}) at ${at} without a review held first (003 QS 15.8).`,
      );
    }
  };

  return {
    finish,

    async ceasingProposed({ actor, reason, proposedFor }: Decision<CeasingProposed>) {
      state.ceasing = { reason, proposedFor, by: actor.id };
      state.stage = 'ceasing_proposed';
      // A review before the decision (003 QS 15.8); an assessment before a return home (003 QS 3.15, 14.10).
      await deadlines.open('lac-review-before-ceasing', proposedFor);
      if (reason === 'return_home') await deadlines.open('lac-assessment-before-return', proposedFor);
      record('ceasing_proposed', `the child is to stop being looked after (${reason}) at ${proposedFor}`, actor.id);
      p.refresh();
    },

    ceasingOverride({ actor, gate: id, reason }: Decision<CeasingOverride>) {
      deadlines.cancel(id, actor.id, `manager override: ${reason}`);
      state.overrides.push({ gate: id, reason, by: actor.id, at: nowIso() });
      record('gate_override', `${id} overridden by a manager: ${reason}`, actor.id);
    },

    async ceased({ actor, at, reason }: Decision<Ceased>) {
      await finish(reason, at, actor.id);
      // A looked-after child's death is a serious incident: the Panel, the Secretary of State and
      // Ofsted, senior leaders, and the Director's briefing (004 WT ch.4 paras 12–13; 001 NTK s2).
      if (reason === 'died' && patched(DEATH_INCIDENT_PATCH))
        state.links.incident = await reportDeath(p, {
          childReference: state.case.childReference,
          diedAt: at,
          lookedAfter: true,
          onPlan: state.onChildProtectionPlan,
          legalStatus: legalStatusOf[state.case.legalBasis],
        });
    },
  };
}

/** Refuses a proposal unless the child is looked after (and 18 on the date, for that reason). */
export const canPropose =
  (ep: Episode) =>
  ({ reason, proposedFor }: { reason: string; proposedFor: string }) => {
    const { stage } = ep.p.state;
    if (stage !== 'looked_after') stageConflict(`the end of the episode cannot be proposed: the episode is ${stage}`);
    if (reason === 'age_18' && proposedFor < ep.eighteenAt) stageConflict('the child is not 18 on that date');
  };

/** Refuses an override of a gate that is not open. */
export const canOverride =
  (p: EpisodeProcess) =>
  ({ gate: id }: { gate: string }) => {
    if (!p.deadlines.isOpen(id))
      stageConflict(`${id} is not open: the ending must be proposed first, and a gate already met needs no override`);
  };

/** Refuses the end while the child is under 18 (for that reason) or a gate is neither met nor overridden. */
export const canCease =
  (ep: Episode) =>
  ({ at, reason }: { at: string; reason: CeasingReason }) => {
    const { p } = ep;
    requireOpen(p, 'Recording the end of the episode');
    if (reason === 'age_18' && at < ep.eighteenAt) stageConflict('the child is not yet 18 on that date');
    const missing = missingGates(p, reason);
    if (missing.length > 0) {
      const hint = p.state.ceasing ? '' : ' Propose the ending first (ceasing-proposed).';
      stageConflict(
        `the child cannot stop being looked after yet: ${missing.join(' and ')} not met and not overridden by a manager (003 QS 15.8${reason === 'return_home' ? ', 3.15, 14.10' : ''}).${hint}`,
      );
    }
  };
