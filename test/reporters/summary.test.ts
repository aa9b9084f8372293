import { describe, expect, it } from 'vitest';
import { summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { SUMMARY_LIMIT_BYTES, toSummaryMarkdown } from '../../src/reporters/summary.js';

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

describe('job summary', () => {
  it('states the verdict with the threshold, counts by severity and rule, and links', () => {
    const fs = [finding('high', 1, { ruleId: 'secret-in-env' }), finding('medium', 2, { ruleId: 'latest-image-tag' }), finding('medium', 3, { ruleId: 'latest-image-tag' })];
    const md = toSummaryMarkdown(input(fs, 'high'), opts);
    expect(md).toContain('## Portcullis: ❌ fail');
    expect(md).toContain('**1** of 3 finding(s) at or above `high` (fail-on: `high`)');
    expect(md).toContain('| high | 1 |');
    expect(md).toContain('| medium | 2 |');
    expect(md).toContain('| [latest-image-tag](https://github.com/acme/portcullis/blob/v1/docs/rules/latest-image-tag.md) | 2 |');
    expect(md).toContain('[src/f1.yml:2](https://github.com/acme/app/blob/abc123/src/f1.yml#L2-L3)');
    // Most severe first; blocking rows are marked.
    const rows = md.split('### Findings')[1]!.split('\n').filter((l) => l.includes('problem number'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\| \*\*high\*\* \(blocking\) \| \[secret-in-env\]/);
    expect(rows[1]).toMatch(/^\| medium \| /);
    expect(md.indexOf('problem number 1')).toBeLessThan(md.indexOf('problem number 2'));
  });

  it('passes when nothing reaches fail-on, and says so for never', () => {
    expect(toSummaryMarkdown(input([finding('low', 1)], 'high'))).toContain('## Portcullis: ✅ pass');
    const never = toSummaryMarkdown(input([finding('critical', 1)], 'never'));
    expect(never).toContain('✅ pass');
    expect(never).toContain('`never`');
    expect(never).not.toContain('(blocking)');
  });

  it('collapses rows past 100 inside <details>', () => {
    const md = toSummaryMarkdown(input(Array.from({ length: 150 }, (_, i) => finding('medium', i)), 'high'), opts);
    const [open, rest] = md.split('### Findings')[1]!.split('<details>');
    expect(open!.match(/^\| medium \|/gm)).toHaveLength(100);
    expect(rest).toMatch(/^<summary>50 more findings<\/summary>/);
    expect(rest!.match(/^\| medium \|/gm)).toHaveLength(50);
    expect(rest).toContain('</details>');
    expect(md).not.toContain('not shown');
  });

  it('stays under 1 MiB with 50,000 findings and points to the JSON report', () => {
    const sevs: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
    const fs = Array.from({ length: 50_000 }, (_, i) => finding(sevs[i % 5]!, i, { message: `problem ${i} ${'é'.repeat(100)}` }));
    const notices = Array.from({ length: 500 }, (_, i) => ({ path: `n${i}`, message: `notice ${i}` }));
    const md = toSummaryMarkdown(input(fs, 'high', notices), opts);
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(md)).toBeGreaterThan(SUMMARY_LIMIT_BYTES * 0.9);
    expect(md).toMatch(/_\d+ more findings not shown: the summary is kept under GitHub's 1 MiB limit\. All findings are in the JSON report \(`\/runner\/_temp\/portcullis-report\.json`\)\._/);
    const shown = md.split('### Findings')[1]!.split('\n').filter((l) => l.includes('| [rule-')).length;
    const left = Number(/_(\d+) more findings not shown/.exec(md)![1]);
    expect(shown).toBeGreaterThan(1000);
    expect(shown + left).toBe(50_000);
    // The notices are still there, capped.
    expect(md).toContain('### Notices');
    expect(md).toContain('…and 450 more notices');
    // Criticals come first.
    expect(md.split('### Findings')[1]!.split('\n')[4]).toMatch(/^\| \*\*critical\*\* \(blocking\)/);
    expect(md.trimEnd().endsWith('(see the JSON report)')).toBe(true);
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
