import { isMap, isScalar, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Notice, Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import { MAX_YAML_BYTES, type YamlFailure, type YamlFile } from '../yaml.js';
import { OBJECT_KINDS } from './kube-objects.js';

/** A line that starts a YAML document (`---`, optionally followed by content) or ends one (`...`). */
const DOCUMENT_MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/**
 * The kinds `kubernetesPods` takes a pod from (and `…List`, whose items it walks), and the network and RBAC kinds
 * `kubeObjects` reads (OBJECT_KINDS).
 */
const POD_KINDS = new RegExp(`^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|PodTemplate|\\w*List|${OBJECT_KINDS.join('|')})$`);
/** Words one of those kinds needs in the text of a document that names it in any spelling the parser would accept. */
const POD_WORDS = /Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|List|Service|Ingress|Gateway|Route|Policy|Role|Binding|PeerAuthentication|DestinationRule/;
/** Top-level `kind:` lines, plain or quoted key; and what else could write a top-level key the line test would miss. */
const TOP_KIND = /^(["']?)kind\1[ \t]*:(.*)$/gm;
const SIMPLE_KIND = /^[ \t]*(["']?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*(#.*)?\r?$/;
const HIDDEN_KEYS = /^(\?|["'].*\\)/m;

/**
 * True when a document cannot give `kubernetesPods` a pod, judged from its text alone and never fooled by a spelling the YAML
 * parser reads differently: either it names no pod kind anywhere (and has no escapes that could spell one), or it has exactly
 * one top-level `kind:` line, plain, naming a kind without pods nor network or RBAC meaning (a CRD, a ConfigMap), and no explicit or escaped key.
 */
function holdsNoPod(part: string): boolean {
  if (!POD_WORDS.test(part) && !part.includes('\\')) return true;
  if (HIDDEN_KEYS.test(part)) return false;
  const kinds = [...part.matchAll(TOP_KIND)];
  if (kinds.length !== 1) return false;
  const kind = SIMPLE_KIND.exec(kinds[0]![2]!)?.[2];
  return kind !== undefined && !POD_KINDS.test(kind);
}

/** A single document that is a CRD (argo-cd ships a 1.4 MB one): skipped too, when `holdsNoPod` agrees. */
const CRD_ONLY = /^kind[ \t]*:[ \t]*CustomResourceDefinition[ \t]*\r?$/m;

const shift = (range: [number, number, number] | null | undefined, by: number): [number, number, number] | undefined =>
  range ? [range[0] + by, range[1] + by, range[2] + by] : undefined;

/**
 * The documents of a multi-document Kubernetes manifest that can hold a pod, parsed one by one, with every node's range
 * moved to its offset in the whole file (so spans, and the `Reader` over the whole text, are exact). A rendered install
 * manifest is mostly CustomResourceDefinitions; parsing only its workloads, network and RBAC objects is what keeps a 2 MB file fast.
 * A file none of whose documents can hold a pod (a CRD on its own: argo-cd ships a 1.4 MB one) gives no documents and is not
 * parsed at all. Returns undefined when every document may hold a pod: then the whole file is parsed as usual.
 */
export function podDocuments(
  path: string,
  text: string,
  notices: Notice[],
  failed?: (f: YamlFailure) => void,
  /** Which documents to parse, by their text: by default the ones that may hold a pod or an object `kubeObjects` reads. */
  keep: (part: string) => boolean = (part) => !holdsNoPod(part),
): YamlFile | undefined {
  if (text.length > MAX_YAML_BYTES) return undefined;
  const bounds = [0];
  for (const m of text.matchAll(DOCUMENT_MARKER)) if (m.index > 0) bounds.push(m.index);
  bounds.push(text.length);
  const kept: [number, number][] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = text.slice(bounds[i], bounds[i + 1]);
    if (keep(part)) kept.push([bounds[i]!, bounds[i + 1]!]);
  }
  // Every document may hold a pod, or the file is a single document: parse it whole, as everything else does (a lone
  // document that cannot parse then still gets its notice).
  if (kept.length === bounds.length - 1 || (bounds.length === 2 && !CRD_ONLY.test(text))) return undefined;
  const lines = LineIndex.of(text);
  const documents: Document.Parsed[] = [];
  for (const [start, end] of kept) {
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(text.slice(start, end), { uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!.slice(0, 200);
      const line = lines.position(start).line;
      notices.push({ path, line, message: `invalid YAML: ${message}` });
      // as parseYaml does: a parser that fails on a document the gate must read is not a pass (the scan fails closed)
      failed?.({ cause: 'crash', message: `the YAML parser failed (${message})`, line });
      continue;
    }
    for (const doc of Array.isArray(docs) ? docs : []) {
      const error = doc.errors[0];
      if (error) {
        const line = lines.position(start + error.pos[0]).line;
        notices.push({ path, line, message: `invalid YAML: ${error.message.split('\n')[0]}` });
        const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
        if (exhausted) failed?.({ cause: 'crash', message: `the YAML parser gave up on it (${exhausted.message.split(' at line ')[0]!.slice(0, 200)})`, line });
        else failed?.({ cause: 'syntax', message: `it does not parse as YAML (${error.message.split('\n')[0]!.slice(0, 200)})`, line });
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
