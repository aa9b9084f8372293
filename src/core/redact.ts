/**
 * Redaction: the only forms in which a credential may leave the process. `redact` shortens one known value;
 * `redactText` finds credentials in any outgoing text (messages, labels, paths, notices, suppression reasons,
 * baseline contexts, log lines) and shortens each the same way. The scan applies it once, where findings leave it
 * (see ScanSecrets in secrets.ts); it is idempotent, so a second pass over a log line changes nothing.
 */
import { isCredentialName, isTrivialValue, TOKEN_FORMATS } from '../analysis/credentials.js';
import { assignments } from '../analysis/secrets/generic.js';
import { isPlaceholderValue } from '../analysis/secrets/values.js';
import { shorten } from './shorten.js';

export const REDACTED = '…[redacted]';

/**
 * The only form in which a secret value may leave a rule: at most its first 4 characters,
 * fewer for short values, and never its length.
 */
export function redact(value: string): string {
  const keep = value.length >= 16 ? 4 : value.length >= 8 ? 2 : 0;
  return `${value.slice(0, keep)}${REDACTED}`;
}

/** Values shorter than this are not searched for in text: they would blank ordinary words and leak no 5-character window. */
export const MIN_EXACT_VALUE = 6;
/**
 * A value cut short is recognised from this many characters: a token format's public prefix (`github_pat_`,
 * `sk_live_`) must not make every mention of it (a file named `github.ts`) look like a cut token.
 */
const MIN_CUT_VALUE = 12;

/** Known secret values, found in text by their first characters (a table lookup per position, whatever their number). */
export class ValueSet {
  readonly #byPrefix = new Map<string, string[]>();
  /** Marks (a hash of) the first two characters of some value: most positions of a text stop at this lookup. */
  readonly #starts: Uint8Array;
  readonly size: number;

  constructor(values: Iterable<string>) {
    const all = new Set<string>();
    // each line on its own (a PEM body), longest first so the whole of a value wins over a value it contains
    for (const v of values) {
      for (const raw of v.split(/\r?\n/)) {
        const line = raw.trim();
        // PEM armour (`-----BEGIN … PRIVATE KEY-----`) is public text; the key's body lines are the secret
        if (line.length >= MIN_EXACT_VALUE && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(line)) all.add(line);
      }
    }
    // a file with findings but no secret (most) allocates nothing
    this.#starts = new Uint8Array(all.size > 0 ? BIGRAMS : 0);
    for (const v of [...all].sort((a, b) => b.length - a.length)) {
      const key = v.slice(0, MIN_EXACT_VALUE);
      const list = this.#byPrefix.get(key);
      if (list) list.push(v);
      else this.#byPrefix.set(key, [v]);
      this.#starts[bigram(v, 0)] = 1;
    }
    this.size = all.size;
  }

  /**
   * Where the values occur in `text`: whole, or cut short (a rule clipped the quote it was in) to a prefix of
   * MIN_CUT_VALUE characters or more. A cut value is redacted whole, without even its first characters.
   */
  spans(text: string, out: Span[]): void {
    if (this.size === 0) return;
    for (let i = 0; i + MIN_EXACT_VALUE <= text.length; i++) {
      if (this.#starts[bigram(text, i)] === 0) continue;
      const list = this.#byPrefix.get(text.slice(i, i + MIN_EXACT_VALUE));
      if (!list) continue;
      let best = 0;
      let whole = false;
      for (const v of list) {
        let n = MIN_EXACT_VALUE;
        while (n < v.length && text.charCodeAt(i + n) === v.charCodeAt(n)) n++;
        if (n > best || (n === best && n === v.length)) [best, whole] = [n, n === v.length];
      }
      if (whole) out.push([i, i + best]);
      else if (best >= MIN_CUT_VALUE) out.push([i, i + best, false]);
      else continue;
      i += best - 1;
    }
  }
}

const BIGRAMS = 4096;
const bigram = (s: string, i: number): number => ((s.charCodeAt(i) << 6) ^ s.charCodeAt(i + 1)) & (BIGRAMS - 1);

/** Start and end offsets; `false` third: redact without keeping the first characters (a cut value). */
type Span = [number, number, boolean?];
const NONE = new ValueSet([]);

// `scheme://userinfo@host` and `//userinfo@host`: greedy up to the last `@` of the authority (a password may hold `@`).
const URL_USERINFO = /(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/([^\s/?#'"`<>\\]+)@(?=[A-Za-z0-9[])/dg;
const DIGEST_AFTER = /^sha(?:256|384|512):[0-9a-f]{32,}/;
// `?token=…`, `&X-Amz-Signature=…`: a query parameter whose name says it carries a credential.
const QUERY_PARAM = /[?&;]([A-Za-z0-9_.[\]-]{1,64})=([^&#\s'"`<>\\]+)/dg;
const QUERY_NAMES = /^(key|sig|signature|code|session|sessionid|sid|x-amz-(signature|credential|security-token)|x-goog-(signature|credential))$/i;
// curl/wget `-u user:pass`, `--user=user:pass`, `-uuser:pass`.
const USER_OPTION = /(?<=^|[\s'"(=])(?:--proxy-user|--user|-u|-U)(?:[ \t]+|=|(?=[^\s-]))(['"]?)([^\s'"]+)/dg;
// `--password x`, `--api-token=x`, … any long option named like a credential.
const LONG_OPTION = /(?<=^|[\s'"(])--([A-Za-z][A-Za-z0-9-]{1,60})(?:=|[ \t]+)(['"]?)([^\s'"]+)/dg;
// `docker login -p x`, `mysql -px`.
const LOGIN_P = /\b(?:login|mysql|mysqldump|mysqladmin)\b[^\n;&|]*?[ \t]-p(?:[ \t]+|=)?(['"]?)([^\s'"-][^\s'"]*)/dg;
// `.npmrc`: `//host/:_authToken=…`, `_auth=…`, `_password=…`.
const NPMRC = /(?<=^|[\s'"/:])_(?:authToken|auth|password)[ \t]*=[ \t]*(['"]?)([^\s'"]+)/dg;
// `Authorization: Bearer …`, `X-Api-Key: …`.
const HEADER = /\b(?:(?:proxy-)?authorization[ \t]*:[ \t]*(?:(?:bearer|basic|token|digest|bot)[ \t]+)?|(?:x-api-key|api-key|apikey|private-token|x-auth-token|x-access-token|x-goog-api-key)[ \t]*:[ \t]*)([^\s'"]+)/dgi;
const TOKENS = TOKEN_FORMATS.map((f) => new RegExp(f.pattern.source, `${f.pattern.flags.replace('g', '')}g`));

/** A value that stands for a credential rather than being one: `$TOKEN`, `${{ secrets.X }}`, `%PASS%`, `<token>`, `changeme`. */
function isReference(value: string): boolean {
  return /^[$%<{]|\$\{|\{\{/.test(value) || isPlaceholderValue(value) || isTrivialValue(value);
}

function groupSpan(m: RegExpExecArray, g: number): Span {
  const [start, end] = m.indices![g]!;
  return [start, end];
}

function each(re: RegExp, text: string, take: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    take(m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

// Cheap tests that rule out most texts before the expressions above run (redaction sees every finding's line and message).
const MAYBE_TOKEN = /gh[pousr]_|github_pat_|glpat-|AKIA|ASIA|xox[baprs]-|PRIVATE KEY|k_live_|AIza|npm_/;
const MAYBE_ASSIGNMENT = /(?:pass|pwd|secret|token|key|auth|cred|pat)[\w.$-]{0,40}["'`\]]{0,2}[ \t]*[:=]/i;
const MAYBE_HEADER = /authorization|api-?key|-token/i;
const MAYBE_LONG_OPTION = /--[\w-]*(?:pass|pwd|secret|token|key|auth|cred|pat)/i;

/** Every stretch of `text` that holds a credential: by shape, by token format, and the exact known values. */
function credentialSpans(text: string, values: ValueSet): Span[] {
  const out: Span[] = [];
  values.spans(text, out);
  if (text.includes('@') && text.includes('//')) {
    each(URL_USERINFO, text, (m) => {
      const info = m[1]!;
      // `docker://alpine:3.20@sha256:…` is an image pinned by digest, not `user:password@host`
      if (DIGEST_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 72))) return;
      // `git@`, `oauth2@`: a user name alone is no credential; a password (`:`) or a token-length user is
      if (info.includes(':') || info.length >= 8) out.push(groupSpan(m, 1));
    });
  }
  const equals = text.includes('=');
  if (equals) {
    each(QUERY_PARAM, text, (m) => {
      if ((QUERY_NAMES.test(m[1]!) || isCredentialName(m[1]!)) && !isReference(m[2]!)) out.push(groupSpan(m, 2));
    });
  }
  if (text.includes('-u') || text.includes('-U')) {
    each(USER_OPTION, text, (m) => {
      const v = m[2]!;
      const colon = v.indexOf(':');
      // `-u 1000:1000` is a uid:gid; `-u "$USER:$PASS"` names variables
      if (colon >= 0 && !/^\d+(:\d+)?$/.test(v) && !isReference(v.slice(colon + 1))) out.push(groupSpan(m, 2));
    });
  }
  if (MAYBE_LONG_OPTION.test(text)) {
    each(LONG_OPTION, text, (m) => {
      const name = m[1]!;
      if (isCredentialName(name) && !/-(stdin|file|env|from-\w+)$/i.test(name) && !m[3]!.startsWith('-') && !isReference(m[3]!)) out.push(groupSpan(m, 3));
    });
  }
  if (text.includes('-p') && /login|mysql/.test(text)) each(LOGIN_P, text, (m) => (isReference(m[2]!) ? undefined : out.push(groupSpan(m, 2))));
  if (equals && text.includes('_')) each(NPMRC, text, (m) => (isReference(m[2]!) ? undefined : out.push(groupSpan(m, 2))));
  if (MAYBE_HEADER.test(text)) each(HEADER, text, (m) => (isReference(m[1]!) ? undefined : out.push(groupSpan(m, 1))));
  if (MAYBE_TOKEN.test(text)) for (const re of TOKENS) each(re, text, (m) => out.push([m.index, m.index + m[0].length]));
  if (MAYBE_ASSIGNMENT.test(text)) {
    for (const a of assignments(text)) {
      if (!isCredentialName(a.key) || isReference(a.value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(a.value)) continue;
      // in a URL's query the value ends at the next parameter
      const amp = a.value.indexOf('&');
      out.push([a.start, amp > 0 ? a.start + amp : a.end]);
    }
  }
  return out;
}

/**
 * `text` with every credential in it shortened to at most its first 4 characters and `…[redacted]`: URL userinfo and
 * credential query parameters, credential options of command lines (`-u user:pass`, `--password`, `-p` of a login,
 * `_authToken=`), authorization headers, credential-named assignments, known token formats, whatever the secret
 * detectors find, and every one of `values` (the secrets the scan found) wherever it appears. Line breaks are kept.
 */
export function redactText(text: string, values: ValueSet = NONE): string {
  if (text.length === 0) return text;
  const spans = credentialSpans(text, values)
    .filter(([s, e]) => e > s && !text.slice(s, e).includes(REDACTED))
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  if (spans.length === 0) return text;
  let out = '';
  let pos = 0;
  for (let i = 0; i < spans.length; ) {
    const [start, first, prefix = true] = spans[i]!;
    let end = first;
    for (i++; i < spans.length && spans[i]![0] <= end; i++) end = Math.max(end, spans[i]![1]);
    out += text.slice(pos, start) + redactSegment(text.slice(start, end), prefix);
    pos = end;
  }
  return out + text.slice(pos);
}

/** Each line of a span on its own, so a redacted PEM block keeps its line count (findings after it keep their lines). */
function redactSegment(segment: string, prefix: boolean): string {
  return segment
    .split(/(\r?\n)/)
    .map((part, i) => (i % 2 === 1 || part.trim() === '' ? part : prefix ? redact(part) : REDACTED))
    .join('');
}

const SUPPRESSION_QUOTE = /portcullis:\s*ignore\s*\[([^\]\r\n]*)\]([^\r\n]*)/;

/**
 * What a comment quotes of a suppression line a pull request adds: the rule ids and the reason, redacted, never the
 * rest of the line (the code the comment sits on may hold the very secret it silences).
 */
export function quoteSuppression(line: string): string {
  const m = SUPPRESSION_QUOTE.exec(line);
  if (!m) return 'portcullis: ignore (malformed)';
  const ids = m[1]!.split(',').map((s) => s.trim()).filter(Boolean).join(', ');
  const reason = m[2]!.trim();
  // Redacted before it is shortened: a token cut in half no longer matches its format and would be quoted in part.
  return shorten(redactText(`ignore[${ids}]${reason ? ` ${reason}` : ''}`), 200 + ids.length + 9);
}
