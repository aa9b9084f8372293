import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { Minimatch } from 'minimatch';
import { gitFiles, type GitEntry } from './git-files.js';
import { cmp, SKIP_DIRS, walk, type DiscoverOptions, type Listed, type Skipped } from './walk.js';

export type { DiscoverOptions, Listed, Skipped };

export interface Discovered {
  /** Relative POSIX paths, sorted by code unit. */
  files: Listed[];
  skipped: Skipped[];
  /**
   * Files under a SKIP_DIRS folder that git tracks (vendored code): not scanned, except a Dockerfile that a compose file
   * or workflow of the tree builds (see scan.ts). Empty outside git, where the walk does not enter those folders.
   */
  vendored: Listed[];
  /** Set when git could not list the files and the folder was walked instead: says so, and why. */
  fallback?: string;
  /** Named paths (see NamedDiscoverOptions.only) that are not on disk: a file deleted since it was named. */
  missing: string[];
  /** Named paths that an exclude glob (the option or the config's `paths.exclude`) covers: not scanned. */
  excluded?: string[];
}

export interface NamedDiscoverOptions extends DiscoverOptions {
  /**
   * Paths under the root (relative, POSIX) that the scan checks: files or folders the user named. The whole tree is
   * still listed (the rules read neighbours through it); a named file is listed even when git ignores it or it is
   * untracked, and a named file or folder under a vendored folder is not taken for vendored code.
   */
  only?: readonly string[];
}

/**
 * The files to scan under `root`. In a git checkout they are the ones git lists: every tracked file whatever any
 * `.gitignore` says (a pull request can add a `.gitignore`; only untracked files may be hidden by one), plus the
 * untracked files no ignore rule hides (with `only`: under the named paths). Outside git, or when git is missing or
 * fails, the folder is walked as before (honouring `.gitignore`) and `fallback` says so. Either way no symlink is
 * followed out of the root. Throws only when the root itself is missing.
 */
export async function discover(root: string, opts: NamedDiscoverOptions): Promise<Discovered> {
  const rootReal = await realpath(root);
  const named = opts.only?.map((p) => p.replace(/\/+$/, ''));
  const present = named?.filter((p) => lstatSync(p === '' ? rootReal : `${rootReal}${sep}${p}`, { throwIfNoEntry: false }) !== undefined);
  const onDisk = new Set(present);
  const missing = named?.filter((p) => !onDisk.has(p)) ?? [];
  const whole = present === undefined || present.includes('');
  const listed = await gitFiles(rootReal, whole ? undefined : present);
  if ('failed' in listed) {
    const walked = await walk(rootReal, opts);
    const fallback =
      `files listed by walking the folder, not from git (${listed.failed}): ` +
      '`.gitignore` files were honoured, so a file one of them names was not checked';
    return addNamed(rootReal, { ...walked, vendored: [], fallback, missing }, whole ? [] : present, opts);
  }
  if (whole && listed.entries.length === 0 && hasFiles(rootReal)) {
    // A folder git ignores as a whole (output a workflow step wrote, such as rendered manifests, named in a .gitignore
    // the pull request may have added): the gate was pointed at it, so it is read as it is.
    const walked = await walk(rootReal, opts);
    return { ...walked, vendored: [], fallback: IGNORED_FOLDER, missing };
  }
  const forced = (present ?? []).filter((p) => p.split('/').some((d) => SKIP_DIRS.has(d)));
  const found = await addNamed(rootReal, { ...fromGit(rootReal, listed.entries, opts.exclude, forced), missing }, whole ? [] : present, opts);
  if (opts.enough && found.files.length >= opts.enough.files) opts.enough.then();
  return found;
}

/**
 * The named paths the listing left out: a file git ignores (or the walk passed over) is read, since the user named it;
 * a named folder with nothing listed under it (ignored as a whole, or vendored) is walked, as a root git ignores is.
 */
async function addNamed(rootReal: string, found: Discovered, named: readonly string[], opts: DiscoverOptions): Promise<Discovered> {
  if (named.length === 0) return found;
  const listed = new Set([...found.files.map((f) => f.path), ...found.skipped.map((k) => k.path)]);
  const has = (dir: string) => found.files.some((f) => f.path.startsWith(`${dir}/`));
  const excluded = excludedBy(opts.exclude);
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  const insideRoot = (real: string): boolean => real === rootReal || real.startsWith(prefix);
  const added: Listed[] = [];
  let walkedAny = false;
  const out: string[] = [];
  for (const p of named) {
    if (excluded(p)) out.push(p);
    if (listed.has(p) || excluded(p)) continue;
    const abs = prefix + p;
    if (!lstatSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      const one = linkOrFile(abs, insideRoot);
      if (typeof one === 'string') found.skipped.push({ path: p, reason: one });
      else if (one) added.push(one.link ? { path: p, link: true } : { path: p });
    } else if (!has(p) && hasFiles(abs)) {
      const walked = await walk(abs, { exclude: [] });
      for (const f of walked.files) if (!excluded(`${p}/${f.path}`)) added.push({ ...f, path: `${p}/${f.path}` });
      for (const k of walked.skipped) found.skipped.push({ ...k, path: `${p}/${k.path}` });
      walkedAny = true;
    }
  }
  if (out.length > 0) found = { ...found, excluded: out };
  if (added.length === 0) return found;
  const files = [...found.files, ...added].sort((a, b) => cmp(a.path, b.path));
  return { ...found, files, ...(walkedAny && !found.fallback ? { fallback: IGNORED_FOLDER } : {}) };
}

const IGNORED_FOLDER = 'git tracks no file in this folder and ignores all the others: files listed by walking the folder';

/** Whether a path, or a folder above it, matches one of the exclude globs. */
export function excludedBy(exclude: readonly string[]): (path: string) => boolean {
  const globs = exclude.map((g) => new Minimatch(g.replace(/^\.\//, '').replace(/\/+$/, ''), { dot: true }));
  return (path) => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (globs.some((m) => m.match(p) || (i < parts.length && m.match(`${p}/`)))) return true;
    }
    return false;
  };
}

/** Whether a folder holds anything besides git's own metadata. */
function hasFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => name !== '.git');
  } catch {
    return false;
  }
}

interface DirInfo {
  excluded: boolean;
  vendored: boolean;
  /** Why files under it cannot be read safely (a symlink on the way), or undefined. Decided on first use. */
  problem?: string | null;
}

/** `forced`: named paths under a vendored folder; what is under them is scanned as the user asked. */
function fromGit(rootReal: string, entries: readonly GitEntry[], exclude: readonly string[], forced: readonly string[]): Omit<Discovered, 'missing'> {
  const files: Listed[] = [];
  const vendored: Listed[] = [];
  const skipped: Skipped[] = [];
  const globs = exclude.map((g) => new Minimatch(g.replace(/^\.\//, '').replace(/\/+$/, ''), { dot: true }));
  const excluded = (rel: string, isDir: boolean): boolean => globs.some((m) => m.match(rel) || (isDir && m.match(`${rel}/`)));
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  const insideRoot = (real: string): boolean => real === rootReal || real.startsWith(prefix);
  const dirs = new Map<string, DirInfo>([['', { excluded: false, vendored: false, problem: null }]]);
  const dirInfo = (dir: string): DirInfo => {
    let info = dirs.get(dir);
    if (info) return info;
    const cut = dir.lastIndexOf('/');
    const parent = dirInfo(cut < 0 ? '' : dir.slice(0, cut));
    const name = dir.slice(cut + 1);
    info = { excluded: parent.excluded || excluded(dir, true), vendored: parent.vendored || SKIP_DIRS.has(name) };
    dirs.set(dir, info);
    return info;
  };
  // Git never checks a file out through a symlinked folder; a folder that is one now was changed after the checkout.
  const dirProblem = (dir: string, info: DirInfo): string | null => {
    if (info.problem !== undefined) return info.problem;
    const cut = dir.lastIndexOf('/');
    const parent = cut < 0 ? '' : dir.slice(0, cut);
    const above = dirProblem(parent, dirInfo(parent));
    if (above) return (info.problem = above);
    try {
      const real = realpathSync.native(prefix + dir);
      info.problem = real === prefix + dir ? null : insideRoot(real) ? 'symlink in the path' : 'symlink outside the root';
    } catch (err) {
      info.problem = (err as NodeJS.ErrnoException).code === 'ENAMETOOLONG' ? 'path too long' : 'unreadable';
    }
    return info.problem;
  };

  for (const e of entries) {
    const cut = e.path.lastIndexOf('/');
    const dir = cut < 0 ? '' : e.path.slice(0, cut);
    const info = dirInfo(dir);
    if (info.excluded || excluded(e.path, false)) continue;
    const isVendored = info.vendored && !forced.some((f) => e.path === f || e.path.startsWith(`${f}/`));
    const out = isVendored ? vendored : files;
    const problem = e.badName ? 'file name is not valid UTF-8' : dirProblem(dir, info);
    if (problem) {
      if (!isVendored) skipped.push({ path: e.path, reason: problem });
      continue;
    }
    if (e.type === 'file') {
      out.push({ path: e.path });
      continue;
    }
    const listed = linkOrFile(prefix + e.path, insideRoot);
    if (typeof listed === 'string') {
      if (!isVendored) skipped.push({ path: e.path, reason: listed });
    } else if (listed) out.push(listed.link ? { path: e.path, link: true } : { path: e.path });
  }
  files.sort((a, b) => cmp(a.path, b.path));
  vendored.sort((a, b) => cmp(a.path, b.path));
  skipped.sort((a, b) => cmp(a.path, b.path));
  return { files, skipped, vendored };
}

/**
 * A tracked symlink or an untracked path (git gives no type for those): a file, a symlink to a file inside the root,
 * nothing to scan (a folder, a socket, gone since the listing), or the reason it is skipped.
 */
function linkOrFile(abs: string, insideRoot: (real: string) => boolean): { link: boolean } | string | undefined {
  let st;
  try {
    st = lstatSync(abs);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENAMETOOLONG' ? 'path too long' : undefined;
  }
  if (st.isFile()) return { link: false };
  if (!st.isSymbolicLink()) return undefined;
  let target: string;
  try {
    target = realpathSync.native(abs);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'symlink loop' : 'broken symlink';
  }
  if (!insideRoot(target)) return 'symlink outside the root';
  // A symlink to a folder: git lists that folder's files under their own paths.
  const real = statSync(target, { throwIfNoEntry: false });
  return real?.isFile() ? { link: true } : undefined;
}
