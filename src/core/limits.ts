import { Lexer } from 'yaml';
import { shorten } from './shorten.js';

/**
 * Limits on the gate's own files (config, baseline), which may come from the pull request being judged.
 * Nesting is bounded before parsing: the yaml library's parser slows down with depth (1 MiB of `[` took
 * 7 s here; 1 MiB of `- ` exhausted the heap), and everything that walks a parsed tree recurses.
 */

/** Real configs are a few KiB; a baseline of ~4,000 entries is 1 MiB (and the contents API serves 1 MB inline). */
export const MAX_GATE_FILE_BYTES = 1024 * 1024;

/** Deeper than any real config (its bound below is about 14) or baseline (3); shallow enough for every recursive walk. */
export const MAX_NESTING = 64;

/** Nodes that YAML aliases may add to a config's tree in all: an alias bomb (each level repeating the one before) stops here. */
export const MAX_ALIAS_NODES = 10_000;

/** Error messages quote at most this much of a file's text. */
export const MAX_EXCERPT = 80;

/** `text` on one line and at most MAX_EXCERPT characters (an ellipsis marks a cut, made between words). */
export function excerpt(text: string, max: number = MAX_EXCERPT): string {
  return shorten(text.replace(/[\r\n]+/g, ' '), max);
}

/**
 * The source offset where an upper bound of the YAML nesting depth first passes `max`, or undefined.
 * Works on the library's lexer tokens (linear, no tree, stops at the first excess). Flow brackets are
 * counted exactly. A block collection starts where a node starts: a line's first token, the token after
 * a `-` or `?` indicator, or after a `:` that begins a line. The collections open at any point have
 * strictly increasing columns, at most two per column (a map, and a sequence that is the value of one of
 * its keys): two levels per column on a stack of node columns bound the block nesting, compact forms
 * such as `- - - x` included.
 */
export function yamlNestingExceeds(text: string, max: number = MAX_NESTING): number | undefined {
  let offset = 0;
  let lineOffset = 0;
  let flow = 0;
  let columns: number[] = [];
  let lineStart = true;
  let nodeStart = true;
  let scalarNext = false;
  let blockScalar = false;
  for (const token of new Lexer().lex(text)) {
    // The lexer's own markers (document start, flow end, scalar follows) are not source text.
    if (token === '\u0002' || token === '\u0018') continue;
    if (token === '\u001f') {
      scalarNext = true;
      continue;
    }
    const at = offset;
    offset += token.length;
    const newline = token.lastIndexOf('\n');
    if (scalarNext) {
      scalarNext = false;
      if (blockScalar) {
        // A block scalar's text runs to the end of its last line.
        blockScalar = false;
        lineOffset = offset;
        lineStart = nodeStart = true;
        continue;
      }
    } else if (token === '\n' || token === '\r\n') {
      lineOffset = offset;
      lineStart = nodeStart = true;
      continue;
    } else if (/^[ \t#\uFEFF]/.test(token)) {
      if (newline >= 0) lineOffset = at + newline + 1;
      continue;
    } else if (token === '---' || token === '...') {
      columns = [];
      flow = 0;
      lineStart = nodeStart = false;
      continue;
    }
    if (flow === 0 && (lineStart || nodeStart)) {
      const column = at - lineOffset;
      if (lineStart) while (columns.length > 0 && columns[columns.length - 1]! > column) columns.pop();
      if (columns.length === 0 || columns[columns.length - 1]! < column) columns.push(column);
    }
    // A block collection can start after `-` and `?`, and after `:` only where it begins a line (an explicit
    // value): after `key:` on the same line comes a scalar or a flow collection, counted by `flow`.
    nodeStart = flow === 0 && (token === '-' || token === '?' || (token === ':' && lineStart));
    lineStart = false;
    if (flow === 0 && (token[0] === '|' || token[0] === '>')) blockScalar = true;
    if (token === '[' || token === '{') flow++;
    else if ((token === ']' || token === '}') && flow > 0) flow--;
    if (newline >= 0) lineOffset = at + newline + 1;
    if (2 * columns.length + flow > max) return at;
  }
  return undefined;
}

/** The offset where JSON nesting ([ and { outside strings) first passes `max`, or undefined. Linear, no parse. */
export function jsonNestingExceeds(text: string, max: number = MAX_NESTING): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** The first five entries of a notice's list, and how many more: `a, b, c, d, e, and 3 more`. */
export const listed = (items: readonly string[]): string => `${items.slice(0, 5).join(', ')}${items.length > 5 ? `, and ${items.length - 5} more` : ''}`;
