import type { FileContext } from './context.js';
import { atLeast, SEVERITIES, type Finding, type Severity } from './types.js';

export type FailOn = Severity | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'never'];

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** Findings per file context (core/context.ts); only contexts that have findings are listed. */
  byContext: Partial<Record<FileContext, number>>;
  blocking: number;
  /** Findings silenced by an inline comment, a config entry or the baseline (included in `total`). */
  suppressed: number;
  result: 'pass' | 'fail';
}

/** At or above fail-on, not suppressed, and inside the gate's scope (context and confidence: see core/context.ts). */
export function isBlocking(f: Finding, failOn: FailOn): boolean {
  return !f.suppressed && !f.outOfScope && failOn !== 'never' && atLeast(f.severity, failOn);
}

/** One threshold drives every output: counts, the verdict and the exit code all come from here. */
export function summarise(findings: readonly Finding[], failOn: FailOn): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  const byContext: Partial<Record<FileContext, number>> = {};
  let blocking = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    const context = f.context ?? 'production';
    byContext[context] = (byContext[context] ?? 0) + 1;
    if (isBlocking(f, failOn)) blocking++;
  }
  return { total: findings.length, bySeverity, byRule, byContext, blocking, suppressed, result: blocking > 0 ? 'fail' : 'pass' };
}
