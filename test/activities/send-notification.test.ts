import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createLogger, temporalLogger } from '../../src/logger';
import { londonTime, type NotificationRequest } from '../../src/notifications';
import { logCapture } from '../helpers/logs';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { testDeps } from '../helpers/temporal';

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await startSmtpCapture();
});
afterAll(() => smtp?.close());

const request = (people: NotificationRequest['context']['people'] = {}): NotificationRequest => ({
  context: { workflowId: 'ntk-N1', process: 'ntk', caseReference: 'CASE-N1', people },
  key: 'ntk-cat2-director.1.r0.overdue',
  to: ['team_manager'],
  cc: ['head_of_service'],
  content: {
    type: 'deadline',
    kind: 'overdue',
    deadline: {
      id: 'ntk-cat2-director',
      occurrence: 1,
      label: 'Director has the briefing',
      action: 'Approve the briefing.',
      dueAt: '2027-03-10T17:00:00.000Z',
      level: 0,
      source: ['001 NTK s4'],
    },
  },
});

describe('sendNotification over real SMTP', () => {
  it('sends to the case people or the directory, with a deterministic Message-ID and the deadline in London time', async () => {
    const { sendNotification } = createActivities(testDeps(smtp.port));
    const first = await sendNotification(request({ team_manager: ['named.manager@example.test'] }));
    const again = await sendNotification(request({ team_manager: ['named.manager@example.test'] }));
    expect(first.messageId).toBe('<ntk-N1.ntk-cat2-director.1.r0.overdue@test.example>');
    expect(again.messageId).toBe(first.messageId); // a retried send is recognisable
    const [mail] = await smtp.waitFor((m) => m.messageId === first.messageId, 2);
    expect(mail!.to).toEqual(['named.manager@example.test']);
    expect(mail!.cc).toEqual(['head-of-service@example.test']);
    expect(mail!.subject).toBe('[Need to Know briefing] Deadline missed: ntk-cat2-director (case CASE-N1, level 0)');
    expect(mail!.text).toContain('Wednesday 10 March 2027 at 17:00 (GMT)');
    expect(mail!.text).toContain('What to do: Approve the briefing. Record the reason for the delay.');
    expect(mail!.parsed.html).toContain('<h2>Deadline missed: ntk-cat2-director</h2>');
    expect(londonTime('2027-06-07T16:00:00.000Z')).toBe('Monday 7 June 2027 at 17:00 (BST)');
  });

  it('links to the item’s page when the service has pages, and a draft briefing to its review page', async () => {
    const { sendNotification } = createActivities({
      ...testDeps(smtp.port),
      publicUrl: 'https://deadlines.example.test',
    });
    const notice = { ...request(), key: 'ntk-cat2-director.1.r0.overdue-linked' };
    const sent = await sendNotification(notice);
    const [mail] = await smtp.waitFor((m) => m.messageId === sent.messageId);
    expect(mail!.text).toContain('Open in the service: https://deadlines.example.test/need-to-know/N1');
    const draft = await sendNotification({
      ...request(),
      key: 'briefing.v1.draft-linked',
      to: ['pgl'],
      cc: [],
      content: { type: 'briefing', variant: 'draft', category: 2, item: 4, version: 1 },
    });
    const [draftMail] = await smtp.waitFor((m) => m.messageId === draft.messageId);
    expect(draftMail!.text).toContain('Open in the service: https://deadlines.example.test/need-to-know/N1/review');
    // Without pages (no PUBLIC_URL), no link.
    const { sendNotification: unlinked } = createActivities(testDeps(smtp.port));
    const plain = await unlinked({ ...request(), key: 'ntk-cat2-director.1.r0.overdue-plain' });
    const [plainMail] = await smtp.waitFor((m) => m.messageId === plain.messageId);
    expect(plainMail!.text).not.toContain('Open in the service');
  });

  it('reports an address the server refuses while delivering to the others', async () => {
    const { sendNotification } = createActivities(testDeps(smtp.port));
    const result = await sendNotification(request({ team_manager: ['invalid-manager@example.test'] }));
    expect(result.rejected).toEqual(['invalid-manager@example.test']);
    expect(result.accepted).toEqual(['head-of-service@example.test']);
  });

  it('takes senior roles from the directory alone, whatever a case named for them', async () => {
    const { sendNotification } = createActivities(testDeps(smtp.port));
    const sent = await sendNotification({
      ...request({ head_of_service: ['outsider@example.test'], director: ['outsider@example.test'] }),
      cc: ['head_of_service', 'director'],
    });
    expect(sent.accepted).toEqual([
      'team-manager@example.test',
      'head-of-service@example.test',
      'director@example.test',
    ]);
    expect(sent.reachedRoles).toEqual(['team_manager', 'head_of_service', 'director']);
  });

  it('fails permanently (non-retryable) when every address is refused or no role has one', async () => {
    const { sendNotification } = createActivities(testDeps(smtp.port));
    const refused = sendNotification({ ...request({ team_manager: ['invalid-1@example.test'] }), cc: [] });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: 'PermanentSmtpFailure', nonRetryable: true });

    const nobody = createActivities({ ...testDeps(smtp.port), directory: {} }).sendNotification(request());
    await expect(nobody).rejects.toMatchObject({ type: 'NoRecipients', nonRetryable: true });
  });

  it('throws a retryable error when the SMTP server is unreachable, so Temporal retries it', async () => {
    const deps = {
      ...testDeps(smtp.port),
      mailer: nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 1_000 }),
    };
    const failure = await createActivities(deps)
      .sendNotification(request())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
  });

  it('logs one line per notification sent or failed, with ids, roles and counts, never an address or the text', async () => {
    const capture = logCapture();
    const logger = temporalLogger(createLogger({ level: 'info', service: 'worker', destination: capture.stream }));
    const inActivity = new MockActivityEnvironment({}, { logger });
    const { sendNotification } = createActivities(testDeps(smtp.port));
    await inActivity.run(sendNotification, request({ team_manager: ['named.manager@example.test'] }));
    const refused = inActivity.run(sendNotification, {
      ...request({ team_manager: ['invalid-2@example.test'] }),
      cc: [],
    });
    await expect(refused).rejects.toMatchObject({ type: 'PermanentSmtpFailure', message: 'mail refused (SMTP 550)' });
    const notificationLines = () => capture.lines().filter((line) => line.msg.startsWith('notification '));
    const [sent, failed, ...more] = notificationLines();
    expect(more).toEqual([]);
    // The SDK's own line for the failure quotes the failure's message: no longer the SMTP reply and its address.
    expect(capture.lines().find((line) => line.msg === 'Activity failed')).toMatchObject({
      err: { type: 'ApplicationFailure', message: 'mail refused (SMTP 550)' },
    });
    const common = {
      service: 'worker',
      workflowId: 'ntk-N1',
      process: 'ntk',
      notification: 'deadline',
      kind: 'overdue',
      deadlineId: 'ntk-cat2-director',
      occurrence: 1,
      toRoles: ['team_manager'],
      recipients: 1,
      messageId: '<ntk-N1.ntk-cat2-director.1.r0.overdue@test.example>',
    };
    expect(sent).toMatchObject({
      ...common,
      level: 'info',
      msg: 'notification sent',
      ccRoles: ['head_of_service'],
      recipients: 2,
      accepted: 2,
      rejected: 0,
      reachedRoles: ['team_manager', 'head_of_service'],
    });
    expect(failed).toMatchObject({
      ...common,
      level: 'warn',
      msg: 'notification failed',
      ccRoles: [],
      failure: 'PermanentSmtpFailure',
      smtpCode: 'EENVELOPE',
      smtpResponseCode: 550,
    });
    expect(capture.text()).not.toMatch(/@example\.test|Deadline missed|Approve the briefing/);

    const nobody = createActivities({ ...testDeps(smtp.port), directory: {} }).sendNotification;
    await expect(inActivity.run(nobody, request())).rejects.toMatchObject({ type: 'NoRecipients' });
    expect(notificationLines().at(-1)).toMatchObject({
      msg: 'notification failed',
      failure: 'NoRecipients',
      recipients: 0,
      unresolvedRoles: ['team_manager', 'head_of_service'],
    });
  });
});
