import { describe, expect, it } from 'vitest';
import { addedLinesMatching, blocksGate, diffModel, lastLineOf, noveltyAgainstBase, parsePatch, type PrFile } from '../../src/core/diff.js';
import type { Finding } from '../../src/core/types.js';

function finding(path: string, line: number, endLine = line, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'r', severity: 'high', confidence: 'high', message: 'm', path, line, column: 1, endLine, endColumn: 5, related: [],
    fingerprint: `${path}:${line}-${endLine}`, ...over,
  };
}

describe('parsePatch', () => {
  it('numbers added and context lines on the right side and skips deleted lines', () => {
    const p = parsePatch(['@@ -10,5 +10,6 @@ jobs:', ' a', '-b', '+B', '+C', ' d', ' e', '-f', '+F'].join('\n'));
    expect([...p.added]).toEqual([[11, 'B'], [12, 'C'], [15, 'F']]);
    expect([...p.commentable].sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('ignores "\\ No newline at end of file" after either side', () => {
    const p = parsePatch(['@@ -1,2 +1,2 @@', ' keep', '-old', '\\ No newline at end of file', '+new', '\\ No newline at end of file'].join('\n'));
    expect([...p.added]).toEqual([[2, 'new']]);
    expect([...p.commentable]).toEqual([1, 2]);
  });

  it('keeps hunks apart: lines between hunks are not commentable, each line knows its hunk', () => {
    const p = parsePatch(['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -20,2 +20,3 @@ section', ' x', '+y', ' z'].join('\n'));
    expect([...p.commentable]).toEqual([1, 2, 3, 20, 21, 22]);
    expect(p.commentable.has(10)).toBe(false);
    expect(p.hunkOf.get(3)).toBe(0);
    expect(p.hunkOf.get(20)).toBe(1);
    expect([...p.added.keys()]).toEqual([2, 21]);
  });

  it('a deletions-only patch adds nothing; its context stays commentable', () => {
    const p = parsePatch(['@@ -4,4 +4,2 @@', ' a', '-b', '-c', ' d'].join('\n'));
    expect(p.added.size).toBe(0);
    expect([...p.commentable]).toEqual([4, 5]);
  });

  it('reads counts left out of the header (one line) and a new file (-0,0)', () => {
    expect([...parsePatch('@@ -3 +3 @@\n-x\n+y').added]).toEqual([[3, 'y']]);
    expect([...parsePatch('@@ -0,0 +1,2 @@\n+a\n+b\n').added.keys()]).toEqual([1, 2]);
  });

  it('skips file headers and text before the first hunk', () => {
    const p = parsePatch('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\n+b');
    expect([...p.added.keys()]).toEqual([2]);
  });

  it('treats a "+" or "-" line that looks like a header as content', () => {
    const p = parsePatch('@@ -1,1 +1,2 @@\n+++ not a header\n ctx');
    expect([...p.added]).toEqual([[1, '++ not a header']]);
  });
});

describe('diffModel', () => {
  const files: PrFile[] = [
    { filename: 'mod.yml', status: 'modified', patch: '@@ -5,3 +5,4 @@\n a\n+b\n+c\n d' },
    { filename: 'added.yml', status: 'added', patch: '@@ -0,0 +1,2 @@\n+a\n+b' },
    { filename: 'big.yml', status: 'modified', additions: 9000 },
    { filename: 'moved.yml', previous_filename: 'was.yml', status: 'renamed', additions: 0 },
    { filename: 'gone.yml', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
  ];
  const diff = diffModel(files);

  it('keeps what the review anchors to: added and context lines of each head-side file; removed files have no head side', () => {
    expect([...diff.get('mod.yml')!.lines.added.keys()]).toEqual([6, 7]);
    expect([...diff.get('mod.yml')!.lines.commentable]).toEqual([5, 6, 7, 8]);
    expect(diff.get('added.yml')!.whole).toBe(true);
    expect(diff.get('big.yml')!.whole).toBe(true);
    expect(diff.get('moved.yml')!.whole).toBe(false);
    expect(diff.has('gone.yml')).toBe(false);
  });

  it('a span ending at column 1 does not reach into that line', () => {
    expect(lastLineOf(finding('mod.yml', 5, 6, { endColumn: 1 }))).toBe(5);
    expect(lastLineOf(finding('mod.yml', 5, 6))).toBe(6);
  });
});

describe('noveltyAgainstBase', () => {
  it('new when the base does not have the fingerprint, whatever line the finding is on; files not checked again are existing', () => {
    const head = [finding('Dockerfile', 1, 1, { fingerprint: 'root' }), finding('Dockerfile', 9, 9, { fingerprint: 'moved' }), finding('ci.yml', 3, 3, { fingerprint: 'untouched' })];
    const base = [finding('Dockerfile', 4, 4, { fingerprint: 'moved' })];
    const novelty = noveltyAgainstBase(head, base, new Set(['Dockerfile']));
    expect(Object.fromEntries(novelty)).toEqual({ root: 'new', moved: 'existing', untouched: 'existing' });
  });

  it('a finding the base had only suppressed is new (the change removed the suppression); two findings sharing a fingerprint: new wins', () => {
    const head = [finding('a.yml', 1, 1, { fingerprint: 'x' }), finding('a.yml', 2, 2, { fingerprint: 'dup' }), finding('b.yml', 2, 2, { fingerprint: 'dup' })];
    const base = [finding('a.yml', 1, 1, { fingerprint: 'x', suppressed: { kind: 'inSource', reason: 'ok' } })];
    const novelty = noveltyAgainstBase(head, base, new Set(['a.yml', 'b.yml']));
    expect(novelty.get('x')).toBe('new');
    expect(novelty.get('dup')).toBe('new');
    const copy = structuredClone(head);
    noveltyAgainstBase(head, base, new Set());
    expect(head).toEqual(copy);
  });

  it('with the flagged content: the same fingerprint over a changed text (a secret swapped under one name) is new', () => {
    const head = [finding('Dockerfile', 2, 2, { fingerprint: 'env' }), finding('Dockerfile', 5, 5, { fingerprint: 'same' })];
    const base = [finding('Dockerfile', 2, 2, { fingerprint: 'env' }), finding('Dockerfile', 3, 3, { fingerprint: 'same' })];
    const text = { head: (f: Finding) => (f.fingerprint === 'env' ? 'ENV DB_PASSWORD=new' : 'RUN x'), base: (f: Finding) => (f.fingerprint === 'env' ? 'ENV DB_PASSWORD=old' : 'RUN x') };
    expect(Object.fromEntries(noveltyAgainstBase(head, base, new Set(['Dockerfile']), text))).toEqual({ env: 'new', same: 'existing' });
    expect(Object.fromEntries(noveltyAgainstBase(head, base, new Set(['Dockerfile'])))).toEqual({ env: 'existing', same: 'existing' });
  });

  it('blocksGate: gate new blocks only new findings at the threshold; suppressed never', () => {
    const f = finding('mod.yml', 6);
    expect(blocksGate(f, 'new', 'new', 'high')).toBe(true);
    expect(blocksGate(f, 'existing', 'new', 'high')).toBe(false);
    expect(blocksGate(f, 'existing', 'all', 'high')).toBe(true);
    expect(blocksGate(f, 'new', 'new', 'critical')).toBe(false);
    expect(blocksGate({ ...f, suppressed: { kind: 'inSource', reason: 'ok' } }, 'new', 'all', 'low')).toBe(false);
  });

  it('addedLinesMatching finds suppression comments the PR adds', () => {
    const got = addedLinesMatching(
      [
        { filename: 'a.yml', status: 'modified', patch: '@@ -1,2 +1,3 @@\n # portcullis: ignore[x] old\n+      - run: make # portcullis: ignore[curl-pipe-shell] vendor script\n ok' },
        { filename: 'gone.yml', status: 'removed', patch: '@@ -1 +0,0 @@\n-# portcullis: ignore[x] y' },
      ],
      /portcullis:\s*ignore/,
    );
    expect(got).toEqual([{ path: 'a.yml', line: 2, text: '      - run: make # portcullis: ignore[curl-pipe-shell] vendor script' }]);
  });
});
