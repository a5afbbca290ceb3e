import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { citationKeys, deadlineReference } from '../../src/deadline-reference';
import { deadlineRules } from '../../src/rules';

describe('docs/deadlines.md, the reference generated from the catalogue', () => {
  it('is current (run npm run docs after changing a rule)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../docs/deadlines.md'), 'utf8');
    expect(committed).toBe(deadlineReference(deadlineRules.values()));
  });

  it('lists every deadline id, and every source cites a document of its legend', () => {
    const reference = deadlineReference(deadlineRules.values());
    for (const id of deadlineRules.keys()) expect(reference).toContain(`| \`${id}\` |`);
    const keys = citationKeys.map(([key]) => key);
    const unresolved = [...deadlineRules.values()].flatMap((rule) =>
      rule.source.filter((s) => !keys.some((key) => s.startsWith(key))),
    );
    expect(unresolved).toEqual([]);
  });
});
