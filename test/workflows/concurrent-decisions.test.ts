/**
 * Any number of decisions may arrive at once (a busy team, a retrying case system). On the real dev
 * server, ten decisions of mixed kinds are sent to each process at the same moment; the history
 * they leave must replay, and a fresh worker (with no cached state) must answer reads and
 * decisions. Before decisions were serialized, three concurrent `emergency-action-taken` made an
 * enquiry unreplayable ("Timer machine does not handle this event").
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProtectionPlan, lookedAfterChild, needToKnow, s47Enquiry } from '../../workflows';
import * as cpp from '../../workflows/child-protection-plan/messages';
import * as lac from '../../workflows/looked-after-child/messages';
import * as ntk from '../../workflows/need-to-know/messages';
import * as s47 from '../../workflows/s47-enquiry/messages';
import { armed } from '../helpers/act';
import { emergency } from '../helpers/looked-after';
import { ntkInput } from '../helpers/need-to-know';
import { actors, s47Input } from '../helpers/s47';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { addDays } from '../helpers/time-base';
import { devServerEnv, replayOptions, TASK_QUEUE, testWorker } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
let worker: Worker;
let running: Promise<void>;

const startWorker = async () => {
  worker = await testWorker(env, smtp.port);
  running = worker.run();
};
const stopWorker = async () => {
  worker.shutdown();
  await running;
};

beforeAll(async () => {
  smtp = await startSmtpCapture();
  env = await devServerEnv();
  await startWorker();
}, 60_000);
afterAll(async () => {
  await stopWorker();
  await env?.teardown();
  await smtp?.close();
});

const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const director = { id: 'director-1', roles: ['director' as const] };
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyUpdate = UpdateDefinition<any, [any]>;
type Send = [AnyUpdate, object];

/** Sends every decision at once; returns how many were applied and how many refused. */
async function allAtOnce(handle: WorkflowHandle, decisions: Send[]) {
  const results = await Promise.allSettled(
    decisions.map(([update, arg]) => handle.executeUpdate(update, { args: [arg] })),
  );
  const outcome = {
    applied: results.filter((r) => r.status === 'fulfilled').length,
    refused: results.filter((r) => r.status === 'rejected').length,
  };
  console.log(
    `${handle.workflowId}: ${decisions.length} decisions at once, ${outcome.applied} applied, ${outcome.refused} refused`,
  );
  return outcome;
}

/** The history replays on the current code, and a fresh worker rebuilds the state from it. */
async function replaysAndRecovers(
  handle: WorkflowHandle,
  query: Parameters<WorkflowHandle['query']>[0],
  next: Send,
  fixture?: string,
) {
  const history = await handle.fetchHistory();
  await expect(Worker.runReplayHistory(await replayOptions(), history, handle.workflowId)).resolves.toBeUndefined();
  if (fixture && process.env.RECORD_HISTORIES === fixture) {
    writeFileSync(path.join(__dirname, '../histories', `${fixture}.json`), JSON.stringify(history, null, 1));
  }
  console.log(`${handle.workflowId}: ${history.events!.length} history events replayed`);
  await stopWorker();
  await startWorker(); // a new worker: no cached workflow, so it must replay to answer
  const before = (await handle.query(query)) as { events: unknown[] };
  await handle.executeUpdate(next[0], { args: [next[1]] });
  const after = (await handle.query(query)) as { events: unknown[] };
  expect(after.events.length).toBeGreaterThan(before.events.length);
  return history.events!.length;
}

describe('ten decisions at once leave a history that replays (dev server)', () => {
  it('Section 47 enquiry: three emergency actions among ten decisions', async () => {
    const handle = await env.client.workflow.start(s47Enquiry, {
      taskQueue: TASK_QUEUE,
      workflowId: 's47-CONC-1',
      args: [s47Input('CONC-1', minutesAgo(30), { contactType: 'police_notification' })],
    });
    await armed(handle, s47.getStateQuery);
    const by = actors.mashOfficer;
    const outcome = await allAtOnce(handle, [
      [s47.emergencyActionUpdate, { actor: by, takenAt: minutesAgo(5), action: 'police_protection' }],
      [s47.emergencyActionUpdate, { actor: by, takenAt: minutesAgo(4), action: 'epo' }],
      [s47.emergencyActionUpdate, { actor: by, takenAt: minutesAgo(3), action: 'other' }],
      [s47.screenedUpdate, { actor: by, significantHarmSuspected: true, immediateProtectionRequired: true }],
      [s47.referrerAcknowledgedUpdate, { actor: by }],
      [s47.concernIdentifiedUpdate, { actor: actors.socialWorker, identifiedAt: minutesAgo(2) }],
      [
        s47.strategyUrgencyUpdate,
        { actor: actors.teamManager, urgency: 'immediate_action', rationale: 'Police protection taken.' },
      ],
      [s47.mashDecisionUpdate, { actor: actors.dutyManager, pathway: 'cp_strategy', rationale: 'Harm suspected.' }],
      [s47.lastTeamNotifiedUpdate, { actor: by }],
      [s47.referrerFeedbackUpdate, { actor: by }],
    ]);
    expect(outcome.applied).toBeGreaterThanOrEqual(4);
    const state = await handle.query(s47.getStateQuery);
    // Each emergency action was applied on the state the previous one left: one post-emergency clock per action.
    expect(state.deadlines.filter((d) => d.id === 'strategy-post-emergency').length).toBeGreaterThanOrEqual(1);
    const events = await replaysAndRecovers(
      handle,
      s47.getStateQuery,
      [s47.closeUpdate, { actor: actors.teamManager, reason: 'Concurrency test closed.' }],
      's47-concurrent-decisions',
    );
    expect(events).toBeGreaterThan(20);
  });

  it('Need to Know: revisions, approvals, requests and updates at once', async () => {
    const raised = minutesAgo(10);
    const handle = await env.client.workflow.start(needToKnow, {
      taskQueue: TASK_QUEUE,
      workflowId: 'ntk-CONC-2',
      args: [ntkInput('CONC-2', raised)],
    });
    await armed(handle, ntk.getStateQuery);
    const sw = { id: 'sw-1', roles: ['social_worker' as const] };
    const briefing = ntkInput('CONC-2', raised).briefing; // the same promised update date
    const outcome = await allAtOnce(handle, [
      [ntk.briefingRevisedUpdate, { actor: sw, briefing: { ...briefing, concern: 'Revised once.' } }],
      [ntk.briefingRevisedUpdate, { actor: sw, briefing: { ...briefing, concern: 'Revised twice.' } }],
      [ntk.pglResponseUpdate, { actor: pgl, decision: 'approve' }],
      [ntk.pglResponseUpdate, { actor: pgl, decision: 'approve' }],
      [ntk.directorRequestUpdate, { actor: director, request: 'Where is the child now?' }],
      [ntk.directorRequestUpdate, { actor: director, request: 'Who is with the child?' }],
      [
        ntk.updateSentUpdate,
        { actor: sw, summary: 'Found safe.', nextUpdateExpectedOn: addDays(briefing.updateExpectedOn, 1) },
      ],
      [ntk.recomputeDeadlinesUpdate, { actor: pgl }],
      [ntk.recomputeDeadlinesUpdate, { actor: pgl }],
      [ntk.briefingRevisedUpdate, { actor: sw, briefing: { ...briefing, concern: 'Revised thrice.' } }],
    ]);
    expect(outcome.applied).toBeGreaterThanOrEqual(3);
    // One approval only: the second is checked against the state the first left (with the Director).
    const state = await handle.query(ntk.getStateQuery);
    expect(state.events.filter((e) => e.type === 'pgl_response')).toHaveLength(1);
    await replaysAndRecovers(handle, ntk.getStateQuery, [
      ntk.closeBriefingUpdate,
      { actor: director, rationale: 'Resolved.' },
    ]);
  });

  it('child protection plan: visits, core groups, supervision and outputs at once', async () => {
    const handle = await env.client.workflow.start(childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-CONC-3',
      args: [
        {
          planId: 'CONC-3',
          caseReference: 'CASE-CONC-3',
          childReference: 'C1',
          icpcHeldAt: minutesAgo(60),
          people: {},
        },
      ],
    });
    await armed(handle, cpp.getStateQuery);
    const sw = actors.socialWorker;
    const outcome = await allAtOnce(handle, [
      [cpp.visitRecordedUpdate, { actor: sw, visitedAt: minutesAgo(50), childSeen: true }],
      [cpp.visitRecordedUpdate, { actor: sw, visitedAt: minutesAgo(40), childSeen: false }],
      [cpp.visitRecordedUpdate, { actor: sw, visitedAt: minutesAgo(30), childSeen: true, seenAlone: true }],
      [cpp.coreGroupHeldUpdate, { actor: sw, heldAt: minutesAgo(45), visitIntervalWorkingDays: 5 }],
      [cpp.coreGroupHeldUpdate, { actor: sw, heldAt: minutesAgo(35) }],
      [cpp.supervisionRecordedUpdate, { actor: actors.teamManager, at: minutesAgo(20) }],
      [cpp.supervisionRecordedUpdate, { actor: actors.teamManager, at: minutesAgo(10) }],
      [cpp.conferenceOutputUpdate, { actor: actors.chair, output: 'cp-outcome-circulate' }],
      [cpp.conferenceOutputUpdate, { actor: actors.chair, output: 'cp-minutes-circulate' }],
      [cpp.assessmentCompletedUpdate, { actor: sw, at: minutesAgo(15) }],
    ]);
    expect(outcome.applied).toBeGreaterThanOrEqual(7);
    await replaysAndRecovers(handle, cpp.getStateQuery, [
      cpp.childLeftUkUpdate,
      { actor: actors.teamManager, at: minutesAgo(1) },
    ]);
  });

  it('looked-after child: visits, health, supervision and reviews at once', async () => {
    const handle = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-CONC-4',
      args: [emergency('CONC-4', minutesAgo(120))],
    });
    await armed(handle, lac.getStateQuery);
    const sw = actors.socialWorker;
    const outcome = await allAtOnce(handle, [
      [lac.visitRecordedUpdate, { actor: sw, visitedAt: minutesAgo(100), childSeen: true }],
      [lac.visitRecordedUpdate, { actor: sw, visitedAt: minutesAgo(90), childSeen: true, seenAlone: true }],
      [lac.supervisionRecordedUpdate, { actor: actors.teamManager, at: minutesAgo(80) }],
      [lac.supervisionRecordedUpdate, { actor: actors.teamManager, at: minutesAgo(70) }],
      [lac.dentalCheckUpdate, { actor: sw, at: minutesAgo(60) }],
      [lac.healthAssessmentUpdate, { actor: sw, at: minutesAgo(50) }],
      [
        lac.reviewScheduledUpdate,
        { actor: actors.qa, scheduledStart: new Date(Date.now() + 10 * 86_400_000).toISOString() },
      ],
      [
        lac.reviewScheduledUpdate,
        { actor: actors.qa, scheduledStart: new Date(Date.now() + 11 * 86_400_000).toISOString() },
      ],
      [lac.carePlanCompletedUpdate, { actor: sw }],
      [lac.placementPlanAuthorisedUpdate, { actor: actors.teamManager }],
    ]);
    expect(outcome.applied).toBeGreaterThanOrEqual(6);
    await replaysAndRecovers(handle, lac.getStateQuery, [lac.infoPackGivenUpdate, { actor: sw }]);
  });
});
