/** Recognising credentials by name and by value, for every rule that looks at variables and settings. */
import { charClasses, shannonEntropy } from './secrets/checksum.js';

/** Words that alone make a name a credential name (`DB_PASSWORD`, `apiToken`). */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  // Jenkins `credentials()` splits a username/password into NAME_USR and NAME_PSW
  'psw',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'auth',
  'pat',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'authtoken',
  'accesstoken',
  'apitoken',
]);

/** Adjacent word pairs that make a credential name (`API_KEY`, `privateKey`). */
const CREDENTIAL_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['client', 'secret'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['master', 'key'],
  ['license', 'key'],
];

/** A name ending in one of these words names something about a credential, not the credential itself. */
const NON_SECRET_LAST_WORDS = new Set([
  'file',
  'path',
  'url',
  'uri',
  'name',
  'version',
  'id',
  'dir',
  'host',
  'port',
  'user',
  'username',
  'endpoint',
  'type',
  'ttl',
  'timeout',
  'expiry',
  'length',
  'enabled',
  'mode',
  'method',
  'provider',
  'server',
  'location',
  // durations, sizes and settings about a credential, not the credential (TOKEN_TTL_SECONDS=3600)
  'seconds',
  'secs',
  'ms',
  'minutes',
  'hours',
  'days',
  'lifetime',
  'duration',
  'interval',
  'count',
  'size',
  'limit',
  'max',
  'min',
  'retries',
  'header',
  'prefix',
  'scope',
  'scopes',
  'algorithm',
  'audience',
  'issuer',
  'region',
  'format',
]);

/** Well-known names that look like credentials but hold something else (a path, the shell's working directory). */
const NON_SECRET_NAMES = new Set(['PWD', 'OLDPWD', 'GOOGLE_APPLICATION_CREDENTIALS']);

/** Splits a name into lower-case words on `_`, `-`, `.` and camelCase boundaries: `dbAPIKey` → db, api, key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** True when a variable or setting name says it holds a credential. Word-based: `AUTHOR` and `TOKENIZER_MODEL` are not. */
export function isCredentialName(name: string): boolean {
  if (NON_SECRET_NAMES.has(name.toUpperCase())) return false;
  const words = nameWords(name);
  if (words.length === 0 || words.includes('public')) return false;
  const n = words.length;
  if (n >= 3 && words[n - 3] === 'access' && words[n - 2] === 'key' && words[n - 1] === 'id') return true;
  if (NON_SECRET_LAST_WORDS.has(words[n - 1]!)) return false;
  if (words.some((w) => CREDENTIAL_WORDS.has(w))) return true;
  return words.some((w, i) => CREDENTIAL_PAIRS.some(([a, b]) => w === a && words[i + 1] === b));
}

/** Token formats whose shape alone identifies a credential, whatever the variable is called. */
export const TOKEN_FORMATS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'GitHub token', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/ },
  { name: 'GitHub fine-grained token', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/ },
  { name: 'GitLab token', pattern: /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/ },
  { name: 'Slack token', pattern: /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: 'Stripe live key', pattern: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,}/ },
  { name: 'Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/ },
  { name: 'npm token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/ },
];

/** The name of the well-known token format found in the value, if any. */
export function knownTokenFormat(value: string): string | undefined {
  return TOKEN_FORMATS.find((f) => f.pattern.test(value))?.name;
}

/**
 * Words (lower, Capitalised, UPPER or camelCase) and word separators with at most a short number (`Portcullis`,
 * `build-failure`, `FAILED`, `releaseNotes2024`), or a version: not random, whatever their length.
 */
const WORDS = /^(([A-Z]?[a-z]+)+|[A-Z]+)([._\-/ ](([A-Z]?[a-z]+)+|[A-Z]+))*[._-]?\d{0,4}$|^v?\d+(\.\d+){1,3}([-+][\w.]+)?$/;

/**
 * Why a value is known to be a credential whatever it is assigned to: its `format` (a token whose shape identifies
 * it: `ghp_…`, `AKIA…`, a private key), or its `entropy` and length (one line of 12 characters or more, not words,
 * at least two kinds of character and 3 bits per character; or 20 or more at 3.5 bits, as a generated password or
 * key has); undefined for a value that is only called a password (`failure`, `Portcullis`, `hunter2`). This decides
 * what the action masks in the job's log: a pull request must not be able to blank ordinary words there by assigning
 * them to `PASSWORD`.
 */
export function credentialEvidence(value: string): 'format' | 'entropy' | undefined {
  const v = value.trim();
  if (knownTokenFormat(v) !== undefined) return 'format';
  if (v.length < 12 || /\s/.test(v)) return undefined;
  const entropy = shannonEntropy(v);
  // long and random enough, even in letters only (`bsrNJazNeoTxMiBbCVPS`)
  if (v.length >= 20 && entropy >= 3.5) return 'entropy';
  return !WORDS.test(v) && charClasses(v) >= 2 && entropy >= 3 ? 'entropy' : undefined;
}

const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'dummy',
  'example',
  'placeholder',
  'todo',
  'tbd',
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'redacted',
  'sample',
  'fake',
  'replaceme',
  'replace_me',
  'replace-me',
]);

/** True for values that stand in for a secret rather than being one: empty, `changeme`, `xxx`, `<token>`, `$VAR`, `${VAR}`. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^\$\{[^}]*\}$/.test(v) || /^\$\{\{.*\}\}$/.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^%[^%]*%$/.test(v)) return true;
  if (/^([xX*.#-])\1*$/.test(v) && v.length >= 3) return true;
  if (/^(your|my|insert|enter|put)[-_ ]/i.test(v)) return true;
  return PLACEHOLDER_WORDS.has(v.toLowerCase());
}

/** Booleans and tiny numbers: a setting (`AUTH_REQUIRED=true`), not a credential. */
export function isTrivialValue(value: string): boolean {
  return /^(true|false|yes|no|on|off|enabled|disabled|\d{1,2})$/i.test(value.trim());
}
