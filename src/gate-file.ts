import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { MAX_GATE_FILE_BYTES } from './core/limits.js';

/**
 * The gate's own files (the config, the baseline) are data from the checkout, and the checkout may come
 * from the pull request being judged: a committed `.github/portcullis.yml → /proc/self/environ`, a
 * `baseline: /dev/zero` or a FIFO must not make the gate read (and echo) a runner file, grow without
 * bound, or block. So a gate file is read only as a regular file inside the workspace, and only its first
 * MAX_GATE_FILE_BYTES.
 */

export type GateFileProblem = 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

/** A gate file that was not read; the message says why and never quotes the file or where a link points. */
export class GateFileError extends Error {
  override name = 'GateFileError';
  constructor(
    readonly problem: GateFileProblem,
    message: string,
    /** The errno code for `missing` and `unreadable` (ENOENT, EACCES, …). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface GateFileOptions {
  /** The folder the file must stay inside, symlinks resolved: the workspace (action) or the scanned folder (CLI). */
  workspace: string;
  /** How messages name that folder ("the workspace", "the scanned folder"). */
  workspaceLabel: string;
  /**
   * The operator named this path on the command line: when it lies outside the workspace it is their file,
   * not the repository's, and may be read (still only as a regular file, still capped). A path inside the
   * workspace is held to the workspace whoever named it: the repository decides where its symlinks lead.
   */
  operatorNamed?: boolean;
}

/** True when `child` is `parent` or below it (lexically). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Something is at `path` (a file, a link, a FIFO, anything): the default config files are looked for with this, not by stat. */
export function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a config or baseline file as UTF-8 text: lstat, then the real path must stay inside the workspace,
 * then it must be a regular file of at most MAX_GATE_FILE_BYTES. Opened with O_NOFOLLOW and O_NONBLOCK (a FIFO
 * swapped in after the checks does not block), checked again with fstat, and read to at most the cap plus one
 * byte (files such as /proc's report a size of 0). Throws GateFileError.
 */
export function readGateFile(path: string, options: GateFileOptions): string {
  const target = resolve(path);
  const lexicalWs = resolve(options.workspace);
  const ws = realOr(lexicalWs);
  const within = isInside(lexicalWs, target) || isInside(ws, target);
  const where = options.workspaceLabel;
  if (!within && !options.operatorNamed) throw new GateFileError('outside', `it is outside ${where}`);
  let link: Stats;
  try {
    link = lstatSync(target);
  } catch (err) {
    throw errnoError(err);
  }
  let real: string;
  try {
    real = realpathSync(target);
  } catch (err) {
    // A dangling symlink: where it points is not our business.
    throw link.isSymbolicLink() ? new GateFileError('missing', 'it is a symlink to nothing', 'ENOENT') : errnoError(err);
  }
  if (within && !isInside(ws, real)) throw new GateFileError('outside', `it is a symlink that leads outside ${where}`);
  let st: Stats;
  try {
    st = statSync(real);
  } catch (err) {
    throw errnoError(err);
  }
  // Checked before opening: opening a FIFO or a device can block or have effects of its own.
  if (!st.isFile()) throw new GateFileError('not-regular', `it is ${kindOf(st)}, not a regular file`);
  if (st.size > MAX_GATE_FILE_BYTES) throw tooLarge();
  let fd: number;
  try {
    // The real path names no symlink; O_NOFOLLOW holds that, and O_NONBLOCK keeps a FIFO swapped in now from blocking.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw errnoError(err);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new GateFileError('not-regular', 'it is not a regular file');
    // Up to the cap plus one byte, whatever the size said (/proc files say 0; a file may grow meanwhile).
    const buf = Buffer.allocUnsafe(MAX_GATE_FILE_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_GATE_FILE_BYTES) throw tooLarge();
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (): GateFileError => new GateFileError('too-large', `it is larger than ${MAX_GATE_FILE_BYTES / 1024 / 1024} MiB`);

function errnoError(err: unknown): GateFileError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT' || code === 'ENOTDIR') return new GateFileError('missing', 'it does not exist', code);
  if (code === 'ELOOP') return new GateFileError('outside', 'it is a symlink (not followed)', code);
  return new GateFileError('unreadable', `it cannot be read (${code})`, code);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
