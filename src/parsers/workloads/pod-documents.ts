import { isMap, isScalar, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Notice, Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { MAX_YAML_BYTES, type YamlFile } from '../yaml.js';

/** A line that starts a YAML document (`---`, optionally followed by content) or ends one (`...`). */
const DOCUMENT_MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** Every pod spec has `containers:`; a document without the key holds no pod. CRDs never do, whatever their schemas name. */
const MAY_HOLD_PODS = /^[ \t-]*containers[ \t]*:/m;
const CRD = /^kind[ \t]*:[ \t]*["']?CustomResourceDefinition\b/m;

const shift = (range: [number, number, number] | null | undefined, by: number): [number, number, number] | undefined =>
  range ? [range[0] + by, range[1] + by, range[2] + by] : undefined;

/**
 * The documents of a multi-document Kubernetes manifest that can hold a pod, parsed one by one, with every node's range
 * moved to its offset in the whole file (so spans, and the `Reader` over the whole text, are exact). A rendered install
 * manifest is mostly CustomResourceDefinitions and RBAC; parsing only its workloads is what keeps a 2 MB file fast.
 * A file none of whose documents can hold a pod (a CRD on its own: argo-cd ships a 1.4 MB one) gives no documents and is not
 * parsed at all. Returns undefined when every document may hold a pod: then the whole file is parsed as usual.
 */
export function podDocuments(path: string, text: string, notices: Notice[]): YamlFile | undefined {
  if (text.length > MAX_YAML_BYTES) return undefined;
  const bounds = [0];
  for (const m of text.matchAll(DOCUMENT_MARKER)) if (m.index > 0) bounds.push(m.index);
  bounds.push(text.length);
  const kept: [number, number][] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = text.slice(bounds[i], bounds[i + 1]);
    if (MAY_HOLD_PODS.test(part) && !CRD.test(part)) kept.push([bounds[i]!, bounds[i + 1]!]);
  }
  // Every document may hold a pod: parse the file whole, as everything else does.
  if (kept.length === bounds.length - 1) return undefined;
  const lines = LineIndex.of(text);
  const documents: Document.Parsed[] = [];
  for (const [start, end] of kept) {
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(text.slice(start, end), { uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
    } catch (err) {
      notices.push({ path, line: lines.position(start).line, message: `invalid YAML: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const doc of Array.isArray(docs) ? docs : []) {
      const error = doc.errors[0];
      if (error) {
        notices.push({ path, line: lines.position(start + error.pos[0]).line, message: `invalid YAML: ${error.message.split('\n')[0]}` });
        continue;
      }
      visit(doc, {
        Node(_, node) {
          const moved = shift(node.range, start);
          if (moved) node.range = moved;
        },
      });
      const moved = shift(doc.range, start);
      if (moved) doc.range = moved;
      documents.push(doc);
    }
  }
  const spanOf = (node: Node | null | undefined): Span => {
    const range = node?.range;
    return range ? lines.span(range[0], range[1]) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
  };
  return {
    path,
    documents,
    spanOf,
    keySpanOf(map, key) {
      if (isMap(map)) for (const pair of map.items) if (isScalar(pair.key) && String(pair.key.value) === key) return spanOf(pair.key as Node);
      return spanOf(map);
    },
  };
}
