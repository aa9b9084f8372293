import { replaceExpressions } from './expressions.js';

/** A range in a script: 0-based line and column, the end exclusive. */
export interface ScriptSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * shell-quote's tokenizer is one global regex whose matches become its tokens, one token per match (until a `#`
 * comment, which ends the list). It reports no positions, so the same regex, built from the same parts as in
 * shell-quote 1.12 (`parse.js`, with `\` as the escape character), is run here for the offsets. `tokenOffsets`
 * checks every operator token against its match and gives up (no positions) on any disagreement, so a future
 * shell-quote that splits differently costs exact columns, never wrong ones.
 */
const CONTROL =
  '(?:' +
  ['\\|\\|', '\\&(?:\\&|>>?)', ';;\\&?', '[;|]\\&', '\\<\\(', '\\<\\<\\<', '\\<\\<-', '\\<\\<(?!\\()', '>>', '>[&|(]', '<[&>]', '[&;()|<>]'].join('|') +
  ')';
const META = '|&;()<> \\t';
const SINGLE_QUOTE = "'([^']*?)'";
const ANSI_C_QUOTE = "\\$'" + "(?:\\\\[\\s\\S]|[^\\\\'])*?" + "'";
const BS = '\\';
const BAREWORD = '(\\' + BS + '[\'"$\\' + BS + META + ']|\\$\\$|\\$(?!' + ANSI_C_QUOTE.slice(2) + ')|[^\\s\'"$' + META + '])+';
const DOUBLE_QUOTE = '"(?:\\' + BS + '[\\s\\S]|[^"\\' + BS + '])*"';
const CHUNKER = new RegExp(['(' + CONTROL + ')', '(' + ANSI_C_QUOTE + '|' + BAREWORD + '|' + DOUBLE_QUOTE + '|' + SINGLE_QUOTE + ')+'].join('|'), 'g');

type Token = string | { op?: unknown; comment?: unknown; pattern?: unknown };

/** The [start, end) offsets in `prepared` of each of shell-quote's tokens of it, or undefined when they cannot be matched up. */
export function tokenOffsets(prepared: string, tokens: readonly Token[]): [number, number][] | undefined {
  const out: [number, number][] = [];
  CHUNKER.lastIndex = 0;
  for (let m = CHUNKER.exec(prepared); m && out.length < tokens.length; m = CHUNKER.exec(prepared)) {
    const tok = tokens[out.length]!;
    if (typeof tok === 'object' && 'comment' in tok) break;
    if (typeof tok === 'object' && tok.op !== 'glob' && tok.op !== m[0]) return undefined;
    out.push([m.index, m.index + m[0].length]);
  }
  const rest = tokens[out.length];
  return out.length === tokens.length || (typeof rest === 'object' && 'comment' in rest) ? out : undefined;
}

/**
 * The text the tokenizer reads (GitHub expressions made one opaque word, backticks turned into `$( )`), with the
 * way back: `start[i]` and `end[i]` are the offsets in the original text where prepared character `i` begins and
 * ends. Both are undefined when nothing was rewritten (the offsets are the same).
 */
export function prepareLine(text: string): { prepared: string; start?: number[]; end?: number[] } {
  const hasExpression = text.includes('${{');
  if (!hasExpression && !text.includes('`')) return { prepared: text };
  let s1 = text;
  let start1: number[] = [];
  let end1: number[] = [];
  if (hasExpression) {
    s1 = replaceExpressions(text, '__GHA_EXPR__');
    // Walk both texts in step: copied characters map to themselves, each placeholder to its whole expression.
    for (let i = 0, j = 0; j < s1.length; ) {
      if (text.startsWith('${{', i) && s1.startsWith('__GHA_EXPR__', j)) {
        const close = text.indexOf('}}', i + 3);
        if (close >= 0) {
          for (let k = 0; k < '__GHA_EXPR__'.length; k++, j++) {
            start1.push(i);
            end1.push(close + 2);
          }
          i = close + 2;
          continue;
        }
      }
      start1.push(i);
      end1.push(++i);
      j++;
    }
  } else {
    start1 = Array.from(s1, (_, i) => i);
    end1 = Array.from(s1, (_, i) => i + 1);
  }
  const start: number[] = [];
  const end: number[] = [];
  let prepared = '';
  let pos = 0;
  const copy = (from: number, to: number): void => {
    prepared += s1.slice(from, to);
    for (let k = from; k < to; k++) {
      start.push(start1[k]!);
      end.push(end1[k]!);
    }
  };
  for (const m of s1.matchAll(/`([^`]*)`/g)) {
    const open = m.index;
    const close = open + m[0].length - 1;
    copy(pos, open);
    prepared += '$(';
    start.push(start1[open]!, start1[open]!);
    end.push(end1[open]!, end1[open]!);
    copy(open + 1, close);
    prepared += ')';
    start.push(start1[close]!);
    end.push(end1[close]!);
    pos = close + 1;
  }
  copy(pos, s1.length);
  return { prepared, start, end };
}

/** Maps offsets of a logical line (physical lines joined where a `\` continued them) back to script lines and columns. */
export function lineMapper(line: number, starts: readonly number[], length: number): { span(from: number, to: number): ScriptSpan; whole: ScriptSpan } {
  // binary search: a continued line can have 100,000 parts, each holding a word
  const locate = (offset: number): [number, number] => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [line + lo, offset - starts[lo]!];
  };
  const last = starts.length - 1;
  return {
    span(from, to) {
      const [l, c] = locate(from);
      const [el, ec] = locate(Math.max(from, to - 1));
      return { line: l, column: c, endLine: el, endColumn: ec + (to > from ? 1 : 0) };
    },
    whole: { line, column: 0, endLine: line + last, endColumn: length - starts[last]! },
  };
}
