import { describe, expect, it } from 'vitest';
import type { Novelty } from '../../src/core/diff.js';
import { SEVERITIES, type Finding, type Severity } from '../../src/core/types.js';
import { COMMENT_LIMIT, firstSentence, STICKY_MARKER, toPrComment, type PrCommentInput } from '../../src/reporters/pr-comment.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory } from '../../src/scan.js';
import { htmlProblems, links, render, tableProblems, tables, textOf } from './markdown-check.js';

const links0 = { serverUrl: 'https://github.com', repository: 'acme/app', headSha: 'a'.repeat(40), runId: 42, docsBaseUrl: 'https://github.com/acme/portcullis/blob/v1/docs/rules' };
const blob = `https://github.com/acme/app/blob/${'a'.repeat(40)}/`;

function finding(severity: Severity, i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'template-injection', severity, confidence: 'high', message: `${severity} problem ${i}`, path: `.github/workflows/w${i}.yml`,
    line: i + 1, column: 3, endLine: i + 2, endColumn: 9, related: [], fingerprint: `fp${i}`, ...over,
  };
}

function comment(findings: Finding[], novelty: Record<string, Novelty>, over: Partial<PrCommentInput> = {}): string {
  return toPrComment({ findings, novelty: new Map(Object.entries(novelty)), gate: 'new', failOn: 'high', links: links0, rules, ...over });
}

/** Renders and asserts the structural checks every comment must pass. */
function wellFormed(md: string): string {
  const html = render(md);
  expect(htmlProblems(html)).toEqual([]);
  expect(tableProblems(md)).toEqual([]);
  expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  return html;
}

describe('sticky comment', () => {
  const fs = [
    finding('medium', 1),
    finding('critical', 2),
    finding('high', 3),
    finding('low', 4, { suppressed: { kind: 'inSource', reason: 'vendor script, reviewed', path: '.github/workflows/w4.yml', line: 4 } }),
  ];
  const md = comment(fs, { fp1: 'new', fp2: 'new', fp3: 'existing', fp4: 'new' });

  it('starts with the hidden marker and states verdict, gate, fail-on and counts', () => {
    expect(md.startsWith(`${STICKY_MARKER}\n`)).toBe(true);
    expect(md).toContain('## Portcullis: ❌ fail');
    expect(md).toContain('**1 new finding** at or above `high` blocks this pull request (gate: `new`, fail-on: `high`).');
    expect(md).toContain('| New blocking | New | Existing | Suppressed |');
    expect(md).toContain('| 1 | 2 | 1 | 1 |');
  });

  it('lists new findings first (most severe first), existing and suppressed collapsed, then the run link', () => {
    const newAt = md.indexOf('### New findings (2)');
    const oldAt = md.indexOf('<details><summary>Existing findings (1)');
    const supAt = md.indexOf('<details><summary>Suppressed findings (1)');
    expect(newAt).toBeGreaterThan(0);
    expect(oldAt).toBeGreaterThan(newAt);
    expect(supAt).toBeGreaterThan(oldAt);
    expect(md.indexOf('critical problem 2')).toBeLessThan(md.indexOf('medium problem 1'));
    expect(md.indexOf('medium problem 1')).toBeLessThan(oldAt);
    expect(md.indexOf('high problem 3')).toBeGreaterThan(oldAt);
    expect(md).toContain('inSource (.github/workflows/w4.yml:4): vendor script, reviewed');
    expect(md).toContain('[View the run](https://github.com/acme/app/actions/runs/42)');
  });

  it('renders well-formed: tables keep their columns, details close, links go to the head commit file and lines', () => {
    const html = wellFormed(md);
    expect(html).toContain('<details><summary>Existing findings (1)');
    const newTable = tables(md)[1];
    expect(newTable!.header.map((h) => h.text)).toEqual(['Severity', 'Rule', 'Location', 'Message', 'Fix']);
    expect(newTable!.rows.map((r) => r[0]!.text)).toEqual(['⛔ **critical** (blocking)', '🟠 medium']);
    const loc = links(html).filter((l) => l.href.startsWith(blob));
    expect(loc.map((l) => [l.text, l.href])).toEqual(
      [2, 1, 3, 4].map((i) => [`.github/workflows/w${i}.yml:${i + 1}`, `${blob}.github/workflows/w${i}.yml#L${i + 1}-L${i + 2}`]),
    );
    expect(links(html).filter((l) => l.href.endsWith('/template-injection.md'))).toHaveLength(4);
  });

  it("shows the rule's fix shortened to its first sentence", () => {
    const fix = rules.find((r) => r.id === 'template-injection')!.fix;
    expect(md).toContain('Pass the value through an environment variable and reference it quoted: add `env: TITLE: ${{ github.event.pull_request.title }}`');
    expect(firstSentence(fix).endsWith('in github-script).')).toBe(true);
    expect(firstSentence('Use `a.b` here, e.g. like this. Then more.')).toBe('Use `a.b` here, e.g. like this.');
  });

  it('says so plainly when there are no findings (the comment is kept and updated)', () => {
    const clean = comment([], {});
    expect(clean).toContain(STICKY_MARKER);
    expect(clean).toContain('## Portcullis: ✅ pass');
    expect(clean).toContain('✅ No findings: nothing to report in this pull request');
    expect(clean).not.toContain('<details>');
    wellFormed(clean);
  });

  it('passes with only existing findings under gate new; fails on them under gate all with the section open', () => {
    const only = [finding('critical', 1)];
    const pass = comment(only, { fp1: 'existing' });
    expect(pass).toContain('✅ pass');
    expect(pass).toContain('No new findings in this pull request');
    expect(pass).toContain('<details><summary>Existing findings (1)');
    const all = comment(only, { fp1: 'existing' }, { gate: 'all' });
    expect(all).toContain('❌ fail');
    expect(all).toContain('**1 finding** at or above `high` blocks this pull request (gate: `all`');
    expect(all).toContain('### Existing findings (1)');
    expect(all).toContain('⛔ **critical** (blocking)');
    wellFormed(all);
  });

  it('puts the suppressions and config changes the PR adds before any finding', () => {
    const md2 = comment(fs, { fp1: 'new' }, {
      changes: {
        configChanges: [{ path: '.github/portcullis.yml', status: 'modified' }],
        suppressions: [{ path: 'a`b.yml', line: 7, text: '  run: x # portcullis: ignore[template-injection] trust me <b>' }],
      },
    });
    const at = md2.indexOf('### ⚠️ This pull request changes the gate');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md2.indexOf('### New findings'));
    expect(md2).toContain('- modified: configuration `.github/portcullis.yml`');
    const html = wellFormed(md2);
    expect(html).toContain('<code>a&#39;b.yml:7</code>');
    // the rule ids and the reason only: the code before the comment may hold the secret it silences
    expect(html).toContain('<code>ignore[template-injection] trust me &lt;b&gt;</code>');
    expect(html).not.toContain('run: x');
  });

  it('finding text cannot inject HTML, break the table or its links', () => {
    const evil = 'x | y\n<script>alert(1)</script> <img src=x onerror=alert(1)> </details> `code|pipe` [a](javascript:alert(1)) \\| *b* ``';
    const path = 'dir|x/we](ird) `p`<i>.yml';
    const f = finding('critical', 1, { message: evil, path, line: 3, endLine: 5, ruleId: 'x|y)z' });
    const md2 = comment([f, finding('high', 2, { message: evil, path })], { fp1: 'new', fp2: 'existing' });
    const html = wellFormed(md2);
    expect(html).not.toMatch(/<(script|img|i)\b/);
    const table = tables(md2)[1];
    expect(table!.rows[0]).toHaveLength(5);
    expect(textOf(render(`| a |\n| --- |\n| ${md2.split('\n').find((l) => l.includes('critical'))!.split(' | ')[3]} |`).match(/<td>([\s\S]*)<\/td>/)![1]!)).toBe(evil);
    const loc = links(html).filter((l) => l.href.startsWith(blob));
    expect(loc).toHaveLength(2);
    for (const l of loc) {
      const url = new URL(l.href);
      const filePath = url.pathname.split('/').slice(5).map(decodeURIComponent).join('/');
      expect(filePath).toBe(path);
      expect(l.text).toMatch(/^dir\|x\/we\]\(ird\) `p`<i>\.yml:[23]$/);
    }
    expect(loc[0]!.href.endsWith('#L3-L5')).toBe(true);
  });

  it('stays under the limit with 10,000 findings: new ones first, the rest pointed to the job summary', () => {
    const many: Finding[] = [];
    const novelty: Record<string, Novelty> = {};
    for (let i = 0; i < 10_000; i++) {
      const f = finding(SEVERITIES[i % 5]!, i, { message: `problem ${i} `.repeat(20) });
      many.push(f);
      novelty[f.fingerprint] = i % 2 ? 'existing' : 'new';
    }
    const md2 = comment(many, novelty);
    expect(md2.length).toBeLessThanOrEqual(60_000);
    expect(md2).toContain('| 2000 | 5000 | 5000 | 0 |');
    expect(md2).toMatch(/_… and \d+ more new findings: see the job summary or the JSON report\._/);
    expect(md2).toContain('_5000 existing findings not shown (comment size limit)');
    const html = wellFormed(md2);
    const sev = tables(md2)[1]!.rows.map((r) => r[0]!.text.replace(/\*/g, '').split(' ')[1]);
    expect(sev[0]).toBe('critical');
    expect(sev.every((s, i) => i === 0 || SEVERITIES.indexOf(s as Severity) >= SEVERITIES.indexOf(sev[i - 1] as Severity))).toBe(true);
    expect(html).toContain('View the run');
  });

  it('honours a smaller budget and keeps every section closed', () => {
    const fs2 = Array.from({ length: 200 }, (_, i) => finding('high', i, { suppressed: i % 3 === 0 ? { kind: 'baseline', reason: 'debt' } : undefined }));
    const novelty = Object.fromEntries(fs2.map((f, i) => [f.fingerprint, i % 2 ? 'existing' : 'new'] as const));
    for (const max of [3_000, 8_000, 20_000]) {
      const md2 = comment(fs2, novelty, { maxChars: max });
      expect(md2.length).toBeLessThanOrEqual(max);
      wellFormed(md2);
    }
  });

  it('renders the demo fixture\'s real findings well-formed, every location linked to its file and lines', async () => {
    const { findings } = await scanDirectory(new URL('../../fixtures/demo', import.meta.url).pathname);
    expect(findings.length).toBeGreaterThan(10);
    const novelty = Object.fromEntries(findings.map((f, i) => [f.fingerprint, i % 3 ? 'new' : 'existing'] as const));
    const md2 = comment(findings, novelty);
    const html = wellFormed(md2);
    const loc = links(html).filter((l) => l.href.startsWith(blob));
    expect(loc).toHaveLength(findings.length);
    for (const l of loc) {
      const m = /^(.*):(\d+)$/.exec(l.text)!;
      const f = findings.find((x) => x.path === m[1] && x.line === Number(m[2]))!;
      expect(f).toBeDefined();
      expect(l.href).toBe(`${blob}${f.path.split('/').map(encodeURIComponent).join('/')}#L${f.line}-L${f.endLine}`);
    }
  });
});
