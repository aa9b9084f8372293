/** The unified diff `fix --dry-run` prints: git apply --check accepts it in a real repository, CRLF and a missing final newline included. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffOps, unifiedDiff } from '../../src/fix/diff.js';
import { splitLines } from '../../src/fix/edits.js';
import { parseProblem } from '../../src/fix/index.js';
import { git, gitRepo, removeTemps, tempDir } from '../support/git-repo.js';

afterAll(removeTemps);

const many = (n: number, eol = '\n'): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join(eol) + eol;

const cases: [string, string, string][] = [
  ['a change in the middle', many(20), many(20).replace('line 10\n', 'line 10 pinned\nline 10b\n')],
  ['two changes far apart (two hunks)', many(30), many(30).replace('line 2\n', 'line 2x\n').replace('line 28\n', 'line 28\nadded\n')],
  ['CRLF lines', many(8, '\r\n'), many(8, '\r\n').replace('line 4\r\n', 'line 4 pinned\r\nmore\r\n')],
  ['no final newline, last line changed', 'a\nb\nc', 'a\nb\nc2'],
  ['no final newline, a line added before the last', 'a\nb\nc', 'a\nb\nnew\nc'],
  ['lines inserted at the top', 'x: 1\ny: 2\n', 'p:\n  q: r\n\nx: 1\ny: 2\n'],
];

describe('unifiedDiff', () => {
  it.each(cases)('%s: git apply --check takes it and the result is the new text', (_, before, after) => {
    const repo = gitRepo({ 'dir/file.yml': before });
    const patch = join(tempDir(), 'p.diff');
    writeFileSync(patch, unifiedDiff('dir/file.yml', splitLines(before), splitLines(after))!);
    git(repo, 'apply', '--check', patch);
    git(repo, 'apply', patch);
    expect(readFileSync(join(repo, 'dir/file.yml'), 'utf8')).toBe(after);
  });

  it('is empty for equal texts, and the edit script is minimal', () => {
    expect(unifiedDiff('f', splitLines('a\n'), splitLines('a\n'))).toBe('');
    expect(diffOps(['a', 'b', 'c'], ['a', 'x', 'b', 'c'])).toEqual(['=', '+', '=', '=']);
    expect(diffOps(['a', 'b', 'c'], ['a', 'c'])).toEqual(['=', '-', '=']);
  });
});

describe('secrets in the diff', () => {
  const hidden = (line: string): boolean => line.includes('SECRET');
  it('never prints a line that holds a secret: the context stops short of it and the diff still applies', () => {
    const before = 'a: 1\nSECRET: x\nb: 2\nc: 3\nd: 4\ne: 5\n';
    const after = before.replace('c: 3', 'c: 3@pinned');
    const diff = unifiedDiff('f.yml', splitLines(before), splitLines(after), hidden)!;
    expect(diff).not.toContain('SECRET');
    const repo = gitRepo({ 'f.yml': before });
    const patch = join(tempDir(), 'p.diff');
    writeFileSync(patch, diff);
    git(repo, 'apply', patch);
    expect(readFileSync(join(repo, 'f.yml'), 'utf8')).toBe(after);
  });

  it('gives no diff when the secret is on a changed line or right next to one', () => {
    const before = 'a: 1\nSECRET: x\nb: 2\nc: 3\n';
    expect(unifiedDiff('f.yml', splitLines(before), splitLines(before.replace('b: 2', 'b: 22')), hidden)).toBeUndefined();
    expect(unifiedDiff('f.yml', splitLines(before), splitLines(before.replace('SECRET: x', 'SECRET: y')), hidden)).toBeUndefined();
  });
});

describe('parseProblem', () => {
  it('names why a rewritten YAML file would not parse, and lets a good one or a Dockerfile through', () => {
    const good = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n';
    expect(parseProblem('.github/workflows/a.yml', good, good.replace('ubuntu-latest', 'ubuntu-24.04'))).toBeUndefined();
    expect(parseProblem('.github/workflows/a.yml', good, `${good}  b: [\n`)).toMatch(/^invalid YAML/);
    expect(parseProblem('k8s/two.yaml', 'a: 1\n---\nb: 2\n', 'a: 1\nb: 2\n')).toBe('a different number of YAML documents');
    expect(parseProblem('Dockerfile', 'FROM a:1\n', 'FROM a:1@sha256:x\n')).toBeUndefined();
  });
});
