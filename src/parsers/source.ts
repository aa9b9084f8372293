import type { Span } from '../core/types.js';

/** Line starts of a text, to turn offsets into 1-based line/column spans. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  private static last: LineIndex | undefined;

  /**
   * The index of `text`, shared by everything that reads the same file in turn (each document of a multi-document
   * manifest, each rule): a 2 MB rendered manifest has ~60 documents, and one index per document cost seconds.
   */
  static of(text: string): LineIndex {
    const last = LineIndex.last;
    if (last && last.text === text) return last;
    return (LineIndex.last = new LineIndex(text));
  }
  get lineCount(): number {
    return this.starts.length;
  }
  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
  /** Text of a 1-based line without its line ending. */
  line(n: number): string {
    const start = this.starts[n - 1];
    if (start === undefined) return '';
    const next = this.starts[n];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
  /** Span of a whole 1-based line. */
  lineSpan(n: number): Span {
    const text = this.line(n);
    return { line: n, column: 1, endLine: n, endColumn: text.length + 1 };
  }
}

/** Strips a UTF-8 BOM; the rest of the pipeline never sees one. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
