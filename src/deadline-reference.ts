/**
 * The deadline reference (`docs/deadlines.md`), generated from the rule catalogue so that every
 * deadline id and source citation in the code resolves inside the repository. `npm run docs`
 * writes it; the suite checks it is current.
 */
import {
  escalationProfiles,
  processLabels,
  type DeadlineRule,
  type Duration,
  type EscalationProfile,
  type ProcessKey,
} from './rules';

/** The citation keys used in `source` (the documents the rules come from). */
export const citationKeys: Array<[key: string, document: string]> = [
  ['000 KE', 'Informing colleagues of key events for children in care (local practice guidance)'],
  [
    '001 NTK',
    "Need to Know: informing the Director of Children's Social Care about serious issues (local procedure, 2015)",
  ],
  ['002 SLN', 'Senior Leadership Notification of serious incidents (local procedure of another council, 2023)'],
  ['003 QS', "Children's Social Care Quality Standards, January 2020 (local standards; cited by standard number)"],
  [
    '004 WT',
    'Working Together to Safeguard Children, July 2018 (national statutory guidance; cited by chapter and paragraph, or box heading and page)',
  ],
];

const unitWords: Record<Duration['unit'], (value: number) => string> = {
  hours: (n) => (n === 0 ? 'at the event' : `${n} h elapsed`),
  working_days: (n) => `${n} WD`,
  ordinal_working_day: (n) => `by working day ${n}`,
  calendar_days: (n) => `${n} CD`,
  weeks: (n) => `${n} week${n === 1 ? '' : 's'}`,
  months: (n) => `${n} month${n === 1 ? '' : 's'}`,
  same_day: () => 'the same day',
  immediate: () => 'immediately',
  end_of_working_day: () => 'end of the working day',
};

const durationText = (rule: DeadlineRule): string => {
  if (!rule.duration) return `set by the process: ${rule.notComputable}`;
  const readings = (Array.isArray(rule.duration) ? rule.duration : [rule.duration]).map((d) =>
    unitWords[d.unit](d.value),
  );
  const text = readings.length > 1 ? `${readings.join(' or ')} (the earlier)` : readings[0]!;
  return rule.direction === 'before' ? `${text} before the event` : text;
};

const recipients = (roles: readonly string[]) => roles.map((r) => `\`${r}\``).join(', ');
const ladder = (profile: EscalationProfile) =>
  [
    `on breach ${recipients(profile.onBreach)}`,
    ...profile.escalate.map(
      (s) =>
        `${recipients(s.notify)} ${s.after.value === 0 ? 'at breach' : `at + ${s.after.value} ${s.after.unit === 'hours' ? 'h' : 'WD'}`}`,
    ),
  ].join('; ');
const escalationText = (rule: DeadlineRule) =>
  typeof rule.escalation === 'string' ? `\`${rule.escalation}\`` : ladder(rule.escalation);
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function deadlineReference(rules: Iterable<DeadlineRule>): string {
  const byProcess = new Map<ProcessKey, DeadlineRule[]>();
  for (const rule of rules) byProcess.set(rule.process, [...(byProcess.get(rule.process) ?? []), rule]);
  const lines = [
    '# Deadline reference',
    '',
    'Generated from the rule catalogue (`src/rules.ts`, `src/processes/*/rules.ts`, `src/other-rules.ts`) by `npm run docs`; the test suite checks',
    'it is current. Every deadline id here is a public contract: it names the deadline in the API, the state,',
    'the emails and the Web UI. Durations count from the anchor the process gives (the event named in the',
    'meaning); WD is a working day in England and Wales, CD a calendar day; "the earlier" means the stricter of',
    'two readings drives the timers (the first is the literal, statutory one).',
    '',
    '## Citation keys',
    '',
    '| key | document |',
    '|---|---|',
    ...citationKeys.map(([key, document]) => `| \`${key}\` | ${document} |`),
    '',
    '## Escalation profiles',
    '',
    '`responsible` is the rule’s own responsible roles. A notice of an hours-based rule due outside working hours',
    'also goes to `out_of_hours_service`.',
    '',
    '| profile | route |',
    '|---|---|',
    ...Object.entries(escalationProfiles).map(([name, profile]) => `| \`${name}\` | ${ladder(profile)} |`),
  ];
  for (const [process, list] of byProcess) {
    lines.push(
      '',
      `## ${processLabels[process]}`,
      '',
      '| id | what must happen | duration | responsible | escalation | source |',
      '|---|---|---|---|---|---|',
    );
    for (const rule of list) {
      lines.push(
        `| \`${rule.id}\` | ${cell(rule.label)} | ${cell(durationText(rule))} | ${recipients(rule.responsible)} | ${escalationText(rule)} | ${cell(rule.source.join('; '))} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
