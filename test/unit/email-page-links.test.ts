/** Each email links to its item's page when the pages' address is known (PUBLIC_URL); none otherwise. */
import { describe, expect, it } from 'vitest';
import { renderEmail, type NotificationRequest } from '../../src/notifications';
import { ntkInput } from '../helpers/need-to-know';

const notice: NotificationRequest = {
  context: { workflowId: 'cpp-P 1', process: 'cp-plan', caseReference: 'CASE-1', people: {} },
  key: 'k',
  to: ['team_manager'],
  content: {
    type: 'deadline',
    kind: 'warning',
    deadline: {
      id: 'cp-visit',
      occurrence: 1,
      label: 'Child visited',
      action: 'Visit.',
      dueAt: '2027-03-10T17:00:00.000Z',
      level: 0,
      source: ['003 QS'],
    },
  },
};

const draft = (variant: 'draft' | 'approved'): NotificationRequest => ({
  context: { workflowId: 'ntk-B1', process: 'ntk', caseReference: 'CASE-B1', people: {} },
  key: 'k',
  to: ['pgl'],
  content: {
    type: 'briefing',
    variant,
    category: 2,
    item: 4,
    version: 1,
    briefing: ntkInput('B1', '2027-03-01T10:00:00Z').briefing,
  },
});

describe('links from emails to the pages', () => {
  it('a deadline notice links to its process’s page, the id encoded', () => {
    const { text, html } = renderEmail(notice, { pagesUrl: 'https://deadlines.council.example' });
    expect(text).toContain('Open in the service: https://deadlines.council.example/child-protection-plans/P%201');
    expect(html).toContain('https://deadlines.council.example/child-protection-plans/P%201');
  });

  it('a draft briefing links to the PGL’s review page; the approved one to the briefing’s page', () => {
    const pagesUrl = 'https://deadlines.council.example';
    expect(renderEmail(draft('draft'), { pagesUrl }).text).toContain(
      'Open in the service: https://deadlines.council.example/need-to-know/B1/review',
    );
    expect(renderEmail(draft('approved'), { pagesUrl }).text).toContain(
      'Open in the service: https://deadlines.council.example/need-to-know/B1\n',
    );
  });

  it('says nothing of pages without their address, or for a workflow id of no known process', () => {
    expect(renderEmail(notice).text).not.toContain('Open in the service');
    const unknown = { ...notice, context: { ...notice.context, workflowId: 'zzz-1' } };
    expect(renderEmail(unknown, { pagesUrl: 'https://x.example' }).text).not.toContain('Open in the service');
  });
});
