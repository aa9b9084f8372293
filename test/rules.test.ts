import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTreeSitter } from '../src/parsers/tree-sitter.js';
import { scanFiles } from '../src/scan.js';
import { exampleOptions } from '../src/docs.js';
import { rules } from '../src/rules/index.js';
import { renderRuleDoc } from '../src/docs.js';

const RULES_DIR = join(import.meta.dirname, '../src/rules');

function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return ruleFiles(p);
    return dir === RULES_DIR ? [] : [relative(RULES_DIR, p)];
  });
}

describe('rule registry', () => {
  it('registers every rule file exactly once, sorted, with its id equal to the file name', () => {
    const files = ruleFiles().map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, '')).sort();
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual(files);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s has complete metadata', (id, rule) => {
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    for (const text of [rule.title, rule.summary, rule.rationale, rule.fix]) expect(text.trim().length).toBeGreaterThan(10);
    expect(rule.references.length).toBeGreaterThan(0);
    expect(rule.examples.bad.length).toBeGreaterThan(0);
    expect(rule.examples.good.length).toBeGreaterThan(0);
  });

  it.each(rules.map((r) => [r.id, r] as const))('docs/rules/%s.md is current', (id, rule) => {
    const committed = readFileSync(join(import.meta.dirname, `../docs/rules/${id}.md`), 'utf8');
    expect(committed, 'run `npm run docs`').toBe(renderRuleDoc(rule));
  });
});

describe('rule examples run through the real engine', () => {
  beforeAll(() => initTreeSitter());
  for (const rule of rules) {
    describe(rule.id, () => {
      rule.examples.bad.forEach((ex, i) => {
        it(`bad #${i + 1} (${ex.path}) raises it`, () => {
          const { findings } = scanFiles({ ...ex.files, [ex.path]: ex.text }, exampleOptions(rule, [ex.path, ...Object.keys(ex.files ?? {})], ex));
          const at = ex.reportedAt ?? ex.path;
          const mine = findings.filter((f) => f.ruleId === rule.id && f.path === at);
          expect(mine.length, ex.text).toBeGreaterThan(0);
          if (ex.line !== undefined) expect(mine.map((f) => f.line)).toContain(ex.line);
          for (const f of mine) {
            const lines = (at === ex.path ? ex.text : (ex.files?.[at] ?? '')).split('\n');
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.endLine).toBeLessThanOrEqual(lines.length);
            expect(f.endLine > f.line || f.endColumn >= f.column).toBe(true);
          }
        });
      });
      rule.examples.good.forEach((ex, i) => {
        it(`good #${i + 1} (${ex.path}) stays silent`, () => {
          const { findings } = scanFiles({ ...ex.files, [ex.path]: ex.text }, exampleOptions(rule, [ex.path, ...Object.keys(ex.files ?? {})], ex));
          expect(findings.filter((f) => f.ruleId === rule.id)).toEqual([]);
        });
      });
    });
  }
});
