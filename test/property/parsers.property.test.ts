/**
 * Property-based robustness: random strings and mutated real fixtures (fixtures/demo, test/conformance) through every
 * parser and through the engine with every rule. No throw may escape, and every finding's span lies inside its file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findExpressions, flowingContexts } from '../../src/analysis/expressions.js';
import { parseShell } from '../../src/analysis/shell.js';
import type { Finding, Notice } from '../../src/core/types.js';
import { parseDockerfile } from '../../src/parsers/dockerfile.js';
import { isLockfilePath, parseLockfile } from '../../src/parsers/lockfiles/index.js';
import { isManifestPath, parseManifest } from '../../src/parsers/manifests/index.js';
import { workflowFromYaml } from '../../src/parsers/workflow.js';
import { parseWorkload } from '../../src/parsers/workloads/index.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { classify } from '../../src/parsers/index.js';
import { scanFiles } from '../../src/scan.js';

const repoRoot = join(import.meta.dirname, '..', '..');

/** Real files the parsers care about (by kind), at most 64 KiB each. */
function seedFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else if (st.size <= 64 * 1024) {
        const path = relative(repoRoot, abs);
        if (classify(path).some((k) => k !== 'text')) out.push({ path, text: readFileSync(abs, 'utf8') });
      }
    }
  };
  walk(join(repoRoot, 'fixtures', 'demo'));
  walk(join(repoRoot, 'test', 'conformance', 'zizmor', 'test-data'));
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
const seeds = seedFiles();

/** The path a seed is scanned under: conformance workflows sit in a workflows folder so they parse as workflows. */
const scanPath = (p: string): string => (p.includes('zizmor/test-data') && /\.ya?ml$/.test(p) ? `.github/workflows/${p.split('/').pop()}` : p.replace(/^fixtures\/demo\//, ''));

type Mutation = (lines: string[]) => string[];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i): Mutation => (l) => l.filter((_, j) => j !== i % Math.max(l.length, 1))),
  fc.nat().map((i): Mutation => (l) => (l.length ? [...l.slice(0, i % l.length), l[i % l.length]!, ...l.slice(i % l.length)] : l)),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (l) => {
    if (l.length < 2) return l;
    const c = [...l];
    const i = a % l.length;
    const j = b % l.length;
    [c[i], c[j]] = [c[j]!, c[i]!];
    return c;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: fc.constantFrom(...'{}[]()"\'`$\\:#&|-*!%,\t \r\n\u0000\u2028é𝄞'.split('')), maxLength: 8 })).map(
    ([a, b, s]): Mutation => (l) => {
      if (!l.length) return [s];
      const i = a % l.length;
      const line = l[i]!;
      const at = b % (line.length + 1);
      const c = [...l];
      c[i] = line.slice(0, at) + s + line.slice(at);
      return c;
    },
  ),
  fc.nat().map((n): Mutation => (l) => {
    const text = l.join('\n');
    return text.slice(0, n % (text.length + 1)).split('\n');
  }),
);

const mutatedSeed = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => {
  const seed = seeds[i]!;
  let lines = seed.text.split('\n');
  for (const m of ms) lines = m(lines);
  return { path: scanPath(seed.path), text: lines.join('\n') };
});

const PATHS = ['Dockerfile', '.github/workflows/ci.yml', 'action.yml', 'docker-compose.yml', 'k8s/deploy.yaml', 'package.json', 'requirements.txt', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock', 'go.sum', 'poetry.lock', 'pyproject.toml', '.env', 'Gemfile.lock'];
const randomFile = fc.tuple(fc.constantFrom(...PATHS), fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.lorem({ mode: 'sentences', maxCount: 5 })));
const anyFile = fc.oneof(mutatedSeed, randomFile.map(([path, text]) => ({ path, text })));

/** Every parser the file's name selects, directly. */
function parseEverything(path: string, text: string): void {
  const notices: Notice[] = [];
  parseDockerfile(path, text, notices);
  const yaml = parseYaml(path, text, notices);
  if (yaml) workflowFromYaml(yaml, text, notices);
  parseWorkload(path, text, notices, () => yaml);
  if (isManifestPath(path)) parseManifest(path, text, notices);
  if (isLockfilePath(path)) parseLockfile(path, text, notices);
  const script = parseShell(text);
  expect(script.commands.every((c) => c.line >= 0 && c.line < text.split(/\r?\n/).length)).toBe(true);
  for (const e of findExpressions(text)) {
    expect(e.start).toBeLessThan(e.end);
    expect(e.end).toBeLessThanOrEqual(text.length);
    flowingContexts(e.body);
  }
  flowingContexts(text);
}

/** The span contract: 1 ≤ line ≤ endLine ≤ lines; columns ≥ 1; endColumn ≤ end line's length + 1; same line → endColumn ≥ column. */
function spanProblem(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>, text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  if (!(f.line >= 1 && f.line <= f.endLine && f.endLine <= lines.length)) return `lines ${f.line}-${f.endLine} of ${lines.length}`;
  if (!(f.column >= 1 && f.endColumn >= 1)) return `columns ${f.column}-${f.endColumn}`;
  if (f.endColumn > lines[f.endLine - 1]!.length + 1) return `endColumn ${f.endColumn} past line ${f.endLine} (${lines[f.endLine - 1]!.length} chars)`;
  if (f.line === f.endLine && f.endColumn < f.column) return `endColumn ${f.endColumn} before column ${f.column}`;
  return undefined;
}

function checkScan(files: Record<string, string>): void {
  const result = scanFiles(files);
  for (const n of result.notices) expect(n.message, n.message).not.toMatch(/could not check this file|the parser failed/);
  for (const f of result.findings) {
    const text = files[f.path]!;
    const problem = spanProblem(f, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    expect(problem, `${f.ruleId} at ${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}: ${problem}\n${JSON.stringify(text.slice(0, 2000))}`).toBeUndefined();
  }
}

describe('parsers and the engine on random and mutated input', () => {
  it('has real seeds of every parsed kind', () => {
    expect(seeds.length).toBeGreaterThan(40);
  });

  it('no parser throws on random strings or mutated fixtures', () => {
    fc.assert(fc.property(anyFile, ({ path, text }) => parseEverything(path, text)), { numRuns: 200 });
  });

  it('the engine with every rule never throws and keeps every span inside its file (mutated fixtures)', () => {
    fc.assert(fc.property(mutatedSeed, ({ path, text }) => checkScan({ [path]: text })), { numRuns: 150 });
  });

  it('the engine keeps every span inside its file (random text under every kind of name)', () => {
    fc.assert(fc.property(fc.array(randomFile, { minLength: 1, maxLength: 3 }), (files) => checkScan(Object.fromEntries(files))), { numRuns: 150 });
  });

  it('counterexamples found so far stay fixed', () => {
    // conflicting-lockfiles on an empty lockfile once ended at column 2 of an empty line.
    checkScan({ 'package-lock.json': '', 'yarn.lock': '' });
    expect(scanFiles({ 'package-lock.json': '', 'yarn.lock': '' }).findings.map((f) => f.ruleId)).toContain('conflicting-lockfiles');
    // A lone CR once shifted every Dockerfile span below it by a line (dockerfile-ast breaks lines at CR).
    checkScan({ Dockerfile: '\r# c\nFROM debian:12\nADD https://example.com/a.tgz /a\nRUN apt-get update \\\n && curl -k https://x\n' });
  });

  it('the unmutated seeds give in-range spans', () => {
    for (const s of seeds) checkScan({ [scanPath(s.path)]: s.text });
  });
});
