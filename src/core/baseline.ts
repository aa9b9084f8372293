import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { fingerprint, normaliseSnippet } from './fingerprint.js';
import { ScanSecrets } from './secrets.js';
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
   * For a secret finding: a slow, salted digest of its value(s) (see VALUE_DIGEST), so that the entry stops matching
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

/**
 * The value digest: scrypt (Node's built-in) with a random 16-byte salt per entry, N = 2^15, r = 8, p = 1, 32 bytes.
 * The baseline is committed, so the digest is public: the salt stops precomputed tables and one guess serving every
 * entry, and the cost (32 MiB of memory and about 0.1 s of one core per guess) makes a dictionary of a million
 * passwords cost a core-day per entry, with the memory bound taking away most of a GPU's advantage. It is a quarter
 * of OWASP's password-storage setting (N = 2^17) because every run checks every baselined secret finding again
 * (see bench figures in the CHANGELOG); a weak password in a small word list stays guessable whatever the cost,
 * which is why a baselined secret still has to be rotated. The parameters are fixed here, never read from the file:
 * a baseline cannot make the gate do more work than one digest per secret finding.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const DIGEST_SCHEME = 'scrypt:N=32768,r=8,p=1';
const DIGEST_BYTES = 32;

/** What is digested: every value of the finding, in the order the rule reported them. */
const material = (values: readonly string[]): string => values.join('\0');

export function valueDigest(values: readonly string[], salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(material(values), salt, DIGEST_BYTES, SCRYPT);
  return `${DIGEST_SCHEME}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

/** True when `digest` was made from exactly these values; false for another value, a foreign scheme or a malformed digest. */
export function digestMatches(values: readonly string[], digest: string): boolean {
  const m = /^scrypt:N=32768,r=8,p=1:([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})$/.exec(digest);
  if (!m) return false;
  const expected = Buffer.from(m[2]!, 'base64url');
  return timingSafeEqual(scryptSync(material(values), Buffer.from(m[1]!, 'base64url'), DIGEST_BYTES, SCRYPT), expected);
}

export interface CreateOptions {
  /** The scan's secret side channel (ScanResult.secrets): secret findings get a digest, contexts are redacted with it. */
  secrets?: ScanSecrets;
  /** The baseline being replaced: an entry whose digest still matches the value is kept as is, so regenerating gives the same bytes. */
  previous?: Baseline;
}

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
  const before = new Map((options.previous?.findings ?? []).filter((e) => e.valueDigest).map((e) => [entryKey(e), e.valueDigest!]));
  const entries = findings
    .filter((f) => !f.suppressed || f.suppressed.kind === 'baseline')
    .map((f): BaselineEntry => {
      const values = secrets.valuesOf(f.fingerprint);
      const entry: BaselineEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path, context: contextOf(f, linesOf(f.path), secrets) };
      if (values?.length) {
        const kept = before.get(entryKey(f));
        entry.valueDigest = kept !== undefined && digestMatches(values, kept) ? kept : valueDigest(values);
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

const clip = (s: string): string => (s.length > CONTEXT_CHARS ? `${s.slice(0, CONTEXT_CHARS - 1)}…` : s);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Serialised with a trailing newline, two-space indent. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline file's text; a file that is not a version-1 baseline fails with a message naming it. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BaselineError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)}); regenerate it with \`portcullis baseline\``);
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
      if (!digestMatches(values, entry.valueDigest)) {
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
