/**
 * Need to Know briefing to the Director (docs/deadlines.md §6, 001 NTK s2–s4).
 *
 * Category 2: the draft goes to the PGL (copy HoS); the PGL's approval sends it to the Director
 * (copies PGL and HoS); with no approval by the end of the working day during which the concern
 * arose, the latest draft goes to the Director anyway, marked not yet reviewed. Category 3: the
 * HoS decides first; "inform" then follows the category 2 steps from the decision. The topics live
 * beside it: `briefing.ts` (the way to the Director) and `director.ts` (what follows).
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { assignmentOf } from '../../src/process';
import type { NeedToKnowInput, NeedToKnowStage, NeedToKnowState } from '../../src/processes/need-to-know/schemas';
import { createProcess, stageConflict } from '../process-kit';
import { briefings } from './briefing';
import { director } from './director';
import * as m from './messages';

export { AUTHOR_COPY_PATCH } from './briefing';

const WITH_DIRECTOR: NeedToKnowStage[] = ['with_director', 'with_director_unreviewed'];

export async function needToKnow(input: NeedToKnowInput): Promise<NeedToKnowState> {
  const p = createProcess<NeedToKnowState>({
    title: 'Need to Know',
    context: {
      process: 'ntk',
      caseReference: input.caseReference,
      people: input.people,
      ...(input.automatic ? { event: `raised by ${input.automatic.trigger} (${input.automatic.raisedFrom})` } : {}),
    },
    state: {
      id: workflowInfo().workflowId,
      process: 'need-to-know',
      stage: input.category === 2 ? 'awaiting_pgl' : 'awaiting_hos_decision',
      status: 'open',
      startedAt: input.raisedAt,
      case: {
        reference: input.caseReference,
        category: input.category,
        item: input.item,
        brevity: input.brevity,
        ...assignmentOf(input),
      },
      briefingVersion: 1,
      ...(input.automatic
        ? {
            automatic: { trigger: input.automatic.trigger, drafted: false },
            links: { raisedBy: input.automatic.raisedFrom },
          }
        : {}),
      events: [],
    },
    messages: m,
    answers: 'state',
  });
  const { decide } = p;
  const after = director(p);
  const briefing = briefings(p, input, after.close);
  const at = (stages: NeedToKnowStage[], what: string) => (_: unknown) => p.requireStage(stages, what);

  decide(m.pglResponseUpdate, briefing.pglResponse, (response) => {
    p.requireStage(['awaiting_pgl', 'with_director_unreviewed'], 'A PGL response');
    briefing.canRespond(response);
  });
  decide(m.hosDecisionUpdate, briefing.hosDecision, (_: unknown) => {
    if (input.category !== 3) stageConflict('only a category 3 briefing has a Head of Service decision');
    p.requireStage(['awaiting_hos_decision'], 'A Head of Service decision');
  });
  decide(
    m.briefingRevisedUpdate,
    briefing.briefingRevised,
    at(['awaiting_hos_decision', 'awaiting_pgl', 'with_director_unreviewed'], 'Revising the briefing'),
  );
  decide(m.directorRequestUpdate, after.directorRequest, at(WITH_DIRECTOR, 'A Director request'));
  decide(m.updateSentUpdate, after.updateSent, at(WITH_DIRECTOR, 'An update'));
  // The PGL cannot stop a category 2 briefing: it can only close once the Director has it (D4.2).
  decide(m.closeBriefingUpdate, after.closeBriefing, at(WITH_DIRECTOR, 'Closing the briefing'));

  setHandler(m.getBriefingQuery, briefing.current);
  setHandler(m.raisingProcessEventSignal, (event) => p.exclusive(() => after.raisingProcessEvent(event)));

  // The start's deadlines are armed under the lock; its first email is not (a decision may arrive
  // while it is in flight, as it always could: histories recorded so replay unchanged).
  p.record(
    'raised',
    `category ${input.category} item ${input.item} raised${input.automatic ? ` automatically by ${input.automatic.trigger} (${input.automatic.raisedFrom})` : ''}`,
    input.raisedBy.id,
  );
  await briefing.open();
  await p.started();
  await briefing.sendFirst();
  p.refresh();

  await condition(() => p.state.status === 'closed');
  return p.complete();
}
