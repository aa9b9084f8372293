import { fingerprint, normaliseSnippet } from './fingerprint.js';
import { excerpt, jsonNestingExceeds, MAX_GATE_FILE_BYTES, MAX_NESTING } from './limits.js';
import { ScanSecrets } from './secrets.js';
import { shorten } from './shorten.js';
import { digestMatches, digestMatchesAsync, valueDigest, valueDigestAsync, type DigestChecks } from './value-digest.js';
import type { Finding, Notice } from './types.js';

/** Default file name, written at the scanned root by `portcullis baseline`. */
export const BASELINE_FILE = '.portcullis-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
  /** A short, whitespace-normalised snippet for people reviewing the file, redacted as messages are (never a secret value). */
  context: string;
  /**
   * For a secret finding: a slow, salted digest of its value(s) (see value-digest.ts), so that the entry stops matching
   * when the value changes. The fingerprint alone names only the rule, file and variable.
   */
  valueDigest?: string;
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

export interface CreateOptions {
  /** The scan's secret side channel (ScanResult.secrets): secret findings get a digest, contexts are redacted with it. */
  secrets?: ScanSecrets;
  /** The baseline being replaced: an entry whose digest still matches the value is kept as is, so regenerating gives the same bytes. */
  previous?: Baseline;
  /** Digests made ahead (see createBaselineInParallel), by entry; the others are made here, one at a time. */
  digests?: ReadonlyMap<string, string>;
}

/** createBaseline with the value digests made all at once on libuv's threads: what `portcullis baseline` runs. */
export async function createBaselineInParallel(findings: readonly Finding[], readText: (path: string) => string | undefined, options: CreateOptions = {}): Promise<Baseline> {
  const before = previousDigests(options.previous);
  const digests = new Map<string, string>();
  await Promise.all(
    listed(findings).map(async (f) => {
      const values = options.secrets?.valuesOf(f.fingerprint);
      if (!values?.length) return;
      const kept = before.get(entryKey(f));
      digests.set(entryKey(f), kept !== undefined && (await digestMatchesAsync(values, kept)) ? kept : await valueDigestAsync(values));
    }),
  );
  return createBaseline(findings, readText, { ...options, digests });
}

const listed = (findings: readonly Finding[]): Finding[] => findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline');
const previousDigests = (previous: Baseline | undefined): Map<string, string> =>
  new Map((previous?.findings ?? []).filter((e) => e.valueDigest).map((e) => [entryKey(e), e.valueDigest!]));

/**
 * The baseline for a scan's findings (those not already suppressed otherwise). `readText` gives a
 * scanned file's text for the context snippet; a finding whose fingerprint was not taken from its
 * source lines (secrets use a key name) gets its message as context instead, never the line. A secret
 * finding (one with values in `options.secrets`) gets a value digest; without the side channel it gets
 * none and its entry will not silence it (see applyBaseline).
 */
export function createBaseline(findings: readonly Finding[], readText: (path: string) => string | undefined, options: CreateOptions = {}): Baseline {
  const secrets = options.secrets ?? new ScanSecrets();
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (path: string): string[] | undefined => {
    if (!texts.has(path)) texts.set(path, readText(path)?.replace(/^\uFEFF/, '').split(/\r?\n/));
    return texts.get(path);
  };
  const before = previousDigests(options.previous);
  const entries = listed(findings).map((f): BaselineEntry => {
    const values = secrets.valuesOf(f.fingerprint);
    const entry: BaselineEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path, context: contextOf(f, linesOf(f.path), secrets) };
    if (values?.length) {
      const kept = before.get(entryKey(f));
      entry.valueDigest = options.digests?.get(entryKey(f)) ?? (kept !== undefined && digestMatches(values, kept) ? kept : valueDigest(values));
    }
    return entry;
  });
  entries.sort((a, b) => cmp(a.path, b.path) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  return { version: 1, generated: 'by `portcullis baseline`; regenerate rather than edit', findings: entries };
}

function contextOf(f: Finding, lines: string[] | undefined, secrets: ScanSecrets): string {
  const snippet = lines ? normaliseSnippet(secrets.redactSnippet(lines.slice(f.line - 1, f.endLine).join('\n'))) : '';
  // Only a snippet the fingerprint was computed from is known to be the flagged source, not a secret's key.
  const fromSource = snippet !== '' && [...Array(64).keys()].some((n) => fingerprint(f.ruleId, f.path, snippet, n) === f.fingerprint);
  // redacted before it is clipped: a clipped token would no longer look like one
  return clip(fromSource ? snippet : secrets.redact(normaliseSnippet(f.message)));
}

const clip = (s: string): string => shorten(s, CONTEXT_CHARS);
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
  return {
    version: 1,
    generated: String(obj.generated ?? ''),
    findings: obj.findings.map((e) => {
      const { valueDigest: digest, ...rest } = e;
      // a digest that is not a string cannot match any value: the entry then silences no secret finding
      return { ...rest, context: String(e.context ?? ''), ...(digest !== undefined ? { valueDigest: typeof digest === 'string' ? digest : '' } : {}) };
    }),
  };
}

const entryKey = (e: Pick<BaselineEntry, 'fingerprint' | 'ruleId' | 'path'>): string => `${e.fingerprint}\0${e.ruleId}\0${e.path}`;

export interface ApplyOptions {
  /** The baseline's file name, for reports. */
  file?: string;
  /** The scan's secret side channel: a secret finding is baselined only when its entry's digest matches its value. */
  secrets?: ScanSecrets;
  /** Digests already checked (checkDigests, in parallel); the others are checked here, one at a time. */
  checked?: DigestChecks;
}

/**
 * Marks the findings the baseline lists as suppressed (kind `baseline`). A finding already
 * suppressed otherwise keeps that suppression but still counts its entry as matched.
 *
 * A secret finding (one with values in `options.secrets`) is matched only by an entry whose value digest matches
 * its current value. Fail closed: an entry without a digest (a baseline written before digests existed) or with a
 * digest of another value does not silence it, and a notice says how many and how to refresh the baseline.
 */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
  options: ApplyOptions = {},
): { findings: Finding[]; stats: BaselineStats; notices: Notice[] } {
  const wanted = new Map(baseline.findings.map((e) => [entryKey(e), e]));
  const hit = new Set<string>();
  let undigested = 0;
  let changed = 0;
  const out = findings.map((f) => {
    const key = entryKey(f);
    const entry = wanted.get(key);
    if (!entry) return f;
    const values = options.secrets?.valuesOf(f.fingerprint);
    if (values?.length) {
      if (entry.valueDigest === undefined) {
        undigested++;
        return f;
      }
      if (!(options.checked?.get(`${entry.valueDigest}\0${f.fingerprint}`) ?? digestMatches(values, entry.valueDigest))) {
        changed++;
        return f;
      }
    }
    hit.add(key);
    return f.suppressed ? f : { ...f, suppressed: { kind: 'baseline' as const, reason: 'in baseline', ...(options.file ? { path: options.file } : {}) } };
  });
  const file = options.file ?? 'the baseline';
  const notices: Notice[] = [];
  if (undigested > 0) {
    notices.push({
      message:
        `${undigested} secret finding${undigested === 1 ? ' is' : 's are'} listed in ${file} without a digest of the value (the baseline predates value digests, or the finding had no value then), ` +
        `so ${undigested === 1 ? 'it is' : 'they are'} reported: the value may have changed since. Check the value${undigested === 1 ? ' is' : 's are'} still the accepted one${undigested === 1 ? '' : 's'}, then regenerate the baseline with \`portcullis baseline\`.`,
    });
  }
  if (changed > 0) {
    notices.push({
      message: `${changed} secret finding${changed === 1 ? '' : 's'} listed in ${file} now hold${changed === 1 ? 's' : ''} a different value than when the baseline was written, so ${changed === 1 ? 'it is' : 'they are'} reported.`,
    });
  }
  return { findings: out, stats: { matched: hit.size, stale: Math.max(0, wanted.size - hit.size - undigested - changed) }, notices };
}
