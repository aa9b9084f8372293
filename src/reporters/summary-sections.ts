// The job summary's cells and the sections after its findings: suppressions, notices, notes, and the counts last.
import { compareByPriority } from '../core/engine.js';
import type { Summary } from '../core/gate.js';
import { SEVERITIES, type Finding, type Notice } from '../core/types.js';
import { blobUrl, link, message, placeLabel, text, url } from './markdown.js';

const MAX_NOTICES = 50;
const MAX_CELL_CHARS = 1000;
export const CELL = { cell: true, max: MAX_CELL_CHARS } as const;

/** Where the summary's links point. */
export interface LinkOptions {
  repoUrl?: string;
  sha?: string;
  docsBaseUrl?: string;
}

export const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

const MAX_SUPPRESSION_ROWS = 200;
const KIND_LABEL = { inSource: 'inline comment', external: 'config ignore', baseline: 'baseline' } as const;

/** Every suppressed finding, inline and config ones first (those are decisions to review), then baselined ones. */
export function suppressionsSection(findings: readonly Finding[], o: LinkOptions): string {
  const rank = { inSource: 0, external: 1, baseline: 2 } as const;
  const list = findings.filter((f) => f.suppressed).sort((a, b) => rank[a.suppressed!.kind] - rank[b.suppressed!.kind] || compareByPriority(a, b));
  if (list.length === 0) return '';
  const lines = ['', '### Suppressions', '', '| Rule | Location | Kind | Reason |', '| --- | --- | --- | --- |'];
  for (const f of list.slice(0, MAX_SUPPRESSION_ROWS)) {
    const s = f.suppressed!;
    const at = s.path && s.kind !== 'baseline' ? ` (${text(s.path, CELL)}${s.line ? `:${s.line}` : ''})` : '';
    lines.push(`| ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${location(f, o)} | ${KIND_LABEL[s.kind]}${at} | ${text(s.reason, CELL)} |`);
  }
  if (list.length > MAX_SUPPRESSION_ROWS) lines.push('', `_…and ${list.length - MAX_SUPPRESSION_ROWS} more suppressed findings (see the JSON report)._`);
  return lines.join('\n') + '\n';
}

/** Counts by severity and by rule, every finding included: collapsed, last. */
export function countsSection(summary: Summary, o: LinkOptions): string {
  if (summary.total === 0) return '';
  const rules = Object.entries(summary.byRule).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const lines = ['', `<details><summary>Findings per rule (${plural(rules.length, 'rule')}) and severity</summary>`, '', '| Rule | Findings |', '| --- | ---: |'];
  for (const [id, n] of rules) lines.push(`| ${ruleCell(id, o.docsBaseUrl)} | ${n} |`);
  lines.push('', '| Severity | Findings |', '| --- | ---: |');
  for (const s of SEVERITIES) if (summary.bySeverity[s] > 0) lines.push(`| ${s} | ${summary.bySeverity[s]} |`);
  lines.push('', '</details>');
  return lines.join('\n') + '\n';
}

export function ruleCell(id: string, docsBaseUrl?: string): string {
  return docsBaseUrl ? link(id, url(docsBaseUrl, [`${id}.md`]), CELL) : text(id, CELL);
}

/** `path:line`, linked to the file at the commit when the repository is known. */
export function location(f: Finding, o: LinkOptions): string {
  return o.repoUrl && o.sha ? link(placeLabel(f), blobUrl(o.repoUrl, o.sha, f), CELL) : text(placeLabel(f), CELL);
}

export function notesSection(notes: readonly string[]): string {
  return notes.length ? `\n### Pull request\n\n${notes.map((n) => `- ${message(n, { max: MAX_CELL_CHARS })}`).join('\n')}\n` : '';
}

export function noticesSection(notices: readonly Notice[]): string {
  if (notices.length === 0) return '';
  const lines = ['', '### Notices', ''];
  for (const n of notices.slice(0, MAX_NOTICES)) {
    const where = n.path ? `${text(n.path, { max: MAX_CELL_CHARS })}${n.line ? `:${n.line}` : ''}: ` : '';
    lines.push(`- ${where}${message(n.message, { max: MAX_CELL_CHARS })}`);
  }
  if (notices.length > MAX_NOTICES) lines.push(`- …and ${notices.length - MAX_NOTICES} more notices (see the JSON report)`);
  return lines.join('\n') + '\n';
}
