import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  GitHubApiError,
  RateLimitError,
  ReadOnlyTokenError,
  createGitHubClient,
  requestCount,
  resetRequestCount,
  type GitHubClient,
  type GitHubClientConfig,
} from '../../src/action/github.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIONS_BOT, FakeGitHub, commentableLines } from '../support/fake-github.js';

const fake = FakeGitHub.forSuite();
let logs: { info: string[]; warning: string[] };

beforeEach(() => {
  fake.clearRequests();
  fake.clearFaults();
  fake.readOnly = false;
  fake.maxConcurrentWrites = 0;
  logs = { info: [], warning: [] };
});

let prNumber = 100;
afterEach(() => {
  prNumber++;
});

async function client(overrides: Partial<GitHubClientConfig> = {}): Promise<GitHubClient> {
  return createGitHubClient({
    token: 'ghs_test',
    apiUrl: fake.url,
    repository: fake.repository,
    writeSpacingMs: 0,
    retryBaseMs: 1,
    rateLimitBaseMs: 1,
    log: { info: (m) => logs.info.push(m), warning: (m) => logs.warning.push(m) },
    ...overrides,
  });
}

/** A patch adding a whole new file of `n` lines. */
const addedFile = (n: number): string => `@@ -0,0 +1,${n} @@\n` + Array.from({ length: n }, (_, i) => `+line ${i + 1}`).join('\n');
const SHA = 'b'.repeat(40);
/** Modified file: lines 10–14 of the new version are in the diff (12 added, the rest context). */
const MODIFIED = '@@ -10,4 +10,5 @@ jobs:\n a\n b\n+c\n d\n e\n@@ -40,2 +41,2 @@\n-x\n+y\n z';

describe('commentableLines (the fake’s diff model)', () => {
  it('knows added and context lines on the right, removed and context lines on the left, per hunk', () => {
    const lines = commentableLines(MODIFIED);
    expect([...lines.RIGHT.keys()]).toEqual([10, 11, 12, 13, 14, 41, 42]);
    expect([...lines.LEFT.keys()]).toEqual([10, 11, 12, 13, 40, 41]);
    expect(lines.RIGHT.get(12)).toBe(0);
    expect(lines.RIGHT.get(41)).toBe(1);
    expect(lines.positions).toBe(9);
  });
});

describe('reads', () => {
  it('lists PR files 100 per page: 250 files are 3 requests, patches kept, omitted patches left out', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      filename: `f${i}.yml`,
      status: 'added' as const,
      ...(i === 7 ? {} : { patch: addedFile(2) }),
    }));
    fake.addPullRequest({ number: prNumber, headSha: SHA, files });
    const c = await client();
    const listed = await c.listPullRequestFiles(prNumber);
    expect(listed.complete).toBe(true);
    expect(listed.files).toHaveLength(250);
    expect(listed.files[0]).toEqual({ filename: 'f0.yml', status: 'added', patch: addedFile(2) });
    expect(listed.files[7]).toEqual({ filename: 'f7.yml', status: 'added' });
    const reqs = fake.requestsFor('pulls/list-files');
    expect(reqs.map((r) => [r.query['per_page'], r.query['page'] ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
    ]);
    expect(reqs[0]!.headers.authorization).toBe('token ghs_test');
    expect(c.requests).toBe(3);
  });

  it('stops at GitHub’s 3,000-file cap and says the listing is incomplete', async () => {
    const files = Array.from({ length: 3100 }, (_, i) => ({ filename: `f${i}`, patch: addedFile(1) }));
    fake.addPullRequest({ number: prNumber, files });
    const c = await client();
    const listed = await c.listPullRequestFiles(prNumber);
    expect(listed.files).toHaveLength(3000);
    expect(listed.complete).toBe(false);
    expect(c.requests).toBe(30);
  });

  it('keeps a renamed file’s previous name', async () => {
    fake.addPullRequest({ number: prNumber, files: [{ filename: 'new.yml', status: 'renamed', previous_filename: 'old.yml' }] });
    const listed = await (await client()).listPullRequestFiles(prNumber);
    expect(listed.files).toEqual([{ filename: 'new.yml', status: 'renamed', previousFilename: 'old.yml' }]);
  });

  it('lists every issue comment across pages, oldest first, with author and time', async () => {
    fake.addPullRequest({ number: prNumber });
    for (let i = 0; i < 150; i++) fake.addIssueComment(prNumber, { body: `c${i}`, user: { login: 'octocat', id: 1, type: 'User' } });
    const c = await client();
    const comments = await c.listIssueComments(prNumber);
    expect(comments).toHaveLength(150);
    expect(comments[0]).toMatchObject({ body: 'c0', user: { login: 'octocat', type: 'User' } });
    expect(comments[0]!.createdAt < comments[149]!.createdAt).toBe(true);
    expect(c.requests).toBe(2);
  });

  it('reads a file at a ref, and answers undefined for a missing one', async () => {
    fake.setFile('.github/portcullis.yml', 'fail-on: high\n# ünïcode ✓\n' + 'x'.repeat(200), 'base-sha');
    const c = await client();
    expect(await c.getFileContent('.github/portcullis.yml', 'base-sha')).toBe('fail-on: high\n# ünïcode ✓\n' + 'x'.repeat(200));
    expect(await c.getFileContent('.github/portcullis.yml', 'other')).toBeUndefined();
    expect(fake.requests.map((r) => [r.path, r.query['ref']])).toEqual([
      ['/repos/acme/widgets/contents/.github/portcullis.yml', 'base-sha'],
      ['/repos/acme/widgets/contents/.github/portcullis.yml', 'other'],
    ]);
  });
});

describe('writes', () => {
  it('creates, updates and deletes an issue comment; deleting one already gone succeeds', async () => {
    fake.addPullRequest({ number: prNumber });
    const c = await client();
    const created = await c.createIssueComment(prNumber, 'first');
    expect(created).toMatchObject({ body: 'first', user: { login: ACTIONS_BOT.login, type: 'Bot' } });
    await c.updateIssueComment(created.id, 'second');
    expect(fake.issueComments(prNumber).map((x) => x.body)).toEqual(['second']);
    await c.deleteIssueComment(created.id);
    await c.deleteIssueComment(created.id);
    expect(fake.issueComments(prNumber)).toEqual([]);
    expect(fake.writes().map((r) => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['PATCH', 200],
      ['DELETE', 204],
      ['DELETE', 404],
    ]);
  });

  it('updating a comment deleted meanwhile is a 404 GitHubApiError, not a read-only token', async () => {
    fake.addPullRequest({ number: prNumber });
    const err = await (await client()).updateIssueComment(987654, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err).not.toBeInstanceOf(ReadOnlyTokenError);
    expect((err as GitHubApiError).status).toBe(404);
  });

  it('creates one COMMENT review with single- and multi-line comments on the RIGHT side', async () => {
    fake.addPullRequest({ number: prNumber, headSha: SHA, files: [{ filename: '.github/workflows/ci.yml', patch: MODIFIED }] });
    const c = await client();
    const review = await c.createReview({
      pullNumber: prNumber,
      commitId: SHA,
      body: 'Portcullis found 2 new problems.',
      comments: [
        { path: '.github/workflows/ci.yml', line: 12, body: 'one line' },
        { path: '.github/workflows/ci.yml', line: 14, startLine: 11, body: 'a range' },
        { path: '.github/workflows/ci.yml', line: 41, startLine: 41, body: 'start equal to line is one line' },
      ],
    });
    expect(review.id).toBeGreaterThan(0);
    const [req] = fake.requestsFor('pulls/create-review');
    expect(req!.body).toEqual({
      commit_id: SHA,
      event: 'COMMENT',
      body: 'Portcullis found 2 new problems.',
      comments: [
        { path: '.github/workflows/ci.yml', line: 12, side: 'RIGHT', body: 'one line' },
        { path: '.github/workflows/ci.yml', line: 14, side: 'RIGHT', start_line: 11, start_side: 'RIGHT', body: 'a range' },
        { path: '.github/workflows/ci.yml', line: 41, side: 'RIGHT', body: 'start equal to line is one line' },
      ],
    });
    expect(fake.reviews(prNumber)).toMatchObject([{ state: 'COMMENTED', commit_id: SHA }]);
    const listed = await c.listReviewComments(prNumber);
    expect(listed.map((x) => [x.path, x.line, x.body])).toEqual([
      ['.github/workflows/ci.yml', 12, 'one line'],
      ['.github/workflows/ci.yml', 14, 'a range'],
      ['.github/workflows/ci.yml', 41, 'start equal to line is one line'],
    ]);
  });

  it('a review line outside the diff is refused whole with GitHub’s 422', async () => {
    fake.addPullRequest({ number: prNumber, headSha: SHA, files: [{ filename: 'a.yml', patch: MODIFIED }, { filename: 'bin.dat' }] });
    const c = await client();
    for (const comment of [
      { path: 'a.yml', line: 30, body: 'between hunks' },
      { path: 'a.yml', line: 41, startLine: 12, body: 'range across hunks' },
      { path: 'bin.dat', line: 1, body: 'no patch' },
      { path: 'not-in-pr.yml', line: 1, body: 'not in the PR' },
    ]) {
      const err = await c
        .createReview({ pullNumber: prNumber, commitId: SHA, body: 'x', comments: [{ path: 'a.yml', line: 12, body: 'ok' }, comment] })
        .catch((e: unknown) => e);
      expect(err, comment.body).toBeInstanceOf(GitHubApiError);
      expect((err as GitHubApiError).status).toBe(422);
    }
    const last = fake.requestsFor('pulls/create-review');
    expect(last).toHaveLength(4);
    expect(fake.reviews(prNumber)).toEqual([]);
    expect(fake.reviewComments(prNumber)).toEqual([]);
  });

  it('answers an over-long body with GitHub’s 422 shape', async () => {
    fake.addPullRequest({ number: prNumber });
    const c = await client();
    const err = await c.createIssueComment(prNumber, 'x'.repeat(65_537)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(422);
    expect((err as Error).message).toContain('Validation Failed');
    await c.createIssueComment(prNumber, 'x'.repeat(65_536));
    expect(fake.issueComments(prNumber)).toHaveLength(1);

    const res = await fetch(`${fake.url}/repos/acme/widgets/issues/${prNumber}/comments`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'é'.repeat(65_537) }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    });
  });

  it('the fake checks request bodies against GitHub’s OpenAPI schema', async () => {
    fake.addPullRequest({ number: prNumber, headSha: SHA, files: [{ filename: 'a.yml', patch: MODIFIED }] });
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${fake.url}${path}`, { method: 'POST', headers: { authorization: 'token t' }, body: JSON.stringify(body) });
    const noPath = await post(`/repos/acme/widgets/pulls/${prNumber}/reviews`, { event: 'COMMENT', body: 'x', comments: [{ line: 12, body: 'b' }] });
    expect(noPath.status).toBe(422);
    expect(((await noPath.json()) as { message: string }).message).toMatch(/^Invalid request\.\n\n.*path/s);
    const badEvent = await post(`/repos/acme/widgets/pulls/${prNumber}/reviews`, { event: 'LGTM', body: 'x' });
    expect(badEvent.status).toBe(422);
    const noBody = await post(`/repos/acme/widgets/issues/${prNumber}/comments`, { text: 'x' });
    expect(noBody.status).toBe(422);
    const notJson = await fetch(`${fake.url}/repos/acme/widgets/issues/${prNumber}/comments`, { method: 'POST', headers: { authorization: 'token t' }, body: '{' });
    expect(notJson.status).toBe(400);
    const badParam = await fetch(`${fake.url}/repos/acme/widgets/pulls/${prNumber}/files?per_page=many`, { headers: { authorization: 'token t' } });
    expect(badParam.status).toBe(422);
    expect(fake.reviews(prNumber)).toEqual([]);
  });

  it('serialises writes: concurrent calls reach GitHub one at a time, spaced by writeSpacingMs', async () => {
    fake.addPullRequest({ number: prNumber });
    const waits: number[] = [];
    const c = await client({ writeSpacingMs: 1000, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([c.createIssueComment(prNumber, 'a'), c.createIssueComment(prNumber, 'b'), c.createIssueComment(prNumber, 'c')]);
    expect(fake.maxConcurrentWrites).toBe(1);
    expect(fake.issueComments(prNumber).map((x) => x.body)).toEqual(['a', 'b', 'c']);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThan(500);
    for (const w of waits) expect(w).toBeLessThanOrEqual(1000);
  });
});

describe('manners under failure', () => {
  it('retries a 5xx and then succeeds', async () => {
    fake.addPullRequest({ number: prNumber, files: [{ filename: 'a', patch: addedFile(1) }] });
    fake.serverError(2, 500, { path: /\/files$/ });
    const c = await client();
    const listed = await c.listPullRequestFiles(prNumber);
    expect(listed.files).toHaveLength(1);
    expect(fake.requestsFor('pulls/list-files').map((r) => r.status)).toEqual([500, 500, 200]);
    expect(c.requests).toBe(3);
  });

  it('after 2 retries a persistent 5xx on a read surfaces as a GitHubApiError marked as GitHub’s trouble', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.serverError(5, 502, { method: 'GET' });
    const c = await client();
    const err = await c.listIssueComments(prNumber).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(502);
    expect((err as GitHubApiError).isServerError).toBe(true);
    expect((err as GitHubApiError).ambiguous).toBe(false);
    expect((err as Error).message).toBe('GitHub API: list issue comments failed (502 Server Error).');
    expect(c.requests).toBe(3);
  });

  it('a write that got a 5xx is sent once and marked ambiguous: GitHub may have applied it', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.applyThenFail(1, 502, { method: 'POST' });
    const c = await client();
    const err = await c.createIssueComment(prNumber, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(502);
    expect((err as GitHubApiError).ambiguous).toBe(true);
    expect(c.requests).toBe(1);
    // It was applied: one comment, not two.
    expect(fake.issueComments(prNumber).map((x) => x.body)).toEqual(['x']);
  });

  it('honours retry-after on a 429 secondary rate limit', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.secondaryRateLimit(1, 3, 429, { method: 'POST' });
    const c = await client();
    await c.createIssueComment(prNumber, 'after the wait');
    expect(fake.writes().map((r) => r.status)).toEqual([429, 201]);
    expect(c.rateLimitWaitSeconds).toBe(3);
    expect(logs.info.join('\n')).toMatch(/secondary rate limit on POST .*: retrying in 3 s/);
  });

  it('honours x-ratelimit-reset on an exhausted primary limit', async () => {
    fake.addPullRequest({ number: prNumber, files: [] });
    fake.primaryRateLimit(1, 2, { path: /\/files$/ });
    const c = await client();
    await c.listPullRequestFiles(prNumber);
    expect(fake.requestsFor('pulls/list-files').map((r) => r.status)).toEqual([403, 200]);
    expect(c.rateLimitWaitSeconds).toBeGreaterThanOrEqual(2);
    expect(c.rateLimitWaitSeconds).toBeLessThanOrEqual(4);
  });

  it('gives up with a warning when the limit asks for more than the wait budget, or keeps answering', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.secondaryRateLimit(1, 120, 403, { method: 'POST' });
    const c = await client();
    const err = await c.createIssueComment(prNumber, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(c.requests).toBe(1);
    expect(logs.warning.join('\n')).toMatch(/giving up \(it asks to wait 120 s\)/);

    fake.secondaryRateLimit(3, 1, 429, { method: 'POST' });
    const err2 = await c.createIssueComment(prNumber, 'x').catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(RateLimitError);
    expect(c.requests).toBe(1 + 3);
    expect(fake.issueComments(prNumber)).toEqual([]);
  });

  it('a read-only token is a ReadOnlyTokenError once; later writes fail without a request, reads still work', async () => {
    fake.addPullRequest({ number: prNumber, headSha: SHA, files: [{ filename: 'a.yml', patch: MODIFIED }] });
    fake.readOnly = true;
    const c = await client();
    const err = await c.createIssueComment(prNumber, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadOnlyTokenError);
    expect((err as ReadOnlyTokenError).status).toBe(403);
    expect((err as Error).message).toMatch(/Resource not accessible by integration/);
    const err2 = await c.createReview({ pullNumber: prNumber, commitId: SHA, body: 'x', comments: [] }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ReadOnlyTokenError);
    expect(fake.writes()).toHaveLength(1);
    expect((await c.listPullRequestFiles(prNumber)).files).toHaveLength(1);
    expect(fake.issueComments(prNumber)).toEqual([]);
  });

  it('a 404 on creating a comment is a ReadOnlyTokenError (GitHub hides what a token may not write)', async () => {
    const err = await (await client()).createIssueComment(999_999, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadOnlyTokenError);
    expect((err as ReadOnlyTokenError).status).toBe(404);
  });
});

describe('request counting', () => {
  it('counts every request, retries included, per client and per process', async () => {
    fake.addPullRequest({ number: prNumber, headSha: SHA, files: [{ filename: 'a.yml', patch: MODIFIED }] });
    resetRequestCount();
    const c = await client();
    // A typical first run on a PR with findings.
    await c.listPullRequestFiles(prNumber);
    const existing = await c.listIssueComments(prNumber);
    expect(existing).toEqual([]);
    await c.createIssueComment(prNumber, '<!-- portcullis -->\nverdict');
    await c.listReviewComments(prNumber);
    await c.createReview({ pullNumber: prNumber, commitId: SHA, body: 'new findings', comments: [{ path: 'a.yml', line: 12, body: 'f' }] });
    expect(c.requests).toBe(5);
    expect(requestCount()).toBe(5);
    expect(fake.requests).toHaveLength(5);

    fake.serverError(1, 503, { path: /\/comments$/ });
    await c.listIssueComments(prNumber);
    expect(c.requests).toBe(7);
    expect(requestCount()).toBe(fake.requests.length);
  });
});

describe('time limits', () => {
  it('a read nobody answers times out per attempt and is retried; the error says GitHub did not answer', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.hang(10, { method: 'GET' });
    const c = await client({ timeoutMs: 100, budgetMs: 10_000 });
    const err = await c.listIssueComments(prNumber).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err).not.toBeInstanceOf(BudgetExceededError);
    expect((err as GitHubApiError).unanswered).toBe(true);
    expect((err as GitHubApiError).ambiguous).toBe(false);
    expect((err as Error).message).toMatch(/list issue comments failed \(GET \/repos\/acme\/widgets\/issues\/\d+\/comments: no answer within 100 ms \(attempt 3\)\)/);
    expect(c.requests).toBe(3);
    expect(fake.hung).toBe(3);
  });

  it('a write nobody answers is sent once and marked ambiguous', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.hang(10, { method: 'POST' });
    const c = await client({ timeoutMs: 100, budgetMs: 10_000 });
    const err = await c.createIssueComment(prNumber, 'x').catch((e: unknown) => e);
    expect((err as GitHubApiError).unanswered).toBe(true);
    expect((err as GitHubApiError).ambiguous).toBe(true);
    expect((err as Error).message).toMatch(/it may have been applied/);
    expect(fake.writes()).toHaveLength(1);
  });

  it('the budget cuts the attempt that runs into it, and after it nothing is sent', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.hang(10, { method: 'GET' });
    const c = await client({ timeoutMs: 5_000, budgetMs: 300 });
    const err = await c.listIssueComments(prNumber).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as Error).message).toMatch(/no answer before the 300 ms budget for the GitHub API ran out/);
    expect(c.requests).toBe(1);
    fake.clearFaults();
    const after = await c.createIssueComment(prNumber, 'late').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(BudgetExceededError);
    expect((after as GitHubApiError).ambiguous).toBe(false);
    expect(c.requests).toBe(1);
    expect(fake.writes()).toEqual([]);
  });

  it('a write to a closed port was never sent: failed, not ambiguous', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const c = await client({ apiUrl: `http://127.0.0.1:${port}` });
    const err = await c.createIssueComment(1, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(0);
    expect((err as GitHubApiError).ambiguous).toBe(false);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('who the token is', () => {
  it('GET /user names a personal token’s account; an installation token is refused', async () => {
    fake.actAs('ghp_person', { login: 'octocat', id: 1, type: 'User' });
    expect(await (await client({ token: 'ghp_person' })).getAuthenticatedUser()).toEqual({ login: 'octocat', type: 'User' });
    const err = await (await client()).getAuthenticatedUser().catch((e: unknown) => e);
    expect((err as GitHubApiError).status).toBe(403);
  });

  it('GraphQL viewer names an installation token’s bot', async () => {
    fake.actAs('ghs_app', { login: 'other-app[bot]', id: 7, type: 'Bot' });
    expect(await (await client({ token: 'ghs_app' })).viewerLogin()).toBe('other-app[bot]');
    expect(await (await client()).viewerLogin()).toBe(ACTIONS_BOT.login);
  });

  it('what a token creates carries its author, and it may not edit another author’s comment', async () => {
    fake.addPullRequest({ number: prNumber });
    fake.actAs('ghs_app', { login: 'other-app[bot]', id: 7, type: 'Bot' });
    const theirs = await (await client({ token: 'ghs_app' })).createIssueComment(prNumber, 'theirs');
    expect(theirs.user).toEqual({ login: 'other-app[bot]', type: 'Bot' });
    const c = await client();
    const err = await c.updateIssueComment(theirs.id, 'ours now').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err).not.toBeInstanceOf(ReadOnlyTokenError);
    expect((err as GitHubApiError).status).toBe(403);
    expect(c.readOnly).toBeUndefined();
    expect(fake.issueComments(prNumber).map((x) => x.body)).toEqual(['theirs']);
  });
});
