import { closeSync, constants, openSync, writeSync } from 'node:fs';
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
