/**
 * The strategy discussion (docs/deadlines.md §3.3, §3.4, D1.5): when it is due and by which rule,
 * what starts it (a concern on an open case, emergency action), its urgency, the discussion held,
 * and the S47 enquiry it initiates up to the enquiry's outcome and the manager's sign-off.
 */
import { patched } from '@temporalio/workflow';
import type { Decision } from '../../src/process';
import { ICPC_RULES, S47_RULES } from '../../src/processes/s47-enquiry/enquiry-rules';
import type {
  ConcernIdentified,
  EmergencyAction,
  Recorded,
  S47Outcome,
  S47Stage,
  StrategyHeld,
  StrategyUrgency,
} from '../../src/processes/s47-enquiry/schemas';
import {
  complexMayReplace,
  rearmsAtOnce,
  STRATEGY_IDS,
  STRATEGY_RULES,
  strategyRule,
} from '../../src/processes/s47-enquiry/strategy-rules';
import { sendNotice } from '../deadline-tracker';
import { nowIso, stageConflict } from '../process-kit';
import type { Finish } from './closing';
import { atStage, meetEach, whileOpen, type Enquiry, type EnquiryProcess } from './enquiry';

/** Patch: a `complex` classification tells L2 (D1.5, ⚠C-01); histories recorded before it replay without it. */
export const COMPLEX_NOTICE_PATCH = 's47-complex-notifies-l2';

/** Stages past the strategy discussion: a later one leaves the enquiry where it is. */
const UNDER_WAY: S47Stage[] = ['s47_in_progress', 'icpc_pending'];

export function strategy(enquiry: Enquiry, finish: Finish, assessment: { withEnquiry: () => Promise<void> }) {
  const { p, input } = enquiry;
  const { state, deadlines, record } = p;
  const openStrategy = () => STRATEGY_IDS.find((id) => deadlines.isOpen(id));

  /** Into STRATEGY_PENDING: the strategy clock runs from its anchor (⚠C-02). */
  const awaitStrategy = async (anchorAt: string, actor: string) => {
    enquiry.strategyAnchor = anchorAt;
    if (!UNDER_WAY.includes(state.stage)) p.setStage('strategy_pending');
    if (!openStrategy()) {
      const rule = strategyRule(state.urgency?.urgency, input.trigger);
      await deadlines.open(rule, anchorAt);
      record('strategy_pending', `strategy discussion due (${rule})`, actor);
    }
  };

  return {
    awaitStrategy,

    /** The start on a concern, emergency action or staff allegation: a strategy discussion from receipt (§3.1). */
    async open() {
      if (input.trigger === 'emergency') await deadlines.open('strategy-post-emergency', input.receivedAt);
      await awaitStrategy(input.receivedAt, input.raisedBy.id);
    },

    async concernIdentified({ actor, identifiedAt }: Decision<ConcernIdentified>) {
      record('concern_identified', 'reasonable cause to suspect significant harm', actor.id);
      await awaitStrategy(identifiedAt, actor.id);
    },

    async emergencyAction({ actor, takenAt, action }: Decision<EmergencyAction>) {
      record('emergency_action', `${action}: strategy discussion as soon as possible`, actor.id);
      await deadlines.open('strategy-post-emergency', takenAt);
      await awaitStrategy(takenAt, actor.id);
    },

    async strategyUrgency({ actor, urgency, rationale }: Decision<StrategyUrgency>) {
      const current = openStrategy()!;
      const target = STRATEGY_RULES[urgency];
      state.urgency = { urgency, by: actor.id, at: nowIso(), rationale };
      if (target === current) return;
      const currentDue = deadlines.find(current)!.dueAt;
      const plan = await deadlines.preview(target, enquiry.strategyAnchor);
      if (rearmsAtOnce(urgency, plan.dueAt, currentDue)) {
        deadlines.cancel(current, actor.id, `urgency set to ${urgency}`);
        await deadlines.open(target, enquiry.strategyAnchor, { plan });
        record('strategy_urgency', `urgency ${urgency}: ${target} due ${plan.dueAt}`, actor.id);
        if (urgency === 'complex' && patched(COMPLEX_NOTICE_PATCH)) {
          await sendNotice(
            p.context,
            'strategy-complex.classified',
            'classification',
            { to: ['pgl'] },
            {
              type: 'message',
              subject: 'Strategy discussion classified as complex',
              text: `A manager classified the concerns in case ${input.caseReference} as complex: the strategy discussion is now due by ${plan.dueAt} (5 working days, 003 QS 11.1) instead of within 48 hours. Rationale: ${rationale}`,
            },
          );
        }
      } else {
        record('strategy_urgency', `urgency ${urgency}: the stricter ${current} (due ${currentDue}) stays`, actor.id);
      }
    },

    async strategyHeld({
      actor,
      strategyId,
      heldAt,
      s47Initiated,
      enquiryType,
      icpcLikely,
      immediateActions,
      concursWithIcpcCancellation,
    }: Decision<StrategyHeld>) {
      meetEach(p, [...STRATEGY_IDS, 'strategy-post-emergency'], actor.id, heldAt);
      record(
        'strategy_held',
        `${strategyId}: S47 ${s47Initiated ? `initiated (${enquiryType})` : 'not initiated'}${icpcLikely ? '; ICPC likely' : ''}`,
        actor.id,
      );
      if (concursWithIcpcCancellation) enquiry.concurringDiscussions.add(strategyId);
      await deadlines.open('strategy-record-circulate', heldAt);
      if (icpcLikely) await deadlines.open('strategy-icpc-request', heldAt);
      for (const action of immediateActions) {
        await deadlines.open('strategy-action', heldAt, {
          dueOverride: action.dueAt,
          responsible: [action.ownerRole],
          label: action.action,
        });
      }
      if (s47Initiated && !state.s47) {
        // The first S47-initiating discussion anchors the S47 and ICPC clocks; later ones never reset them (⚠C-36).
        state.s47 = { anchorAt: heldAt, strategyId, enquiryType };
        state.icpc = { agreed: icpcLikely };
        p.setStage('s47_in_progress');
        for (const id of S47_RULES) await deadlines.open(id, heldAt);
        await assessment.withEnquiry();
      } else if (s47Initiated && icpcLikely && state.icpc) {
        state.icpc.agreed = true;
      } else if (!s47Initiated && !state.s47) {
        p.setStage('assessment'); // §3.3: back to the assessment when there is no S47
        if (!deadlines.find('assessment-complete')) finish('no_s47', actor.id, 'strategy discussion: no S47 enquiry');
      }
    },

    s47Outcome({ actor, outcome, rationale }: Decision<S47Outcome>) {
      deadlines.meet('s47-decision', actor.id);
      record('s47_outcome', `${outcome}: ${rationale}`, actor.id);
      if (outcome === 'substantiated_icpc') {
        state.icpc = { ...state.icpc, agreed: true };
        p.setStage('icpc_pending');
      } else {
        for (const id of ICPC_RULES) deadlines.cancel(id, actor.id, 'S47 not substantiated');
        // The manager's sign-off is still owed; the process ends once it is recorded.
        if (deadlines.isOpen('s47-manager-signoff')) state.outcome = 'not_substantiated';
        else finish('not_substantiated', actor.id, 'S47 not substantiated');
      }
    },

    s47Signoff({ actor, at }: Decision<Recorded>) {
      deadlines.meet('s47-manager-signoff', actor.id, at ?? nowIso());
      record('s47_signoff', 'S47 enquiry signed off', actor.id);
      if (state.outcome === 'not_substantiated')
        finish('not_substantiated', actor.id, 'S47 not substantiated and signed off');
    },
  };
}

export const canRaiseConcern = (p: EnquiryProcess) =>
  atStage(p, ['contact_received', 'assessment'], 'A concern on an open case');
export const canActInEmergency = (p: EnquiryProcess) =>
  atStage(
    p,
    ['contact_received', 'screened', 'awaiting_signoff', 'assessment', 'strategy_pending'],
    'Emergency action',
  );
export const canHoldDiscussion = (p: EnquiryProcess) =>
  atStage(p, ['strategy_pending', ...UNDER_WAY], 'A strategy discussion');
export const canSignOffEnquiry = (p: EnquiryProcess) => whileOpen(p, 's47-manager-signoff', 'no S47 sign-off is due');

/** ⚠C-01: a strategy discussion is due, and `complex` only replaces a standard one not yet due. */
export const canSetUrgency =
  (p: EnquiryProcess) =>
  ({ urgency }: StrategyUrgency) => {
    p.requireStage(['strategy_pending'], 'Setting the strategy urgency');
    const current = STRATEGY_IDS.find((id) => p.deadlines.isOpen(id));
    if (!current) stageConflict('no strategy discussion is due');
    if (urgency === 'complex' && !complexMayReplace(current, p.deadlines.find(current)!.status))
      stageConflict('complex may only replace a standard strategy deadline before it falls due (⚠C-01)');
  };

/** D1.7: once agencies agreed an ICPC, social care cannot drop it without a new concurring discussion. */
export const canDecideOutcome =
  ({ p, concurringDiscussions }: Enquiry) =>
  ({ outcome }: S47Outcome) => {
    p.requireStage(['s47_in_progress'], 'An S47 outcome');
    if (outcome === 'not_substantiated' && p.state.icpc?.agreed && concurringDiscussions.size === 0) {
      stageConflict(
        'agencies agreed an ICPC: record a new strategy discussion that concurs before deciding not to hold one (D1.7)',
      );
    }
  };
