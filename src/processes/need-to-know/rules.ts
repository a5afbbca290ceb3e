import type { DeadlineRule } from '../../rules';
import { h, wd } from '../../rule-units';

/** Need to Know (docs/deadlines.md §6.4). */
/** The briefing reaches the Director by EOD, or the latest draft goes anyway (001 NTK s4). */
const briefingToDirector = {
  action:
    'Approve or amend and approve the briefing; otherwise the latest draft goes to the Director unreviewed at the deadline.',
  duration: { value: 0, unit: 'end_of_working_day' },
  direction: 'after',
  responsible: ['pgl'],
  // [S] On a miss the workflow itself sends the latest draft to the Director (001 NTK s4);
  // these notices only fire if even that send could not be made.
  escalation: { onBreach: ['pgl', 'head_of_service', 'team_manager'], escalate: [] },
  source: ['001 NTK s4'],
} as const satisfies Partial<DeadlineRule>;

export const needToKnowRules: DeadlineRule[] = [
  {
    id: 'ntk-cat2-draft',
    process: 'ntk',
    label: 'Briefing drafted and sent to the Practice Group Lead, copied to the Head of Service',
    action: 'Send the draft briefing (the five sections) to the Practice Group Lead now.',
    // "Immediate" has no number in the source: [P] ntk.draft_sla = 2 h, or the Director deadline if earlier.
    duration: [h(2), { value: 0, unit: 'end_of_working_day' }],
    direction: 'after',
    responsible: ['social_worker', 'advanced_practitioner'],
    escalation: { onBreach: ['team_manager', 'pgl'], escalate: [] },
    source: ['001 NTK s4'],
  },
  {
    id: 'ntk-cat2-director',
    process: 'ntk',
    label: 'Director has the briefing (approved, or the latest draft marked not yet reviewed)',
    // End of the working day during which the concern arose; out of hours: next SOD (⚠C-22).
    ...briefingToDirector,
  },
  {
    id: 'ntk-cat3-hos-decision',
    process: 'ntk',
    label: 'Head of Service decides whether the Director is to be briefed',
    action: 'Record your decision: inform the Director, or do not inform with a rationale.',
    // No timescale in the source; [P] the same instant as ntk-cat2-director would be (⚠C-24).
    duration: { value: 0, unit: 'end_of_working_day' },
    direction: 'after',
    responsible: ['head_of_service'],
    escalation: { onBreach: ['head_of_service', 'pgl'], escalate: [{ after: wd(1), notify: ['director'] }] },
    source: ['001 NTK s3', '001 NTK s4'],
  },
  {
    id: 'ntk-cat3-director',
    process: 'ntk',
    label: 'Full briefing reaches the Director after the decision to inform',
    // EOD of the working day of the HoS decision; out of hours as ntk-cat2-director.
    ...briefingToDirector,
  },
  {
    id: 'ntk-update-due',
    process: 'ntk',
    label: 'Update sent to the Director by the date promised in the briefing',
    action:
      'Send the Director the promised update and give the date of the next one, or record that the matter is closed.',
    // The stated date, at EOD (anchor: that date's start; 0 calendar days).
    duration: { value: 0, unit: 'calendar_days' },
    direction: 'after',
    responsible: ['social_worker', 'advanced_practitioner'],
    escalation: { onBreach: ['responsible', 'pgl'], escalate: [{ after: wd(1), notify: ['head_of_service'] }] },
    warnings: 'day_of_due',
    source: ['001 NTK s4 item 4'],
  },
];
