/** Inputs for serious-incident tests and fixtures, as the child-event route builds them (fictional references only). */
import { deathIncidentId, type IncidentFacts } from '../../src/processes/serious-incident/criteria';
import type { IncidentInput } from '../../src/processes/serious-incident/schemas';

/** A child's death reported at `at`; looked after unless told. Workflow id `incident-died-<childReference>`. */
export function deathInput(childReference: string, at: string, facts: Partial<IncidentFacts> = {}): IncidentInput {
  const lookedAfter = facts.lookedAfter ?? true;
  const onPlan = facts.onPlan ?? false;
  return {
    incidentId: deathIncidentId(childReference),
    eventId: `E-${childReference}`,
    caseReference: `CASE-${childReference}`,
    child: {
      reference: childReference,
      lookedAfter,
      onPlan,
      legalStatus: lookedAfter ? 'care_order' : onPlan ? 'cp_plan' : 'none',
    },
    occurredAt: at,
    knownAt: at,
    becameAwareAt: at,
    diedAt: at,
    facts: {
      kind: 'death',
      lookedAfter,
      onPlan,
      abuseOrNeglectKnownOrSuspected: false,
      location: 'in_area',
      normallyResidentInArea: true,
      ...facts,
    },
    people: {},
  };
}

/** Harm to a child known at `at` (serious, to a child on a plan, unless told). Workflow id `incident-<eventId>`. */
export function harmInput(eventId: string, at: string, facts: Partial<IncidentFacts> = {}): IncidentInput {
  const f: IncidentFacts = {
    kind: 'harm',
    lookedAfter: false,
    onPlan: true,
    abuseOrNeglectKnownOrSuspected: true,
    location: 'in_area',
    severity: 'serious',
    harmTypes: ['injury_by_other_incl_assault'],
    ...facts,
  };
  return {
    incidentId: eventId,
    eventId,
    caseReference: `CASE-${eventId}`,
    child: { reference: `CH-${eventId}`, lookedAfter: f.lookedAfter, onPlan: f.onPlan, legalStatus: 'cp_plan' },
    occurredAt: at,
    knownAt: at,
    becameAwareAt: at,
    facts: f,
    people: {},
  };
}
