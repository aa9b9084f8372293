/**
 * The bounds of the online pin lookups: every request has a timeout, all of them one deadline and one request
 * count, and a rate limit (403/429 with `Retry-After`, or `x-ratelimit-remaining: 0` with `x-ratelimit-reset`) is
 * waited out only when the wait ends before the deadline. Redirects are not followed: a `Location` could name any
 * host, and a credential must never follow it there.
 */

export interface BudgetOptions {
  /** One request's timeout. Default 10 s. */
  timeoutMs?: number;
  /** Time from the resolver's creation after which nothing more is sent. Default 60 s. */
  budgetMs?: number;
  /** An absolute end (epoch ms) instead of `budgetMs`: the action passes what is left of its API budget. */
  deadline?: number;
  /** Requests the resolver may send in all (token requests and retries included). Default 200. */
  maxRequests?: number;
  /** Total rate-limit wait accepted, in the server's seconds. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** What one second of `Retry-After` costs in ms. Default 1000; tests make it tiny. */
  rateLimitBaseMs?: number;
}

/** Why a request got no usable answer, said in a few words (it becomes the `{error}` of a lookup). */
export class LookupError extends Error {
  override readonly name = 'LookupError';
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** At most this much of a response body is read: a manifest or a commit's JSON is far smaller. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class Budget {
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly maxRequests: number;
  requests = 0;
  private waitedSeconds = 0;
  private readonly maxWait: number;
  private readonly secondMs: number;

  constructor(options: BudgetOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadline = options.deadline ?? Date.now() + (options.budgetMs ?? 60_000);
    this.maxRequests = options.maxRequests ?? 200;
    this.maxWait = options.maxRateLimitWaitSeconds ?? 60;
    this.secondMs = options.rateLimitBaseMs ?? 1000;
  }

  /**
   * One request, retried only after a rate limit that fits the budget. `headers` are sent as given: the caller
   * decides which credential goes to which host. Throws LookupError when no answer could be had.
   */
  async send(url: URL, init: { method: 'GET' | 'HEAD'; headers: Record<string, string> }): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(url, init);
      const wait = attempt < 2 ? rateLimitWait(answer) : undefined;
      if (wait === undefined) return answer;
      if (this.waitedSeconds + wait > this.maxWait || Date.now() + wait * this.secondMs >= this.deadline)
        throw new LookupError(`rate limited (HTTP ${answer.status}), and the wait of ${wait} s does not fit the budget`);
      this.waitedSeconds += wait;
      await new Promise((resolve) => setTimeout(resolve, wait * this.secondMs));
    }
  }

  private async once(url: URL, init: { method: 'GET' | 'HEAD'; headers: Record<string, string> }): Promise<Answer> {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new LookupError('not sent: the time budget for pin lookups is spent');
    if (this.requests >= this.maxRequests) throw new LookupError(`not sent: the budget of ${this.maxRequests} requests for pin lookups is spent`);
    this.requests++;
    const limit = Math.min(this.timeoutMs, left);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      const res = await fetch(url, { method: init.method, headers: init.headers, redirect: 'manual', signal: controller.signal });
      const body = init.method === 'HEAD' ? new Uint8Array() : await readCapped(res);
      return { status: res.status, headers: res.headers, body };
    } catch (err) {
      if (controller.signal.aborted) throw new LookupError(`no answer within ${limit} ms`);
      if (err instanceof LookupError) throw err;
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new LookupError(`no answer (${typeof cause === 'string' ? cause : 'connection failed'})`);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function readCapped(res: Response): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new LookupError(`answer larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Seconds a 403/429 asks to wait (`Retry-After`, else an exhausted primary limit's reset), or undefined. */
function rateLimitWait(answer: Answer): number | undefined {
  if (answer.status !== 429 && answer.status !== 403) return undefined;
  const after = answer.headers.get('retry-after');
  if (after !== null && /^\d{1,6}$/.test(after.trim())) return Number(after.trim());
  const reset = answer.headers.get('x-ratelimit-reset');
  if (answer.headers.get('x-ratelimit-remaining') === '0' && reset !== null && /^\d{1,12}$/.test(reset.trim()))
    return Math.max(1, Number(reset.trim()) - Math.floor(Date.now() / 1000));
  return undefined;
}
