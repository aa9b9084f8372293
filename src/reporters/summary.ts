import { compareByPriority } from '../core/engine.js';
import { isBlocking, type FailOn, type Summary } from '../core/gate.js';
import { SEVERITIES, type Finding, type Notice } from '../core/types.js';

/** What the summary needs from a scan (a ScanResult fits). */
export interface SummaryInput {
  findings: readonly Finding[];
  notices: readonly Notice[];
  summary: Summary;
  failOn: FailOn;
  /** Baseline entries that matched / match nothing any more, when a baseline was given. */
  baseline?: { matched: number; stale: number };
}

export interface SummaryOptions {
  /** e.g. https://github.com/owner/repo: with `sha`, locations link to the file at that commit. */
  repoUrl?: string;
  sha?: string;
  /** Folder URL holding `<rule-id>.md`; rule ids link there when given. */
  docsBaseUrl?: string;
  /** Path of the JSON report, named wherever something is left out. */
  reportPath?: string;
  /** Rows shown before the rest collapse into `<details>`. */
  openRows?: number;
  /** Size budget in bytes (GitHub drops a step summary over 1 MiB). */
  maxBytes?: number;
  /** The gate's verdict per finding (e.g. `gate: new` on a pull request); default: at or above `failOn`. */
  isBlocking?: (f: Finding) => boolean;
  /** With `gate: new`: whether the change introduced the finding; the findings table gains a column titled `noveltyTitle`. */
  novelty?: (f: Finding) => 'new' | 'existing';
  /** The change the novelty column is about: "Pull request" (default), "Merge group", "Push". */
  noveltyTitle?: string;
  /** Markdown lines shown under the verdict (e.g. what `gate: new` means for this run). */
  gateNote?: string;
  /** Markdown appended at the end (e.g. why no pull request comment was posted). */
  extra?: string;
}

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_BUDGET = SUMMARY_LIMIT_BYTES - 16 * 1024;
const MAX_NOTICES = 50;
const MAX_CELL_CHARS = 1000;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Markdown for the job summary: verdict, counts, a findings table sized to stay under the limit, notices. */
export function toSummaryMarkdown(input: SummaryInput, options: SummaryOptions = {}): string {
  const { summary, failOn } = input;
  const budget = options.maxBytes ?? DEFAULT_BUDGET;
  const openRows = options.openRows ?? 100;
  const pointer = `the JSON report${options.reportPath ? ` (\`${escapeCode(options.reportPath)}\`)` : ''}`;

  const head: string[] = [];
  const verdict = summary.result === 'fail' ? '❌ fail' : '✅ pass';
  head.push(`## Portcullis: ${verdict}`, '');
  if (failOn === 'never') head.push(`Fail-on is \`never\`: findings never fail the step. ${summary.total} finding(s).`);
  else if (summary.blocking > 0)
    head.push(`**${summary.blocking}** of ${summary.total} finding(s) at or above \`${failOn}\` (fail-on: \`${failOn}\`).`);
  else head.push(`No findings at or above \`${failOn}\` (fail-on: \`${failOn}\`); ${summary.total} finding(s) in total.`);
  if (summary.suppressed > 0 || input.baseline) {
    const stale = input.baseline ? ` ${input.baseline.stale} baseline ${input.baseline.stale === 1 ? 'entry is' : 'entries are'} fixed (no longer match a finding).` : '';
    head.push('', `${summary.suppressed} suppressed (never blocking; listed under Suppressions).${stale}`);
  }
  if (options.gateNote) head.push('', options.gateNote);
  head.push('');

  if (summary.total > 0) {
    head.push('| Severity | Findings |', '| --- | ---: |');
    for (const s of SEVERITIES) if (summary.bySeverity[s] > 0) head.push(`| ${s} | ${summary.bySeverity[s]} |`);
    head.push('', '| Rule | Findings |', '| --- | ---: |');
    const rules = Object.entries(summary.byRule).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [id, n] of rules) head.push(`| ${ruleCell(id, options.docsBaseUrl)} | ${n} |`);
    head.push('');
  }
  const headText = head.join('\n') + '\n';

  const tail = suppressionsSection(input.findings, options) + noticesSection(input.notices) + (options.extra ? `\n${options.extra.trimEnd()}\n` : '');
  const closing = '\n</details>\n';
  const truncNoteReserve = 400;
  let room = budget - bytes(headText) - bytes(tail) - bytes(closing) - truncNoteReserve;

  const sorted = [...input.findings].sort(compareByPriority);
  const parts: string[] = [];
  const header = options.novelty
    ? `| Severity | Rule | Location | ${options.noveltyTitle ?? 'Pull request'} | Message |\n| --- | --- | --- | --- | --- |\n`
    : '| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n';
  let shown = 0;
  let inDetails = false;
  if (sorted.length > 0) {
    const title = '### Findings\n\n' + header;
    room -= bytes(title);
    parts.push(title);
  }
  for (const f of sorted) {
    let chunk = row(f, failOn, options);
    if (shown === openRows) {
      const rest = sorted.length - openRows;
      chunk = `\n<details><summary>${rest} more finding${rest === 1 ? '' : 's'}</summary>\n\n${header}${chunk}`;
    }
    const size = bytes(chunk);
    if (size > room) break;
    room -= size;
    parts.push(chunk);
    if (shown === openRows) inDetails = true;
    shown++;
  }
  if (inDetails) parts.push(closing);
  if (shown < sorted.length) {
    const left = sorted.length - shown;
    parts.push(`\n_${left} more finding${left === 1 ? '' : 's'} not shown: the summary is kept under GitHub's 1 MiB limit. All findings are in ${pointer}._\n`);
  }
  return headText + parts.join('') + tail;
}

function row(f: Finding, failOn: FailOn, o: SummaryOptions): string {
  const blocking = o.isBlocking ? o.isBlocking(f) : isBlocking(f, failOn);
  const sev = blocking ? `**${f.severity}** (blocking)` : f.suppressed ? `${f.severity} (${f.suppressed.kind === 'baseline' ? 'baselined' : 'suppressed'})` : f.severity;
  const where = `${escapeCell(f.path)}:${f.line}`;
  const loc = o.repoUrl && o.sha ? `[${where}](${blobUrl(o.repoUrl, o.sha, f)})` : where;
  const pr = o.novelty ? ` ${o.novelty(f)} |` : '';
  return `| ${sev} | ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${loc} |${pr} ${escapeCell(f.message)} |\n`;
}

const MAX_SUPPRESSION_ROWS = 200;
const KIND_LABEL = { inSource: 'inline comment', external: 'config ignore', baseline: 'baseline' } as const;

/** Every suppressed finding, inline and config ones first (those are decisions to review), then baselined ones. */
function suppressionsSection(findings: readonly Finding[], o: SummaryOptions): string {
  const rank = { inSource: 0, external: 1, baseline: 2 } as const;
  const list = findings.filter((f) => f.suppressed).sort((a, b) => rank[a.suppressed!.kind] - rank[b.suppressed!.kind] || compareByPriority(a, b));
  if (list.length === 0) return '';
  const lines = ['', '### Suppressions', '', '| Rule | Location | Kind | Reason |', '| --- | --- | --- | --- |'];
  for (const f of list.slice(0, MAX_SUPPRESSION_ROWS)) {
    const s = f.suppressed!;
    const where = `${escapeCell(f.path)}:${f.line}`;
    const loc = o.repoUrl && o.sha ? `[${where}](${blobUrl(o.repoUrl, o.sha, f)})` : where;
    const at = s.path && s.kind !== 'baseline' ? ` (${escapeCell(s.path)}${s.line ? `:${s.line}` : ''})` : '';
    lines.push(`| ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${loc} | ${KIND_LABEL[s.kind]}${at} | ${escapeCell(s.reason)} |`);
  }
  if (list.length > MAX_SUPPRESSION_ROWS) lines.push('', `_…and ${list.length - MAX_SUPPRESSION_ROWS} more suppressed findings (see the JSON report)._`);
  return lines.join('\n') + '\n';
}

function ruleCell(id: string, docsBaseUrl?: string): string {
  const text = escapeCell(id);
  return docsBaseUrl ? `[${text}](${docsBaseUrl.replace(/\/+$/, '')}/${urlSegment(id)}.md)` : text;
}

export function blobUrl(repoUrl: string, sha: string, f: Pick<Finding, 'path' | 'line' | 'endLine'>): string {
  const path = f.path.split('/').map(urlSegment).join('/');
  return `${repoUrl.replace(/\/+$/, '')}/blob/${urlSegment(sha)}/${path}#L${f.line}-L${f.endLine}`;
}

function urlSegment(s: string): string {
  return encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function noticesSection(notices: readonly Notice[]): string {
  if (notices.length === 0) return '';
  const lines = ['', '### Notices', ''];
  for (const n of notices.slice(0, MAX_NOTICES)) {
    const where = n.path ? `${escapeCell(n.path)}${n.line ? `:${n.line}` : ''}: ` : '';
    lines.push(`- ${where}${escapeCell(n.message)}`);
  }
  if (notices.length > MAX_NOTICES) lines.push(`- …and ${notices.length - MAX_NOTICES} more notices (see the JSON report)`);
  return lines.join('\n') + '\n';
}

/**
 * Text from findings is data, not markup: no HTML, no table breaks, no links or emphasis of its own.
 * Single-line `code spans` stay code spans (their content renders literally); newlines become `<br>`
 * (ours, not the finding's); long cells are clipped.
 */
export function escapeCell(s: string): string {
  const clipped = s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS - 1)}…` : s;
  let out = '';
  let last = 0;
  for (const m of clipped.matchAll(/`([^`\r\n|]+)`/g)) {
    out += escapeText(clipped.slice(last, m.index)) + '`' + m[1]! + '`';
    last = m.index + m[0].length;
  }
  return out + escapeText(clipped.slice(last));
}

function escapeText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function escapeCode(s: string): string {
  return s.replace(/[`\r\n]/g, '');
}
