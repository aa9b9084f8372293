import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { writeNoFollow } from '../cli/write.js';

/** Larger files are not rewritten: nothing `fix` edits is near this size. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * The absolute path of `rel` (POSIX, relative to the root) when every folder on the way is a real folder and the file
 * a regular file: the checkout is hostile, and a symlink planted at `.github` or at the file must not take a write
 * outside the workspace (the final open adds O_NOFOLLOW for a swap in between).
 */
function checked(root: string, rel: string): string | { why: string } {
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return { why: 'not a plain path under the root' };
  let at = realpathSync(root);
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return { why: 'missing' };
    if (st.isSymbolicLink()) return { why: `${parts.slice(0, i + 1).join('/')} is a symlink; not followed` };
    if (i < parts.length - 1 ? !st.isDirectory() : !st.isFile()) return { why: 'not a regular file' };
  }
  return at;
}

/** Whether `rel` is a regular file inside the root (not through a symlink). */
export function fileInside(root: string, rel: string): boolean {
  return typeof checked(root, rel) === 'string';
}

/** The text of `rel`, read without following a symlink, or why not. */
export function readInside(root: string, rel: string): string | { why: string } {
  const abs = checked(root, rel);
  if (typeof abs !== 'string') return abs;
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { why: `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_BYTES) return { why: st.isFile() ? 'too large to rewrite' : 'not a regular file' };
    const buf = Buffer.alloc(st.size);
    for (let off = 0; off < st.size; ) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    const text = buf.toString('utf8');
    return Buffer.from(text, 'utf8').equals(buf) ? text : { why: 'not UTF-8 text' };
  } finally {
    closeSync(fd);
  }
}

/** Writes `rel` in place (same checks as reading); throws with the reason when it cannot. */
export function writeInside(root: string, rel: string, text: string): void {
  const abs = checked(root, rel);
  if (typeof abs !== 'string') throw new Error(`${rel}: ${abs.why}; nothing written`);
  writeNoFollow(abs, text);
}
