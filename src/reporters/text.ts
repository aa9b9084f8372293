import { SEVERITIES, type Finding, type Severity } from '../core/types.js';
import type { ScanResult } from '../scan.js';
import { isListed, unlistedCounts } from './unlisted.js';

export interface TextOptions {
  /** ANSI colours; the CLI decides from the terminal and NO_COLOR / FORCE_COLOR. */
  color: boolean;
  /** List findings in files outside the gate's contexts too (tests, examples, docs …); default: one count line per context. */
  all?: boolean;
}

const CODES: Record<Severity | 'bold' | 'dim' | 'pass' | 'fail', [number, number]> = {
  critical: [35, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [90, 39],
  pass: [32, 39],
  fail: [31, 39],
  bold: [1, 22],
  dim: [2, 22],
};

type Paint = (style: keyof typeof CODES, text: string) => string;

/** The terminal report: findings grouped by file, then notices, counts and the verdict. */
export function renderText(result: ScanResult, options: TextOptions): string {
  const paint: Paint = options.color ? (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : (_style, text) => text;
  const out: string[] = [];

  const listed = options.all ? result.findings : result.findings.filter(isListed);
  for (const [path, findings] of groupByPath(listed)) {
    out.push(paint('bold', clean(path)));
    const where = findings.map((f) => `${f.line}:${f.column}`);
    const whereWidth = Math.max(...where.map((w) => w.length));
    const sevWidth = Math.max(...findings.map((f) => f.severity.length));
    const ruleWidth = Math.max(...findings.map((f) => f.ruleId.length));
    findings.forEach((f, i) => {
      const cols = [
        paint('dim', where[i]!.padEnd(whereWidth)),
        paint(f.severity, f.severity.padEnd(sevWidth)),
        paint('dim', f.ruleId.padEnd(ruleWidth)),
        clean(f.message) + (f.suppressed ? paint('dim', ` (${suppressedLabel(f)})`) : ''),
      ];
      out.push(`  ${cols.join('  ')}`);
    });
    out.push('');
  }

  for (const n of result.notices) {
    const where = n.path ? `${clean(n.path)}${n.line ? `:${n.line}` : ''}: ` : '';
    out.push(`${paint('dim', 'notice')} ${where}${clean(n.message)}`);
  }
  if (result.notices.length > 0) out.push('');

  const { summary } = result;
  if (listed.length < result.findings.length) {
    out.push(`Not listed: ${unlistedCounts(result.findings)} (outside the gate's file contexts, so they cannot block; --all lists them)`, '');
  }
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => paint(s, `${summary.bySeverity[s]} ${s}`));
  out.push(`${summary.total} ${summary.total === 1 ? 'finding' : 'findings'}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`);
  if (summary.suppressed > 0 || result.baseline) out.push(suppressionLine(result));
  const threshold = result.failOn === 'never' ? 'fail-on never' : `fail-on ${result.failOn}`;
  const verdict = summary.result === 'pass' ? paint('pass', 'PASS') : paint('fail', 'FAIL');
  out.push(`${summary.blocking} blocking (${threshold}): ${paint('bold', verdict)}`);
  return `${out.join('\n')}\n`;
}

function suppressedLabel(f: Finding): string {
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

/** Text from the scanned repository must not drive the terminal: control characters are shown escaped. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
function clean(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function groupByPath(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = groups.get(f.path);
    if (!list) groups.set(f.path, (list = []));
    list.push(f);
  }
  return groups;
}
