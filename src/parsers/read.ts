import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Why a file was not read as text. `cause` is what the scan decides on (a file of a kind the gate checks that it
 * cannot read is an `unchecked-file` finding, see parsers/unchecked.ts); `skip` is the short reason shown in notices.
 */
export interface Unread {
  skip: string;
  cause: 'size' | 'binary' | 'path-too-long' | 'symlink' | 'not-a-file' | 'missing' | 'unreadable';
}

/** Text that is not what it should be: UTF-8 with invalid bytes (decoded with replacement characters). */
export interface Flawed {
  text: string;
  invalidUtf8: true;
}

export interface ReadOptions {
  /** Follow a symlink at the path (discovery checked that it stays inside the root); otherwise a symlink is not opened. */
  follow?: boolean;
  /**
   * A file of a kind the gate checks: NUL bytes do not make it binary (the text comes back with them, and the caller
   * decides), and invalid UTF-8 comes back as Flawed rather than silently replaced.
   */
  strict?: boolean;
}

export const sizeReason = (max: number): string =>
  `larger than ${max % (1024 * 1024) === 0 ? `${max / 1024 / 1024} MiB` : max % 1024 === 0 ? `${max / 1024} KiB` : `${max} bytes`}`;

/** One read buffer per thread for the ordinary file; a file that fills it is read into its own buffer. */
const READ_CHUNK = 1024 * 1024;
let readBuffer: Buffer | undefined;
const UTF8 = new TextDecoder('utf-8');
const UTF16LE = new TextDecoder('utf-16le');
// O_NONBLOCK: a FIFO put where a file was listed opens at once and reads as empty instead of hanging the scan.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Reads a text file once: binary (a NUL in the first 8 KiB) and oversized files are skipped; UTF-16 with a BOM is decoded;
 * bad UTF-8 is replaced. A file smaller than the shared buffer is read with one `read` and no `fstat` (a short read of a
 * regular file is its end); a larger one is measured first, so an oversized file is never read whole.
 */
export function readTextFile(absPath: string, maxBytes: number, opts: ReadOptions = {}): string | Unread | Flawed {
  let fd: number | undefined;
  let buf: Buffer;
  try {
    fd = openSync(absPath, opts.follow ? OPEN_FLAGS : OPEN_FLAGS | constants.O_NOFOLLOW);
    const chunk = (readBuffer ??= Buffer.allocUnsafe(READ_CHUNK));
    const first = readSync(fd, chunk, 0, READ_CHUNK, 0);
    if (first < READ_CHUNK) {
      if (first > maxBytes) return { skip: sizeReason(maxBytes), cause: 'size' };
      buf = chunk.subarray(0, first);
    } else {
      const size = fstatSync(fd).size;
      if (size > maxBytes) return { skip: sizeReason(maxBytes), cause: 'size' };
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
  } catch (err) {
    return unreadable((err as NodeJS.ErrnoException).code);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeText(buf, opts.strict);
}

function unreadable(code: string | undefined): Unread {
  switch (code) {
    case 'ENAMETOOLONG':
      return { skip: 'path too long', cause: 'path-too-long' };
    case 'ELOOP': // O_NOFOLLOW met a symlink discovery did not list as one
      return { skip: 'symlink', cause: 'symlink' };
    case 'EISDIR':
    case 'EAGAIN':
      return { skip: 'not a regular file', cause: 'not-a-file' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { skip: 'unreadable', cause: 'missing' };
    default:
      return { skip: 'unreadable', cause: 'unreadable' };
  }
}

/** The text of a file's bytes (decoded into a new string: `buf` may be reused afterwards). */
export function decodeText(buf: Buffer, strict = false): string | Unread | Flawed {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return UTF16LE.decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const body = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    return UTF16LE.decode(body.swap16());
  }
  if (!strict) return buf.subarray(0, 8192).includes(0) ? { skip: 'binary', cause: 'binary' } : UTF8.decode(buf);
  const text = UTF8.decode(buf);
  return isUtf8(buf) ? text : { text, invalidUtf8: true };
}
