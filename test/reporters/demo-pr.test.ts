// The demo pull request (scripts/demo-pr.ts, shown in docs/pr-comment-example.md and
// docs/summary-example.md) as a reviewer meets it: a comment that fits one screen, rendered by a GFM
// renderer; review suggestions that can all be applied at once and leave a workflow the gate passes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADDED, DEMO_DIR, demoPullRequest, type DemoPullRequest } from '../../scripts/demo-pr.js';
import type { ReviewComment } from '../../src/reporters/review.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import { scanDirectory } from '../../src/scan.js';
import { decodeEntities, htmlProblems, render, tableProblems, textOf } from './markdown-check.js';

let demo: DemoPullRequest;
beforeAll(async () => {
  demo = await demoPullRequest();
});

const SUGGESTION = /\n```suggestion\n([\s\S]*?)\n```$/;

/** Applies a review comment's suggestion as GitHub does: its lines `start_line`..`line` become the suggestion's body. */
function applySuggestion(lines: string[], c: ReviewComment): string[] {
  const body = SUGGESTION.exec(c.body)![1]!;
  const start = c.start_line ?? c.line;
  return [...lines.slice(0, start - 1), ...body.split('\n'), ...lines.slice(c.line)];
}

describe('the demo pull request comment', () => {
  it('is what docs/pr-comment-example.md shows, and the summary what docs/summary-example.md shows (`npm run docs`)', () => {
    const docs = join(import.meta.dirname, '..', '..', 'docs');
    expect(readFileSync(join(docs, 'pr-comment-example.md'), 'utf8').endsWith(`\n---\n${demo.comment}`)).toBe(true);
    expect(readFileSync(join(docs, 'summary-example.md'), 'utf8').endsWith(`\n---\n${demo.summary}`)).toBe(true);
  });

  it('is under 8,000 characters, its first line the marker line', () => {
    expect(demo.comment.length).toBeLessThan(8_000);
    expect(demo.comment.split('\n')[0]).toBe('<!-- portcullis:sticky -->');
  });

  it('renders with at most 4 columns in every row, every code span intact, nothing unbalanced', () => {
    const html = render(demo.comment);
    expect(htmlProblems(html)).toEqual([]);
    expect(tableProblems(demo.comment)).toEqual([]);
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => (m[1]!.match(/<t[hd][ >]/g) ?? []).length);
    expect(rows.length).toBeGreaterThan(10);
    for (const n of rows) expect(n).toBeLessThanOrEqual(4);
    // Rule ids are code; no backtick is left outside a code span (a span that broke would leave one).
    const codes = [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeEntities(m[1]!));
    expect(codes).toEqual(expect.arrayContaining(['template-injection', 'hardcoded-credential', 'runs-as-root']));
    expect(decodeEntities(html.replace(/<code>[\s\S]*?<\/code>/g, ''))).not.toContain('`');
  });

  it('shows the verdict, the counts and every new blocking finding in its first screen (40 lines)', () => {
    const screen = demo.comment.split('\n').slice(0, 40).join('\n');
    expect(screen).toContain('## Portcullis: ❌ fail');
    expect(screen).toContain('**11 new findings** at or above `high` block this pull request');
    expect(screen).toContain('16 new (11 blocking) · 66 existing · 0 suppressed');
    const blocking = demo.fresh.filter((f) => ['critical', 'high'].includes(f.severity) && !f.outOfScope);
    expect(blocking).toHaveLength(11);
    for (const f of blocking) expect(screen).toContain(`[${f.path}:${f.line}](`);
    // Every new finding here has a review comment on the diff: each is said there, not again here.
    for (const f of demo.fresh) expect(textOf(render(demo.comment))).not.toContain(f.message.slice(0, 40).replace(/`/g, ''));
  });
});

describe('the demo pull request suggestions, applied', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-demo-'));
    cpSync(DEMO_DIR, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges the two expressions of one step into one suggestion, and no two suggestions share a line', () => {
    const withSuggestion = demo.review.comments.filter((c) => SUGGESTION.test(c.body));
    expect(withSuggestion.length).toBeGreaterThanOrEqual(2);
    const merged = withSuggestion.find((c) => c.body.includes('template-injection'))!;
    expect(merged.body.match(/<!-- portcullis:fp:/g)).toHaveLength(2);
    expect(SUGGESTION.exec(merged.body)![1]!.match(/^\s*env:$/gm)).toHaveLength(1);
    for (const a of withSuggestion)
      for (const b of withSuggestion)
        if (a !== b && a.path === b.path) expect((a.start_line ?? a.line) > b.line || (b.start_line ?? b.line) > a.line, `${a.line} / ${b.line}`).toBe(true);
  });

  it('leaves files that parse, and a scan no longer reports the findings the suggestions fix', async () => {
    const withSuggestion = demo.review.comments.filter((c) => SUGGESTION.test(c.body));
    const fixed = new Set(withSuggestion.flatMap((c) => [...c.body.matchAll(/<!-- portcullis:fp:([^ ]+) -->/g)].map((m) => m[1]!)));
    const fixedFindings = demo.fresh.filter((f) => fixed.has(f.fingerprint));
    expect(fixedFindings.map((f) => f.ruleId).sort()).toEqual(['persisted-credentials', 'template-injection', 'template-injection']);
    for (const path of DEMO_ADDED) {
      const mine = withSuggestion.filter((c) => c.path === path).sort((a, b) => b.line - a.line);
      if (mine.length === 0) continue;
      const after = mine.reduce(applySuggestion, readFileSync(join(dir, path), 'utf8').split('\n'));
      writeFileSync(join(dir, path), after.join('\n'));
    }
    const workflow = readFileSync(join(dir, DEMO_ADDED[0]), 'utf8');
    const notices: { message: string }[] = [];
    expect(parseYaml(DEMO_ADDED[0], workflow, notices)?.documents).toHaveLength(1);
    expect(notices).toEqual([]);

    const rescan = await scanDirectory(dir, { failOn: 'high', repository: true });
    const inFile = (p: string) => rescan.findings.filter((f) => f.path === p);
    expect(inFile(DEMO_ADDED[0]).filter((f) => f.ruleId === 'unchecked-file')).toEqual([]);
    expect(rescan.notices.filter((n) => n.path === DEMO_ADDED[0])).toEqual([]);
    for (const f of fixedFindings) expect(inFile(f.path).filter((g) => g.ruleId === f.ruleId), f.ruleId).toEqual([]);
    // Everything else the PR brought is still reported: the suggestions fixed only what they claim.
    const others = demo.fresh.filter((f) => !fixed.has(f.fingerprint));
    for (const f of others) expect(rescan.findings.some((g) => g.ruleId === f.ruleId && g.path === f.path), f.ruleId).toBe(true);
  });
});
