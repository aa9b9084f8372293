/**
 * Runs git for the base revision (see base.ts): `execFile` with a fixed program and an argument array, no
 * shell, bounded time and output. Nothing from the repository may run: hooks, fsmonitor, credential
 * helpers and submodule recursion are switched off on the command line, the inherited `GIT_*` variables
 * are dropped (a runner's GIT_DIR, GIT_TRACE or GIT_CONFIG_* must not redirect or log these commands),
 * and only plumbing that reads objects is used (no checkout, so no smudge filter or LFS hook).
 */
import { execFile } from 'node:child_process';

/** Config for every command: nothing the repository's or the runner's config names is executed. */
const SAFE_CONFIG = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'credential.helper=',
  'protocol.ext.allow=never',
  'submodule.recurse=false',
  'fetch.recurseSubmodules=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

export interface GitOptions {
  /** The directory git starts from. */
  cwd: string;
  /** Git never looks for a repository above this directory (GIT_CEILING_DIRECTORIES). */
  ceiling: string;
  timeoutMs?: number;
  maxBytes?: number;
  input?: string;
  /**
   * Config for this one command only, passed through GIT_CONFIG_COUNT/KEY/VALUE in the child's environment:
   * never on the command line (where other processes could read it) and never written to .git/config.
   */
  secretConfig?: readonly (readonly [string, string])[];
  /** Strings to cut out of any error text (a token). */
  redact?: readonly string[];
}

/** git failed, timed out or is missing; the message is one short line, credentials cut out. */
export class GitError extends Error {
  override name = 'GitError';
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** The child's environment: the runner's, minus every GIT_* variable, plus what makes git non-interactive. */
export function gitEnv(
  ceiling: string,
  secretConfig: readonly (readonly [string, string])[] = [],
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!/^GIT_/i.test(k)) out[k] = v;
  out['GIT_TERMINAL_PROMPT'] = '0';
  out['GIT_CEILING_DIRECTORIES'] = ceiling;
  out['GIT_NO_REPLACE_OBJECTS'] = '1';
  out['GIT_OPTIONAL_LOCKS'] = '0';
  out['GCM_INTERACTIVE'] = 'never';
  out['LC_ALL'] = 'C';
  if (secretConfig.length > 0) {
    out['GIT_CONFIG_COUNT'] = String(secretConfig.length);
    secretConfig.forEach(([key, value], i) => {
      out[`GIT_CONFIG_KEY_${i}`] = key;
      out[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return out;
}

export function runGit(args: readonly string[], opts: GitOptions): Promise<Buffer> {
  const argv = [...SAFE_CONFIG.flatMap((c) => ['-c', c]), ...args];
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      argv,
      {
        cwd: opts.cwd,
        env: gitEnv(opts.ceiling, opts.secretConfig),
        encoding: 'buffer',
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: opts.maxBytes ?? DEFAULT_MAX_BYTES,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown };
        let why: string;
        if (e.code === 'ENOENT') why = 'git is not installed';
        else if (e.killed && e.signal === 'SIGKILL' && /maxBuffer/i.test(e.message)) why = 'its output is too large';
        else if (e.killed || e.signal === 'SIGKILL') why = `no answer within ${Math.round(timeout / 1000)} s`;
        else if (/maxBuffer/i.test(e.message)) why = 'its output is too large';
        else why = firstLine(stderr.toString('utf8')) || `exit code ${String(e.code)}`;
        reject(new GitError(`git ${args.find((a) => !a.startsWith('-')) ?? ''}: ${clean(why, opts.redact)}`));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
}

/** One line, no credentials: given secrets and URL userinfo are cut, control characters dropped, at most 200 characters. */
function clean(text: string, redact: readonly string[] = []): string {
  let out = text;
  for (const s of redact) if (s) out = out.split(s).join('***');
  out = out.replace(/(\/\/)[^/@\s]+@/g, '$1***@').replace(/[\p{Cc}]/gu, ' ');
  return out.length > 200 ? `${out.slice(0, 199)}…` : out;
}

/**
 * The blobs `names` name (object ids or `<rev>:<path>`), read as objects in two `cat-file` runs (no checkout, no
 * filters): each blob's bytes, or `{ size }` for one larger than `maxEach`; a name that is not a blob is absent.
 * `tooMuch` is thrown, before the bytes are read, when the blobs to read hold more than `maxTotal` bytes.
 */
export async function readBlobs(
  names: readonly string[],
  opts: GitOptions,
  limits: { maxEach: number; maxTotal?: number; tooMuch?: () => Error },
): Promise<Map<string, Buffer | { size: number }>> {
  const out = new Map<string, Buffer | { size: number }>();
  // a name git would read otherwise (a newline ends the line) is not looked up
  const asked = names.filter((n) => !/[\n\r\0]/.test(n));
  if (asked.length === 0) return out;
  const check = (await runGit(['cat-file', '--batch-check'], { ...opts, input: asked.join('\n') + '\n' })).toString('utf8').split('\n');
  const small: string[] = [];
  let total = 0;
  asked.forEach((name, i) => {
    // `<oid> blob <size>`, or `<name> missing`; answered in the order asked
    const [, type, size] = (check[i] ?? '').split(' ');
    if (type !== 'blob' || size === undefined) return;
    if (Number(size) > limits.maxEach) out.set(name, { size: Number(size) });
    else {
      small.push(name);
      total += Number(size);
    }
  });
  if (limits.maxTotal !== undefined && total > limits.maxTotal) throw limits.tooMuch?.() ?? new Error(`more than ${limits.maxTotal} bytes of blobs`);
  if (small.length === 0) return out;
  const batch = await runGit(['cat-file', '--batch'], { ...opts, input: small.join('\n') + '\n', maxBytes: total + small.length * 200 + 1024 });
  let at = 0;
  for (const name of small) {
    const eol = batch.indexOf(0x0a, at);
    if (eol < 0) break;
    const [, type, size] = batch.subarray(at, eol).toString('latin1').split(' ');
    at = eol + 1;
    if (type !== 'blob' || size === undefined) continue;
    // Copied: the batch output is one buffer, and each blob is kept on its own.
    out.set(name, Buffer.from(batch.subarray(at, at + Number(size))));
    at += Number(size) + 1;
  }
  return out;
}
