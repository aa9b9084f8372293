/**
 * The base revision: what `gate: new` measures "new" against, computed here and only here, for pull requests,
 * merge queues and pushes.
 *
 * - pull_request / pull_request_target: the first parent of the checked-out merge commit (actions/checkout checks
 *   out `refs/pull/N/merge`; with `fetch-depth: 2` the parent is there), else `pull_request.base.sha`;
 * - merge_group: the merge group's `base_sha`;
 * - push: the pushed `before` commit (none for a new branch).
 *
 * A commit the checkout lacks is fetched shallowly from `origin` (`git fetch --depth=1 --no-tags origin <sha>`),
 * the token passed to that one command through its environment, never written to .git/config, never printed.
 * When there is no base, the caller falls back to `gate: all` with the one notice `BaseUnavailable` carries.
 */
import { dirname } from 'node:path';
import type { RunContext } from './context.js';
import { GitError, runGit, type GitOptions } from './git.js';

export interface BaseRevision {
  /** The base commit. */
  sha: string;
  /** The checked-out commit (HEAD) the workspace holds. */
  head: string;
  /** The scan root relative to the repository's top level ('' or `dir/`), as git names paths. */
  prefix: string;
  /** How the base was found, for the log. */
  how: 'merge parent' | 'in the checkout' | 'fetched';
  /** "this pull request", "this merge group", "this push": what is being measured. */
  subject: string;
}

/** No base: why, as the one notice to show (it says how to enable the comparison). */
export class BaseUnavailable extends Error {
  override name = 'BaseUnavailable';
}

export interface GitPlace {
  /** The repository root the scan names files from (absolute, real path; see inputs.ts). */
  root: string;
  /** The workspace (absolute, real path): git never looks above it. */
  workspace: string;
  token: string;
}

type Git = (args: string[], extra?: Partial<GitOptions>) => Promise<Buffer>;

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;
const FETCH_TIMEOUT_MS = 60_000;

interface Target {
  subject: string;
  sha?: string;
  /** For a pull request: its head, to recognise the merge commit actions/checkout made. */
  mergeOf?: string;
  howToEnable: string;
}

const PR_ENABLE =
  'To enable it, check out with `fetch-depth: 2` (actions/checkout), or give the job `contents: read` so that Portcullis can fetch the base commit.';

function targetOf(ctx: RunContext): Target {
  if (ctx.pullRequest) {
    const pr = ctx.pullRequest;
    return {
      subject: 'this pull request',
      ...(pr.baseSha ? { sha: pr.baseSha } : {}),
      ...(pr.headSha ? { mergeOf: pr.headSha } : {}),
      howToEnable: PR_ENABLE,
    };
  }
  if (ctx.mergeGroup) {
    return {
      subject: 'this merge group',
      sha: ctx.mergeGroup.baseSha,
      howToEnable: PR_ENABLE.replace('`fetch-depth: 2`', '`fetch-depth: 0`'),
    };
  }
  if (ctx.push) {
    const before = ctx.push.before;
    if (!before || ZERO.test(before)) {
      throw new BaseUnavailable(
        'This push creates the branch, so there is no earlier commit to measure new findings against: every finding counts, as with `gate: all`.',
      );
    }
    return {
      subject: 'this push',
      sha: before,
      howToEnable:
        'To enable it, check out with `fetch-depth: 0` (actions/checkout), or give the job `contents: read` so that Portcullis can fetch the pushed `before` commit.',
    };
  }
  throw new BaseUnavailable(
    `\`gate: new\` measures findings against a base commit, which ${ctx.eventName ? `a ${ctx.eventName} event` : 'this run'} does not have (pull requests, merge groups and pushes do): every finding counts, as with \`gate: all\`.`,
  );
}

/** Finds (and when needed fetches) the base revision, or throws BaseUnavailable with the notice to show. */
export async function resolveBase(ctx: RunContext, place: GitPlace): Promise<BaseRevision> {
  const target = targetOf(ctx);
  const unavailable = (why: string): BaseUnavailable =>
    new BaseUnavailable(
      `Portcullis could not read the base commit of ${target.subject} (${why}), so every finding counts, as with \`gate: all\`. ${target.howToEnable}`,
    );
  const git: Git = (args, extra = {}) => runGit(args, { cwd: place.root, ceiling: dirname(place.workspace), ...extra });
  let prefix: string;
  let head: string;
  try {
    prefix = (await git(['rev-parse', '--show-prefix'])).toString('utf8').replace(/\n$/, '');
    head = (await git(['rev-parse', '--verify', 'HEAD^{commit}'])).toString('utf8').trim();
  } catch (err) {
    throw unavailable(err instanceof GitError ? `the workspace is not a git checkout: ${err.message}` : String(err));
  }
  const has = async (sha: string): Promise<boolean> =>
    git(['rev-parse', '--verify', '--quiet', `${sha}^{tree}`]).then(
      () => true,
      () => false,
    );
  const base = (sha: string, how: BaseRevision['how']): BaseRevision => ({
    sha,
    head,
    prefix,
    how,
    subject: target.subject,
  });

  let want = target.sha && SHA.test(target.sha) ? target.sha : undefined;
  if (target.mergeOf) {
    // The merge commit of this pull request: its first parent is exactly what it merges into.
    const parents = parentsOf((await git(['cat-file', 'commit', head]).catch(() => Buffer.alloc(0))).toString('utf8'));
    if (parents.length === 2 && parents[1] === target.mergeOf && SHA.test(parents[0]!)) {
      if (await has(parents[0]!)) return base(parents[0]!, 'merge parent');
      want = parents[0]!;
    }
  }
  if (!want) throw unavailable('the event names no base commit');
  if (await has(want)) return base(want, 'in the checkout');
  await fetchCommit(want, ctx, place, git).catch((err: unknown) => {
    throw unavailable(
      `it is not in the checkout, and fetching it failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  if (!(await has(want))) throw unavailable('it is not in the checkout, and fetching it did not bring it');
  return base(want, 'fetched');
}

/**
 * The token as git config for one command, scoped to the server's URL: an empty value first clears the list, so a
 * header actions/checkout persisted for the same server is not sent as well (GitHub refuses two Authorization headers).
 */
export function authConfig(server: string, token: string): { secretConfig: [string, string][]; redact: string[] } {
  const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  const key = `http.${server}/.extraheader`;
  return {
    secretConfig: [
      [key, ''],
      [key, `AUTHORIZATION: basic ${basic}`],
    ],
    redact: [token, basic],
  };
}

/** The parent SHAs in a raw commit object's header. */
export function parentsOf(commit: string): string[] {
  const out: string[] = [];
  for (const line of commit.split('\n')) {
    if (line === '') break;
    if (line.startsWith('parent ')) out.push(line.slice(7).trim());
  }
  return out;
}

/**
 * One shallow fetch of one commit from `origin`. The token goes only to the GitHub server this run belongs to, over
 * https (an `origin` elsewhere gets none), as an HTTP header set for this command alone (see authConfig).
 */
async function fetchCommit(sha: string, ctx: RunContext, place: GitPlace, git: Git): Promise<void> {
  const url = (await git(['config', '--get', 'remote.origin.url']).catch(() => Buffer.alloc(0)))
    .toString('utf8')
    .trim();
  if (!url) throw new GitError('the checkout has no `origin` remote');
  const server = ctx.serverUrl.replace(/\/+$/, '');
  const sendToken =
    place.token && /^https:\/\//i.test(server) && url.toLowerCase().startsWith(`${server.toLowerCase()}/`);
  const { secretConfig, redact } = sendToken ? authConfig(server, place.token) : { secretConfig: [], redact: [] };
  await git(
    ['fetch', '--quiet', '--depth=1', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', 'origin', sha],
    {
      timeoutMs: FETCH_TIMEOUT_MS,
      secretConfig,
      redact,
    },
  );
}
