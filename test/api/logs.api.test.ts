/**
 * Every log line of the API and the worker over a whole scenario on the real dev server, real SMTP
 * and a real worker: a Need to Know briefing submitted and approved, a child protection plan started
 * with a date of birth. The lines say what happened (a line per request, a line per notification)
 * and nothing about the child, the concern, the people or the tokens.
 *
 * The worker's lines come through the Temporal Runtime logger, installed once for this file's
 * process by test/setup.ts with the worker's own adapter (src/logger.ts); the API's through the
 * logger given to the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDirectory, localTokens } from '../../src/config';
import { createLogger } from '../../src/logger';
import { capturedLogs, logCapture, type LogLine } from '../helpers/logs';
import { updatePromisedFor } from '../helpers/need-to-know';
import { apiStack } from '../helpers/stack';

const apiLogs = logCapture();
let stack: Awaited<ReturnType<typeof apiStack>>;

beforeAll(async () => {
  stack = await apiStack(localTokens, {
    logger: createLogger({ level: 'info', service: 'api', destination: apiLogs.stream }),
  });
});
afterAll(() => stack?.stop());

// Fictional, and easy to find if they leaked.
const personal = {
  childName: 'Quillon Zebedee',
  concern: 'Found wandering near the Marrowfield canal after midnight',
  actionTaken: 'Strategy discussion booked with Inspector Haverbrook',
  contactName: 'Ottilie Brandwater',
  phone: '07700 900461',
  briefingDateOfBirth: '2014-07-23',
  planDateOfBirth: '2016-03-14',
  socialWorkerEmail: 'ottilie.brandwater@example.test',
};

const everyLine = (): LogLine[] => [...apiLogs.lines(), ...capturedLogs()];
const everyText = () => JSON.stringify(everyLine());

describe('the logs of a whole scenario', () => {
  it('have a line per request and per notification, and nothing personal, no address and no token', async () => {
    const submitted = await stack.call('POST', '/v1/need-to-know', 'local-social-worker', {
      briefingId: 'LOG-1',
      caseReference: 'CASE-LOG-1',
      category: 2,
      item: 4,
      briefing: {
        child: {
          reference: 'C-LOG-1',
          name: personal.childName,
          dateOfBirth: personal.briefingDateOfBirth,
          legalStatus: 'care_order',
        },
        concern: personal.concern,
        actionTaken: personal.actionTaken,
        updateExpectedOn: updatePromisedFor(new Date().toISOString()),
        contact: { name: personal.contactName, phone: personal.phone, email: personal.socialWorkerEmail },
      },
      people: { social_worker: [personal.socialWorkerEmail] },
    });
    expect(submitted.status).toBe(201);
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-LOG-1.briefing.v1.draft@test.example>');

    const approved = await stack.call('POST', '/v1/need-to-know/LOG-1/pgl-response', 'local-pgl', {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    await stack.smtp.waitFor((m) => m.messageId === '<ntk-LOG-1.briefing.v1.approved@test.example>');
    expect((await stack.call('GET', '/v1/need-to-know/LOG-1', 'local-director')).status).toBe(200);

    const plan = await stack.call('POST', '/v1/child-protection-plans', 'local-case-system', {
      planId: 'LOG-P1',
      caseReference: 'CASE-LOG-P1',
      childReference: 'C-LOG-P1',
      childDateOfBirth: personal.planDateOfBirth,
      icpcHeldAt: new Date(Date.now() - 86_400_000).toISOString(),
      people: { social_worker: [personal.socialWorkerEmail] },
    });
    expect(plan.status).toBe(201);

    // A line per request, with the route template and the actor.
    await expect.poll(() => apiLogs.lines().filter((l) => l.msg === 'request').length).toBe(4);
    expect(
      apiLogs
        .lines()
        .filter((l) => l.msg === 'request')
        .map((l) => [l.method, l.route, l.status, l.actor]),
    ).toEqual([
      ['POST', '/v1/need-to-know', 201, 'sw-1'],
      ['POST', '/v1/need-to-know/:id/pgl-response', 200, 'pgl-1'],
      ['GET', '/v1/need-to-know/:id', 200, 'director-1'],
      ['POST', '/v1/child-protection-plans', 201, 'case-system'],
    ]);

    // A line per notification, from the activity through the Runtime logger: ids, kinds, roles, counts.
    const sent = (kind: string) =>
      capturedLogs().find((l) => l.msg === 'notification sent' && l.workflowId === 'ntk-LOG-1' && l.kind === kind);
    await expect.poll(() => sent('approved')).toBeDefined(); // the Runtime logger forwards in batches
    expect(sent('draft')).toMatchObject({
      level: 'info',
      service: 'worker',
      sdkComponent: 'activity',
      activityType: 'sendNotification',
      workflowType: 'needToKnow',
      process: 'ntk',
      notification: 'briefing',
      category: 2,
      item: 4,
      version: 1,
      toRoles: ['pgl'],
      ccRoles: ['head_of_service'],
      recipients: 2,
      accepted: 2,
      rejected: 0,
      messageId: '<ntk-LOG-1.briefing.v1.draft@test.example>',
    });
    expect(sent('approved')).toMatchObject({
      toRoles: ['director'],
      ccRoles: ['pgl', 'head_of_service'],
      recipients: 3,
      messageId: '<ntk-LOG-1.briefing.v1.approved@test.example>',
    });
    // The SDK's own lines go the same way.
    expect(capturedLogs().some((l) => l.sdkComponent === 'worker')).toBe(true);

    const text = everyText();
    for (const [what, value] of Object.entries(personal)) expect(text, what).not.toContain(value);
    for (const word of ['Quillon', 'Zebedee', 'Marrowfield', 'Haverbrook', 'Brandwater', '900461']) {
      expect(text).not.toContain(word);
    }
    // No address at all (every mailbox here is @example.test; the Message-IDs are @test.example).
    expect(text).not.toMatch(/@example\.test/);
    for (const address of Object.values(localDirectory).flat()) expect(text).not.toContain(address);
    for (const token of Object.keys(localTokens)) expect(text).not.toContain(token);
    expect(text).not.toMatch(/bearer/i);
  });
});
