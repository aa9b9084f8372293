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
const HASH_MOD = 37;
// MOD^WINDOW modulo 2^32: the weight of the character leaving the window in the low half's rolling update.
const HASH_FIRST_MOD = BigInt.asUintN(64, BigInt(HASH_MOD) ** BigInt(HASH_WINDOW));
const FIRST_LO = Number(HASH_FIRST_MOD & 0xffffffffn);
const TWO_32 = 4294967296;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const END_OF_TEXT = 0xffff;

/**
 * GitHub code scanning's `primaryLocationLineHash` for every line of a text (or only the `wanted` 1-based lines; the
 * others stay empty), as github/codeql-action computes it when a SARIF file arrives without one: a rolling hash over
 * the next 100 characters from the start of each line, spaces and tabs left out, CR, LF and CRLF read as one line
 * break, a marker and NULs past the end; `hash:n` where n counts earlier lines with the same hash. Entry i is line i + 1.
 *
 * The 64-bit hash's low half is the same rolling hash modulo 2^32, so one pass in 32-bit integer arithmetic (Math.imul)
 * gives every line's low half; the exact hash (windowHash) is then computed from the 100 counted characters of a line's
 * window only for the lines asked for and for the few others whose low half equals one of theirs (the candidates for the
 * occurrence number `n`). A 2 MB manifest has 60,000 lines and a few findings.
 */
export function lineHashes(text: string, wanted?: ReadonlySet<number>): string[] {
  const { los, starts } = lowHalves(text);
  const exact = (i: number): string => windowHash(text, starts[i]!);
  const hashes: string[] = [];
  if (!wanted) {
    const seen = new Map<string, number>();
    for (let i = 0; i < starts.length; i++) {
      const value = exact(i);
      const n = (seen.get(value) ?? 0) + 1;
      seen.set(value, n);
      hashes[i] = `${value}:${n}`;
    }
    return hashes;
  }
  const byLow = new Map<number, { value: string; count: number }[]>();
  for (const l of wanted) {
    const i = l - 1;
    if (i < 0 || i >= los.length) continue;
    const value = exact(i);
    const same = byLow.get(los[i]!) ?? [];
    if (!same.some((x) => x.value === value)) same.push({ value, count: 0 });
    byLow.set(los[i]!, same);
  }
  for (let i = 0; i < los.length; i++) {
    const same = byLow.get(los[i]!);
    if (!same) continue;
    const value = exact(i);
    const group = same.find((x) => x.value === value);
    if (!group) continue;
    group.count++;
    if (wanted.has(i + 1)) hashes[i] = `${value}:${group.count}`;
  }
  return hashes;
}

/**
 * Every line's hash modulo 2^32 (`los`), by the rolling update in 32-bit arithmetic, and the offset of each line's first
 * counted character (`starts`; the end of the text for a line the end marker starts).
 */
function lowHalves(text: string): { los: number[]; starts: number[] } {
  const ring = new Int32Array(HASH_WINDOW).fill(-1);
  const window = new Uint16Array(HASH_WINDOW);
  const los: number[] = [];
  const starts: number[] = [];
  let lo = 0;
  let index = 0;
  let line = 0;
  let atLineStart = true;
  let afterCR = false;
  const length = text.length;
  // One pass over the text and its end marker, then WINDOW NULs that flush the lines still in the window.
  for (let i = 0; i <= length + HASH_WINDOW; i++) {
    let code: number;
    if (i <= length) {
      code = i < length ? text.charCodeAt(i) : END_OF_TEXT;
      if (code === SPACE || code === TAB || (afterCR && code === LF)) {
        afterCR = false;
        continue;
      }
      afterCR = code === CR;
      if (code === CR) code = LF;
    } else code = 0;
    const starting = ring[index]!;
    if (starting !== -1) {
      los[starting] = lo >>> 0;
      ring[index] = -1;
    }
    if (i <= length && atLineStart) {
      atLineStart = false;
      ring[index] = line;
      starts[line++] = i;
    }
    if (code === LF) atLineStart = true;
    // hash = 37 * hash + code - MOD^WINDOW * leaving (mod 2^32)
    lo = (Math.imul(lo, HASH_MOD) + code - Math.imul(FIRST_LO, window[index]!)) | 0;
    window[index] = code;
    index = index === HASH_WINDOW - 1 ? 0 : index + 1;
  }
  return { los, starts };
}

/** The exact 64-bit hash (as hex) of the 100 counted characters from offset `from`: the text's, its end marker, then NULs. */
function windowHash(text: string, from: number): string {
  let hi = 0;
  let lo = 0;
  let counted = 0;
  let afterCR = false;
  for (let i = from; counted < HASH_WINDOW; i++) {
    let code: number;
    if (i < text.length) {
      code = text.charCodeAt(i);
      if (code === SPACE || code === TAB || (afterCR && code === LF)) {
        afterCR = false;
        continue;
      }
      afterCR = code === CR;
      if (code === CR) code = LF;
    } else code = i === text.length ? END_OF_TEXT : 0;
    counted++;
    // hash = 37 * hash + code (mod 2^64), nothing leaves a window that starts empty
    const low = lo * HASH_MOD + code;
    const carry = Math.floor(low / TWO_32);
    lo = low - carry * TWO_32;
    hi = (hi * HASH_MOD + carry) >>> 0;
  }
  return hex64(hi, lo);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of the 64-bit value hi:lo without leading zeros (as BigInt's toString(16)); a table is cheaper than Number#toString(16). */
function hex64(hi: number, lo: number): string {
  const s =
    HEX_BYTE[hi >>> 24]! + HEX_BYTE[(hi >>> 16) & 255]! + HEX_BYTE[(hi >>> 8) & 255]! + HEX_BYTE[hi & 255]! +
    HEX_BYTE[lo >>> 24]! + HEX_BYTE[(lo >>> 16) & 255]! + HEX_BYTE[(lo >>> 8) & 255]! + HEX_BYTE[lo & 255]!;
  let zeros = 0;
  while (zeros < 15 && s.charCodeAt(zeros) === 48) zeros++;
  return zeros === 0 ? s : s.slice(zeros);
}

/**
 * `lineHashes(text)` for lines 1..`lastLine` only, hashing no more of the text than they need: line L's hash
 * covers the first 100 counted characters (spaces, tabs and the LF of a CRLF left out) from L's start, and its
 * occurrence number only earlier lines. So the text is cut once 100 + 1 counted characters follow the start of
 * `lastLine` (the extra one makes the rolling hash emit that line's value before the cut's end marker); entries
 * 1..lastLine are then identical to the full computation. A 9 MB bundle with a finding near its top is hashed in
 * microseconds instead of seconds.
 */
export function lineHashesUpTo(text: string, lastLine: number, wanted?: ReadonlySet<number>): string[] {
  let pos = 0;
  // The next CR at or after pos, searched again only once passed: a file without CRs is scanned for one once, not once per line.
  let cr = text.indexOf('\r');
  for (let line = 1; line < lastLine && pos >= 0; line++) {
    const lf = text.indexOf('\n', pos);
    if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
    // the next line break of either kind; a CRLF is one break
    const next = cr >= 0 && (lf < 0 || cr < lf) ? (text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1) : lf >= 0 ? lf + 1 : -1;
    pos = next;
  }
  if (pos < 0) return lineHashes(text, wanted).slice(0, lastLine);
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
  return lineHashes(i >= text.length ? text : text.slice(0, i), wanted).slice(0, lastLine);
}

/** The code-scanning line hash of one 1-based line of a file given as lines (joined with LF). */
export function lineHash(lines: readonly string[], lineNumber: number): string | undefined {
  return lineHashes(lines.join('\n'))[lineNumber - 1];
}
