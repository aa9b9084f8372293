/**
 * GitHub's CODEOWNERS syntax, as GitHub documents it (docs.github.com, "About code owners"):
 * - GitHub reads the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, and ignores a file of 3 MB or more.
 * - A line is a pattern and its owners, separated by whitespace (`\ ` escapes a space in the pattern); `#` starts a
 *   comment at the start of a line or after whitespace. Owners are `@user`, `@org/team` or an email address.
 * - Patterns follow .gitignore with GitHub's differences: a `!` negation, `[ ]` character ranges and a `\#` escape at
 *   the start do not work, and a line GitHub cannot read is skipped (its pattern gives nobody ownership).
 * - A pattern with a `/` at its start or middle is anchored at the repository root, one without matches at any depth;
 *   a trailing `/` matches a folder only; a pattern that matches a folder owns everything under it, except that a final
 *   `/*` matches only the files directly in that folder. `*` and `?` stay within one path segment, `**` crosses them.
 * - The last matching line wins; a line with a pattern and no owners leaves its files without a code owner.
 * Matching uses minimatch on the glob each pattern becomes (see globsOf).
 */
import { Minimatch } from 'minimatch';
import type { Project, Span } from '../core/types.js';

export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;
/** The CODEOWNERS file GitHub reads: the first of CODEOWNERS_PATHS that exists. */
export const codeownersFile = (project: Project): string | undefined => CODEOWNERS_PATHS.find((p) => project.has(p));
/** GitHub ignores a CODEOWNERS file this size or larger. */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;
/** Rule lines the gate matches against (a real file has hundreds); past this the file is reported as not checked. */
export const MAX_CODEOWNERS_RULES = 5000;
const MAX_PATTERN_LENGTH = 1024;

export interface OwnerLine {
  line: number;
  pattern: string;
  owners: string[];
  span: Span;
  matches(path: string): boolean;
}

export interface OwnerError {
  line: number;
  message: string;
  span: Span;
}

export interface Codeowners {
  rules: OwnerLine[];
  errors: OwnerError[];
  /** More rule lines than MAX_CODEOWNERS_RULES: only the first ones were read. */
  truncated: boolean;
}

const USER = /^@[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;
const TEAM = /^@[A-Za-z0-9](?:-?[A-Za-z0-9])*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const GLOB_OPTIONS = { dot: true, nonegate: true, nocomment: true, nobrace: true, noext: true } as const;

export function parseCodeowners(text: string): Codeowners {
  const out: Codeowners = { rules: [], errors: [], truncated: false };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const tokens = tokenise(raw);
    if (tokens.length === 0) continue;
    if (out.rules.length >= MAX_CODEOWNERS_RULES) {
      out.truncated = true;
      break;
    }
    const line = i + 1;
    const span: Span = { line, column: tokens[0]!.column, endLine: line, endColumn: raw.trimEnd().length + 1 };
    const [pattern, ...owners] = tokens.map((t) => t.text);
    const problem = patternProblem(pattern!) ?? ownersProblem(owners);
    if (problem) {
      out.errors.push({ line, message: problem, span });
      continue;
    }
    const globs = globsOf(pattern!).map((g) => new Minimatch(g, GLOB_OPTIONS));
    out.rules.push({ line, pattern: pattern!, owners, span, matches: (path) => globs.some((g) => g.match(path)) });
  }
  return out;
}

/** The line that decides a path's owners (the last one matching it), or undefined when none does. */
export function ownerLine(codeowners: Codeowners, path: string): OwnerLine | undefined {
  for (let i = codeowners.rules.length - 1; i >= 0; i--) if (codeowners.rules[i]!.matches(path)) return codeowners.rules[i];
  return undefined;
}

/** Whitespace-separated tokens up to a comment; a backslash keeps the next character in the token. */
function tokenise(raw: string): { text: string; column: number }[] {
  const tokens: { text: string; column: number }[] = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++;
    if (i >= raw.length || raw[i] === '#') break;
    const start = i;
    while (i < raw.length && raw[i] !== ' ' && raw[i] !== '\t') i += raw[i] === '\\' && i + 1 < raw.length ? 2 : 1;
    tokens.push({ text: raw.slice(start, i), column: start + 1 });
  }
  return tokens;
}

function patternProblem(pattern: string): string | undefined {
  if (pattern.startsWith('\\#')) return `\`${clip(pattern)}\`: GitHub does not read a \`\\#\` escape, so the line is skipped`;
  if (pattern.startsWith('!')) return `\`${clip(pattern)}\`: GitHub does not support \`!\` negation, so the line is skipped`;
  if (/[[\]]/.test(pattern)) return `\`${clip(pattern)}\`: GitHub does not support \`[ ]\` character ranges, so the line is skipped`;
  if (pattern.length > MAX_PATTERN_LENGTH || (pattern.match(/\*\*/g)?.length ?? 0) > 16) return `a pattern too long for the gate to match (${pattern.length} characters), not checked`;
  return undefined;
}

function ownersProblem(owners: readonly string[]): string | undefined {
  const bad = owners.find((o) => !USER.test(o) && !TEAM.test(o) && !EMAIL.test(o));
  return bad === undefined ? undefined : `\`${clip(bad)}\` is not an owner GitHub accepts (\`@user\`, \`@org/team\` or an email address), so the line is skipped`;
}

/** The minimatch globs a CODEOWNERS pattern stands for (see the module comment). */
export function globsOf(pattern: string): string[] {
  const folderOnly = pattern.endsWith('/');
  let p = pattern.replace(/\/+$/, '');
  const anchored = p.includes('/');
  p = p.replace(/^\/+/, '');
  if (p === '') return ['**'];
  if (!anchored && !p.startsWith('**')) p = `**/${p}`;
  if (folderOnly) return [`${p}/**`];
  return p === '*' || p.endsWith('/*') ? [p] : [p, `${p}/**`];
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/`/g, "'");
