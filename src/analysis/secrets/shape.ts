/**
 * Whether a literal has the shape of a credential. The rules that find secrets by a variable's name (`DB_PASSWORD=…`)
 * need the value to look like one too: a template, a pattern, a list of names or a path is never a secret, whatever the
 * variable is called, and a plain word is at best a local default.
 */
import { isPlaceholder } from '../credentials.js';
import { shannonEntropy } from './checksum.js';
import { isPlaceholderValue, isWeakValue } from './values.js';

/** Interpolations and templates: Ruby `#{x}`, shell and JS `${x}` and `$(cmd)`, Jinja/Go `{{ x }}`, printf `%s`/`%(x)s`, Python `{x}`/`{}`, ERB `<%= x %>`. */
const INTERPOLATION = /#\{[^}]*\}|\$\{[^}]*\}|\$\([^)]*\)|\{\{.*?\}\}|%\([\w.]+\)[sdr]|%[-+ #0]*\d*[sdrvq](?![A-Za-z0-9])|(?<![$#])\{[A-Za-z_]?[\w.]*\}|<%.*?%>/;
/** Regular-expression syntax no random token contains: `\d`, `(?:`, `[a-z]+`, `.*`, anchored `^…$`. */
const PATTERN = /\\[dDwWsSbB]|\(\?[:<!=P]|\[\^?[^\]]*[a-z0-9]-[a-z0-9][^\]]*\][*+?{]?|\.\*|\.\+|\[\^[^\]]+\]|^\^.+\$$|^\/\^.*\/[a-z]*$/i;
/** The names of other variables: `GITHUB_TOKEN`, `NPM_TOKEN,PYPI_TOKEN`, `API_KEY DB_PASSWORD`. */
const NAMES = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+(\s*[,;|\s]\s*[A-Z][A-Z0-9_]*)*$|^[A-Z][A-Z0-9_]*(\s*[,;|]\s*[A-Z][A-Z0-9_]*)+$/;
/** A constant or module path: `WEBrick::HTTPStatus::Unauthorized`, `Aws::Credentials`, `std::env::var`. */
const CONSTANT_PATH = /^[A-Za-z_]\w*(::[A-Za-z_]\w*)+(\.\w+)?$/;
/**
 * A path (lower-case segments, or under a well-known root, so that a base64 value starting with `/` is not taken for one),
 * a relative or home path, a URL without `user:password@`, a file name.
 */
const LOCATION =
  /^(\/(run|etc|var|usr|opt|home|tmp|app|srv|data|secrets?|config|mnt|root|workspace)(\/[\w.@-]*)*|(\/[a-z0-9_.@-]+)+\/?|\.{1,2}\/[\w./@-]*|~\/[\w./@-]*|[A-Za-z]:\\\S*|[a-z][a-z0-9+.-]*:\/\/[^@\s/]*(\/\S*)?|[\w.-]+\.(json|ya?ml|pem|key|txt|env|p12|pfx|crt|cer|jks|keystore|properties|xml|toml|ini|conf|cfg))$/;
/** Words that mark a stand-in: EXAMPLE, FAKE, DUMMY, PLACEHOLDER, changeme, your-…, xxx. */
const MARKER = /example|fake|dummy|placeholder|change_?me|changeit|sample|redacted|^(your|my)[-_]|[-_]here$|xxx/i;
const MARKER_WORD = /^(example|examples|fake|dummy|placeholder|changeme|change|me|changeit|sample|redacted|your|my|here|xxx+|todo|replace|insert|the|a|an|to|for|of|with|and|or|not|real|only|test|testing|value|values|key|token|secret|password|pass|id|api|access|generate|generated|warning|output)$/i;

/**
 * True for a value that cannot be a credential whatever its name: empty or a placeholder, an interpolation or template,
 * a regular expression, the names of other variables, a constant path, a file path or a URL without credentials.
 */
export function notCredentialShaped(value: string): boolean {
  const v = value.trim();
  if (v === '' || isPlaceholder(v)) return true;
  return INTERPOLATION.test(v) || PATTERN.test(v) || NAMES.test(v) || CONSTANT_PATH.test(v) || LOCATION.test(v);
}

/** True when the value carries a stand-in marker (EXAMPLE, FAKE, DUMMY, placeholder, changeme, your-…, xxx). */
export function hasStandInMarker(value: string): boolean {
  return MARKER.test(value);
}

/**
 * True for a stand-in written out in words: `FAKE_TO_GENERATE_WARNING_OUTPUT`, `your-api-key-here`, `example_123`,
 * `changeme`. A random token with a marker spliced in (`EXAMPLE-yRjq…`, `ghp_EXAMPLEObb…`) is not one: it is shaped like
 * a real secret, and is reported with low confidence instead of being skipped.
 */
export function isMarkerPhrase(value: string): boolean {
  const v = value.trim();
  if (!MARKER.test(v)) return false;
  const parts = v.split(/[-_.\s/:]+/).filter((p) => p !== '');
  return parts.every((p) => MARKER_WORD.test(p) || /^\d{1,4}$/.test(p) || (MARKER.test(p) && p.length <= 12) || isWordLike(p));
}

/** Undoes the usual letter-for-symbol swaps of example passwords: `P@ssw0rd` → `Password`. */
const unLeet = (v: string): string =>
  v.replace(/@/g, 'a').replace(/0/g, 'o').replace(/[1!]/g, 'i').replace(/3/g, 'e').replace(/[$5]/g, 's');

/**
 * True for a value made of plain words (`gitea`, `whalehello`, `mysecretpassword`, `astronomy_password`, `P@ssw0rd`),
 * optionally ending in a few digits or a punctuation mark, or too short and repetitive to be random: a default someone
 * typed, not a generated secret. Random letters (`kQzWmXpL…`, `qhxkzmwt…`) mostly fail the case and consonant-run tests.
 */
export function isWordLike(value: string): boolean {
  const v = value.trim();
  if (v === '' || isWeakValue(v)) return true;
  if (v.length < 12 && shannonEntropy(v) < 2.5) return true;
  const body = v.replace(/[!?#*@:]?\d{0,4}[!.?#*]?$/, '');
  const parts = body.split(/[-_.]/).map(unLeet);
  if (body === '' || !parts.every((p) => /^[A-Za-z]+$/.test(p))) return false;
  const letters = parts.join('');
  if (letters.length > 24 || isWeakValue(letters)) return letters.length <= 24;
  const caseChanges = (letters.match(/[a-z][A-Z]/g) ?? []).length;
  return caseChanges <= 3 && /[aeiouy]/i.test(letters) && !/[^aeiouy]{5}/i.test(letters);
}

/** A value the generic detector's stand-in test already rejects (placeholders, weak words, markers), or notCredentialShaped. */
export function isStandIn(value: string): boolean {
  return isPlaceholderValue(value) || notCredentialShaped(value);
}
