/** Values and paths that are not leaks: documentation examples, placeholders, test material, lockfile hashes. */
import { isPlaceholder } from '../credentials.js';

/**
 * Exact values published in providers' documentation as examples. They authenticate nothing and appear in
 * countless READMEs, so reporting them is noise. Some are assembled from parts so that no scanner mistakes this list for a leak.
 */
export const DOC_VALUES: ReadonlySet<string> = new Set([
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // https://docs.stripe.com/api/authentication (the docs' shared test-mode keys)
  'sk_' + 'test_4eC39HqLyjWDarjtT1zdp7dc',
  'pk_' + 'test_TYooMQauvdEDq54NiTphI7jx',
  'sk_' + 'test_BQokikJOvBiI2HlWgH4olfQ2',
  // https://www.twilio.com/docs/iam/test-credentials (magic test numbers' auth tokens are per account; the docs use this SID)
  'AC' + 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
]);

/** Passwords that are defaults or stand-ins, not secrets: `postgres://postgres:postgres@localhost`. */
const WEAK_VALUES = new Set([
  'pass', 'password', 'passwd', 'pwd', 'secret', 'admin', 'root', 'test', 'guest', 'user', 'postgres', 'mysql', 'redis',
  'rabbitmq', 'changeme', 'changeit', 'letmein', 'qwerty', 'default', 'demo', 'token', 'apikey', 'api_key', 'key', 'example',
]);

/**
 * Words that mark a value as an illustration rather than a credential. `example` counts in lower or title case
 * (`example-password`, `ExampleKey`); an upper-case `EXAMPLE` does not (only the exact documentation values in
 * DOC_VALUES are skipped for it, and `EXAMPLE_KEY` is a variable name): a test suite that marks its fake tokens
 * that way (`EXAMPLE-k3J9…`, `pQ/z…+EXAMPLE+xX…`) must still see them reported.
 */
const ILLUSTRATION = /[Ee]xample|[Dd]ummy|DUMMY|[Ss]ample|SAMPLE|[Pp]laceholder|PLACEHOLDER|[Cc]hange_?me|CHANGE_?ME|[Rr]eplace|REPLACE|[Ii]nsert|INSERT|[Rr]edacted|REDACTED|[Yy]our[-_ ]|YOUR[-_ ]|[-_]here\b|[-_]HERE\b|[Ff]ake|FAKE|\b[Tt]est\b|\bTEST\b|xxxxx|XXXXX|\*\*\*|\.\.\.|…/;

/** True for stand-ins: `${VAR}`, `{{ x }}`, `%(x)s`, `<token>`, `$VAR`, `process.env.X`, `os.environ[...]`, `***`, `your-key-here`, … */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (isPlaceholder(v) || WEAK_VALUES.has(v.toLowerCase())) return true;
  if (/\$\{|\{\{|\$\(|%\(|%[sd]\b|^\$[A-Za-z_]|^<.*>$|^\[.*\]$|^%.*%$/.test(v)) return true;
  if (/^(process\.env|os\.environ|os\.getenv|ENV\[|System\.getenv|getenv|env\(|secrets\.|vars\.)/.test(v)) return true;
  if (/(.)\1{7}/.test(v)) return true; // aaaaaaaa, 00000000
  return ILLUSTRATION.test(v);
}

/**
 * True when a value matched by a token format is a documented example or an obvious stand-in. Of the values
 * containing `EXAMPLE`, only the exact published ones (DOC_VALUES) count: `AKIA…EXAMPLE` with other characters is
 * reported like any other key.
 */
export function isDocumentationValue(value: string): boolean {
  if (DOC_VALUES.has(value)) return true;
  return /x{6}|X{6}|\.\.\.|…|<|\*{3}|(.)\1{9}|0123456789|abcdefghij|ABCDEFGHIJ/.test(value);
}

export function isWeakValue(value: string): boolean {
  return WEAK_VALUES.has(value.toLowerCase());
}

/**
 * Test, fixture, example and documentation paths: a token there is more often a sample than a leak, so findings
 * there get a lower confidence (and a lower severity), but are still reported: real tokens end up in fixtures too.
 */
const TEST_DIR = /(^|\/)(tests?|__tests__|__mocks__|mocks?|fixtures?|spec|specs|examples?|samples?|testdata|test-data|docs?)\//i;
const TEST_FILE = /(\.|_|-)(test|spec)\.[a-z0-9]+$|_test\.go$|(^|\/)test_[^/]*\.py$|(^|\/)conftest\.py$|\.(md|mdx|markdown|rst|adoc)$/i;

export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_FILE.test(path);
}

/** Lockfiles: their integrity hashes are long random strings that can contain any token-shaped substring. */
const LOCKFILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|Cargo\.lock|poetry\.lock|uv\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|packages\.lock\.json|flake\.lock|pdm\.lock|mix\.lock|Package\.resolved)$/;
const HASH_LINE = /integrity|checksum|sha(1|224|256|384|512)[-:]|"hash"|\bh1:|content-hash|"narHash"/;

export function isLockfile(path: string): boolean {
  return LOCKFILE.test(path);
}

/** True for a lockfile line that holds a hash: skipped by every detector. */
export function isHashLine(line: string): boolean {
  return HASH_LINE.test(line);
}

/** Minified bundles and source maps: one long generated line; only known token formats are looked for there. */
export function isGeneratedPath(path: string): boolean {
  return /\.min\.(js|css|mjs)$|\.(js|css)\.map$|\.map$/.test(path);
}
