import { isBlocking, type FailOn } from './gate.js';
import type { Finding } from './types.js';

/** One file of a pull request, as GitHub's "list pull request files" API returns it. */
export interface PrFile {
  filename: string;
  /** `added`, `removed`, `modified`, `renamed`, `copied`, `changed` or `unchanged`. */
  status: string;
  /** The unified diff hunks; GitHub leaves it out for binary files and very large diffs. */
  patch?: string;
  previous_filename?: string;
  additions?: number;
}

/** What a patch says about the right (head) side of a file. */
export interface PatchLines {
  /** Lines the PR added or changed (`+` lines), 1-based on the head side, with their text. */
  added: Map<number, string>;
  /** Lines a review comment may anchor to on the RIGHT side: added and context lines inside a hunk. */
  commentable: Set<number>;
  /** The hunk (0-based) each commentable line belongs to: a multi-line comment must stay within one. */
  hunkOf: Map<number, number>;
}

export type Novelty = 'new' | 'existing';
export type GateMode = 'new' | 'all';

/** The PR's changes to one head-side path. */
export interface FileChange {
  status: string;
  /** True when every line counts as changed: an added file, or a changed file whose patch GitHub omits. */
  whole: boolean;
  lines: PatchLines;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses the hunks of a unified diff (no `diff --git`/`---`/`+++` headers needed; they are skipped). */
export function parsePatch(patch: string): PatchLines {
  const out: PatchLines = { added: new Map(), commentable: new Set(), hunkOf: new Map() };
  let right = 0;
  let leftLeft = 0;
  let rightLeft = 0;
  let hunk = -1;
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const h = HUNK.exec(line);
    if (h) {
      hunk++;
      leftLeft = h[2] === undefined ? 1 : Number(h[2]);
      right = Number(h[3]);
      rightLeft = h[4] === undefined ? 1 : Number(h[4]);
      continue;
    }
    if (hunk < 0 || (leftLeft <= 0 && rightLeft <= 0)) continue;
    const mark = line[0];
    if (mark === '+') {
      out.added.set(right, line.slice(1));
      out.commentable.add(right);
      out.hunkOf.set(right, hunk);
      right++;
      rightLeft--;
    } else if (mark === '-') {
      leftLeft--;
    } else if (mark === ' ' || (line === '' && leftLeft > 0 && rightLeft > 0)) {
      out.commentable.add(right);
      out.hunkOf.set(right, hunk);
      right++;
      rightLeft--;
      leftLeft--;
    }
    // `\ No newline at end of file` and anything else: not a line of either side.
  }
  return out;
}

/** Head-side path → what the PR changed there. Removed files have no head side and are left out. */
export function diffModel(files: readonly PrFile[]): Map<string, FileChange> {
  const out = new Map<string, FileChange>();
  for (const f of files) {
    if (f.status === 'removed') continue;
    const lines = parsePatch(f.patch ?? '');
    // A missing patch means binary or too large: count it as changed, unless GitHub says nothing was added (a pure rename).
    const whole = f.status === 'added' || (f.patch === undefined && f.additions !== 0);
    out.set(f.filename, { status: f.status, whole, lines });
  }
  return out;
}

/** The last line a span really covers: a span ending at column 1 stops at the end of the line before. */
export function lastLineOf(f: Pick<Finding, 'line' | 'endLine' | 'endColumn'>): number {
  return f.endLine > f.line && f.endColumn <= 1 ? f.endLine - 1 : Math.max(f.line, f.endLine);
}

/** A finding's flagged content as each revision has it (see noveltyAgainstBase); undefined when unknown. */
export interface FlaggedContent {
  head(f: Finding): string | undefined;
  base(f: Finding): string | undefined;
}

/**
 * New against the base revision: a finding is new when the base does not have it, whatever line it sits on
 * (a deleted `USER`, `permissions:` block or lockfile makes findings on lines the pull request never touched).
 * `base` holds the findings of the base revision's versions of the files in `rescanned` (same engine, rules and
 * config, renamed files under their head path); a finding in a file outside `rescanned` is existing, because
 * neither the file nor anything its rules read changed. Matching is by fingerprint (rule, path, normalised
 * snippet, occurrence), which survives moved lines, and, with `content`, by the flagged text as well: a rule
 * whose fingerprint names a variable rather than its value (a secret) still sees a swapped value as new, as a
 * finding on a changed line always was. A base finding that was suppressed there does not make its head twin
 * existing (deleting the suppression is a change). Keyed by fingerprint; should two findings share one, `new` wins.
 */
/**
 * Whether the change touches the finding's lines: its file was added (or its patch omitted), or a line of its span
 * was added or changed. Not what gates (that is noveltyAgainstBase); what the inline review may explain when there
 * is no base to compare with.
 */
export function touchedByDiff(f: Pick<Finding, 'path' | 'line' | 'endLine' | 'endColumn'>, diff: ReadonlyMap<string, FileChange>): boolean {
  const change = diff.get(f.path);
  if (!change) return false;
  if (change.whole) return true;
  for (let l = f.line; l <= lastLineOf(f); l++) if (change.lines.added.has(l)) return true;
  return false;
}

export function noveltyAgainstBase(
  head: readonly Finding[],
  base: readonly Finding[],
  rescanned: ReadonlySet<string>,
  content?: FlaggedContent,
): Map<string, Novelty> {
  const had = new Set<string>();
  for (const f of base) if (!f.suppressed) had.add(content ? `${f.fingerprint}\0${content.base(f) ?? ''}` : f.fingerprint);
  const out = new Map<string, Novelty>();
  for (const f of head) {
    if (out.get(f.fingerprint) === 'new') continue;
    const existing = !rescanned.has(f.path) || had.has(content ? `${f.fingerprint}\0${content.head(f) ?? ''}` : f.fingerprint);
    out.set(f.fingerprint, existing ? 'existing' : 'new');
  }
  return out;
}

/** With `gate: new` only new findings block; with `all` every blocking finding does. */
export function blocksGate(f: Finding, novelty: Novelty | undefined, gate: GateMode, failOn: FailOn): boolean {
  return isBlocking(f, failOn) && (gate === 'all' || novelty !== 'existing');
}

/** Lines the PR adds that match `pattern` (e.g. new `portcullis: ignore` comments), in file order. */
export function addedLinesMatching(files: readonly PrFile[], pattern: RegExp): { path: string; line: number; text: string }[] {
  const out: { path: string; line: number; text: string }[] = [];
  for (const f of files) {
    if (f.status === 'removed' || !f.patch) continue;
    for (const [line, text] of parsePatch(f.patch).added) if (pattern.test(text)) out.push({ path: f.filename, line, text });
  }
  return out;
}
