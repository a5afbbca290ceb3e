/** Key events (docs/deadlines.md §7.2, §6.1): the child-event kinds that start them, and their decisions. */
import type { ChildEvent, ChildEventKind } from '../../api/child-events';
import { commonRoutes, decisionRoute, type ProcessDefinition } from '../../api/process-router';
import type { keyEvent } from '../../../workflows/key-event/workflow';
import * as m from '../../../workflows/key-event/messages';
import {
  addressStatusFields,
  cjNotifiedSchema,
  criminalJusticeFields,
  outOfEducationFields,
  prognosisFields,
  returnedToEducationFields,
  type KeyEventDetails,
  type KeyEventInput,
  type KeyEventKind,
  type KeyEventState,
} from './schemas';

export const keyEventProcess: ProcessDefinition<typeof keyEvent, never, KeyEventState> = {
  resource: 'key-events',
  idPrefix: 'kev',
  title: 'Key event',
  processType: 'key-event',
  workflow: 'keyEvent' as unknown as typeof keyEvent,
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    decisionRoute({
      path: 'cj-notified',
      summary: 'The IRO and agencies know of the criminal justice event (kev-cj-notify)',
      schema: cjNotifiedSchema,
      roles: ['social_worker', 'team_manager'],
      update: m.cjNotifiedUpdate,
    }),
    ...commonRoutes(m, ['social_worker', 'team_manager', 'pgl', 'head_of_service']),
  ],
};

/** A kind that starts a key event: its details are the kind's own fields. */
const starting = (type: KeyEventKind, summary: string, fields: ChildEventKind['fields']): ChildEventKind => ({
  type,
  summary,
  fields,
  handle(event: ChildEvent<Record<string, unknown>>, ctx) {
    const details = Object.fromEntries(Object.keys(fields).map((key) => [key, event[key]]));
    const input: KeyEventInput = {
      eventId: event.eventId,
      caseReference: event.caseReference,
      child: event.child,
      occurredAt: event.occurredAt,
      knownAt: event.knownAt,
      details: { kind: type, ...details } as KeyEventDetails,
      people: event.people,
    };
    return ctx.start(keyEventProcess, event.eventId, [input], 'open');
  },
});

export const keyEventKindsRoutes: ChildEventKind[] = [
  starting(
    'criminal-justice-event',
    'A Youth Justice Service client, a court order or a charge (kev-cj-notify; NTK cat. 3 item 2)',
    criminalJusticeFields,
  ),
  starting('address-status-changed', 'Homeless, or housed again (NTK cat. 3 item 5)', addressStatusFields),
  starting('out-of-education', 'Out of education (ntk-trigger-out-of-education at 3 months)', outOfEducationFields),
  starting('prognosis-recorded', 'Expected to die within 12 months (ntk-trigger-end-of-life)', prognosisFields),
  {
    type: 'returned-to-education',
    summary: 'Back in education: cancels ntk-trigger-out-of-education',
    fields: returnedToEducationFields,
    handle(event, ctx) {
      return ctx.update(keyEventProcess, `kev-${String(event.outOfEducationEventId)}`, m.returnedToEducationUpdate, {
        eventId: event.eventId,
        at: event.occurredAt,
      });
    },
  },
];
