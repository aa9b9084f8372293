import { fingerprint, lineHashesUpTo, normaliseSnippet } from './fingerprint.js';
import { severityRank, type DocumentKind, type Finding, type Notice, type Project, type Rule } from './types.js';

/** One file as the engine sees it: its text and a lazy parser per document kind. */
export interface SourceUnit {
  path: string;
  text: string;
  kinds: readonly DocumentKind[];
  /** Parses on first use; returns undefined when the file is not a document of that kind (a notice is raised by the parser). */
  document(kind: DocumentKind): unknown;
}

/** Runs every rule that reads one of the unit's kinds. A rule that throws becomes a notice; the scan goes on. */
export function checkUnit(
  rules: readonly Rule[],
  unit: SourceUnit,
  project: Project,
  notices: Notice[],
  /** Each rule's resolved options (see core/config.ts); its defaults when absent. */
  optionsOf: (rule: Rule) => Record<string, unknown> = (rule) => ({ ...rule.options?.defaults }),
  /** SECRET side list: receives each report's raw `secretValue` (for masking only); findings never carry it. */
  secretValues?: string[],
): Finding[] {
  const findings: Finding[] = [];
  let lines: string[] | undefined; // split once the file has a finding without a fingerprint key
  const seen = new Map<string, number>();
  for (const rule of rules) {
    for (const kind of rule.reads) {
      if (!unit.kinds.includes(kind)) continue;
      const doc = unit.document(kind);
      if (doc === undefined) continue;
      try {
        rule.check(doc, {
          path: unit.path,
          project,
          options: optionsOf(rule),
          report(r) {
            if (r.secretValue !== undefined && secretValues) {
              for (const v of typeof r.secretValue === 'string' ? [r.secretValue] : r.secretValue) if (v !== '') secretValues.push(v);
            }
            const key = normaliseSnippet(r.fingerprintKey ?? (lines ??= unit.text.split(/\r?\n/)).slice(r.at.line - 1, r.at.endLine).join('\n'));
            const seenKey = `${rule.id}\0${key}`;
            const occurrence = seen.get(seenKey) ?? 0;
            seen.set(seenKey, occurrence + 1);
            findings.push({
              ruleId: rule.id,
              severity: r.severity ?? rule.severity,
              confidence: r.confidence ?? 'high',
              message: r.message,
              path: unit.path,
              line: r.at.line,
              column: r.at.column,
              endLine: r.at.endLine,
              endColumn: r.at.endColumn,
              related: r.related ?? [],
              fingerprint: fingerprint(rule.id, unit.path, key, occurrence),
            });
          },
        });
      } catch (err) {
        notices.push({ path: unit.path, message: `rule ${rule.id} could not check this file (${describe(err)}); other rules still ran` });
      }
    }
  }
  addLineHashes(unit.text, findings);
  return dropYielded(rules, findings);
}

/** Code-scanning line hashes, once per file after every rule ran, over no more text than the last flagged line needs. */
function addLineHashes(text: string, findings: Finding[]): void {
  if (findings.length === 0) return;
  const wanted = new Set(findings.map((f) => f.line));
  const hashes = lineHashesUpTo(text, Math.max(...wanted), wanted);
  for (const f of findings) {
    const hash = hashes[f.line - 1];
    if (hash) f.lineHash = hash;
  }
}

/**
 * One problem, one finding: a rule that `yieldsTo` more specific rules drops its finding when
 * one of them reported a span starting on the same line (a generic secret detector and
 * `secret-in-env` both seeing `ENV DB_PASSWORD=…`).
 */
function dropYielded(rules: readonly Rule[], findings: Finding[]): Finding[] {
  const yielding = new Map(rules.filter((r) => r.yieldsTo?.length).map((r) => [r.id, new Set(r.yieldsTo)]));
  if (yielding.size === 0) return findings;
  const taken = new Set(findings.map((f) => `${f.ruleId}\0${f.line}`));
  return findings.filter((f) => {
    const to = yielding.get(f.ruleId);
    return !to || ![...to].some((id) => taken.has(`${id}\0${f.line}`));
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
}

/** Deterministic order: path, line, column, severity, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** Most severe first, then by location: the order in which capped outputs spend their budget. */
export function compareByPriority(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || compareFindings(a, b);
}
