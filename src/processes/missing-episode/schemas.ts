/**
 * A missing episode (docs/deadlines.md §7.1 `MissingEpisode`, §7.2 `kev-missing`, §6.4, §7.3):
 * reported missing, then found. One workflow per episode, `missing-<episodeId>` (the case system's
 * episode id), open until the child is found and no deadline is left open.
 */
import { z } from 'zod';
import type { ChildStatus } from '../../api/child-events';
import type { DeadlineView, ProcessEvent } from '../../process';
import { businessId, happenedAt, text, type CasePeople } from '../../schemas';

/** A police reference: a reference, never a name (the same pattern as the case system's references). */
const policeReference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}$/, 'a police reference: letters, digits, " ", ".", "_", "/" and "-"')
  .describe('The police reference for the missing report (no names)');

/** `missing-reported`'s own fields (§7.1 `MissingEpisode`). */
export const missingReportedFields = {
  episodeId: businessId.describe('The case system’s missing-episode id: the workflow is missing-<episodeId>'),
  reportedMissingAt: happenedAt.describe('§6.2 `missing_reported_at`: when the absence was reported'),
  lastSeenAt: happenedAt
    .optional()
    .describe('§6.2 `missing_last_seen_at`: when the child was last seen; the clock runs from it when known (⚠C-23)'),
  policeReference: policeReference.optional(),
  exploitationConcern: z
    .boolean()
    .describe('Concerns about contextual or sexual exploitation: slt-trigger-missing at 72 hours (002 SLN s2)'),
  withFamily: z.boolean().describe('Missing with the family (001 NTK s2 item 5: "alone or with the family")'),
  seriousRisk: z
    .boolean()
    .optional()
    .describe('At serious risk of significant harm: NTK category 3 item 1 is a manual raise; recorded only'),
};

/** `missing-found`'s own fields. */
export const missingFoundFields = {
  episodeId: businessId.describe('The missing episode this ends'),
  foundAt: happenedAt.describe('§6.2 `found_at`: not before the child went missing'),
  circumstances: text(2_000).optional().describe('The circumstances when found (told to a raised briefing’s readers)'),
};

/** lastSeenAt after reportedMissingAt is refused (400): the child cannot be seen after going missing. */
export function refineMissingReported(body: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const { lastSeenAt, reportedMissingAt } = body as { lastSeenAt?: string; reportedMissingAt?: string };
  if (lastSeenAt && reportedMissingAt && Date.parse(lastSeenAt) > Date.parse(reportedMissingAt))
    ctx.addIssue({ code: 'custom', path: ['lastSeenAt'], message: 'must not be after reportedMissingAt' });
}

export interface MissingEpisodeInput {
  episodeId: string;
  eventId: string;
  caseReference: string;
  child: ChildStatus;
  reportedMissingAt: string;
  lastSeenAt?: string;
  policeReference?: string;
  exploitationConcern: boolean;
  withFamily: boolean;
  seriousRisk?: boolean;
  knownAt: string;
  people: CasePeople;
}

export interface MissingFound {
  eventId: string;
  foundAt: string;
  circumstances?: string;
}

export type MissingEpisodeStage = 'missing' | 'found' | 'closed';

export interface MissingEpisodeState {
  process: 'missing-episode';
  stage: MissingEpisodeStage;
  status: 'open' | 'closed';
  startedAt: string;
  closedAt?: string;
  case: { reference: string; childReference: string; episodeId: string };
  child: { lookedAfter: boolean; onPlan: boolean };
  episode: {
    reportedMissingAt: string;
    lastSeenAt?: string;
    policeReference?: string;
    exploitationConcern: boolean;
    withFamily: boolean;
    seriousRisk?: boolean;
  };
  /** ⚠C-23: last seen if known, else reported missing; every threshold counts from it. */
  anchorAt: string;
  foundAt?: string;
  /** Every event recorded against it (the case system's ids): a repeat is refused. */
  eventIds: string[];
  links: { briefings: string[]; episode?: string; plan?: string };
  ready: boolean;
  deadlines: DeadlineView[];
  events: ProcessEvent[];
}
