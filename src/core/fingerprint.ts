import { createHash } from 'node:crypto';

/** Collapses whitespace so that re-indenting or re-wrapping a line keeps its fingerprint. */
export function normaliseSnippet(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A stable id for a finding: rule, path and the normalised flagged content, plus the occurrence
 * number of that same content in the file. It does not contain the line number, so unrelated
 * edits above the finding keep it.
 */
export function fingerprint(ruleId: string, path: string, key: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${ruleId}\0${path}\0${normaliseSnippet(key)}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}

const HASH_WINDOW = 100;
const HASH_MOD = 37n;
// MOD^WINDOW in 64-bit wrap-around arithmetic: the weight of the character leaving the window.
const HASH_FIRST_MOD = BigInt.asUintN(64, HASH_MOD ** BigInt(HASH_WINDOW));
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const END_OF_TEXT = 0xffff;

/**
 * GitHub code scanning's `primaryLocationLineHash` for every line of a text, as
 * github/codeql-action computes it when a SARIF file arrives without one: a rolling hash over
 * the next 100 characters from the start of each line, spaces and tabs left out, CR, LF and CRLF
 * read as one line break, a marker and NULs past the end; `hash:n` where n counts earlier lines
 * with the same hash. Entry i is line i + 1.
 */
export function lineHashes(text: string): string[] {
  const window = new Array<number>(HASH_WINDOW).fill(0);
  const startsLine = new Array<number>(HASH_WINDOW).fill(-1);
  const hashes: string[] = [];
  const seen = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let line = 0;
  let atLineStart = true;
  let afterCR = false;

  const emit = (): void => {
    const value = hash.toString(16);
    const n = (seen.get(value) ?? 0) + 1;
    seen.set(value, n);
    hashes[startsLine[index]! - 1] = `${value}:${n}`;
    startsLine[index] = -1;
  };
  const push = (code: number): void => {
    const leaving = window[index]!;
    window[index] = code;
    hash = BigInt.asUintN(64, HASH_MOD * hash + BigInt(code) - HASH_FIRST_MOD * BigInt(leaving));
    index = (index + 1) % HASH_WINDOW;
  };
  const take = (code: number): void => {
    if (code === SPACE || code === TAB || (afterCR && code === LF)) {
      afterCR = false;
      return;
    }
    afterCR = code === CR;
    if (code === CR) code = LF;
    if (startsLine[index] !== -1) emit();
    if (atLineStart) {
      atLineStart = false;
      startsLine[index] = ++line;
    }
    if (code === LF) atLineStart = true;
    push(code);
  };

  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(END_OF_TEXT);
  for (let i = 0; i < HASH_WINDOW; i++) {
    if (startsLine[index] !== -1) emit();
    push(0);
  }
  return hashes;
}

/**
 * `lineHashes(text)` for lines 1..`lastLine` only, hashing no more of the text than they need: line L's hash
 * covers the first 100 counted characters (spaces, tabs and the LF of a CRLF left out) from L's start, and its
 * occurrence number only earlier lines. So the text is cut once 100 + 1 counted characters follow the start of
 * `lastLine` (the extra one makes the rolling hash emit that line's value before the cut's end marker); entries
 * 1..lastLine are then identical to the full computation. A 9 MB bundle with a finding near its top is hashed in
 * microseconds instead of seconds.
 */
export function lineHashesUpTo(text: string, lastLine: number): string[] {
  let pos = 0;
  for (let line = 1; line < lastLine && pos >= 0; line++) {
    const lf = text.indexOf('\n', pos);
    const cr = text.indexOf('\r', pos);
    // the next line break of either kind; a CRLF is one break
    const next = cr >= 0 && (lf < 0 || cr < lf) ? (text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1) : lf >= 0 ? lf + 1 : -1;
    pos = next;
  }
  if (pos < 0) return lineHashes(text).slice(0, lastLine);
  let counted = 0;
  let afterCR = false;
  let i = pos;
  for (; i < text.length && counted <= HASH_WINDOW + 1; i++) {
    const code = text.charCodeAt(i);
    if (code === SPACE || code === TAB || (afterCR && code === LF)) {
      afterCR = false;
      continue;
    }
    afterCR = code === CR;
    counted++;
  }
  // a cut between CR and LF would turn one break into two
  if (i < text.length && text.charCodeAt(i - 1) === CR) i++;
  return lineHashes(i >= text.length ? text : text.slice(0, i)).slice(0, lastLine);
}

/** The code-scanning line hash of one 1-based line of a file given as lines (joined with LF). */
export function lineHash(lines: readonly string[], lineNumber: number): string | undefined {
  return lineHashes(lines.join('\n'))[lineNumber - 1];
}
