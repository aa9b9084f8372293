/**
 * The GitHub REST client of the pull request experience: exactly the calls it needs, with the manners
 * GitHub asks for (PLATFORM.md): writes serialised and spaced, `retry-after` / `x-ratelimit-reset`
 * honoured within a bounded wait, and a read-only token (fork PR) reported as a typed error so the
 * caller can say once why there is no comment. Every attempt has a timeout and the client a deadline;
 * reads are retried, writes never (github-transport.ts says why): a write that failed after it was sent
 * is marked `ambiguous` so the caller reconciles instead of sending it again.
 *
 * Configuration arrives as parameters (no process.env here) so tests can point it at a fake GitHub.
 * `@actions/github` is imported lazily: its module body parses GITHUB_EVENT_PATH and throws on a bad file.
 */
import { throttling } from '@octokit/plugin-throttling';
import type { getOctokit } from '@actions/github';
import { GitHubApiError, ReadOnlyTokenError, toApiError } from './github-errors.js';
import { DEFAULT_BUDGET_MS, DEFAULT_TIMEOUT_MS, NoAnswerError, sendWithinLimits, statusOf } from './github-transport.js';

export { BudgetExceededError, GitHubApiError, RateLimitError, ReadOnlyTokenError } from './github-errors.js';

type Octokit = ReturnType<typeof getOctokit>;

/** GitHub lists at most this many files of a pull request. */
export const MAX_PR_FILES = 3000;
/** Issue comment, review and review comment bodies are limited to this many characters. */
export const MAX_BODY_CHARS = 65_536;

export interface ClientLog {
  info(message: string): void;
  warning(message: string): void;
  debug?(message: string): void;
}

export interface GitHubClientConfig {
  token: string;
  /** GITHUB_API_URL, e.g. https://api.github.com or http://127.0.0.1:PORT for the fake. */
  apiUrl: string;
  /** owner/name */
  repository: string;
  /** Minimum time between the end of one write and the start of the next. Default 1000 ms; tests set 0. */
  writeSpacingMs?: number;
  /** Retries of a read after a 5xx or no answer (writes are never retried). Default 2. */
  retries?: number;
  /** Timeout of one attempt. Default 10 s. */
  timeoutMs?: number;
  /** Time from the client's creation after which it sends nothing more. Default 60 s. */
  budgetMs?: number;
  /** Retry back-off unit: the n-th retry waits n² × this. Default 1000 ms; tests make it tiny. */
  retryBaseMs?: number;
  /** Retries after a primary or secondary rate limit. Default 2. */
  rateLimitRetries?: number;
  /** What one second of `retry-after` / `x-ratelimit-reset` costs, in ms. Default 1000; tests make it tiny. */
  rateLimitBaseMs?: number;
  /** Total rate-limit wait (in GitHub's seconds) one client accepts before giving up. Default 60. */
  maxRateLimitWaitSeconds?: number;
  log?: ClientLog;
  /** Used for write spacing; injectable so tests can observe it without a clock. */
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

export interface PullRequestFile {
  filename: string;
  status: string;
  /** Absent when GitHub omits it (binary or very large diff): treat the whole file as changed. */
  patch?: string;
  previousFilename?: string;
}

export interface PullRequestFiles {
  files: PullRequestFile[];
  /** False when the listing stopped at GitHub's 3,000-file cap (more files may have changed). */
  complete: boolean;
}

export interface GitHubUser {
  login: string;
  type?: string;
}

export interface IssueComment {
  id: number;
  body: string;
  createdAt: string;
  user?: GitHubUser;
  htmlUrl?: string;
}

export interface ReviewComment {
  id: number;
  body: string;
  path: string;
  /** Null when the comment is outdated. */
  line: number | null;
  commitId: string;
  user?: GitHubUser;
}

/** One inline comment of a review, anchored on the RIGHT (new) side of the diff. */
export interface ReviewCommentDraft {
  path: string;
  /** Last line of the range (1-based, in the head version of the file). */
  line: number;
  /** First line of a multi-line range; omitted or equal to `line` for one line. */
  startLine?: number;
  body: string;
}

export interface CreatedReview {
  id: number;
  htmlUrl?: string;
  /** Who GitHub says posted it: the identity this token posts as. */
  user?: GitHubUser;
}

/** What `POST …/code-scanning/sarifs` takes (github.ts sends it; code-scanning.ts builds it). */
export interface SarifUploadRequest {
  commitSha: string;
  /** refs/heads/…, refs/tags/…, refs/pull/N/merge or refs/pull/N/head */
  ref: string;
  /** The SARIF log, gzipped, then base64. */
  sarif: string;
  toolName: string;
  /** ISO 8601, YYYY-MM-DDTHH:MM:SSZ */
  startedAt?: string;
}

/** GitHub's processing of one upload (`GET …/code-scanning/sarifs/{id}`). */
export interface SarifProcessing {
  status: 'pending' | 'complete' | 'failed';
  /** Why processing failed, as GitHub says it. */
  errors: string[];
  analysesUrl?: string;
}

/** `@actions/github` could not be loaded (its import parses GITHUB_EVENT_PATH). */
export class GitHubUnavailableError extends Error {
  override readonly name = 'GitHubUnavailableError';
}

let totalRequests = 0;

/** HTTP requests sent by every client in this process (retries included): the "API calls per run" figure. */
export function requestCount(): number {
  return totalRequests;
}

export function resetRequestCount(): void {
  totalRequests = 0;
}

const noopLog: ClientLog = { info: () => {}, warning: () => {} };
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in for the throttling plugin's write / notification Bottleneck groups: this client spaces writes itself. */
const passThroughGroup = {
  key: () => ({ schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) => fn(...args) }),
};

export async function createGitHubClient(config: GitHubClientConfig): Promise<GitHubClient> {
  let mod: typeof import('@actions/github');
  try {
    // Eager: bundled into the one file (the CLI bundle carries no chunks, and `--repo` uses this client), still
    // evaluated only here, on first use.
    mod = await import(/* webpackMode: "eager" */ '@actions/github');
  } catch (err) {
    throw new GitHubUnavailableError(`cannot load the GitHub client: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new GitHubClient(config, mod.getOctokit);
}

export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  /** owner/name */
  readonly repository: string;
  /** Requests this client sent (retries included). */
  requests = 0;
  /** Seconds of rate-limit wait this client accepted. */
  rateLimitWaitSeconds = 0;
  /** Set after the first write refused for lack of permission; later writes fail at once without a request. */
  readOnly: ReadOnlyTokenError | undefined;

  /** Epoch ms after which this client sends nothing (its creation + the budget). */
  readonly deadline: number;
  readonly budgetMs: number;

  private readonly octokit: Octokit;
  private readonly log: ClientLog;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly writeSpacingMs: number;
  private readonly rateLimitBaseMs: number;
  private writeChain: Promise<unknown> = Promise.resolve();
  private lastWriteEnd = Number.NEGATIVE_INFINITY;

  constructor(config: GitHubClientConfig, octokitFactory: typeof getOctokit) {
    const [owner, repo, ...rest] = config.repository.split('/');
    if (!owner || !repo || rest.length) throw new Error(`repository must be owner/name, got "${config.repository}"`);
    this.owner = owner;
    this.repo = repo;
    this.repository = `${owner}/${repo}`;
    this.log = config.log ?? noopLog;
    this.sleep = config.sleep ?? realSleep;
    this.writeSpacingMs = config.writeSpacingMs ?? 1000;
    this.rateLimitBaseMs = config.rateLimitBaseMs ?? 1000;
    this.budgetMs = config.budgetMs ?? DEFAULT_BUDGET_MS;
    this.deadline = Date.now() + this.budgetMs;
    const rateLimitRetries = config.rateLimitRetries ?? 2;
    const maxWait = config.maxRateLimitWaitSeconds ?? 60;
    const limits = {
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      deadline: this.deadline,
      budgetMs: this.budgetMs,
      retries: config.retries ?? 2,
      retryBaseMs: config.retryBaseMs ?? 1000,
      sleep: this.sleep,
      onAttempt: () => {
        this.requests++;
        totalRequests++;
      },
      log: (m: string) => this.log.info(m),
    };

    const onLimit =
      (kind: string) =>
      (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
        const what = `${options.method ?? ''} ${options.url ?? ''}`.trim();
        const fits = Date.now() + retryAfter * this.rateLimitBaseMs < this.deadline;
        if (retryCount < rateLimitRetries && this.rateLimitWaitSeconds + retryAfter <= maxWait && fits) {
          this.rateLimitWaitSeconds += retryAfter;
          this.log.info(`GitHub ${kind} rate limit on ${what}: retrying in ${retryAfter} s.`);
          return true;
        }
        this.log.warning(`GitHub ${kind} rate limit on ${what}: giving up (it asks to wait ${retryAfter} s${fits ? '' : ', past the time budget'}).`);
        return false;
      };

    this.octokit = octokitFactory(
      config.token,
      {
        baseUrl: config.apiUrl.replace(/\/+$/, ''),
        ...(config.userAgent ? { userAgent: config.userAgent } : {}),
        throttle: {
          onRateLimit: onLimit('primary'),
          onSecondaryRateLimit: onLimit('secondary'),
          retryAfterBaseValue: this.rateLimitBaseMs,
          // Writes are serialised and spaced by this client (configurable), not by the plugin's fixed 1 s / 3 s groups.
          write: passThroughGroup as never,
          notifications: passThroughGroup as never,
        },
      },
      // Listed first, so its hook is the innermost: it runs once per HTTP attempt, and the rate-limit
      // retries of the throttling plugin (outside it) go through it again.
      ((octokit: Octokit) => {
        octokit.hook.wrap('request', async (request, options) => {
          const method = String(options.method).toUpperCase();
          // The path only: the host is the workflow's API URL, the query the page.
          const what = `${method} ${new URL(String(options.url), 'http://api.invalid').pathname}`;
          this.log.debug?.(`GitHub API ${what}`);
          const read = method === 'GET' || method === 'HEAD';
          // In place: before-after-hook hands every hook the same options object, and the auth hook
          // inside this one re-reads that object, not the argument passed on.
          const send = async (signal: AbortSignal) => {
            options.request = { ...options.request, signal };
            return request(options);
          };
          return sendWithinLimits(send, read, what, limits);
        });
        return {};
      }) as never,
      throttling as never,
    );
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The PR's changed files with their patches, up to GitHub's 3,000-file cap (100 per page). */
  async listPullRequestFiles(pullNumber: number): Promise<PullRequestFiles> {
    const op = 'list pull request files';
    const files: PullRequestFile[] = [];
    try {
      const pages = this.octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
        owner: this.owner,
        repo: this.repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      for await (const page of pages) {
        for (const f of page.data) {
          const file: PullRequestFile = { filename: f.filename, status: f.status };
          if (typeof f.patch === 'string') file.patch = f.patch;
          if (f.previous_filename) file.previousFilename = f.previous_filename;
          files.push(file);
        }
        if (files.length >= MAX_PR_FILES) break;
      }
    } catch (err) {
      throw toApiError(err, op, false, this.repository);
    }
    return { files: files.slice(0, MAX_PR_FILES), complete: files.length < MAX_PR_FILES };
  }

  /** Every comment on the PR's conversation (issue comments), oldest first. */
  async listIssueComments(issueNumber: number): Promise<IssueComment[]> {
    try {
      const data = await this.octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: this.owner,
        repo: this.repo,
        issue_number: issueNumber,
        per_page: 100,
      });
      return data.map(toIssueComment);
    } catch (err) {
      throw toApiError(err, 'list issue comments', false, this.repository);
    }
  }

  /** Every inline review comment on the PR (to find fingerprints already posted). */
  async listReviewComments(pullNumber: number): Promise<ReviewComment[]> {
    try {
      const data = await this.octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
        owner: this.owner,
        repo: this.repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      return data.map((c) => {
        const out: ReviewComment = { id: c.id, body: c.body, path: c.path, line: c.line ?? null, commitId: c.commit_id };
        if (c.user) out.user = { login: c.user.login, type: c.user.type };
        return out;
      });
    } catch (err) {
      throw toApiError(err, 'list review comments', false, this.repository);
    }
  }

  /** A file's text at a ref; undefined when it does not exist there (or is a directory, or too large to inline). */
  async getFileContent(path: string, ref: string): Promise<string | undefined> {
    const data = (await this.getContent(path, ref)) as { type?: unknown; encoding?: unknown; content?: unknown } | unknown[] | undefined;
    if (!data || Array.isArray(data) || data.type !== 'file' || data.encoding !== 'base64' || typeof data.content !== 'string') return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  }

  /** The contents API's answer for a path at a ref, as GitHub sent it; undefined on 404. */
  async getContent(path: string, ref: string): Promise<unknown> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: this.owner,
        repo: this.repo,
        path,
        ref,
      });
      return data;
    } catch (err) {
      if (statusOf(err) === 404 && !(err instanceof NoAnswerError)) return undefined;
      throw toApiError(err, 'get file contents', false, this.repository);
    }
  }

  /**
   * The account the token belongs to (`GET /user`). Works for personal access and OAuth tokens; an
   * installation token (GITHUB_TOKEN, a GitHub App's) is refused with 403.
   */
  async getAuthenticatedUser(): Promise<GitHubUser> {
    try {
      const { data } = await this.octokit.request('GET /user');
      return { login: data.login, type: data.type };
    } catch (err) {
      throw toApiError(err, 'get the authenticated user', false, this.repository);
    }
  }

  /**
   * The login this token acts as, from GraphQL's `viewer`: unlike `GET /user` it answers for an
   * installation token too (`<app-slug>[bot]`). Undefined when GitHub does not say.
   */
  async viewerLogin(): Promise<string | undefined> {
    try {
      const data = await this.octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
      const login = data.viewer?.login;
      return typeof login === 'string' && login ? login : undefined;
    } catch (err) {
      if (err instanceof NoAnswerError) throw toApiError(err, 'ask who the token is', false, this.repository);
      return undefined;
    }
  }

  // ---- the default branch's protection (action/branch-policy.ts) ----------------------------

  /** The repository's default branch (`GET /repos/{owner}/{repo}`). */
  async getDefaultBranch(): Promise<string> {
    const data = await this.readJson('get the repository', 'GET /repos/{owner}/{repo}', {});
    const branch = (data as { default_branch?: unknown } | undefined)?.default_branch;
    if (typeof branch !== 'string' || !branch) throw new GitHubApiError('GitHub API: the repository has no default branch.', 'get the repository', 200);
    return branch;
  }

  /** One page of the active rulesets' rules for a branch (evaluate and disabled rulesets are left out by GitHub). */
  async getBranchRules(branch: string, perPage: number): Promise<unknown[]> {
    const data = await this.readJson('get the rules for a branch', 'GET /repos/{owner}/{repo}/rules/branches/{branch}', { branch, per_page: perPage });
    return Array.isArray(data) ? (data as unknown[]) : [];
  }

  /** Classic branch protection; needs Administration read (GITHUB_TOKEN has not): 403 or 404 throw with that status. */
  async getBranchProtection(branch: string): Promise<unknown> {
    return this.readJson('get branch protection', 'GET /repos/{owner}/{repo}/branches/{branch}/protection', { branch });
  }

  /** A ruleset, including an organisation's that applies here; `bypass_actors` only when the token may edit it. */
  async getRuleset(id: number): Promise<unknown> {
    return this.readJson('get a ruleset', 'GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', { ruleset_id: id, includes_parents: true });
  }

  private async readJson(operation: string, route: string, params: Record<string, unknown>): Promise<unknown> {
    try {
      const { data } = await this.octokit.request(route, { owner: this.owner, repo: this.repo, ...params });
      return data as unknown;
    } catch (err) {
      throw toApiError(err, operation, false, this.repository);
    }
  }

  /** How GitHub's processing of an upload stands. A 404 (the upload is not visible yet, or not ours) throws with that status. */
  async getSarifProcessing(sarifId: string): Promise<SarifProcessing> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}', {
        owner: this.owner,
        repo: this.repo,
        sarif_id: sarifId,
      });
      const status = data.processing_status;
      const out: SarifProcessing = {
        status: status === 'complete' || status === 'failed' ? status : 'pending',
        errors: (data.errors ?? []).filter((e): e is string => typeof e === 'string'),
      };
      if (data.analyses_url) out.analysesUrl = data.analyses_url;
      return out;
    } catch (err) {
      throw toApiError(err, 'get the SARIF upload status', false, this.repository);
    }
  }

  // ---- writes (serialised) -------------------------------------------------------------------

  /**
   * Uploads a SARIF log to code scanning; answers the upload's id. It needs `security-events: write`, a permission
   * of its own: a token refused a comment may still upload, so the read-only latch neither stops nor sets it, and
   * a 403 or 404 comes back as a plain GitHubApiError with that status for the caller to explain.
   */
  async uploadSarif(upload: SarifUploadRequest): Promise<{ id: string; url?: string }> {
    return this.write(
      'upload SARIF',
      async () => {
        const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/code-scanning/sarifs', {
          owner: this.owner,
          repo: this.repo,
          commit_sha: upload.commitSha,
          ref: upload.ref,
          sarif: upload.sarif,
          tool_name: upload.toolName,
          ...(upload.startedAt ? { started_at: upload.startedAt } : {}),
        });
        if (typeof data.id !== 'string' || data.id === '') throw new Error('GitHub accepted the upload but named no upload id');
        return { id: data.id, ...(data.url ? { url: data.url } : {}) };
      },
      { refusalIsReadOnly: false, ownPermission: true },
    );
  }

  async createIssueComment(issueNumber: number, body: string): Promise<IssueComment> {
    return this.write('create issue comment', async () => {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: this.owner,
        repo: this.repo,
        issue_number: issueNumber,
        body,
      });
      return toIssueComment(data);
    });
  }

  /**
   * A 404 (the comment was deleted meanwhile) or 403 (not ours to edit) is a plain GitHubApiError with
   * that status, not a read-only token: the caller creates a comment instead.
   */
  async updateIssueComment(commentId: number, body: string): Promise<IssueComment> {
    return this.write(
      'update issue comment',
      async () => {
        const { data } = await this.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner: this.owner,
          repo: this.repo,
          comment_id: commentId,
          body,
        });
        return toIssueComment(data);
      },
      { refusalIsReadOnly: false },
    );
  }

  /** Deleting a comment that is already gone succeeds. */
  async deleteIssueComment(commentId: number): Promise<void> {
    await this.write(
      'delete issue comment',
      async () => {
        try {
          await this.octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', {
            owner: this.owner,
            repo: this.repo,
            comment_id: commentId,
          });
        } catch (err) {
          if (statusOf(err) !== 404 || err instanceof NoAnswerError) throw err;
        }
      },
      { refusalIsReadOnly: false },
    );
  }

  /** One review with event COMMENT carrying every inline comment (a batch: GitHub accepts all or none). */
  async createReview(review: { pullNumber: number; commitId: string; body: string; comments: ReviewCommentDraft[] }): Promise<CreatedReview> {
    return this.write('create review', async () => {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        owner: this.owner,
        repo: this.repo,
        pull_number: review.pullNumber,
        commit_id: review.commitId,
        event: 'COMMENT',
        body: review.body,
        comments: review.comments.map((c) => ({
          path: c.path,
          line: c.line,
          side: 'RIGHT',
          ...(c.startLine !== undefined && c.startLine < c.line ? { start_line: c.startLine, start_side: 'RIGHT' } : {}),
          body: c.body,
        })),
      });
      const out: CreatedReview = { id: Number(data.id) };
      if (data.html_url) out.htmlUrl = data.html_url;
      if (data.user) out.user = { login: data.user.login, type: data.user.type };
      return out;
    });
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** Runs writes one at a time, at least writeSpacingMs apart; maps failures to typed errors. */
  private write<T>(operation: string, fn: () => Promise<T>, opts: { refusalIsReadOnly?: boolean; ownPermission?: boolean } = {}): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.readOnly && !opts.ownPermission) throw new ReadOnlyTokenError(this.readOnly.message, operation, this.readOnly.status, this.readOnly.documentationUrl);
      const wait = Math.min(this.lastWriteEnd + this.writeSpacingMs - Date.now(), this.deadline - Date.now());
      if (wait > 0) await this.sleep(wait);
      try {
        return await fn();
      } catch (err) {
        const e = toApiError(err, operation, opts.refusalIsReadOnly ?? true ? 'write' : 'write-existing', this.repository);
        if (e instanceof ReadOnlyTokenError) this.readOnly = e;
        throw e;
      } finally {
        this.lastWriteEnd = Date.now();
      }
    };
    const result = this.writeChain.then(run, run);
    this.writeChain = result.catch(() => undefined);
    return result;
  }
}

function toIssueComment(c: {
  id: number | bigint;
  body?: string | undefined;
  created_at: string;
  html_url?: string;
  user?: { login: string; type?: string } | null;
}): IssueComment {
  const out: IssueComment = { id: Number(c.id), body: c.body ?? '', createdAt: c.created_at };
  if (c.user) out.user = c.user.type ? { login: c.user.login, type: c.user.type } : { login: c.user.login };
  if (c.html_url) out.htmlUrl = c.html_url;
  return out;
}
