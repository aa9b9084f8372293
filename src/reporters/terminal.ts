/**
 * What every terminal output shares: escaping repository text so that it cannot drive the terminal,
 * ANSI styles (only when the CLI decided colours are wanted), display widths, and wrapping at word
 * boundaries (a terminal wraps a long line mid-word by itself).
 */

export type Style = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'pass' | 'fail' | 'bold' | 'dim' | 'code' | 'heading';

const CODES: Record<Style, [string, string]> = {
  critical: ['35', '39'],
  high: ['31', '39'],
  medium: ['33', '39'],
  low: ['36', '39'],
  info: ['90', '39'],
  pass: ['32', '39'],
  fail: ['31', '39'],
  bold: ['1', '22'],
  dim: ['2', '22'],
  code: ['36', '39'],
  heading: ['1;4', '22;24'],
};

export type Paint = (style: Style | undefined, text: string) => string;

export function painter(color: boolean): Paint {
  return (style, text) => (color && style && text !== '' ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
}

/**
 * Text from the scanned repository must not drive the terminal: control characters, and the bidirectional
 * controls that make text display in another order than it is, are shown escaped (`\u001b`).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function clean(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

export const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const CONTROL_ONE = new RegExp(CONTROL.source);
export const isControl = (c: string): boolean => CONTROL_ONE.test(c);

/** Terminal cells a code point takes: 0 for combining marks, 2 for East Asian wide characters and emoji. */
export function cellWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff)) return 0;
  if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xfe20 && cp <= 0xfe2f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Display width of text that holds no control characters (cleaned, without ANSI styles). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += cellWidth(ch.codePointAt(0)!);
  return n;
}

/** A piece of output text and its style; the text is already cleaned. */
export interface Run {
  text: string;
  style?: Style;
}

/**
 * Lays runs out on lines of at most `width` cells, breaking only at spaces; a word wider than a line stays whole.
 * Continuation lines start with `indent`; without a width, one line. Styles are closed and reopened per line.
 */
export function wrapRuns(runs: readonly Run[], paint: Paint, width?: number, indent = ''): string[] {
  // Words: the runs cut at every space; a word may hold several styled pieces (`Dockerfile` then `:`).
  const words: Run[][] = [[]];
  for (const run of runs) {
    run.text.split(' ').forEach((part, i) => {
      if (i > 0) words.push([]);
      if (part !== '') words.at(-1)!.push({ text: part, ...(run.style ? { style: run.style } : {}) });
    });
  }
  const size = (word: Run[]): number => word.reduce((n, r) => n + displayWidth(r.text), 0);
  const lines: Run[][] = [[]];
  let used = 0;
  let content = false;
  words.forEach((word, k) => {
    const w = size(word);
    if (k > 0 && width !== undefined && content && used + 1 + w > width) {
      lines.push(indent ? [{ text: indent }] : []);
      used = displayWidth(indent);
      content = false;
    } else if (k > 0) {
      // A space joins two words: styled as both when they share a style, so one styled stretch stays one.
      const before = lines.at(-1)!.at(-1)?.style;
      lines.at(-1)!.push({ text: ' ', ...(before && before === word[0]?.style ? { style: before } : {}) });
      used += 1;
    }
    lines.at(-1)!.push(...word);
    used += w;
    if (w > 0) content = true;
  });
  return lines.map((line) => merge(line).map((r) => paint(r.style, r.text)).join('').trimEnd());
}

/** Adjacent runs of one style as one run. */
function merge(line: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of line) {
    const last = out.at(-1);
    if (last && last.style === r.style) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}
