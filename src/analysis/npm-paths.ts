import { Lru } from '../core/lru.js';
import { isObject, type Json } from '../parsers/lockfiles/common.js';

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const graphs = new Lru<string, Map<string, string[]> | undefined>(2);

/**
 * package-lock.json v2/v3: the direct dependencies (names the root package or a workspace member declares) through
 * which the install path `key` (`node_modules/a/node_modules/b`) is reached, nearest first, by Node's resolution (a
 * dependency of `K` is `K/node_modules/d`, else the same under each folder above). [] when the lockfile does not say.
 */
export function pulledInBy(text: string, key: string, max = 3): string[] {
  const parents = graphs.get(text, () => reverseEdges(text));
  if (!parents?.has(key)) return [];
  // Breadth-first up the reverse edges: the first direct dependencies met are the shortest paths.
  const seen = new Set<string>([key]);
  let frontier = [key];
  const out: string[] = [];
  while (frontier.length > 0 && out.length < max) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const p of parents.get(k) ?? []) {
        if (p === '' || !p.includes('node_modules/')) {
          const name = k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length);
          if (k !== key && !out.includes(name)) out.push(name);
          continue;
        }
        if (!seen.has(p)) {
          seen.add(p);
          next.push(p);
        }
      }
    }
    frontier = next;
  }
  return out.slice(0, max);
}

/** install path → the install paths (or '' / a workspace folder for the root and members) that depend on it. */
function reverseEdges(text: string): Map<string, string[]> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const packages = isObject(value) ? value['packages'] : undefined;
  if (!isObject(packages)) return undefined;
  const parents = new Map<string, string[]>();
  for (const [from, raw] of Object.entries(packages)) {
    if (!isObject(raw)) continue;
    for (const field of DEP_FIELDS) {
      const deps = (raw as Json)[field];
      if (!isObject(deps)) continue;
      for (const name of Object.keys(deps)) {
        const to = resolve(packages, from, name);
        if (to === undefined) continue;
        const list = parents.get(to);
        if (list) list.push(from);
        else parents.set(to, [from]);
      }
    }
  }
  return parents;
}

function resolve(packages: Json, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (Object.hasOwn(packages, candidate)) return candidate;
    if (dir === '') return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at >= 0 ? dir.slice(0, at) : '';
  }
}
