import type { Span } from '../../core/types.js';

/** Where a key sits: offsets [start, end) of the quoted key, its 1-based line and column. */
export interface KeyAt {
  start: number;
  end: number;
  line: number;
  column: number;
}

/**
 * One pass over a JSON (or JSONC without comments) text that reports every object key with its position and the
 * keys of the objects/arrays that contain it (arrays contribute '[]'). Gives line numbers to values read with
 * JSON.parse without a second, slower span-tracking parser; strings are skipped with indexOf.
 */
export function scanJsonKeys(text: string, onKey: (parents: readonly string[], key: string, at: KeyAt) => void): void {
  const stack: string[] = [];
  const isObject: boolean[] = [];
  let expectKey = false;
  let pending: string | undefined;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) {
          end = n;
          break;
        }
        let backslashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === 92; j--) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
      if (expectKey) {
        let key = text.slice(start + 1, end);
        if (key.includes('\\')) {
          try {
            key = JSON.parse(text.slice(start, end + 1)) as string;
          } catch {
            // keep the raw text
          }
        }
        onKey(stack, key, { start, end: end + 1, line, column: start - lineStart + 1 });
        pending = key;
        expectKey = false;
      }
    } else if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 123 /* { */) {
      stack.push(pending ?? '[]');
      isObject.push(true);
      expectKey = true;
      pending = undefined;
    } else if (c === 91 /* [ */) {
      stack.push(pending ?? '[]');
      isObject.push(false);
      expectKey = false;
      pending = undefined;
    } else if (c === 125 || c === 93 /* } ] */) {
      stack.pop();
      isObject.pop();
      expectKey = false;
      pending = undefined;
    } else if (c === 44 /* , */) {
      expectKey = isObject[isObject.length - 1] === true;
      pending = undefined;
    }
  }
}

/** The span of a key found by scanJsonKeys (keys never span lines). */
export const keySpan = (at: KeyAt): Span => ({ line: at.line, column: at.column, endLine: at.line, endColumn: at.column + at.end - at.start });

/** Replaces trailing commas (JSONC as bun writes it) with spaces, so offsets stay those of the original text. */
export function blankTrailingCommas(text: string): string {
  const out = text.split('');
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      lastComma = -1;
    } else if (c === ',') lastComma = i;
    else if (c === '}' || c === ']') {
      if (lastComma >= 0) out[lastComma] = ' ';
      lastComma = -1;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      for (let j = i; j < (end < 0 ? text.length : end); j++) out[j] = ' ';
      i = end < 0 ? text.length : end;
    } else if (!/\s/.test(c)) lastComma = -1;
  }
  return out.join('');
}

/**
 * Positions of the keys of the top-level object `section`. Fast path for the layout npm and bun write (2-space
 * indentation: entries at 4 spaces), found with one regular expression; falls back to the full scan when any
 * wanted key is missing from what the fast path found.
 */
export function packageKeyOffsets(text: string, section: string, wanted: readonly string[]): Map<string, KeyAt> {
  const out = new Map<string, KeyAt>();
  const head = new RegExp(`^ {2}"${section}": \\{`, 'm').exec(text);
  if (head) {
    let line = 1;
    let lineStart = 0;
    let cursor = 0;
    for (let pos = text.indexOf('\n    "', head.index); pos >= 0; ) {
      const start = pos + 5;
      const close = text.indexOf('"', start + 1);
      if (close < 0) break;
      const next = text.charCodeAt(close + 4);
      if (text.startsWith('": ', close) && (next === 123 || next === 91)) {
        for (let nl = text.indexOf('\n', cursor); nl >= 0 && nl <= pos; nl = text.indexOf('\n', nl + 1)) {
          line++;
          lineStart = nl + 1;
        }
        cursor = pos + 1;
        const key = text.slice(start + 1, close);
        if (!key.includes('\\') && !out.has(key)) out.set(key, { start, end: close + 1, line, column: start - lineStart + 1 });
      }
      pos = text.indexOf('\n    "', close);
    }
    if (wanted.every((k) => out.has(k))) return out;
    out.clear();
  }
  scanJsonKeys(text, (parents, key, at) => {
    if (parents.length === 2 && parents[1] === section) out.set(key, at);
  });
  return out;
}

/** Offset of the first syntax error in a JSON text (Node 20's JSON.parse messages do not always give one). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          value();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (i >= text.length) fail();
      i++;
      return;
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}
