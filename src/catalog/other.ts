/**
 * Key events, senior leadership and Panel notifications (§7), Need to Know triggers (§6.4) and the
 * cross-cutting obligations (§8). Most durations here are [P]: the sources give none (⚠C-29).
 */
import type { DeadlineRule } from '../rules';
import { atEvent, endOfWorkingDay, h, immediate, months, notify, wd, weeks } from './units';

const rule = (process: DeadlineRule['process']) => ({ process, direction: 'after' as const });
const kev = rule('key-events');
const ntk = rule('ntk');
const all = rule('cross-cutting');
const toManager = notify(['team_manager']);
const visitRoute = notify(['team_manager'], [5, ['pgl']]);

export const otherRules: DeadlineRule[] = [
  // ⚠C-29 [P]: EOD the same working day (out of hours: the next start of a working day, as ⚠C-22).
  { ...kev, id: 'kev-placement-advise', label: 'Child in Care business support told of the placement change', action: 'Tell business support about the change.', duration: endOfWorkingDay, responsible: ['social_worker'], escalation: toManager, source: ['000 KE 2.1'] },
  { ...kev, id: 'kev-placement-notify', label: 'IRO, school, Virtual School, GP and others told of the placement change', action: 'Notify the IRO, the school, the Virtual School, the GP and the others.', duration: wd(1), responsible: ['cic_business_support'], escalation: notify(['team_manager', 'iro_manager']), source: ['000 KE 2.1'] },
  { ...kev, id: 'kev-gp-registration', label: 'Child registered with a GP in the new area', action: 'Arrange the GP registration.', duration: wd(10), responsible: ['social_worker'], escalation: notify(['team_manager', 'lac_health_team']), source: ['000 KE 2.1'] },
  // [P] 1 WD; 24 h elapsed when the harm is serious (the process chooses).
  { ...kev, id: 'kev-harm-notify', label: 'IRO, lead health professional and agencies told the child was harmed', action: 'Inform the IRO and the professionals involved.', duration: wd(1), responsible: ['social_worker'], escalation: toManager, source: ['000 KE 2.3'] },
  { ...kev, id: 'kev-harm-route', label: 'Decision on an S47 enquiry and a Need to Know briefing after harm', action: 'Decide on an S47 enquiry through the MASH and on a Need to Know briefing.', duration: immediate, responsible: ['social_worker', 'team_manager'], escalation: notify(['pgl']), source: ['000 KE 2.3'] },
  { ...kev, id: 'kev-cj-notify', label: 'IRO and agencies told of a criminal justice event', action: 'Make sure the IRO and agencies know.', duration: wd(1), responsible: ['social_worker'], escalation: toManager, source: ['000 KE 2.4'] },
  { ...kev, id: 'kev-missing', label: 'Local Missing Children procedure followed', action: 'Follow the Missing Children procedure.', notComputable: 'the local Missing Children procedure was not supplied', responsible: ['social_worker'], escalation: toManager, source: ['000 KE 2.2'] },
  { ...kev, id: 'slt-mash-referral', label: 'Serious injury or safeguarding concern referred through the MASH', action: 'Refer the concern to the MASH now.', duration: immediate, responsible: ['social_worker'], escalation: 'X-FRONT', source: ['002 SLN s1'] },
  { ...kev, id: 'slt-notify', label: 'Senior Leadership notification completed', action: 'Complete the Senior Leadership notification.', duration: endOfWorkingDay, responsible: ['pgl', 'head_of_service'], escalation: 'X-SENIOR', source: ['002 SLN s1', '002 SLN s2'] },
  // ⚠C-26: fires at ≥ 72 h.
  { ...kev, id: 'slt-trigger-missing', label: 'Senior Leadership notification raised: missing 72 hours with exploitation concerns', action: 'Raise the Senior Leadership notification.', duration: h(72), responsible: ['social_worker'], escalation: 'X-SENIOR', source: ['002 SLN s2'] },
  { ...kev, id: 'slt-update', label: 'Updated Senior Leadership notification', action: 'Send the updated notification.', duration: wd(1), responsible: ['pgl', 'head_of_service'], escalation: 'X-SENIOR', source: ['002 SLN s1'] },
  { ...kev, id: 'slt-record', label: 'Notification attached to the child’s record', action: 'Attach the notification to the HOS Notification case note.', duration: wd(1), responsible: ['pgl', 'head_of_service'], escalation: notify(['head_of_service']), source: ['002 SLN s3'] },
  { ...kev, id: 'panel-criteria-decision', label: 'Decision whether the incident meets the Panel criteria', action: 'Decide whether the Panel criteria are met.', duration: wd(2), responsible: ['head_of_service'], escalation: 'X-SENIOR', source: ['004 WT ch.4 paras 10–12'] },
  // ⚠C-27: 5 WD (5 CD for the death of a looked-after child: the process chooses).
  { ...kev, id: 'panel-notify', label: 'Child Safeguarding Practice Review Panel notified', action: 'Notify the Panel.', duration: wd(5), responsible: ['head_of_service'], escalation: 'X-SENIOR', source: ['004 WT ch.4 para 12', '002 SLN'] },
  { ...kev, id: 'panel-partners-notify', label: 'Safeguarding partners told of the event', action: 'Report the event to the safeguarding partners.', duration: wd(5), responsible: ['head_of_service'], escalation: 'X-SENIOR', source: ['004 WT ch.4 para 12'] },
  // ⚠C-28 [P]: as panel-notify.
  { ...kev, id: 'panel-sos-ofsted-lac-death', label: 'Secretary of State and Ofsted told of a looked-after child’s death', action: 'Notify the Secretary of State and Ofsted.', duration: wd(5), responsible: ['head_of_service'], escalation: 'X-SENIOR', source: ['004 WT ch.4 para 13'] },
  { ...ntk, id: 'ntk-trigger-lac-missing', label: 'Need to Know raised: looked-after child missing 48 hours', action: 'Raise a category 2 briefing.', duration: h(48), responsible: ['social_worker'], escalation: 'X-SENIOR', source: ['001 NTK s2 item 4'] },
  { ...ntk, id: 'ntk-trigger-cp-missing', label: 'Need to Know raised: child on a plan missing 72 hours', action: 'Raise a category 2 briefing.', duration: h(72), responsible: ['social_worker'], escalation: 'X-SENIOR', source: ['001 NTK s2 item 5'] },
  { ...ntk, id: 'ntk-trigger-out-of-education', label: 'Need to Know raised: out of education for 3 months', action: 'Raise a category 3 briefing.', duration: months(3), responsible: ['social_worker'], escalation: 'X-SENIOR', source: ['001 NTK s3 item 6'] },
  { ...ntk, id: 'ntk-trigger-end-of-life', label: 'Need to Know raised: looked-after child expected to die within 12 months', action: 'Raise a category 3 briefing.', duration: immediate, responsible: ['social_worker'], escalation: 'X-SENIOR', source: ['001 NTK s3 item 9'] },
  { ...all, id: 'sup-cp', label: 'Case supervised and recorded (child protection)', action: 'Hold and record supervision.', duration: months(1), responsible: ['team_manager'], escalation: notify(['team_manager', 'pgl'], [10, ['head_of_service']]), source: ['003 QS 8.1–8.5'] },
  { ...all, id: 'sup-standard', label: 'Case supervised and recorded', action: 'Hold and record supervision.', duration: months(3), responsible: ['team_manager'], escalation: notify(['team_manager', 'pgl'], [10, ['head_of_service']]), source: ['003 QS 8.1'] },
  // ⚠C-31: elapsed (wd_equivalent allowed).
  { ...all, id: 'case-record', label: 'Case records up to date', action: 'Record the event on the case file.', duration: h(24), responsible: ['social_worker'], escalation: notify(['social_worker'], [1, ['team_manager']]), source: ['003 QS 7.3'] },
  { ...all, id: 'asmt-annual', label: 'Statutory assessment updated at least once in 12 months', action: 'Update the statutory assessment.', duration: months(12), responsible: ['social_worker', 'team_manager'], escalation: notify(['team_manager'], [10, ['pgl']]), source: ['003 QS 3.16'] },
  { ...all, id: 'asmt-open-12m', label: 'Statutory assessment completed when a case stays open beyond 12 months', action: 'Complete the assessment before keeping the case open.', duration: months(12), responsible: ['team_manager'], escalation: notify(['team_manager', 'pgl']), source: ['003 QS 3.15'] },
  { ...all, direction: 'before', id: 'asmt-before-change', label: 'Statutory assessment updated before a significant care-plan change or a return home', action: 'Update the assessment first.', duration: atEvent, responsible: ['social_worker'], escalation: toManager, source: ['003 QS 3.15', '003 QS 3.16'] },
  { ...all, id: 'cin-visit', label: 'Child in need visited', action: 'Visit the child.', duration: weeks(4), responsible: ['social_worker'], escalation: visitRoute, source: ['003 QS 9.1', '003 QS 4.3'] },
  { ...all, id: 'dct-visit-short-breaks', label: 'Disabled child with overnight short breaks visited', action: 'Visit the child.', duration: weeks(6), responsible: ['social_worker'], escalation: visitRoute, source: ['003 QS 9.1', '003 QS 5.6'] },
  { ...all, id: 'dct-seen-in-short-break', label: 'Disabled child seen in the short-break placement', action: 'See the child in the short-break placement.', duration: months(12), responsible: ['social_worker'], escalation: visitRoute, source: ['003 QS 9.1', '003 QS 5.6'] },
  { ...all, id: 'dct-visit-no-short-breaks', label: 'Disabled child without overnight short breaks visited', action: 'Visit the child.', duration: weeks(12), responsible: ['social_worker'], escalation: visitRoute, source: ['003 QS 9.1', '003 QS 5.6'] },
  // ⚠C-38: the 24 h target is the warning; 3 WD is the limit.
  { ...all, id: 'comms-ack', label: 'Email, call or message acknowledged', action: 'Acknowledge the message.', duration: wd(3), responsible: ['social_worker'], escalation: toManager, source: ['003 QS 1'] },
];

