/** Child protection plan deadlines (statutory-rules §4.3). Ids are a public contract. */
import type { DeadlineRule } from '../rules';
import { atEvent, h, months, notify, wd, weeks } from './units';

const after = { process: 'cp-plan' as const, direction: 'after' as const };
const before = { process: 'cp-plan' as const, direction: 'before' as const };

export const cpPlanRules: DeadlineRule[] = [
  { ...after, id: 'cp-outcome-circulate', label: 'Conference outcome recorded and circulated', action: 'Record and circulate the conference outcome.', duration: h(24), responsible: ['cp_chair', 'qa_bstl'], escalation: 'X-QA-CP', source: ['003 QS 13.8'] },
  { ...after, id: 'cp-outline-plan', label: 'Outline protection plan produced', action: 'Produce the outline plan.', duration: wd(1), responsible: ['team_manager'], escalation: 'X-CP', source: ['003 QS 13.10'] },
  { ...after, id: 'cp-record-plan-circulate', label: 'Combined conference record and plan circulated', action: 'Circulate the record and the plan.', duration: wd(5), responsible: ['cp_chair', 'qa_bstl'], escalation: 'X-QA-CP', source: ['003 QS 13.8', "004 WT ch.1 'The child protection plan' p.48"] },
  // ⚠C-07: four separate outputs.
  { ...after, id: 'cp-minutes-circulate', label: 'Conference minutes circulated', action: 'Circulate the minutes.', duration: wd(20), responsible: ['cp_chair', 'qa_bstl'], escalation: 'X-QA-CP', source: ['003 QS 13.9'] },
  // 10 WD is the national floor.
  { ...after, id: 'cp-first-core-group', label: 'First core group held: detailed plan agreed and distributed', action: 'Hold the first core group and agree the detailed plan.', duration: wd(10), responsible: ['team_manager', 'social_worker'], escalation: 'X-CP', source: ['003 QS 13.10', '003 QS 13.13', '004 WT ch.1 p.48'] },
  { ...after, id: 'cp-core-group', label: 'Core group meets to monitor progress', action: 'Hold the core group meeting.', duration: weeks(4), responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 13.14'] },
  // ⚠C-10: 10 WD, or the plan's frequency if shorter.
  { ...after, id: 'cp-visit', label: 'Child visited and seen by the social worker', action: 'Visit and see the child; record whether they were seen alone.', duration: wd(10), responsible: ['social_worker'], escalation: 'X-VISIT-CP', source: ['003 QS 9.1', '004 WT ch.1 p.48'] },
  // 3 months and 6 months are national floors.
  { ...after, id: 'cp-first-rcpc', label: 'First review conference held', action: 'Hold the first review conference.', duration: months(3), responsible: ['cp_chair', 'social_worker', 'qa_bstl'], escalation: 'X-CONF', source: ['003 QS 13.15', '004 WT ch.1 pp.48, 50'] },
  { ...after, id: 'cp-rcpc', label: 'Review conference held', action: 'Hold the review conference.', duration: months(6), responsible: ['cp_chair', 'social_worker', 'qa_bstl'], escalation: 'X-CONF', source: ['003 QS 13.15', '004 WT ch.1 p.50'] },
  { ...before, id: 'cp-rcpc-report-share', label: 'Social worker’s report shared before the review conference', action: 'Share the report with the family and the chair.', duration: wd(5), responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 13.16'] },
  // ⚠C-08: review conferences follow the ICPC procedures.
  { ...before, id: 'cp-rcpc-chair-meets-parents', label: 'Chair meets the family before the review conference', action: 'Meet the family before the review.', duration: atEvent, responsible: ['cp_chair'], escalation: notify(['cp_chair', 'qa_bstl']), source: ['004 WT ch.1 p.50', '003 QS 13.7'] },
  { ...before, id: 'cp-rcpc-assessment-updated', label: 'Statutory assessment updated before the review conference', action: 'Update the assessment before the review.', duration: [atEvent, wd(5)], responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 3.16'] },
  // ⚠C-20: 6 months from the last assessment, once the plan is 3 months old.
  { ...after, id: 'cp-assessment-6-monthly', label: 'Statutory assessment completed (plan over 3 months)', action: 'Complete the statutory assessment.', duration: months(6), responsible: ['team_manager'], escalation: 'X-CP', source: ['003 QS 3.15'] },
  // No timescale in the source: [P] 1 WD.
  { ...after, id: 'cp-discontinue-notify', label: 'Every agency invited to the ICPC told that the plan has ended', action: 'Notify every agency invited to the initial conference.', duration: wd(1), responsible: ['social_worker'], escalation: 'X-CP', source: ['004 WT ch.1 p.52'] },
  { ...after, id: 'cp-cin-after-plan', label: 'Child in need planning meeting held', action: 'Hold the child in need planning meeting.', duration: wd(10), responsible: ['social_worker'], escalation: 'X-CP', source: ['003 QS 13.12', '003 QS 13.17', '003 QS 4.1'] },
  { ...after, id: 'cp-transfer-in-conference', label: 'Conference held for a child on a plan who moved into the area', action: 'Hold the transfer-in conference.', duration: wd(15), responsible: ['team_manager', 'qa_bstl', 'cp_chair'], escalation: 'X-CONF', source: ['004 WT ch.1 p.52', '003 QS 2.8'] },
  // ⚠C-42: the plan stays open until the receiving authority's conference.
  { ...after, id: 'cp-transfer-out-watch', label: 'Receiving authority’s conference confirmed', action: 'Chase the receiving authority for its conference.', duration: wd(15), responsible: ['social_worker'], escalation: notify(['team_manager', 'pgl', 'cp_chair']), source: ['004 WT ch.1 p.52'] },
  // ⚠C-40 [P]: held no later than the 18th birthday (anchor: the date of birth); a warning 3 months
  // before so the review is planned in advance.
  { ...after, id: 'cp-age-18-review', label: 'Review held around the 18th birthday to end the plan', action: 'Book and hold the review that ends the plan, no later than the 18th birthday.', duration: months(216), responsible: ['social_worker', 'cp_chair'], escalation: 'X-CONF', warnings: { monthsBefore: 3 }, source: ['004 WT ch.1 p.52'] },
];
