/**
 * `upload-sarif: true`: the SARIF log goes to code scanning in the same step (`POST …/code-scanning/sarifs`,
 * gzip + base64), then the upload is polled until GitHub has processed it, within the run's API budget.
 *
 * Reporting never changes the verdict and never throws: a fork's read-only token, a token without
 * `security-events: write`, a private repository without code scanning, a rejected or oversized log, a
 * failed processing or a GitHub that does not answer each become one notice or warning. The upload is a
 * write: it is sent at most once (github-transport.ts), and one that got no answer is never sent again.
 */
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_UPLOAD_MB } from '../reporters/sarif.js';
import type { RunContext } from './context.js';
import { GitError, runGit } from './git.js';
import { BudgetExceededError, createGitHubClient, GitHubApiError, RateLimitError, type GitHubClient, type SarifProcessing } from './github.js';
import { uploadTarget, type UploadTarget } from './upload-target.js';

const MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024;

export type Say = (level: 'info' | 'notice' | 'warning', message: string) => void;

export interface CodeScanningOptions {
  ctx: RunContext;
  env: Readonly<Record<string, string | undefined>>;
  /** The workspace and the scanned folder (git reads the checked-out commit there). */
  workspace: string;
  root: string;
  token: string;
  /** The pull request's client, when there is one: the upload shares its time budget and write spacing. */
  client?: GitHubClient;
  /** Client settings when a client must be made (test-only limits included: see publishingSettings). */
  clientSettings?: { writeSpacingMs?: number; retryBaseMs?: number; rateLimitBaseMs?: number; timeoutMs?: number; budgetMs?: number };
  /** When the scan started. */
  startedAt?: Date;
  /** Poll back-off unit: the n-th status request waits min(n, 5) × this. Default 1000 ms; tests make it tiny. */
  pollBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  say: Say;
}

export interface UploadOutcome {
  /** `uploaded`: accepted (see `processing`); `skipped`: not sent; `failed`: sent and refused, or no answer. */
  result: 'uploaded' | 'skipped' | 'failed';
  id?: string;
  /** GitHub's last processing status; undefined when it was not learnt in time. */
  processing?: SarifProcessing['status'];
}

/** The log as the API takes it: gzip, then base64. */
export function encodeSarif(log: unknown): { sarif: string; gzipBytes: number } {
  const gz = gzipSync(JSON.stringify(log));
  return { sarif: gz.toString('base64'), gzipBytes: gz.length };
}

/**
 * The log that fits the upload limit: `build()` first, then with fewer results (the most important kept,
 * as the reporter orders them) until it fits. Undefined when not even an empty log fits.
 */
export function fitToLimit(
  build: (maxResults?: number) => Record<string, unknown>,
  limitBytes = MAX_UPLOAD_BYTES,
): { encoded: { sarif: string; gzipBytes: number }; results: number; total: number; fullBytes: number } | undefined {
  let log = build();
  const total = resultCount(log);
  let encoded = encodeSarif(log);
  const fullBytes = encoded.gzipBytes;
  let results = total;
  // What the log weighs without results (the rule descriptors, mostly): only the rest scales with the results.
  let bare: number | undefined;
  for (let tries = 0; encoded.gzipBytes > limitBytes && tries < 12; tries++) {
    if (results === 0) return undefined;
    bare ??= encodeSarif(build(0)).gzipBytes;
    if (bare > limitBytes) return undefined;
    const perResult = Math.max(1, (encoded.gzipBytes - bare) / results);
    // A margin for gzip's unevenness, and always progress.
    results = Math.max(0, Math.min(results - 1, Math.floor(((limitBytes - bare) * 0.95) / perResult)));
    log = build(results);
    encoded = encodeSarif(log);
  }
  return encoded.gzipBytes > limitBytes ? undefined : { encoded, results, total, fullBytes };
}

function resultCount(log: Record<string, unknown>): number {
  const runs = log['runs'] as { results?: unknown[] }[] | undefined;
  return runs?.[0]?.results?.length ?? 0;
}

/** Uploads the log built by `build` and waits for its processing. Never throws. */
export async function uploadToCodeScanning(build: (maxResults?: number) => Record<string, unknown>, o: CodeScanningOptions): Promise<UploadOutcome> {
  const skipped: UploadOutcome = { result: 'skipped' };
  const fork = o.ctx.pullRequest?.isFork === true;
  const tail = 'the findings are in the annotations and the job summary; the verdict is the same.';
  try {
    if (!o.token) {
      o.say('notice', `Portcullis has no token (input \`token\`), so it did not upload the SARIF log to code scanning; ${tail}`);
      return skipped;
    }
    if (fork && o.ctx.eventName === 'pull_request') {
      // GitHub gives a fork's pull_request run a read-only token: the upload would only be refused.
      o.say('notice', `This is a fork's pull request: its token is read-only, so Portcullis did not upload the SARIF log to code scanning; ${tail}`);
      return skipped;
    }
    const head = await checkedOutCommit(o.root, o.workspace);
    const target: UploadTarget | string = uploadTarget(o.ctx, o.env, head);
    if (typeof target === 'string') {
      o.say('notice', `Portcullis did not upload the SARIF log to code scanning: ${target} ${cap(tail)}`);
      return skipped;
    }
    const fitted = fitToLimit(build);
    if (!fitted) {
      o.say('warning', `The SARIF log is over the ${MAX_UPLOAD_MB} MB (gzipped) code scanning accepts even without results, so Portcullis did not upload it; ${tail}`);
      return skipped;
    }
    if (fitted.results < fitted.total) {
      o.say(
        'notice',
        `The SARIF log is ${mb(fitted.fullBytes)} MB gzipped, over the ${MAX_UPLOAD_MB} MB code scanning accepts: Portcullis uploaded the ${fitted.results} most important of its ${fitted.total} results (the JSON report has them all).`,
      );
    }
    const client = o.client ?? (await createGitHubClient({ token: o.token, apiUrl: o.ctx.apiUrl, repository: o.ctx.repository, ...o.clientSettings }));
    let id: string;
    try {
      ({ id } = await client.uploadSarif({
        commitSha: target.commitSha,
        ref: target.ref,
        sarif: fitted.encoded.sarif,
        toolName: 'portcullis',
        ...(o.startedAt ? { startedAt: o.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      }));
    } catch (err) {
      o.say(...refusal(err, client.repository, tail));
      return { result: 'failed' };
    }
    o.say('info', `Portcullis uploaded the SARIF log to code scanning for ${target.ref} at ${target.commitSha.slice(0, 12)} (upload ${id}, ${fitted.results} results, ${mb(fitted.encoded.gzipBytes)} MB gzipped).`);
    const processing = await awaitProcessing(client, id, o);
    return { result: 'uploaded', id, ...(processing ? { processing } : {}) };
  } catch (err) {
    o.say('warning', `Portcullis could not upload the SARIF log to code scanning: ${line(err)}. The verdict is unaffected.`);
    return { result: 'failed' };
  }
}

/** Polls the upload until GitHub says complete or failed, while the client's budget leaves room for it. */
async function awaitProcessing(client: GitHubClient, id: string, o: CodeScanningOptions): Promise<SarifProcessing['status'] | undefined> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const unit = o.pollBaseMs ?? 1000;
  let last: SarifProcessing['status'] | undefined;
  for (let n = 1; ; n++) {
    const wait = Math.min(n, 5) * unit;
    if (Date.now() + wait >= client.deadline) break;
    await sleep(wait);
    let state: SarifProcessing;
    try {
      state = await client.getSarifProcessing(id);
    } catch (err) {
      // Just after the upload GitHub may not list it yet: that is "pending", within the same bound.
      if (err instanceof GitHubApiError && err.status === 404) continue;
      o.say('info', `Portcullis could not learn whether code scanning processed upload ${id} (${line(err)}); it was uploaded.`);
      return last;
    }
    last = state.status;
    if (state.status === 'complete') {
      o.say('info', `Code scanning processed upload ${id}: its results are in the Security tab${o.ctx.pullRequest ? ' and on the pull request' : ''}.`);
      return last;
    }
    if (state.status === 'failed') {
      const why = state.errors.slice(0, 3).map((e) => clip(e, 300)).join('; ') || 'GitHub gave no reason';
      o.say('warning', `Code scanning could not process the SARIF upload ${id}: ${why}. The verdict is unaffected.`);
      return last;
    }
  }
  o.say('info', `Code scanning was still processing upload ${id} when Portcullis's time for the GitHub API ran out; its results appear in the Security tab once GitHub has processed it.`);
  return last;
}

/** The one message for an upload GitHub refused or did not answer. */
function refusal(err: unknown, repository: string, tail: string): Parameters<Say> {
  if (!(err instanceof GitHubApiError)) return ['warning', `Portcullis could not upload the SARIF log to code scanning: ${line(err)}. The verdict is unaffected.`];
  const said = `${err.status || 'no answer'}${err.status ? ` ${apiText(err)}` : ''}`;
  if (err.status === 403 && /(advanced|code) security must be enabled|not enabled for code scanning|code scanning is not enabled/i.test(err.message)) {
    return ['notice', `Code scanning is not enabled for ${repository} (GitHub answered ${said}): private and internal repositories need GitHub Code Security (Advanced Security) for it. Portcullis did not upload the SARIF log; ${tail}`];
  }
  if (err instanceof RateLimitError) return ['warning', `GitHub's rate limit stopped the SARIF upload (${said}); ${tail}`];
  if (err.status === 403 || err.status === 404) {
    return ['notice', `The token cannot upload to code scanning: grant the job \`security-events: write\` (GitHub answered ${said}). ${cap(tail)}`];
  }
  if (err.ambiguous) {
    return ['warning', `The SARIF upload got no clear answer (${line(err)}): it may have been applied, and Portcullis never sends an upload twice. ${cap(tail)}`];
  }
  if (err.unanswered || err instanceof BudgetExceededError) {
    return ['warning', `Portcullis did not upload the SARIF log: ${line(err)}. GitHub is not answering in time; ${tail}`];
  }
  return ['warning', `GitHub rejected the SARIF upload (${said}); ${tail}`];
}

/** The commit checked out where the scan ran; undefined when it is no git checkout (git.ts: nothing of the repository runs). */
async function checkedOutCommit(root: string, workspace: string): Promise<string | undefined> {
  try {
    const out = await runGit(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: root, ceiling: dirname(workspace), timeoutMs: 10_000 });
    const sha = out.toString('utf8').trim();
    return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha) ? sha : undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** GitHub's own words from an API error: the part inside "(status …)". */
function apiText(err: GitHubApiError): string {
  const m = /\(\d{3} (.*)\)\.?$/.exec(err.message);
  return clip(m ? m[1]! : err.message, 200);
}

const line = (err: unknown): string => clip((err instanceof Error ? err.message : String(err)).split(/\r?\n/)[0]!.replace(/\.$/, ''), 300);
const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1);
