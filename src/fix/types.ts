import type { Resolved } from '../core/pins.js';
import type { Finding } from '../core/types.js';
import type { LineEdit, Lines } from './edits.js';

/** Something `fix` could not do for a finding: listed for a person, never guessed. */
export interface Unresolved {
  path: string;
  line: number;
  rule: string;
  reason: string;
}

/** The pins looked up before the (pure) rewriting: `owner/repo@ref` → SHA, image as written → digest. */
export interface Pins {
  actions: ReadonlyMap<string, Resolved>;
  images: ReadonlyMap<string, Resolved>;
}

/** What one kind of fix makes of one file's findings of its rule. */
export interface FixOutcome {
  edits: LineEdit[];
  unresolved: Unresolved[];
}

/** The input of every fixer: the file (as lines), its findings of the fixer's rule, and the looked-up pins. */
export interface FixInput {
  path: string;
  lines: Lines;
  findings: readonly Finding[];
  pins: Pins;
}

/**
 * Where a single-line finding's value is on its line (0-based, end exclusive), with the quotes around it when it is a
 * quoted scalar (rules point at the value with or without them), or undefined for a span over several lines.
 */
export function valueSpan(lines: Lines, f: Finding): { from: number; to: number; text: string } | undefined {
  const line = lines.bodies[f.line - 1];
  if (f.line !== f.endLine || line === undefined) return undefined;
  let from = f.column - 1;
  let to = f.endColumn - 1;
  const q = line[from];
  if ((q === '"' || q === "'") && (to - from < 2 || line[to - 1] !== q) && line[to] === q) to++;
  else if (q !== '"' && q !== "'" && (line[from - 1] === '"' || line[from - 1] === "'") && line[to] === line[from - 1]) {
    from--;
    to++;
  }
  return { from, to, text: line.slice(from, to) };
}

/** The text a single-line finding points at (quotes included, see valueSpan), or undefined for a span over several lines. */
export function spanText(lines: Lines, f: Finding): string | undefined {
  return valueSpan(lines, f)?.text;
}

export const unresolved = (f: Finding, reason: string): Unresolved => ({ path: f.path, line: f.line, rule: f.ruleId, reason });

/** A quoted YAML scalar as the span shows it (`"x"`, `'x'`), split into quote and value; plain: no quote. */
export function unquote(text: string): { quote: string; value: string } {
  const q = text[0];
  if ((q === '"' || q === "'") && text.length >= 2 && text.endsWith(q)) return { quote: q, value: text.slice(1, -1) };
  return { quote: '', value: text };
}
