import { describe, expect, it } from 'vitest';
import { blocksGate, type GateMode, type Novelty } from '../../src/core/diff.js';
import { summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { SUMMARY_TARGET_BYTES, toSummaryMarkdown, type SummaryOptions } from '../../src/reporters/summary.js';
import { htmlProblems, render, tableProblems, textOf } from './markdown-check.js';

function finding(severity: Severity, i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: `rule-${severity}`,
    severity,
    confidence: 'high',
    message: `${severity} problem number ${i}: do the fix`,
    path: `src/f${i}.yml`,
    line: i + 1,
    column: 1,
    endLine: i + 2,
    endColumn: 4,
    related: [],
    fingerprint: `fp${i}`,
    ...over,
  };
}

function input(findings: Finding[], failOn: FailOn = 'high', notices: Notice[] = []) {
  return { findings, notices, failOn, summary: summarise(findings, failOn) };
}

const opts = { repoUrl: 'https://github.com/acme/app', sha: 'abc123', docsBaseUrl: 'https://github.com/acme/portcullis/blob/v1/docs/rules', reportPath: '/runner/_temp/portcullis-report.json' };

/** The summary as the action writes it on a pull request: one predicate for the verdict, the counts and the rows. */
function prSummary(findings: Finding[], novelty: Record<string, Novelty>, gate: GateMode, extra: SummaryOptions = {}): string {
  const nov = (f: Finding): Novelty => novelty[f.fingerprint] ?? 'new';
  const blocks = (f: Finding): boolean => blocksGate(f, nov(f), gate, 'high');
  const s = summarise(findings, 'high');
  const blocking = findings.filter(blocks).length;
  return toSummaryMarkdown(
    { findings, notices: [{ path: 'x.yml', message: 'could not parse' }], failOn: 'high', summary: { ...s, blocking, result: blocking ? 'fail' : 'pass' } },
    { ...opts, isBlocking: blocks, novelty: nov, gate, notes: ['no comment posted'], ...extra },
  );
}

/** Headings and collapsed sections in the order a reader meets them, from the rendered HTML. */
function outline(md: string): string[] {
  const html = render(md);
  expect(htmlProblems(html)).toEqual([]);
  expect(tableProblems(md)).toEqual([]);
  for (const m of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) expect((m[1]!.match(/<t[hd][ >]/g) ?? []).length).toBeLessThanOrEqual(4);
  return [...html.matchAll(/<h[23]>([\s\S]*?)<\/h[23]>|<summary>([\s\S]*?)<\/summary>/g)].map((m) => textOf(m[1] ?? `▸ ${m[2]}`));
}

describe('job summary order and headline', () => {
  // 10 new blocking, 2 new medium, 30 existing highs, 5 existing mediums, 1 suppressed high.
  const fs: Finding[] = [
    ...Array.from({ length: 10 }, (_, i) => finding(i < 3 ? 'critical' : 'high', i)),
    ...Array.from({ length: 2 }, (_, i) => finding('medium', 10 + i)),
    ...Array.from({ length: 30 }, (_, i) => finding('high', 20 + i)),
    ...Array.from({ length: 5 }, (_, i) => finding('medium', 60 + i)),
    finding('high', 70, { suppressed: { kind: 'inSource', reason: 'reviewed', path: 'src/f70.yml', line: 71 } }),
  ];
  const novelty = Object.fromEntries(fs.map((f, i) => [f.fingerprint, i < 12 ? 'new' : 'existing'] as const));

  it('gate new: "10 new blocking, 40 at or above high in total", then new blocking, other new, existing collapsed, …, per-rule counts collapsed and last', () => {
    const md = prSummary(fs, novelty, 'new');
    expect(md.split('\n').slice(0, 3)).toEqual(['## Portcullis: ❌ fail', '', '**10 new blocking**, 40 at or above `high` in total (48 findings; gate: `new`, fail-on: `high`).']);
    expect(outline(md)).toEqual([
      'Portcullis: ❌ fail',
      'New blocking findings (10)',
      'Other new findings (2)',
      '▸ Existing findings (35): not introduced by this pull request',
      'Suppressions',
      'Notices',
      'Pull request',
      '▸ Findings per rule (3 rules) and severity',
    ]);
    const blocking = md.split('### New blocking findings (10)')[1]!.split('###')[0]!;
    expect(blocking.match(/problem number \d+/g)).toEqual(Array.from({ length: 10 }, (_, i) => `problem number ${i}`));
    // The existing criticals and highs sit in the collapsed section, after every new finding.
    expect(md.indexOf('problem number 20')).toBeGreaterThan(md.indexOf('<details><summary>Existing findings'));
    expect(md.indexOf('problem number 11')).toBeLessThan(md.indexOf('<details><summary>Existing findings'));
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('gate new with nothing new blocking: the headline still says how many are at or above fail-on', () => {
    const md = prSummary(fs.slice(10), Object.fromEntries(fs.slice(10).map((f) => [f.fingerprint, novelty[f.fingerprint]!])), 'new');
    expect(md).toContain('## Portcullis: ✅ pass');
    expect(md).toContain('No new finding blocks; 30 at or above `high` in total (38 findings; gate: `new`, fail-on: `high`).');
  });

  it('gate all: "40 of 48 at or above high"; the blocking section holds the new ones first, then the existing ones, marked', () => {
    const md = prSummary(fs, novelty, 'all');
    expect(md).toContain('**40** of 48 finding(s) at or above `high` (fail-on: `high`).');
    expect(outline(md)).toEqual([
      'Portcullis: ❌ fail',
      'Blocking findings (40)',
      'Other new findings (2)',
      '▸ Existing findings (5): not introduced by this pull request, not blocking',
      'Suppressions',
      'Notices',
      'Pull request',
      '▸ Findings per rule (3 rules) and severity',
    ]);
    const rows = md.split('### Blocking findings (40)')[1]!.split('###')[0]!.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows).toHaveLength(40);
    expect(rows.slice(0, 10).every((r) => r.includes('(blocking)') && !r.includes('existing'))).toBe(true);
    expect(rows.slice(10).every((r) => r.startsWith('| **high** (blocking, existing) |'))).toBe(true);
  });

  it('off a pull request (no novelty): blocking findings, then the others, then the counts', () => {
    const md = toSummaryMarkdown(input(fs), opts);
    expect(md).toContain('**40** of 48 finding(s) at or above `high` (fail-on: `high`).');
    expect(outline(md)).toEqual(['Portcullis: ❌ fail', 'Blocking findings (40)', 'Other findings (7)', 'Suppressions', '▸ Findings per rule (3 rules) and severity']);
  });
});

describe('job summary', () => {
  it('links rule ids to their docs and locations to the file at the commit; counts by severity and rule at the end', () => {
    const fs = [finding('high', 1, { ruleId: 'secret-in-env' }), finding('medium', 2, { ruleId: 'latest-image-tag' }), finding('medium', 3, { ruleId: 'latest-image-tag' })];
    const md = toSummaryMarkdown(input(fs, 'high'), opts);
    expect(md).toContain('## Portcullis: ❌ fail');
    expect(md).toContain('**1** of 3 finding(s) at or above `high` (fail-on: `high`)');
    const counts = md.split('<details><summary>Findings per rule (2 rules) and severity</summary>')[1]!;
    expect(counts).toContain('| high | 1 |');
    expect(counts).toContain('| medium | 2 |');
    expect(counts).toContain('| [latest-image-tag](https://github.com/acme/portcullis/blob/v1/docs/rules/latest-image-tag.md) | 2 |');
    expect(md).toContain('[src/f1.yml:2](https://github.com/acme/app/blob/abc123/src/f1.yml#L2-L3)');
    const rows = md.split('\n').filter((l) => l.includes('problem number'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\| \*\*high\*\* \(blocking\) \| \[secret-in-env\]/);
    expect(rows[1]).toMatch(/^\| medium \| /);
  });

  it('passes when nothing reaches fail-on, and says so for never', () => {
    expect(toSummaryMarkdown(input([finding('low', 1)], 'high'))).toContain('## Portcullis: ✅ pass');
    const never = toSummaryMarkdown(input([finding('critical', 1)], 'never'));
    expect(never).toContain('✅ pass');
    expect(never).toContain('`never`');
    expect(never).not.toContain('(blocking)');
  });

  it('lists the first 100 findings one per row, then one row per rule and file, naming the JSON report', () => {
    const fs = Array.from({ length: 150 }, (_, i) => finding('medium', i, { path: `src/f${i % 7}.yml`, line: i + 1 }));
    const md = toSummaryMarkdown(input(fs, 'high'), opts);
    const rows = md.split('\n').filter((l) => l.startsWith('| medium | [rule-medium]'));
    expect(rows.filter((r) => r.includes('problem number'))).toHaveLength(100);
    const grouped = rows.filter((r) => !r.includes('problem number'));
    // Sorted by file: the rows past 100 cover the last files, one row each.
    expect(grouped.length).toBeGreaterThan(1);
    expect(new Set(grouped.map((r) => /\[(src\/f\d\.yml)\]/.exec(r)![1])).size).toBe(grouped.length);
    expect(grouped[0]).toMatch(/^\| medium \| \[rule-medium\]\([^)]*\) \| \[src\/f\d\.yml\]\(https:\/\/github\.com\/acme\/app\/blob\/abc123\/src\/f\d\.yml#L\d+-L\d+\) \| \d+ findings on lines [\d, ]+ \|$/);
    expect(grouped.reduce((n, r) => n + Number(/(\d+) findings on/.exec(r)![1]), 0)).toBe(50);
    expect(md).toContain('_Past the first 100 rows, findings are grouped by rule and file; the JSON report (`/runner/_temp/portcullis-report.json`) lists each one._');
    expect(md).not.toContain('not shown');
  });

  it('stays under 150 KB for a repository with 1,200 findings (most of one rule in a few lockfiles)', () => {
    const fs = [
      ...Array.from({ length: 950 }, (_, i) => finding('medium', i, { ruleId: 'lockfile-integrity', path: `app${i % 10}/package-lock.json`, message: `pkg-${i}@1.0.0 has only a SHA-1 integrity hash, which is no longer collision-resistant: regenerate the lockfile with a current npm so it records sha512.` })),
      ...Array.from({ length: 250 }, (_, i) => finding(i % 2 ? 'high' : 'critical', 1000 + i, { ruleId: `rule-${i % 17}`, path: `svc${i}/Dockerfile`, message: `problem ${i} `.repeat(12) })),
    ];
    const md = toSummaryMarkdown(input(fs, 'high'), opts);
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_TARGET_BYTES);
    expect(md).not.toContain('not shown');
    // The lockfile rule is one row per lockfile.
    expect(md.split('\n').filter((l) => l.includes('[lockfile-integrity]') && l.includes('findings on lines'))).toHaveLength(10);
    outline(md);
  });

  it('stays under 150 KB with 50,000 findings and points to the JSON report', () => {
    const sevs: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
    const fs = Array.from({ length: 50_000 }, (_, i) => finding(sevs[i % 5]!, i, { path: `src/f${i % 2000}.yml`, message: `problem ${i} ${'é'.repeat(100)}` }));
    const notices = Array.from({ length: 500 }, (_, i) => ({ path: `n${i}`, message: `notice ${i}` }));
    const md = toSummaryMarkdown(input(fs, 'high', notices), opts);
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_TARGET_BYTES);
    expect(md).toMatch(/_\d+ more findings not shown: the summary is kept under 148 KB\. All findings are in the JSON report \(`\/runner\/_temp\/portcullis-report\.json`\)\._/);
    const shown = md.split('\n').filter((l) => /^\| (\*\*)?[a-z]+(\*\*)? (\(blocking\) )?\| \[rule-/.test(l));
    const left = Number(/_(\d+) more findings not shown/.exec(md)![1]);
    expect(shown.filter((l) => l.includes('problem'))).toHaveLength(100);
    const inRows = shown.reduce((n, l) => n + (/(\d+) findings on lines/.exec(l) ? Number(/(\d+) findings on lines/.exec(l)![1]) : 1), 0);
    expect(inRows + left).toBe(50_000);
    expect(md).toContain('### Notices');
    expect(md).toContain('…and 450 more notices');
    expect(md.split('### Blocking findings')[1]!.split('\n')[4]).toMatch(/^\| \*\*critical\*\* \(blocking\)/);
  });

  it('respects a smaller budget exactly', () => {
    const fs = Array.from({ length: 500 }, (_, i) => finding('high', i));
    const md = toSummaryMarkdown(input(fs), { maxBytes: 20_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    expect(md).toContain('more findings not shown');
  });

  it('escapes finding text in table cells: no table breaks, no HTML, no markup', () => {
    const evil = finding('high', 1, {
      path: 'a|b/<img src=x onerror=alert(1)>.yml',
      message: 'line one\nline two | col <script>alert(1)</script> `code` [link](javascript:x) **bold**\r\nend',
    });
    const md = toSummaryMarkdown(input([evil]), opts);
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    const row = md.split('\n').find((l) => l.includes('line one'))!;
    expect(row).toBeDefined();
    // 5 unescaped pipes = 4 cells.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
    expect(row).toContain('line one<br>line two \\| col &lt;script&gt;alert(1)&lt;/script&gt; `code` \\[link\\](javascript:x) \\*\\*bold\\*\\*<br>end');
    // The link target is percent-encoded, the link text escaped.
    expect(row).toContain('[a\\|b/&lt;img src=x onerror=alert\\(1\\)&gt;.yml:2](https://github.com/acme/app/blob/abc123/a%7Cb/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.yml#L2-L3)');
  });

  it('escapes notices too', () => {
    const md = toSummaryMarkdown(input([], 'high', [{ path: 'x.yml', line: 3, message: 'bad <b>yaml</b>\n| here' }]));
    expect(md).toContain('- x.yml:3: bad &lt;b&gt;yaml&lt;/b&gt;<br>\\| here');
  });
});
