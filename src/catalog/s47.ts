/** Section 47 enquiry deadlines (statutory-rules §3.4). Ids are a public contract. */
import type { DeadlineRule } from '../rules';
import { atEvent, h, immediate, notify, sameDay, wd } from './units';

const s47 = { process: 's47' as const, direction: 'after' as const };
const strategy = (id: string, label: string, duration: DeadlineRule['duration']): DeadlineRule => ({
  ...s47,
  id,
  label,
  action: 'Hold the strategy discussion (social care, police and health) and record its outcome.',
  duration,
  responsible: ['team_manager'],
  escalation: 'X-URGENT',
  source: ['003 QS 11.1'],
});

export const s47Rules: DeadlineRule[] = [
  { ...s47, id: 'contact-screen', label: 'Contact screened and evaluated; risk and likelihood of significant harm identified', action: 'Screen the contact and record the risk.', duration: h(24), responsible: ['mash_duty_manager'], escalation: 'X-FRONT', source: ['003 QS 2.11'] },
  { ...s47, id: 'contact-finalise', label: 'Contact finalised: decision, rationale, management oversight and second-manager sign-off', action: 'Record the MASH decision and have a different manager sign it off.', duration: h(24), responsible: ['mash_duty_manager', 'mash_second_manager'], escalation: 'X-FRONT', source: ['003 QS 2.12', '003 QS 2.15'] },
  // 4 h for a child protection referral or police notification; hours_mode locked to elapsed (§2.4).
  { ...s47, id: 'contact-finalise-cp', label: 'Child protection referral or police notification finalised and progressed', action: 'Record the MASH decision, have it signed off and progress the case now.', duration: h(4), responsible: ['mash_duty_manager'], escalation: 'X-URGENT-FRONT', source: ['003 QS 2.15'] },
  { ...s47, id: 'contact-13wk-notify', label: '13-week rule: the last team and manager notified and the case sent to them', action: 'Notify the last team and manager and send them the case.', duration: immediate, responsible: ['mash_duty_manager'], escalation: 'X-FRONT', source: ['003 QS 2.16'] },
  // No timescale in the source: [P] 24 h from receipt, as contact-finalise.
  { ...s47, id: 'contact-other-la-notify', label: 'Written notification to the other local authority', action: 'Notify the other authority in writing (and QA if the child has a plan or is looked after there).', duration: h(24), responsible: ['mash_officer'], escalation: 'X-FRONT', source: ['003 QS 2.8'] },
  // ⚠C-03: 1 WD, acknowledged at the earlier of 1 WD and 48 h.
  { ...s47, id: 'referral-ack-decision', label: 'Receipt acknowledged to the referrer and a decision made on the response', action: 'Acknowledge the referral and record the decision on next steps.', duration: [wd(1), h(48)], responsible: ['social_worker', 'mash_duty_manager'], escalation: 'X-FRONT', source: ['004 WT ch.1 para 71', '003 QS 2.13'] },
  { ...s47, id: 'referrer-feedback', label: 'Written feedback on the decision sent to the referrer', action: 'Send the referrer written feedback and add a case note.', duration: h(48), responsible: ['mash_officer'], escalation: 'X-FRONT', source: ['003 QS 2.13', '004 WT ch.1 para 22'] },
  { ...s47, id: 'assessment-see-child', label: 'Child seen for a new statutory assessment', action: 'See the child; if not seen, record the reasons and have them authorised.', duration: wd(5), responsible: ['social_worker'], escalation: notify(['team_manager'], [5, ['pgl']]), source: ['003 QS 3.3', '004 WT ch.1 para 71'] },
  { ...s47, id: 'assessment-checkpoint', label: 'Manager reviews the assessment’s progress at a checkpoint', action: 'Review progress: complete, or extend with a new target date.', notComputable: 'each checkpoint date is set by the manager at allocation', responsible: ['team_manager'], escalation: notify(['team_manager'], [5, ['pgl']]), source: ['003 QS 3.2'] },
  // 45 WD is the national floor (004 WT ch.1 para 75); [P] L1 at breach, L2 + 5 WD, L3 + 10 WD.
  { ...s47, id: 'assessment-complete', label: 'Assessment concluded and authorised', action: 'Complete and authorise the assessment; past 45 working days, record the reasons.', duration: wd(45), responsible: ['social_worker', 'team_manager'], escalation: notify(['team_manager'], [5, ['pgl']], [10, ['head_of_service']]), source: ['004 WT ch.1 para 75', '003 QS 3.14'] },
  // ⚠C-01: 48 h elapsed for standard (the alternative reading is 3 WD).
  strategy('strategy-standard', 'Strategy discussion held (standard)', h(48)),
  strategy('strategy-serious-risk', 'Strategy discussion held the same day: serious risk', sameDay),
  strategy('strategy-psa', 'Strategy discussion held the same day: penetrative sexual abuse', sameDay),
  // ⚠C-39: 1 WD, never later than 48 h.
  strategy('strategy-immediate-action', 'Strategy discussion held: immediate action required', [wd(1), h(48)]),
  strategy('strategy-staff-allegation', 'Strategy discussion held: allegation against staff', [wd(1), h(48)]),
  strategy('strategy-complex', 'Strategy discussion held: complex concerns (manager classification with rationale)', wd(5)),
  { ...strategy('strategy-post-emergency', 'Strategy discussion after emergency action', immediate), responsible: ['social_worker'], source: ["004 WT ch.1 'Immediate protection' (section from p.31)"] },
  { ...s47, id: 'strategy-icpc-request', label: 'ICPC requested from the QA team and invite list sent', action: 'Request the conference and send the invite list to the QA team.', duration: h(24), responsible: ['team_manager', 'social_worker'], escalation: 'X-CP', source: ['003 QS 11.4'] },
  { ...s47, id: 'strategy-record-circulate', label: 'Strategy record circulated by secure email to all invitees', action: 'Circulate the record of the discussion to every invitee.', duration: h(48), responsible: ['team_manager'], escalation: 'X-CP', source: ['003 QS 11.7', '004 WT ch.1 p.38'] },
  // [P] Not in the spec index: each immediate action of a strategy discussion (003 QS 11.4 "SMART"),
  // with the owner and due instant the discussion set.
  { ...s47, id: 'strategy-action', label: 'Immediate action agreed at the strategy discussion', action: 'Complete the agreed action and record it.', notComputable: 'due as set by the strategy discussion', responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 11.4'] },
  // ⚠C-04: ordinal "by day 5": the strategy day is day 1.
  { ...s47, id: 's47-decision', label: 'S47 outcome decided: not substantiated, or substantiated with an ICPC', action: 'Decide the outcome of the enquiry with your manager.', duration: { value: 5, unit: 'ordinal_working_day' }, responsible: ['social_worker', 'team_manager'], escalation: 'X-CP', source: ['003 QS 12.1', '003 QS 12.8', '003 QS 13.2'] },
  // ⚠C-43: 5 WD from the S47-initiating discussion.
  { ...s47, id: 's47-manager-signoff', label: 'S47 enquiry signed off by a manager', action: 'Sign off the enquiry.', duration: wd(5), responsible: ['team_manager'], escalation: 'X-CP', source: ['003 QS 12.1'] },
  { ...s47, id: 's47-icpc-request-confirm', label: 'ICPC request confirmed and invite list sent to the QA team', action: 'Confirm the conference request and send the invite list.', duration: { value: 5, unit: 'ordinal_working_day' }, responsible: ['social_worker', 'team_manager'], escalation: 'X-CP', source: ['003 QS 13.2'] },
  // 15 WD is the national floor, from the S47-initiating discussion (⚠C-36).
  { ...s47, id: 'icpc-held', label: 'Initial child protection conference held', action: 'Hold the conference; if late, record the reason.', duration: wd(15), responsible: ['team_manager', 'qa_bstl', 'cp_chair'], escalation: 'X-CONF', source: ['003 QS 13.3', "004 WT ch.1 'Outcome of section 47 enquiries' p.44"] },
  { id: 'icpc-chair-meets-parents', process: 's47', direction: 'before', label: 'Chair meets the parents (and the child where appropriate) before the conference', action: 'Meet the parents before the conference.', duration: atEvent, responsible: ['cp_chair'], escalation: notify(['cp_chair', 'qa_bstl']), source: ['003 QS 13.3', '003 QS 13.7', '004 WT ch.1 p.46'] },
  // A gate, operationally due with the report to the chair.
  { id: 'icpc-assessment-updated', process: 's47', direction: 'before', label: 'Statutory assessment updated before the conference', action: 'Update the assessment before the conference.', duration: [atEvent, wd(2), h(48)], responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 3.16'] },
  // ⚠C-06: both report deadlines fall at the earlier of 48 h and 2 WD before the start.
  { id: 'icpc-report-family', process: 's47', direction: 'before', label: 'Social work report shared with the parents or carers', action: 'Share the report with the family.', duration: [h(48), wd(2)], responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 13.6', '004 WT ch.1 p.46'] },
  { id: 'icpc-report-chair', process: 's47', direction: 'before', label: 'Report available to the conference chair', action: 'Send the report to the chair.', duration: [wd(2), h(48)], responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 13.6'] },
];
