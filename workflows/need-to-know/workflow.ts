/**
 * Need to Know briefing to the Director (statutory-rules §6, 001 NTK s2–s4).
 *
 * Category 2: the draft goes to the PGL (copy HoS); the PGL's approval sends it to the Director
 * (copies PGL and HoS); with no approval by the end of the working day during which the concern
 * arose, the latest draft goes to the Director anyway, marked not yet reviewed. Category 3: the
 * HoS decides first; "inform" then follows the category 2 steps from the decision.
 */
import { condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type {
  Briefing,
  NeedToKnowInput,
  NeedToKnowStage,
  NeedToKnowState,
} from '../../src/processes/need-to-know/schemas';
import type { BriefingMessage, NotificationContext } from '../../src/notifications';
import { SYSTEM_ACTOR } from '../../src/process';
import type { Role } from '../../src/roles';
import { DeadlineTracker, reachedAll, sendNotice } from '../deadline-tracker';
import {
  breachReasonUpdate,
  briefingRevisedUpdate,
  closeBriefingUpdate,
  directorRequestUpdate,
  getStateQuery,
  hosDecisionUpdate,
  pglResponseUpdate,
  recomputeDeadlinesUpdate,
  updateSentUpdate,
} from './messages';
import { commonDecisions, eventLog, nowIso, serialized, settle, stageConflict, visibility } from '../process-kit';

const AUTHORS: Role[] = ['social_worker', 'advanced_practitioner'];
/** Patch: the author gets a copy once the Director has the approved briefing. */
export const AUTHOR_COPY_PATCH = 'ntk-author-copy-on-approval';
/** Patch: a revised draft that reaches the PGL meets `ntk-cat2-draft` when the first one did not. */
export const REVISED_DRAFT_PATCH = 'ntk-draft-met-by-revision';

export async function needToKnow(input: NeedToKnowInput): Promise<NeedToKnowState> {
  const context: NotificationContext = {
    workflowId: workflowInfo().workflowId,
    process: 'ntk',
    caseReference: input.caseReference,
    people: input.people,
  };
  const state: Omit<NeedToKnowState, 'deadlines'> = {
    id: workflowInfo().workflowId,
    process: 'need-to-know',
    stage: input.category === 2 ? 'awaiting_pgl' : 'awaiting_hos_decision',
    status: 'open',
    startedAt: input.raisedAt,
    case: { reference: input.caseReference, category: input.category, item: input.item, brevity: input.brevity },
    briefingVersion: 1,
    events: [],
  };
  let briefing: Briefing = input.briefing;

  const view = (): NeedToKnowState => ({ ...state, deadlines: deadlines.views() });
  const refresh = visibility(
    'Need to Know',
    () => state.stage,
    () => deadlines,
  );
  const deadlines = new DeadlineTracker(context, refresh);
  const { decide, exclusive, started } = serialized();
  const now = nowIso;
  const record = eventLog(state.events);
  const setStage = (stage: NeedToKnowStage) => {
    state.stage = stage;
    refresh();
  };
  const directorRule = input.category === 2 ? 'ntk-cat2-director' : 'ntk-cat3-director';

  const sendBriefing = async (variant: BriefingMessage['variant'], to: Role[], cc: Role[]) => {
    const key = `briefing.v${state.briefingVersion}.${variant}`;
    const content: BriefingMessage = {
      type: 'briefing',
      variant,
      category: input.category,
      item: input.item,
      version: state.briefingVersion,
      briefing,
    };
    const result = await sendNotice(context, key, variant, { to, cc }, content);
    record(
      result.status === 'sent' ? 'email_sent' : 'email_failed',
      `${variant} briefing v${state.briefingVersion} to ${[...to, ...cc].join(', ')}${result.error ? `: ${result.error}` : ''}`,
    );
    return reachedAll(result, to);
  };

  /** `ntk-update-due` follows the date promised in the latest briefing the Director has. */
  let promisedUpdate: string | undefined;
  const syncUpdateDue = async (actor: string) => {
    if (promisedUpdate === undefined) {
      await deadlines.open('ntk-update-due', briefing.updateExpectedOn);
    } else if (deadlines.isOpen('ntk-update-due') && promisedUpdate !== briefing.updateExpectedOn) {
      await deadlines.reschedule(
        'ntk-update-due',
        { anchorAt: briefing.updateExpectedOn },
        actor,
        'the approved briefing gives a new update date',
      );
    }
    promisedUpdate = briefing.updateExpectedOn;
  };

  /** [S] 001 NTK s4: no response by the deadline, so the latest draft goes to the Director anyway. */
  const fallbackToDirector = async (dueAt: string) => {
    if (state.stage !== 'awaiting_pgl') return;
    state.directorHas = 'not_yet_reviewed';
    setStage('with_director_unreviewed');
    record(
      'fallback',
      `no PGL response by ${dueAt}: latest draft sent to the Director, not yet reviewed`,
      SYSTEM_ACTOR,
    );
    if (await sendBriefing('not_yet_reviewed', ['director'], ['pgl', 'head_of_service'])) {
      deadlines.meet(directorRule, SYSTEM_ACTOR, dueAt); // the fallback is the statutory action at the deadline
      await syncUpdateDue(SYSTEM_ACTOR);
    }
  };

  const openDirectorDeadline = (anchorAt: string) =>
    deadlines.open(directorRule, anchorAt, { onDue: (dueAt) => exclusive(() => fallbackToDirector(dueAt)) });

  const requireStage = (allowed: NeedToKnowStage[], what: string) => {
    if (!allowed.includes(state.stage)) stageConflict(`${what} is not possible at stage ${state.stage}`);
  };

  setHandler(getStateQuery, view);

  decide(
    pglResponseUpdate,
    async ({ actor, decision, amendedBriefing, comment }) => {
      if (amendedBriefing) {
        briefing = amendedBriefing;
        state.briefingVersion += 1;
      }
      state.directorHas = 'approved';
      setStage('with_director');
      record('pgl_response', `${decision}${comment ? `: ${comment}` : ''}`, actor.id);
      if (await sendBriefing('approved', ['director'], ['pgl', 'head_of_service'])) {
        deadlines.meet(directorRule, actor.id);
        // Added after the first release: histories recorded before it replay without this send.
        if (patched(AUTHOR_COPY_PATCH)) {
          await sendNotice(
            context,
            `briefing.v${state.briefingVersion}.author-copy`,
            'author_copy',
            { to: AUTHORS },
            {
              type: 'message',
              subject: 'The Director has the approved Need to Know briefing',
              text: `The Practice Group Lead ${decision === 'approve' ? 'approved' : 'amended and approved'} briefing v${state.briefingVersion}; it has been sent to the Director. Send updates through the service by ${briefing.updateExpectedOn}.`,
            },
          );
        }
      }
      await syncUpdateDue(actor.id);
      return view();
    },
    { validator: (_decision: unknown) => requireStage(['awaiting_pgl', 'with_director_unreviewed'], 'A PGL response') },
  );

  decide(
    hosDecisionUpdate,
    async ({ actor, decision, rationale }) => {
      state.hosDecision = { decision, rationale, by: actor.id, at: now() };
      deadlines.meet('ntk-cat3-hos-decision', actor.id);
      record('hos_decision', decision === 'inform' ? 'inform the Director' : 'do not inform the Director', actor.id);
      if (decision === 'do_not_inform') {
        close(actor.id, 'Head of Service decided not to inform the Director');
        return view();
      }
      setStage('awaiting_pgl');
      await openDirectorDeadline(now());
      await sendBriefing('draft', ['pgl'], ['head_of_service']);
      return view();
    },
    {
      validator: (_decision: unknown) => {
        if (input.category !== 3) stageConflict('only a category 3 briefing has a Head of Service decision');
        requireStage(['awaiting_hos_decision'], 'A Head of Service decision');
      },
    },
  );

  decide(
    briefingRevisedUpdate,
    async ({ actor, briefing: revised }) => {
      briefing = revised;
      state.briefingVersion += 1;
      record('briefing_revised', `briefing v${state.briefingVersion}`, actor.id);
      if (state.stage === 'awaiting_hos_decision') await sendBriefing('decision_needed', ['head_of_service'], ['pgl']);
      else if (
        (await sendBriefing('draft', ['pgl'], ['head_of_service'])) &&
        deadlines.isOpen('ntk-cat2-draft') &&
        patched(REVISED_DRAFT_PATCH)
      ) {
        deadlines.meet('ntk-cat2-draft', actor.id); // the first draft's email failed: this one reached the PGL
      }
      return view();
    },
    {
      validator: (_decision: unknown) =>
        requireStage(['awaiting_hos_decision', 'awaiting_pgl', 'with_director_unreviewed'], 'Revising the briefing'),
    },
  );

  decide(
    directorRequestUpdate,
    async ({ actor, request }) => {
      record('director_request', 'the Director asked for more information', actor.id);
      await sendNotice(
        context,
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
      const open = deadlines.isOpen('ntk-update-due');
      const nextWorkingDay = { anchorAt: now(), duration: { value: 1, unit: 'working_days' as const } };
      if (!open) await deadlines.open('ntk-update-due', nextWorkingDay.anchorAt, { duration: nextWorkingDay.duration });
      else
        await deadlines.rescheduleIfEarlier(
          'ntk-update-due',
          nextWorkingDay,
          actor.id,
          'the Director asked for more information',
        );
      return view();
    },
    {
      validator: (_decision: unknown) =>
        requireStage(['with_director', 'with_director_unreviewed'], 'A Director request'),
    },
  );

  decide(
    updateSentUpdate,
    async ({ actor, summary, nextUpdateExpectedOn }) => {
      deadlines.meet('ntk-update-due', actor.id);
      record(
        'update_sent',
        nextUpdateExpectedOn ? `update sent; next update by ${nextUpdateExpectedOn}` : 'update sent',
        actor.id,
      );
      await sendNotice(
        context,
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
      return view();
    },
    { validator: (_decision: unknown) => requireStage(['with_director', 'with_director_unreviewed'], 'An update') },
  );

  function close(actor: string, reason: string) {
    deadlines.cancelAll(actor, reason);
    state.status = 'closed';
    state.closedAt = now();
    setStage('closed');
    record('closed', reason, actor);
  }

  decide(
    closeBriefingUpdate,
    ({ actor, rationale }) => {
      close(actor.id, `matter closed: ${rationale}`);
      return view();
    },
    // The PGL cannot stop a category 2 briefing: it can only close once the Director has it (D4.2).
    {
      validator: (_decision: unknown) =>
        requireStage(['with_director', 'with_director_unreviewed'], 'Closing the briefing'),
    },
  );

  commonDecisions(decide, { breachReasonUpdate, recomputeDeadlinesUpdate }, deadlines, record, view);

  // The start's deadlines are armed under the lock; its first email is not (a decision may arrive
  // while it is in flight, as it always could: histories recorded so replay unchanged).
  record('raised', `category ${input.category} item ${input.item} raised`, input.raisedBy.id);
  if (input.category === 2) await openDirectorDeadline(input.concernAroseAt);
  await deadlines.open(input.category === 2 ? 'ntk-cat2-draft' : 'ntk-cat3-hos-decision', input.concernAroseAt);
  await started();
  if (input.category === 2) {
    if (await sendBriefing('draft', ['pgl'], ['head_of_service'])) deadlines.meet('ntk-cat2-draft', input.raisedBy.id);
  } else {
    await sendBriefing('decision_needed', ['head_of_service'], ['pgl']);
  }
  refresh();

  await condition(() => state.status === 'closed');
  await settle(deadlines);
  return view();
}
