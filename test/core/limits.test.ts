// Limits on the gate's own files: the nesting bounds checked before parsing, the alias budget, and how much
// of a file an error message may quote.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { ConfigError, parseConfig } from '../../src/core/config.js';
import { excerpt, jsonNestingExceeds, MAX_NESTING, yamlNestingExceeds } from '../../src/core/limits.js';
import { closest } from '../../src/core/suggest.js';
import { rules } from '../../src/rules/index.js';
import { aliasBomb, deepYaml } from '../support/hostile-gate-files.js';

const repoRoot = join(import.meta.dirname, '..', '..');

/** The nesting depth of a plain value (a scalar is 0). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

const configError = (text: string): string => {
  try {
    parseConfig(text, 'c.yml', rules);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('yamlNestingExceeds', () => {
  it("passes the repository's own YAML and finds flow, compact and indented nesting past the bound", () => {
    const workflows = readdirSync(join(repoRoot, '.github/workflows')).map((f) => join('.github/workflows', f));
    for (const f of ['action.yml', ...workflows]) expect(yamlNestingExceeds(readFileSync(join(repoRoot, f), 'utf8')), f).toBeUndefined();
    // The map counts two levels (a map and a list may share its column), each bracket one.
    expect(yamlNestingExceeds(`a: ${'['.repeat(MAX_NESTING - 2)}${']'.repeat(MAX_NESTING - 2)}`)).toBeUndefined();
    expect(yamlNestingExceeds(`a: ${'['.repeat(MAX_NESTING)}`)).toBe(3 + MAX_NESTING - 2);
    expect(yamlNestingExceeds(`${'- '.repeat(40)}x`)).toBeDefined();
    // Each line opens a map and a list, at the same column: the bound counts both.
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}a:\n${' '.repeat(2 * i)}- b:`).join('\n');
    expect(yamlNestingExceeds(pairs(40))).toBeDefined();
    // Brackets in comments, quotes and block scalars are text.
    const text = `# ${'['.repeat(100)}\na: "${'['.repeat(100)}"\nb: |\n  ${'['.repeat(100)}\n  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\nc: '${'{'.repeat(100)}'\n`;
    expect(yamlNestingExceeds(text)).toBeUndefined();
  });

  it('is an upper bound of the real nesting, whatever the style', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('x', 1, true, null), tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 3 }),
      map: fc.dictionary(fc.constantFrom('a', 'b', 'key', 'k-2'), tie('node'), { maxKeys: 3 }),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), fc.boolean(), (v, flow, compact) => {
        const doc = new Document(v);
        const text = doc.toString({ collectionStyle: flow ? 'flow' : 'block', indentSeq: !compact });
        // The few shapes the library does not write back as they were (an empty flow list as a key's value) prove nothing.
        fc.pre(isDeepStrictEqual(parseDocument(text).toJS(), v));
        const depth = depthOf(v);
        if (depth > 0) expect(yamlNestingExceeds(text, depth - 1), text).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('jsonNestingExceeds', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestingExceeds('{"a":"[[[[\\"[[[","b":[[1]]}', 3)).toBeUndefined();
    expect(jsonNestingExceeds('{"a":[[[1]]]}', 3)).toBe(7);
    expect(jsonNestingExceeds(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toBe(MAX_NESTING);
  });
});

describe('parseConfig under hostile input', () => {
  it('stops an alias bomb at the alias, and a 10,000-deep value before the yaml library sees it', () => {
    // At the outermost alias whose expansion ran out of the budget.
    expect(configError(aliasBomb())).toMatch(/^c\.yml:5:10: aliases expand to more than 10000 nodes: not a Portcullis config$/);
    expect(configError(deepYaml(10_000))).toBe(`c.yml:1:${8 + MAX_NESTING - 2}: nested deeper than ${MAX_NESTING} levels: not a Portcullis config`);
    expect(configError('a: &a [*a, *a]\n')).toMatch(/^c\.yml:1:\d+: nested deeper than 64 levels \(through aliases\)/);
  });

  it('still follows ordinary aliases', () => {
    const entries = Array.from({ length: 200 }, (_, i) => `  - { rule: '*', path: 'p${i}/**', reason: ${i === 0 ? '&why vendored code' : '*why'} }`).join('\n');
    const config = parseConfig(`ignore:\n${entries}\n`, 'c.yml', rules);
    expect(config.ignore).toHaveLength(200);
    expect(new Set(config.ignore.map((e) => e.reason))).toEqual(new Set(['vendored code']));
  });

  it('quotes at most 80 characters of a value, a key or a YAML error', () => {
    const long = 'v'.repeat(5000);
    for (const text of [`fail-on: ${long}\n`, `rules:\n  ${'k'.repeat(500)}: {}\n`, `ignore:\n  - rule: ${long}\n    reason: r\n`, `paths: {include: ${long}}\n`]) {
      const message = configError(text);
      // the list of known rule ids is ours and grows with the rules: the bound is on what the input adds
      expect(message.replace(/Known rules: [a-z0-9, *-]+/, 'Known rules: …').length, message).toBeLessThan(1200);
      expect(message).not.toMatch(/[vk]{81}/);
    }
    expect(excerpt('a\nb')).toBe('a b');
    expect(excerpt('x'.repeat(100))).toBe(`${'x'.repeat(79)}…`);
  });

  it('suggests close rule ids without comparing against very long keys', () => {
    expect(closest('unpinned-acton', ['unpinned-action', 'runs-as-root'])).toBe('unpinned-action');
    expect(closest('u'.repeat(1_000_000), ['unpinned-action'])).toBeUndefined();
  });
});
