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

/** What a kustomization deploys (see kustomizeLink); kept across the scan instead of the document. */
export interface KustomizeLink {
  /** The kustomization file, repository-relative. */
  path: string;
  /** Files it names (resources, bases, components, patches) that the tree holds. */
  files: string[];
  /** The kustomizations of the folders it names, which it builds in turn. */
  kustomizations: string[];
}

/** Keys whose entries are files or folders the kustomization builds into its output. */
const DEPLOYED = ['resources', 'bases', 'components', 'patchesStrategicMerge', 'patches', 'patchesJson6902'];
/** A hostile kustomization cannot make the scan keep an unbounded list. */
const MAX_ENTRIES = 2000;

export function isKustomizationPath(path: string): boolean {
  return KUSTOMIZATION.includes(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * The files and folder kustomizations a kustomization names, resolved against the tree (`project`): local entries
 * only (no URLs, no remote bases) and never outside the repository root, whatever `../` says.
 */
export function kustomizeLink(path: string, root: Node | null | undefined, project: Project): KustomizeLink | undefined {
  if (!isMap(root)) return undefined;
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  const files = new Set<string>();
  const kustomizations = new Set<string>();
  let seen = 0;
  const add = (entry: unknown): void => {
    if (typeof entry !== 'string' || ++seen > MAX_ENTRIES) return;
    const target = localTarget(dir, entry);
    if (target === undefined) return;
    if (project.has(target)) files.add(target);
    else {
      const nested = KUSTOMIZATION.map((name) => `${target}/${name}`).find((f) => project.has(f));
      if (nested && nested !== path) kustomizations.add(nested);
    }
  };
  for (const key of DEPLOYED) {
    const list = root.get(key, true) as Node | undefined;
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (isScalar(item)) add(item.value);
      else if (isMap(item)) add(item.get('path'));
    }
  }
  if (files.size === 0 && kustomizations.size === 0) return undefined;
  return { path, files: [...files], kustomizations: [...kustomizations] };
}

/** An entry as a repository-relative path, or undefined for a remote one or one that leaves the root. */
function localTarget(dir: string, entry: string): string | undefined {
  const e = entry.trim();
  if (e === '' || e.includes('\n') || e.includes('\0') || /^[a-z][\w+.-]*:|^git@|^github\.com\/|\?ref=|\/\//i.test(e) || e.startsWith('/')) return undefined;
  const joined = posix.normalize(posix.join(dir || '.', e)).replace(/\/+$/, '');
  if (joined === '.' || joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined.replace(/^\.\//, '');
}
