import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from './args.js';

/**
 * Writes a file without following a symlink at its name (the scanned tree may have planted one where the baseline
 * goes), nor blocking on a FIFO. `exclusive`: fail when the file exists (init without --force), decided by the open
 * itself (O_EXCL) rather than a check before it.
 */
export function writeNoFollow(path: string, text: string, options: { exclusive?: boolean } = {}): void {
  let fd: number;
  const flags = options.exclusive ? constants.O_CREAT | constants.O_EXCL : constants.O_CREAT | constants.O_TRUNC;
  try {
    fd = openSync(path, constants.O_WRONLY | flags | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ELOOP' ? 'it is a symlink; not followed' : code === 'EEXIST' ? 'it exists; --force replaces it' : code;
    throw new UsageError(`cannot write ${path} (${why})`);
  }
  try {
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the folders of `file` (relative to `root`, POSIX) one by one, never through a symlink: a checkout can
 * plant `.github -> /somewhere` so that a recursive mkdir and the write after it land outside the repository.
 * Returns the file's absolute path under the real root.
 */
export function folderInside(root: string, file: string): string {
  const realRoot = realpathSync(root);
  const parts = file.split('/');
  let dir = realRoot;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    let st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) {
      try {
        mkdirSync(dir, { mode: 0o755 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot create ${relative(realRoot, dir)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      st = lstatSync(dir);
    }
    if (st.isSymbolicLink()) throw new UsageError(`${relative(realRoot, dir)} is a symlink; nothing is written through it`);
    if (!st.isDirectory()) throw new UsageError(`${relative(realRoot, dir)} is not a folder`);
  }
  // A folder swapped for a symlink between the checks above and here still cannot take the write outside the root.
  const real = realpathSync(dir);
  const rel = relative(realRoot, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new UsageError(`${parts.slice(0, -1).join('/')} leads outside ${realRoot}; nothing written`);
  return join(real, parts.at(-1)!);
}
