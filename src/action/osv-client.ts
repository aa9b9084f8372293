/**
 * HTTP to the OSV API under one time budget and a request cap, shared by every request of a lookup. Only a 429 or a
 * 5xx answer (or a connection that drops) is tried again, after a back-off (the server's `Retry-After` when it gives
 * one), and never past the budget. Any other failure ends the lookup: the caller falls back to the bundled data.
 */
export class OsvError extends Error {}

export interface ClientOptions {
  base: string;
  budgetMs: number;
  maxRequests: number;
  /** Further tries after a 429/5xx answer or a dropped connection (default 2). */
  retries: number;
  /** First back-off in ms, doubled on each retry (default 500). */
  backoffMs: number;
}

/** An answer larger than this is not read (memory stays bounded); a querybatch of 1,000 versions answers a few hundred KB. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

async function readCapped(res: Response, cap: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      throw new OsvError(`the answer is larger than ${cap / 1024 / 1024} MiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const RETRYABLE = (status: number): boolean => status === 429 || status >= 500;

export class OsvClient {
  requests = 0;
  private readonly controller = new AbortController();
  private readonly deadline: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: ClientOptions) {
    this.deadline = Date.now() + o.budgetMs;
    this.timer = setTimeout(() => this.controller.abort(), o.budgetMs);
  }

  close(): void {
    clearTimeout(this.timer);
    this.controller.abort();
  }

  /** GET `path`, or POST `body` as JSON; the parsed answer, or undefined for a 404 on a GET (a record that is gone). */
  async call(path: string, body?: unknown): Promise<unknown> {
    const what = path.startsWith('/v1/querybatch') ? 'querybatch' : 'a vulnerability lookup';
    for (let attempt = 0; ; attempt++) {
      const got = await this.once(path, body, what);
      if (got.kind === 'ok') return got.value;
      if (got.kind === 'gone') return undefined;
      if (attempt >= this.o.retries) throw new OsvError(`${got.why}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ''}`);
      const wait = got.retryAfterMs ?? this.o.backoffMs * 2 ** attempt;
      if (Date.now() + wait >= this.deadline) throw new OsvError(`${got.why}; waiting ${Math.ceil(wait / 1000)} s to try again would pass the ${this.o.budgetMs / 1000} s budget`);
      await new Promise((ok) => setTimeout(ok, wait));
    }
  }

  private async once(path: string, body: unknown, what: string): Promise<{ kind: 'ok'; value: unknown } | { kind: 'gone' } | { kind: 'retry'; why: string; retryAfterMs?: number }> {
    if (this.requests >= this.o.maxRequests) throw new OsvError(`more than ${this.o.maxRequests} requests would be needed`);
    this.requests++;
    const signal = this.controller.signal;
    const budget = `${this.o.budgetMs / 1000} s`;
    let res: Response;
    try {
      res = await fetch(`${this.o.base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
        redirect: 'error',
      });
    } catch (err) {
      if (signal.aborted) throw new OsvError(`no answer within ${budget}`);
      return { kind: 'retry', why: `the request failed: ${reason(err)}` };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 404 && body === undefined) return { kind: 'gone' };
      const why = `${what} answered HTTP ${res.status}`;
      if (!RETRYABLE(res.status)) throw new OsvError(why);
      const after = Number(res.headers.get('retry-after'));
      return { kind: 'retry', why, ...(Number.isFinite(after) && after >= 0 ? { retryAfterMs: after * 1000 } : {}) };
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof OsvError) throw err;
      throw new OsvError(signal.aborted ? `no complete answer within ${budget}` : `the answer could not be read: ${reason(err)}`);
    }
    try {
      return { kind: 'ok', value: JSON.parse(text) as unknown };
    } catch {
      throw new OsvError('the answer is not valid JSON');
    }
  }
}

export function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${err.message}${detail}`.split('\n')[0]!.slice(0, 200);
}
