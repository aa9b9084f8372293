import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Job, WorkflowDoc } from '../parsers/workflow.js';
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
