/**
 * A multi-keyword scan for the secret detectors' prefilter. One regular expression alternating ~150 literals
 * runs at about 20 MB/s in V8 (it cannot skip ahead); this scan looks each position up in a table of the keywords'
 * first two characters and confirms with `startsWith` only on a bigram hit: several times faster on source code.
 */
export class KeywordScanner {
  private readonly buckets: (string[] | undefined)[] = new Array<string[] | undefined>(1 << 14);

  /** Keywords of at least two ASCII characters. */
  constructor(keywords: Iterable<string>) {
    for (const k of new Set(keywords)) {
      const code = this.code(k.charCodeAt(0), k.charCodeAt(1));
      if (k.length < 2 || code < 0) throw new Error(`keyword ${JSON.stringify(k)} must start with two ASCII characters`);
      this.buckets[code] = [...(this.buckets[code] ?? []), k].sort((a, b) => b.length - a.length);
    }
  }

  private code(a: number, b: number): number {
    return a < 128 && b < 128 ? (a << 7) | b : -1;
  }

  /**
   * Calls `onLine(start, end, keywords)` once for every line holding at least one keyword, in order, with the set
   * of keywords found on it; `end` excludes the line break.
   */
  scanLines(text: string, onLine: (start: number, end: number, found: ReadonlySet<string>) => void): void {
    const n = text.length - 1;
    let found: Set<string> | undefined;
    let lineStart = 0;
    for (let i = 0; i < n; i++) {
      const a = text.charCodeAt(i);
      if (a === 10) {
        if (found) onLine(lineStart, i > lineStart && text.charCodeAt(i - 1) === 13 ? i - 1 : i, found);
        found = undefined;
        lineStart = i + 1;
        continue;
      }
      const b = text.charCodeAt(i + 1);
      const bucket = a < 128 && b < 128 ? this.buckets[(a << 7) | b] : undefined;
      if (bucket === undefined) continue;
      for (const k of bucket) {
        if (text.startsWith(k, i)) {
          (found ??= new Set()).add(k);
          break;
        }
      }
    }
    if (found) {
      const nl = text.indexOf('\n', lineStart);
      const end = nl < 0 ? text.length : nl;
      onLine(lineStart, end > lineStart && text.charCodeAt(end - 1) === 13 ? end - 1 : end, found);
    }
  }
}
