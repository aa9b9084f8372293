import type { Span } from '../core/types.js';
import { isCredentialName, isPlaceholder, isTrivialValue, knownTokenFormat } from './credentials.js';
import { isMarkerPhrase, isStandIn, isWordLike, notCredentialShaped } from './secrets/shape.js';

/** One `KEY=value` line of a dotenv file (the value unquoted; a quoted value may span lines). */
export interface DotenvAssignment {
  name: string;
  value: string;
  /** From the first character of the statement (`export` included) to the end of the value (its closing quote). */
  span: Span;
}

/** Name parts that mark a file committed on purpose: a template with empty values, or an encrypted vault. */
const TEMPLATE_PART = /^(example|examples|sample|samples|template|templates|tmpl|tpl|dist|default|defaults|schema|vault|keys\.example)$/i;
/** `.env.js`, `.env.d.ts`, `.env.md`: code or docs about the environment, not a dotenv file. */
const CODE_SUFFIX = /\.(js|cjs|mjs|ts|tsx|jsx|json|py|rb|go|md|txt|sh|ps1|bat|cmd)$/i;

/** `.env` and `.env.<anything>` in any directory, except templates (`.env.example`, `.env.local.sample`…) and code files. */
export function isDotenvPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!/^\.env(\.[^/]+)?$/.test(name) || CODE_SUFFIX.test(name)) return false;
  return !name.split('.').slice(2).some((part) => TEMPLATE_PART.test(part));
}

const STATEMENT = /^([ \t]*)((?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?:=|:[ \t]))[ \t]*(.*)$/;

/** Reads dotenv assignments the way dotenv, python-dotenv and compose do: `export`, quotes (multi-line), inline `#` comments. */
export function parseDotenv(text: string): DotenvAssignment[] {
  const lines = text.split(/\r?\n/);
  const out: DotenvAssignment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = STATEMENT.exec(lines[i]!);
    if (!m) continue;
    const column = m[1]!.length + 1;
    const rest = m[4]!;
    const valueColumn = lines[i]!.length - rest.length + 1;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const closed = closingQuote(lines, i, valueColumn, quote);
      if (closed) {
        out.push({ name: m[3]!, value: closed.value, span: { line: i + 1, column, endLine: closed.line + 1, endColumn: closed.endColumn } });
        i = closed.line;
        continue;
      }
    }
    const value = rest.startsWith('#') ? '' : rest.replace(/[ \t]+#.*$/, '').trimEnd();
    const endColumn = value === '' ? column + m[2]!.trimEnd().length : valueColumn + value.length;
    out.push({ name: m[3]!, value, span: { line: i + 1, column, endLine: i + 1, endColumn } });
  }
  return out;
}

/** The quoted value starting at (line, 1-based column), up to its closing quote on this or a later line. */
function closingQuote(lines: readonly string[], line: number, column: number, quote: string): { value: string; line: number; endColumn: number } | undefined {
  let value = '';
  let start = column; // 0-based index just after the opening quote
  for (let l = line; l < lines.length && l < line + 200; l++) {
    const text = lines[l]!;
    for (let k = start; k < text.length; k++) {
      if (text[k] === '\\' && quote !== "'") {
        k++;
        continue;
      }
      if (text[k] === quote) return { value: value + text.slice(start, k), line: l, endColumn: k + 2 };
    }
    value += text.slice(start) + '\n';
    start = 0;
  }
  return undefined;
}

/** `${A}`, `$A`, `${HOST}:${PORT}`: only references to other variables, no literal of its own. */
export function isReferenceOnly(value: string): boolean {
  return /\$/.test(value) && !/[A-Za-z0-9]/.test(value.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, ''));
}

const SETTING_WORD = /^(development|dev|production|prod|staging|stage|test|testing|local|debug|info|warn|warning|error|trace|silent|verbose|localhost)$/i;
/** A URL without `user:password@` (a service address), or a path. */
const ADDRESS = /^([a-z][a-z0-9+.-]*:\/\/[^@\s/]+(\/[^@\s]*)?|\.{0,2}\/[^\s]*|~\/[^\s]*)$/i;

/**
 * True for a value that is plainly a setting, not a secret: booleans, numbers (`PORT=3000`), environment and log-level words
 * (`NODE_ENV=development`), service URLs without credentials and paths. A credential-named variable's value is never trivial
 * unless it is a placeholder or a boolean.
 */
export function isTrivialSetting(name: string, value: string): boolean {
  const v = value.trim();
  if (isPlaceholder(v) || isTrivialValue(v)) return true;
  if (isCredentialName(name)) return false;
  return /^-?\d+(\.\d+)?$/.test(v) || SETTING_WORD.test(v) || ADDRESS.test(v);
}

/** `scheme://user:password@host`: the password. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:([^@/\s]+)@/i;

/**
 * What a value is: `secret` (a known token format, a credential-named variable holding a credential-shaped value, a URL
 * with a real password), `weak` (the same with a plain word for a value: a local default), or `setting` (versions,
 * image names, time zones, hosts, ports, flags, paths, templates: everything else).
 */
function classifyDotenvValue(name: string, value: string): 'secret' | 'weak' | 'setting' {
  const v = value.trim();
  if (knownTokenFormat(v) !== undefined) return 'secret';
  const password = URL_WITH_PASSWORD.exec(v)?.[1];
  if (password !== undefined) return isWordLike(password) || isStandIn(password) ? 'weak' : 'secret';
  if (!isCredentialName(name) || isTrivialValue(v) || notCredentialShaped(v) || isMarkerPhrase(v)) return 'setting';
  return isWordLike(v) ? 'weak' : 'secret';
}

/** A dotenv file's valued assignments (no empty values, placeholders or pure references), sorted by what they hold. */
export function dotenvValues(text: string): { valued: DotenvAssignment[]; secrets: DotenvAssignment[]; weak: DotenvAssignment[] } {
  const valued = parseDotenv(text).filter((a) => a.value.trim() !== '' && !isReferenceOnly(a.value) && !isPlaceholder(a.value));
  const kinds = valued.map((a) => classifyDotenvValue(a.name, a.value));
  return { valued, secrets: valued.filter((_, i) => kinds[i] === 'secret'), weak: valued.filter((_, i) => kinds[i] === 'weak') };
}

/** The assignment committed-dotenv reports a file at: its first secret, else its first plain-word password, else its first value. */
export function dotenvReportedAt(text: string): DotenvAssignment | undefined {
  const { valued, secrets, weak } = dotenvValues(text);
  return secrets[0] ?? weak[0] ?? valued[0];
}

/** True when a dotenv text holds a credential (a plain-word one included), not only settings. */
export function dotenvHoldsCredentials(text: string): boolean {
  const { secrets, weak } = dotenvValues(text);
  return secrets.length + weak.length > 0;
}
