/**
 * The readings register: where the sources conflict or leave a question open, the reading this
 * service implements (the stricter one) and the alternative. Cited in the code as ⚠C-nn and listed
 * in docs/deadlines.md §10 (`npm run docs`). Pure data: no I/O.
 */

export interface Reading {
  /** `C-nn`, cited as ⚠C-nn; never renumbered. */
  id: string;
  topic: string;
  /** What the sources say, in plain words. */
  sources: string;
  /** The reading the service implements: the stricter one unless the sources agree. */
  reading: string;
  /** The other reading an authority might prefer. None of these is a setting of the service yet. */
  alternative: string;
  /** The source citations, as in the rule catalogue (`003 QS 11.1`, `004 WT ch.1 p.44`). */
  cites: string[];
  /** The date a reading was settled with the service's owners, when it was. */
  settled?: string;
  /** What the service does not model yet, when the reading is not (fully) built. */
  notBuilt?: string;
}

export const readings: Reading[] = [
  {
    id: 'C-01',
    topic: 'Strategy discussion time limit',
    sources:
      'The heading of 003 QS 11.1 says "a maximum of 48 hours" from the referral; its text says three working days, with shorter limits for some categories (the same day; 1 WD) and up to 5 WD when complex. 004 WT gives no number.',
    reading:
      '48 h elapsed for a standard strategy discussion. The 1 WD categories are also capped at 48 h (⚠C-39). `complex` (5 WD) only when a manager classifies it, with a rationale, before the 48 h falls due; the PGL is told.',
    alternative: '3 WD for a standard discussion; no complex category.',
    cites: ['003 QS 11.1', "004 WT ch.1 'Strategy discussion' p.38"],
  },
  {
    id: 'C-02',
    topic: 'What "referral" means as an anchor',
    sources:
      '004 WT calls anything children’s social care receives a referral. 003 QS receives a "contact", which becomes a referral only after the MASH decision.',
    reading:
      'Every front-door clock (the 1 WD decision, the 45 WD assessment, the strategy discussion, seeing the child) counts from when the contact was received. For a concern on an open case, the strategy clock counts from when the concern was identified.',
    alternative: 'Count from the MASH decision; never for the national 1 WD and 45 WD limits.',
    cites: ['004 WT ch.1 paras 17, 71, 75', '003 QS 2.15'],
  },
  {
    id: 'C-03',
    topic: 'Acknowledging and answering the referrer',
    sources:
      '004 WT: acknowledge receipt and decide within 1 WD. 003 QS: acknowledge and give written feedback within 48 h; screen within 24 h; finalise within 24 h, or 4 h for a child protection referral.',
    reading:
      'All of them apply. The acknowledgement and decision are due at the earlier of 1 WD and 48 h; the written feedback at 48 h elapsed.',
    alternative: 'Written feedback within 2 WD.',
    cites: ['004 WT ch.1 para 71', '003 QS 2.11', '003 QS 2.13', '003 QS 2.15'],
  },
  {
    id: 'C-04',
    topic: 'When the S47 decision is due',
    sources:
      '003 QS 12.1: a decision "within 5 working days". 003 QS 13.2: "by day 5 of the S47" the ICPC request is confirmed.',
    reading:
      'Ordinal: the day of the strategy discussion is day 1, so the decision is due at EOD on the fourth working day after it (§2.3).',
    alternative: 'Within 5 WD: a working day later.',
    cites: ['003 QS 12.1', '003 QS 13.2'],
  },
  {
    id: 'C-05',
    topic: 'The S47 decision and the assessment limit',
    sources:
      '003 QS: the S47 enquiry and the statutory assessment start together. 004 WT: the assessment has 45 WD from the referral.',
    reading:
      'Not a conflict. The S47 outcome is due by day 5; the statutory assessment runs on to its own 45 WD, whatever path started it. Both clocks run, and the conference does not end the assessment.',
    alternative: 'None.',
    cites: ['003 QS 12.1', '003 QS 12.7', '004 WT ch.1 para 75'],
  },
  {
    id: 'C-06',
    topic: 'ICPC report lead time',
    sources:
      '003 QS 13.6: the report is shared with the family "48 hours prior" and with the chair "2 working days prior".',
    reading: 'Both deadlines fall at the earlier of 48 h and EOD 2 WD before the conference starts.',
    alternative: 'The family’s deadline at 48 h before only.',
    cites: ['003 QS 13.6'],
  },
  {
    id: 'C-07',
    topic: 'What a conference produces afterwards',
    sources:
      '003 QS: the outcome circulated within 24 h, the record and plan within 5 WD, the minutes within 20 WD, an outline plan within 1 WD. 004 WT leaves the timing to the authority.',
    reading:
      'Four separate deadlines: `cp-outcome-circulate`, `cp-outline-plan`, `cp-record-plan-circulate` and `cp-minutes-circulate`.',
    alternative: 'Treat the record and the minutes as one document: 5 WD governs and `cp-minutes-circulate` goes.',
    cites: ['003 QS 13.8', '003 QS 13.9', '003 QS 13.10', "004 WT ch.1 'The child protection plan' p.48"],
  },
  {
    id: 'C-08',
    topic: 'ICPC procedures at review conferences',
    sources:
      '003 QS speaks only of the ICPC. 004 WT: a review conference is prepared and decided the same way as the ICPC.',
    reading:
      'Review conferences produce the same outputs (bar the outline plan) and have the chair-meets-parents gate; the report for a review is due 5 WD before it (003 QS 13.16).',
    alternative: 'Review conferences without the ICPC’s rules.',
    cites: ['003 QS 13.6–13.10', '003 QS 13.16', '004 WT ch.1 p.50'],
  },
  {
    id: 'C-09',
    topic: 'Child protection visits "until the first review"',
    sources: '003 QS 9.1: every 10 WD "from the Protection Plan being put in place until the first review".',
    reading: 'The first review is the first review conference. The first visit is due 10 WD from the plan’s start.',
    alternative: 'A first visit at the plan’s start (stricter).',
    cites: ['003 QS 9.1'],
  },
  {
    id: 'C-10',
    topic: 'The plan’s visiting frequency and the minimum',
    sources:
      '003 QS 9.1: after the first review the plan sets the frequency, at least every 10 WD; visits will often need to be more frequent.',
    reading:
      'The shorter of the plan’s interval and 10 WD, before and after the first review. A plan may never set a laxer interval.',
    alternative: 'None.',
    cites: ['003 QS 9.1', '003 QS 13.14'],
  },
  {
    id: 'C-11',
    topic: 'Intervals: "every N", "intervals of not more than N"',
    sources: 'No source says whether an interval runs from the last actual event or from the last due date.',
    reading:
      'From the last actual occurrence: the literal meaning of an interval, and one late event is not penalised twice (§9).',
    alternative: 'From the previous due date (stricter after a late event).',
    cites: ['003 QS 9.1', '003 QS 13.14', '003 QS 13.15'],
  },
  {
    id: 'C-12',
    topic: '"20 days" and "20 working days" in care',
    sources:
      '003 QS: the health assessment "within the first 20 days and before the first … Review, 3 months"; the PEP "within 20 days"; the first review "within 20 working days".',
    reading:
      'The initial health assessment and the PEP meeting within 20 calendar days and before the first review, whichever is earlier. The "3 months" is read as a slip: the second review is the one at 3 months.',
    alternative: '20 WD for the health assessment and the PEP meeting.',
    cites: ['003 QS 14.11', '003 QS 14.13', '003 QS 15.3'],
  },
  {
    id: 'C-13',
    topic: 'Emergency placement plan "within 5 days"',
    sources: '003 QS 14.5: "within 5 days" of the placement’s start, with no unit.',
    reading:
      '5 calendar days, moved back off a non-working day (§2.3). A planned placement has it as a gate before it starts.',
    alternative: '5 WD.',
    cites: ['003 QS 14.5'],
  },
  {
    id: 'C-14',
    topic: 'PEP timings and scope',
    sources:
      '003 QS 14.13: the PEP is started before the child becomes looked after, or within "10 days" in an emergency; its meeting is held within "20 days"; it is reviewed "yearly or more frequent". No age range is given.',
    reading:
      '10 and 20 calendar days; reviewed every 12 months; only for a child of school age (the start gives the education details). National PEP guidance, outside these sources, often expects more frequent reviews.',
    alternative: 'Working days; a shorter review interval; another age range.',
    cites: ['003 QS 14.13'],
  },
  {
    id: 'C-15',
    topic: 'Looked-after review report "2 days prior"',
    sources: '003 QS 15.1 gives no unit.',
    reading: '2 WD before the review: counting back, working days give the earlier time (§2.5).',
    alternative: '2 calendar days.',
    cites: ['003 QS 15.1'],
  },
  {
    id: 'C-16',
    topic: 'Dental checks',
    sources: '003 QS 14.12: the standard says "annual"; its description says "minimum 6 monthly".',
    reading: 'Every 6 months.',
    alternative: 'Every 12 months.',
    cites: ['003 QS 14.12'],
  },
  {
    id: 'C-17',
    topic: 'Looked-after visiting phases',
    sources:
      '003 QS 9.1: within 5 WD of a placement, weekly until the first review, then at least 6-weekly in the first year, and 3-monthly afterwards only where the placement is ratified as long-term. It leaves open whose first year, what "weekly" means, and whether a new placement starts again.',
    reading:
      'The first year of the current placement. 3-monthly only once ratified and that year is over; otherwise 6-weekly continues. "Weekly" is no more than 7 calendar days between visits. Every new placement gets a visit within 5 WD.',
    alternative: 'The year counted from becoming looked after; one visit per calendar week.',
    cites: ['003 QS 9.1'],
  },
  {
    id: 'C-18',
    topic: 'ICO, Reg 24 and adoption visiting',
    sources:
      '003 QS 9.1: ICO and Reg 24 placements weekly until the first review, then at most 4-weekly until the carer is approved or the final hearing, with nothing said after; adoption weekly until the "first review", of an episode it does not name.',
    reading:
      'After the approval or the final hearing, the standard 6-weekly and 3-monthly rules. For adoption, weekly until the first looked-after review held after the adoption placement, then monthly.',
    alternative: 'Keep 4-weekly visits after the approval or the final hearing.',
    cites: ['003 QS 9.1'],
  },
  {
    id: 'C-19',
    topic: 'Health reviews for children under 5',
    sources: '003 QS 14.11: annual, or 6-monthly for a child under 5.',
    reading: '6 months when the child is under 5 on the date of the last health assessment.',
    alternative: 'Test the age on the due date.',
    cites: ['003 QS 14.11'],
  },
  {
    id: 'C-20',
    topic: 'The 6-monthly assessment on a child protection plan',
    sources:
      '003 QS 3.15: an assessment every 6 months once a child has been on a plan for more than 3 months, with no anchor; 3.16 separately asks for an update before every conference.',
    reading:
      '6 months from the last completed statutory assessment, active once the plan is 3 months old; every completed or pre-conference assessment restarts it.',
    alternative: 'Count from the plan’s start.',
    cites: ['003 QS 3.15', '003 QS 3.16'],
  },
  {
    id: 'C-21',
    topic: 'Gaps in the text of 003 QS 3.15',
    sources:
      'The text ends mid-sentence ("When a child is stepped down from a CP Plan"), and "CPR" is not defined (probably the Child’s Permanence Report).',
    reading:
      'No rule for the truncated clause. A CPR counts for `asmt-open-12m` only when one is linked and dated within the last 12 months.',
    alternative: 'A CPR never counts.',
    cites: ['003 QS 3.15'],
    notBuilt: 'The service does not take a CPR into account yet.',
  },
  {
    id: 'C-22',
    topic: 'Need to Know "end of the working day"',
    sources:
      '001 NTK s4: with no response "by the end of the working day during which the concern arose", the briefing goes to the Director anyway. It does not define the end of the working day, say what happens to a concern out of hours, or whose response counts; category 2 briefings are "immediate".',
    reading:
      'EOD is 17:00 Europe/London (`CALENDAR_EOD`). A concern on a working day before EOD, including before SOD (07:30 on a Tuesday belongs to Tuesday), is due at EOD that day; one after EOD or on a non-working day, at SOD of the next working day. Only the PGL’s approval stops the fallback, and the PGL cannot stop a category 2 briefing. (Out-of-hours routing of notices is unchanged, §2.4.)',
    alternative:
      'Out of hours, EOD of the next working day (laxer) or at once (stricter); a response from the PGL or the Head of Service.',
    cites: ['001 NTK s4'],
    settled: '2026-12-01',
  },
  {
    id: 'C-23',
    topic: 'When the clocks for missing children and Need to Know concerns start',
    sources:
      '001 NTK: a child missing "48 hours or more", or 72 hours; the time "the concern arose". 002 SLN: missing "more than 72 hours". Neither says whether the clock runs from when the child was last seen or reported missing, or from when the concern arose or became known.',
    reading:
      'The earliest known instant: when the child was last seen if known, otherwise when reported missing; when the concern arose if known, otherwise when it was raised. A deadline already past when recorded breaches at once (§1.3 point 6).',
    alternative: 'Count from the report of the absence, or from when the concern was raised.',
    cites: ['001 NTK s2 items 4–5', '001 NTK s4', '002 SLN s2'],
  },
  {
    id: 'C-24',
    topic: 'The Head of Service’s category 3 decision',
    sources: '001 NTK s3 and s4 give no timescale.',
    reading:
      '[P] Due when a category 2 briefing would be (the end of the working day, ⚠C-22), with a "decision pending" notice to the Director 1 WD later.',
    alternative: 'A deadline the authority sets.',
    cites: ['001 NTK s3', '001 NTK s4'],
  },
  {
    id: 'C-25',
    topic: 'Who raises a Need to Know briefing',
    sources:
      '001 NTK s4: the social worker or an advanced practitioner drafts it. 000 KE 2.3: the social worker asks the Head of Service to raise it.',
    reading:
      'The social worker, an advanced practitioner or the Head of Service may raise it (a team manager and the case system may too); who raised it is recorded.',
    alternative: 'A list of authors the authority sets.',
    cites: ['001 NTK s4', '000 KE 2.3'],
  },
  {
    id: 'C-26',
    topic: 'Missing-child thresholds',
    sources:
      '001 NTK: a looked-after child missing 48 hours or more, a child on a plan 72 hours or more (category 2). 002 SLN: missing more than 72 hours with exploitation concerns, for a senior leadership notification.',
    reading:
      'Not a contradiction: the packs of two councils, and both apply. Thresholds fire at N hours exactly (≥); a child both looked after and on a plan uses 48 h.',
    alternative: 'Strictly more than 72 h for the 002 SLN threshold.',
    cites: ['001 NTK s2 items 4–5', '002 SLN s2'],
  },
  {
    id: 'C-27',
    topic: 'Panel notification: window and scope',
    sources:
      '004 WT ch.4 para 12: within five working days of becoming aware, where abuse or neglect is known or suspected and a child died or was seriously harmed. 002 SLN: within "5 days" when a looked-after child dies, implying every such death. 004 WT para 13 sends a looked-after child’s death without suspected abuse to the Secretary of State and Ofsted instead.',
    reading:
      '5 WD in general; 5 calendar days for the death of a looked-after child. Every looked-after child’s death opens the Panel criteria decision and notification; the Head of Service may close the notification as "criteria not met", with a rationale, while the notice to the Secretary of State and Ofsted still runs.',
    alternative: '5 WD for a death as well; no automatic Panel deadlines on a death.',
    cites: ['004 WT ch.4 paras 12–13', '002 SLN preamble'],
  },
  {
    id: 'C-28',
    topic: 'Telling the Secretary of State and Ofsted of a looked-after child’s death',
    sources: '004 WT ch.4 para 13 gives no timescale.',
    reading:
      '[P] As `panel-notify` for the same death: 5 calendar days, since it is always a looked-after child’s death (⚠C-27).',
    alternative: 'A deadline the authority sets.',
    cites: ['004 WT ch.4 para 13'],
  },
  {
    id: 'C-29',
    topic: 'Key-event notifications for children in care',
    sources: '000 KE 2.1–2.4 say who must be told, but not when.',
    reading:
      '[P] 1 WD, or 24 h elapsed when the harm is serious; business support told by the end of the same working day (out of hours, the next SOD). The defaults follow the 24 h of 003 QS 14.6.',
    alternative: 'Durations the authority sets.',
    cites: ['000 KE 2.1–2.4', '003 QS 14.6'],
  },
  {
    id: 'C-30',
    topic: 'Role names differ between the documents',
    sources:
      'QARO (000 KE) and IRO (003 QS); Director of Children’s Social Care (001 NTK), Director of Social Work (003 QS 14.1) and Director of Children’s Services (004 WT); PGL (001 NTK) and Service Manager (002 SLN).',
    reading: 'Abstract roles (§1.2, `src/roles.ts`); each authority maps them to its people in the directory.',
    alternative: 'None.',
    cites: ['000 KE 2.1', '001 NTK s4', '002 SLN s1', '003 QS 14.1'],
  },
  {
    id: 'C-31',
    topic: 'Administrative hours-based deadlines over weekends',
    sources:
      'The ICPC outcome in 24 h, the strategy record in 48 h, case records in 24 h, the referrer’s feedback in 48 h: no source says whether weekends count.',
    reading:
      'Elapsed time, like every hours rule (§2.4); notices falling out of hours also go to the out-of-hours service.',
    alternative: '24 h as 1 WD and 48 h as 2 WD, for these administrative rules only.',
    cites: ['003 QS 13.8', '003 QS 11.7', '003 QS 7.3', '003 QS 2.13'],
  },
  {
    id: 'C-32',
    topic: '"The same day"',
    sources: '003 QS 11.1: a strategy discussion "on the same day as the receipt of the referral".',
    reading:
      'By 23:59:59 local time on the date received, with a warning at EOD; the overdue notice, out of hours, also goes to the out-of-hours service.',
    alternative: 'By EOD (stricter).',
    cites: ['003 QS 11.1'],
  },
  {
    id: 'C-33',
    topic: 'Strategy deadlines falling out of hours',
    sources: 'A 48 h deadline from a Friday afternoon referral falls on a Sunday.',
    reading:
      'The elapsed due time stands and the notice also goes to the out-of-hours service; it is never moved to Friday or Monday (§2.4).',
    alternative: 'None.',
    cites: ['003 QS 11.1', '003 QS 2.15'],
  },
  {
    id: 'C-34',
    topic: 'The "13 Week Rule"',
    sources: '003 QS 2.16 names it but does not define it.',
    reading:
      'A new contact about a child whose case another team closed in the previous 13 weeks goes back to that team and manager, who are told at once (`contact-13wk-notify`, from the MASH decision).',
    alternative: 'Another window.',
    cites: ['003 QS 2.16'],
  },
  {
    id: 'C-35',
    topic: 'Re-referral and the age of consent',
    sources:
      '003 QS 2.5: a re-referral follows a contact "in the past 12 months". 003 QS 3.4: a young person’s own consent is considered when "over 14".',
    reading:
      'A re-referral is any contact in the 12 months before this one was received; consent is asked from 14 (stricter than "over 14").',
    alternative: 'Consent from 15.',
    cites: ['003 QS 2.5', '003 QS 3.4'],
    notBuilt: 'The service records neither re-referrals nor consent.',
  },
  {
    id: 'C-36',
    topic: 'More than one strategy discussion',
    sources:
      '004 WT: the ICPC is due 15 WD from the strategy discussion that started the S47 enquiry. 003 QS 12.8: departing from an agreed ICPC needs a new strategy meeting.',
    reading:
      'The ICPC’s anchor is the discussion that started the enquiry; later discussions never reset it. Dropping an agreed ICPC needs a new discussion that concurs (D1.7).',
    alternative: 'None: a national floor.',
    cites: ["004 WT ch.1 'Outcome of section 47 enquiries' p.44", '003 QS 12.8'],
  },
  {
    id: 'C-37',
    topic: 'The local documents come from different councils',
    sources: '003 QS is Swindon’s and 002 SLN Knowsley’s; 000 KE and 001 NTK name no council.',
    reading: 'The national rules of 004 WT are the floor; 000–003 are local packs each authority switches on.',
    alternative: 'None.',
    cites: ['000 KE', '001 NTK', '002 SLN', '003 QS', '004 WT para 6'],
    notBuilt: 'There are no packs yet: every rule applies to every authority.',
  },
  {
    id: 'C-38',
    topic: 'Acknowledging messages',
    sources: '003 QS 1: "often within 24 hours and certainly within three working days".',
    reading: 'The 24 h target is the warning; 3 WD is the breach.',
    alternative: 'None.',
    cites: ['003 QS 1'],
  },
  {
    id: 'C-39',
    topic: 'Strategy categories meant to be quicker than 48 h',
    sources:
      '003 QS 11.1: the 1 WD categories (immediate action needed; an allegation against staff) can end later than 48 h over a long weekend.',
    reading: 'Due at the earlier of 1 WD and 48 h.',
    alternative: '1 WD alone.',
    cites: ['003 QS 11.1'],
  },
  {
    id: 'C-40',
    topic: 'Ending a plan at 18',
    sources: '004 WT ch.1 p.52: a review "around the child’s birthday", planned in advance.',
    reading:
      '[P] The review that ends the plan is held no later than the 18th birthday, with a warning 3 months before; a review that ends the plan in those 3 months is the one asked for. The plan ends by itself at the end of the birthday (§4.5).',
    alternative: 'A later latest date.',
    cites: ['004 WT ch.1 p.52'],
  },
  {
    id: 'C-41',
    topic: 'The assessment for an emergency admission to care',
    sources: '003 QS 14.1: a statutory assessment "completed quickly".',
    reading:
      '[P] 10 WD, as the emergency care plan (003 QS 14.7); a planned admission has it as a gate before the child becomes looked after.',
    alternative: 'Another number of working days.',
    cites: ['003 QS 14.1', '003 QS 14.7'],
  },
  {
    id: 'C-42',
    topic: 'Children on plans moving between authorities',
    sources:
      '004 WT: the receiving authority holds a conference within 15 WD "of being notified of the move", and the original authority keeps the plan until then. 003 QS 2.8: the QA business support team leader is told.',
    reading:
      'The transfer-in conference counts from when this authority was notified. A plan here stays open on a move away until the receiving authority’s conference (`cp-transfer-out-watch` chases it at 15 WD).',
    alternative: 'None: a national floor.',
    cites: ["004 WT ch.1 'Discontinuing the Child Protection Plan' p.52", '003 QS 2.8'],
  },
  {
    id: 'C-43',
    topic: 'The manager’s sign-off of the S47 enquiry',
    sources: '003 QS 12.1: "signed off by a Manager within 5 working days", with no anchor.',
    reading: 'The same anchor as the S47 decision: 5 WD from the strategy discussion that started the enquiry.',
    alternative: '5 WD from the social worker’s decision.',
    cites: ['003 QS 12.1'],
  },
];

export const readingById: ReadonlyMap<string, Reading> = new Map(readings.map((r) => [r.id, r]));
