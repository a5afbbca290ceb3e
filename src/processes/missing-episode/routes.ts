/** Missing episodes (docs/deadlines.md §7.1, §7.2, §6.1, §6.4, §7.3): the child-event kinds that start and end one, and its decisions. */
import type { ChildEventKind } from '../../api/child-events';
import { commonRoutes, type ProcessDefinition } from '../../api/process-router';
import type { missingEpisode } from '../../../workflows/missing-episode/workflow';
import * as m from '../../../workflows/missing-episode/messages';
import { seniorLeadershipRoutes } from '../senior-leadership';
import {
  missingFoundFields,
  missingReportedFields,
  refineMissingReported,
  type MissingEpisodeInput,
  type MissingEpisodeState,
  type MissingFound,
} from './schemas';

export const missingEpisodeProcess: ProcessDefinition<typeof missingEpisode, never, MissingEpisodeState> = {
  resource: 'missing-episodes',
  idPrefix: 'missing',
  title: 'Missing episode',
  processType: 'missing-episode',
  workflow: 'missingEpisode' as unknown as typeof missingEpisode,
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    ...seniorLeadershipRoutes(m.slt),
    ...commonRoutes(m, ['social_worker', 'team_manager', 'pgl', 'head_of_service']),
  ],
};

export const missingEpisodeKindsRoutes: ChildEventKind[] = [
  {
    type: 'missing-reported',
    summary: 'A child reported missing (kev-missing; ntk-trigger-lac-missing / -cp-missing, slt-trigger-missing)',
    fields: missingReportedFields,
    refine: refineMissingReported,
    handle(event, ctx) {
      const e = event as typeof event & Omit<MissingEpisodeInput, 'child' | 'people' | 'knownAt' | 'caseReference'>;
      const input: MissingEpisodeInput = {
        episodeId: e.episodeId,
        eventId: e.eventId,
        caseReference: e.caseReference,
        child: e.child,
        reportedMissingAt: e.reportedMissingAt,
        exploitationConcern: e.exploitationConcern,
        withFamily: e.withFamily,
        ...(e.lastSeenAt !== undefined ? { lastSeenAt: e.lastSeenAt } : {}),
        ...(e.policeReference !== undefined ? { policeReference: e.policeReference } : {}),
        ...(e.seriousRisk !== undefined ? { seriousRisk: e.seriousRisk } : {}),
        knownAt: e.knownAt,
        people: e.people,
      };
      return ctx.start(missingEpisodeProcess, e.episodeId, [input], 'missing');
    },
  },
  {
    type: 'missing-found',
    summary: 'The missing child was found: cancels the triggers not yet reached, tells what was raised',
    fields: missingFoundFields,
    handle(event, ctx) {
      const e = event as typeof event & MissingFound & { episodeId: string };
      const found: MissingFound = {
        eventId: e.eventId,
        foundAt: e.foundAt,
        ...(e.circumstances !== undefined ? { circumstances: e.circumstances } : {}),
      };
      return ctx.update(missingEpisodeProcess, `missing-${e.episodeId}`, m.foundUpdate, found);
    },
  },
];
