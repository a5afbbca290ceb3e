/**
 * Every citation in the repository resolves inside it: a "§x.y" names a section of
 * docs/deadlines.md (src/principles.ts), a "⚠C-nn" a reading (src/readings.ts), a "Dn.m" a
 * decision; and nothing cites the external specification by name any more.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorOf,
  citationKeys,
  compareSections,
  deadlineReference,
  deadlineTables,
} from '../../src/deadline-reference';
import { decisions, principles, processSections } from '../../src/principles';
import { readingById, readings } from '../../src/readings';
import { deadlineRules } from '../../src/rules';

const root = path.resolve(__dirname, '../..');
const self = path.relative(root, __filename).split(path.sep).join('/');
/** Recorded histories are data, byte for byte; the lock files are the package managers'. */
const skipped = (file: string) =>
  file === self || file.startsWith('test/histories/') || /(^|\/)(package-lock\.json|go\.sum)$/.test(file);

/** Tracked and new (not ignored) files; a walk of the tree when there is no git checkout. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      encoding: 'utf8',
    });
    return out.split('\0').filter(Boolean);
  } catch {
    const ignored = new Set(['.git', 'node_modules', '.data', '.tools', '.test-results', 'dist']);
    const walk = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const file = dir ? `${dir}/${entry.name}` : entry.name;
        if (ignored.has(entry.name)) return [];
        return entry.isDirectory() ? walk(file) : [file];
      });
    return walk('');
  }
}

const texts: Array<[file: string, text: string]> = repositoryFiles()
  .filter((file) => !skipped(file) && existsSync(path.join(root, file)) && statSync(path.join(root, file)).isFile())
  .map((file) => [file, readFileSync(path.join(root, file), 'utf8')] as [string, string])
  .filter(([, text]) => !text.includes('\0'));

/** `file:line: match` for every match of `pattern` (global) in the repository's text files. */
function citations(pattern: RegExp): Array<{ where: string; match: RegExpExecArray }> {
  return texts.flatMap(([file, text]) =>
    [...text.matchAll(pattern)].map((match) => ({
      where: `${file}:${text.slice(0, match.index).split('\n').length}`,
      match,
    })),
  );
}

const sections = new Map(principles.map((p) => [p.section, p]));

describe('citations resolve inside the repository', () => {
  it('reads the repository', () => {
    expect(texts.some(([file]) => file === 'README.md')).toBe(true);
    expect(texts.some(([file]) => file.startsWith('workflows/'))).toBe(true);
  });

  it('every ⚠C-nn has an entry in src/readings.ts', () => {
    const unknown = citations(/⚠C-(\d\d)/g)
      .filter(({ match }) => !readingById.has(`C-${match[1]}`))
      .map(({ where, match }) => `${where}: ${match[0]}`);
    expect(unknown).toEqual([]);
  });

  it('every §x.y names a section of docs/deadlines.md, and every "point N" one of its points', () => {
    const unknown = citations(/§(\d+(?:\.\d+)*)(?:\s+points?\s+(\d+)(?:[–-](\d+))?)?/g)
      .filter(({ match: [, section, from, to] }) => {
        const principle = sections.get(section!);
        if (!principle) return true;
        const last = Number(to ?? from ?? 0);
        return last > (principle.points?.length ?? 0);
      })
      .map(({ where, match }) => `${where}: ${match[0]}`);
    expect(unknown).toEqual([]);
  });

  it('every decision Dn.m has an entry in src/principles.ts', () => {
    const ids = new Set(decisions.map((d) => d.id));
    const unknown = citations(/\bD(\d)\.(\d+)\b/g)
      .filter(({ match }) => !ids.has(match[0]))
      .map(({ where, match }) => `${where}: ${match[0]}`);
    expect(unknown).toEqual([]);
  });
});

const OLD_NAME = 'statutory-rules';

describe('no citation of the external specification by name', () => {
  it('anywhere in the repository', () => {
    expect(citations(new RegExp(OLD_NAME, 'g')).map(({ where }) => where)).toEqual([]);
  });
});

describe('the register and the principles, as data', () => {
  const reference = deadlineReference(deadlineRules.values());
  const keys = citationKeys.map(([key]) => key);
  const unsourced = (cites: string[]) => cites.filter((cite) => !keys.some((key) => cite.startsWith(key)));

  it('readings are C-01 to C-43, in order, each complete and cited by the keys of the legend', () => {
    expect(readings.map((r) => r.id)).toEqual(
      Array.from({ length: 43 }, (_, i) => `C-${String(i + 1).padStart(2, '0')}`),
    );
    for (const r of readings) {
      expect(
        [r.topic, r.sources, r.reading, r.alternative].every((s) => s.length > 3),
        r.id,
      ).toBe(true);
      expect(r.cites.length, r.id).toBeGreaterThan(0);
      expect(unsourced(r.cites), r.id).toEqual([]);
      expect(reference).toContain(`\n### ${r.id}\n`);
    }
    expect(readingById.get('C-22')?.settled).toBe('2026-12-01');
  });

  it('sections are unique and in order, each process has its section, and every anchor is in the reference', () => {
    const numbers = principles.map((p) => p.section);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort(compareSections)).toEqual(numbers);
    for (const section of Object.values(processSections)) expect(sections.has(section)).toBe(true);
    for (const p of principles) expect(reference).toContain(`<a id="${anchorOf(`§${p.section}`)}"></a>§${p.section} `);
  });

  it('decisions are unique, cited by the keys of the legend, and each is listed in its process’s section', () => {
    const ids = decisions.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const decisionSections = principles.filter((p) => p.decisions !== undefined);
    for (const d of decisions) {
      expect(unsourced(d.cites), d.id).toEqual([]);
      expect(decisionSections.filter((p) => d.id.startsWith(p.decisions!)).length, d.id).toBe(1);
      expect(reference).toContain(`<a id="${anchorOf(d.id)}"></a>**${d.id} `);
    }
  });

  it('every deadline is in exactly one table, in its own process’s section', () => {
    for (const rule of deadlineRules.values()) {
      const rows = reference.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`));
      expect(rows, rule.id).toHaveLength(1);
    }
    for (const [section, list] of deadlineTables(deadlineRules.values())) {
      for (const rule of list) expect(section.split('.')[0], rule.id).toBe(processSections[rule.process]);
    }
  });
});
