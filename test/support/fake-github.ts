/**
 * A fake GitHub REST API for tests: a loopback HTTP server (127.0.0.1, ephemeral port) that implements
 * the operations the action calls, with in-memory state. Point the client (or `GITHUB_API_URL` of a
 * child process) at `fake.url`.
 *
 * Every request is checked against the request schema of its operation in GitHub's official OpenAPI
 * description (trimmed to test/support/github-openapi.json by scripts/trim-openapi.mjs). On top of the
 * schema it enforces what GitHub enforces and the schema does not say: the 65,536-character body limit,
 * review comment lines inside the file's diff, a read-only token, and injected faults (secondary and
 * primary rate limits, 5xx, a write applied and then answered with an error, a connection accepted and
 * never answered). Every request is recorded, faulted or not.
 *
 * Code scanning (`fake.codeScanning`, test/support/fake-code-scanning.ts): SARIF uploads and their processing.
 * Commits (`fake.commits`, test/support/fake-commits.ts): `GET /repos/{owner}/{repo}/commits/{ref}` for any
 * repository, anonymous requests included (the pin lookups of src/action/pins/).
 *
 * Branch protection (`fake.branchPolicy`, for review-policy): the default branch's active ruleset rules, classic
 * protection (or the 403/404 a token without Administration read gets) and rulesets by id. The fake checks its own
 * answers to these against the 200 schema of the OpenAPI description, so tests cannot seed a shape GitHub never sends.
 * Unseeded, the rules endpoint answers 404 (as for a repository the token cannot see): review-policy is then not checked.
 *
 * Who posts: each token acts as a user (`actAs`; GITHUB_TOKEN's `github-actions[bot]` by default), and
 * what it creates carries that author. Two calls outside the trimmed OpenAPI description answer who a
 * token is: `GET /user` (refused for a bot's installation token, as GitHub does) and GraphQL
 * `{ viewer { login } }`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll } from 'vitest';
import { FakeCodeScanning, type Answer } from './fake-code-scanning.js';
import { FakeCommits } from './fake-commits.js';

export const BODY_LIMIT = 65_536;

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface FakeFile {
  filename: string;
  status?: FileStatus;
  /** Unified-diff hunks as GitHub returns them; omit for a file whose patch GitHub leaves out (binary, too large). */
  patch?: string;
  previous_filename?: string;
}

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The user the token belongs to: what GITHUB_TOKEN posts as. */
export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface IssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
  author_association: string;
}

export interface ReviewComment {
  id: number;
  pull_request_review_id: number;
  url: string;
  html_url: string;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  start_line: number | null;
  start_side: 'LEFT' | 'RIGHT' | null;
  original_line: number | null;
  position: number | null;
  commit_id: string;
  original_commit_id: string;
  diff_hunk: string;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface Review {
  id: number;
  html_url: string;
  user: FakeUser;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING';
  commit_id: string;
  submitted_at: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /repos/acme/widgets/issues/1/comments. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** operationId from the OpenAPI description, when the route matched. */
  operation?: string;
  /** Status the fake answered with. */
  status: number;
}

export interface Fault {
  /** How many matching requests fail (then the fault is used up). */
  count: number;
  status: number;
  /** Which requests: by method and/or a pattern on the path. Default: every request. */
  method?: string;
  path?: RegExp;
  headers?: Record<string, string>;
  body?: unknown;
  /** Apply the request first, then answer `status` anyway (GitHub's 502 after a write it completed). */
  apply?: boolean;
  /** Accept the request and never answer it (nor apply it). */
  hang?: boolean;
}

/** Thrown by dispatch to leave a request unanswered. */
const HANG = Symbol('hang');

interface PullRequest {
  number: number;
  headSha: string;
  commits: string[];
  files: (FakeFile & { status: FileStatus })[];
}

interface OperationSpec {
  method: string;
  path: string;
  parameters: { name: string; in: string; required: boolean; schema: object; multiSegment?: boolean }[];
  requestBody?: { required: boolean; schema: object };
  /** The 200 answer's schema, for the operations whose answers the fake checks (scripts/trim-openapi.mjs RESPONSES). */
  response?: object;
  documentationUrl?: string;
}

/** The default branch's protection as the API shows it (see the header). */
export interface FakeBranchPolicy {
  /** What `GET …/rules/branches/{branch}` lists: the active rulesets' rules, each with its ruleset's source and id. */
  rules: Record<string, unknown>[];
  /** Classic protection as `GET …/branches/{branch}/protection` answers it, or the status the token gets instead. */
  protection: Record<string, unknown> | 403 | 404;
  /** Rulesets by id as `GET …/rulesets/{id}` answers them (leave out `bypass_actors` for a token that may not edit them). */
  rulesets?: Record<number, Record<string, unknown>>;
}

interface Route {
  id: string;
  spec: OperationSpec;
  regex: RegExp;
  names: string[];
  validateParams: ValidateFunction;
  validateBody?: ValidateFunction;
  validateResponse?: ValidateFunction;
}

const SPEC = JSON.parse(readFileSync(new URL('./github-openapi.json', import.meta.url), 'utf8')) as {
  operations: Record<string, OperationSpec>;
};

let compiled: Route[] | undefined;
function routes(): Route[] {
  if (compiled) return compiled;
  // OpenAPI 3.0 schemas: `nullable` is understood by Ajv; formats (date-time, int64) are not checked.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, coerceTypes: false });
  const coercing = new Ajv({ allErrors: true, strict: false, validateFormats: false, coerceTypes: true });
  compiled = Object.entries(SPEC.operations).map(([id, spec]) => {
    const names: string[] = [];
    const pattern = spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      const multi = spec.parameters.find((p) => p.name === name)?.multiSegment;
      return multi ? '(.+)' : '([^/]+)';
    });
    const paramSchema = {
      type: 'object',
      properties: Object.fromEntries(spec.parameters.map((p) => [p.name, p.schema])),
      required: spec.parameters.filter((p) => p.required).map((p) => p.name),
    };
    const route: Route = { id, spec, regex: new RegExp(`^${pattern}$`), names, validateParams: coercing.compile(paramSchema) };
    if (spec.requestBody) route.validateBody = ajv.compile(spec.requestBody.schema);
    if (spec.response) route.validateResponse = ajv.compile(nullableForAjv(spec.response) as object);
    return route;
  });
  return compiled;
}

/** OpenAPI 3.0's `nullable` beside `allOf`/`$ref`-like shapes without a `type` (which Ajv refuses): `anyOf` with null instead. */
function nullableForAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableForAjv);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([name, s]) => [name, nullableForAjv(s)])) : nullableForAjv(v);
  if (out['nullable'] === true && out['type'] === undefined) {
    delete out['nullable'];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof payload === 'object' && payload && 'message' in payload ? String(payload.message) : `HTTP ${status}`);
  }
}

/** Rails' Array#to_sentence, which GitHub uses to join validation messages. */
function toSentence(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

/** Lines of a unified-diff patch that a review comment may anchor to, per side, with their hunk index. */
export function commentableLines(patch: string): { RIGHT: Map<number, number>; LEFT: Map<number, number>; positions: number } {
  const RIGHT = new Map<number, number>();
  const LEFT = new Map<number, number>();
  let left = 0;
  let right = 0;
  let hunk = -1;
  let positions = 0;
  let started = false;
  for (const raw of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      hunk++;
      left = Number(header[1]);
      right = Number(header[2]);
      // The first hunk header is position 0; each later line (headers included) counts one.
      if (started) positions++;
      started = true;
      continue;
    }
    if (!started) continue;
    positions++;
    const mark = raw[0];
    if (mark === '+') RIGHT.set(right++, hunk);
    else if (mark === '-') LEFT.set(left++, hunk);
    else if (mark === '\\') continue;
    else {
      RIGHT.set(right++, hunk);
      LEFT.set(left++, hunk);
    }
  }
  return { RIGHT, LEFT, positions };
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** When true every write answers 403 "Resource not accessible by integration" (a fork PR's token). */
  readOnly = false;
  /** The most writes that were in flight at once (the client must serialise them: 1). */
  maxConcurrentWrites = 0;
  /** Requests accepted and left unanswered (hang faults); their sockets stay open until close(). */
  hung = 0;
  /** SARIF uploads: what was uploaded, and how processing behaves (`codeScanning.behaviour`). */
  readonly codeScanning: FakeCodeScanning;
  /** Commits of any repository by ref (`commits.set('actions/checkout', 'v4', sha)`). */
  readonly commits: FakeCommits;
  /** The default branch's protection (review-policy's reads); unseeded: not readable. */
  branchPolicy: FakeBranchPolicy | undefined;

  private server!: Server;
  private port = 0;
  private nextId = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private inFlightWrites = 0;
  private faults: Fault[] = [];
  private readonly pulls = new Map<number, PullRequest>();
  private readonly comments = new Map<number, IssueComment[]>();
  private readonly reviewComments_ = new Map<number, ReviewComment[]>();
  private readonly reviews_ = new Map<number, Review[]>();
  private readonly contents = new Map<string, string>();
  private readonly tokenUsers = new Map<string, FakeUser>();

  private constructor(options: FakeGitHubOptions) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'widgets';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.codeScanning = new FakeCodeScanning(`${this.owner}/${this.repo}`, () => this.url);
    this.commits = new FakeCommits(() => this.url);
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await fake.listen();
    return fake;
  }

  /** One fake for a whole test file: it listens from beforeAll and closes in afterAll (its url is valid in tests). */
  static forSuite(options: FakeGitHubOptions = {}): FakeGitHub {
    const fake = new FakeGitHub(options);
    beforeAll(() => fake.listen());
    afterAll(() => fake.close());
    return fake;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get repository(): string {
    return `${this.owner}/${this.repo}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- seeding -------------------------------------------------------------------------------

  addPullRequest(pr: { number: number; headSha?: string; commits?: string[]; files?: FakeFile[] }): void {
    const headSha = pr.headSha ?? 'a'.repeat(40);
    this.pulls.set(pr.number, {
      number: pr.number,
      headSha,
      commits: pr.commits ?? [headSha],
      files: (pr.files ?? []).map((f) => ({ ...f, status: f.status ?? 'modified' })),
    });
  }

  /** Replaces the PR's files and head (a push). */
  pushToPullRequest(number: number, update: { headSha: string; files: FakeFile[] }): void {
    const pr = this.pull(number);
    pr.headSha = update.headSha;
    pr.commits.push(update.headSha);
    pr.files = update.files.map((f) => ({ ...f, status: f.status ?? 'modified' }));
  }

  addIssueComment(issue: number, comment: { body: string; user?: FakeUser; created_at?: string }): IssueComment {
    return this.insertComment(issue, comment.body, comment.user ?? ACTIONS_BOT, comment.created_at);
  }

  /** Seeds a review comment as if posted earlier (e.g. by a previous run). */
  addReviewComment(pull: number, c: { path: string; line: number; body: string; user?: FakeUser }): ReviewComment {
    const pr = this.pull(pull);
    const rc = this.makeReviewComment(pr, 0, { path: c.path, line: c.line, side: 'RIGHT', body: c.body }, c.user ?? ACTIONS_BOT, pr.headSha);
    this.list(this.reviewComments_, pull).push(rc);
    return rc;
  }

  /** Requests with this token act as `user` (default for any token: github-actions[bot]). */
  actAs(token: string, user: FakeUser): void {
    this.tokenUsers.set(token, user);
  }

  setFile(path: string, content: string, ref = this.defaultBranch): void {
    this.contents.set(`${ref}\0${path}`, content);
  }

  // ---- faults --------------------------------------------------------------------------------

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The next `count` matching requests answer `status` (default 502). */
  serverError(count: number, status = 502, match: Pick<Fault, 'method' | 'path'> = {}): void {
    this.injectFault({ count, status, ...match, body: { message: status === 502 ? 'Server Error' : 'Service Unavailable' } });
  }

  /** The next `count` matching requests are applied, then answered `status` (default 502) as if they had failed. */
  applyThenFail(count: number, status = 502, match: Pick<Fault, 'method' | 'path'> = {}): void {
    this.injectFault({ count, status, ...match, apply: true, body: { message: 'Server Error' } });
  }

  /** The next `count` matching requests are accepted and never answered (and not applied). */
  hang(count: number, match: Pick<Fault, 'method' | 'path'> = {}): void {
    this.injectFault({ count, status: 0, ...match, hang: true });
  }

  /** A secondary rate limit, as GitHub answers it: 403 (or 429) with `retry-after` and that message. */
  secondaryRateLimit(count: number, retryAfterSeconds: number, status: 403 | 429 = 403, match: Pick<Fault, 'method' | 'path'> = {}): void {
    this.injectFault({
      count,
      status,
      ...match,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(status),
      },
    });
  }

  /** The primary rate limit exhausted: 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`. */
  primaryRateLimit(count: number, resetInSeconds: number, match: Pick<Fault, 'method' | 'path'> = {}): void {
    this.injectFault({
      count,
      status: 403,
      ...match,
      headers: {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
      },
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
        status: '403',
      },
    });
  }

  // ---- reading state -------------------------------------------------------------------------

  issueComments(issue: number): IssueComment[] {
    return [...(this.comments.get(issue) ?? [])];
  }

  reviewComments(pull: number): ReviewComment[] {
    return [...(this.reviewComments_.get(pull) ?? [])];
  }

  reviews(pull: number): Review[] {
    return [...(this.reviews_.get(pull) ?? [])];
  }

  /** Recorded requests that change state (POST, PATCH, PUT, DELETE). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => !['GET', 'HEAD'].includes(r.method));
  }

  /** Recorded requests of one OpenAPI operation, e.g. 'issues/create-comment'. */
  requestsFor(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      headers: req.headers,
      status: 0,
    };
    this.requests.push(record);
    const isWrite = !['GET', 'HEAD'].includes(method);
    if (isWrite) {
      this.inFlightWrites++;
      this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, this.inFlightWrites);
    }
    let status: number;
    let payload: unknown;
    let headers: Record<string, string>;
    try {
      if (raw.length > 0) {
        try {
          record.body = JSON.parse(raw) as unknown;
        } catch {
          throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' });
        }
      }
      ({ status, payload, headers = {} } = await this.dispatch(method, url, record));
    } catch (err) {
      if (err === HANG) {
        if (isWrite) this.inFlightWrites--;
        this.hung++;
        return;
      }
      const e = err instanceof HttpError ? err : new HttpError(500, { message: `fake GitHub bug: ${String(err)}` });
      status = e.status;
      payload = e.payload;
      headers = e.headers;
    }
    // Let concurrent requests arrive before answering, so overlapping writes are seen as such.
    await new Promise((resolve) => setImmediate(resolve));
    if (isWrite) this.inFlightWrites--;
    record.status = status;
    const text = payload === undefined ? '' : JSON.stringify(payload);
    res.writeHead(status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '999',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...headers,
    });
    res.end(text);
  }

  private async dispatch(
    method: string,
    url: URL,
    record: RecordedRequest,
  ): Promise<{ status: number; payload?: unknown; headers?: Record<string, string> }> {
    const route = routes().find((r) => r.spec.method === method && r.regex.test(record.path));
    if (route) record.operation = route.id;

    const fault = this.faults.find((f) => f.count > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(record.path)));
    if (fault) {
      fault.count--;
      if (fault.hang) throw HANG;
      if (fault.apply) await this.route(method, url, record, route);
      throw new HttpError(fault.status, fault.body ?? { message: `HTTP ${fault.status}` }, fault.headers);
    }
    return this.route(method, url, record, route);
  }

  private async route(
    method: string,
    url: URL,
    record: RecordedRequest,
    route: Route | undefined,
  ): Promise<{ status: number; payload?: unknown; headers?: Record<string, string> }> {
    if (route?.id === 'repos/get-commit') return this.getCommit(route, record);
    if (!record.headers.authorization) throw new HttpError(401, { message: 'Requires authentication', status: '401' });
    const actor = this.actor(record);
    if (method === 'GET' && record.path === '/user') {
      record.operation = 'users/get-authenticated';
      // An installation token (GITHUB_TOKEN, a GitHub App's) is not a user: GitHub refuses it.
      if (actor.type === 'Bot')
        throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' });
      return { status: 200, payload: { login: actor.login, id: actor.id, type: actor.type } };
    }
    if (method === 'POST' && record.path === '/graphql') {
      record.operation = 'graphql';
      const query = String((record.body as { query?: unknown } | undefined)?.query ?? '');
      if (!/^\s*query\s*\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) return { status: 200, payload: { errors: [{ message: 'fake GitHub: only { viewer { login } } is served' }] } };
      return { status: 200, payload: { data: { viewer: { login: actor.login } } } };
    }
    if (!route) throw new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });

    const doc = route.spec.documentationUrl ?? 'https://docs.github.com/rest';
    const params: Record<string, unknown> = { ...record.query };
    const match = route.regex.exec(record.path)!;
    route.names.forEach((name, i) => (params[name] = match[i + 1]));
    if (!route.validateParams(params)) throw this.invalid(route.validateParams, doc);
    if (route.validateBody) {
      if (record.body === undefined && route.spec.requestBody?.required) throw this.invalid(undefined, doc, 'Body is required.');
      if (record.body !== undefined && !route.validateBody(record.body)) throw this.invalid(route.validateBody, doc);
    }
    if (String(params['owner']).toLowerCase() !== this.owner.toLowerCase() || String(params['repo']).toLowerCase() !== this.repo.toLowerCase())
      throw notFound(doc);
    if (this.readOnly && method !== 'GET')
      throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: doc, status: '403' });

    const body = (record.body ?? {}) as Record<string, unknown>;
    switch (route.id) {
      case 'pulls/list-files': {
        const pr = this.pulls.get(Number(params['pull_number']));
        if (!pr) throw notFound(doc);
        // GitHub lists at most 3,000 files of a pull request.
        const files = pr.files.slice(0, 3000);
        const toJson = (f: PullRequest['files'][number], i: number): unknown => ({
          sha: (i + 1).toString(16).padStart(40, '0'),
          filename: f.filename,
          status: f.status,
          additions: f.patch ? f.patch.split('\n').filter((l) => l.startsWith('+')).length : 0,
          deletions: f.patch ? f.patch.split('\n').filter((l) => l.startsWith('-')).length : 0,
          changes: 0,
          blob_url: `https://github.com/${this.repository}/blob/${pr.headSha}/${f.filename}`,
          raw_url: `https://github.com/${this.repository}/raw/${pr.headSha}/${f.filename}`,
          contents_url: `${this.url}/repos/${this.repository}/contents/${f.filename}?ref=${pr.headSha}`,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
          ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
        });
        return this.page(files, url, record, toJson);
      }
      case 'issues/list-comments':
        return this.page(this.comments.get(Number(params['issue_number'])) ?? [], url, record);
      case 'issues/create-comment': {
        const issue = Number(params['issue_number']);
        if (!this.pulls.has(issue) && !this.comments.has(issue)) throw notFound(doc);
        this.checkLength(String(body['body']), 'IssueComment', doc);
        return { status: 201, payload: this.insertComment(issue, String(body['body']), actor) };
      }
      case 'issues/update-comment': {
        const c = this.findComment(Number(params['comment_id']));
        if (!c) throw notFound(doc);
        this.checkAuthor(c, actor, doc);
        this.checkLength(String(body['body']), 'IssueComment', doc);
        c.body = String(body['body']);
        c.updated_at = this.tick();
        return { status: 200, payload: c };
      }
      case 'issues/delete-comment': {
        const id = Number(params['comment_id']);
        for (const list of this.comments.values()) {
          const i = list.findIndex((c) => c.id === id);
          if (i >= 0) {
            this.checkAuthor(list[i]!, actor, doc);
            list.splice(i, 1);
            return { status: 204 };
          }
        }
        throw notFound(doc);
      }
      case 'pulls/list-review-comments':
        return this.page(this.reviewComments_.get(Number(params['pull_number'])) ?? [], url, record);
      case 'pulls/create-review':
        return { status: 200, payload: this.createReview(Number(params['pull_number']), body, doc, actor) };
      case 'repos/get-content': {
        const path = String(params['path']);
        const ref = record.query['ref'] ?? this.defaultBranch;
        const content = this.contents.get(`${ref}\0${path}`);
        if (content === undefined) throw notFound(doc);
        const encoded = Buffer.from(content, 'utf8').toString('base64').replace(/.{60}/g, '$&\n');
        return {
          status: 200,
          payload: {
            type: 'file',
            encoding: 'base64',
            size: Buffer.byteLength(content),
            name: path.split('/').pop(),
            path,
            sha: 'f'.repeat(40),
            content: encoded,
            url: `${this.url}/repos/${this.repository}/contents/${path}?ref=${ref}`,
          },
        };
      }
      case 'code-scanning/upload-sarif':
        return this.codeScanning.upload(body, doc, httpError);
      case 'code-scanning/get-sarif':
        return this.codeScanning.status(String(params['sarif_id']), doc, httpError);
      case 'repos/get':
        return { status: 200, payload: { id: 1, name: this.repo, full_name: this.repository, private: false, default_branch: this.defaultBranch, owner: { login: this.owner } } };
      case 'repos/get-branch-rules':
      case 'repos/get-branch-protection':
      case 'repos/get-repo-ruleset':
        return this.checked(route, this.protection(route.id, params, url, record, doc), doc);
      default:
        throw notFound(doc);
    }
  }

  /** Any repository's commit by ref, anonymously too (public repositories), parameters checked like every route's. */
  private getCommit(route: Route, record: RecordedRequest): Answer & { status: number } {
    const doc = route.spec.documentationUrl ?? 'https://docs.github.com/rest';
    const params: Record<string, unknown> = { ...record.query };
    const match = route.regex.exec(record.path)!;
    route.names.forEach((name, i) => (params[name] = match[i + 1]));
    if (!route.validateParams(params)) throw this.invalid(route.validateParams, doc);
    const auth = record.headers.authorization;
    return this.commits.get(String(params['owner']), String(params['repo']), String(params['ref']), doc, auth, httpError);
  }

  private protection(id: string, params: Record<string, unknown>, url: URL, record: RecordedRequest, doc: string): { status: number; payload?: unknown; headers?: Record<string, string> } {
    const policy = this.branchPolicy;
    if (!policy) throw notFound(doc);
    const onDefault = String(params['branch']) === this.defaultBranch;
    if (id === 'repos/get-branch-rules') return this.page(onDefault ? policy.rules : [], url, record);
    if (id === 'repos/get-repo-ruleset') {
      const set = policy.rulesets?.[Number(params['ruleset_id'])];
      if (!set) throw notFound(doc);
      return { status: 200, payload: set };
    }
    if (policy.protection === 403) throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: doc, status: '403' });
    if (policy.protection === 404 || !onDefault) throw new HttpError(404, { message: 'Branch not protected', documentation_url: doc, status: '404' });
    return { status: 200, payload: policy.protection };
  }

  /** An answer the OpenAPI description's 200 schema must accept: a test that seeds a wrong shape fails here, not in the action. */
  private checked(route: Route, answer: { status: number; payload?: unknown; headers?: Record<string, string> }, doc: string): typeof answer {
    if (answer.status === 200 && route.validateResponse && !route.validateResponse(answer.payload)) {
      const details = (route.validateResponse.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
      throw new HttpError(500, { message: `fake GitHub: the seeded answer to ${route.id} does not match GitHub's schema: ${details}`, documentation_url: doc });
    }
    return answer;
  }

  /** The user a request acts as, from its token. */
  private actor(record: RecordedRequest): FakeUser {
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(String(record.headers.authorization ?? ''))?.[1] ?? '';
    return this.tokenUsers.get(token) ?? ACTIONS_BOT;
  }

  /** As observed on GitHub: an installation token may not edit or delete another author's comment. */
  private checkAuthor(c: IssueComment, actor: FakeUser, doc: string): void {
    if (actor.type === 'Bot' && c.user.login !== actor.login)
      throw new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: doc, status: '403' });
  }

  private invalid(validate: ValidateFunction | undefined, doc: string, message?: string): HttpError {
    const details = message ?? (validate?.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('\n');
    return new HttpError(422, { message: `Invalid request.\n\n${details}`, documentation_url: doc, status: '422' });
  }

  private checkLength(text: string, resource: string, doc: string): void {
    // GitHub counts characters (Ruby String#length), i.e. code points.
    if ([...text].length > BODY_LIMIT)
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }],
        documentation_url: doc,
        status: '422',
      });
  }

  private createReview(number: number, body: Record<string, unknown>, doc: string, actor: FakeUser): Review {
    const pr = this.pulls.get(number);
    if (!pr) throw notFound(doc);
    const event = (body['event'] as string | undefined) ?? 'PENDING';
    const text = typeof body['body'] === 'string' ? body['body'] : '';
    const comments = (body['comments'] as Record<string, unknown>[] | undefined) ?? [];
    const commitId = (body['commit_id'] as string | undefined) ?? pr.headSha;
    const unprocessable = (errors: string[]): HttpError =>
      new HttpError(422, { message: 'Unprocessable Entity', errors: [toSentence(errors)], documentation_url: doc, status: '422' });
    if (!pr.commits.includes(commitId)) throw unprocessable(['Commit ID is not part of the pull request']);
    // Not verified against GitHub's exact wording; GitHub does refuse an empty COMMENT/REQUEST_CHANGES review.
    if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !text && comments.length === 0)
      throw unprocessable([`Review body is required for ${event}`]);
    this.checkLength(text, 'PullRequestReview', doc);
    // A batch review is all or nothing: check every comment first.
    for (const c of comments) {
      this.checkLength(String(c['body']), 'PullRequestReviewComment', doc);
      const errors = this.anchorErrors(pr, c);
      if (errors.length) throw unprocessable(errors);
    }
    const review: Review = {
      id: this.nextId++,
      html_url: `https://github.com/${this.repository}/pull/${number}#pullrequestreview-${this.nextId}`,
      user: actor,
      body: text,
      state: event === 'COMMENT' ? 'COMMENTED' : event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'PENDING',
      commit_id: commitId,
      submitted_at: this.tick(),
    };
    this.list(this.reviews_, number).push(review);
    for (const c of comments) this.list(this.reviewComments_, number).push(this.makeReviewComment(pr, review.id, c, actor, commitId));
    return review;
  }

  private anchorErrors(pr: PullRequest, c: Record<string, unknown>): string[] {
    const file = pr.files.find((f) => f.filename === c['path']);
    if (!file) return ['Pull request review thread path is invalid', "Pull request review thread diff hunk can't be blank"];
    if (file.patch === undefined) return ["Pull request review thread diff hunk can't be blank"];
    const lines = commentableLines(file.patch);
    if (typeof c['position'] === 'number') {
      return c['position'] >= 1 && c['position'] <= lines.positions ? [] : ['Pull request review thread position is invalid'];
    }
    if (typeof c['line'] !== 'number') return ['Pull request review thread line must be part of the diff', "Pull request review thread diff hunk can't be blank"];
    const side = c['side'] === 'LEFT' ? 'LEFT' : c['side'] === undefined || c['side'] === 'RIGHT' ? 'RIGHT' : undefined;
    if (!side) return ['Pull request review thread side is not included in the list'];
    const hunk = lines[side].get(c['line']);
    if (hunk === undefined) return ['Pull request review thread line must be part of the diff', "Pull request review thread diff hunk can't be blank"];
    if (c['start_line'] !== undefined) {
      const startSide = c['start_side'] === 'LEFT' ? 'LEFT' : 'RIGHT';
      const start = c['start_line'] as number;
      if (start >= c['line'] && startSide === side) return ['Pull request review thread start line must precede the end line.'];
      const startHunk = lines[startSide].get(start);
      if (startHunk === undefined) return ['Pull request review thread start line must be part of the diff'];
      if (startHunk !== hunk) return ['Pull request review thread start line must be part of the same hunk as the line.'];
    }
    return [];
  }

  private makeReviewComment(pr: PullRequest, reviewId: number, c: Record<string, unknown>, user: FakeUser, commitId: string): ReviewComment {
    const id = this.nextId++;
    const now = this.tick();
    const line = typeof c['line'] === 'number' ? c['line'] : null;
    return {
      id,
      pull_request_review_id: reviewId,
      url: `${this.url}/repos/${this.repository}/pulls/comments/${id}`,
      html_url: `https://github.com/${this.repository}/pull/${pr.number}#discussion_r${id}`,
      path: String(c['path']),
      line,
      side: c['side'] === 'LEFT' ? 'LEFT' : 'RIGHT',
      start_line: typeof c['start_line'] === 'number' ? c['start_line'] : null,
      start_side: typeof c['start_line'] === 'number' ? (c['start_side'] === 'LEFT' ? 'LEFT' : 'RIGHT') : null,
      original_line: line,
      position: typeof c['position'] === 'number' ? c['position'] : null,
      commit_id: commitId,
      original_commit_id: commitId,
      diff_hunk: pr.files.find((f) => f.filename === c['path'])?.patch?.split('\n')[0] ?? '',
      body: String(c['body']),
      user,
      created_at: now,
      updated_at: now,
    };
  }

  /** GitHub-style pagination: per_page (default 30, at most 100), page, and a Link header. */
  private page<T>(
    items: T[],
    url: URL,
    record: RecordedRequest,
    toJson: (item: T, index: number) => unknown = (item) => item,
  ): { status: number; payload: unknown; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(record.query['per_page'] ?? 30) || 30));
    const page = Math.max(1, Number(record.query['page'] ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => {
      const u = new URL(url.toString());
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return {
      status: 200,
      payload: items.slice((page - 1) * perPage, page * perPage).map((item, i) => toJson(item, (page - 1) * perPage + i)),
      headers: links.length ? { link: links.join(', ') } : {},
    };
  }

  private insertComment(issue: number, body: string, user: FakeUser, createdAt?: string): IssueComment {
    const id = this.nextId++;
    const now = createdAt ?? this.tick();
    const comment: IssueComment = {
      id,
      node_id: `IC_${id}`,
      url: `${this.url}/repos/${this.repository}/issues/comments/${id}`,
      html_url: `https://github.com/${this.repository}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${this.repository}/issues/${issue}`,
      body,
      user,
      created_at: now,
      updated_at: now,
      author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
    this.list(this.comments, issue).push(comment);
    return comment;
  }

  private findComment(id: number): IssueComment | undefined {
    for (const list of this.comments.values()) {
      const c = list.find((x) => x.id === id);
      if (c) return c;
    }
    return undefined;
  }

  private pull(number: number): PullRequest {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`fake GitHub: no pull request #${number}; call addPullRequest first`);
    return pr;
  }

  private list<T>(map: Map<number, T[]>, key: number): T[] {
    let l = map.get(key);
    if (!l) map.set(key, (l = []));
    return l;
  }

  /** A deterministic clock: each event is one second after the previous. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

function httpError(a: Answer): never {
  throw new HttpError(a.status, a.payload);
}

function notFound(doc: string): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: doc, status: '404' });
}
