import { describe, expect, it } from 'vitest';
import type { Novelty } from '../../src/core/diff.js';
import { SEVERITIES, type Finding, type Severity } from '../../src/core/types.js';
import { COMMENT_LIMIT, DEFAULT_BUDGET, STICKY_MARKER, toPrComment, type PrCommentInput } from '../../src/reporters/pr-comment.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory } from '../../src/scan.js';
import { decodeEntities, htmlProblems, links, render, tableProblems, textOf } from './markdown-check.js';

const links0 = { serverUrl: 'https://github.com', repository: 'acme/app', headSha: 'a'.repeat(40), runId: 42, docsBaseUrl: 'https://github.com/acme/portcullis/blob/v1/docs/rules' };
const blob = `https://github.com/acme/app/blob/${'a'.repeat(40)}/`;
const TITLE = rules.find((r) => r.id === 'template-injection')!.title;

function finding(severity: Severity, i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'template-injection', severity, confidence: 'high', message: `${severity} problem ${i}`, path: `.github/workflows/w${i}.yml`,
    line: i + 1, column: 3, endLine: i + 2, endColumn: 9, related: [], fingerprint: `fp${i}`, ...over,
  };
}

function comment(findings: Finding[], novelty: Record<string, Novelty>, over: Partial<PrCommentInput> = {}): string {
  return toPrComment({ findings, novelty: new Map(Object.entries(novelty)), gate: 'new', failOn: 'high', links: links0, rules, ...over });
}

/** The rendered rows of every table: each row's cells as HTML. */
function renderedRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

/** Renders and asserts what every comment must pass: balanced HTML, tables of at most 4 columns that keep them, the size limit. */
function wellFormed(md: string): string {
  const html = render(md);
  expect(htmlProblems(html)).toEqual([]);
  expect(tableProblems(md)).toEqual([]);
  for (const r of renderedRows(html)) expect(r.length).toBeLessThanOrEqual(4);
  expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  return html;
}

/** The section of the rendered comment from `title` to the next section. */
function section(html: string, title: string): string {
  const at = html.indexOf(title);
  expect(at, title).toBeGreaterThanOrEqual(0);
  const next = html.slice(at + title.length).search(/<h3>|<details><summary>(New|Other|Existing|Suppressed|Blocking)|<hr>/);
  return html.slice(at, next < 0 ? undefined : at + title.length + next);
}

describe('sticky comment', () => {
  const fs = [
    finding('medium', 1),
    finding('critical', 2),
    finding('high', 3),
    finding('low', 4, { suppressed: { kind: 'inSource', reason: 'vendor script, reviewed', path: '.github/workflows/w4.yml', line: 4 } }),
    finding('high', 5),
  ];
  const md = comment(fs, { fp1: 'new', fp2: 'new', fp3: 'existing', fp4: 'new', fp5: 'new' }, { inline: new Set(['fp2']) });

  it('starts with the hidden marker, then the verdict, what blocks, and the counts on one line', () => {
    expect(md.startsWith(`${STICKY_MARKER}\n`)).toBe(true);
    const lines = md.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      STICKY_MARKER,
      '',
      '## Portcullis: ❌ fail',
      '',
      '**2 new findings** at or above `high` block this pull request (gate: `new`, fail-on: `high`).',
      '',
      '3 new (2 blocking) · 1 existing · 1 suppressed',
    ]);
  });

  it('lists the blocking findings open, then other new, existing and suppressed findings collapsed, then the run link', () => {
    const at = (s: string) => md.indexOf(s);
    expect(at('### New blocking findings (2)')).toBeGreaterThan(0);
    expect(at('<details><summary>Other new findings (1): not blocking</summary>')).toBeGreaterThan(at('### New blocking findings (2)'));
    expect(at('<details><summary>Existing findings (1): not introduced by this pull request</summary>')).toBeGreaterThan(at('<details><summary>Other new'));
    expect(at('<details><summary>Suppressed findings (1)</summary>')).toBeGreaterThan(at('<details><summary>Existing'));
    expect(at('[View the run](https://github.com/acme/app/actions/runs/42)')).toBeGreaterThan(at('<details><summary>Suppressed'));
    expect(md).toContain('inSource (.github/workflows/w4.yml:4): vendor script, reviewed');
  });

  it('gives each finding one line of 4 columns: severity icon, rule (code, linked to its doc), path:line at the head commit, title', () => {
    const html = wellFormed(md);
    const blocking = renderedRows(section(html, 'New blocking findings (2)'));
    expect(blocking[0]!.map((c) => textOf(c).trim())).toEqual(['', 'Rule', 'Location', 'Finding']);
    expect(blocking.slice(1).map((r) => textOf(r[0]!).trim())).toEqual(['⛔', '🔴']);
    expect(blocking[1]![1]).toBe(`<a href="${links0.docsBaseUrl}/template-injection.md"><code>template-injection</code></a>`);
    expect(links(blocking[1]![2]!)).toEqual([{ href: `${blob}.github/workflows/w2.yml#L3-L4`, text: '.github/workflows/w2.yml:3' }]);
    expect(links(blocking[2]![2]!)).toEqual([{ href: `${blob}.github/workflows/w5.yml#L6-L7`, text: '.github/workflows/w5.yml:6' }]);
    // No Fix column, no Message column: the message is said once, below.
    expect(md).not.toContain('| Fix |');
  });

  it('says a message once: not again for a finding its review comment explains, collapsed under the title otherwise', () => {
    const html = wellFormed(md);
    const rows = renderedRows(section(html, 'New blocking findings (2)')).slice(1);
    // fp2 has an inline review comment: its line is the title only.
    expect(rows[0]![3]).toBe(TITLE);
    expect(html).not.toContain('critical problem 2');
    // fp5 has none: the title opens its message.
    expect(rows[1]![3]).toBe(`<details><summary>${TITLE}</summary>high problem 5</details>`);
    expect(md).toContain('Findings on lines this pull request changes are explained in review comments on the diff.');
  });

  it('counts existing findings per severity and rule instead of listing them', () => {
    const many = Array.from({ length: 12 }, (_, i) => finding(i < 3 ? 'critical' : 'medium', i, { ruleId: i % 2 ? 'unpinned-image' : 'runs-as-root' }));
    const out = comment(many, Object.fromEntries(many.map((f) => [f.fingerprint, 'existing'])));
    const html = wellFormed(out);
    const existing = section(html, 'Existing findings (12)');
    expect(textOf(existing)).toContain('⛔ critical (3): runs-as-root ×2, unpinned-image');
    expect(textOf(existing)).toContain('🟠 medium (9): unpinned-image ×5, runs-as-root ×4');
    expect(links(existing)).toEqual([]);
  });

  it('groups a rule that fires more than 5 times in a table into one line; 5 stay lines of their own', () => {
    const six = Array.from({ length: 6 }, (_, i) => finding('high', i, { path: `d${i % 4}/Dockerfile`, ruleId: 'latest-image-tag' }));
    const five = Array.from({ length: 5 }, (_, i) => finding('high', 10 + i, { ruleId: 'unpinned-image' }));
    const all = [...six, ...five];
    const html = wellFormed(comment(all, {}));
    const rows = renderedRows(section(html, 'New blocking findings (11)')).slice(1);
    expect(rows).toHaveLength(6);
    const grouped = rows.find((r) => r[1]!.includes('latest-image-tag'))!;
    expect(textOf(grouped[2]!)).toBe('6 findings in 4 files, first d0/Dockerfile:1');
    expect(links(grouped[2]!)[0]!.href).toBe(`${blob}d0/Dockerfile#L1-L2`);
    expect(rows.filter((r) => r[1]!.includes('unpinned-image'))).toHaveLength(5);
  });

  it('says so plainly when there are no findings (the comment is kept and updated)', () => {
    const clean = comment([], {});
    expect(clean).toContain(STICKY_MARKER);
    expect(clean).toContain('## Portcullis: ✅ pass');
    expect(clean).toContain('✅ No findings: nothing to report in this pull request');
    expect(clean).not.toContain('<details>');
    wellFormed(clean);
  });

  it('passes with only existing findings under gate new; under gate all lists them as blocking, after the new ones, tagged existing', () => {
    const only = [finding('critical', 1)];
    const pass = comment(only, { fp1: 'existing' });
    expect(pass).toContain('✅ pass');
    expect(pass).toContain('No new findings in this pull request');
    expect(pass).toContain('<details><summary>Existing findings (1): not introduced by this pull request');
    const all = comment([...only, finding('high', 2)], { fp1: 'existing', fp2: 'new' }, { gate: 'all' });
    expect(all).toContain('❌ fail');
    expect(all).toContain('**2 findings** at or above `high` block this pull request (gate: `all`');
    expect(all).toContain('2 blocking · 1 new · 1 existing · 0 suppressed');
    const rows = renderedRows(section(wellFormed(all), 'Blocking findings (2)')).slice(1);
    expect(rows.map((r) => textOf(r[3]!))).toEqual([`${TITLE}high problem 2`, `${TITLE} (existing)critical problem 1`]);
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
    expect(at).toBeLessThan(md2.indexOf('### New blocking findings'));
    expect(md2).toContain('- modified: configuration `.github/portcullis.yml`');
    const html = wellFormed(md2);
    expect(html).toContain('<code>a`b.yml:7</code>');
    // the rule ids and the reason only: the code before the comment may hold the secret it silences
    expect(html).toContain('<code>ignore[template-injection] trust me &lt;b&gt;</code>');
    expect(html).not.toContain('run: x');
  });

  it('finding text cannot inject HTML, break the table, its collapsed detail or its links', () => {
    const evil = 'x | y\n<script>alert(1)</script> <img src=x onerror=alert(1)> </details></summary> `code|pipe` [a](javascript:alert(1)) \\| *b* ``';
    const path = 'dir|x/we](ird) `p`<i>.yml';
    const f = finding('critical', 1, { message: evil, path, line: 3, endLine: 5, ruleId: 'x|y)z' });
    const md2 = comment([f, finding('high', 2, { message: evil, path })], { fp1: 'new', fp2: 'new' });
    const html = wellFormed(md2);
    expect(html).not.toMatch(/<(script|img|i)\b/);
    const rows = renderedRows(section(html, 'New blocking findings (2)')).slice(1);
    expect(rows[0]).toHaveLength(4);
    // Unknown rule: the message is the title; the detail keeps the message's own code span and every other character.
    const detail = /<details><summary>[\s\S]*?<\/summary>([\s\S]*)<\/details>$/.exec(rows[0]![3]!)![1]!;
    expect(detail).toContain('<code>code|pipe</code>');
    expect(textOf(detail)).toBe(evil.replace('`code|pipe`', 'code|pipe'));
    const loc = links(html).filter((l) => l.href.startsWith(blob));
    expect(loc).toHaveLength(2);
    for (const l of loc) {
      const u = new URL(l.href);
      expect(u.pathname.split('/').slice(5).map(decodeURIComponent).join('/')).toBe(path);
      expect(l.text).toMatch(/^dir\|x\/we\]\(ird\) `p`<i>\.yml:[23]$/);
    }
    expect(loc[0]!.href.endsWith('#L3-L5')).toBe(true);
  });

  it('stays within its default budget with 10,000 findings, every section pointing to the job summary for the rest', () => {
    const many: Finding[] = [];
    const novelty: Record<string, Novelty> = {};
    for (let i = 0; i < 10_000; i++) {
      const f = finding(SEVERITIES[i % 5]!, i, { message: `problem ${i} `.repeat(20), ruleId: `rule-${i % 2000}` });
      many.push(f);
      novelty[f.fingerprint] = i % 2 ? 'existing' : 'new';
    }
    const md2 = comment(many, novelty);
    expect(md2.length).toBeLessThanOrEqual(DEFAULT_BUDGET);
    expect(md2).toContain('5000 new (2000 blocking) · 5000 existing · 0 suppressed');
    expect(md2).toMatch(/_… and \d+ more blocking findings: see the job summary\._/);
    expect(md2).toMatch(/_… and \d+ more new findings: see the job summary\._/);
    const html = wellFormed(md2);
    const sev = renderedRows(section(html, 'New blocking findings (2000)')).slice(1).map((r) => textOf(r[0]!).trim());
    expect(sev.length).toBeGreaterThan(0);
    expect(sev.every((s, i) => i === 0 || '⛔🔴'.indexOf(s) >= '⛔🔴'.indexOf(sev[i - 1]!))).toBe(true);
    expect(html).toContain('View the run');
    expect(comment(many, novelty, { maxChars: 60_000 }).length).toBeLessThanOrEqual(60_000);
  });

  it('honours a smaller budget and never drops a section silently', () => {
    const fs2 = Array.from({ length: 200 }, (_, i) => finding(i % 4 ? 'high' : 'medium', i, { ruleId: `r${i % 30}`, suppressed: i % 3 === 0 ? { kind: 'baseline', reason: 'debt' } : undefined }));
    const novelty = Object.fromEntries(fs2.map((f, i) => [f.fingerprint, i % 2 ? 'existing' : 'new'] as const));
    for (const max of [3_000, 8_000, 20_000]) {
      const md2 = comment(fs2, novelty, { maxChars: max });
      expect(md2.length).toBeLessThanOrEqual(max);
      const shown = [['New blocking findings', 'blocking finding'], ['Other new findings', 'new finding'], ['Existing findings', 'existing finding'], ['Suppressed findings', 'suppressed finding']];
      for (const [title, noun] of shown) expect(md2.includes(`${title} (`) || new RegExp(`_\\d+ ${noun}s? not shown`).test(md2), `${max}: ${title}`).toBe(true);
      wellFormed(md2);
    }
  });

  it("renders the demo fixture's real findings well-formed, every listed location linked to its file and lines", async () => {
    const { findings } = await scanDirectory(new URL('../../fixtures/demo', import.meta.url).pathname);
    expect(findings.length).toBeGreaterThan(10);
    const novelty = Object.fromEntries(findings.map((f, i) => [f.fingerprint, i % 3 ? 'new' : 'existing'] as const));
    const html = wellFormed(comment(findings, novelty));
    const loc = links(html).filter((l) => l.href.startsWith(blob));
    expect(loc.length).toBeGreaterThan(10);
    for (const l of loc) {
      const m = /(?:^|first )([^ ]*):(\d+)$/.exec(l.text)!;
      const f = findings.find((x) => x.path === m[1] && x.line === Number(m[2]))!;
      expect(f, l.text).toBeDefined();
      expect(l.href).toBe(`${blob}${f.path.split('/').map(encodeURIComponent).join('/')}#L${f.line}-L${f.endLine}`);
    }
    // Every code span in the rendered comment is whole: no backtick left over outside code.
    expect(decodeEntities(html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<pre>[\s\S]*?<\/pre>/g, ''))).not.toContain('`');
  });
});
