import { join } from 'node:path';
import { SEVERITIES, type Finding, type Notice } from '../core/types.js';
import type { ScanResult } from '../scan.js';
import { markSpan } from './snippet.js';
import { clean, painter, wrapRuns, type Paint, type Run } from './terminal.js';
import { isListed, unlistedCounts } from './unlisted.js';

/** A line of a scanned file (1-based), or undefined when it is not to be shown (unreadable, or it holds a secret). */
export type SourceLine = (path: string, line: number) => string | undefined;

export interface TextOptions {
  /** ANSI colours; the CLI decides from the terminal and NO_COLOR / FORCE_COLOR. */
  color: boolean;
  /** List findings in files outside the gate's contexts too (tests, examples, docs …); default: one count line per context. */
  all?: boolean;
  /** Set when stdout is a terminal: lines are wrapped at word boundaries to its width, and each finding shows its source line. */
  terminal?: { width: number; source?: SourceLine };
}

const CONTINUATION = '    ';

/**
 * The terminal report: one `path:line:col: severity rule message` line per finding (paths as given to `scan`, so
 * terminals and editors open them), on a terminal the source line with a caret under the span; then notices,
 * counts and the verdict, last.
 */
export function renderText(result: ScanResult, options: TextOptions): string {
  const paint = painter(options.color);
  const width = options.terminal?.width;
  const out: string[] = [];
  const where = (path: string, line?: number, column?: number): string =>
    clean(join(result.root, path)) + (line !== undefined && line >= 1 ? `:${line}${column !== undefined && column >= 1 ? `:${column}` : ''}` : '');

  const listed = options.all ? result.findings : result.findings.filter(isListed);
  for (const f of listed) {
    const runs: Run[] = [{ text: `${where(f.path, f.line, f.column)}:` }, { text: ` ${f.severity}`, style: f.severity }, { text: ` ${f.ruleId}`, style: 'dim' }, { text: ` ${clean(f.message)}` }];
    if (f.suppressed) runs.push({ text: ` (${suppressedLabel(f)})`, style: 'dim' });
    out.push(...wrapRuns(runs, paint, width, CONTINUATION));
    const source = options.terminal?.source ? snippet(f, options.terminal.source, options.terminal.width, paint) : [];
    if (source.length > 0) out.push(...source, '');
  }
  if (listed.length > 0 && out.at(-1) !== '') out.push('');

  for (const n of result.notices) out.push(...wrapRuns(noticeRuns(n, where), paint, width, CONTINUATION));
  if (result.notices.length > 0) out.push('');

  for (const line of summaryLines(result, listed.length)) out.push(...wrapRuns(line, paint, width, CONTINUATION));
  return `${out.join('\n')}\n`;
}

function noticeRuns(n: Notice, where: (path: string, line?: number) => string): Run[] {
  const at = n.path ? `${where(n.path, n.line)}: ` : '';
  return [{ text: at }, { text: 'notice', style: 'dim' }, { text: ` ${clean(n.message)}` }];
}

/** The source line under a finding, a caret (or `^~~~`) under its span on that line. */
function snippet(f: Finding, source: SourceLine, width: number, paint: Paint): string[] {
  if (f.line < 1 || f.column < 1) return [];
  const line = source(f.path, f.line);
  if (line === undefined) return [];
  const to = f.endLine === f.line ? f.endColumn - 1 : line.length;
  const number = String(f.line);
  const gutter = `  ${number} | `;
  const { source: shown, marker } = markSpan(line, f.column - 1, to, width - gutter.length);
  const blank = `  ${' '.repeat(number.length)} | `;
  return [paint('dim', gutter) + shown, paint('dim', blank) + paint(f.severity, marker)];
}

/** Not listed (per context), counts, suppressions, and the verdict as the last line; each line as styled runs. */
export function summaryLines(result: ScanResult, listedCount: number): Run[][] {
  const out: Run[][] = [];
  const { summary } = result;
  if (listedCount < result.findings.length) {
    out.push([{ text: `Not listed: ${unlistedCounts(result.findings)} (outside the gate's file contexts, so they cannot block; --all lists them)` }]);
  }
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).flatMap((s, i): Run[] => [...(i > 0 ? [{ text: ', ' }] : []), { text: `${summary.bySeverity[s]} ${s}`, style: s }]);
  out.push([{ text: `${summary.total} ${summary.total === 1 ? 'finding' : 'findings'}` }, ...(counts.length > 0 ? [{ text: ' (' }, ...counts, { text: ')' }] : [])]);
  if (summary.suppressed > 0 || result.baseline) out.push([{ text: suppressionLine(result) }]);
  const threshold = result.failOn === 'never' ? 'fail-on never' : `fail-on ${result.failOn}`;
  const pass = summary.result === 'pass';
  out.push([{ text: `${summary.blocking} blocking (${threshold}): ` }, { text: pass ? 'PASS' : 'FAIL', style: pass ? 'pass' : 'fail' }]);
  return out;
}

export function suppressedLabel(f: Finding): string {
  return f.suppressed!.kind === 'baseline' ? 'baselined' : `suppressed: ${clean(f.suppressed!.reason)}`;
}

/** "3 suppressed (1 inline, 2 baselined); 1 baseline entry is fixed": suppressed findings never block. */
function suppressionLine(result: ScanResult): string {
  const kinds = { inSource: 0, external: 0, baseline: 0 };
  for (const f of result.findings) if (f.suppressed) kinds[f.suppressed.kind]++;
  const parts = [kinds.inSource && `${kinds.inSource} inline`, kinds.external && `${kinds.external} by config`, kinds.baseline && `${kinds.baseline} baselined`].filter(Boolean);
  let line = `${result.summary.suppressed} suppressed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
  if (result.baseline) line += `; ${staleText(result.baseline.stale)}`;
  return line;
}

export function staleText(stale: number): string {
  return `${stale} baseline ${stale === 1 ? 'entry is' : 'entries are'} fixed (no longer match a finding)`;
}
