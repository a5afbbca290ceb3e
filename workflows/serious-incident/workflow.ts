/**
 * Serious harm and deaths (docs/deadlines.md §7.1–§7.5): one workflow per incident, open until no
 * deadline is left.
 *
 * - harm (000 KE 2.3): `kev-harm-notify`, `kev-harm-route` (D5.1 an S47 through the MASH, D5.2 a
 *   Need to Know), `slt-mash-referral` for a serious injury or safeguarding concern (002 SLN s1);
 * - senior leadership (002 SLN): `slt-notify` for significant or serious harm and every death,
 *   `slt-record` once made, `slt-update` at each update event (the shared `seniorLeadership` module);
 * - the national Panel (004 WT ch.4 paras 10–14): `panel-criteria-decision` (D5.4) for a death or
 *   serious harm; `panel-notify` and `panel-partners-notify` when the criteria may be met and for
 *   every looked-after child's death (⚠C-27); `panel-sos-ofsted-lac-death` for every looked-after
 *   child's death (⚠C-28);
 * - Need to Know category 2 items 1, 2, 3 and 7 raised at once (001 NTK s2), one briefing per incident.
 *
 * The workflow type is `seriousIncident`; its id `incident-<eventId>`, or `incident-died-<childReference>`.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Decision } from '../../src/process';
import {
  category2Raise,
  incidentClocks,
  incidentEvent,
  panelNotifyDuration,
  type IncidentFacts,
} from '../../src/processes/serious-incident/criteria';
import type {
  DeathReported,
  IncidentInput,
  IncidentState,
  UpdateEventBody,
} from '../../src/processes/serious-incident/schemas';
import { createProcess, nowIso } from '../process-kit';
import { raiseNeedToKnow, tellRaisedBriefing } from '../raise';
import { seniorLeadership } from '../senior-leadership';
import { harm } from './harm';
import { noticeEvent, openClock, type Incident } from './incident';
import { eventContext, eventLinks } from '../child-event';
import * as m from './messages';
import { panel } from './panel';

/** D5.4 "not met" closes these; a status learnt later does not reopen them. */
const CLOSED_BY_CRITERIA = ['panel-notify', 'panel-partners-notify'];

export async function seriousIncident(input: IncidentInput): Promise<IncidentState> {
  const { child, facts } = input;
  const p = createProcess<IncidentState>({
    title: 'Serious incident',
    context: eventContext(input, noticeEvent(incidentEvent(facts), input.eventId)),
    state: {
      process: 'serious-incident',
      stage: 'open',
      status: 'open',
      startedAt: input.knownAt,
      case: {
        reference: input.caseReference,
        childReference: child.reference,
        eventId: input.eventId,
        kind: facts.kind,
        event: incidentEvent(facts),
      },
      child: { lookedAfter: child.lookedAfter, onPlan: child.onPlan },
      facts,
      becameAwareAt: input.becameAwareAt,
      ...(input.diedAt ? { diedAt: input.diedAt } : {}),
      ...(input.placingLa ? { placingLa: input.placingLa } : {}),
      eventIds: [input.eventId],
      links: { ...eventLinks(child), ...(input.reportedFrom ? { reportedFrom: [input.reportedFrom] } : {}) },
      notices: [],
      events: [],
    },
    messages: m,
    answers: 'state',
  });
  const { state, deadlines, record, decide } = p;
  const incident: Incident = { p, input };
  const sln = seniorLeadership(p, m);
  const harms = harm(incident, sln);
  const panels = panel(incident);

  /** Every clock the facts call for that is not open yet, and the category 2 briefing (one per incident). */
  const arm = async (known: IncidentFacts, actor: string) => {
    for (const clock of incidentClocks(known)) {
      if (deadlines.find(clock.id)) continue;
      if (clock.id === 'slt-notify') await sln.raise(input.knownAt, `${state.case.event} (002 SLN s1, s2)`, actor);
      else if (CLOSED_BY_CRITERIA.includes(clock.id) && state.panel?.criteriaMet === false) continue;
      else await openClock(incident, clock);
    }
    const raise = category2Raise(known);
    if (!raise) return;
    if (state.links.briefings.length > 0) {
      for (const briefing of state.links.briefings)
        await tellRaisedBriefing(briefing, { kind: 'status', at: nowIso(), summary: raise.facts });
      return;
    }
    state.links.briefings.push(
      await raiseNeedToKnow(p, {
        key: `cat2-item${raise.item}`,
        category: 2,
        item: raise.item,
        trigger: state.case.kind === 'death' ? 'child-died' : `child-harmed`,
        concernAroseAt: input.knownAt,
        child: { reference: child.reference, legalStatus: child.legalStatus },
        facts: raise.facts,
      }),
    );
  };

  // Harm (§7.2, D5.1, D5.2).
  p.meets(m.harmNotifiedUpdate, 'kev-harm-notify', 'the IRO, the lead health professional and agencies were told');
  decide(m.harmRouteUpdate, harms.routeDecided, (_: unknown) => p.requireOpen('kev-harm-route'));
  decide(m.mashReferralUpdate, harms.mashReferral, harms.canRefer);
  decide(m.needToKnowRaisedUpdate, harms.needToKnowRaised, harms.canRaise);
  // 002 SLN s1 update events.
  decide(
    m.healthChangedUpdate,
    (d: Decision<UpdateEventBody>) => harms.updateEvent({ ...d, kind: 'health-changed' }),
    harms.canUpdate,
  );
  decide(
    m.adultChargedUpdate,
    (d: Decision<UpdateEventBody>) => harms.updateEvent({ ...d, kind: 'adult-charged' }),
    harms.canUpdate,
  );
  decide(
    m.childChargedUpdate,
    (d: Decision<UpdateEventBody>) => harms.updateEvent({ ...d, kind: 'child-charged' }),
    harms.canUpdate,
  );
  // The Panel (§7.4, D5.4).
  decide(m.panelCriteriaUpdate, panels.criteriaDecided, panels.canDecide);
  decide(m.panelNotifiedUpdate, panels.panelNotified, (_: unknown) => p.requireOpen('panel-notify'));
  p.meets(m.partnersNotifiedUpdate, 'panel-partners-notify', 'the safeguarding partners were told');
  p.meets(m.sosOfstedNotifiedUpdate, 'panel-sos-ofsted-lac-death', 'the Secretary of State and Ofsted were told');
  // The same death reported by another process: linked; a status learnt late opens what it calls for.
  setHandler(m.deathReportedSignal, (report: DeathReported) =>
    p.exclusive(async () => {
      state.links.reportedFrom = [...(state.links.reportedFrom ?? []), report.reportedFrom];
      record('death_reported', `the death was also reported by ${report.reportedFrom}`, SYSTEM_ACTOR);
      if (state.status === 'closed' || ((facts.lookedAfter || !report.lookedAfter) && (facts.onPlan || !report.onPlan)))
        return;
      facts.lookedAfter ||= report.lookedAfter;
      facts.onPlan ||= report.onPlan;
      state.child = { lookedAfter: facts.lookedAfter, onPlan: facts.onPlan };
      state.case.event = incidentEvent(facts);
      p.context.event = noticeEvent(state.case.event, input.eventId);
      // ⚠C-27: a looked-after child's death is due in 5 calendar days.
      await deadlines.rescheduleIfEarlier(
        'panel-notify',
        { duration: panelNotifyDuration(facts) },
        SYSTEM_ACTOR,
        'the child was looked after (⚠C-27)',
      );
      await arm(facts, SYSTEM_ACTOR);
    }),
  );

  record('incident', `${state.case.event} reported (event ${input.eventId})`, SYSTEM_ACTOR);
  await arm(facts, SYSTEM_ACTOR);
  await p.started();

  // Done when no deadline is left open and no decision is being applied.
  await condition(() => deadlines.openIds().length === 0 && allHandlersFinished());
  state.status = 'closed';
  state.closedAt = nowIso();
  p.setStage('closed');
  record('closed', `incident ${input.incidentId} closed: every deadline met or cancelled`, SYSTEM_ACTOR);
  return p.complete();
}
