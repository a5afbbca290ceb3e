/**
 * Records the replay fixtures in test/histories/ by running real scenarios on the time-skipping
 * server. Regenerating a fixture is deliberate: say why in the commit (see README "Replay safety").
 *
 *   npm run record-histories                # records only fixtures that do not exist yet
 *   npm run record-histories -- <name> ...   # re-records the named ones (say why in the commit)
 *
 * A `-evidence` fixture is the same scenario recorded after the evidence store (patch
 * `evidence-store`): its history holds the evidence activities, its twin the code before them.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import {
  childProtectionPlan,
  keyEvent,
  lookedAfterChild,
  missingEpisode,
  needToKnow,
  s47Enquiry,
  seriousIncident,
} from '../workflows';
import * as kev from '../workflows/key-event/messages';
import { foundUpdate as missingFoundUpdate } from '../workflows/missing-episode/messages';
import * as incident from '../workflows/serious-incident/messages';
import { harmInput } from '../test/helpers/serious-incident';
import * as cpp from '../workflows/child-protection-plan/messages';
import * as lac from '../workflows/looked-after-child/messages';
import { emergency } from '../test/helpers/looked-after';
import * as s47 from '../workflows/s47-enquiry/messages';
import { actors, attendees, s47Input } from '../test/helpers/s47';
import {
  briefingRevisedUpdate,
  closeBriefingUpdate,
  hosDecisionUpdate,
  pglResponseUpdate,
  raisingProcessEventSignal,
  updateSentUpdate,
} from '../workflows/need-to-know/messages';
import { ntkInput } from '../test/helpers/need-to-know';
import { startSmtpCapture } from '../test/helpers/smtp';
import { TASK_QUEUE, testWorker, timeSkippingEnv } from '../test/helpers/temporal';

const pgl = { id: 'pgl-1', roles: ['pgl' as const] };
const hos = { id: 'hos-1', roles: ['head_of_service' as const] };
const director = { id: 'director-1', roles: ['director' as const] };

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const smtp = await startSmtpCapture();
  const env = await timeSkippingEnv();
  const worker = await testWorker(env, smtp.port);
  const skipTo = async (iso: string) => env.sleep(Date.parse(iso) - (await env.currentTimeMs()));
  const start = (id: string, at: string, extra = {}) =>
    env.client.workflow.start(needToKnow, {
      taskQueue: TASK_QUEUE,
      workflowId: `ntk-${id}`,
      args: [ntkInput(id, at, extra)],
    });
  // Existing fixtures are kept unless named on the command line: they are the upgrade tests.
  const save = async (name: string, workflowId: string, runId?: string) => {
    const file = path.join(__dirname, '../test/histories', `${name}.json`);
    if (existsSync(file) && !process.argv.includes(name)) return console.log(`kept ${name}`);
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    writeFileSync(file, JSON.stringify(history, null, 1));
    console.log(`recorded ${name}: ${history.events?.length} events`);
  };

  await worker.runUntil(async () => {
    await skipTo('2027-05-04T10:00:00Z');
    const approved = await start('R1', '2027-05-04T10:00:00.000Z');
    await env.sleep(3_600_000);
    await approved.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await approved.executeUpdate(updateSentUpdate, {
      args: [{ summary: 'Found safe.', actor: { id: 'sw-1', roles: ['social_worker'] } }],
    });
    await approved.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Resolved.', actor: director }] });
    await save('need-to-know-cat2-approved', 'ntk-R1');
    await save('need-to-know-cat2-approved-evidence', 'ntk-R1');

    await skipTo('2027-05-05T15:00:00Z');
    const fallback = await start('R2', '2027-05-05T15:00:00.000Z');
    await skipTo('2027-05-05T17:00:30Z');
    await new Promise((r) => setTimeout(r, 1_000));
    await fallback.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Resolved.', actor: hos }] });
    await save('need-to-know-cat2-fallback', 'ntk-R2');

    await skipTo('2027-05-06T09:30:00Z');
    const inform = await start('R3', '2027-05-06T09:30:00.000Z', { category: 3, item: 7 });
    await inform.executeUpdate(hosDecisionUpdate, { args: [{ decision: 'inform', actor: hos }] });
    await inform.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await inform.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Resolved.', actor: director }] });
    await save('need-to-know-cat3-inform', 'ntk-R3');

    await skipTo('2027-05-10T09:00:00Z');
    const enquiry = await env.client.workflow.start(s47Enquiry, {
      taskQueue: TASK_QUEUE,
      workflowId: 's47-R4',
      args: [s47Input('R4', '2027-05-10T09:00:00.000Z')],
    });
    const act = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) => enquiry.executeUpdate(update, { args: [arg] });
    await act(s47.screenedUpdate, {
      significantHarmSuspected: true,
      immediateProtectionRequired: false,
      actor: actors.mashOfficer,
    });
    await act(s47.mashDecisionUpdate, { pathway: 'cp_strategy', rationale: 'Disclosure.', actor: actors.dutyManager });
    await act(s47.mashSignoffUpdate, { actor: actors.secondManager });
    await act(s47.referrerAcknowledgedUpdate, { actor: actors.mashOfficer });
    await act(s47.referrerFeedbackUpdate, { actor: actors.mashOfficer });
    await act(s47.strategyUrgencyUpdate, { urgency: 'serious_risk', actor: actors.teamManager });
    await act(s47.strategyHeldUpdate, {
      strategyId: 'SD-R4',
      heldAt: '2027-05-10T14:00:00.000Z',
      attendees,
      s47Initiated: true,
      enquiryType: 'joint',
      icpcLikely: true,
      immediateActions: [{ action: 'Safety plan', ownerRole: 'social_worker', dueAt: '2027-05-11T12:00:00.000Z' }],
      actor: actors.teamManager,
    });
    await act(s47.s47OutcomeUpdate, {
      outcome: 'substantiated_icpc',
      rationale: 'Substantiated.',
      actor: actors.socialWorker,
    });
    await act(s47.s47SignoffUpdate, { actor: actors.teamManager });
    await act(s47.icpcScheduledUpdate, { scheduledStart: '2027-05-24T10:00:00.000Z', actor: actors.qa });
    await act(s47.icpcRescheduledUpdate, {
      scheduledStart: '2027-05-25T10:00:00.000Z',
      reason: 'Chair unavailable',
      actor: actors.qa,
    });
    await skipTo('2027-05-25T10:05:00Z');
    await act(s47.icpcHeldUpdate, {
      heldAt: '2027-05-25T10:00:00.000Z',
      decisions: [
        { childReference: 'C1', decision: 'cp_plan', planId: 'P-R4' },
        { childReference: 'C2', decision: 'no_plan' },
      ],
      actor: actors.chair,
    });
    await save('s47-contact-to-icpc', 's47-R4');
    await save('s47-contact-to-icpc-evidence', 's47-R4');

    // The plan R4 handed over is running now: record its first weeks (it is still open).
    const plan = env.client.workflow.getHandle('cpp-P-R4');
    const planAct = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) => plan.executeUpdate(update, { args: [arg] });
    await planAct(cpp.conferenceOutputUpdate, { output: 'cp-outcome-circulate', actor: actors.qa });
    await planAct(cpp.coreGroupHeldUpdate, {
      heldAt: '2027-06-02T10:00:00.000Z',
      visitIntervalWorkingDays: 5,
      actor: actors.teamManager,
    });
    await skipTo('2027-06-04T10:00:00Z');
    await planAct(cpp.visitRecordedUpdate, {
      visitedAt: '2027-06-04T10:00:00.000Z',
      childSeen: false,
      actor: actors.socialWorker,
    });
    await planAct(cpp.visitRecordedUpdate, {
      visitedAt: '2027-06-04T15:00:00.000Z',
      childSeen: true,
      seenAlone: true,
      actor: actors.socialWorker,
    });
    await planAct(cpp.supervisionRecordedUpdate, { at: '2027-06-04T16:00:00.000Z', actor: actors.teamManager });
    await skipTo('2027-06-15T10:00:00Z'); // past the next visit: the breach and its notices are in the history
    await new Promise((r) => setTimeout(r, 1_000));
    await save('child-protection-plan-first-weeks', 'cpp-P-R4');

    // A review that continues the plan ends the run with continue-as-new: the boundary fixture.
    const firstRun = (await plan.describe()).runId;
    await planAct(cpp.reviewScheduledUpdate, { scheduledStart: '2027-08-10T10:00:00.000Z', actor: actors.qa });
    await planAct(cpp.reviewHeldUpdate, {
      heldAt: '2027-08-10T10:00:00.000Z',
      decision: 'continue',
      actor: actors.chair,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('child-protection-plan-cycle-1-continued', 'cpp-P-R4', firstRun);
    await save('child-protection-plan-cycle-2-start', 'cpp-P-R4');
    await save('child-protection-plan-cycle-1-continued-evidence', 'cpp-P-R4', firstRun);
    await save('child-protection-plan-cycle-2-start-evidence', 'cpp-P-R4');

    // A plan recorded after the 6-monthly assessment clock (patch marker) and the D2.5 endings:
    // a child with a date of birth moves away; the plan ends at the receiving authority's conference.
    await skipTo('2027-09-01T10:00:00Z');
    const moved = await env.client.workflow.start(childProtectionPlan, {
      taskQueue: TASK_QUEUE,
      workflowId: 'cpp-R5',
      args: [
        {
          planId: 'R5',
          caseReference: 'CASE-R5',
          childReference: 'C1',
          childDateOfBirth: '2012-03-04',
          icpcHeldAt: '2027-09-01T10:00:00.000Z',
          people: {},
        },
      ],
    });
    const movedAct = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) =>
      moved.executeUpdate(update, { args: [arg] });
    await movedAct(cpp.coreGroupHeldUpdate, { heldAt: '2027-09-08T10:00:00.000Z', actor: actors.teamManager });
    await movedAct(cpp.assessmentCompletedUpdate, { at: '2027-09-09T10:00:00.000Z', actor: actors.socialWorker });
    await movedAct(cpp.childMovedUpdate, {
      toAuthority: 'Receiving Council',
      notifiedAt: '2027-09-10T10:00:00.000Z',
      actor: actors.socialWorker,
    });
    await skipTo('2027-10-04T10:00:00Z'); // past cp-transfer-out-watch: its chase is in the history
    await movedAct(cpp.receivingConferenceHeldUpdate, { at: '2027-10-04T10:00:00.000Z', actor: actors.socialWorker });
    await movedAct(cpp.discontinuationNotifiedUpdate, { actor: actors.socialWorker });
    for (const output of [
      'cp-outcome-circulate',
      'cp-outline-plan',
      'cp-record-plan-circulate',
      'cp-minutes-circulate',
    ] as const)
      await movedAct(cpp.conferenceOutputUpdate, { output, actor: actors.qa });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('child-protection-plan-moved-away', 'cpp-R5');

    // A looked-after episode's first review cycle, up to continue-as-new, and the next run's start.
    await skipTo('2027-11-01T10:00:00Z');
    const episode = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R6',
      args: [
        emergency('R6', '2027-11-01T10:00:00.000Z', {
          approval: { by: 'director', at: '2027-11-01T09:00:00.000Z', nextCarePanelDate: '2027-11-10' },
        }),
      ],
    });
    const lacAct = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) =>
      episode.executeUpdate(update, { args: [arg] });
    const iro = { id: 'iro-1', roles: ['iro' as const] };
    await skipTo('2027-11-02T10:00:00Z');
    // (Recorded before the start email met lac-notify-start: this run recorded start-notified here.)
    await lacAct(lac.visitRecordedUpdate, {
      visitedAt: '2027-11-02T10:00:00.000Z',
      childSeen: true,
      seenAlone: true,
      actor: actors.socialWorker,
    });
    await lacAct(lac.healthAssessmentUpdate, { at: '2027-11-15T10:00:00.000Z', actor: actors.socialWorker });
    await lacAct(lac.reviewScheduledUpdate, { scheduledStart: '2027-11-26T10:00:00.000Z', actor: actors.qa });
    await skipTo('2027-11-26T10:00:00Z'); // the visits and the before-review deadlines lapse: their notices are in the history
    const firstEpisodeRun = (await episode.describe()).runId;
    await lacAct(lac.reviewHeldUpdate, { heldAt: '2027-11-26T10:00:00.000Z', actor: iro });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('looked-after-child-cycle-1-continued', 'lac-R6', firstEpisodeRun);
    await save('looked-after-child-cycle-2-start', 'lac-R6');
    await save('looked-after-child-cycle-1-continued-evidence', 'lac-R6', firstEpisodeRun);
    await save('looked-after-child-cycle-2-start-evidence', 'lac-R6');

    // Recorded after the audit's patches (their markers are in these histories).
    // An enquiry classified complex, whose statutory assessment outlives the conference.
    await skipTo('2028-01-10T10:00:00Z');
    const audited = await env.client.workflow.start(s47Enquiry, {
      taskQueue: TASK_QUEUE,
      workflowId: 's47-R7',
      args: [s47Input('R7', '2028-01-10T10:00:00.000Z', { trigger: 'concern' })],
    });
    const auditAct = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) =>
      audited.executeUpdate(update, { args: [arg] });
    await auditAct(s47.strategyUrgencyUpdate, {
      urgency: 'complex',
      rationale: 'Several households.',
      actor: actors.teamManager,
    });
    await auditAct(s47.strategyHeldUpdate, {
      strategyId: 'SD-R7',
      heldAt: '2028-01-12T10:00:00.000Z',
      attendees,
      s47Initiated: true,
      enquiryType: 'joint',
      icpcLikely: true,
      immediateActions: [],
      actor: actors.teamManager,
    });
    await auditAct(s47.childSeenUpdate, {
      childReference: 'C1',
      seenAt: '2028-01-12T15:00:00.000Z',
      seenAlone: true,
      actor: actors.socialWorker,
    });
    await auditAct(s47.childNotSeenUpdate, {
      childReference: 'C2',
      reasons: 'Abroad with the other parent.',
      actor: actors.teamManager,
    });
    await auditAct(s47.s47OutcomeUpdate, {
      outcome: 'substantiated_icpc',
      rationale: 'Substantiated.',
      actor: actors.socialWorker,
    });
    await skipTo('2028-01-20T10:05:00Z');
    await auditAct(s47.icpcHeldUpdate, {
      heldAt: '2028-01-20T10:00:00.000Z',
      decisions: [
        { childReference: 'C1', decision: 'no_plan' },
        { childReference: 'C2', decision: 'no_plan' },
      ],
      actor: actors.chair,
    });
    await auditAct(s47.assessmentCompletedUpdate, {
      completedAt: '2028-01-25T10:00:00.000Z',
      outcome: 'cin_plan',
      actor: actors.teamManager,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('s47-assessment-every-enquiry', 's47-R7');

    // A draft that did not reach the PGL, then a revision that did; an episode's start email.
    await skipTo('2028-02-01T10:00:00Z');
    smtp.refusing.add('pgl@example.test');
    const revised = await start('R8', '2028-02-01T10:00:00.000Z');
    await new Promise((r) => setTimeout(r, 1_000));
    smtp.refusing.clear();
    const briefing = ntkInput('R8', '2028-02-01T10:00:00.000Z').briefing;
    await revised.executeUpdate(briefingRevisedUpdate, {
      args: [{ briefing: { ...briefing, concern: 'Still missing.' }, actor: { id: 'sw-1', roles: ['social_worker'] } }],
    });
    await revised.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await revised.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Resolved.', actor: director }] });
    await save('need-to-know-draft-revised', 'ntk-R8');

    const notified = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R9',
      args: [emergency('R9', '2028-02-01T10:00:00.000Z')],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('looked-after-child-start-notified', 'lac-R9', (await notified.describe()).runId);

    // Recorded after the start made its plans at once and answered before its email (a school-age child).
    const atOnce = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R17',
      args: [emergency('R17', '2028-02-01T10:00:00.000Z', { education: { stage: 'primary' } })],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('looked-after-child-start-at-once', 'lac-R17', (await atOnce.describe()).runId);

    // A looked-after child missing past 48 hours: ntk-trigger-lac-missing raises the briefing, then found.
    await skipTo('2028-03-06T10:00:00Z');
    const missing = await env.client.workflow.start(missingEpisode, {
      taskQueue: TASK_QUEUE,
      workflowId: 'missing-R10',
      args: [
        {
          episodeId: 'R10',
          eventId: 'EV-R10',
          caseReference: 'CASE-R10',
          child: { reference: 'C1', lookedAfter: true, onPlan: false, legalStatus: 'care_order' },
          reportedMissingAt: '2028-03-06T10:00:00.000Z',
          lastSeenAt: '2028-03-06T09:00:00.000Z',
          exploitationConcern: false,
          withFamily: false,
          knownAt: '2028-03-06T10:00:00.000Z',
          people: {},
        },
      ],
    });
    await skipTo('2028-03-08T10:30:00Z'); // past 48 hours from last seen: the briefing is raised
    await new Promise((r) => setTimeout(r, 1_000));
    await missing.executeUpdate(missingFoundUpdate, {
      args: [{ eventId: 'EV-R10-F', foundAt: '2028-03-08T10:00:00.000Z', actor: actors.socialWorker }],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('missing-episode-found-after-threshold', 'missing-R10');
    await save('missing-episode-found-after-threshold-evidence', 'missing-R10');

    // A planned move in a GCSE year after the placement key-events patch: advised, notified, GP, Virtual Head.
    const placed = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R10',
      args: [emergency('R10', '2028-03-06T10:00:00.000Z', { education: { stage: 'gcse_year' } })],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await skipTo('2028-03-08T11:00:00Z');
    const sw = { id: 'sw-1', roles: ['social_worker' as const] };
    await placed.executeUpdate(lac.placementChangedUpdate, {
      args: [
        {
          placementId: 'R10-P2',
          type: 'foster',
          startAt: '2028-03-08T10:00:00.000Z',
          planned: true,
          decidedAt: '2028-03-08T08:00:00.000Z',
          schoolChanges: false,
          gpChanges: true,
          placementPlanCompletedAt: '2028-03-08T09:00:00.000Z',
          eventId: 'EV-R10-1',
          actor: sw,
        },
      ],
    });
    await placed.executeUpdate(lac.placementChangeAdvisedUpdate, {
      args: [{ at: '2028-03-08T10:30:00.000Z', actor: sw }],
    });
    await placed.executeUpdate(lac.placementChangeNotifiedUpdate, {
      args: [
        {
          notified: ['iro', 'iro_manager', 'school', 'virtual_school', 'gp', 'health'],
          actor: { id: 'cicbs-1', roles: ['cic_business_support'] },
        },
      ],
    });
    await placed.executeUpdate(lac.gpRegisteredUpdate, { args: [{ actor: sw }] });
    await placed.executeUpdate(lac.virtualHeadConsultedUpdate, { args: [{ actor: sw }] });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('looked-after-child-placement-key-events', 'lac-R10', (await placed.describe()).runId);

    // An automatic category 2 raise with no draft: the minimal notice at the deadline, then the raising process's news.
    await skipTo('2028-03-13T15:00:00Z');
    const undrafted = { ...ntkInput('R11', '2028-03-13T15:00:00.000Z'), briefing: undefined };
    const minimal = await env.client.workflow.start(needToKnow, {
      taskQueue: TASK_QUEUE,
      workflowId: 'ntk-R11',
      args: [
        {
          ...undrafted,
          brevity: 'brief',
          raisedBy: { id: 'system', roles: [] },
          automatic: {
            trigger: 'ntk-trigger-lac-missing',
            raisedFrom: 'kev-R11',
            child: { reference: 'CH-R11', legalStatus: 'care_order' },
            facts: 'Missing for 48 hours.',
          },
        },
      ],
    });
    await skipTo('2028-03-13T17:00:30Z');
    await new Promise((r) => setTimeout(r, 1_000));
    await minimal.signal(raisingProcessEventSignal, {
      kind: 'found',
      at: '2028-03-13T17:00:00.000Z',
      summary: 'The child was found.',
    });
    await minimal.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Found safe.', actor: director }] });
    await save('need-to-know-automatic-minimal', 'ntk-R11');

    // Out of education for 3 months (the Saturday it falls on): the category 3 briefing raised, then the return.
    await skipTo('2028-03-20T10:00:00Z');
    const outOfEducation = await env.client.workflow.start(keyEvent, {
      taskQueue: TASK_QUEUE,
      workflowId: 'kev-R12',
      args: [
        {
          eventId: 'R12',
          caseReference: 'CASE-R12',
          child: { reference: 'CH-R12', lookedAfter: true, onPlan: false, legalStatus: 'care_order' },
          occurredAt: '2028-03-20T10:00:00.000Z',
          knownAt: '2028-03-20T10:00:00.000Z',
          details: { kind: 'out-of-education', outOfEducationSince: '2028-03-17' },
          people: {},
        },
      ],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await skipTo('2028-06-17T09:00:00Z');
    await new Promise((r) => setTimeout(r, 1_000));
    await outOfEducation.executeUpdate(kev.returnedToEducationUpdate, {
      args: [{ eventId: 'R12-R', at: '2028-06-17T08:00:00.000Z', actor: sw }],
    });
    await outOfEducation.result();
    await save('key-event-out-of-education', 'kev-R12');
    await save('key-event-out-of-education-evidence', 'kev-R12');

    // A placement change recorded before the placement key-events patch (the upgrade test of
    // 'lac-placement-key-events'): re-recorded now, it would take the patched path.
    await skipTo('2028-06-26T10:00:00Z');
    const beforePatch = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R13',
      args: [emergency('R13', '2028-06-26T10:00:00.000Z')],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await skipTo('2028-06-27T11:00:00Z');
    await beforePatch.executeUpdate(lac.placementChangedUpdate, {
      args: [
        { placementId: 'R13-P2', type: 'residential', startAt: '2028-06-27T10:00:00.000Z', planned: false, actor: sw },
      ],
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await save('looked-after-child-placement-before-key-events', 'lac-R13', (await beforePatch.describe()).runId);

    // Serious incidents: a looked-after child's death before Easter, reported by the episode's end
    // (the child workflow), past the Panel's 5 calendar days (⚠C-27), closed as criteria not met.
    await skipTo('2029-03-29T09:00:00Z'); // the Thursday before Good Friday, 10:00 BST
    const dying = await env.client.workflow.start(lookedAfterChild, {
      taskQueue: TASK_QUEUE,
      workflowId: 'lac-R14',
      args: [emergency('R14', '2029-03-29T09:00:00.000Z')],
    });
    await dying.executeUpdate(lac.startedUpdate);
    await dying.executeUpdate(lac.ceasedUpdate, {
      args: [{ at: '2029-03-29T09:00:00.000Z', reason: 'died', actor: actors.socialWorker }],
    });
    const died = env.client.workflow.getHandle('incident-died-CH-R14');
    await died.executeUpdate(incident.startedUpdate);
    await skipTo('2029-04-03T16:05:00Z'); // past panel-notify (5 CD): the HoS and the Director told
    await new Promise((r) => setTimeout(r, 1_000));
    await died.executeUpdate(incident.panelCriteriaUpdate, {
      args: [{ met: false, rationale: 'No concern of abuse or neglect.', actor: hos }],
    });
    await died.executeUpdate(incident.sosOfstedNotifiedUpdate, { args: [{ actor: hos }] });
    await died.executeUpdate(incident.sltNotNeededUpdate, { args: [{ rationale: 'Told in person.', actor: pgl }] });
    await died.result();
    await save('serious-incident-lac-death', 'incident-died-CH-R14');

    // Serious harm to a child on a plan, every decision taken: the route, the MASH, the briefing, the Panel.
    await skipTo('2029-05-01T09:00:00Z');
    const harmed = await env.client.workflow.start(seriousIncident, {
      taskQueue: TASK_QUEUE,
      workflowId: 'incident-R15',
      args: [harmInput('R15', '2029-05-01T09:00:00.000Z')],
    });
    const harmAct = <A>(update: UpdateDefinition<unknown, [A]>, arg: A) =>
      harmed.executeUpdate(update, { args: [arg] });
    await harmed.executeUpdate(incident.startedUpdate);
    await harmAct(incident.harmRouteUpdate, { s47: 'start', needToKnow: 'ask_hos', actor: actors.teamManager });
    await harmAct(incident.mashReferralUpdate, { s47EnquiryId: 'inc-R15', actor: actors.socialWorker });
    await harmAct(incident.harmNotifiedUpdate, { actor: actors.socialWorker });
    await harmAct(incident.needToKnowRaisedUpdate, { category: 3, item: 7, actor: hos });
    await harmAct(incident.sltNotifiedUpdate, { actor: pgl });
    await harmAct(incident.healthChangedUpdate, { eventId: 'U-R15', actor: actors.socialWorker });
    await harmAct(incident.panelCriteriaUpdate, { met: true, rationale: 'Abuse suspected.', actor: director });
    await harmAct(incident.panelNotifiedUpdate, { panelReference: 'CSPRP-R15', actor: hos });
    await harmAct(incident.partnersNotifiedUpdate, { actor: hos });
    await harmAct(incident.sltRecordedUpdate, { actor: hos });
    await harmAct(incident.sltUpdateSentUpdate, { actor: hos });
    await harmed.result();
    await save('serious-incident-harm-on-plan', 'incident-R15');
    await save('serious-incident-harm-on-plan-evidence', 'incident-R15');

    // Recorded with the payload codec (the test key, test/payload-keys.json): every payload encrypted.
    await skipTo('2029-06-04T10:00:00Z');
    const encrypted = await start('R16', '2029-06-04T10:00:00.000Z');
    await encrypted.executeUpdate(pglResponseUpdate, { args: [{ decision: 'approve', actor: pgl }] });
    await encrypted.executeUpdate(closeBriefingUpdate, { args: [{ rationale: 'Resolved.', actor: director }] });
    await save('need-to-know-encrypted', 'ntk-R16');
  });
  await env.teardown();
  await smtp.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
