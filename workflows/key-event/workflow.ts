/**
 * A key event about a child (docs/deadlines.md §7.2, §6.1, §6.4): one workflow per event, open
 * until its deadlines are met or cancelled.
 *
 * - criminal justice event: `kev-cj-notify` (000 KE 2.4); a looked-after child charged with a
 *   serious crime raises Need to Know category 3 item 2;
 * - homeless: a child on a plan raises category 3 item 5;
 * - out of education: `ntk-trigger-out-of-education` raises category 3 item 6 at 3 months, unless
 *   the child returns first;
 * - prognosis: `ntk-trigger-end-of-life` raises category 3 item 9 at once for a looked-after child.
 */
import { condition } from '@temporalio/workflow';
import { addMonthsToDate } from '../../src/dates';
import { SYSTEM_ACTOR, type Decision } from '../../src/process';
import { h } from '../../src/rule-units';
import type {
  CjNotified,
  KeyEventInput,
  KeyEventState,
  ReturnedToEducation,
} from '../../src/processes/key-event/schemas';
import { createProcess, nowIso, refuseDuplicateEvent, stageConflict } from '../process-kit';
import { raiseNeedToKnow, tellRaisedBriefing, type NeedToKnowRaise } from '../raise';
import { eventContext, eventLinks } from '../child-event';
import * as m from './messages';

export async function keyEvent(input: KeyEventInput): Promise<KeyEventState> {
  const { details, child } = input;
  const p = createProcess<KeyEventState>({
    title: 'Key event',
    context: eventContext(input, `${details.kind} (event ${input.eventId})`),
    state: {
      process: 'key-event',
      stage: 'open',
      status: 'open',
      startedAt: input.knownAt,
      case: {
        reference: input.caseReference,
        childReference: child.reference,
        kind: details.kind,
        eventId: input.eventId,
      },
      child: { lookedAfter: child.lookedAfter, onPlan: child.onPlan },
      eventIds: [input.eventId],
      links: eventLinks(child),
      events: [],
    },
    messages: m,
    answers: 'state',
  });
  const { state, deadlines, record, decide } = p;
  let returned = false;

  /** A category 3 briefing to the Head of Service (001 NTK s3), raised by this event. */
  const raise = async (item: number, trigger: string, concernAroseAt: string, facts: string) => {
    const raised: NeedToKnowRaise = {
      key: `cat3-item${item}`,
      category: 3,
      item,
      trigger,
      concernAroseAt,
      child: { reference: child.reference, legalStatus: child.legalStatus },
      facts,
    };
    state.links.briefings.push(await raiseNeedToKnow(p, raised));
  };

  decide(
    m.cjNotifiedUpdate,
    ({ actor, at = nowIso() }: Decision<CjNotified>) => {
      deadlines.meet('kev-cj-notify', actor.id, at);
      record('kev-cj-notify', 'the IRO and agencies know of the criminal justice event', actor.id);
    },
    (_: unknown) => p.requireOpen('kev-cj-notify'),
  );
  decide(
    m.returnedToEducationUpdate,
    async ({ actor, eventId, at }: Decision<ReturnedToEducation>) => {
      state.eventIds.push(eventId);
      const fired = deadlines.find('ntk-trigger-out-of-education')?.status === 'met';
      deadlines.cancel('ntk-trigger-out-of-education', actor.id, 'the child returned to education');
      record('returned_to_education', `the child returned to education at ${at}`, actor.id);
      // After the briefing was raised, its readers hear of the return.
      for (const briefing of fired ? state.links.briefings : [])
        await tellRaisedBriefing(briefing, {
          kind: 'returned-to-education',
          at,
          summary: `The child returned to education at ${at}.`,
        });
      returned = true;
    },
    ({ eventId }) => {
      refuseDuplicateEvent(state.eventIds, eventId);
      if (details.kind !== 'out-of-education') stageConflict('this key event is not a period out of education');
      if (returned) stageConflict('the return to education is already recorded');
    },
  );

  record('key_event', `${details.kind} reported (event ${input.eventId})`, SYSTEM_ACTOR);
  // Everything the event itself raises happens before the start answers, so the answer links it.
  switch (details.kind) {
    case 'criminal-justice-event':
      await deadlines.open('kev-cj-notify', input.knownAt); // [P] 1 WD (⚠C-29)
      if (details.justice.kind === 'charged' && details.justice.offenceSerious && child.lookedAfter)
        await raise(
          2,
          'criminal-justice-event',
          input.knownAt,
          'A looked-after child has been charged with a serious crime.',
        );
      break;
    case 'address-status-changed':
      if (details.addressStatus === 'homeless' && child.onPlan)
        await raise(
          5,
          'address-status-changed',
          input.occurredAt,
          'A child on a child protection plan has been made homeless.',
        );
      break;
    case 'out-of-education': {
      // Raises at 3 months, unless the child returns to education first (§6.4). A threshold, not a
      // task: it fires the moment 3 months have passed, at the start (Europe/London) of the day 3
      // months on (clamped, §2.3), not at the months rule's EOD, which a weekend or bank holiday
      // would move back before the 3 months were up.
      const threshold = addMonthsToDate(details.outOfEducationSince, 3);
      const startOfThatDay = await deadlines.preview('ntk-trigger-out-of-education', threshold, { duration: h(0) });
      await deadlines.open('ntk-trigger-out-of-education', details.outOfEducationSince, {
        dueOverride: startOfThatDay.anchorAt,
        onDue: (dueAt) =>
          p.exclusive(async () => {
            // A return recorded while this waited for the lock has cancelled it: nothing is raised.
            if (!deadlines.isOpen('ntk-trigger-out-of-education')) return;
            await raise(
              6,
              'ntk-trigger-out-of-education',
              dueAt,
              `Out of education since ${details.outOfEducationSince}: 3 months.`,
            );
            deadlines.meet('ntk-trigger-out-of-education', SYSTEM_ACTOR, dueAt);
          }),
      });
      break;
    }
    case 'prognosis-recorded':
      if (child.lookedAfter) {
        // Immediate from the prognosis being recorded (§6.4 `PrognosisRecorded.at`): the authority's
        // knowing of it, not the prognosis itself, which the case system may report days later (a
        // system action cannot be late for news it did not have). The briefing's concern is the prognosis.
        await deadlines.open('ntk-trigger-end-of-life', input.knownAt);
        await raise(
          9,
          'ntk-trigger-end-of-life',
          input.occurredAt,
          'A looked-after child is expected to die within 12 months.',
        );
        deadlines.meet('ntk-trigger-end-of-life', SYSTEM_ACTOR);
      }
      break;
  }
  await p.started();

  // Done when nothing is left to do; a period out of education stays open until the child returns.
  await condition(() => (details.kind === 'out-of-education' ? returned : deadlines.openIds().length === 0));
  state.status = 'closed';
  state.closedAt = nowIso();
  p.setStage('closed');
  record('closed', `key event ${input.eventId} closed`, SYSTEM_ACTOR);
  return p.complete();
}
