import type { Project } from '../core/types.js';
import { readLockfile, type LockEntry } from '../parsers/lockfiles/index.js';
import { dirOf, findWorkspaceRoot, joinPath, readManifest } from '../parsers/manifests/workspace.js';
import { isFullSha } from './git-deps.js';

/** The lockfiles that lock each manifest's git dependencies, in the order the tools prefer them. */
const LOCKS: Readonly<Record<string, readonly string[]>> = {
  'package.json': ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'],
  'pyproject.toml': ['poetry.lock', 'uv.lock'],
  Pipfile: ['Pipfile.lock'],
  'Cargo.toml': ['Cargo.lock'],
  Gemfile: ['Gemfile.lock'],
};

const pyName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * True when a lockfile entry fixes a git dependency to one commit: a full SHA, or the abbreviated commit bun.lock writes for
 * every git dependency (the tool's own format, which a maintainer cannot lengthen).
 */
export function locksCommit(format: string, e: Pick<LockEntry, 'source' | 'gitRef'>): boolean {
  if (e.source !== 'git') return false;
  return isFullSha(e.gitRef) || (format === 'bun' && e.gitRef !== undefined && /^[0-9a-f]{7,39}$/i.test(e.gitRef));
}

/**
 * The git dependencies (by name) that a lockfile beside the manifest, or at its workspace root, locks to a commit: installs
 * from that lockfile (`npm ci`, `yarn install`, `bundle install`, `cargo build`, `poetry install`, …) fetch that commit,
 * whatever branch or tag the manifest names.
 */
export function lockedGitNames(project: Project, manifestPath: string): ReadonlySet<string> {
  const name = manifestPath.slice(manifestPath.lastIndexOf('/') + 1);
  const names = LOCKS[name];
  const out = new Set<string>();
  if (!names) return out;
  const dir = dirOf(manifestPath);
  const dirs = [dir];
  const doc = name === 'Gemfile' || name === 'Pipfile' ? undefined : readManifest(project, manifestPath);
  const root = doc?.role === 'manifest' ? findWorkspaceRoot(project, doc) : undefined;
  if (root && root.dir !== dir) dirs.push(root.dir);
  const key = name === 'pyproject.toml' || name === 'Pipfile' ? pyName : (n: string) => n;
  for (const d of dirs) {
    for (const lockName of names) {
      const path = joinPath(d, lockName);
      const lock = project.has(path) ? readLockfile(project, path) : undefined;
      if (!lock) continue;
      for (const e of lock.entries) if (locksCommit(lock.format, e)) out.add(key(e.name));
    }
  }
  return out;
}

/** The same key `lockedGitNames` uses for a dependency declared in `manifestName`. */
export const lockKey = (manifestName: string, dep: string): string => (manifestName === 'pyproject.toml' || manifestName === 'Pipfile' ? pyName(dep) : dep);
