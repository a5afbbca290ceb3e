/**
 * The briefing's way to the Director (001 NTK s4): drafts to the PGL, the PGL's approval, the
 * Head of Service's decision for category 3, and the fallback that sends the latest draft anyway.
 */
import { patched } from '@temporalio/workflow';
import type { BriefingMessage } from '../../src/notifications';
import { SYSTEM_ACTOR, type Decision } from '../../src/process';
import type {
  AutomaticRaise,
  Briefing,
  BriefingRevised,
  HosDecision,
  NeedToKnowInput,
  NeedToKnowState,
  PglResponse,
} from '../../src/processes/need-to-know/schemas';
import type { Role } from '../../src/roles';
import { reachedAll, sendNotice } from '../deadline-tracker';
import { londonTime } from '../../src/notifications';
import { nowIso, stageConflict, type Process } from '../process-kit';

export type NeedToKnowProcess = Process<NeedToKnowState>;

export const AUTHORS: Role[] = ['social_worker', 'advanced_practitioner'];
/** Patch: the author gets a copy once the Director has the approved briefing. */
export const AUTHOR_COPY_PATCH = 'ntk-author-copy-on-approval';
/** Patch: a revised draft that reaches the PGL meets `ntk-cat2-draft` when the first one did not. */
export const REVISED_DRAFT_PATCH = 'ntk-draft-met-by-revision';

export function briefings(p: NeedToKnowProcess, input: NeedToKnowInput, close: (actor: string, why: string) => void) {
  const { state, deadlines, record } = p;
  let briefing: Briefing | undefined = input.briefing;
  const directorRule = input.category === 2 ? 'ntk-cat2-director' : 'ntk-cat3-director';

  /** The known facts, and what the raising process reported since (the child found) before the Director had anything. */
  const withReported = (automatic: AutomaticRaise): AutomaticRaise => {
    const reported = state.automatic?.reported ?? [];
    if (reported.length === 0) return automatic;
    const since = reported.map((event) => `${londonTime(event.at)}: ${event.summary}`).join(' ');
    return { ...automatic, facts: `${automatic.facts} Since then: ${since}` };
  };

  /** Sends the current version; true when it reached every role in `to`. */
  const send = async (variant: BriefingMessage['variant'], to: Role[], cc: Role[]) => {
    const key = `briefing.v${state.briefingVersion}.${variant}`;
    const content: BriefingMessage = {
      type: 'briefing',
      variant,
      category: input.category,
      item: input.item,
      version: state.briefingVersion,
      briefing,
      ...(input.automatic ? { automatic: withReported(input.automatic) } : {}),
    };
    const result = await sendNotice(p.context, key, variant, { to, cc }, content);
    record(
      result.status === 'sent' ? 'email_sent' : 'email_failed',
      `${variant} briefing v${state.briefingVersion} to ${[...to, ...cc].join(', ')}${result.error ? `: ${result.error}` : ''}`,
    );
    return reachedAll(result, to);
  };

  /** `ntk-update-due` follows the date promised in the latest briefing the Director has. */
  let promisedUpdate: string | undefined;
  const syncUpdateDue = async (actor: string) => {
    if (!briefing) {
      // [P] The minimal notice promises no date: the briefing or an update is due by EOD of the next working day (as D4.4).
      const nextWorkingDay = { value: 1, unit: 'working_days' as const };
      if (!deadlines.isOpen('ntk-update-due'))
        await deadlines.open('ntk-update-due', nowIso(), { duration: nextWorkingDay });
      return;
    }
    if (promisedUpdate === undefined && !deadlines.isOpen('ntk-update-due')) {
      await deadlines.open('ntk-update-due', briefing.updateExpectedOn);
    } else if (deadlines.isOpen('ntk-update-due') && promisedUpdate !== briefing.updateExpectedOn) {
      await deadlines.reschedule(
        'ntk-update-due',
        { anchorAt: briefing.updateExpectedOn, duration: undefined },
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
    p.setStage('with_director_unreviewed');
    record(
      'fallback',
      briefing
        ? `no PGL response by ${dueAt}: latest draft sent to the Director, not yet reviewed`
        : `no draft by ${dueAt}: the minimal automatic notice sent to the Director`,
      SYSTEM_ACTOR,
    );
    // §6.3 step 5 [P]: with no draft, the minimal notice goes instead, and the author and L1 are alerted.
    if (!briefing)
      await alertAuthors(
        'no-draft',
        'No Need to Know draft by the deadline',
        `The Director has been sent the minimal automatic notice. Draft the briefing now (briefing-revised).`,
      );
    if (await send(briefing ? 'not_yet_reviewed' : 'minimal', ['director'], ['pgl', 'head_of_service'])) {
      deadlines.meet(directorRule, SYSTEM_ACTOR, dueAt); // the fallback is the statutory action at the deadline
      await syncUpdateDue(SYSTEM_ACTOR);
    }
  };

  /** To the authors, copying their manager (L1): an automatic raise needs them to draft it. */
  const alertAuthors = (key: string, subject: string, text: string) =>
    sendNotice(
      p.context,
      `${key}.${state.events.length}`,
      'author_alert',
      { to: AUTHORS, cc: ['team_manager'] },
      {
        type: 'message',
        subject,
        text: `${text}\n\nCategory ${input.category} item ${input.item}, raised automatically by ${input.automatic?.trigger}.`,
      },
    );

  const openDirectorDeadline = (anchorAt: string) =>
    deadlines.open(directorRule, anchorAt, { onDue: (dueAt) => p.exclusive(() => fallbackToDirector(dueAt)) });

  return {
    /** The latest version, for those allowed to read it (the state leaves it out). */
    current: () => ({ version: state.briefingVersion, briefing: briefing ?? null }),
    /** The start: the Director's deadline (category 2) and the first step's, armed before anything is sent. */
    async open() {
      if (input.category === 2) await openDirectorDeadline(input.concernAroseAt);
      await deadlines.open(input.category === 2 ? 'ntk-cat2-draft' : 'ntk-cat3-hos-decision', input.concernAroseAt);
    },

    /** The first email: the draft to the PGL, or the decision the Head of Service must make. */
    async sendFirst() {
      if (input.category === 2 && !briefing) {
        const due = deadlines.find('ntk-cat2-draft')?.dueAt;
        await alertAuthors(
          'raised',
          'Need to Know raised automatically: draft the briefing now',
          `A category 2 briefing was raised automatically. Draft it (briefing-revised)${due ? ` by ${londonTime(due)}` : ''}: the Practice Group Lead reviews it before the Director has it.`,
        );
      } else if (input.category === 2) {
        if (await send('draft', ['pgl'], ['head_of_service'])) deadlines.meet('ntk-cat2-draft', input.raisedBy.id);
      } else {
        await send('decision_needed', ['head_of_service'], ['pgl']);
      }
    },

    /** The PGL approves a draft: with none yet (an automatic raise), only an amended briefing can be approved. */
    canRespond({ decision }: PglResponse) {
      if (!briefing && decision === 'approve')
        stageConflict('no draft exists yet: amend and approve with the briefing, or wait for the author’s draft');
    },

    async pglResponse({ actor, decision, amendedBriefing, comment }: Decision<PglResponse>) {
      if (amendedBriefing) {
        briefing = amendedBriefing;
        state.briefingVersion += 1;
        if (state.automatic) state.automatic.drafted = true; // the PGL wrote it
      }
      state.directorHas = 'approved';
      p.setStage('with_director');
      record('pgl_response', `${decision}${comment ? `: ${comment}` : ''}`, actor.id);
      if (await send('approved', ['director'], ['pgl', 'head_of_service'])) {
        deadlines.meet(directorRule, actor.id);
        // Added after the first release: histories recorded before it replay without this send.
        if (patched(AUTHOR_COPY_PATCH)) {
          await sendNotice(
            p.context,
            `briefing.v${state.briefingVersion}.author-copy`,
            'author_copy',
            { to: AUTHORS },
            {
              type: 'message',
              subject: 'The Director has the approved Need to Know briefing',
              text: `The Practice Group Lead ${decision === 'approve' ? 'approved' : 'amended and approved'} briefing v${state.briefingVersion}; it has been sent to the Director. Send updates through the service by ${briefing!.updateExpectedOn}.`,
            },
          );
        }
      }
      await syncUpdateDue(actor.id);
    },

    async hosDecision({ actor, decision, rationale }: Decision<HosDecision>) {
      state.hosDecision = { decision, rationale, by: actor.id, at: nowIso() };
      deadlines.meet('ntk-cat3-hos-decision', actor.id);
      record('hos_decision', decision === 'inform' ? 'inform the Director' : 'do not inform the Director', actor.id);
      if (decision === 'do_not_inform') return close(actor.id, 'Head of Service decided not to inform the Director');
      p.setStage('awaiting_pgl');
      await openDirectorDeadline(nowIso());
      // An automatic raise has no draft to send the PGL: the authors are asked for one (only
      // automatic inputs take this path, so histories recorded before it replay unchanged).
      if (!briefing)
        await alertAuthors(
          'inform',
          'Need to Know: the Head of Service decided to inform the Director',
          `Draft the briefing now (briefing-revised): the Practice Group Lead reviews it before the Director has it. With no draft by the deadline the Director is sent the minimal automatic notice.`,
        );
      else await send('draft', ['pgl'], ['head_of_service']);
    },

    async briefingRevised({ actor, briefing: revised }: Decision<BriefingRevised>) {
      briefing = revised;
      state.briefingVersion += 1;
      record('briefing_revised', `briefing v${state.briefingVersion}`, actor.id);
      if (state.automatic) state.automatic.drafted = true;
      if (state.stage === 'awaiting_hos_decision') await send('decision_needed', ['head_of_service'], ['pgl']);
      else if (
        (await send('draft', ['pgl'], ['head_of_service'])) &&
        deadlines.isOpen('ntk-cat2-draft') &&
        patched(REVISED_DRAFT_PATCH)
      ) {
        deadlines.meet('ntk-cat2-draft', actor.id); // the first draft's email failed: this one reached the PGL
      }
    },
  };
}
