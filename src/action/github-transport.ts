/**
 * How one GitHub API request is sent: each attempt has a timeout, the client has one deadline for
 * all its requests, and only reads are retried.
 *
 * Why writes are never retried here: a write that was sent and got a 5xx, a reset or no answer may
 * have been applied (GitHub answers 502 when its front end gives up on a write the back end still
 * completes). Sending it again duplicates comments. The caller lists what exists and reconciles
 * instead. A write GitHub refused before processing it (a rate limit with `retry-after`) is retried
 * by the throttling plugin, outside this layer.
 */

/** Per-attempt timeout: without one, undici waits 300 s for the headers of a request nobody answers. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** All the API use of one client (the pull request's files, the comment, the review) ends by then. */
export const DEFAULT_BUDGET_MS = 60_000;

/** Connection errors that mean the request never left this machine (safe to send again). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export type NoAnswerKind = 'timeout' | 'budget' | 'network';

/** A request that got no HTTP answer: it timed out, the connection failed, or the budget ended it. */
export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';
  constructor(
    message: string,
    readonly kind: NoAnswerKind,
    /** False when the request certainly never reached GitHub (refused connection, no time left to send it). */
    readonly sent: boolean,
    /** Attempts made (reads are retried). */
    readonly attempts: number,
  ) {
    super(message);
  }
}

export interface Limits {
  timeoutMs: number;
  /** Epoch ms after which nothing is sent. */
  deadline: number;
  budgetMs: number;
  /** Retries of a read after a 5xx or no answer. */
  retries: number;
  /** The n-th retry waits n² × this. */
  retryBaseMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Called once per attempt, just before it is sent (the request counter). */
  onAttempt: () => void;
  log?: (message: string) => void;
}

/**
 * Runs `send` (one HTTP attempt; it must honour the signal) under the limits. Reads (GET, HEAD) are
 * retried after a 5xx or no answer while the deadline allows; everything else is sent at most once.
 * An HTTP error answer is rethrown as it came (the throttling plugin reads its status and headers);
 * no answer at all becomes a NoAnswerError.
 */
export async function sendWithinLimits<T>(
  send: (signal: AbortSignal) => Promise<T>,
  read: boolean,
  what: string,
  limits: Limits,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const left = limits.deadline - Date.now();
    if (left <= 0)
      throw new NoAnswerError(
        `${what}: not sent, the ${seconds(limits.budgetMs)} budget for the GitHub API is spent`,
        'budget',
        false,
        attempt - 1,
      );
    const limit = Math.min(limits.timeoutMs, left);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    limits.onAttempt();
    let failure: unknown;
    try {
      return await send(controller.signal);
    } catch (err) {
      failure = hasAnswer(err)
        ? err
        : noAnswer(err, controller.signal.aborted, limit < limits.timeoutMs, limit, what, limits, attempt);
    } finally {
      clearTimeout(timer);
    }
    const retriable = read && (failure instanceof NoAnswerError ? failure.kind !== 'budget' : statusOf(failure) >= 500);
    const wait = attempt ** 2 * limits.retryBaseMs;
    if (!retriable || attempt > limits.retries || Date.now() + wait >= limits.deadline) throw failure;
    limits.log?.(
      `GitHub API ${what}: ${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}; retrying in ${wait} ms.`,
    );
    await limits.sleep(wait);
  }
}

function noAnswer(
  err: unknown,
  aborted: boolean,
  cutByBudget: boolean,
  limit: number,
  what: string,
  limits: Limits,
  attempt: number,
): NoAnswerError {
  const tries = attempt > 1 ? ` (attempt ${attempt})` : '';
  if (aborted && cutByBudget)
    return new NoAnswerError(
      `${what}: no answer before the ${seconds(limits.budgetMs)} budget for the GitHub API ran out${tries}`,
      'budget',
      true,
      attempt,
    );
  if (aborted)
    return new NoAnswerError(`${what}: no answer within ${seconds(limit)}${tries}`, 'timeout', true, attempt);
  const code = errorCode(err);
  const reason = (code ?? (err instanceof Error ? err.message : String(err))).split('\n')[0]!.slice(0, 200);
  return new NoAnswerError(`${what}: ${reason}${tries}`, 'network', !code || !NOT_SENT_CODES.has(code), attempt);
}

/** Octokit turns a failed fetch into a RequestError without `response`; an HTTP error answer has one. */
function hasAnswer(err: unknown): boolean {
  const response = (err as { response?: unknown } | undefined)?.response;
  return typeof response === 'object' && response !== null;
}

/** The system error code (ECONNRESET, ECONNREFUSED, …) somewhere down the cause chain. */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

export function statusOf(err: unknown): number {
  const s = (err as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' ? s : 0;
}

export function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
