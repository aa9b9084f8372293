import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import type { Located } from '../workload.js';
import { resolveNode, type YamlFile } from '../yaml.js';

/** One key of a mapping after merge keys (`<<: *defaults`) are applied. */
export interface Entry {
  key: Node;
  /** The value, aliases resolved. */
  value: Node | undefined;
  pair: Pair;
}

const MAX_DEPTH = 16;

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

/** Reading helpers over one YAML document, with spans. */
export class Reader {
  private lines?: LineIndex;
  constructor(
    readonly file: YamlFile,
    readonly doc: Document.Parsed,
    readonly text: string,
  ) {}

  resolve(node: unknown): Node | undefined {
    return resolveNode(node, this.doc);
  }

  /**
   * The keys of a mapping, merge keys applied: the mapping's own keys win over merged ones, and of
   * several merged mappings (`<<: [*a, *b]`) the first wins, as the YAML merge key type specifies.
   */
  entries(node: unknown, depth = 0): Map<string, Entry> {
    const out = new Map<string, Entry>();
    const map = this.resolve(node);
    if (!isMap(map) || depth > MAX_DEPTH) return out;
    const merged: Map<string, Entry>[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        const v = this.resolve(pair.value);
        const sources = isSeq(v) ? v.items : [v];
        for (const s of sources) merged.push(this.entries(s, depth + 1));
        continue;
      }
      if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) continue;
      const name = String(pair.key.value);
      if (!out.has(name)) out.set(name, { key: pair.key as Node, value: this.resolve(pair.value), pair: pair as Pair });
    }
    for (const m of merged) for (const [k, e] of m) if (!out.has(k)) out.set(k, e);
    return out;
  }

  get(node: unknown, ...path: string[]): Node | undefined {
    let cur: Node | undefined = this.resolve(node);
    for (const key of path) {
      cur = this.entries(cur).get(key)?.value;
      if (!cur) return undefined;
    }
    return cur;
  }

  /** The node's span, without the line break and blank lines a block collection's range ends with. */
  span(node: Node | null | undefined): Span {
    const range = node?.range;
    if (!range) return this.file.spanOf(node);
    return this.offsets(range[0], this.trimEnd(range[0], range[1]));
  }

  private trimEnd(start: number, end: number): number {
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1]!)) e--;
    return e;
  }

  /** From the key's start to the value's end. */
  pairSpan(e: Entry): Span {
    const start = e.key.range?.[0];
    const valueNode = (e.pair.value as Node | null) ?? e.key;
    const end = valueNode.range?.[1] ?? e.key.range?.[1];
    if (start === undefined || end === undefined) return this.span(e.key);
    return this.offsets(start, this.trimEnd(start, end));
  }

  offsets(start: number, end: number): Span {
    this.lines ??= LineIndex.of(this.text);
    return this.lines.span(start, end);
  }

  /** Span of characters [from, to) of a scalar's value, when its source text maps one-to-one (plain and simple quoted scalars). */
  within(node: Node, from: number, to: number): Span {
    if (!isScalar(node) || !node.range) return this.span(node);
    const raw = this.text.slice(node.range[0], node.range[1]);
    const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    const value = String(node.value);
    if (raw.slice(quote, quote + value.length) !== value) return this.span(node);
    return this.offsets(node.range[0] + quote + from, node.range[0] + quote + to);
  }

  str(node: Node | undefined): Located | undefined {
    if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
    if (typeof node.value === 'object' || typeof node.value === 'symbol') return undefined;
    return { value: String(node.value), span: this.span(node) };
  }

  bool(node: Node | undefined): Located<boolean> | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (v === true || v === 'true' || v === 'True' || v === 'TRUE') return { value: true, span: this.span(node) };
    if (v === false || v === 'false' || v === 'False' || v === 'FALSE') return { value: false, span: this.span(node) };
    return undefined;
  }

  num(node: Node | undefined): number | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
  }

  items(node: Node | undefined): Node[] {
    const n = this.resolve(node);
    if (!isSeq(n)) return [];
    return n.items.map((i) => this.resolve(i)).filter((i): i is Node => i !== undefined);
  }
}
