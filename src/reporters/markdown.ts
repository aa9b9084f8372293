/**
 * The one Markdown writer: every text the gate puts into Markdown (PR comment, review comments, job
 * summary, rule docs and `explain`) goes through these functions.
 *
 * Text from the repository or the pull request is hostile and must come out inert on GitHub:
 * - CommonMark syntax is backslash-escaped and `<`, `>`, `&` are entities (no HTML, no entities of its own);
 * - GitHub links mentions, issue references and bare URLs in rendered text, whatever backslashes
 *   say, so those patterns are broken with a zero-width space after `@`, `#`, `GH`, `https:`, `www`;
 * - `$` would start GitHub math, which no backslash stops: it goes in a `<span>` as GitHub documents.
 * Code spans are never touched by those filters, so their text stays exact.
 */

import { DANGLING, shorten, wordPrefix } from '../core/shorten.js';
import { REPOSITORY_ROOT } from '../core/types.js';

/** Options shared by the writers: `cell` for text inside a GFM table cell; `max` clips the text first. */
export interface Where {
  cell?: boolean;
  max?: number;
}

const ZWSP = '&#8203;';
const SPECIAL = /[\\`*_[\]|~<>&$\n]|\r\n?|@(?=\S)|#(?=\d)|\bgh(?=-\d)|:(?=\/\/)|\bwww(?=\.)/gi;
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', $: '<span>$</span>' };
// Control characters, and the bidirectional overrides that make text read differently than it is.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (s: string): string => s.replace(INVISIBLE, '\uFFFD').replace(/[\u2028\u2029]/g, '\n');

const clip = (s: string, max: number | undefined): string => (max === undefined ? s : shorten(s, max));

function inert(s: string, atStart: boolean): string {
  const out = visible(s).replace(SPECIAL, (m) => {
    if (m === '\n' || m === '\r' || m === '\r\n') return '<br>';
    if (m.length > 1 || /[@#:]/.test(m)) return m + ZWSP;
    return ENTITY[m] ?? `\\${m}`;
  });
  if (!atStart) return out;
  // At the start of a line a repository string must not open a block: heading, list, indented code.
  const lead = /^[ \t]*/.exec(out)![0];
  const rest = out.slice(lead.length).replace(/^([#+\-=])|^(\d+)([.)])/, (_, c: string | undefined, n: string, p: string) => (c ? `\\${c}` : `${n}\\${p}`));
  return lead.replace(/ /g, '&#32;').replace(/\t/g, '&#9;') + rest;
}

/** Repository text as inert Markdown: it renders as exactly these characters and nothing else. */
export function text(s: string, where: Where = {}): string {
  return inert(clip(s, where.max), true);
}

/**
 * A code span holding exactly `s` (on one line): the fence outgrows its backticks, `|` survives a table cell. Past
 * `max`, the span holds a prefix of `s` cut between words (inside a word only when one word is longer than half of
 * `max`) and the ellipsis follows it, outside the span, so the cut shows.
 */
export function code(s: string, where: Where = {}): string {
  if (where.max !== undefined && s.length > where.max) {
    const kept = wordPrefix(s, where.max - 1);
    return kept === '' ? '…' : `${code(kept, { cell: where.cell })}…`;
  }
  const content = visible(s).replace(/\r\n?|\n/g, ' ');
  if (!where.cell) return span(content);
  // GFM lets `\|` stand for `|` inside a cell, but renderers split a cell differently at `\\|`:
  // a pipe that follows a backslash goes between two spans instead.
  return content
    .split(/(?<=\\)\|/)
    .map((part) => (part === '' ? '' : span(part.replace(/\|/g, '\\|'))))
    .join('\\|');
}

/** The longest run of backticks in `s` (a fence must be longer). */
const longestRun = (s: string): number => (s.match(/`+/g) ?? []).reduce((n, r) => Math.max(n, r.length), 0);

function span(content: string): string {
  if (content === '') return '';
  const fence = '`'.repeat(longestRun(content) + 1);
  const pad = /^`|`$/.test(content) || (/^ .*[^ ].* $/.test(content)) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A finding's message, notice or rule fix: the code spans its rule wrote stay code, everything else
 * is inert. A repository string inside a rule's span cannot end it early (see `segments`). Past `max`
 * the message is cut between words and an ellipsis marks the cut; a code span that does not fit keeps
 * its words up to a space or joint (`curl -fsSL`…), and is left out when that is none of it.
 */
export function message(s: string, where: Where = {}): string {
  const kept = fitted(segments(s), where.max);
  let out = '';
  for (const seg of kept) out += seg.code ? code(seg.text, { cell: where.cell }) : inert(seg.text, out === '');
  return out;
}

/** The segments that fit in `max` characters (text counted as written, code spans by their content). */
function fitted(all: readonly Segment[], max: number | undefined): Segment[] {
  const total = all.reduce((n, seg) => n + seg.text.length, 0);
  if (max === undefined || total <= max) return [...all];
  let room = max - 1;
  const out: Segment[] = [];
  for (const seg of all) {
    if (seg.text.length <= room) {
      out.push(seg);
      room -= seg.text.length;
      continue;
    }
    const cut = wordPrefix(seg.text, room, seg.code);
    if (seg.code) {
      // Only spaces are trimmed: `node-` stays, where `node` would name another package.
      const words = cut.trimEnd();
      if (words !== '') out.push({ code: true, text: words });
    } else out.push({ code: false, text: cut });
    break;
  }
  // No dangling separator before the ellipsis, which goes after the last text (or alone after a code span).
  const last = out.at(-1);
  if (last && !last.code) last.text = last.text.replace(DANGLING, '');
  if (last && !last.code && last.text !== '') last.text += '…';
  else out.push({ code: false, text: '…' });
  return out.filter((seg) => seg.text !== '');
}

interface Segment {
  code: boolean;
  text: string;
}

/**
 * Splits a message into text and code spans. Spans fenced with two or more backticks pair as in
 * CommonMark. Rules write single-backtick spans around raw strings (`curl … | sh`), which may hold
 * backticks of their own (`uname -m`, a hostile file name): a single backtick closes a span only
 * where a span can end (before a space, punctuation or the end) and after any inner pairs that
 * opened inside it. Where that finds no end, pairing falls back to CommonMark for the rest.
 * Linear in the message: every backtick run is looked at a bounded number of times.
 */
export function segments(s: string): Segment[] {
  const runs = [...s.matchAll(/`+/g)].map((m) => ({ at: m.index, len: m[0].length }));
  const nextSame: number[] = [];
  const seen = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    nextSame[r] = seen.get(runs[r]!.len) ?? -1;
    seen.set(runs[r]!.len, r);
  }
  const out: Segment[] = [];
  let from = 0;
  let commonMark = false;
  for (let r = 0; r < runs.length; ) {
    const open = runs[r]!;
    let close = -1;
    if (open.len === 1 && !commonMark) {
      close = spanEnd(s, runs, r);
      if (close === -1) commonMark = true;
    }
    if (close === -1) close = nextSame[r]!;
    if (close === -1) {
      r++;
      continue;
    }
    const end = runs[close]!;
    let content = s.slice(open.at + open.len, end.at);
    if (open.len > 1 && /^ .*[^ ].* $/s.test(content)) content = content.slice(1, -1);
    if (open.at > from) out.push({ code: false, text: s.slice(from, open.at) });
    out.push({ code: true, text: content });
    from = end.at + end.len;
    r = close + 1;
  }
  if (from < s.length) out.push({ code: false, text: s.slice(from) });
  return out;
}

const PUNCT = /[.,;:!?)\]}'"/…-]/;

/** The run that ends the single-backtick span opened by run `r`, or -1. */
function spanEnd(s: string, runs: readonly { at: number; len: number }[], r: number): number {
  let depth = 0;
  for (let k = r + 1; k < runs.length; k++) {
    const { at, len } = runs[k]!;
    if (len !== 1) continue;
    const prev = s[at - 1] ?? ' ';
    const next = s[at + 1];
    const after = s[at + 2];
    const closes = !/\s/.test(prev) && (next === undefined || /\s/.test(next) || (PUNCT.test(next) && (after === undefined || /[\s`]/.test(after) || PUNCT.test(after))));
    const opens = /[\s=("'[{]/.test(prev) && next !== undefined && !/[\s`]/.test(next);
    if (closes) {
      if (depth === 0) return k;
      depth--;
    } else if (opens) depth++;
  }
  return -1;
}

/** A URL made only by `url()`: a trusted base and percent-encoded parts. */
export type Url = string & { readonly __url: unique symbol };

/** `base/seg/seg#fragment`: the base is trusted (server, docs folder); every part is percent-encoded. */
export function url(base: string, parts: readonly (string | number)[] = [], fragment?: string): Url {
  const safeBase = base.replace(/\/+$/, '').replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/g, (c) => encodeURIComponent(c).replace(/[()'!*]/g, hex));
  const path = parts.map((p) => `/${segment(String(p))}`).join('');
  return `${safeBase}${path}${fragment === undefined ? '' : `#${segment(fragment)}`}` as Url;
}

const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
const segment = (s: string): string => encodeURIComponent(s).replace(/[()'!*]/g, hex);

/** The finding's lines in the file at a commit: `repo/blob/sha/path#Lstart-Lend`; the tree for a finding on the repository root. */
export function blobUrl(repoUrl: string, sha: string, f: { path: string; line: number; endLine: number }): Url {
  if (f.path === REPOSITORY_ROOT) return url(repoUrl, ['tree', sha]);
  return url(repoUrl, ['blob', sha, ...f.path.split('/')], `L${f.line}-L${f.endLine}`);
}

/** `path:line`, or `repository root` for a repository rule's finding about a missing file. */
export function placeLabel(f: { path: string; line: number }): string {
  return f.path === REPOSITORY_ROOT ? 'repository root' : `${f.path}:${f.line}`;
}

/** `[label](url)`: the label is repository text (inert) or, with `code`, a code span. */
export function link(label: string, href: Url, where: Where & { code?: boolean } = {}): string {
  // Parentheses too: some renderers end the label early at an escaped `]` followed by `(`.
  const shown = where.code ? code(label, where) : inert(clip(label, where.max), false).replace(/[()]/g, '\\$&');
  return `[${shown}](${href})`;
}

/** A fenced code block whose fence no line of `content` can close. */
export function fence(info: string, content: string): string {
  const f = '`'.repeat(Math.max(3, longestRun(content) + 1));
  return `${f}${info.replace(/[`\s]/g, '')}\n${content}\n${f}`;
}
