/**
 * Which ref and commit a code scanning upload is filed under. Code scanning keeps one set of alerts per
 * ref and category, so an upload filed under the wrong ref would open or close that ref's alerts: the
 * scan of a pull request's code must never be filed as the default branch's. Hence only two checkouts
 * are uploaded:
 *
 * - the commit this run is for (GITHUB_SHA), under this run's ref (GITHUB_REF): a branch, a tag, a merge
 *   group's branch, or a pull request's `refs/pull/N/merge` (actions/checkout's default for pull_request);
 * - a pull request's head commit, under `refs/pull/N/head` (as GitHub documents for the upload API).
 *
 * Anything else (another commit checked out) is not uploaded, with a notice. Without git the checkout
 * cannot be told, so GITHUB_SHA is trusted, except on the privileged events (pull_request_target,
 * workflow_run) whose jobs may check out a pull request's code under the default branch's ref.
 */
import type { RunContext } from './context.js';

export interface UploadTarget {
  ref: string;
  commitSha: string;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REF = /^refs\/(heads|tags|pull)\/.+$/;
const PRIVILEGED = new Set(['pull_request_target', 'workflow_run']);

/** The ref and commit to upload under, or why there is none (one sentence, for the notice). */
export function uploadTarget(ctx: RunContext, env: Readonly<Record<string, string | undefined>>, head: string | undefined): UploadTarget | string {
  const runSha = (env['GITHUB_SHA'] ?? '').toLowerCase();
  const runRef = env['GITHUB_REF'] ?? '';
  const pr = ctx.pullRequest;
  const prHead = pr?.headSha.toLowerCase();

  let target: UploadTarget;
  if (head === undefined) {
    if (PRIVILEGED.has(ctx.eventName))
      return `the workspace is no git checkout, so on ${ctx.eventName} Portcullis cannot tell whether it scanned the branch or a pull request's code.`;
    target = { ref: runRef, commitSha: runSha };
  } else if (head === runSha) {
    target = { ref: runRef, commitSha: head };
  } else if (pr && head === prHead) {
    target = { ref: `refs/pull/${pr.number}/head`, commitSha: head };
  } else {
    return `the checked-out commit ${head.slice(0, 12)} is neither the commit this run is for (${runSha.slice(0, 12) || 'none'})${pr ? " nor the pull request's head" : ''}, so it has no ref to be filed under.`;
  }
  if (!SHA.test(target.commitSha)) return 'this run names no commit (GITHUB_SHA).';
  if (!REF.test(target.ref)) return `this run's ref (${target.ref || 'none'}) is not a branch, a tag or a pull request.`;
  return target;
}
