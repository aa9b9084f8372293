/**
 * What a failed GitHub API call becomes: one error type the publishing code can reason about. A
 * write that may have been applied is marked `ambiguous` (reconcile, never resend); a request that
 * got no answer in time is marked `unanswered` (GitHub is down for this run: stop).
 */
import { NoAnswerError, statusOf } from './github-transport.js';

/** Any failed API call, after retries. Report it as a warning: reporting never changes the verdict. */
export class GitHubApiError extends Error {
  override readonly name: string = 'GitHubApiError';
  constructor(
    message: string,
    readonly operation: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly documentationUrl?: string,
    readonly flags: {
      /** A write that was sent and then failed without a clear refusal (5xx, reset, no answer): it may have been applied. */
      ambiguous?: boolean;
      /** No answer arrived in time (per-attempt timeout or the budget): GitHub is not answering. */
      unanswered?: boolean;
    } = {},
  ) {
    super(message);
  }
  get ambiguous(): boolean {
    return this.flags.ambiguous === true;
  }
  get unanswered(): boolean {
    return this.flags.unanswered === true;
  }
  /** 5xx or no answer: GitHub's trouble, not ours. */
  get isServerError(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** The token cannot write (fork PR, missing `pull-requests: write`): skip comments and reviews, say so once. */
export class ReadOnlyTokenError extends GitHubApiError {
  override readonly name = 'ReadOnlyTokenError';
}

/** A primary or secondary rate limit outlasted the retries or the wait budget. */
export class RateLimitError extends GitHubApiError {
  override readonly name = 'RateLimitError';
}

/** The client's time budget is spent: nothing more is sent. */
export class BudgetExceededError extends GitHubApiError {
  override readonly name = 'BudgetExceededError';
}

/**
 * Maps a failed request of `operation` to a typed error. `kind`: a read; a write that creates (403
 * "not accessible" and 404 mean the token cannot write); or a write to an existing comment (403 and
 * 404 mean that comment is gone or not ours).
 */
export function toApiError(
  err: unknown,
  operation: string,
  kind: false | 'write' | 'write-existing',
  repository: string,
): GitHubApiError {
  if (err instanceof GitHubApiError) return err;
  if (err instanceof NoAnswerError) {
    const flags = { ambiguous: kind !== false && err.sent, unanswered: err.kind !== 'network' };
    const tail = flags.ambiguous ? '; it may have been applied' : '';
    const message = `GitHub API: ${operation} failed (${err.message}${tail}).`;
    return err.kind === 'budget'
      ? new BudgetExceededError(message, operation, 0, undefined, flags)
      : new GitHubApiError(message, operation, 0, undefined, flags);
  }
  const status = statusOf(err);
  const response = (err as { response?: { data?: unknown; headers?: Record<string, string | undefined> } } | undefined)
    ?.response;
  const data = response?.data as { message?: unknown; documentation_url?: unknown } | undefined;
  const apiMessage =
    typeof data?.message === 'string' ? data.message : err instanceof Error ? err.message : String(err);
  const doc = typeof data?.documentation_url === 'string' ? data.documentation_url : undefined;
  const short = apiMessage.split('\n')[0]!.slice(0, 300);
  if (
    kind === 'write' &&
    ((status === 403 && /resource not accessible by (integration|personal access token)/i.test(apiMessage)) ||
      status === 404)
  ) {
    return new ReadOnlyTokenError(
      `The token cannot write to ${repository} (${operation}: ${status} ${short}). On a fork's pull request the token is read-only; otherwise grant \`pull-requests: write\`.`,
      operation,
      status,
      doc,
    );
  }
  if (
    status === 429 ||
    (status === 403 && (/rate limit/i.test(apiMessage) || response?.headers?.['x-ratelimit-remaining'] === '0'))
  ) {
    return new RateLimitError(
      `GitHub API rate limit: ${operation} failed (${status} ${short}).`,
      operation,
      status,
      doc,
    );
  }
  // A 5xx after the write was sent: GitHub may have applied it (a 502 often means its front end gave up waiting).
  const ambiguous = kind !== false && status >= 500;
  const what = status ? `${status} ${short}` : short;
  return new GitHubApiError(
    `GitHub API: ${operation} failed (${what}).`,
    operation,
    status,
    doc,
    ambiguous ? { ambiguous } : {},
  );
}
