import { compareByPriority } from '../core/engine.js';
import type { GateMode } from '../core/diff.js';
import { isBlocking, type FailOn, type Summary } from '../core/gate.js';
import type { Finding, Notice } from '../core/types.js';
import { isListed, unlistedCounts } from './unlisted.js';
import { blobUrl, code, link, message, text } from './markdown.js';
import { CELL, countsSection, location, noticesSection, notesSection, plural, ruleCell, suppressionsSection } from './summary-sections.js';

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
  /** Findings listed one per row; past them the rest are grouped by rule and file (default 100). */
  openRows?: number;
  /** Size budget in bytes (default just under 150 KB; GitHub drops a step summary over 1 MiB). */
  maxBytes?: number;
  /** The gate's verdict per finding (e.g. `gate: new` on a pull request); default: at or above `failOn`. */
  isBlocking?: (f: Finding) => boolean;
  /** On a pull request: whether the PR introduced the finding; existing findings get their own, collapsed section. */
  novelty?: (f: Finding) => 'new' | 'existing';
  /** What the novelty is about: "this pull request" (default), "this merge group", "this push". */
  subject?: string;
  /** The effective gate: with `new` the headline counts new blocking findings against all at or above fail-on. */
  gate?: GateMode;
  /** Markdown lines shown under the verdict (e.g. what `gate: new` means for this run). */
  gateNote?: string;
  /** Notes on the pull request (e.g. why no comment was posted), listed at the end; their `code` spans stay code. */
  notes?: readonly string[];
}

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** What the summary aims under: past it a reader scrolls forever, and the JSON report has everything. */
export const SUMMARY_TARGET_BYTES = 150 * 1024;
const DEFAULT_BUDGET = SUMMARY_TARGET_BYTES - 2 * 1024;
const MAX_GROUP_LINES = 20;
const HEADER = '| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

interface Section {
  title: string;
  list: Finding[];
  open: boolean;
}

/**
 * Markdown for the job summary, the answer first: (1) the verdict and the headline for the gate mode,
 * (2) the blocking findings, (3) the other new findings, (4) the existing ones collapsed, then
 * suppressions, notices and notes, and (5) the counts per severity and rule, collapsed, last. The first
 * 100 findings get a row each, the rest one row per rule and file, within a size budget that names the
 * JSON report for whatever it leaves out.
 */
export function toSummaryMarkdown(input: SummaryInput, options: SummaryOptions = {}): string {
  const { summary, failOn } = input;
  const budget = options.maxBytes ?? DEFAULT_BUDGET;
  const openRows = options.openRows ?? 100;
  const pointer = `the JSON report${options.reportPath ? ` (${code(options.reportPath)})` : ''}`;
  const blocks = options.isBlocking ?? ((f: Finding) => isBlocking(f, failOn));
  const gateNew = options.gate === 'new';
  const novelty = options.novelty ?? ((): 'new' | 'existing' => 'new');

  const headText = head(input, options, pointer);
  const tail = suppressionsSection(input.findings, options) + noticesSection(input.notices) + notesSection(options.notes ?? []) + countsSection(summary, options);
  const truncNoteReserve = 400;
  let room = budget - bytes(headText) - bytes(tail) - truncNoteReserve;

  const live = input.findings.filter((f) => isListed(f) && !f.suppressed).sort(compareByPriority);
  const blocking = live.filter(blocks);
  const prior = gateNew ? [] : blocking.filter((f) => novelty(f) === 'existing');
  const sections: Section[] = options.novelty
    ? [
        // The pull request's own blocking findings first; in `gate: all` the existing blocking ones after them.
        { title: `${gateNew ? 'New blocking' : 'Blocking'} findings (${blocking.length})`, list: [...blocking.filter((f) => novelty(f) === 'new'), ...prior], open: true },
        { title: `Other new findings (${live.filter((f) => !blocks(f) && novelty(f) === 'new').length})`, list: live.filter((f) => !blocks(f) && novelty(f) === 'new'), open: true },
        {
          title: `Existing findings (${live.filter((f) => !blocks(f) && novelty(f) === 'existing').length}): not introduced by ${options.subject ?? 'this pull request'}${gateNew ? '' : ', not blocking'}`,
          list: live.filter((f) => !blocks(f) && novelty(f) === 'existing'),
          open: false,
        },
      ]
    : [
        { title: `${gateNew ? 'New blocking' : 'Blocking'} findings (${blocking.length})`, list: blocking, open: true },
        { title: `Other ${gateNew ? 'new ' : ''}findings (${live.length - blocking.length})`, list: live.filter((f) => !blocks(f)), open: true },
      ];

  const parts: string[] = [];
  let rowsShown = 0;
  let left = 0;
  let groupedNote = false;
  for (const s of sections) {
    if (s.list.length === 0) continue;
    if (left > 0) {
      left += s.list.length;
      continue;
    }
    const start = s.open ? `\n### ${s.title}\n\n${HEADER}` : `\n<details><summary>${s.title}</summary>\n\n${HEADER}`;
    const end = s.open ? '' : '\n</details>\n';
    room -= bytes(start) + bytes(end);
    const chunks: string[] = [];
    const one = s.list.slice(0, Math.max(0, openRows - rowsShown));
    const rest = s.list.slice(one.length);
    const rows: { text: string; count: number }[] = [
      ...one.map((f) => ({ text: row(f, options, blocks, !gateNew && novelty(f) === 'existing' && blocks(f)), count: 1 })),
      ...groupByRuleAndFile(rest).map((g) => ({ text: groupRow(g, options, blocks), count: g.length })),
    ];
    let shown = 0;
    for (const r of rows) {
      const size = bytes(r.text);
      if (size > room) break;
      room -= size;
      chunks.push(r.text);
      shown += r.count;
    }
    rowsShown += one.length;
    left += s.list.length - shown;
    if (chunks.length === 0) {
      room += bytes(start) + bytes(end);
      continue;
    }
    let note = '';
    if (rest.length > 0 && !groupedNote) {
      groupedNote = true;
      note = `\n_Past the first ${openRows} rows, findings are grouped by rule and file; ${pointer} lists each one._\n`;
    }
    parts.push(start + chunks.join('') + note + end);
  }
  if (left > 0)
    parts.push(`\n_${plural(left, 'more finding')} not shown: the summary is kept under ${Math.round(budget / 1024)} KB. All findings are in ${pointer}._\n`);
  return headText + parts.join('') + tail;
}

/** The verdict, the headline for the gate mode, what the gate means for this run, and what is not listed. */
function head(input: SummaryInput, o: SummaryOptions, pointer: string): string {
  const { summary, failOn } = input;
  const lines = [`## Portcullis: ${summary.result === 'fail' ? '❌ fail' : '✅ pass'}`, ''];
  // What `gate: all` would block: at or above fail-on, not suppressed, inside the gate's contexts and confidence.
  const atOrAbove = input.findings.filter((f) => isBlocking(f, failOn)).length;
  const total = plural(summary.total, 'finding');
  if (failOn === 'never') lines.push(`Fail-on is \`never\`: findings never fail the step. ${summary.total} finding(s).`);
  else if (o.gate === 'new')
    lines.push(
      summary.blocking > 0
        ? `**${summary.blocking} new blocking**, ${atOrAbove} at or above \`${failOn}\` in total (${total}; gate: \`new\`, fail-on: \`${failOn}\`).`
        : `No new finding blocks; ${atOrAbove} at or above \`${failOn}\` in total (${total}; gate: \`new\`, fail-on: \`${failOn}\`).`,
    );
  else if (summary.blocking > 0) lines.push(`**${summary.blocking}** of ${summary.total} finding(s) at or above \`${failOn}\` (fail-on: \`${failOn}\`).`);
  else lines.push(`No findings at or above \`${failOn}\` (fail-on: \`${failOn}\`); ${summary.total} finding(s) in total.`);
  if (summary.suppressed > 0 || input.baseline) {
    const stale = input.baseline ? ` ${input.baseline.stale} baseline ${input.baseline.stale === 1 ? 'entry is' : 'entries are'} fixed (no longer match a finding).` : '';
    lines.push('', `${summary.suppressed} suppressed (never blocking; listed under Suppressions).${stale}`);
  }
  if (o.gateNote) lines.push('', o.gateNote);
  const unlisted = unlistedCounts(input.findings);
  if (unlisted) lines.push('', `Not listed: ${unlisted}. They are outside the gate's file contexts and cannot block; ${pointer} lists them.`);
  return lines.join('\n') + '\n';
}

function severityCell(f: Finding, blocking: boolean, existing: boolean): string {
  if (blocking) return `**${f.severity}** (blocking${existing ? ', existing' : ''})`;
  return f.suppressed ? `${f.severity} (${f.suppressed.kind === 'baseline' ? 'baselined' : 'suppressed'})` : f.severity;
}

function row(f: Finding, o: SummaryOptions, blocks: (f: Finding) => boolean, existing: boolean): string {
  return `| ${severityCell(f, blocks(f), existing)} | ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${location(f, o)} | ${message(f.message, CELL)} |\n`;
}

/** Findings of one rule in one file, in the order their first finding comes. */
function groupByRuleAndFile(list: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of list) {
    const key = `${f.ruleId}\0${f.path}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()];
}

/** `rule | file | N findings on lines a, b, c, …`: the file linked at its first finding. */
function groupRow(g: readonly Finding[], o: SummaryOptions, blocks: (f: Finding) => boolean): string {
  const f = g[0]!;
  if (g.length === 1) return row(f, o, blocks, false);
  const lines = [...new Set(g.map((x) => x.line))].sort((a, b) => a - b);
  const shown = lines.slice(0, MAX_GROUP_LINES).join(', ') + (lines.length > MAX_GROUP_LINES ? ', …' : '');
  const where = o.repoUrl && o.sha ? link(f.path, blobUrl(o.repoUrl, o.sha, f), CELL) : text(f.path, CELL);
  return `| ${severityCell(f, blocks(f), false)} | ${ruleCell(f.ruleId, o.docsBaseUrl)} | ${where} | ${g.length} findings on ${lines.length === 1 ? 'line' : 'lines'} ${shown} |\n`;
}
