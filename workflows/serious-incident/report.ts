/**
 * A death recorded inside another process (the looked-after episode's end, the plan's D2.5 ending)
 * starts the serious incident as a child workflow that outlives it (`ABANDON`). A child dies once:
 * every path derives the id `incident-died-<childReference>`, so a death reported twice is one
 * incident; the second report links it and tells it what the reporter knows of the child.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import type { LegalStatus } from '../../src/processes/need-to-know/schemas';
import { DEATH_PREFIX, deathIncidentId } from '../../src/processes/serious-incident/criteria';
import type { IncidentInput } from '../../src/processes/serious-incident/schemas';
import type { Process, ProcessView } from '../process-kit';
import { startLinked } from '../raise';
import { deathReportedSignal } from './messages';

export interface ReportedDeath {
  childReference: string;
  diedAt: string;
  lookedAfter: boolean;
  onPlan: boolean;
  legalStatus: LegalStatus;
}

/** Starts (or links) the child's death incident and answers its workflow id. */
export async function reportDeath<View extends ProcessView>(p: Process<View>, death: ReportedDeath): Promise<string> {
  const reportedFrom = p.context.workflowId;
  const incidentId = deathIncidentId(death.childReference);
  const workflowId = `${DEATH_PREFIX}${incidentId.slice('died-'.length)}`;
  const input: IncidentInput = {
    incidentId,
    eventId: `${reportedFrom}-died`,
    caseReference: p.context.caseReference,
    child: {
      reference: death.childReference,
      lookedAfter: death.lookedAfter,
      onPlan: death.onPlan,
      legalStatus: death.legalStatus,
    },
    occurredAt: death.diedAt,
    // The process knows when the child died, not when the authority became aware: the earlier
    // instant is the stricter anchor (§1.3 point 6).
    knownAt: death.diedAt,
    becameAwareAt: death.diedAt,
    diedAt: death.diedAt,
    // Not reported by the process: the Head of Service decides the criteria (D5.4).
    facts: {
      kind: 'death',
      lookedAfter: death.lookedAfter,
      onPlan: death.onPlan,
      abuseOrNeglectKnownOrSuspected: false,
      location: 'in_area',
      normallyResidentInArea: true,
    },
    reportedFrom,
    people: p.context.people,
  };
  const started = await startLinked(p, {
    workflowType: 'seriousIncident',
    workflowId,
    args: [input],
    processType: 'serious-incident',
    childReference: death.childReference,
    stage: 'open',
    summary: `Serious incident: death reported by ${reportedFrom}`,
  });
  if (started) {
    p.record('incident_started', `the child’s death started ${workflowId}`);
  } else {
    p.record('incident_linked', `${workflowId} was already started: linked`);
    try {
      await getExternalWorkflowHandle(workflowId).signal(deathReportedSignal, {
        reportedFrom,
        lookedAfter: death.lookedAfter,
        onPlan: death.onPlan,
      });
    } catch {
      // The incident has already closed: nothing is left to tell it.
      p.record('incident_closed', `${workflowId} has closed: not told of this report`);
    }
  }
  return workflowId;
}
