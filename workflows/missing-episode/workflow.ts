/**
 * A missing episode (docs/deadlines.md §7.1, §7.2 `kev-missing`, §6.4, §7.3; 000 KE 2.2, 001 NTK
 * s2 items 4–5, 002 SLN s2): one workflow per episode, `missing-<episodeId>`. The thresholds count
 * from the missing anchor (⚠C-23); a looked-after child raises Need to Know category 2 item 4 at
 * 48 hours, a child on a plan only item 5 at 72 hours, and exploitation concerns the Senior
 * Leadership notification at 72 hours (⚠C-26). Found first, nothing is raised; found later, the
 * readers of what was raised are told. The episode ends once the child is found and nothing is open.
 */
import { condition } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../../src/process';
import type { MissingEpisodeInput, MissingEpisodeState } from '../../src/processes/missing-episode/schemas';
import { applyingTriggers, missingAnchor, procedureDueAt } from '../../src/processes/missing-episode/thresholds';
import { createProcess, nowIso } from '../process-kit';
import { seniorLeadership } from '../senior-leadership';
import { eventContext, eventLinks } from '../child-event';
import * as m from './messages';
import { missingTriggers } from './triggers';

export async function missingEpisode(input: MissingEpisodeInput): Promise<MissingEpisodeState> {
  const { child } = input;
  const anchorAt = missingAnchor(input);
  const p = createProcess<MissingEpisodeState>({
    title: 'Missing episode',
    context: eventContext(input, `missing-reported (episode ${input.episodeId}, event ${input.eventId})`),
    state: {
      process: 'missing-episode',
      stage: 'missing',
      status: 'open',
      startedAt: input.knownAt,
      case: { reference: input.caseReference, childReference: child.reference, episodeId: input.episodeId },
      child: { lookedAfter: child.lookedAfter, onPlan: child.onPlan },
      episode: {
        reportedMissingAt: input.reportedMissingAt,
        exploitationConcern: input.exploitationConcern,
        withFamily: input.withFamily,
        ...(input.lastSeenAt ? { lastSeenAt: input.lastSeenAt } : {}),
        ...(input.policeReference ? { policeReference: input.policeReference } : {}),
        ...(input.seriousRisk !== undefined ? { seriousRisk: input.seriousRisk } : {}),
      },
      anchorAt,
      eventIds: [input.eventId],
      links: eventLinks(child),
      events: [],
    },
    messages: m,
    answers: 'state',
  });
  const { state, deadlines, record } = p;
  const triggers = applyingTriggers({ ...child, exploitationConcern: input.exploitationConcern });
  const sln = seniorLeadership(p, m.slt);
  const missing = missingTriggers(p, input, sln, triggers);

  p.decide(m.foundUpdate, missing.found, missing.validateFound);

  record('missing_reported', `missing episode ${input.episodeId} reported; clock from ${anchorAt}`, SYSTEM_ACTOR);
  // 001 NTK s3 item 1 is a manual raise (§6.1): the risk flag is recorded, not acted on.
  if (input.seriousRisk)
    record('serious_risk', 'at serious risk of significant harm: consider a category 3 item 1 briefing', SYSTEM_ACTOR);
  // 000 KE 2.2 has no timescale (the local Missing Children procedure was not supplied). [P] Due at the
  // first threshold that applies (48 h or 72 h from the ⚠C-23 anchor; 72 h if none), met when found.
  await deadlines.open('kev-missing', input.reportedMissingAt, { dueOverride: procedureDueAt(anchorAt, triggers) });
  await missing.arm();
  await p.started();

  await condition(() => state.foundAt !== undefined && deadlines.openIds().length === 0);
  state.status = 'closed';
  state.closedAt = nowIso();
  p.setStage('closed');
  record('closed', `missing episode ${input.episodeId} closed`, SYSTEM_ACTOR);
  return p.complete();
}
