/** Looked-after child deadlines (statutory-rules §5.3–§5.5). Ids are a public contract. */
import type { DeadlineRule } from '../rules';
import { atEvent, cd, h, months, notify, wd } from './units';

const after = { process: 'lac' as const, direction: 'after' as const };
const before = { process: 'lac' as const, direction: 'before' as const };
const visit = (id: string, label: string, duration: DeadlineRule['duration']): DeadlineRule => ({
  ...after, id, label, action: 'Visit and see the child.', duration, responsible: ['social_worker'], escalation: 'X-VISIT-LAC', source: ['003 QS 9.1'],
});
const review = ['social_worker' as const, 'iro' as const];
const xLacL2 = notify(['social_worker', 'team_manager', 'iro', 'pgl'], [10, ['head_of_service']]);

export const lacRules: DeadlineRule[] = [
  { ...before, id: 'lac-approval', label: 'Care Panel (or, in an emergency, Director) approval before the child becomes looked after', action: 'Obtain approval before the child becomes looked after.', duration: atEvent, responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 14.1'] },
  { ...after, id: 'lac-panel-ratify', label: 'Emergency admission discussed at the next Care Panel', action: 'Take the admission to the next Care Panel.', notComputable: 'due by the date of the next Care Panel', responsible: ['team_manager'], escalation: 'X-LAC', source: ['003 QS 14.1'] },
  // ⚠C-41 [P]: 10 WD for an emergency admission (a gate when planned).
  { ...after, id: 'lac-assessment-before', label: 'Statutory assessment completed (emergency admission)', action: 'Complete the statutory assessment.', duration: wd(10), responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 3.15', '003 QS 14.1'] },
  { ...before, id: 'lac-kinship-explored', label: 'Care by relatives and kinship options explored before the decision', action: 'Explore kinship care before the decision.', duration: atEvent, responsible: ['social_worker', 'team_manager'], escalation: notify(['pgl']), source: ['003 QS 14.3'] },
  // 24 h elapsed; hours_mode locked (§2.4).
  { ...after, id: 'lac-notify-start', label: 'QA service, LAC health team and Virtual School told the child is looked after', action: 'Notify the QA service, the health team and the Virtual School.', duration: h(24), responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 14.6'] },
  { ...after, id: 'lac-info-pack', label: 'Information pack given to the child', action: 'Give the child the information pack at the first visit.', notComputable: 'due at the first visit', responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 14.4'] },
  // ⚠C-13: emergency placement plan in 5 CD (a gate when planned).
  { ...after, id: 'lac-placement-plan', label: 'Placement plan completed, authorised, signed and distributed', action: 'Complete and distribute the placement plan.', duration: cd(5), responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 14.5'] },
  { ...after, id: 'lac-care-plan', label: 'Care plan completed (emergency admission)', action: 'Complete the care plan.', duration: wd(10), responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 14.7'] },
  // ⚠C-12: 20 CD, and before review 1.
  { ...after, id: 'lac-health-initial', label: 'Initial health assessment completed', action: 'Arrange the initial health assessment.', duration: cd(20), responsible: ['social_worker', 'lac_health_team'], escalation: notify(['social_worker', 'team_manager', 'iro', 'lac_health_team'], [5, ['pgl']], [10, ['head_of_service']]), source: ['003 QS 14.11'] },
  // ⚠C-19: 6 months if under 5 at the last assessment.
  { ...after, id: 'lac-health-review', label: 'Health assessment reviewed', action: 'Arrange the health review.', duration: months(12), responsible: ['social_worker', 'lac_health_team'], escalation: 'X-LAC', source: ['003 QS 14.11'] },
  // ⚠C-16: 6 months.
  { ...after, id: 'lac-dental', label: 'Dental check-up', action: 'Arrange the dental check-up.', duration: months(6), responsible: ['social_worker'], escalation: notify(['social_worker', 'team_manager', 'iro']), source: ['003 QS 14.12'] },
  // ⚠C-14: 10 CD in an emergency.
  { ...after, id: 'lac-pep-initiate', label: 'Personal Education Plan started', action: 'Start the PEP with the designated teacher.', duration: cd(10), responsible: ['social_worker', 'designated_teacher'], escalation: notify(['social_worker', 'team_manager', 'iro', 'virtual_school'], [5, ['pgl']], [10, ['head_of_service']]), source: ['003 QS 14.13'] },
  { ...after, id: 'lac-pep-meeting', label: 'PEP meeting held; PEP available for the first review', action: 'Hold the PEP meeting.', duration: cd(20), responsible: ['social_worker', 'designated_teacher'], escalation: notify(['social_worker', 'team_manager', 'iro', 'virtual_school'], [5, ['pgl']], [10, ['head_of_service']]), source: ['003 QS 14.13'] },
  { ...after, id: 'lac-pep-review', label: 'PEP reviewed', action: 'Review the PEP.', duration: months(12), responsible: ['social_worker', 'designated_teacher'], escalation: notify(['social_worker', 'team_manager', 'iro', 'virtual_school'], [5, ['pgl']], [10, ['head_of_service']]), source: ['003 QS 14.13'] },
  { ...before, id: 'lac-education-stability', label: 'Virtual Headteacher consulted before a move in a key school year', action: 'Consult the Virtual Headteacher before the move.', duration: atEvent, responsible: ['social_worker'], escalation: notify(['team_manager', 'virtual_school']), source: ['003 QS 14.14'] },
  { ...after, id: 'lac-annual-assessment', label: 'Statutory assessment to inform a new care plan', action: 'Complete the annual statutory assessment.', duration: months(12), responsible: ['team_manager'], escalation: 'X-LAC', source: ['003 QS 3.15'] },
  { ...before, id: 'lac-assessment-before-return', label: 'Statutory assessment completed before the child returns home', action: 'Complete the assessment before the return home.', duration: atEvent, responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 3.15', '003 QS 14.10', '004 WT ch.1 para 48'] },
  visit('lac-visit-first', 'Child visited within 5 working days of a placement', wd(5)),
  // ⚠C-17: "weekly" = no more than 7 CD between visits.
  visit('lac-visit-weekly', 'Child visited weekly until the first review', cd(7)),
  visit('lac-visit-6-weekly', 'Child visited at least every 6 weeks', cd(42)),
  visit('lac-visit-3-monthly', 'Child visited at least every 3 months (long-term placement after its first year)', months(3)),
  visit('lac-visit-ico-reg24', 'Child visited at least every 4 weeks (ICO or Reg 24 placement)', cd(28)),
  visit('lac-visit-care-order-home-first', 'Child placed with parents under a care order visited within a week', cd(7)),
  visit('lac-visit-care-order-home', 'Child placed with parents under a care order visited at least every 6 weeks', cd(42)),
  visit('lac-visit-adoption-monthly', 'Child placed for adoption visited monthly', months(1)),
  { ...before, id: 'lac-joint-visit-ssw', label: 'Joint visit with the supervising social worker before the next review', action: 'Make a joint visit with the supervising social worker.', duration: atEvent, responsible: ['social_worker', 'ssw'], escalation: 'X-VISIT-LAC', source: ['003 QS 9.1'] },
  { ...after, id: 'lac-review-1', label: 'First looked-after review held', action: 'Hold the first review.', duration: wd(20), responsible: review, escalation: xLacL2, source: ['003 QS 15.3'] },
  { ...after, id: 'lac-review-2', label: 'Second looked-after review held', action: 'Hold the second review.', duration: months(3), responsible: review, escalation: xLacL2, source: ['003 QS 15.3'] },
  { ...after, id: 'lac-review-n', label: 'Looked-after review held', action: 'Hold the review.', duration: months(6), responsible: review, escalation: xLacL2, source: ['003 QS 15.3'] },
  { ...before, id: 'lac-review-consultation', label: 'Consultation forms sent to the child, carers and parents', action: 'Send the consultation forms.', duration: wd(5), responsible: ['qa_bstl'], escalation: notify(['qa_bstl', 'iro'], [5, ['pgl']]), source: ['003 QS 15.2'] },
  { ...before, id: 'lac-review-careplan-check', label: 'IRO satisfied the care plan rests on an up-to-date assessment', action: 'Check the care plan and its assessment.', duration: wd(3), responsible: ['iro'], escalation: 'X-QA-LAC', source: ['003 QS 14.7'] },
  { ...before, id: 'lac-review-plans-qa', label: 'PEP, health care plan and pathway plan quality-assured', action: 'Quality-assure the plans.', duration: wd(3), responsible: ['iro', 'social_worker'], escalation: 'X-LAC', source: ['003 QS 14.7'] },
  // ⚠C-15: "2 days before" read as 2 WD.
  { ...before, id: 'lac-review-report', label: 'Review report completed and available to the child, family and IRO', action: 'Complete the review report.', duration: wd(2), responsible: ['social_worker'], escalation: 'X-LAC', source: ['003 QS 15.1'] },
  { ...after, id: 'lac-iro-recommendations', label: 'IRO’s written record of the recommendations', action: 'Issue the recommendations.', duration: wd(5), responsible: ['iro'], escalation: 'X-QA-LAC', source: ['003 QS 15.7'] },
  { ...after, id: 'lac-iro-record', label: 'IRO’s full record of the review', action: 'Complete the review record.', duration: wd(20), responsible: ['iro'], escalation: 'X-QA-LAC', source: ['003 QS 15.7'] },
  { ...after, id: 'lac-manager-recs-response', label: 'Manager responds to the IRO’s recommendations', action: 'Consider the recommendations; if you disagree, advise those present at the review.', duration: wd(5), responsible: ['team_manager'], escalation: notify(['iro', 'pgl'], [5, ['head_of_service']]), source: ['003 QS 15.7'] },
  { ...before, id: 'lac-permanence-meeting', label: 'Permanence planning meeting held before the second review', action: 'Hold the permanence planning meeting.', duration: atEvent, responsible: ['social_worker', 'team_manager'], escalation: 'X-LAC', source: ['003 QS 14.7', '003 QS 14.17'] },
  { ...before, id: 'lac-permanence-plan', label: 'Permanence plan in place by the second review', action: 'Agree the permanence plan.', duration: atEvent, responsible: ['social_worker', 'team_manager', 'iro'], escalation: xLacL2, source: ['003 QS 14.17'] },
  { ...after, id: 'lac-midpoint-review', label: 'Mid-point review after the IRO’s request', action: 'Hold the mid-point review.', duration: wd(10), responsible: ['iro', 'social_worker'], escalation: 'X-QA-LAC', source: ['003 QS 15.4'] },
  { ...before, id: 'lac-review-before-ceasing', label: 'Review held before the child stops being looked after', action: 'Hold a review before the decision.', duration: atEvent, responsible: ['social_worker', 'iro'], escalation: xLacL2, source: ['003 QS 15.8'] },
];
