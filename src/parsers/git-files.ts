import { execFile } from 'node:child_process';

/** One path git lists under the scan root: tracked (with its index mode) or untracked and not ignored. */
export interface GitEntry {
  /** Relative to the scan root, POSIX separators, exactly as git stores it (decoded as UTF-8). */
  path: string;
  /** `link` for a tracked symlink, `file` for a tracked file, `untracked` when git has no mode for it. */
  type: 'file' | 'link' | 'untracked';
  /** Set when the stored name is not valid UTF-8: the file cannot be opened by the decoded name. */
  badName?: true;
}

/** Enough for ~4 million paths; a listing larger than this is not a repository the gate is meant for (the walk takes over). */
const MAX_OUTPUT = 256 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

/**
 * The git arguments, fixed (but for the pathspecs of named paths, after `--`). Nothing in the repository's config may run a program: `core.fsmonitor` (a hook command)
 * is forced off; ls-files runs no hooks, filters or textconv. `safe.directory=*`: a checkout owned by another user
 * (a container job running as root) would otherwise make git refuse, and the walk that replaces it honours
 * `.gitignore`. `--no-optional-locks`: never write the index.
 * `-t --stage`: a tag and the index mode per entry, so removed files (R), sparse-checkout entries not on disk (S) and
 * submodule gitlinks (mode 160000) are told apart without a stat.
 */
const GIT = [
  '--no-optional-locks',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.quotepath=off',
  '-c', 'safe.directory=*',
];
const LS_FILES = ['ls-files', '-z', '-t', '--stage'];
const TRACKED = ['--cached', '--deleted'];
const UNTRACKED = ['--others', '--exclude-standard'];

const UTF8 = new TextDecoder('utf-8');
const STRICT = new TextDecoder('utf-8', { fatal: true });

/**
 * The files git has under `root` (the current directory of the command, so paths come relative to it and only from
 * below it): every tracked file whatever `.gitignore` says, and the untracked files `.gitignore` does not hide.
 * Removed-but-tracked files, entries outside the sparse checkout and submodule gitlinks are left out.
 * `untrackedUnder`: untracked files only under these paths (relative to `root`), tracked files everywhere. A scan of a
 * few named files needs the whole tree as its neighbours' view, but not every untracked file of the repository
 * (a home folder kept in git would list them all).
 * Resolves to `{ failed }` with a one-line reason when git is missing, the folder is not in a work tree, or git fails.
 */
export async function gitFiles(root: string, untrackedUnder?: readonly string[]): Promise<{ entries: GitEntry[] } | { failed: string }> {
  if (untrackedUnder === undefined) {
    const all = await listing(root, [...GIT, ...LS_FILES, ...TRACKED, ...UNTRACKED]);
    return Buffer.isBuffer(all) ? { entries: parseListing(all) } : all;
  }
  const tracked = await listing(root, [...GIT, ...LS_FILES, ...TRACKED]);
  if (!Buffer.isBuffer(tracked)) return tracked;
  if (untrackedUnder.length === 0) return { entries: parseListing(tracked) };
  // Literal pathspecs: a file name with `*` or a leading `:` names that file, not a pattern.
  const untracked = await listing(root, [...GIT, '--literal-pathspecs', ...LS_FILES, ...UNTRACKED, '--', ...untrackedUnder]);
  if (!Buffer.isBuffer(untracked)) return untracked;
  return { entries: parseListing(Buffer.concat([tracked, untracked])) };
}

function listing(root: string, args: readonly string[]): Promise<Buffer | { failed: string }> {
  return new Promise((done) => {
    execFile('git', args, { cwd: root, encoding: 'buffer', maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, windowsHide: true, shell: false }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') return done({ failed: 'git is not installed' });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return done({ failed: 'git listed more than 256 MiB of paths' });
        if (e.killed) return done({ failed: `git did not answer within ${TIMEOUT_MS / 1000} s` });
        return done({ failed: firstLine(stderr) || `git exited with ${String(e.code)}` });
      }
      done(stdout);
    });
  });
}

/** The first line of git's message, printable ASCII only and short (it reaches the log and the reports). */
function firstLine(stderr: Buffer): string {
  const line = UTF8.decode(stderr.subarray(0, 400)).split('\n')[0] ?? '';
  return line.replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 160);
}

/**
 * `git ls-files -z -t --stage` records: `T MODE OID STAGE\tPATH` for index entries, `? PATH` for untracked ones.
 * An unmerged path has one record per stage; a removed one has its `H` record and an `R` record.
 */
export function parseListing(out: Buffer): GitEntry[] {
  const byPath = new Map<string, GitEntry>();
  const dropped = new Set<string>();
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    const rec = out.subarray(start, end);
    start = end + 1;
    if (rec.length < 3 || rec[1] !== 0x20) continue;
    const tag = String.fromCharCode(rec[0]!);
    let raw: Buffer;
    let mode = '';
    if (tag === '?') raw = rec.subarray(2);
    else {
      const tab = rec.indexOf(0x09);
      if (tab < 0) continue;
      mode = rec.subarray(2, rec.indexOf(0x20, 2)).toString('latin1');
      raw = rec.subarray(tab + 1);
    }
    let path: string;
    let badName = false;
    try {
      path = STRICT.decode(raw);
    } catch {
      path = UTF8.decode(raw);
      badName = true;
    }
    // Removed from the work tree, or outside the sparse checkout: not on disk. A gitlink is a submodule's commit.
    // An untracked path ending in `/` is a nested repository, whose files this repository does not track.
    if (tag === 'R' || tag === 'S' || mode === '160000' || path.endsWith('/')) {
      dropped.add(path);
      continue;
    }
    if (byPath.has(path)) continue;
    const type = tag === '?' ? 'untracked' : mode === '120000' ? 'link' : 'file';
    byPath.set(path, badName ? { path, type, badName: true } : { path, type });
  }
  return [...byPath.values()].filter((e) => !dropped.has(e.path));
}
