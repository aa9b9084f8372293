import { compareByPriority } from '../core/engine.js';
import { isBlocking, type FailOn, type Summary } from '../core/gate.js';
import { SEVERITIES, type Finding, type Notice } from '../core/types.js';
import { isListed, unlistedCounts } from './unlisted.js';
import { blobUrl, code, link, message, text, url } from './markdown.js';

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
  /** Notes on the pull request (e.g. why no comment was posted), listed at the end; their `code` spans stay code. */
  notes?: readonly string[];
}

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_BUDGET = SUMMARY_LIMIT_BYTES - 16 * 1024;
const MAX_NOTICES = 50;
const MAX_CELL_CHARS = 1000;
const CELL = { cell: true, max: MAX_CELL_CHARS } as const;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Markdown for the job summary: verdict, counts, a findings table sized to stay under the limit, notices. */
export function toSummaryMarkdown(input: SummaryInput, options: SummaryOptions = {}): string {
  const { summary, failOn } = input;
  const budget = options.maxBytes ?? DEFAULT_BUDGET;
  const openRows = options.openRows ?? 100;
  const pointer = `the JSON report${options.reportPath ? ` (${code(options.reportPath)})` : ''}`;

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
  const unlisted = unlistedCounts(input.findings);
  if (unlisted) head.push('', `Not listed: ${unlisted}. They are outside the gate's file contexts and cannot block; ${pointer} lists them.`);
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

  const tail = suppressionsSection(input.findings, options) + noticesSection(input.notices) + notesSection(options.notes ?? []);
  const closing = '\n</details>\n';
  const truncNoteReserve = 400;
  let room = budget - bytes(headText) - bytes(tail) - bytes(closing) - truncNoteReserve;

  const sorted = input.findings.filter(isListed).sort(compareByPriority);
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
  const pr = o.novelty ? ` ${o.novelty(f)} |` : '';
  return `| ${sev} | ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${location(f, o)} |${pr} ${message(f.message, CELL)} |\n`;
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
    const at = s.path && s.kind !== 'baseline' ? ` (${text(s.path, CELL)}${s.line ? `:${s.line}` : ''})` : '';
    lines.push(`| ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${location(f, o)} | ${KIND_LABEL[s.kind]}${at} | ${text(s.reason, CELL)} |`);
  }
  if (list.length > MAX_SUPPRESSION_ROWS) lines.push('', `_…and ${list.length - MAX_SUPPRESSION_ROWS} more suppressed findings (see the JSON report)._`);
  return lines.join('\n') + '\n';
}

function ruleCell(id: string, docsBaseUrl?: string): string {
  return docsBaseUrl ? link(id, url(docsBaseUrl, [`${id}.md`]), CELL) : text(id, CELL);
}

/** `path:line`, linked to the file at the commit when the repository is known. */
function location(f: Finding, o: SummaryOptions): string {
  return o.repoUrl && o.sha ? link(`${f.path}:${f.line}`, blobUrl(o.repoUrl, o.sha, f), CELL) : `${text(f.path, CELL)}:${f.line}`;
}

function notesSection(notes: readonly string[]): string {
  return notes.length ? `\n### Pull request\n\n${notes.map((n) => `- ${message(n, { max: MAX_CELL_CHARS })}`).join('\n')}\n` : '';
}

function noticesSection(notices: readonly Notice[]): string {
  if (notices.length === 0) return '';
  const lines = ['', '### Notices', ''];
  for (const n of notices.slice(0, MAX_NOTICES)) {
    const where = n.path ? `${text(n.path, { max: MAX_CELL_CHARS })}${n.line ? `:${n.line}` : ''}: ` : '';
    lines.push(`- ${where}${message(n.message, { max: MAX_CELL_CHARS })}`);
  }
  if (notices.length > MAX_NOTICES) lines.push(`- …and ${notices.length - MAX_NOTICES} more notices (see the JSON report)`);
  return lines.join('\n') + '\n';
}
