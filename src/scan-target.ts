/**
 * What a scan of named files and folders starts from. Files are classified, configured and reported from the
 * repository root, wherever the named paths are: `.github/workflows/ci.yml` is a workflow whether the user named the
 * repository, its `.github` folder or the one file, and the config is the repository's `.github/portcullis.yml`.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { isInside } from './gate-file.js';

export interface ScanTarget {
  /** The repository root: a real, absolute path. */
  root: string;
  /** The named paths relative to the root (POSIX separators); undefined when the whole root is named. A path not on disk is kept: the scan says it skipped it. */
  only?: string[];
}

/** A path that cannot be scanned as named: the message says which and why. */
export class TargetError extends Error {
  override name = 'TargetError';
}

export interface TargetOptions {
  /** The folder relative paths start from (a real path, as process.cwd() is). */
  cwd: string;
  /** The root, when the user names it (the CLI's --root): then every path must be inside it. */
  root?: string;
  /**
   * The folder the root may not leave (the action's workspace): the root is the outermost folder from it down towards
   * the named paths that holds `.git`, else the workspace itself, and every path must be inside it. Outermost, not
   * nearest: a nested repository (a submodule a pull request can repoint) never becomes the root, so its config and
   * its `.github/workflows/` do not govern the scan.
   */
  workspace?: string;
}

/**
 * The root and the named paths under it. The root is the nearest folder at or above the named paths (as written, not
 * through symlinks) that holds `.git` (a folder, or the file a worktree or submodule has); else their common folder,
 * or the folder above a `.github` folder it is in, so that workflows are still workflows outside git. Every named
 * path must lead, after symlinks, to somewhere inside the root: a folder symlink that leads out of it is refused,
 * and a named file that is a symlink is named as it is (the scan checks where it leads, as it does any symlink).
 * With `workspace` (the action), the root is found below the workspace instead (see TargetOptions.workspace).
 * Throws TargetError when no named path exists, or one is outside the root.
 */
export function resolveTarget(paths: readonly string[], options: TargetOptions): ScanTarget {
  const cwd = realpathSync(options.cwd);
  // No path: the root the user named, else the working directory.
  const named = (paths.length > 0 ? paths : [options.root ?? '.']).map((p) => {
    if (p.includes('\0')) throw new TargetError(`a path contains a NUL character: ${JSON.stringify(p)}`);
    return { given: p, written: resolve(cwd, p), ...realNamed(resolve(cwd, p)) };
  });
  if (named.every((n) => !n.exists)) throw new TargetError(`no such file or directory: ${named.map((n) => n.given).join(', ')}`);
  const start = commonFolder(named.map((n) => (n.isDirectory ? n.written : dirname(n.written))));
  let root: string;
  if (options.root !== undefined) {
    root = realDirectory(resolve(cwd, options.root), options.root);
  } else if (options.workspace !== undefined) {
    const workspace = realDirectory(resolve(cwd, options.workspace), options.workspace);
    root = repositoryBelow(workspace, start);
  } else {
    root = realpathSync(repositoryAbove(start, cwd) ?? outsideGitHubFolder(existingAbove(start)));
  }
  const only: string[] = [];
  const outside = (path: string): boolean => !isInside(root, path);
  for (const n of named) {
    const rel = relative(root, n.real);
    if (n.target !== undefined && !outside(n.real) && outside(n.target)) throw new TargetError(`${n.given} is a symlink that leads outside the root ${root}; not scanned`);
    if (outside(n.real)) {
      const lexical = relative(root, n.written);
      const through = !(lexical === '..' || lexical.startsWith(`..${sep}`) || isAbsolute(lexical));
      throw new TargetError(through ? `${n.given} leads outside the root ${root} through a symlink; not scanned` : `${n.given} is outside the root ${root}`);
    }
    only.push(rel.split(sep).join('/'));
  }
  return { root, ...(only.includes('') ? {} : { only: [...new Set(only)] }) };
}

/**
 * A named path with its folders' symlinks resolved. A named file keeps its own name (a symlink inside the root is
 * checked as the scan checks symlinks, not replaced by its target; `target` is where it leads, when it leads
 * anywhere); a missing one keeps the part that does not exist.
 */
function realNamed(abs: string): { real: string; exists: boolean; isDirectory: boolean; target?: string } {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st && statSync(abs, { throwIfNoEntry: false })?.isDirectory()) return { real: realpathSync(abs), exists: true, isDirectory: true };
  const target = st?.isSymbolicLink() ? realOrSelf(abs) : undefined;
  let head = dirname(abs);
  let tail = basename(abs);
  while (!lstatSync(head, { throwIfNoEntry: false }) && head !== dirname(head)) {
    tail = join(basename(head), tail);
    head = dirname(head);
  }
  return { real: join(realpathSync(head), tail), exists: st !== undefined, isDirectory: false, ...(target !== undefined && target !== abs ? { target } : {}) };
}

function realDirectory(abs: string, given: string): string {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    throw new TargetError(`no such directory: ${given}`);
  }
  if (!statSync(real).isDirectory()) throw new TargetError(`not a directory: ${given}`);
  return real;
}

/** The deepest folder that holds every one of `dirs` (absolute paths). */
export function commonFolder(dirs: readonly string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== d && !d.startsWith(common.endsWith(sep) ? common : common + sep)) common = dirname(common);
  }
  return common;
}

/**
 * The nearest folder at or above `start` that holds `.git`. A `.git` seen through a folder symlink below the working
 * directory is another repository's (`vendor/lib -> /elsewhere/repo`): the search goes on above the link, and the named
 * path is then refused as leading out of the root.
 */
function repositoryAbove(start: string, cwd: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    // Below the (real) working directory, a folder reached through no symlink is its own real path.
    const throughLink = dir.startsWith(cwd + sep) && realOrSelf(dir) !== dir;
    if (!throughLink && lstatSync(join(dir, '.git'), { throwIfNoEntry: false })) return dir;
    if (dir === parse(dir).root) return undefined;
  }
}

/**
 * The outermost folder from `workspace` (a real path) down to `start` that holds `.git`, else `workspace`. The walk
 * does not descend through a symlink (a linked folder's `.git` is another repository's), nor out of the workspace.
 */
function repositoryBelow(workspace: string, start: string): string {
  if (!isInside(workspace, start)) return workspace;
  let dir = workspace;
  for (const part of ['', ...relative(workspace, start).split(sep).filter(Boolean)]) {
    dir = join(dir, part);
    if (realOrSelf(dir) !== dir) break;
    if (lstatSync(join(dir, '.git'), { throwIfNoEntry: false })) return dir;
  }
  return workspace;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The nearest folder at or above `dir` that exists (a deleted file's folder may be gone too). */
function existingAbove(dir: string): string {
  while (!lstatSync(dir, { throwIfNoEntry: false }) && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

/** `start`, or the folder above the innermost `.github` folder it is in. */
function outsideGitHubFolder(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) if (basename(dir) === '.github') return dirname(dir);
  return start;
}
