import { fingerprint, lineHashesUpTo, normaliseSnippet } from './fingerprint.js';
import { redactText, type ValueSet } from './redact.js';
import { reportedValues, snippetValues, type SecretEntry } from './secrets.js';
import { severityRank, type DocumentKind, type Finding, type Notice, type Project, type Report, type Rule } from './types.js';

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
  /** SECRET side list: receives each secret finding's raw values under its fingerprint (see core/secrets.ts); findings never carry them. */
  secrets?: SecretEntry[],
  /** Told when a rule throws on this file, besides the notice (the scan fails closed on a file of a checked kind). */
  onRuleError?: (ruleId: string, reason: string) => void,
): Finding[] {
  const reported: { rule: Rule; r: Report }[] = [];
  for (const rule of rules) {
    for (const kind of rule.reads) {
      if (!unit.kinds.includes(kind)) continue;
      const doc = unit.document(kind);
      if (doc === undefined) continue;
      try {
        rule.check(doc, { path: unit.path, project, options: optionsOf(rule), report: (r) => void reported.push({ rule, r }) });
      } catch (err) {
        notices.push({ path: unit.path, message: `rule ${rule.id} could not check this file (${describe(err)}); other rules still ran` });
        onRuleError?.(rule.id, describe(err));
      }
    }
  }
  if (reported.length === 0) return [];
  // Once every rule has run, the file's secret values are known: fingerprints and line hashes are computed over text
  // with them (and any other credential) redacted, so that neither can be recomputed from a guessed value.
  const text = new RedactedLines(unit.text, snippetValues(reported.flatMap(({ r }) => reportedValues(r))));
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const { rule, r } of reported) {
    const key = normaliseSnippet(r.fingerprintKey !== undefined ? text.redact(r.fingerprintKey) : text.lines(r.at.line, r.at.endLine));
    const seenKey = `${rule.id}\0${key}`;
    const occurrence = seen.get(seenKey) ?? 0;
    seen.set(seenKey, occurrence + 1);
    const f: Finding = {
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
      ...(r.flow ? { flow: r.flow } : {}),
      fingerprint: fingerprint(rule.id, unit.path, key, occurrence),
      ...(r.package ? { package: r.package } : {}),
      ...(r.advisories ? { advisories: r.advisories } : {}),
    };
    findings.push(f);
    const values = reportedValues(r);
    if (values.length > 0) secrets?.push([f.fingerprint, values]);
  }
  addLineHashes(text, findings);
  return dropYielded(rules, findings);
}

/** Code-scanning line hashes, once per file after every rule ran, over no more text than the last flagged line needs. */
function addLineHashes(text: RedactedLines, findings: Finding[]): void {
  const wanted = new Set(findings.map((f) => f.line));
  const hashes = lineHashesUpTo(text.forHashes([...wanted]), Math.max(1, ...wanted), wanted);
  for (const f of findings) {
    const hash = hashes[f.line - 1];
    if (hash) f.lineHash = hash;
  }
}

/** A file's lines, each redacted on first use (see redactText); only as much of the text is split as the findings need. */
class RedactedLines {
  /** Offset of the start of line n at index n - 1, found up to the furthest line asked for. */
  readonly #starts = [0];
  #ended = false;
  readonly #done = new Map<number, string>();

  constructor(
    readonly text: string,
    readonly values: ValueSet,
  ) {}

  redact(s: string): string {
    return redactText(s, this.values);
  }

  /** Lines `from`..`to` (1-based, inclusive), redacted, joined with LF. */
  lines(from: number, to: number): string {
    const out: string[] = [];
    for (let n = Math.max(1, from); n <= to; n++) {
      const line = this.#line(n);
      if (line === undefined) break;
      out.push(line);
    }
    return out.join('\n');
  }

  /**
   * The text a line hash of each given line is computed over: a line's hash reads the next 100 non-blank characters
   * from its start, so those lines are redacted. The original text (same object) when nothing changes.
   */
  forHashes(starts: readonly number[]): string {
    const changed = new Set<number>();
    for (const start of new Set(starts)) {
      let counted = 0;
      for (let n = start; counted <= 101; n++) {
        const raw = this.#raw(n);
        if (raw === undefined) break;
        counted += raw.replace(/[ \t]/g, '').length + 1;
        if (this.#line(n) !== raw) changed.add(n);
      }
    }
    if (changed.size === 0) return this.text;
    let out = '';
    let pos = 0;
    for (const n of [...changed].sort((x, y) => x - y)) {
      const start = this.#starts[n - 1]!;
      out += this.text.slice(pos, start) + this.#done.get(n)!;
      pos = start + this.#raw(n)!.length;
    }
    return out + this.text.slice(pos);
  }

  /** Line n as `split(/\r?\n/)` gives it, or undefined past the end. */
  #raw(n: number): string | undefined {
    const starts = this.#starts;
    while (starts.length < n && !this.#ended) {
      const nl = this.text.indexOf('\n', starts[starts.length - 1]);
      if (nl < 0) this.#ended = true;
      else starts.push(nl + 1);
    }
    const start = starts[n - 1];
    if (start === undefined) return undefined;
    let end = this.text.indexOf('\n', start);
    if (end < 0) end = this.text.length;
    else if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  #line(n: number): string | undefined {
    let line = this.#done.get(n);
    if (line === undefined) {
      const raw = this.#raw(n);
      if (raw === undefined) return undefined;
      this.#done.set(n, (line = this.redact(raw)));
    }
    return line;
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
