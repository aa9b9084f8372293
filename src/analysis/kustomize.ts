import { posix } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Project } from '../core/types.js';
import { parseYaml } from '../parsers/yaml.js';

/**
 * Kustomize patches: files a kustomization lists under `patchesStrategicMerge`, `patches[].path` or
 * `patchesJson6902[].path`. A patch holds only the fields it changes and is merged into its base, so what it leaves
 * out (a securityContext) says nothing about the workload; only what it sets does.
 */
const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const patchMemo = new WeakMap<Project, Map<string, readonly string[]>>();

/** The patch files a kustomization file names, relative to the repository root. */
function patchesOf(project: Project, file: string): readonly string[] {
  let memo = patchMemo.get(project);
  if (!memo) patchMemo.set(project, (memo = new Map()));
  const known = memo.get(file);
  if (known) return known;
  const out: string[] = [];
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
  const doc = parseYaml(file, project.read(file) ?? '', [])?.documents[0];
  const root = doc?.contents;
  const add = (p: unknown): void => {
    if (typeof p === 'string' && !p.includes('\n')) out.push(posix.normalize(posix.join(dir || '.', p)));
  };
  if (isMap(root)) {
    for (const key of ['patchesStrategicMerge', 'patches', 'patchesJson6902']) {
      const list = root.get(key, true) as Node | undefined;
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (isScalar(item)) add(item.value);
        else if (isMap(item)) add(item.get('path'));
      }
    }
  }
  memo.set(file, out);
  return out;
}

/** True when a kustomization in the file's directory or up to three above it lists the file as a patch. */
export function isKustomizePatch(project: Project, path: string): boolean {
  let dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  for (let level = 0; level < 4; level++) {
    for (const name of KUSTOMIZATION) {
      const file = dir === '' ? name : `${dir}/${name}`;
      if (project.has(file) && patchesOf(project, file).includes(path)) return true;
    }
    if (dir === '') return false;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
  return false;
}
