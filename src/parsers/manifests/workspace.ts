import { minimatch } from 'minimatch';
import type { Project } from '../../core/types.js';
import { Lru } from '../../core/lru.js';
import { stripBom } from '../source.js';
import { parseManifest, type ManifestDoc, type PackageManifest } from './index.js';

/** Directory of a relative POSIX path ('' for the root). */
export const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
export const joinPath = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

/** Strict ancestors of a directory, nearest first, ending with the root ''. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  while (d !== '') {
    d = dirOf(d);
    out.push(d);
  }
  return out;
}

/** Resolves `.` and `..` in a relative path; undefined when it climbs above the root. */
export function normalisePath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

const cleanGlob = (g: string): string => g.replace(/^\.\//, '').replace(/\/+$/, '');

/** True when `memberDir` (relative to the workspace root) matches a member glob and neither a `!` glob nor an exclude glob. */
export function matchesMembers(memberDir: string, globs: readonly string[], exclude: readonly string[] = []): boolean {
  const match = (g: string): boolean => minimatch(memberDir, cleanGlob(g), { dot: true });
  const positive = globs.filter((g) => !g.startsWith('!'));
  const negative = [...globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1)), ...exclude];
  return positive.some(match) && !negative.some(match);
}

const parsed = new WeakMap<Project, Lru<string, ManifestDoc | undefined>>();

/** A neighbour manifest parsed through the project view (a bounded memo per project; its notices belong to its own scan). */
function manifestCache(project: Project): Lru<string, ManifestDoc | undefined> {
  let cache = parsed.get(project);
  if (!cache) parsed.set(project, (cache = new Lru(64)));
  return cache;
}

/** Hands readManifest a manifest the scan has already parsed as its own file, so it is not read and parsed twice. */
export function rememberManifest(project: Project, path: string, doc: ManifestDoc | undefined): void {
  manifestCache(project).set(path, doc);
}

export function readManifest(project: Project, path: string): ManifestDoc | undefined {
  return manifestCache(project).get(path, () => {
    const text = project.read(path);
    return text === undefined ? undefined : parseManifest(path, stripBom(text), []);
  });
}

export interface WorkspaceRoot {
  /** Directory of the workspace root ('' is the repository root). */
  dir: string;
  /** The file that declares the workspace (package.json, pnpm-workspace.yaml, Cargo.toml, pyproject.toml). */
  manifest: string;
  /** Tools the root names (e.g. its packageManager), to pick the expected lockfile. */
  tools: string[];
}

const asManifest = (doc: ManifestDoc | undefined): PackageManifest | undefined => (doc?.role === 'manifest' ? doc : undefined);

/** The workspace a manifest belongs to, if an ancestor declares it as a member: npm/yarn/bun, pnpm, Cargo or uv. */
export function findWorkspaceRoot(project: Project, doc: PackageManifest): WorkspaceRoot | undefined {
  const dir = dirOf(doc.path);
  if (doc.ecosystem === 'cargo' && doc.workspacePath !== undefined) {
    const rootDir = normalisePath(joinPath(dir, doc.workspacePath));
    const manifest = rootDir === undefined ? undefined : joinPath(rootDir, 'Cargo.toml');
    if (manifest && project.has(manifest)) return { dir: rootDir!, manifest, tools: ['cargo'] };
  }
  for (const anc of ancestors(dir)) {
    const rel = anc ? dir.slice(anc.length + 1) : dir;
    const candidates = doc.name === 'package.json' ? ['package.json', 'pnpm-workspace.yaml'] : doc.name === 'Cargo.toml' || doc.name === 'pyproject.toml' ? [doc.name] : [];
    for (const name of candidates) {
      const path = joinPath(anc, name);
      if (!project.has(path)) continue;
      const root = readManifest(project, path);
      if (root?.role === 'workspace' && matchesMembers(rel, root.workspaces)) return { dir: anc, manifest: path, tools: ['pnpm'] };
      const m = asManifest(root);
      if (m?.isWorkspaceRoot && matchesMembers(rel, m.workspaces ?? [], m.workspaceExclude)) return { dir: anc, manifest: path, tools: m.tools };
    }
  }
  return undefined;
}
