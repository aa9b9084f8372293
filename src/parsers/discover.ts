import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { Minimatch } from 'minimatch';

/** A file that discovery or reading passed over, with a short reason used to group them in one notice. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface DiscoverOptions {
  /** Called once, as soon as this many files have been listed (the scan starts its worker threads then). */
  enough?: { files: number; then: () => void };
  /** Globs relative to the root (minimatch, dot files included); a glob matching a directory excludes its subtree. */
  exclude: readonly string[];
}

/** Directories never worth scanning: VCS data, installed dependencies, virtualenvs, tool caches. */
export const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', 'third_party', 'bower_components', '.venv', 'venv', '__pycache__', '.tox', '.terraform']);

/** A .gitignore (or .git/info/exclude) and the directory its patterns are relative to ('' is the root). */
interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

export const sizeReason = (max: number): string =>
  `larger than ${max % (1024 * 1024) === 0 ? `${max / 1024 / 1024} MiB` : max % 1024 === 0 ? `${max / 1024} KiB` : `${max} bytes`}`;

/**
 * Walks `root` and returns the files to scan (relative POSIX paths, sorted) and what was skipped.
 * Honours .gitignore at every level and .git/info/exclude, never leaves the root through a symlink,
 * and never throws for an unreadable directory (it is reported as skipped). Throws only when the root itself is missing.
 * Files are not stat'ed: the directory entry says what is a file, and the size limit is applied by readTextFile to
 * the files the scan actually reads (a stat per file was a third of the walk on a 100,000-file tree).
 */
export async function discover(root: string, opts: DiscoverOptions): Promise<{ files: { path: string }[]; skipped: Skipped[] }> {
  const rootReal = await realpath(root);
  const files: { path: string }[] = [];
  const skipped: Skipped[] = [];
  const excludes = opts.exclude.map((g) => new Minimatch(g.replace(/^\.\//, '').replace(/\/+$/, ''), { dot: true }));
  const excluded = (rel: string, isDir: boolean): boolean =>
    excludes.some((m) => m.match(rel) || (isDir && m.match(`${rel}/`)));
  const visited = new Set<string>([rootReal]);
  /** Directory symlinks inside the root, followed after the plain walk so each real directory is listed under its own path first. */
  const deferred: { rel: string; real: string; levels: IgnoreLevel[] }[] = [];

  const base: IgnoreLevel[] = [];
  const infoExclude = await readFile(join(rootReal, '.git', 'info', 'exclude'), 'utf8').catch(() => undefined);
  if (infoExclude !== undefined) base.push({ base: '', rules: ignore().add(infoExclude) });

  const insideRoot = (real: string): boolean => real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);

  async function walk(rel: string, real: string, inherited: IgnoreLevel[]): Promise<void> {
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
        } else if (st.isFile()) files.push({ path: childRel });
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
      await walk(childRel, childAbs, levels);
    }
  }

  await walk('', rootReal, base);
  // Each real directory is walked once, so symlink loops and links to already-scanned folders end here.
  while (deferred.length > 0) {
    deferred.sort((a, b) => cmp(b.rel, a.rel));
    const next = deferred.pop()!;
    const parts = next.real.slice(rootReal.length).split(sep);
    if (visited.has(next.real) || parts.some((p) => SKIP_DIRS.has(p))) continue;
    visited.add(next.real);
    await walk(next.rel, next.real, next.levels);
  }
  files.sort((a, b) => cmp(a.path, b.path));
  skipped.sort((a, b) => cmp(a.path, b.path));
  return { files, skipped };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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

/** One read buffer per thread for the ordinary file; a file that fills it is read into its own buffer. */
const READ_CHUNK = 1024 * 1024;
let readBuffer: Buffer | undefined;
const UTF8 = new TextDecoder('utf-8');
const UTF16LE = new TextDecoder('utf-16le');

/**
 * Reads a text file once: binary (a NUL in the first 8 KiB) and oversized files are skipped; UTF-16 with a BOM is decoded;
 * bad UTF-8 is replaced. A file smaller than the shared buffer is read with one `read` and no `fstat` (a short read of a
 * regular file is its end); a larger one is measured first, so an oversized file is never read whole.
 */
export function readTextFile(absPath: string, maxBytes: number): string | { skip: string } {
  let fd: number | undefined;
  let buf: Buffer;
  try {
    fd = openSync(absPath, 'r');
    const chunk = (readBuffer ??= Buffer.allocUnsafe(READ_CHUNK));
    const first = readSync(fd, chunk, 0, READ_CHUNK, 0);
    if (first < READ_CHUNK) {
      if (first > maxBytes) return { skip: sizeReason(maxBytes) };
      buf = chunk.subarray(0, first);
    } else {
      const size = fstatSync(fd).size;
      if (size > maxBytes) return { skip: sizeReason(maxBytes) };
      buf = Buffer.allocUnsafe(Math.max(size, first));
      chunk.copy(buf, 0, 0, first);
      let read = first;
      while (read < size) {
        const n = readSync(fd, buf, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      buf = buf.subarray(0, read);
    }
  } catch {
    return { skip: 'unreadable' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeText(buf);
}

/** The text of a file's bytes (decoded into a new string: `buf` may be reused afterwards). */
export function decodeText(buf: Buffer): string | { skip: string } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return UTF16LE.decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const body = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    return UTF16LE.decode(body.swap16());
  }
  if (buf.subarray(0, 8192).includes(0)) return { skip: 'binary' };
  return UTF8.decode(buf);
}
