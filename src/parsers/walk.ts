import { readdirSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { Minimatch } from 'minimatch';

/** A file that discovery or reading passed over, with a short reason used to group them in one notice. */
export interface Skipped {
  path: string;
  reason: string;
}

/** A file to scan; `link` when the path is a symlink (checked to lead to a file inside the root) that reading may follow. */
export interface Listed {
  path: string;
  link?: true;
}

export interface DiscoverOptions {
  /** Called once, as soon as this many files have been listed (the scan starts its worker threads then). */
  enough?: { files: number; then: () => void };
  /** Globs relative to the root (minimatch, dot files included); a glob matching a directory excludes its subtree. */
  exclude: readonly string[];
}

/** Directories never worth scanning: VCS data, installed dependencies, virtualenvs, tool caches. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', 'vendor', 'third_party', 'bower_components', '.venv', 'venv', '__pycache__', '.tox', '.terraform']);

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A .gitignore (or .git/info/exclude) and the directory its patterns are relative to ('' is the root). */
interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

/**
 * The `exclude` globs (relative to the root, minimatch, dot files included) as one test of a file, or of a folder when
 * `isDir` (a glob naming the folder, `vendor` or `vendor/**`, covers it). Discovery, the walk and the base view all use it.
 */
export function excludeGlobs(exclude: readonly string[]): (rel: string, isDir: boolean) => boolean {
  const globs = exclude.map((g) => new Minimatch(g.replace(/^\.\//, '').replace(/\/+$/, ''), { dot: true }));
  return (rel, isDir) => globs.some((m) => m.match(rel) || (isDir && m.match(`${rel}/`)));
}

/** Whether a file path, or a folder above it, is excluded (see excludeGlobs). */
export function excludedPath(exclude: readonly string[]): (path: string) => boolean {
  const excluded = excludeGlobs(exclude);
  return (path) => {
    for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) if (excluded(path.slice(0, end), true)) return true;
    return excluded(path, false);
  };
}

/**
 * The listing outside git (see discover): walks `root` and returns the files to scan (relative POSIX paths, sorted) and what was skipped.
 * Honours .gitignore at every level and .git/info/exclude, never leaves the root through a symlink,
 * and never throws for an unreadable directory (it is reported as skipped). Throws only when the root itself is missing.
 * Files are not stat'ed: the directory entry says what is a file, and the size limit is applied by readTextFile to
 * the files the scan actually reads (a stat per file was a third of the walk on a 100,000-file tree).
 */
export async function walk(root: string, opts: DiscoverOptions): Promise<{ files: Listed[]; skipped: Skipped[] }> {
  const rootReal = await realpath(root);
  const files: Listed[] = [];
  const skipped: Skipped[] = [];
  const excluded = excludeGlobs(opts.exclude);
  const visited = new Set<string>([rootReal]);
  /** Directory symlinks inside the root, followed after the plain walk so each real directory is listed under its own path first. */
  const deferred: { rel: string; real: string; levels: IgnoreLevel[] }[] = [];

  const base: IgnoreLevel[] = [];
  const infoExclude = await readFile(join(rootReal, '.git', 'info', 'exclude'), 'utf8').catch(() => undefined);
  if (infoExclude !== undefined) base.push({ base: '', rules: ignore().add(infoExclude) });

  const insideRoot = (real: string): boolean => real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);

  async function visit(rel: string, real: string, inherited: IgnoreLevel[]): Promise<void> {
    let entries;
    try {
      entries = readdirSync(real, { withFileTypes: true });
    } catch {
      skipped.push({ path: rel || '.', reason: 'unreadable' });
      return;
    }
    let levels = inherited;
    if (entries.some((e) => e.name === '.gitignore' && (e.isFile() || e.isSymbolicLink()))) {
      const text = await readFile(join(real, '.gitignore'), 'utf8').catch(() => undefined);
      if (text !== undefined) levels = [...inherited, { base: rel, rules: ignore().add(text) }];
    }
    // `real` is a real path and an entry name has no separator: joining is concatenation (path.join normalises, at a cost per entry).
    const prefix = real.endsWith(sep) ? real : real + sep;
    const subdirs: [string, string][] = [];
    for (const entry of entries) {
      const name = entry.name;
      const childRel = rel ? `${rel}/${name}` : name;
      const childAbs = prefix + name;
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(name) || isIgnored(levels, childRel, true) || excluded(childRel, true)) continue;
        subdirs.push([childRel, childAbs]);
      } else if (entry.isSymbolicLink()) {
        if (isIgnored(levels, childRel, false) || excluded(childRel, false)) continue;
        let target: string;
        try {
          target = await realpath(childAbs);
        } catch (err) {
          skipped.push({ path: childRel, reason: (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'symlink loop' : 'broken symlink' });
          continue;
        }
        if (!insideRoot(target)) {
          skipped.push({ path: childRel, reason: 'symlink outside the root' });
          continue;
        }
        const st = await stat(target).catch(() => undefined);
        if (!st) skipped.push({ path: childRel, reason: 'unreadable' });
        else if (st.isDirectory()) {
          // A link to the directory it sits in, or above it (`self -> .`, `up -> ..`), would list the tree again forever.
          if (target === real || real.startsWith(target.endsWith(sep) ? target : target + sep)) skipped.push({ path: childRel, reason: 'symlink loop' });
          else if (!SKIP_DIRS.has(name) && !isIgnored(levels, childRel, true) && !excluded(childRel, true)) deferred.push({ rel: childRel, real: target, levels });
        } else if (st.isFile()) files.push({ path: childRel, link: true });
      } else if (entry.isFile()) {
        if (name === '.git' || isIgnored(levels, childRel, false) || excluded(childRel, false)) continue;
        files.push({ path: childRel });
      }
    }
    if (opts.enough && files.length >= opts.enough.files) {
      const { then } = opts.enough;
      opts = { ...opts, enough: undefined };
      then();
    }
    for (const [childRel, childAbs] of subdirs) {
      visited.add(childAbs);
      await visit(childRel, childAbs, levels);
    }
  }

  await visit('', rootReal, base);
  // Each real directory is walked once, so symlink loops and links to already-scanned folders end here.
  while (deferred.length > 0) {
    deferred.sort((a, b) => cmp(b.rel, a.rel));
    const next = deferred.pop()!;
    const parts = next.real.slice(rootReal.length).split(sep);
    if (visited.has(next.real) || parts.some((p) => SKIP_DIRS.has(p))) continue;
    visited.add(next.real);
    await visit(next.rel, next.real, next.levels);
  }
  files.sort((a, b) => cmp(a.path, b.path));
  skipped.sort((a, b) => cmp(a.path, b.path));
  return { files, skipped };
}

/** Git precedence: the deepest .gitignore with a matching pattern decides; a negation there re-includes. */
function isIgnored(levels: readonly IgnoreLevel[], rel: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const sub = level.base ? rel.slice(level.base.length + 1) : rel;
    let result;
    try {
      result = level.rules.test(isDir ? `${sub}/` : sub);
    } catch {
      continue;
    }
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
