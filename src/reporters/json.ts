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
    related?: { path?: string; line: number; column: number; label: string }[];
  }[];
  notices: { path?: string; line?: number; message: string }[];
  summary: ScanResult['summary'];
}

export function toJsonReport(result: ScanResult): JsonReport {
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
      ...(f.related.length > 0
        ? { related: f.related.map((r) => ({ path: r.path, line: r.at.line, column: r.at.column, label: r.label })) }
        : {}),
    })),
    notices: result.notices,
    summary: result.summary,
  };
}
