import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Span } from '../core/types.js';
import type { Job, Located, WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode, scalarString } from '../parsers/yaml.js';

/** An expression that is exactly one matrix value: `${{ matrix.image }}` → `image`. */
export function wholeMatrixRef(text: string): string | undefined {
  return /^\s*\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}\s*$/.exec(text)?.[1];
}

/** True when the whole value is one `${{ … }}` expression. */
export function isWholeExpression(text: string): boolean {
  const t = text.trim();
  return t.startsWith('${{') && t.endsWith('}}') && t.indexOf('${{', 3) < 0;
}

/**
 * The literal values a job's `matrix.<key>` can take: the key's list plus `include` entries, minus values that an
 * `exclude` entry on that key alone removes. Undefined when the matrix (or the key's list) is itself an expression,
 * so the values are not known from the file. Nested lists are flattened (a `runs-on` label list). With `literals`, a value
 * that is an expression stands for the string literals in it (`${{ c && 'a' || 'b' }}` → a, b) instead of making the result unknown.
 */
export function matrixValues(wf: WorkflowDoc, job: Job, key: string, literals = false): string[] | undefined {
  const matrix = resolveNode(getNode(getNode(job.node, 'strategy', wf.doc), 'matrix', wf.doc), wf.doc);
  if (!isMap(matrix)) return undefined;
  const flat = (node: unknown): string[] | undefined => {
    const n = resolveNode(node, wf.doc);
    if (isSeq(n)) {
      const out: string[] = [];
      for (const item of n.items) {
        const v = flat(item);
        if (!v) return undefined;
        out.push(...v);
      }
      return out;
    }
    const s = scalarString(n);
    if (s === undefined) return isMap(n) ? [] : undefined;
    if (!isWholeExpression(s)) return [s];
    return literals ? [...s.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")) : undefined;
  };
  const own = getNode(matrix, key, wf.doc);
  const ownValues = own === undefined ? [] : flat(own);
  if (!ownValues) return undefined;
  const entries = (name: string): Node[] => {
    const n = resolveNode(getNode(matrix, name, wf.doc), wf.doc);
    return isSeq(n) ? n.items.map((i) => resolveNode(i, wf.doc)).filter((i): i is Node => isMap(i)) : [];
  };
  const excluded = new Set<string>();
  for (const exc of entries('exclude')) {
    if (!isMap(exc) || exc.items.length !== 1 || !isScalar(exc.items[0]!.key) || String(exc.items[0]!.key.value) !== key) continue;
    const v = scalarString(resolveNode(exc.items[0]!.value, wf.doc));
    if (v !== undefined) excluded.add(v);
  }
  // `exclude` applies to the combinations of the lists; `include` entries are added after it.
  const values = ownValues.filter((v) => !excluded.has(v));
  for (const inc of entries('include')) {
    const node = getNode(inc, key, wf.doc);
    if (node === undefined) continue;
    const v = flat(node);
    if (!v) return undefined;
    values.push(...v);
  }
  return [...new Set(values)];
}

/** One `KEY: value` that a fixed matrix entry puts into an `env:` written as one matrix value (`env: ${{ matrix.env }}`). */
export interface MatrixEnvEntry {
  key: string;
  keySpan: Span;
  value: Located;
  /** `matrix.env`: what the `env:` names. */
  via: string;
}

const MAX_MATRIX_ENTRIES = 256;

/**
 * The variables an `env:` of the job or of one of its steps takes from the matrix when the whole block is one matrix
 * value: every mapping the matrix lists for that key (its own list and `include` entries), entry by entry. Empty when
 * the `env:` is a mapping, another expression, or the matrix values are not written in the file.
 */
export function matrixEnv(wf: WorkflowDoc, job: Job, owner: Node | undefined): MatrixEnvEntry[] {
  const text = scalarString(resolveNode(getNode(owner, 'env', wf.doc), wf.doc));
  const key = text === undefined ? undefined : wholeMatrixRef(text);
  if (key === undefined) return [];
  const matrix = resolveNode(getNode(getNode(job.node, 'strategy', wf.doc), 'matrix', wf.doc), wf.doc);
  if (!isMap(matrix)) return [];
  const maps: Node[] = [];
  const add = (node: unknown): void => {
    const n = resolveNode(node, wf.doc);
    if (isMap(n)) maps.push(n);
    else if (isSeq(n)) for (const i of n.items.slice(0, MAX_MATRIX_ENTRIES)) add(resolveNode(i, wf.doc));
  };
  add(getNode(matrix, key, wf.doc));
  const include = resolveNode(getNode(matrix, 'include', wf.doc), wf.doc);
  if (isSeq(include)) for (const e of include.items.slice(0, MAX_MATRIX_ENTRIES)) add(getNode(e, key, wf.doc));
  const out: MatrixEnvEntry[] = [];
  for (const map of maps) {
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const name = scalarString(pair.key);
      const v = resolveNode(pair.value, wf.doc);
      const value = scalarString(v);
      if (name === undefined || value === undefined || !v) continue;
      out.push({ key: name, keySpan: wf.file.spanOf(pair.key as Node), value: { value, span: wf.file.spanOf(v), node: v }, via: `matrix.${key}` });
    }
  }
  return out;
}
