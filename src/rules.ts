/**
 * Deadline rules as data (docs/deadlines.md §1.1). Ids are a public contract: never rename.
 * Escalation profiles are the §1.3 table; a rule names one or carries its own ladder.
 */
import { childProtectionPlanRules } from './processes/child-protection-plan/rules';
import { lookedAfterChildRules } from './processes/looked-after-child/rules';
import { otherRules } from './other-rules';
import { needToKnowRules } from './processes/need-to-know/rules';
import { s47EnquiryRules } from './processes/s47-enquiry/rules';
import type { Role } from './roles';

export type DurationUnit =
  | 'hours'
  | 'working_days'
  | 'ordinal_working_day'
  | 'calendar_days'
  | 'weeks'
  | 'months'
  | 'same_day'
  | 'immediate'
  /** "End of the working day during which [the anchor happened]" (001 NTK s4, ⚠C-22). */
  | 'end_of_working_day';

export interface Duration {
  value: number;
  unit: DurationUnit;
}

/** `responsible` is the rule's own responsible roles (the L0 of §1.3). */
export type Recipient = Role | 'responsible';

export interface EscalationStep {
  after: { value: number; unit: 'hours' | 'working_days' };
  notify: Recipient[];
}

export interface EscalationProfile {
  onBreach: Recipient[];
  escalate: EscalationStep[];
}

export type ProcessKey = 's47' | 'cp-plan' | 'lac' | 'ntk' | 'key-events' | 'cross-cutting';

export const processLabels: Record<ProcessKey, string> = {
  s47: 'Section 47 enquiry',
  'cp-plan': 'Child protection plan',
  lac: 'Looked-after child review cycle',
  ntk: 'Need to Know briefing',
  'key-events': 'Key events',
  'cross-cutting': 'Case obligations',
};

export interface DeadlineRule {
  id: string;
  process: ProcessKey;
  /** The obligation in plain English. */
  label: string;
  /** What the responsible person should do now. */
  action: string;
  /**
   * One reading, or several when the sources are ambiguous (§2.5): the first is the literal
   * (statutory) reading, and the earliest of all drives the timers. Absent when no duration is
   * computable from one instant: then `notComputable` says why and the process sets the due time.
   */
  duration?: Duration | Duration[];
  notComputable?: string;
  direction: 'after' | 'before';
  responsible: Role[];
  escalation: EscalationProfileName | EscalationProfile;
  /**
   * `day_of_due`: one reminder at the start of the working day on which it falls due;
   * `{ monthsBefore }`: one reminder that many months ahead (to plan a meeting in advance);
   * `{ workingDaysBefore, notify }`: one warning that many working days before the due time, to
   * the roles named (the source's own warning, e.g. panel-notify's "due − 2 WD" to the HoS and Director).
   */
  warnings?:
    'default' | 'none' | 'day_of_due' | { monthsBefore: number } | { workingDaysBefore: number; notify: Role[] };
  source: string[];
}

const h = (value: number) => ({ value, unit: 'hours' as const });
const wd = (value: number) => ({ value, unit: 'working_days' as const });

/** §1.3 point 5. All [P] except the X-VISIT notice to the team manager (003 QS 7.5). */
export const escalationProfiles = {
  'X-FRONT': {
    onBreach: ['mash_duty_manager'],
    escalate: [
      { after: h(4), notify: ['pgl'] },
      { after: wd(1), notify: ['head_of_service'] },
    ],
  },
  // The out-of-hours service is added whenever a notice falls outside working hours (§2.4).
  'X-URGENT': { onBreach: ['team_manager', 'pgl'], escalate: [{ after: h(4), notify: ['head_of_service'] }] },
  // X-URGENT at the front door, whose L1 is the MASH duty manager (§1.3 point 4).
  'X-URGENT-FRONT': {
    onBreach: ['mash_duty_manager', 'pgl'],
    escalate: [{ after: h(4), notify: ['head_of_service'] }],
  },
  'X-CP': {
    onBreach: ['responsible', 'team_manager', 'cp_chair', 'qa_bstl'],
    escalate: [
      { after: wd(1), notify: ['pgl'] },
      { after: wd(3), notify: ['head_of_service'] },
    ],
  },
  'X-CONF': {
    onBreach: ['team_manager', 'pgl', 'cp_chair', 'qa_bstl'],
    escalate: [{ after: h(0), notify: ['head_of_service'] }],
  },
  'X-LAC': {
    onBreach: ['responsible', 'team_manager', 'iro'],
    escalate: [
      { after: wd(5), notify: ['pgl'] },
      { after: wd(10), notify: ['head_of_service'] },
    ],
  },
  'X-VISIT-CP': { onBreach: ['team_manager', 'cp_chair'], escalate: [{ after: wd(5), notify: ['pgl'] }] },
  'X-VISIT-LAC': { onBreach: ['team_manager', 'iro'], escalate: [{ after: wd(5), notify: ['pgl'] }] },
  'X-QA-CP': { onBreach: ['qa_bstl'], escalate: [{ after: wd(5), notify: ['pgl'] }] },
  'X-QA-LAC': { onBreach: ['iro_manager'], escalate: [{ after: wd(5), notify: ['pgl'] }] },
  'X-SENIOR': { onBreach: ['head_of_service'], escalate: [{ after: h(0), notify: ['director'] }] },
} as const satisfies Record<string, EscalationProfile>;

export type EscalationProfileName = keyof typeof escalationProfiles;

export const deadlineRules: ReadonlyMap<string, DeadlineRule> = new Map(
  [...s47EnquiryRules, ...childProtectionPlanRules, ...lookedAfterChildRules, ...needToKnowRules, ...otherRules].map(
    (rule) => [rule.id, rule],
  ),
);

export function ruleById(id: string): DeadlineRule {
  const rule = deadlineRules.get(id);
  if (!rule) throw new RangeError(`unknown deadline rule: ${id}`);
  return rule;
}
