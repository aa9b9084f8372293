import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Notice, Span } from '../core/types.js';

/** A YAML file: its documents (Document API, with node ranges) and a way to turn ranges into spans. */
export interface YamlFile {
  path: string;
  documents: Document.Parsed[];
  spanOf(node: Node | null | undefined): Span;
  /** Span of the key of `key` in map node `map` (falls back to the map's own span). */
  keySpanOf(map: Node | null | undefined, key: string): Span;
}

/** Files larger than this are not parsed as YAML: no rule needs them and parsing costs ~0.5 s/MiB. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;

/** Why a file was not parsed as YAML, or parsed only in part (`syntax`: the documents with errors were left out). */
export interface YamlFailure {
  cause: 'size' | 'crash' | 'syntax';
  message: string;
  line?: number;
}

/** `failed` is told why the file was not (wholly) parsed, besides the notice, for callers that must not pass over it. */
export function parseYaml(path: string, text: string, notices: Notice[], failed?: (f: YamlFailure) => void): YamlFile | undefined {
  if (text.length > MAX_YAML_BYTES) {
    const message = `larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB`;
    notices.push({ path, message: `not parsed as YAML: ${message}` });
    failed?.({ cause: 'size', message: `${message}, the gate's size cap for parsing YAML` });
    return undefined;
  }
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!.slice(0, 200);
    notices.push({ path, message: `invalid YAML: ${message}` });
    failed?.({ cause: 'crash', message: `the YAML parser failed (${message})` });
    return undefined;
  }
  if (!Array.isArray(documents)) documents = [];
  const errors = documents.flatMap((d) => d.errors);
  const firstError = errors[0];
  if (firstError) {
    const at = lineCounter.linePos(firstError.pos[0]);
    const message = firstError.message.split('\n')[0]!.slice(0, 200);
    notices.push({ path, line: at.line, message: `invalid YAML: ${message}` });
    // The parser's own limit (nesting too deep for its stack), not an error in the file: other parsers may read it.
    const exhausted = errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
    if (exhausted) {
      const line = lineCounter.linePos(exhausted.pos[0]).line;
      failed?.({ cause: 'crash', message: `the YAML parser gave up on it (${exhausted.message.split(' at line ')[0]!.slice(0, 200)})`, line });
    } else failed?.({ cause: 'syntax', message: `it does not parse as YAML (${message})`, line: at.line });
    documents = documents.filter((d) => d.errors.length === 0);
  }
  const span = (start: number, end: number): Span => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const spanOf = (node: Node | null | undefined): Span => {
    const range = node?.range;
    return range ? span(range[0], range[1]) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
  };
  return {
    path,
    documents,
    spanOf,
    keySpanOf(map, key) {
      if (isMap(map)) {
        for (const pair of map.items) {
          if (isScalar(pair.key) && String(pair.key.value) === key) return spanOf(pair.key as Node);
        }
      }
      return spanOf(map);
    },
  };
}

/** Follows an alias to the node it names (one hop; the yaml library rejects cycles). */
export function resolveNode(node: unknown, doc: Document.Parsed): Node | undefined {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? undefined;
  return (node as Node | undefined) ?? undefined;
}

/** Value node of `key` in a map node, aliases resolved. */
export function getNode(map: unknown, key: string, doc: Document.Parsed): Node | undefined {
  const m = resolveNode(map, doc);
  if (!isMap(m)) return undefined;
  for (const pair of m.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return resolveNode(pair.value, doc);
  }
  return undefined;
}

export function scalarString(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return String(node.value);
  return undefined;
}

export { isMap, isScalar, isSeq };
