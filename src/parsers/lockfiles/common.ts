import type { Notice, Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { jsonErrorOffset } from './json-keys.js';
import type { LockSource } from './types.js';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** JSON.parse with a notice naming the line of the error; undefined when malformed or not an object. */
export function parseJson(path: string, text: string, notices: Notice[], what: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
    notices.push({ path, line: 1, message: `invalid ${what}: the top level is not a JSON object` });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lineCol = /line (\d+) column/.exec(message);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : jsonErrorOffset(text);
    const line = lineCol ? Number(lineCol[1]) : offset >= 0 ? new LineIndex(text).position(offset).line : undefined;
    notices.push({ path, ...(line ? { line } : {}), message: `invalid ${what}: ${message.split('\n')[0]!.replace(/( in JSON)? at position \d+.*$/, '').replace(/,? ?".*" is not valid JSON/, '').replace(/, \.\.\..*$/, '')}` });
  }
  return undefined;
}

/** Span of a line's text without its leading and trailing blanks (and without a trailing `:` or `{`). */
export function lineSpan(index: LineIndex, n: number): Span {
  const text = index.line(n);
  const start = text.length - text.trimStart().length;
  const end = Math.max(start, text.trimEnd().replace(/\s*[:{]$/, '').length);
  return { line: n, column: start + 1, endLine: n, endColumn: end + 1 };
}

/** A repository URL over http(s) (`https://host/owner/repo.git#<sha>`, as yarn 1 records a git dependency). */
export const GIT_URL = /^https?:\/\/[^#?\s]+\.git(#.*)?$/i;

/** What kind of place an npm-style `resolved`/spec points at. */
export function npmSource(resolved: string | undefined): LockSource | undefined {
  if (resolved === undefined || resolved === '') return undefined;
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(resolved) || /^https?:\/\/codeload\.github\.com\//.test(resolved) || GIT_URL.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (resolved.startsWith('link:') || resolved.startsWith('portal:')) return 'link';
  if (resolved.startsWith('workspace:')) return 'workspace';
  if (/^https?:\/\//i.test(resolved)) return /\/-\/[^/]+\.tgz(#|\?|$)/.test(resolved) ? 'registry' : 'url';
  return 'file';
}

/** The ref after `#` in a git URL (`#sha`, `#v1`, `#commit=sha`), or the last path part of a codeload URL. */
export function gitRefOf(url: string): string | undefined {
  const codeload = /codeload\.github\.com\/[^/]+\/[^/]+\/tar\.gz\/([^/#?]+)/.exec(url);
  if (codeload) return codeload[1];
  const hash = url.indexOf('#');
  if (hash < 0) return /[?&]ref=([0-9a-f]{40})(?:&|$)/i.exec(url)?.[1];
  const frag = url.slice(hash + 1);
  return /(?:^|&)commit=([^&]+)/.exec(frag)?.[1] ?? frag.replace(/^(semver:|tag=|head=)/, '');
}

/** Name and range of a descriptor `name@range` (scoped names keep their leading `@`). */
export function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? { name: descriptor, range: '' } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

export const unquote = (s: string): string => {
  const t = s.trim();
  return (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")) ? t.slice(1, -1) : t;
};

/** Drops undefined fields so entries compare and print cleanly. */
export function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
