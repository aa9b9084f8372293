/**
 * A multi-keyword scan for the secret detectors' prefilter. A loop over every character in JavaScript, or one
 * regular expression alternating ~110 literals, costs about 10 ns a character; `indexOf` of one character runs
 * natively at a small fraction of that. So each keyword is looked for through an anchor it contains (a character
 * or short string that is rare in source code), one native search per anchor, and confirmed with `startsWith`
 * where the anchor occurs.
 */

/**
 * Anchors, rarest first; a keyword is found through the first one it contains, and a keyword containing none is
 * searched for whole. Chosen by their frequency in real packages' source and in the monorepo benchmark: the fewer
 * and rarer the anchors, the faster the scan. The choice never changes what is found.
 */
export const ANCHORS: readonly string[] = ['dp.', 'hv', 'G.', 'xox', 'dap', '1.', 'dis', '://', 'K', 'D', 'k', '-', '_', 'A'];

interface Candidate {
  keyword: string;
  /** Offset of the anchor in the keyword. */
  offset: number;
}

interface Anchor {
  text: string;
  /** Candidates with the anchor past their first character, by the character before the anchor. */
  before: (Candidate[] | undefined)[];
  /** Candidates starting with the anchor and longer than it, by the character after the anchor. */
  after: (Candidate[] | undefined)[];
  /** The anchor is itself a keyword. */
  whole: boolean;
}

export class KeywordScanner {
  private readonly anchors: Anchor[] = [];
  /** Every word (keywords and `outrankedBy`) by its first two characters, longest first. */
  private readonly buckets = new Map<number, string[]>();
  private readonly keywords: ReadonlySet<string>;

  /**
   * Keywords of at least two ASCII characters. A keyword is not reported at a position where a longer word of
   * `outrankedBy` starting with the same two characters matches instead (as when they were all scanned together).
   */
  constructor(keywords: Iterable<string>, outrankedBy: Iterable<string> = [], anchors: readonly string[] = ANCHORS) {
    this.keywords = new Set(keywords);
    for (const k of new Set([...this.keywords, ...outrankedBy])) {
      if (k.length < 2 || [...k].some((c) => c.charCodeAt(0) > 127)) throw new Error(`keyword ${JSON.stringify(k)} must be two or more ASCII characters`);
      const code = bigram(k, 0);
      this.buckets.set(code, [...(this.buckets.get(code) ?? []), k].sort((a, b) => b.length - a.length));
    }
    const byText = new Map<string, Anchor>();
    for (const keyword of this.keywords) {
      const text = anchors.find((a) => keyword.includes(a)) ?? keyword;
      let anchor = byText.get(text);
      if (!anchor) {
        anchor = { text, before: [], after: [], whole: false };
        byText.set(text, anchor);
        this.anchors.push(anchor);
      }
      const offset = keyword.indexOf(text);
      if (keyword === text) anchor.whole = true;
      else if (offset > 0) (anchor.before[keyword.charCodeAt(offset - 1)] ??= []).push({ keyword, offset });
      else (anchor.after[keyword.charCodeAt(text.length)] ??= []).push({ keyword, offset });
    }
  }

  /** The word recorded at `at`: the longest of its bucket that matches there. */
  private recorded(text: string, at: number): string | undefined {
    for (const w of this.buckets.get(bigram(text, at)) ?? []) if (text.startsWith(w, at)) return w;
    return undefined;
  }

  /** Offsets where a keyword starts, and the keyword, in no particular order. */
  private occurrences(text: string): [number, string][] | undefined {
    let out: [number, string][] | undefined;
    const confirm = (list: Candidate[] | undefined, at: number): void => {
      if (list === undefined) return;
      for (const c of list) {
        const start = at - c.offset;
        if (start >= 0 && text.startsWith(c.keyword, start)) {
          const w = this.recorded(text, start);
          if (w !== undefined && this.keywords.has(w)) (out ??= []).push([start, w]);
        }
      }
    };
    for (const a of this.anchors) {
      const len = a.text.length;
      for (let at = text.indexOf(a.text); at >= 0; at = text.indexOf(a.text, at + 1)) {
        if (a.whole) {
          const w = this.recorded(text, at);
          if (w !== undefined && this.keywords.has(w)) (out ??= []).push([at, w]);
        }
        if (at > 0) confirm(a.before[text.charCodeAt(at - 1)], at);
        confirm(a.after[text.charCodeAt(at + len)], at);
      }
    }
    return out;
  }

  /**
   * Calls `onLine(start, end, keywords)` once for every line holding at least one keyword, in order, with the set
   * of keywords found on it (at each offset the longest one that matches there); `end` excludes the line break.
   */
  scanLines(text: string, onLine: (start: number, end: number, found: ReadonlySet<string>) => void): void {
    const hits = this.occurrences(text);
    if (!hits) return;
    hits.sort((a, b) => a[0] - b[0]);
    let lineEnd = -1;
    let lineStart = 0;
    let end = 0;
    let found: Set<string> | undefined;
    for (const [at, keyword] of hits) {
      if (at > lineEnd) {
        if (found) onLine(lineStart, end, found);
        lineStart = text.lastIndexOf('\n', at - 1) + 1;
        const nl = text.indexOf('\n', at);
        lineEnd = nl < 0 ? text.length : nl;
        end = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        found = new Set();
      }
      found!.add(keyword);
    }
    if (found) onLine(lineStart, end, found);
  }
}

function bigram(text: string, at: number): number {
  return (text.charCodeAt(at) << 16) | text.charCodeAt(at + 1);
}
