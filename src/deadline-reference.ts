/**
 * The deadline reference (`docs/deadlines.md`), generated from the rule catalogue, the principles
 * (`src/principles.ts`) and the readings (`src/readings.ts`) so that every deadline id, source, §
 * section, ⚠C-nn reading and Dn.m decision cited in the code resolves inside the repository.
 * `npm run docs` writes it; the suite checks it is current. Deterministic: no dates, no I/O.
 */
import { decisions, principles, processSections, type Decision, type Principle } from './principles';
import { readings, type Reading } from './readings';
import { escalationProfiles, type DeadlineRule, type Duration, type EscalationProfile } from './rules';

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

/**
 * The HTML anchor of a citation: `§2.3` → `s2-3`, `D1.7` → `d1-7`; a reading's heading `### C-22`
 * gives GitHub's own `c-22`.
 */
export const anchorOf = (citation: string) => citation.replace(/^§/, 's').replace(/\./g, '-').toLowerCase();

const topLevel = (section: string) => section.split('.')[0]!;

/** Each section's deadline table: every rule of a process in exactly one of its sections. */
export function deadlineTables(rules: Iterable<DeadlineRule>, list: Principle[] = principles) {
  const tables = new Map<string, DeadlineRule[]>();
  for (const rule of rules) {
    const top = processSections[rule.process];
    const own = list.filter((p) => p.deadlines !== undefined && topLevel(p.section) === top);
    const matched = own.filter((p) => p.deadlines instanceof RegExp && p.deadlines.test(rule.id));
    const section = matched.length > 0 ? matched : own.filter((p) => p.deadlines === 'rest');
    if (section.length !== 1) {
      throw new Error(`${rule.id}: ${section.length} sections of §${top} claim it; give it exactly one`);
    }
    const key = section[0]!.section;
    tables.set(key, [...(tables.get(key) ?? []), rule]);
  }
  return tables;
}

const deadlineTable = (list: DeadlineRule[]) => [
  '| id | what must happen | duration | responsible | escalation | source |',
  '|---|---|---|---|---|---|',
  ...list.map(
    (rule) =>
      `| \`${rule.id}\` | ${cell(rule.label)} | ${cell(durationText(rule))} | ${recipients(rule.responsible)} | ${escalationText(rule)} | ${cell(rule.source.join('; '))} |`,
  ),
];

const readingEntry = (r: Reading) => [
  `### ${r.id}`,
  '',
  `**${r.topic}** (${r.cites.join('; ')})`,
  '',
  `- Sources: ${r.sources}`,
  `- Reading: ${r.reading}${r.settled ? ` Settled on ${r.settled}.` : ''}`,
  `- Alternative: ${r.alternative}`,
  ...(r.notBuilt ? [`- Not built: ${r.notBuilt}`] : []),
  '',
];

const decisionEntry = (d: Decision) =>
  `- <a id="${anchorOf(d.id)}"></a>**${d.id} ${d.title}${/[.?!]$/.test(d.title) ? '' : '.'}** ${d.text} (${d.cites.join('; ')})`;

export interface ReferenceData {
  principles: Principle[];
  readings: Reading[];
  decisions: Decision[];
}

export function deadlineReference(
  rules: Iterable<DeadlineRule>,
  data: ReferenceData = { principles, readings, decisions },
): string {
  const all = [...rules];
  const tables = deadlineTables(all, data.principles);
  const lines = [
    '# Deadline reference',
    '',
    'Generated from the rule catalogue (`src/rules.ts`, `src/processes/*/rules.ts`, `src/other-rules.ts`), the',
    'principles (`src/principles.ts`) and the readings (`src/readings.ts`) by `npm run docs`; the test suite checks',
    'it is current. Every deadline id here is a public contract: it names the deadline in the API, the state,',
    'the emails and the Web UI. Durations count from the anchor the process gives (the event named in the',
    'meaning); WD is a working day in England and Wales, CD a calendar day; "the earlier" means the stricter of',
    'two readings drives the timers (the first is the literal, statutory one).',
    '',
    '**Citations in the code resolve here.** "§2.3" is section 2.3 below (anchor `#s2-3`), and "§1.3 point 6" its',
    'sixth point; §3 to §8 are the processes, each with its deadline tables. "⚠C-22" is a reading of §10 (anchor',
    '`#c-22`); "D1.7" a human decision in its process’s section (anchor `#d1-7`). Sources are cited by the keys',
    'below. [S]: required by a source; [P]: proposed by us where the sources give no number or route.',
    '',
    '## Citation keys',
    '',
    '| key | document |',
    '|---|---|',
    ...citationKeys.map(([key, document]) => `| \`${key}\` | ${document} |`),
  ];
  for (const p of data.principles) {
    const heading = p.section.includes('.') ? '###' : '##';
    lines.push('', `${heading} <a id="${anchorOf(`§${p.section}`)}"></a>§${p.section} ${p.title}`, '');
    lines.push(...p.text.flatMap((paragraph) => [paragraph, '']));
    if (p.points) lines.push(...p.points.map((point, i) => `${i + 1}. ${point}`), '');
    if (p.decisions !== undefined) {
      lines.push(...data.decisions.filter((d) => d.id.startsWith(p.decisions!)).map(decisionEntry), '');
    }
    const table = tables.get(p.section);
    if (table) lines.push(...deadlineTable(table), '');
    if (p.list === 'escalation-profiles') {
      lines.push(
        '`responsible` is the rule’s own responsible roles. A notice of an hours-based rule due outside working hours',
        'also goes to `out_of_hours_service` (§2.4).',
        '',
        '| profile | route |',
        '|---|---|',
        ...Object.entries(escalationProfiles).map(([name, profile]) => `| \`${name}\` | ${ladder(profile)} |`),
        '',
      );
    }
    if (p.list === 'readings') lines.push(...data.readings.flatMap(readingEntry));
    if (p.list === 'deadline-index') {
      for (const [section, list] of [...tables].sort(([a], [b]) => compareSections(a, b))) {
        lines.push(`- §${section}: ${list.map((rule) => `\`${rule.id}\``).join(', ')}`);
      }
      lines.push('');
    }
  }
  // One blank line between blocks, none at the end.
  const text = lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
  while (text.at(-1) === '') text.pop();
  return `${text.join('\n')}\n`;
}

/** Orders `2.10` after `2.9`. */
export function compareSections(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
