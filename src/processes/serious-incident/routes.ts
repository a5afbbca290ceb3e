/** Serious harm and deaths (docs/deadlines.md §7.1–§7.5): the child-event kinds that start an incident, and its decisions. */
import type { ChildEvent, ChildEventKind } from '../../api/child-events';
import { commonRoutes, decisionRoute, type ProcessDefinition } from '../../api/process-router';
import type { TokenRole } from '../../api/auth';
import type { seriousIncident } from '../../../workflows/serious-incident/workflow';
import * as m from '../../../workflows/serious-incident/messages';
import { seniorLeadershipRoutes } from '../senior-leadership';
import { deathIncidentId, type IncidentFacts } from './criteria';
import {
  deathFields,
  harmFields,
  harmNotifiedSchema,
  harmRouteSchema,
  mashReferralSchema,
  needToKnowRaisedSchema,
  panelCriteriaSchema,
  panelNotifiedSchema,
  recordedAtSchema,
  refineDeath,
  refineHarm,
  refineSeriousIncident,
  seriousIncidentFields,
  updateEventSchema,
  type IncidentInput,
  type IncidentState,
} from './schemas';
import { z } from 'zod';

const SW_TM: TokenRole[] = ['social_worker', 'team_manager'];
const HOS: TokenRole[] = ['head_of_service'];
const UPDATERS: TokenRole[] = ['case_system', 'social_worker', 'team_manager', 'pgl', 'head_of_service'];

/** One route per 002 SLN s1 update event: each opens slt-update once the notification is raised. */
const updateEvent = (path: string, summary: string, update: typeof m.healthChangedUpdate) =>
  decisionRoute({
    path,
    summary: `${summary} (002 SLN s1: opens slt-update)`,
    schema: updateEventSchema,
    roles: UPDATERS,
    update,
  });

export const seriousIncidentProcess: ProcessDefinition<typeof seriousIncident, never, IncidentState> = {
  resource: 'serious-incidents',
  idPrefix: 'incident',
  title: 'Serious incident',
  processType: 'serious-incident',
  workflow: 'seriousIncident' as unknown as typeof seriousIncident,
  stateQuery: m.getStateQuery,
  startedUpdate: m.startedUpdate,
  decisions: [
    decisionRoute({
      path: 'harm-notified',
      summary: 'The IRO, the lead health professional and agencies were told of the harm (kev-harm-notify)',
      schema: harmNotifiedSchema,
      roles: ['social_worker'],
      update: m.harmNotifiedUpdate,
    }),
    decisionRoute({
      path: 'harm-route-decided',
      summary: 'D5.1 an S47 enquiry through the MASH, D5.2 asking the HoS for a Need to Know (kev-harm-route)',
      schema: harmRouteSchema,
      roles: SW_TM,
      update: m.harmRouteUpdate,
    }),
    decisionRoute({
      path: 'mash-referral-made',
      summary: 'The concern was referred through the MASH (slt-mash-referral), naming the S47 enquiry if started',
      schema: mashReferralSchema,
      roles: SW_TM,
      update: m.mashReferralUpdate,
    }),
    decisionRoute({
      path: 'need-to-know-raised',
      summary: 'D5.2: the Head of Service raises a Need to Know briefing (category 2 or 3)',
      schema: needToKnowRaisedSchema,
      roles: HOS,
      update: m.needToKnowRaisedUpdate,
    }),
    decisionRoute({
      path: 'panel-criteria-decided',
      summary: 'D5.4: the Panel criteria met or not (panel-criteria-decision); not met closes the notifications',
      schema: panelCriteriaSchema,
      roles: ['head_of_service', 'director'],
      update: m.panelCriteriaUpdate,
    }),
    decisionRoute({
      path: 'panel-notified',
      summary: 'The Panel’s online incident notification was made, with its reference (panel-notify)',
      schema: panelNotifiedSchema,
      roles: HOS,
      update: m.panelNotifiedUpdate,
    }),
    decisionRoute({
      path: 'partners-notified',
      summary: 'The safeguarding partners were told (panel-partners-notify)',
      schema: recordedAtSchema,
      roles: HOS,
      update: m.partnersNotifiedUpdate,
    }),
    decisionRoute({
      path: 'sos-ofsted-notified',
      summary:
        'The Secretary of State and Ofsted were told of the looked-after child’s death (panel-sos-ofsted-lac-death)',
      schema: recordedAtSchema,
      roles: HOS,
      update: m.sosOfstedNotifiedUpdate,
    }),
    updateEvent('health-changed', 'The child’s health changed', m.healthChangedUpdate),
    updateEvent('adult-charged', 'An adult was charged', m.adultChargedUpdate),
    updateEvent('child-charged', 'The child was charged', m.childChargedUpdate),
    ...seniorLeadershipRoutes(m),
    ...commonRoutes(m, ['social_worker', 'team_manager', 'pgl', 'head_of_service']),
  ],
};

/** A harm report's id is its event id; `died-…` is kept for deaths. */
const notDeathId = (body: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (typeof body.eventId === 'string' && body.eventId.startsWith('died-'))
    ctx.addIssue({ code: 'custom', path: ['eventId'], message: '"died-" starts the id of a death, not of an event' });
};

function harmInput(event: ChildEvent<Record<string, unknown>>, kind: 'harm' | 'serious-incident'): IncidentInput {
  const facts: IncidentFacts = {
    kind,
    lookedAfter: event.child.lookedAfter,
    onPlan: event.child.onPlan,
    abuseOrNeglectKnownOrSuspected: event.abuseOrNeglectKnownOrSuspected as boolean,
    location: event.location as IncidentFacts['location'],
    severity: event.severity as IncidentFacts['severity'],
    harmTypes: event.harmTypes as IncidentFacts['harmTypes'],
    ...(event.normallyResidentInArea !== undefined
      ? { normallyResidentInArea: event.normallyResidentInArea as boolean }
      : {}),
    ...(event.sexualExploitation !== undefined ? { sexualExploitation: event.sexualExploitation as boolean } : {}),
  };
  return {
    incidentId: event.eventId,
    eventId: event.eventId,
    caseReference: event.caseReference,
    child: event.child,
    occurredAt: event.occurredAt,
    knownAt: event.knownAt,
    // §7.4 became_aware_at: a serious incident names it; for other harm it is when it became known.
    becameAwareAt: (event.becameAwareAt as string | undefined) ?? event.knownAt,
    facts,
    people: event.people,
  };
}

export const seriousIncidentKinds: ChildEventKind[] = [
  {
    type: 'child-harmed',
    summary:
      'The child was harmed (kev-harm-notify, kev-harm-route; slt-*; Panel if serious; NTK cat. 2 items 2, 3, 7)',
    fields: harmFields,
    refine: (body, ctx) => {
      refineHarm(body, ctx);
      notDeathId(body, ctx);
    },
    handle: (event, ctx) => ctx.start(seriousIncidentProcess, event.eventId, [harmInput(event, 'harm')], 'open'),
  },
  {
    type: 'serious-incident-aware',
    summary: 'The authority became aware of serious harm, not a death (as child-harmed; the Panel deadlines)',
    fields: seriousIncidentFields,
    refine: (body, ctx) => {
      refineSeriousIncident(body, ctx);
      notDeathId(body, ctx);
    },
    handle: (event, ctx) =>
      ctx.start(seriousIncidentProcess, event.eventId, [harmInput(event, 'serious-incident')], 'open'),
  },
  {
    type: 'child-died',
    summary: 'The child died (slt-notify; Panel deadlines; NTK cat. 2 items 1–3): one incident per child',
    fields: deathFields,
    refine: refineDeath,
    handle(event, ctx) {
      const facts: IncidentFacts = {
        kind: 'death',
        lookedAfter: event.child.lookedAfter,
        onPlan: event.child.onPlan,
        abuseOrNeglectKnownOrSuspected: event.abuseOrNeglectKnownOrSuspected as boolean,
        location: event.location as IncidentFacts['location'],
        normallyResidentInArea: event.normallyResidentInArea as boolean,
      };
      const incidentId = deathIncidentId(event.child.reference);
      const input: IncidentInput = {
        incidentId,
        eventId: event.eventId,
        caseReference: event.caseReference,
        child: event.child,
        occurredAt: event.occurredAt,
        knownAt: event.knownAt,
        becameAwareAt: event.becameAwareAt as string,
        diedAt: event.diedAt as string,
        facts,
        ...(event.placingLa ? { placingLa: event.placingLa as string } : {}),
        people: event.people,
      };
      return ctx.start(seriousIncidentProcess, incidentId, [input], 'open');
    },
  },
];
