import { describe, expect, it } from 'vitest';
import { addedLinesMatching, blocksGate, classifyFindings, diffModel, lastLineOf, noveltyOf, parsePatch, type PrFile } from '../../src/core/diff.js';
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

describe('diffModel and classifyFindings', () => {
  const files: PrFile[] = [
    { filename: 'mod.yml', status: 'modified', patch: '@@ -5,3 +5,4 @@\n a\n+b\n+c\n d' },
    { filename: 'added.yml', status: 'added', patch: '@@ -0,0 +1,2 @@\n+a\n+b' },
    { filename: 'big.yml', status: 'modified', additions: 9000 },
    { filename: 'image.png', status: 'added' },
    { filename: 'new/name.yml', previous_filename: 'old/name.yml', status: 'renamed', patch: '@@ -1,2 +1,2 @@\n-x\n+y\n z' },
    { filename: 'moved.yml', previous_filename: 'was.yml', status: 'renamed', additions: 0 },
    { filename: 'gone.yml', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
  ];
  const diff = diffModel(files);

  it('new when any line of the span is added; existing on context lines', () => {
    expect(noveltyOf(finding('mod.yml', 6), diff)).toBe('new');
    expect(noveltyOf(finding('mod.yml', 5), diff)).toBe('existing');
    expect(noveltyOf(finding('mod.yml', 4, 6), diff)).toBe('new');
    expect(noveltyOf(finding('mod.yml', 8, 9), diff)).toBe('existing');
  });

  it('a span ending at column 1 does not reach into that line', () => {
    const f = finding('mod.yml', 5, 6, { endColumn: 1 });
    expect(lastLineOf(f)).toBe(5);
    expect(noveltyOf(f, diff)).toBe('existing');
  });

  it('added files and files whose patch GitHub omits are new throughout', () => {
    expect(noveltyOf(finding('added.yml', 200), diff)).toBe('new');
    expect(noveltyOf(finding('big.yml', 1), diff)).toBe('new');
    expect(noveltyOf(finding('image.png', 1), diff)).toBe('new');
  });

  it('a renamed file with a patch uses the patch; a pure rename adds nothing', () => {
    expect(noveltyOf(finding('new/name.yml', 1), diff)).toBe('new');
    expect(noveltyOf(finding('new/name.yml', 2), diff)).toBe('existing');
    expect(noveltyOf(finding('moved.yml', 1), diff)).toBe('existing');
  });

  it('files outside the PR and removed files are existing', () => {
    expect(noveltyOf(finding('elsewhere.yml', 1), diff)).toBe('existing');
    expect(diff.has('gone.yml')).toBe(false);
  });

  it('classifies by fingerprint, from files or from a model, without touching the findings', () => {
    const fs = [finding('mod.yml', 6), finding('mod.yml', 5), finding('x.yml', 1, 1, { fingerprint: 'dup' }), finding('added.yml', 1, 1, { fingerprint: 'dup' })];
    const copy = structuredClone(fs);
    const byFiles = classifyFindings(fs, files);
    expect(byFiles).toEqual(classifyFindings(fs, diff));
    expect(byFiles.get('mod.yml:6-6')).toBe('new');
    expect(byFiles.get('mod.yml:5-5')).toBe('existing');
    expect(byFiles.get('dup')).toBe('new');
    expect(fs).toEqual(copy);
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
