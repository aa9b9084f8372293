import { isBlocking } from '../core/gate.js';
import type { AdvisoryRef, Finding, PackageRef } from '../core/types.js';
import type { ScanResult } from '../scan.js';

/** The JSON report (CLI `--format json` and the action's `report` file). Version 1 of the format. */
export interface JsonReport {
  version: 1;
  root: string;
  failOn: string;
  findings: {
    ruleId: string;
    severity: string;
    confidence: string;
    message: string;
    path: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    fingerprint: string;
    /** What the file is for: production, test, example, docs, vendored or dev. Only production blocks by default. */
    context: string;
    /** Whether this finding fails the gate (severity, suppression, file context, confidence and, on a pull request, novelty). */
    blocking: boolean;
    related?: { path?: string; line: number; column: number; label: string }[];
    /** Source-code rules: the data flow from the source to the flagged call, source first. */
    flow?: { line: number; column: number; endLine: number; endColumn: number; label: string }[];
    /** Present when an inline comment, a config entry or the baseline silences the finding (it does not block). */
    suppressed?: { kind: string; reason: string; path?: string; line?: number };
    /** vulnerable-dependency: the package version and the advisories the finding lists. */
    package?: PackageRef;
    advisories?: AdvisoryRef[];
  }[];
  notices: { path?: string; line?: number; message: string }[];
  /** `baseline` is present when a baseline was given: entries that matched, entries that match nothing any more. */
  summary: ScanResult['summary'] & { baseline?: { matched: number; stale: number } };
}

/** `blocks` is the gate's predicate when it is more than the severity threshold (the action's `gate: new`). */
export function toJsonReport(result: ScanResult, blocks: (f: Finding) => boolean = (f) => isBlocking(f, result.failOn)): JsonReport {
  return {
    version: 1,
    root: result.root,
    failOn: result.failOn,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      confidence: f.confidence,
      message: f.message,
      path: f.path,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      fingerprint: f.fingerprint,
      context: f.context ?? 'production',
      blocking: blocks(f),
      ...(f.related.length > 0
        ? { related: f.related.map((r) => ({ path: r.path, line: r.at.line, column: r.at.column, label: r.label })) }
        : {}),
      ...(f.flow?.length ? { flow: f.flow.map((s) => ({ line: s.at.line, column: s.at.column, endLine: s.at.endLine, endColumn: s.at.endColumn, label: s.label })) } : {}),
      ...(f.suppressed ? { suppressed: { ...f.suppressed } } : {}),
      ...(f.package ? { package: { ...f.package } } : {}),
      ...(f.advisories ? { advisories: f.advisories.map((a) => ({ ids: [...a.ids], severity: a.severity, url: a.url })) } : {}),
    })),
    notices: result.notices,
    summary: result.baseline ? { ...result.summary, baseline: { ...result.baseline } } : result.summary,
  };
}
