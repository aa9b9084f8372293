import { fingerprint, lineHashes } from './fingerprint.js';
import type { Finding } from './types.js';

/** The rule id under which broken, unknown, unused or disabled suppressions are reported. */
export const INEFFECTIVE_SUPPRESSION = 'ineffective-suppression';

/**
 * A finding of `ineffective-suppression` at a comment or config entry. `key` feeds the fingerprint
 * (the message by default: keep line numbers out of it so the fingerprint survives line shifts).
 */
export function ineffectiveSuppressionFinding(
  path: string,
  line: number,
  column: number,
  endColumn: number,
  message: string,
  key: string = message,
  occurrence = 0,
): Finding {
  return {
    ruleId: INEFFECTIVE_SUPPRESSION,
    severity: 'low',
    confidence: 'high',
    message,
    path,
    line,
    column,
    endLine: line,
    endColumn,
    related: [],
    fingerprint: fingerprint(INEFFECTIVE_SUPPRESSION, path, key, occurrence),
  };
}

/** One `# portcullis: …` comment found in a file. */
export interface InlineSuppression {
  /** Where the comment is: 1-based line, column of the `#`, exclusive end column. */
  line: number;
  column: number;
  endColumn: number;
  /** The line it silences: its own line for a trailing comment, the next code line for a comment alone on its line. */
  target: number;
  /** Rule ids in the brackets, lower-cased; empty when the comment is not an `ignore[…]`. */
  ids: string[];
  /** Text after the brackets, trimmed; '' when missing. */
  reason: string;
  /** False when the comment does not have the `ignore[…]` form. */
  wellFormed: boolean;
  /** The comment text, whitespace-normalised (for fingerprints). */
  text: string;
}

/** How a file's line comments start: `#` (YAML, Dockerfile, shell, Python, …) or `//` (JavaScript, TypeScript). */
export type CommentStyle = 'hash' | 'slash';

// A comment marker at the start of the line or after whitespace, so `"a#b"`, `url/#frag`, `http://x` are not comments.
const MARKERS: Record<CommentStyle, RegExp> = {
  hash: /(^|\s)#\s*portcullis:(.*)$/,
  slash: /(^|\s)\/\/\s*portcullis:(.*)$/,
};
const LEAD: Record<CommentStyle, string> = { hash: '#', slash: '//' };
const IGNORE = /^\s*ignore\[([^\]]*)\](.*)$/;

/** Finds the suppression comments of a file from its text alone (any format whose line comments start so). */
export function parseInlineSuppressions(text: string, style: CommentStyle = 'hash'): InlineSuppression[] {
  const MARKER = MARKERS[style];
  if (!text.includes('portcullis:')) return [];
  const lines = text.split(/\r?\n/);
  const found: (InlineSuppression & { alone: boolean })[] = [];
  lines.forEach((raw, i) => {
    if (!raw.includes('portcullis:')) return;
    const m = MARKER.exec(raw);
    if (!m) return;
    const hash = m.index + m[1]!.length;
    const body = IGNORE.exec(m[2]!);
    const alone = raw.slice(0, hash).trim() === '';
    found.push({
      line: i + 1,
      column: hash + 1,
      endColumn: raw.trimEnd().length + 1,
      target: i + 1,
      ids: body ? body[1]!.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0) : [],
      reason: body ? body[2]!.trim() : '',
      wellFormed: body !== null,
      text: raw.slice(hash).replace(/\s+/g, ' ').trim(),
      alone,
    });
  });
  // A comment alone on its line silences the next line that is not itself such a comment (they may stack).
  const aloneLines = new Set(found.filter((s) => s.alone).map((s) => s.line));
  return found.map(({ alone, ...s }) => {
    if (!alone) return s;
    let target = s.line + 1;
    while (aloneLines.has(target)) target++;
    return { ...s, target: target <= lines.length ? target : 0 };
  });
}

export interface InlineOptions {
  /** False when inline suppressions are disabled (`allow-inline-suppressions: false`). */
  allow: boolean;
  /** Every rule id that exists. */
  known: ReadonlySet<string>;
  /** Ids of the rules that ran: only their suppressions can be "unused". */
  ran: ReadonlySet<string>;
}

/** A reason must say something: at least one letter or digit. */
const hasReason = (reason: string): boolean => /[\p{L}\p{N}]/u.test(reason);

/**
 * Applies a file's suppression comments to that file's findings. Returns the findings (suppressed
 * ones marked, ones a reasonless comment failed to silence annotated) followed by an
 * `ineffective-suppression` finding for every comment or id that did nothing, when that rule ran.
 */
export function applyInlineSuppressions(path: string, text: string, findings: readonly Finding[], options: InlineOptions, style: CommentStyle = 'hash'): Finding[] {
  const comments = parseInlineSuppressions(text, style);
  const lead = LEAD[style];
  if (comments.length === 0) return [...findings];
  const out = findings.map((f) => ({ ...f }));
  const problems: { at: InlineSuppression; kind: string; message: string }[] = [];
  const problem = (at: InlineSuppression, kind: string, message: string): void => void problems.push({ at, kind, message });

  for (const c of comments) {
    if (!options.allow) {
      problem(c, 'disabled', 'Inline suppressions are disabled here (allow-inline-suppressions: false): this comment has no effect. Fix the finding or ask for a config `ignore:` entry.');
      continue;
    }
    if (!c.wellFormed) {
      problem(c, 'malformed', `This portcullis comment is not understood: write \`${lead} portcullis: ignore[rule-id] reason\`.`);
      continue;
    }
    if (c.ids.length === 0) {
      problem(c, 'empty', `This suppression names no rule: write \`${lead} portcullis: ignore[rule-id] reason\`.`);
      continue;
    }
    const reasoned = hasReason(c.reason);
    if (!reasoned) problem(c, 'no-reason', `This suppression gives no reason, so it does not apply: write the reason after the brackets (\`${lead} portcullis: ignore[${c.ids.join(', ')}] why this is acceptable\`).`);
    for (const id of c.ids) {
      if (!options.known.has(id)) {
        problem(c, `unknown:${id}`, `Unknown rule id \`${id}\` in this suppression: it silences nothing (see \`portcullis rules\` for the ids).`);
        continue;
      }
      const hits = out.filter((f) => f.ruleId === id && f.line === c.target && c.target > 0);
      for (const f of hits) {
        if (f.suppressed) continue;
        if (reasoned) f.suppressed = { kind: 'inSource', reason: c.reason, path, line: c.line };
        else if (!f.message.includes('(not suppressed:')) f.message += ` (not suppressed: the suppression comment on line ${c.line} gives no reason)`;
      }
      if (hits.length === 0 && options.ran.has(id)) {
        problem(c, `unused:${id}`, `This suppression of \`${id}\` matched no finding: remove it (a suppression applies to its own line, or to the next line when it stands alone).`);
      }
    }
  }

  if (!options.ran.has(INEFFECTIVE_SUPPRESSION)) return out;
  const seen = new Map<string, number>();
  const hashes = problems.length > 0 ? lineHashes(text) : [];
  for (const p of problems) {
    const key = `${p.kind}\0${p.at.text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const f = ineffectiveSuppressionFinding(path, p.at.line, p.at.column, p.at.endColumn, p.message, key, occurrence);
    const hash = hashes[p.at.line - 1];
    if (hash) f.lineHash = hash;
    out.push(f);
  }
  return out;
}
