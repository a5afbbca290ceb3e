/**
 * Every §7 deadline, every automatic Need to Know trigger and the education-stability rule is armed
 * by process code and named in a scenario that runs it. A rule only in the catalogue fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineRules } from '../../src/rules';

const root = path.resolve(__dirname, '../..');
const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(root, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(path.join(root, file)).isDirectory() ? filesUnder(file) : file.endsWith('.ts') ? [file] : [];
  });
const text = (files: string[]) => files.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');

const ids = [
  ...[...deadlineRules.values()].filter((rule) => rule.process === 'key-events').map((rule) => rule.id),
  ...[...deadlineRules.keys()].filter((id) => id.startsWith('ntk-trigger-')),
  'lac-education-stability',
];
// Process code: the workflows and the pure rule modules they take rule ids from.
const workflows = text([
  ...filesUnder('workflows'),
  ...filesUnder('src/processes').filter((file) => !file.endsWith('rules.ts')), // not the catalogue
]);
const scenarios = text([...filesUnder('test/workflows'), ...filesUnder('test/api')]);

describe('the key-event rules are built, not only catalogued', () => {
  it('covers the 16 ids of §7, the four triggers and lac-education-stability', () => {
    expect(ids).toHaveLength(21);
  });

  it.each(ids)('%s is armed by a workflow and named in a scenario', (id) => {
    expect(workflows).toContain(`'${id}'`);
    expect(scenarios).toContain(id);
  });
});
