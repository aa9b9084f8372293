/**
 * The generic detector: a literal assigned to a credential-named key (`api_key = "…"`, `password: …`,
 * `"clientSecret": "…"`, `DB_PASSWORD=…`) whose value looks random enough to be a real secret.
 */
import { isCredentialName, isTrivialValue, nameWords } from '../credentials.js';
import { charClasses, shannonEntropy } from './checksum.js';
import { notCredentialShaped } from './shape.js';
import { DOC_VALUES, isPlaceholderValue } from './values.js';

export interface Assignment {
  key: string;
  value: string;
  /** Offsets of the value within the line. */
  start: number;
  end: number;
}

/**
 * `key <op> value` with op one of `=`, `:`, `:=`, `=>`; the key optionally quoted, the value quoted or bare.
 * Flags (`--password x`) are left out: their values are usually variables expanded by the shell.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_$.-])(["']?)([A-Za-z_@$][A-Za-z0-9_.$-]{0,80})\1[ \t]*(?::=|=>|=(?![=>~])|:(?![:=/]))[ \t]*(?:(["'`])((?:(?!\3)[^\\\r\n]|\\.){1,512})\3|([^\s"'`,;#}\])(<>]{1,512}))/dg;

/** Keys whose last words name a password: a human-chosen value, so a lower bar than for random tokens. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase']);

/**
 * The assignments on one line. With `quotedOnly` (source code) only quoted literals count: in code a bare value is an
 * expression (`hasToken = !!node.token`, `type OpenToken = Token$1`), not a secret; a backtick template counts only
 * without `${…}` in it.
 */
export function assignments(line: string, quotedOnly = false): Assignment[] {
  const out: Assignment[] = [];
  // most code lines with a credential-like name hold no literal at all
  if (quotedOnly && !/["'`]/.test(line)) return out;
  ASSIGNMENT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ASSIGNMENT.exec(line))) {
    const key = m[2]!.replace(/^[$@]+/, '');
    const group = m[4] !== undefined ? 4 : 5;
    if (quotedOnly && (group === 5 || (m[3] === '`' && m[4]!.includes('${')))) continue;
    const [start, end] = m.indices![group]!;
    // a bare word followed by `(` or `.` is code (`token = getToken()`, `key: cfg.key`), not a literal
    if (group === 5 && /[(.[]/.test(line[end] ?? '')) continue;
    out.push({ key, value: m[group]!, start, end });
  }
  return out;
}

const NOT_A_SECRET = [
  /^[a-z][a-z0-9+.-]*:\/\//i, // a URL (credentials inside one are the url-credentials format's business)
  /^(\/[^/]*\/|\/[a-z0-9_.-]*$|\.{1,2}\/|~\/|[A-Za-z]:\\)/, // a path (not a base64 value that starts with `/`)
  /\.(json|ya?ml|pem|key|txt|env|p12|pfx|crt|cer|der|jks|keystore|properties|xml|toml|ini|conf|cfg)$/i, // a file name
  /^(sha(1|224|256|384|512)|md5|blake2b?)[-:]/i, // an integrity hash
  /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, // the name of another variable
  /^[A-Za-z]+([._\-/ ][A-Za-z]+)*$/, // words and identifiers, no digits or symbols
  /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z_$][\w$]*)+$/, // member access: config.auth.token
  /^[?!#@:.$]?[A-Za-z]+\$?\d?$/, // an identifier or type name: OpeningParenToken, ?InterpolationInJSX, Token$1
  /^[a-z]+([-_.][a-z]+)*\d{0,4}$/, // lower-case words with a short number: personal-access-token123
  /\s/, // prose
  /[^\x21-\x7e]/, // non-ASCII: translated messages
];

/**
 * Keys that are public by design, whatever the variable is called: PostHog project keys (`phc_`), Stripe publishable keys
 * (`pk_live_`, `pk_test_`), Datadog browser client tokens (`pub` + 32 hex digits). They ship in every page's JavaScript.
 */
const PUBLIC_KEY = /^(phc_[A-Za-z0-9]{20,}|pk_(live|test)_[A-Za-z0-9]{10,}|pub[0-9a-f]{32})$/;

/** isCredentialName, remembered: the same few names (`path`, `key`, `GITHUB_TOKEN`) recur on most lines read. */
const CREDENTIAL_NAMES = new Map<string, boolean>();
function credentialName(key: string): boolean {
  let yes = CREDENTIAL_NAMES.get(key);
  if (yes === undefined) {
    if (CREDENTIAL_NAMES.size >= 4096) CREDENTIAL_NAMES.clear();
    CREDENTIAL_NAMES.set(key, (yes = isCredentialName(key)));
  }
  return yes;
}

/** True when an assignment to `key` of `value` looks like a real credential. */
export function isLikelySecret(key: string, value: string): boolean {
  const v = value.trim();
  if (v.length < 8 || !credentialName(key) || DOC_VALUES.has(v) || isTrivialValue(v) || isPlaceholderValue(v)) return false;
  if (NOT_A_SECRET.some((r) => r.test(v)) || notCredentialShaped(v) || PUBLIC_KEY.test(v)) return false;
  // a documentation value quoted inside a larger literal (`AWS_SECRET_ACCESS_KEY="wJalr…EXAMPLEKEY"` in a test string)
  for (const doc of DOC_VALUES) if (v.includes(doc)) return false;
  const entropy = shannonEntropy(v);
  if (/^[0-9a-f]+$/i.test(v)) return v.length >= 32 && entropy >= 3.0;
  if (v.length >= 16 && entropy >= 3.5) return true;
  const words = nameWords(key);
  return PASSWORD_WORDS.has(words[words.length - 1]!) && charClasses(v) >= 3 && entropy >= 2.8;
}
