/**
 * What every process a child's event starts shares (`POST /v1/children/{ref}/events`): its notices'
 * context, which names the event, and its links to what it raises and to the child's running
 * episode and plan.
 */
import type { ChildStatus } from '../src/api/child-events';
import type { CasePeople } from '../src/schemas';

export const eventContext = (input: { caseReference: string; people: CasePeople }, event: string) => ({
  process: 'key-events' as const,
  caseReference: input.caseReference,
  people: input.people,
  event,
});

export const eventLinks = (child: ChildStatus) => ({
  briefings: [] as string[],
  ...(child.episode ? { episode: child.episode } : {}),
  ...(child.plan ? { plan: child.plan } : {}),
});
