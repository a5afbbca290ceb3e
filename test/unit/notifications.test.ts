/** How notices read (pure rendering): the event a process is about, the minimal automatic notice. */
import { describe, expect, it } from 'vitest';
import { renderEmail, type NotificationRequest } from '../../src/notifications';

const context = { workflowId: 'missing-E1', process: 'key-events' as const, caseReference: 'CASE-1', people: {} };
const deadline = {
  type: 'deadline' as const,
  kind: 'overdue' as const,
  deadline: {
    id: 'kev-cj-notify',
    occurrence: 1,
    label: 'IRO and agencies told of a criminal justice event',
    action: 'Make sure the IRO and agencies know.',
    dueAt: '2027-03-10T17:00:00.000Z',
    level: 0,
    source: ['000 KE 2.4'],
  },
};

describe('notices', () => {
  it('a deadline notice names the event, the deadline id and meaning, the London due time and what to do', () => {
    const request: NotificationRequest = {
      context: { ...context, event: 'criminal-justice-event (event E1)' },
      key: 'k',
      to: ['team_manager'],
      content: deadline,
    };
    const { text, subject } = renderEmail(request);
    expect(text).toContain('Event: criminal-justice-event (event E1)');
    expect(text).toContain('Deadline: kev-cj-notify');
    expect(text).toContain('What must happen: IRO and agencies told of a criminal justice event');
    expect(text).toContain('Was due: Wednesday 10 March 2027 at 17:00 (GMT)');
    expect(text).toContain('What to do: Make sure the IRO and agencies know.');
    expect(subject).toBe('[Key events] Deadline missed: kev-cj-notify (case CASE-1, level 0)');
  });

  it('a notice of a process no event started has no event line', () => {
    expect(renderEmail({ context, key: 'k', to: ['team_manager'], content: deadline }).text).not.toContain('Event:');
  });

  it('the minimal automatic notice carries the reference, legal status, item and facts, and no briefing', () => {
    const { text, subject } = renderEmail({
      context: { ...context, process: 'ntk' },
      key: 'k',
      to: ['director'],
      content: {
        type: 'briefing',
        variant: 'minimal',
        category: 2,
        item: 4,
        version: 1,
        automatic: {
          trigger: 'ntk-trigger-lac-missing',
          raisedFrom: 'missing-E1',
          child: { reference: 'CH-1', legalStatus: 'care_order' },
          facts: 'Missing 48 hours.',
        },
      },
    });
    expect(subject).toContain('automatic notice, NO BRIEFING DRAFTED YET');
    expect(text).toContain('1. Child: ref CH-1, legal status care_order');
    expect(text).toContain('Raised automatically by: ntk-trigger-lac-missing');
    expect(text).toContain('Known facts: Missing 48 hours.');
    expect(text).not.toContain('2. Nature of the concern');
  });
});
