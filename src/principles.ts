/**
 * The numbered sections of docs/deadlines.md (`npm run docs`): the principles the code follows,
 * one process per section from §3 to §8, and the human decisions (Dn.m) of each process. A "§2.3"
 * in a comment means docs/deadlines.md §2.3; "point N" a numbered point of that section. The
 * numbers are stable: never renumber a section, only add. Pure data: no I/O.
 */
import type { ProcessKey } from './rules';

export interface Principle {
  /** `2.3`, cited as §2.3; a whole number is a top-level section. */
  section: string;
  title: string;
  /** Paragraphs, in our words (Markdown). */
  text: string[];
  /** Numbered points, cited as "§1.3 point N". */
  points?: string[];
  /** The deadline table of this section: the process's rules whose id matches, or all the others. */
  deadlines?: RegExp | 'rest';
  /** The decisions of this section: those whose id starts with this prefix (`D1.`). */
  decisions?: string;
  /** Generated content that follows the text. */
  list?: 'escalation-profiles' | 'readings' | 'deadline-index';
}

export interface Decision {
  /** `D1.7`: decision 7 of the first process (§3), cited as D1.7. */
  id: string;
  title: string;
  text: string;
  cites: string[];
}

/** The section of each process; its subsections carry its deadline tables. */
export const processSections: Record<ProcessKey, string> = {
  s47: '3',
  'cp-plan': '4',
  lac: '5',
  ntk: '6',
  'key-events': '7',
  'cross-cutting': '8',
};

export const principles: Principle[] = [
  {
    section: '1',
    title: 'Common model',
    text: [
      'What every process shares: rules as data, roles, what a missed deadline does, and how the workflows keep time.',
    ],
  },
  {
    section: '1.1',
    title: 'Deadline rules as data',
    text: [
      'Every deadline is a rule in the catalogue (`src/rules.ts`, `src/processes/*/rules.ts`, `src/other-rules.ts`), not code: a stable id, never renamed or reused; the obligation; one duration, or several readings when the sources are ambiguous (§2.5); whether it counts on from an anchor or back from a scheduled event; the responsible roles; an escalation profile or a ladder of its own (§1.3); and its sources.',
      'Each deadline a process opens keeps its anchor, its statutory and operational due instants (§2.6), when it was met and by whom, whether it was breached and the reason given, and the version of the bank-holiday table it was computed with.',
    ],
  },
  {
    section: '1.2',
    title: 'Roles',
    text: [
      'Rules and notices name abstract roles (`src/roles.ts`): `social_worker`, `team_manager`, `pgl` (Practice Group Lead), `head_of_service`, `director`, `cp_chair`, `qa_bstl`, `iro` and the others. Each authority maps them to its people in the directory; a case may name its own allocated people for some of them. The documents name these roles differently (⚠C-30).',
    ],
  },
  {
    section: '1.3',
    title: 'Missed deadlines and escalation',
    text: [
      'The sources ask little of a miss: the reasons recorded for an assessment past 45 WD (004 WT ch.1 para 75), the team manager told of a child not seen (003 QS 7.5), the Need to Know briefing sent to the Director anyway (001 NTK s4). The rest is our default [P]:',
    ],
    points: [
      'A missed deadline never cancels the obligation: it stays open, and escalates, until it is met or its process ends it.',
      'Every breach asks the responsible person for the reason, which is recorded with the deadline.',
      'Warnings come before the due time, to the responsible roles; unless a rule sets its own, day, week and month rules: one at due − 1 WD when the duration is 3 WD or more, and one at due − 25 % when it is 10 WD or more (at the start of that working day). Hours rules: one at due − 25 %.',
      'The ladder: L0 the responsible worker; L1 `team_manager` (at the front door, `mash_duty_manager`); L2 `pgl`; L3 `head_of_service`; L4 `director`. Assurance roles (`cp_chair`, `qa_bstl`, `iro`) are copied for visibility, not as steps.',
      'Each rule names an escalation profile (below) or carries its own ladder: who is told at the breach, and who next while it stays open. All are [P] except the team manager’s notice of a missed visit (003 QS 7.5).',
      'A late (backdated) anchor counts from the real time: whatever is already due breaches and escalates at once. The clock is never reset.',
    ],
    list: 'escalation-profiles',
  },
  {
    section: '1.4',
    title: 'Durable-workflow mechanics',
    text: [
      'Due instants are absolute UTC times, computed from the calendar (§2) when a deadline opens and recorded in the workflow’s history: replaying a workflow never changes them. After a bank-holiday change an administrator asks each process to recompute its open deadlines; met and cancelled ones never change.',
      'Human decisions and case-system facts arrive as workflow updates; each says which deadlines it meets.',
      'A rule counted back from a scheduled event (`direction: before`) moves with the event; a move that puts it in the past breaches it at once.',
      'A recurring obligation counts its next occurrence from the last actual one (⚠C-11) and changes cadence when its phase changes (§9). A process that runs for years continues as new at each cycle, so every run’s history stays small.',
      'A gate is a precondition due at the event itself. A gate not met at a safeguarding event (a conference, a review) does not stop the event: the exception is recorded and the gate is breached. A gate on an administrative step (a child ceasing to be looked after) blocks the step until it is met or a manager records an override.',
      'When two rules govern the same obligation for a child, the earlier due time wins. Each child has a workflow of its own; a looked-after child one per episode of care.',
    ],
  },
  {
    section: '2',
    title: 'Working days and time',
    text: ['The calendar (`src/calendar.ts`) and the due-time arithmetic (`src/deadline-plan.ts`).'],
  },
  {
    section: '2.1',
    title: 'Working days',
    text: [
      'A working day is any day but a Saturday, a Sunday or a bank holiday of England and Wales (004 WT ch.4 footnote 90), substitute days and one-off holidays included. The table comes from the `date-holidays` package, corrected by `BANK_HOLIDAY_OVERRIDES_FILE`; its version is stored with every deadline (§1.1). Local closure days are working days for statutory clocks.',
    ],
  },
  {
    section: '2.2',
    title: 'Time zone and the working day',
    text: [
      'Day boundaries are Europe/London civil time; instants are stored in UTC. The working day runs from SOD, 09:00 (`CALENDAR_SOD`), to EOD, 17:00 (`CALENDAR_EOD`). Working hours are a working day from SOD (inclusive) to EOD (exclusive); anything else is out of hours (§2.4).',
    ],
  },
  {
    section: '2.3',
    title: 'Counting by unit',
    text: [
      '**Working days** after an anchor: the anchor’s date is day 0, whatever the time; due at EOD on the Nth working day after it (23:59:59 with `CALENDAR_WD_DUE_TIME=midnight`). **By working day N** (ordinal): day 1 is the anchor’s date if it is a working day, otherwise the next one; due at EOD on day N.',
      '**N days before** a scheduled event: N working days back from the event’s date, that day not counted; due at EOD. "Days" with no unit are read as calendar days counting forward and as working days counting back: the earlier reading each way (§2.5).',
      '**Weeks** are 7 calendar days. **Months** add calendar months to the anchor’s date, clamped to the last day of a shorter month (31 August + 6 months = 28 or 29 February); "annually" is 12 months; due at EOD.',
      '**Hours** are elapsed (§2.4). **The same day**: by 23:59:59 on the anchor’s date, with a warning at EOD (⚠C-32). **Immediately**, with no number in the source: within `SLA_IMMEDIATE_MINUTES`, 60 by default [P]. **The end of the working day** during which the anchor happened: ⚠C-22. **Before X** (a gate): due at X’s scheduled start. Thresholds such as "48 hours or more" or "more than 72 hours" fire at exactly N hours.',
      '**Non-working due dates.** A calendar-day, week or month rule may fall due on a weekend or bank holiday: its statutory due stays on that date at 23:59:59, and its operational due moves back to EOD on the previous working day (`CALENDAR_NON_WORKING_DUE=roll_back`; or `keep`, `roll_forward`). Working-day rules always fall on a working day; hours are never moved.',
    ],
  },
  {
    section: '2.4',
    title: 'Hours-based rules and out of hours',
    text: [
      'An hours rule is due N × 3,600 s after its anchor instant, counted in UTC: nights, weekends, bank holidays and clock changes included (24 h after Saturday 29 March 2025 10:00 is Sunday 11:00 BST). A child protection referral at 16:00 on a Friday is due at 20:00 that Friday (003 QS 2.15), not on Monday. The service counts every hours rule this way (⚠C-31).',
      'A notice of an hours, same-day, immediate or end-of-working-day rule that falls out of hours fires at its time and also goes to `out_of_hours_service` [P]. EOD itself closes the working day: a notice due at EOD is not out of hours.',
      '"N hours before" an event is its start minus N hours; when the same obligation also has a working-day form, the earlier wins (⚠C-06).',
    ],
  },
  {
    section: '2.5',
    title: 'The stricter reading of an ambiguous unit',
    text: [
      'Counting forward from an anchor, calendar days and elapsed hours give the earlier time; counting back from an event, working days do. Where a source is ambiguous the rule carries every reading: the first, literal one gives the statutory due, the earliest of all the operational one (§2.6).',
    ],
  },
  {
    section: '2.6',
    title: 'Statutory and operational due times',
    text: [
      'The statutory due is the literal reading, day rules at 23:59:59; it is kept for compliance reporting only. The operational due is the strict reading (EOD, moved back off non-working days, the earliest of ambiguous readings) and drives every timer, warning and escalation.',
    ],
  },
  {
    section: '2.7',
    title: 'Worked examples',
    text: [
      'England and Wales calendar, EOD 17:00. The unit tests (`test/unit/calendar.test.ts`) and the calculator API tests check each.',
      [
        '| case | due |',
        '|---|---|',
        '| Referral Thu 17 Apr 2025 15:00; decision within 1 WD (004 WT ch.1 para 71) | Good Friday and Easter Monday skipped: Tue 22 Apr 2025 17:00 |',
        '| The same referral; strategy discussion within 48 h, or 3 WD | 48 h: Sat 19 Apr 2025 15:00, out of hours; 3 WD: Thu 24 Apr 17:00 |',
        '| Strategy discussion starting the S47 enquiry Tue 22 Apr 2025; ICPC within 15 WD | the early May bank holiday skipped: Wed 14 May 2025 17:00 |',
        '| The same discussion; S47 decision by day 5, or within 5 WD | by day 5: Mon 28 Apr 2025 17:00; within 5 WD: Tue 29 Apr 17:00 |',
        '| Looked after from Fri 19 Dec 2025; first review within 20 WD, health assessment within 20 days | review Wed 21 Jan 2026 17:00; health assessment (20 CD) Thu 8 Jan 2026 17:00 |',
        '| ICPC Tue 6 Jan 2026 10:00; report to the chair 2 WD before, to the family 48 h before | 2 WD before: Fri 2 Jan 2026 17:00; 48 h before: Sun 4 Jan 10:00; both due at the earlier (⚠C-06) |',
        '| Review conference within 3 months of an ICPC on Fri 28 Nov 2025 | Sat 28 Feb 2026 is not a working day: operational Fri 27 Feb 17:00, statutory Sat 28 Feb 23:59:59 |',
      ].join('\n'),
    ],
  },
  {
    section: '3',
    title: 'Section 47 enquiry',
    text: [
      'From the contact at the front door to the initial child protection conference (ICPC): `workflows/s47-enquiry`.',
    ],
  },
  {
    section: '3.1',
    title: 'What starts it',
    text: [
      'A contact received at the front door; a concern on an open case (the strategy clock starts from it, without a new contact); emergency action (an emergency protection order, police protection or other); an allegation against staff. The front-door clocks count from the contact’s receipt (⚠C-02).',
    ],
  },
  {
    section: '3.3',
    title: 'Stages',
    text: [
      '`contact_received` → `screened` → `awaiting_signoff` (the MASH decision, signed off by a second manager, D1.1) → `assessment`, `strategy_pending` or `closed` (no further action, early help, back to the last team, another authority). An assessment moves to `strategy_pending` on a concern. A strategy discussion moves the enquiry to `s47_in_progress`, or back to `assessment` when it starts no S47; a substantiated outcome to `icpc_pending`; the ICPC hands each child with a plan to §4 and closes the enquiry. Emergency action leads to `strategy_pending` from any earlier stage.',
    ],
  },
  {
    section: '3.4',
    title: 'Deadlines',
    text: [
      'The S47 and ICPC clocks count from the strategy discussion that started the enquiry; later discussions never reset them (⚠C-36). `contact-13wk-notify` counts from the MASH decision, not from its sign-off.',
    ],
    deadlines: 'rest',
  },
  {
    section: '3.5',
    title: 'Decisions',
    text: ['The human decisions of the enquiry:'],
    decisions: 'D1.',
  },
  {
    section: '3.6',
    title: 'Ending, and what survives it',
    text: [
      'A strategy discussion that starts no S47 cancels the S47 and ICPC clocks; an S47 not substantiated cancels the ICPC clocks, within the D1.7 gate. Closure, step-down or transfer cancels every rule except what is owed to others: the referrer’s feedback above all, the last team, the other authority. A recorded closure decision with its rationale concludes the assessment. The enquiry ends once it is closed and nothing more is owed; the ICPC does not end the statutory assessment (⚠C-05).',
    ],
  },
  {
    section: '4',
    title: 'Child protection plan',
    text: [
      'From the conference that decided on a plan, or a transfer-in, to every ending: `workflows/child-protection-plan`, one workflow per child.',
    ],
  },
  {
    section: '4.1',
    title: 'What starts it',
    text: [
      'An ICPC deciding on a plan for the child starts it at the conference (D1.10). A child on a plan elsewhere who moves here permanently first has this authority’s own conference, within 15 WD of being notified (⚠C-42); if that conference decides on a plan, the plan starts there (004 WT ch.1 p.52).',
    ],
  },
  {
    section: '4.3',
    title: 'Deadlines',
    text: [
      'Every clock starts at the conference that decided on the plan. Review conferences follow the ICPC’s procedures (⚠C-08); visits are at the plan’s interval, never laxer than 10 WD (⚠C-10).',
    ],
    deadlines: 'rest',
  },
  {
    section: '4.4',
    title: 'Decisions',
    text: ['The human decisions of the plan:'],
    decisions: 'D2.',
  },
  {
    section: '4.5',
    title: 'Recurrences, and when the plan ends',
    text: [
      'Core groups (4 weeks), visits in which the child is seen (10 WD, or the plan’s shorter interval), review conferences (6 months), supervision (monthly) and the 6-monthly statutory assessment recur, each from its last actual occurrence (§9).',
      'All of them stop when the plan ends: discontinued at a review conference (D2.2), no plan after a transfer-in conference, or an ending without a review (D2.5): a permanent move once the receiving authority has held its conference, the 18th birthday (the plan stops by itself at the end of that day), death, or leaving the UK. What the last conference still owes (its record, its minutes) stays open.',
    ],
  },
  {
    section: '5',
    title: 'Looked-after child review cycle',
    text: [
      'From becoming looked after to the end of the episode: `workflows/looked-after-child`, one workflow per episode of care.',
    ],
  },
  {
    section: '5.1',
    title: 'What starts it',
    text: [
      'The child becoming looked after starts the workflow; that instant anchors the first review, the start notice, the initial health assessment and the PEP meeting. A planned admission’s gates fall due at the admission; an emergency one has follow-ups instead (ratification at the next Care Panel, the assessment and the care plan within 10 WD). Each placement, the first and every change, starts the placement’s own rules.',
    ],
  },
  {
    section: '5.2',
    title: 'What the case system supplies',
    text: [
      'The legal basis (`s20`, `ico`, `care_order`, `epo`, `police_protection`, `remand_yda`, `placement_order`, `other`); the placement and its type, which selects the visiting cadence (§5.4); the child’s date of birth (the health cadence under 5, the end at 18); for a child of school age, the education details (⚠C-14). The episode ends with a reason: `return_home`, `sgo`, `adoption_order`, `age_18`, `died` or `other`.',
    ],
  },
  {
    section: '5.3',
    title: 'Becoming looked after: plans, health and education',
    text: [
      'Approval comes before the child is looked after: the Care Panel, or in an emergency the Director and then the next Care Panel. An emergency placement plan within 5 days (⚠C-13); the initial health assessment and the PEP meeting within 20 days and before the first review (⚠C-12); the PEP started within 10 days of an emergency admission (⚠C-14); health reviews yearly, 6-monthly under 5 (⚠C-19); dental checks 6-monthly (⚠C-16).',
    ],
    deadlines: 'rest',
  },
  {
    section: '5.4',
    title: 'Visits',
    text: [
      'A visit counts only if the child was seen. Every placement has a visit within 5 WD; then weekly (no more than 7 calendar days apart) until the first review, then 6-weekly, and 3-monthly only once the placement is ratified long-term and its first year is over (⚠C-17). A care order at home, an ICO or Reg 24 placement and an adoption placement have cadences of their own (⚠C-18). All from 003 QS 9.1; a missed visit goes to the team manager (003 QS 7.5).',
    ],
    deadlines: /^lac-(joint-)?visit/,
  },
  {
    section: '5.5',
    title: 'Reviews and the IRO’s records',
    text: [
      'The first review within 20 WD of becoming looked after, the second 3 months after it, then every 6 months. The deadlines before a review (consultation, the report 2 WD before, ⚠C-15, the care-plan check, the plans’ quality assurance) move with a booked review; the IRO’s recommendations and record, and the manager’s response, count from the review held. The child stops being looked after only after a review and, for a return home, an updated assessment, or a manager’s override (§1.4).',
    ],
    deadlines: /^lac-(review|iro|manager-recs|permanence|midpoint)/,
  },
  {
    section: '5.6',
    title: 'Decisions',
    text: ['The human decisions of the review cycle:'],
    decisions: 'D3.',
  },
  {
    section: '5.7',
    title: 'Recurrences, and when they stop',
    text: [
      'Reviews, visits, health and dental checks, PEP reviews, the annual assessment, joint visits with the supervising social worker and supervision all stop when the child stops being looked after; the workflow then completes. A new episode of care is a new workflow, with its own first review at 20 WD; a change of placement never resets the review cycle.',
    ],
  },
  {
    section: '6',
    title: 'Need to Know briefing',
    text: [
      'A serious issue about a child reaches the Director the same working day: `workflows/need-to-know`. Category 2 issues always go to the Director; for category 3 the Head of Service decides (001 NTK s2–s4).',
    ],
  },
  {
    section: '6.1',
    title: 'What raises a briefing',
    text: [
      'A practitioner or manager raises a briefing by hand (`POST /v1/need-to-know`), or another process raises it by itself: a looked-after child missing 48 hours (category 2 item 4), a child on a plan missing 72 hours (item 5), a death or serious injury of a looked-after child or a child on a plan, or a death where abuse or neglect is suspected (items 1–3), the sexual exploitation of a looked-after child (item 7); and for the Head of Service to decide, a looked-after child charged with a serious crime, a child on a plan made homeless, out of education for 3 months, or expected to die within 12 months (category 3 items 2, 5, 6, 9). Both ways lead to the same flow (001 NTK s2, s3).',
    ],
  },
  {
    section: '6.2',
    title: 'What the case system supplies',
    text: [
      'For a briefing raised by hand, its five sections (the child and their legal status, the concern, the action taken, the date an update is expected, the contact) and who raised it. A briefing another process raises carries only the child’s reference and legal status, the category item and the known facts, with no names, until its author drafts it.',
    ],
  },
  {
    section: '6.3',
    title: 'The flow',
    text: [
      'Category 2: the draft goes to the PGL (copied to the HoS); the PGL’s approval sends it to the Director; with no approval by the deadline the latest draft goes anyway, marked not yet reviewed [S]. A briefing raised by another process starts with no draft: its authors are asked to write one, and if none exists by the deadline the Director gets the minimal automatic notice (the child’s reference, legal status, category item and known facts) while the author and their manager are alerted [P]; an update from the raising process (the child found) goes to whoever has the briefing. Category 3: the Head of Service decides first; a decision to inform follows the category 2 steps from that decision.',
    ],
  },
  {
    section: '6.4',
    title: 'Deadlines',
    text: [
      'The draft goes to the PGL at once (2 h [P], or the Director’s deadline if that is earlier). The Director has the briefing by the end of the working day during which the concern arose (⚠C-22): the approved version, or else the latest draft marked NOT YET REVIEWED, copied to the PGL and the Head of Service [S]. A category 3 decision is due at the same instant (⚠C-24); a decision to inform sets the Director’s deadline at the end of that decision’s working day. Updates are due by the date each briefing promises; after the minimal notice, by the end of the next working day [P]. The automatic triggers (`ntk-trigger-*`) are timers in the process that watches the event: each raises its briefing when it fires, and is cancelled if the child is found (or returns to education) first.',
    ],
    deadlines: 'rest',
  },
  {
    section: '6.5',
    title: 'Decisions',
    text: ['The human decisions of the briefing:'],
    decisions: 'D4.',
  },
  {
    section: '7',
    title: 'Key events, senior leadership and the Panel',
    text: [
      'Notifications about children in care (000 KE), the senior leadership notification (002 SLN) and the national Panel notification (004 WT ch.4), opened by the events a case system reports about a child (`POST /v1/children/{childReference}/events`). Most durations are [P]: the sources give none (⚠C-29).',
    ],
  },
  {
    section: '7.1',
    title: 'What the case system reports',
    text: [
      'Each event names the child (the case system’s reference), their status (looked after, on a plan, legal status) and when it happened and was known: a placement change, a child missing and found, harm, a criminal justice event, a death, a serious incident the authority became aware of, homelessness, a period out of education and the return, a prognosis. The service also finds the child’s running episode of care and plan by their reference; the stricter status applies. A repeated event (the case system’s event id) changes nothing.',
    ],
  },
  {
    section: '7.2',
    title: 'Key events for children in care',
    text: [
      'A placement change, harm, a missing episode or a criminal justice event is told to the colleagues 000 KE names.',
    ],
    deadlines: /^kev-/,
  },
  {
    section: '7.3',
    title: 'Senior leadership notification',
    text: [
      'The 002 SLN council’s counterpart of the Need to Know briefing: the notification by the end of the same working day (out of hours, the next SOD, as ⚠C-22), a child missing 72 hours with exploitation concerns (⚠C-26), updates within 1 WD.',
    ],
    deadlines: /^slt-/,
  },
  {
    section: '7.4',
    title: 'National Panel notification',
    text: [
      'Where abuse or neglect is known or suspected and a child died or was seriously harmed, the Panel and the safeguarding partners are told within 5 WD of the authority becoming aware (004 WT ch.4 para 12, ⚠C-27); the death of any looked-after child also goes to the Secretary of State and Ofsted (para 13, ⚠C-28).',
    ],
    deadlines: /^panel-/,
  },
  {
    section: '7.5',
    title: 'Decisions',
    text: ['The human decisions of the key-event processes:'],
    decisions: 'D5.',
  },
  {
    section: '8',
    title: 'Case obligations',
    text: [
      'What every open case owes, whatever the process: supervision (monthly on a plan, 3-monthly otherwise), case records within 24 h (⚠C-31), statutory assessments, child in need and disabled children’s visits, acknowledgements (⚠C-38).',
    ],
    deadlines: 'rest',
  },
  {
    section: '9',
    title: 'Recurring obligations',
    text: [
      'A recurring obligation’s next due time counts from its last actual occurrence, not from the previous due time (⚠C-11); where several cadences govern the same obligation, the earliest due time wins. A phase change switches the open occurrence to the cadence now in force, counted from the last occurrence: the first review held, a long-term ratification (D3.5), a plan starting or ending (supervision monthly on a plan, back to 3-monthly from the last supervision when it ends; 003 QS 8.1). Each stops when its process ends (§3.6, §4.5, §5.7).',
    ],
  },
  {
    section: '10',
    title: 'Readings',
    text: [
      'Where the sources conflict or leave a question open, the service implements the stricter reading. Each entry says what the sources say, the reading implemented and the alternative an authority might prefer; none of the alternatives is a setting of the service yet. The code cites them as ⚠C-nn; the data is `src/readings.ts`.',
    ],
    list: 'readings',
  },
  {
    section: '12',
    title: 'Index of deadline ids',
    text: [
      'Every deadline id, by the section whose table lists it. The ids are a public contract (§1.1); `test/fixtures/spec-deadline-ids.txt` keeps the list the catalogue must match.',
    ],
    list: 'deadline-index',
  },
];

export const decisions: Decision[] = [
  {
    id: 'D1.1',
    title: 'MASH pathway',
    text: 'The duty manager records the pathway and its rationale; a different MASH manager signs it off. An assessment opens the assessment clocks; child protection strategy starts a strategy clock; back to the last team (the 13-week rule, ⚠C-34) tells that team at once; another authority is told in writing; the other pathways close the enquiry at the front door.',
    cites: ['003 QS 2.8–2.16'],
  },
  {
    id: 'D1.2',
    title: 'Emergency action',
    text: 'An emergency protection order, police protection or other emergency action asks for a strategy discussion at once (`strategy-post-emergency`).',
    cites: ['004 WT ch.1 paras 71, 74', "004 WT ch.1 'Immediate protection' (section from p.31)"],
  },
  {
    id: 'D1.3',
    title: 'Allocation',
    text: 'The team manager, face to face with the worker, sets the visit target and the checkpoint dates, none beyond the limits: 5 WD to see the child, 45 WD for the assessment.',
    cites: ['003 QS 3.1–3.3'],
  },
  {
    id: 'D1.4',
    title: 'Checkpoint',
    text: 'At a checkpoint the manager records the assessment complete, or extends it with a new date; past 45 WD only with the reasons recorded.',
    cites: ['003 QS 3.2', '004 WT ch.1 para 75'],
  },
  {
    id: 'D1.5',
    title: 'Strategy urgency category',
    text: 'A manager’s category selects the strategy rule. A stricter category re-arms the clock at once; a laxer one keeps the stricter clock; `complex` needs a rationale, may only replace `standard` before it falls due, and tells the PGL (⚠C-01).',
    cites: ['003 QS 11.1'],
  },
  {
    id: 'D1.6',
    title: 'Strategy discussion outcome',
    text: 'The discussion starts an S47 enquiry or not. The first discussion that starts one anchors the S47 and ICPC clocks (⚠C-36); its immediate actions become tasks (`strategy-action`); an ICPC likely asks for one (`strategy-icpc-request`).',
    cites: ['003 QS 11.4', "004 WT ch.1 'Strategy discussion' p.38"],
  },
  {
    id: 'D1.7',
    title: 'S47 outcome, and the gate on dropping an ICPC',
    text: 'Not substantiated cancels the ICPC clocks; substantiated asks for the ICPC. Once agencies have agreed an ICPC, social care cannot drop or cancel it without a new strategy discussion that concurs.',
    cites: ['003 QS 12.1', '003 QS 12.8', "004 WT ch.1 'Outcome of section 47 enquiries' p.44"],
  },
  {
    id: 'D1.8',
    title: 'Another agency asks for a conference',
    text: 'After social care decided not to hold one, another agency may ask for a conference; disputes go to the safeguarding partners’ resolution process. Not built: the sources give it no timescale.',
    cites: ['004 WT ch.1 p.44'],
  },
  {
    id: 'D1.9',
    title: 'Manager sign-offs',
    text: 'The manager signs off the S47 enquiry (`s47-manager-signoff`, ⚠C-43) and authorises the assessment.',
    cites: ['003 QS 3.14', '003 QS 12.1'],
  },
  {
    id: 'D1.10',
    title: 'ICPC decision, for each child',
    text: 'The conference decides for every child of the enquiry, once each: a plan starts §4 for that child; no plan records that a child in need plan is recommended.',
    cites: ['003 QS 13.1', "004 WT ch.1 'Initial child protection conferences' p.46"],
  },
  {
    id: 'D2.1',
    title: 'Detailed plan agreed',
    text: 'At the first core group the detailed plan is agreed; it may set shorter intervals for visits and core groups, never laxer ones than 10 WD and 4 weeks (⚠C-10).',
    cites: ['003 QS 13.10', '003 QS 13.13', '004 WT ch.1 p.48'],
  },
  {
    id: 'D2.2',
    title: 'Review conference decision',
    text: 'Continue books the next review within 6 months and keeps every recurrence; discontinue ends the plan, tells the agencies (`cp-discontinue-notify`) and opens the child in need follow-up (`cp-cin-after-plan`).',
    cites: ['003 QS 13.15', '003 QS 13.17', '004 WT ch.1 pp.50, 52'],
  },
  {
    id: 'D2.3',
    title: 'Family court proceedings',
    text: 'The authority decides, at or after a conference, whether to start proceedings; the plan continues until a conference ends it. Not built: the legal planning lies outside the sources.',
    cites: ['004 WT ch.1 pp.48, 50'],
  },
  {
    id: 'D2.4',
    title: 'Contingency plan used',
    text: 'When the parents do not co-operate, the manager uses the contingency plan; each use is recorded with its reason, and a new strategy discussion or legal action is considered. No deadline changes.',
    cites: ['003 QS 13.11'],
  },
  {
    id: 'D2.5',
    title: 'Endings without a review conference',
    text: 'A permanent move (only once the receiving authority has held its conference, ⚠C-42), the 18th birthday, death or leaving the UK ends the plan and tells every agency invited to the ICPC. A death is also a Need to Know category 2 item (001 NTK s2 item 3) and needs the Panel check (§7.4).',
    cites: ["004 WT ch.1 'Discontinuing the Child Protection Plan' p.52"],
  },
  {
    id: 'D3.1',
    title: 'Approval to look after',
    text: 'The Care Panel approves before the child becomes looked after; in an emergency the Director does, and the admission goes to the next Care Panel (`lac-panel-ratify`).',
    cites: ['003 QS 14.1'],
  },
  {
    id: 'D3.2',
    title: 'Placement plan authorised',
    text: 'The line manager authorises the placement plan, which meets `lac-placement-plan`.',
    cites: ['003 QS 14.5'],
  },
  {
    id: 'D3.3',
    title: 'The IRO’s recommendations and the manager’s response',
    text: 'The manager agrees, or disagrees and advises those present at the review; the IRO is told [P].',
    cites: ['003 QS 15.7'],
  },
  {
    id: 'D3.4',
    title: 'Permanence route',
    text: 'The permanence planning meeting sets the route (`return_home`, `adoption`, `long_term_fostering`, `residential`, `other`), in place by the second review.',
    cites: ['003 QS 14.7', '003 QS 14.17'],
  },
  {
    id: 'D3.5',
    title: 'Long-term placement ratified',
    text: 'Visits become 3-monthly once the placement’s first year is over (⚠C-17).',
    cites: ['003 QS 9.1'],
  },
  {
    id: 'D3.6',
    title: 'Mid-point review',
    text: 'The IRO, concerned about drift, asks for a mid-point review (`lac-midpoint-review`).',
    cites: ['003 QS 15.4'],
  },
  {
    id: 'D3.7',
    title: 'Ceasing to be looked after, or a return home',
    text: 'Needs a review first and, for a return home, an updated statutory assessment. Both gates block the step until they are met or a manager records an override (§1.4).',
    cites: ['003 QS 14.10', '003 QS 15.8', "004 WT ch.1 'Children returning home' p.52"],
  },
  {
    id: 'D3.8',
    title: 'Change of placement',
    text: 'The new placement gets its own first visit and placement plan; the review cycle is not reset.',
    cites: ['003 QS 9.1', '003 QS 14.5', '000 KE 2.1'],
  },
  {
    id: 'D4.1',
    title: 'Classification',
    text: 'The author, with the line manager if in doubt, classifies the issue: category 2 goes to the Director always; category 3 to the Head of Service to decide.',
    cites: ['001 NTK s1–s4'],
  },
  {
    id: 'D4.2',
    title: 'The PGL’s response',
    text: 'Approve, or amend and approve: the briefing goes to the Director. The PGL cannot stop a category 2 briefing; silence leads to the fallback (⚠C-22).',
    cites: ['001 NTK s2', '001 NTK s4'],
  },
  {
    id: 'D4.3',
    title: 'The Head of Service’s decision (category 3)',
    text: 'Inform: a full briefing, or a brief one when speed matters, due by the end of the decision’s working day. Do not inform: the briefing closes with the rationale recorded.',
    cites: ['001 NTK s4'],
  },
  {
    id: 'D4.4',
    title: 'The Director asks for more information',
    text: 'A task for the briefing’s named contact, due at the end of the next working day [P], unless an update is due sooner.',
    cites: ['001 NTK s4'],
  },
  {
    id: 'D5.1',
    title: 'Harm: an S47 enquiry?',
    text: 'When a child in care is harmed, the social worker and manager decide whether to start an S47 enquiry through the MASH (§3): `harm-route-decided` meets `kev-harm-route`, and a start gives the S47 enquiry’s start body as a link.',
    cites: ['000 KE 2.3'],
  },
  {
    id: 'D5.2',
    title: 'Harm: a Need to Know briefing?',
    text: 'The Head of Service, asked by the social worker, decides whether to raise a Need to Know briefing (§6) (`need-to-know-raised`); category 2 items 1, 2, 3 and 7 are raised automatically.',
    cites: ['000 KE 2.3', '001 NTK s2'],
  },
  {
    id: 'D5.3',
    title: 'A senior leadership notification?',
    text: 'A service manager or the Head of Service decides, on the child’s age, the frequency and nature of the harm and the home context, whether to notify (`slt-notify`; `slt-notification-not-needed` closes it with the rationale).',
    cites: ['002 SLN s2'],
  },
  {
    id: 'D5.4',
    title: 'Panel criteria met?',
    text: 'The Head of Service or the Director decides; if met, the Panel and the safeguarding partners are told (`panel-notify`, `panel-partners-notify`); a looked-after child’s death also goes to the Secretary of State and Ofsted (⚠C-27); not met closes both notifications with the rationale (`panel-criteria-decided`).',
    cites: ['004 WT ch.4 paras 12–20'],
  },
];
