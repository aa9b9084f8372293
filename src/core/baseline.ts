import { fingerprint, normaliseSnippet } from './fingerprint.js';
import { excerpt, jsonNestingExceeds, MAX_GATE_FILE_BYTES, MAX_NESTING } from './limits.js';
import type { Finding } from './types.js';

/** Default file name, written at the scanned root by `portcullis baseline`. */
export const BASELINE_FILE = '.portcullis-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
  /** A short, whitespace-normalised snippet for people reviewing the file (never a secret value). */
  context: string;
}

/** The baseline file: accepted existing findings. No timestamp, sorted: regenerating it on the same tree gives the same bytes. */
export interface Baseline {
  version: 1;
  generated: string;
  findings: BaselineEntry[];
}

export interface BaselineStats {
  /** Baseline entries that matched a finding of this scan. */
  matched: number;
  /** Baseline entries that matched nothing: the finding was fixed (or moved to another file). */
  stale: number;
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

const CONTEXT_CHARS = 120;

/**
 * The baseline for a scan's findings (those not already suppressed otherwise). `readText` gives a
 * scanned file's text for the context snippet; a finding whose fingerprint was not taken from its
 * source lines (secrets use a redacted key) gets its message as context instead, never the line.
 */
export function createBaseline(findings: readonly Finding[], readText: (path: string) => string | undefined): Baseline {
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (path: string): string[] | undefined => {
    if (!texts.has(path)) texts.set(path, readText(path)?.replace(/^\uFEFF/, '').split(/\r?\n/));
    return texts.get(path);
  };
  const entries = findings
    .filter((f) => !f.suppressed || f.suppressed.kind === 'baseline')
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path, context: contextOf(f, linesOf(f.path)) }));
  entries.sort((a, b) => cmp(a.path, b.path) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  return { version: 1, generated: 'by `portcullis baseline`; regenerate rather than edit', findings: entries };
}

function contextOf(f: Finding, lines: string[] | undefined): string {
  const snippet = lines ? normaliseSnippet(lines.slice(f.line - 1, f.endLine).join('\n')) : '';
  // Only a snippet the fingerprint was computed from is known to be the flagged source, not a secret's key.
  const fromSource = snippet !== '' && [...Array(64).keys()].some((n) => fingerprint(f.ruleId, f.path, snippet, n) === f.fingerprint);
  return clip(fromSource ? snippet : normaliseSnippet(f.message));
}

const clip = (s: string): string => (s.length > CONTEXT_CHARS ? `${s.slice(0, CONTEXT_CHARS - 1)}…` : s);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Serialised with a trailing newline, two-space indent. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline file's text; a file that is not a version-1 baseline fails with a message naming it. */
export function parseBaseline(text: string, file: string): Baseline {
  // The file may come from the pull request being judged: capped, nesting bounded before parsing, quoted sparingly.
  if (text.length > MAX_GATE_FILE_BYTES) throw new BaselineError(`${file}: larger than ${MAX_GATE_FILE_BYTES / 1024 / 1024} MiB: not a Portcullis baseline`);
  if (jsonNestingExceeds(text) !== undefined) throw new BaselineError(`${file}: nested deeper than ${MAX_NESTING} levels: not a Portcullis baseline`);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BaselineError(`${file}: not valid JSON (${excerpt(err instanceof Error ? err.message : String(err))}); regenerate it with \`portcullis baseline\``);
  }
  const obj = data as Partial<Baseline> | null;
  if (typeof obj !== 'object' || obj === null || obj.version !== 1 || !Array.isArray(obj.findings)) {
    throw new BaselineError(`${file}: not a Portcullis baseline (expected {"version": 1, "findings": [...]}); regenerate it with \`portcullis baseline\``);
  }
  obj.findings.forEach((e: Partial<BaselineEntry>, i) => {
    if (typeof e !== 'object' || e === null || typeof e.fingerprint !== 'string' || typeof e.ruleId !== 'string' || typeof e.path !== 'string') {
      throw new BaselineError(`${file}: entry ${i + 1} needs string "fingerprint", "ruleId" and "path"`);
    }
  });
  return { version: 1, generated: String(obj.generated ?? ''), findings: obj.findings.map((e) => ({ ...e, context: String(e.context ?? '') })) };
}

/**
 * Marks the findings the baseline lists as suppressed (kind `baseline`). A finding already
 * suppressed otherwise keeps that suppression but still counts its entry as matched.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline, file?: string): { findings: Finding[]; stats: BaselineStats } {
  const wanted = new Set(baseline.findings.map((e) => `${e.fingerprint}\0${e.ruleId}\0${e.path}`));
  const hit = new Set<string>();
  const out = findings.map((f) => {
    const key = `${f.fingerprint}\0${f.ruleId}\0${f.path}`;
    if (!wanted.has(key)) return f;
    hit.add(key);
    return f.suppressed ? f : { ...f, suppressed: { kind: 'baseline' as const, reason: 'in baseline', ...(file ? { path: file } : {}) } };
  });
  return { findings: out, stats: { matched: hit.size, stale: wanted.size - hit.size } };
}
