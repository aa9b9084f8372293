/**
 * The secret detectors over one file. A keyword scan finds the lines holding a format's keywords, and on each only
 * the formats whose keywords occur run their (bounded) patterns; one native search for a credential-name stem
 * followed by `=` or `:` finds the lines the generic detector reads. A file with neither costs nothing more.
 */
import type { Confidence, Severity } from '../../core/types.js';
import { SECRET_FORMATS, type SecretFormat } from './formats.js';
import { shannonEntropy } from './checksum.js';
import { KeywordScanner } from './prefilter.js';
import { assignments, isLikelySecret } from './generic.js';
import { isDocumentationValue, isGeneratedPath, isHashLine, isLockfile, isPlaceholderValue, isTestPath } from './values.js';

export interface SecretHit {
  /** The format's id, or `generic`. */
  formatId: string;
  name: string;
  provider: string;
  rotate: string;
  /** Offsets of exactly the secret's characters in the text. */
  start: number;
  end: number;
  value: string;
  severity: Severity;
  confidence: Confidence;
  /** The assigned key (generic hits). */
  key?: string;
  related?: { start: number; end: number; label: string };
}

/** Source code: the generic detector takes only quoted literals there, and URL examples in comments are skipped. */
const CODE_FILE = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|java|kt|kts|go|py|rb|rbi|rake|ex|exs|php|cs|swift|rs|c|cc|cpp|cxx|h|hpp|scala|groovy|dart)$/i;
/**
 * How a file writes line comments, by its name: `//` and `/* … *\/` in C-like code, `;` (at the start of a line) in ini
 * files, `--` in SQL and Lua, and `#` in scripting languages, shells, YAML, TOML, configs and anything not listed.
 */
const SLASH_COMMENTS = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|java|kt|kts|go|php|cs|swift|rs|c|cc|cpp|cxx|h|hpp|scala|groovy|dart|gradle|proto|json5|jsonc|tf|hcl|sol|zig)$/i;
const HASH_IN_CODE = /\.(py|rb|rbi|rake|ex|exs|php|tf|hcl)$/i;
const SEMICOLON_COMMENTS = /\.(ini|cfg|cnf|reg)$/i;
const DASH_COMMENTS = /\.(sql|lua|hs)$/i;
/** Configuration for a development or test environment (`config/dev.exs`, `settings/local.py`, `application-test.yml`): its secrets are local defaults. */
const DEVELOPMENT_CONFIG =
  /(^|\/)(dev|development|test|testing|local)\.(exs|ex|rb|py|ya?ml|json|toml|ini|conf|properties)$|(^|\/)[\w.-]+[._-](dev|development|test|testing|local)\.(ya?ml|json|properties|toml|ini|conf)$|(^|\/)config\/environments\/(development|test)\.rb$/i;
const atMostMedium = (s: Severity): Severity => (s === 'critical' || s === 'high' ? 'medium' : s);
/** A credential-name stem followed within a few characters by `=` or `:`: the only lines the generic detector reads. */
const CREDENTIAL_ASSIGNMENT =
  /(?:[Pp]ass|PASS|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Kk]ey|KEY|[Aa]uth|AUTH|[Cc]red|CRED|[Pp]at|PAT)[\w.$-]{0,40}["'`\]]{0,2}[ \t]*[:=]/;
/** CREDENTIAL_ASSIGNMENT in any case, to search a whole text: it matches wherever that does, and runs faster. */
const CREDENTIAL_ASSIGNMENT_ANY_CASE = /(?:pass|pwd|secret|token|key|auth|cred|pat)[\w.$-]{0,40}["'`\]]{0,2}[ \t]*[:=]/gi;

/** Lines longer than this (minified code, data blobs) are searched for known formats only. */
export const GENERIC_MAX_LINE = 4096;

const STEMS = ['pass', 'pwd', 'secret', 'token', 'key', 'auth', 'cred', 'pat'];
const STEM_WORDS = new Set(STEMS.flatMap((s) => [s, s[0]!.toUpperCase() + s.slice(1), s.toUpperCase()]));

const BY_KEYWORD = new Map<string, number[]>();
SECRET_FORMATS.forEach((f, i) => f.keywords.forEach((k) => BY_KEYWORD.set(k, [...(BY_KEYWORD.get(k) ?? []), i])));
// A stem outranks a shorter format keyword at the same offset, as when both were scanned together (none does today).
const PREFILTER = new KeywordScanner(BY_KEYWORD.keys(), STEM_WORDS);
const withFlags = (r: RegExp): RegExp => new RegExp(r.source, [...new Set(`${r.flags}gd`)].join(''));
const PATTERNS = SECRET_FORMATS.map((f) => withFlags(f.pattern));
const PAIR_PATTERNS = SECRET_FORMATS.map((f) => (f.pair ? withFlags(f.pair.pattern) : undefined));

const LOWER_SEVERITY: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };
const LOWER_CONFIDENCE: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

/** Every secret in `text`, at most one per span; `path` decides the test-path policy and lockfile/minified handling. */
/** A word-like, low-entropy password (`pass`, `xyz`, `bar`, `secret1`): a stand-in, unlike `k3J9…`. */
function isIllustrativePassword(value: string): boolean {
  return /^[A-Za-z]{1,12}\d{0,3}$/.test(value) || (value.length < 12 && shannonEntropy(value) < 2.5);
}

/**
 * The lines the generic detector reads, as start and end offsets (the end excludes the line break): those matching
 * CREDENTIAL_ASSIGNMENT and no longer than GENERIC_MAX_LINE.
 */
function assignmentLines(text: string): number[] {
  const out: number[] = [];
  const re = CREDENTIAL_ASSIGNMENT_ANY_CASE;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    const nl = text.indexOf('\n', m.index);
    const lineEnd = nl < 0 ? text.length : nl;
    const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    if (end - start <= GENERIC_MAX_LINE && CREDENTIAL_ASSIGNMENT.test(text.slice(start, end))) out.push(start, end);
    if (nl < 0) break;
    re.lastIndex = nl + 1;
  }
  return out;
}

export function detectSecrets(text: string, path: string): SecretHit[] {
  const formatLines: [number, number, ReadonlySet<string>][] = [];
  PREFILTER.scanLines(text, (start, end, found) => formatLines.push([start, end, found]));
  const genericLines = isGeneratedPath(path) ? [] : assignmentLines(text);
  if (formatLines.length === 0 && genericLines.length === 0) return [];

  const lockfile = isLockfile(path);
  const code = CODE_FILE.test(path);
  const slash = SLASH_COMMENTS.test(path);
  const hash = !slash || HASH_IN_CODE.test(path);
  const semicolon = SEMICOLON_COMMENTS.test(path);
  const dash = DASH_COMMENTS.test(path);
  const developmentConfig = DEVELOPMENT_CONFIG.test(path);
  const standInFile = /(^|[._-])(fake|dummy|example|sample|placeholder)([._-]|$)/i.test(path.slice(path.lastIndexOf('/') + 1));

  /** True when offset `at` of the line starting at `lineStart` is inside a comment, in the file's comment syntax (by the line's shape). */
  const inComment = (lineStart: number, at: number): boolean => {
    const before = text.slice(lineStart, at);
    return (
      (slash && /^\s*(\/\/|\/\*|\*)|(^|\s)(\/\/|\/\*)/.test(before)) ||
      (hash && /^\s*#|\s#(\s|$)/.test(before)) ||
      (semicolon && /^\s*;/.test(before)) ||
      (dash && /^\s*--|\s--\s/.test(before))
    );
  };
  /**
   * Weak evidence: a password in a URL or a generic literal inside a comment (an example, or a setting switched off), a
   * generic literal in a development configuration, or a URL password that validation found likely a default. Still
   * reported, never blocking: at most medium severity, low confidence.
   */
  const weaken = (hit: SecretHit): SecretHit => ({ ...hit, severity: atMostMedium(hit.severity), confidence: 'low' });
  const candidates: { hit: SecretHit; rank: number }[] = [];
  const rejected: [number, number][] = [];
  const seen = new Set<string>();

  const runFormat = (index: number, lineStart: number, lineEnd: number): void => {
    const f = SECRET_FORMATS[index]!;
    const re = PATTERNS[index]!;
    const scope = text.slice(lineStart, f.window ? Math.min(text.length, lineStart + f.window.chars) : lineEnd);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(scope))) {
      if (!f.window?.anyLine && m.index >= lineEnd - lineStart) break;
      const group = m.groups?.secret !== undefined ? m.indices!.groups!.secret! : m.indices![1]!;
      const start = lineStart + group[0];
      const end = lineStart + group[1];
      const value = text.slice(start, end);
      if (seen.has(`${index}:${start}`)) continue;
      seen.add(`${index}:${start}`);
      const verdict = isDocumentationValue(value) ? false : (f.validate?.(value, m) ?? true);
      // `https://user:pass@example.com` in a code comment is an illustration of the URL syntax
      if (verdict === false || (code && f.id === 'url-credentials' && isIllustrativePassword(value) && inComment(lineStart, lineStart + m.index))) {
        rejected.push([start, end]);
        continue;
      }
      let hit: SecretHit = {
        formatId: f.id,
        name: f.name,
        provider: f.provider,
        rotate: f.rotate,
        start,
        end,
        value,
        severity: f.severity ?? 'critical',
        confidence: verdict === true ? (f.confidence ?? 'high') : verdict,
      };
      if (f.id === 'url-credentials' && (verdict === 'low' || inComment(lineStart, lineStart + m.index))) hit = weaken(hit);
      if (!f.pair) candidates.push({ hit, rank: index });
      else {
        const paired = pairUp(f, index, hit);
        if (paired) candidates.push({ hit: paired, rank: index });
        else if (f.pair.unpaired !== 'skip') candidates.push({ hit: { ...hit, ...f.pair.unpaired }, rank: index });
      }
    }
  };

  /** The secret half of a two-part credential within `pair.lines` lines of the public half. */
  const pairUp = (f: SecretFormat, index: number, anchor: SecretHit): SecretHit | undefined => {
    const pair = f.pair!;
    let from = text.lastIndexOf('\n', anchor.start - 1) + 1;
    for (let i = 0; i < pair.lines && from > 0; i++) from = text.lastIndexOf('\n', from - 2) + 1;
    let to = text.indexOf('\n', anchor.end);
    for (let i = 0; i < pair.lines && to >= 0; i++) to = text.indexOf('\n', to + 1);
    const region = text.slice(from, to < 0 ? text.length : to);
    const re = PAIR_PATTERNS[index]!;
    let best: SecretHit | undefined;
    let offset = 0;
    for (const line of region.split('\n')) {
      if (!pair.lineFilter || pair.lineFilter.test(line)) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(line))) {
          const [s, e] = m.indices![1]!;
          const value = m[1]!;
          const start = from + offset + s;
          if (start < anchor.end && from + offset + e > anchor.start) continue;
          if (isDocumentationValue(value) || isPlaceholderValue(value) || (pair.validate && !pair.validate(value))) continue;
          if (!best || Math.abs(start - anchor.start) < Math.abs(best.start - anchor.start))
            best = { ...anchor, start, end: from + offset + e, value, related: { start: anchor.start, end: anchor.end, label: pair.label } };
        }
      }
      offset += line.length + 1;
    }
    return best;
  };

  /** A line of assignmentLines. */
  const runGeneric = (lineStart: number, lineEnd: number): void => {
    for (const a of assignments(text.slice(lineStart, lineEnd), code)) {
      if (!isLikelySecret(a.key, a.value)) continue;
      let hit: SecretHit = {
        formatId: 'generic',
        name: `value of ${a.key}`,
        provider: 'the service it belongs to',
        rotate: 'the service that issued it',
        start: lineStart + a.start,
        end: lineStart + a.end,
        value: a.value,
        severity: 'high',
        confidence: 'medium',
        key: a.key,
      };
      if (developmentConfig || inComment(lineStart, lineStart + a.start)) hit = weaken(hit);
      candidates.push({ hit, rank: SECRET_FORMATS.length });
    }
  };

  // line by line, the formats whose keywords occur on it, then the generic detector
  for (let f = 0, g = 0; f < formatLines.length || g < genericLines.length; ) {
    const formatLine = formatLines[f];
    const genericStart = genericLines[g] ?? Infinity;
    const lineStart = Math.min(formatLine?.[0] ?? Infinity, genericStart);
    const found = formatLine?.[0] === lineStart ? formatLines[f++]![2] : undefined;
    const generic = genericStart === lineStart;
    const lineEnd = generic ? genericLines[g + 1]! : formatLine![1];
    if (generic) g += 2;
    if (lockfile && isHashLine(text.slice(lineStart, lineEnd))) continue;
    if (found) {
      const formats = new Set<number>();
      for (const k of found) for (const i of BY_KEYWORD.get(k)!) formats.add(i);
      for (const i of [...formats].sort((a, b) => a - b)) runFormat(i, lineStart, lineEnd);
    }
    if (generic) runGeneric(lineStart, lineEnd);
  }

  return settle(candidates, rejected, isTestPath(path));

  function settle(all: { hit: SecretHit; rank: number }[], no: [number, number][], testPath: boolean): SecretHit[] {
    const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
    const kept: SecretHit[] = [];
    const claimed: [number, number][] = [];
    for (const { hit, rank } of [...all].sort((a, b) => a.rank - b.rank || a.hit.start - b.hit.start)) {
      const span: [number, number] = [hit.start, hit.end];
      if (claimed.some((c) => overlaps(c, span))) {
        // the public half of a two-part credential whose secret half is already reported is not a secret of its own
        if (hit.related) claimed.push([hit.related.start, hit.related.end]);
        continue;
      }
      // a look-alike a format rejected (bad checksum, documentation value) is not re-reported by the generic detector
      if (rank === SECRET_FORMATS.length && no.some((r) => overlaps(r, span))) continue;
      claimed.push(span);
      if (hit.related) claimed.push([hit.related.start, hit.related.end]);
      // `EXAMPLE` written into a token marks it as a documentation or test stand-in, and so does a key file named as one
      // (`fake_rsa`, `dummy.key`): reported, with low confidence
      const marked = /EXAMPLE|[Ee]xample/.test(hit.value) || (standInFile && /private-key$/.test(hit.formatId)) ? { ...hit, confidence: 'low' as const } : hit;
      kept.push(testPath ? { ...marked, severity: LOWER_SEVERITY[marked.severity], confidence: LOWER_CONFIDENCE[marked.confidence] } : marked);
    }
    return kept.sort((a, b) => a.start - b.start);
  }
}
