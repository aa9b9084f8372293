/**
 * A pull request's life, end to end: the committed bundle (`node dist/index.js`, as the runner starts
 * it) against the fake GitHub (test/support/fake-github.ts), through open with findings → push a fix →
 * push a new problem → clean. Every step's API requests, outputs, job summary and exit code are
 * asserted; then races (duplicate comments), a fork, a read-only token, a 5xx and no API at all.
 *
 * The child runs asynchronously (spawn, not spawnSync): the fake server lives in this process.
 * PORTCULLIS_TEST_FAST_API=1 (test-only) removes the client's 1 s write spacing and retry back-off.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_REPOSITORY_FILES } from '../support/clean-repository.js';
import { ACTIONS_BOT, FakeGitHub, type FakeFile } from '../support/fake-github.js';
import { FakeRegistry } from '../support/fake-registry.js';
import { checkoutCommit, createPullRequestRepo, type PullRequestRepo } from '../support/git-checkout.js';
import { actionDefaults, requireBundle, runBundle, type BundleRun } from '../support/runner-files.js';
import { REPOSITORY } from '../../src/version.js';

/** The marker names the workflow and job (GITHUB_WORKFLOW "CI / security", GITHUB_JOB "gate" in every run below). */
const MARKER = '<!-- portcullis:sticky:CI%20%2F%20security:gate -->';
/** What Portcullis wrote before markers named the workflow and job. */
const LEGACY = '<!-- portcullis:sticky -->';
/** Another GitHub App installed on the repository. */
const OTHER_APP = { login: 'other-app[bot]', id: 99, type: 'Bot' } as const;
/** Test-only API limits (honoured with PORTCULLIS_TEST_FAST_API=1): 300 ms per attempt, 1.5 s in all. */
const SHORT_LIMITS = { PORTCULLIS_TEST_API_TIMEOUT_MS: '300', PORTCULLIS_TEST_API_BUDGET_MS: '1500' };
const scratch = mkdtempSync(join(tmpdir(), 'pc-pr-'));
const fake = FakeGitHub.forSuite({ owner: 'acme', repo: 'widgets' });

// ---- the repository at the base and at each push ------------------------------------------------

const DOCKERFILE_DEBT = 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';
const DOCKERFILE_FIXED = `FROM node:20@sha256:${'a'.repeat(64)}\nWORKDIR /app\nCOPY package.json server.js ./\nUSER 10001\nCMD ["node", "server.js"]\n`;
const CI_BASE = `name: ci
on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab # v4
        with:
          persist-credentials: false
      - run: npm test
`;
const CHECKOUT_AGAIN = '      - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab # v4\n';
const SETUP_NODE_SHA = '39370e3970a6d050c480ffad4ff0ed4d3fdee5af';
/** The lookup of the unpinned action's commit for the review's suggestion (any run that reviews OPEN makes it). */
const PIN_LOOKUP = 'GET /repos/actions/setup-node/commits/v4';
const SETUP_NODE_PINNED = `      - uses: actions/setup-node@${SETUP_NODE_SHA} # v4\n`;
const TITLE_VIA_ENV = '      - run: echo "Title $TITLE"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n';

// CODEOWNERS, Dependabot and SECURITY.md in every revision: the repository rules have nothing to say
const BASE: Record<string, string> = { ...CLEAN_REPOSITORY_FILES, Dockerfile: DOCKERFILE_DEBT, '.github/workflows/ci.yml': CI_BASE };
/** Open: a second checkout keeping the token (medium), an unpinned action (high), a template injection (critical). */
const OPEN = {
  ...BASE,
  '.github/workflows/ci.yml': CI_BASE + CHECKOUT_AGAIN + '      - uses: actions/setup-node@v4\n      - run: echo "Title ${{ github.event.pull_request.title }}"\n',
};
/** The fix: setup-node pinned, the title through env. The medium persisted-credentials stays (new, not blocking). */
const FIXED = { ...BASE, '.github/workflows/ci.yml': CI_BASE + CHECKOUT_AGAIN + SETUP_NODE_PINNED + TITLE_VIA_ENV };
/** A new problem: curl | sh (high). */
const NEW_PROBLEM = { ...FIXED, '.github/workflows/ci.yml': FIXED['.github/workflows/ci.yml'] + '      - run: curl -sSL https://example.com/install.sh | sh\n' };
/** Clean: every finding fixed, the Dockerfile's old debt too. */
const CLEAN = {
  ...CLEAN_REPOSITORY_FILES,
  Dockerfile: DOCKERFILE_FIXED,
  '.github/workflows/ci.yml': CI_BASE + CHECKOUT_AGAIN + '        with:\n          persist-credentials: false\n' + SETUP_NODE_PINNED + TITLE_VIA_ENV,
};

const lines = (text: string): string[] => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');

/** One hunk covering the whole file: common head and tail lines as context, the middle removed and added. */
function patchOf(before: string | undefined, after: string): string {
  const b = before === undefined ? [] : lines(before);
  const a = lines(after);
  if (before === undefined) return [`@@ -0,0 +1,${a.length} @@`, ...a.map((l) => `+${l}`)].join('\n');
  let pre = 0;
  while (pre < b.length && pre < a.length && b[pre] === a[pre]) pre++;
  let post = 0;
  while (post < b.length - pre && post < a.length - pre && b[b.length - 1 - post] === a[a.length - 1 - post]) post++;
  return [
    `@@ -1,${b.length} +1,${a.length} @@`,
    ...b.slice(0, pre).map((l) => ` ${l}`),
    ...b.slice(pre, b.length - post).map((l) => `-${l}`),
    ...a.slice(pre, a.length - post).map((l) => `+${l}`),
    ...b.slice(b.length - post).map((l) => ` ${l}`),
  ].join('\n');
}

/** The PR's files as GitHub lists them: every path whose head differs from the base. */
function prFiles(head: Record<string, string>): FakeFile[] {
  return Object.entries(head)
    .filter(([path, text]) => BASE[path] !== text)
    .map(([path, text]) => ({ filename: path, status: BASE[path] === undefined ? 'added' : 'modified', patch: patchOf(BASE[path], text) }));
}

// ---- running the bundle ---------------------------------------------------------------------------

type Run = BundleRun;

interface RunOptions {
  pr: number;
  headSha: string;
  files: Record<string, string>;
  fork?: boolean;
  inputs?: Record<string, string>;
  apiUrl?: string;
  env?: Record<string, string>;
}

/** One git repository per head (base BASE, that head, GitHub's merge commit): the same files, the same commits. */
const repos = new Map<string, PullRequestRepo>();
function repoFor(head: Record<string, string>): PullRequestRepo {
  const key = JSON.stringify(head);
  let repo = repos.get(key);
  if (!repo) repos.set(key, (repo = createPullRequestRepo(join(scratch, `repo-${repos.size + 1}`), BASE, head)));
  return repo;
}

let runs = 0;
async function runAction(o: RunOptions): Promise<Run> {
  const dir = join(scratch, `run-${++runs}`);
  const workspace = join(dir, 'workspace');
  // The checkout actions/checkout makes of a pull request: its merge commit, with the base as first parent.
  const repo = repoFor(o.files);
  checkoutCommit(workspace, repo.origin, repo.merge, 2);
  return runBundle({
    dir,
    workspace,
    event: 'pull_request',
    payload: {
      action: 'synchronize',
      number: o.pr,
      pull_request: {
        number: o.pr,
        head: { sha: o.headSha, repo: { full_name: o.fork ? 'contributor/widgets' : 'acme/widgets' } },
        base: { sha: repo.base, repo: { full_name: 'acme/widgets' } },
      },
      repository: { full_name: 'acme/widgets', default_branch: 'main' },
    },
    inputs: { ...actionDefaults('ghs_fake_token'), ...o.inputs },
    env: {
      GITHUB_SHA: 'e'.repeat(40),
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_API_URL: o.apiUrl ?? fake.url,
      GITHUB_RUN_ID: '77',
      GITHUB_WORKFLOW: 'CI / security',
      GITHUB_JOB: 'gate',
      GITHUB_ACTION_REPOSITORY: REPOSITORY,
      GITHUB_ACTION_REF: 'v1',
      ...o.env,
    },
  });
}


/** The verdict as outputs show it (the report path differs per run). */
const verdict = (r: Run) => ({ status: r.status, result: r.outputs['result'], findings: r.outputs['findings'], blocking: r.outputs['blocking'] });
/** review-policy's reads of the default branch's protection, made before the scan (test/e2e/review-policy.test.ts covers them). */
const POLICY_READ = /^\/repos\/acme\/widgets\/(rules\/branches\/|branches\/[^/]+\/protection$|rulesets\/)/;
/** `METHOD /path` of every request of the pull request experience since the last clear, without the repository prefix. */
const calls = (): string[] => fake.requests.filter((r) => !POLICY_READ.test(r.path)).map((r) => `${r.method} ${r.path.replace('/repos/acme/widgets', '')}`);

/** Opens PR `n` at OPEN on the fake (fresh state) and returns its head SHA. */
function openPr(n: number): string {
  const sha = repoFor(OPEN).head;
  fake.addPullRequest({ number: n, headSha: sha, files: prFiles(OPEN) });
  return sha;
}

beforeAll(requireBundle);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a pull request from open to clean', () => {
  const PR = 7;
  // The head commit of each push (real commits: the gate reads the change from git).
  const sha = (n: number) => repoFor([OPEN, FIXED, NEW_PROBLEM, CLEAN][n - 1]!).head;
  let commentId = 0;

  it('1. open with findings: creates the comment, posts one review with inline comments, fails on the new blocking findings', async () => {
    fake.addPullRequest({ number: PR, headSha: sha(1), files: prFiles(OPEN) });
    // The tag the unpinned action names: the review's suggestion carries its commit, looked up before posting.
    fake.commits.set('actions/setup-node', 'v4', SETUP_NODE_SHA);
    fake.clearRequests();
    const r = await runAction({ pr: PR, headSha: sha(1), files: OPEN });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(calls()).toEqual([
      `GET /pulls/${PR}/files`,
      PIN_LOOKUP,
      `GET /issues/${PR}/comments`,
      `POST /issues/${PR}/comments`,
      `GET /pulls/${PR}/comments`,
      `POST /pulls/${PR}/reviews`,
    ]);

    // Outputs: 6 findings; 2 block (unpinned-action, template-injection): the Dockerfile's two highs are existing.
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '6', blocking: '2' });
    expect(r.stdout).toMatch(/^::error::2 new findings at or above severity "high" \(fail-on, gate: new\)/m);
    // Annotations: existing findings are marked and not errors; the new blocking ones are errors.
    expect(r.stdout).toMatch(/^::warning title=portcullis\(runs-as-root\)[^,]* \(existing\),file=Dockerfile,line=1/m);
    expect(r.stdout).toMatch(/^::error title=portcullis\(template-injection\)[^,]*,file=\.github\/workflows\/ci\.yml,line=15/m);
    expect(r.stdout).not.toMatch(/^::error title=portcullis\(runs-as-root\)/m);
    // Summary: same verdict; the headline for gate new; the new blocking findings first, the existing ones collapsed.
    expect(r.summary).toContain('## Portcullis: ❌ fail');
    expect(r.summary).toContain('**2 new blocking**, 4 at or above `high` in total (6 findings; gate: `new`, fail-on: `high`).');
    expect(r.summary).toContain('Gate `new`: only findings this pull request introduces');
    expect(r.summary).toContain('3 existing findings are reported but do not block');
    const [fresh, existing] = r.summary.split('<details><summary>Existing findings (3): not introduced by this pull request</summary>');
    expect(fresh!.split('### New blocking findings (2)')[1]).toMatch(/\| \*\*critical\*\* \(blocking\) \| \[template-injection\]\([^)]*\) \| \[\.github\/workflows\/ci\.yml:15\]\([^)]*\) \|/);
    expect(existing).toMatch(/\| high \| \[runs-as-root\]\([^)]*\) \| \[Dockerfile:1\]\([^)]*\) \|/);

    const [comment, ...more] = fake.issueComments(PR);
    expect(more).toEqual([]);
    commentId = comment!.id;
    expect(comment!.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(comment!.body).toContain('## Portcullis: ❌ fail');
    expect(comment!.body).toContain('**2 new findings** at or above `high` block this pull request');
    expect(comment!.body).toContain('3 new (2 blocking) · 3 existing · 0 suppressed');
    expect(comment!.body).toContain('### New blocking findings (2)');
    expect(comment!.body).toContain('<details><summary>Other new findings (1): not blocking</summary>');
    expect(comment!.body).toContain('<details><summary>Existing findings (3): not introduced by this pull request</summary>');
    // Every new finding has a review comment on the diff: the comment does not repeat their messages.
    expect(comment!.body).not.toContain('<details><summary>Expression expanded');
    expect(comment!.body).toContain('Findings on lines this pull request changes are explained in review comments on the diff.');
    expect(comment!.body).toContain(`(https://github.com/acme/widgets/blob/${sha(1)}/.github/workflows/ci.yml#L15-L15)`);
    expect(comment!.body).toContain('[View the run](https://github.com/acme/widgets/actions/runs/77)');

    const inline = fake.reviewComments(PR);
    expect(inline.map((c) => [c.path, c.body.match(/portcullis\/blob\/v1\/docs\/rules\/([a-z-]+)\.md/)?.[1]]).sort()).toEqual([
      ['.github/workflows/ci.yml', 'persisted-credentials'],
      ['.github/workflows/ci.yml', 'template-injection'],
      ['.github/workflows/ci.yml', 'unpinned-action'],
    ]);
    expect(inline.every((c) => /<!-- portcullis:fp:[A-Za-z0-9._:]+ -->/.test(c.body) && c.commit_id === sha(1))).toBe(true);
    // Exact one-click fixes where the rule can state them.
    const suggestion = (rule: string) => /\n```suggestion\n([\s\S]*?)\n```$/.exec(inline.find((c) => c.body.includes(`rules/${rule}.md`))!.body)?.[1];
    expect(suggestion('persisted-credentials')).toBe(`${CHECKOUT_AGAIN}        with:\n          persist-credentials: false`);
    expect(suggestion('template-injection')).toContain('echo "Title $');
    // The real pin, looked up through GET /repos/{owner}/{repo}/commits/{ref}: never a placeholder.
    expect(suggestion('unpinned-action')).toBe(SETUP_NODE_PINNED.trimEnd());
    expect(r.stdout).toContain('Pins for suggestions: 1 of 1 looked up (1 requests).');
    expect(fake.reviews(PR)).toHaveLength(1);
    expect(fake.reviews(PR)[0]!.state).toBe('COMMENTED');
  });

  it('2. push a fix: the same comment is updated, nothing is posted twice, and the existing findings do not block', async () => {
    fake.pushToPullRequest(PR, { headSha: sha(2), files: prFiles(FIXED) });
    fake.clearRequests();
    const r = await runAction({ pr: PR, headSha: sha(2), files: FIXED });
    expect(r.status).toBe(0);
    // The review comments are listed (persisted-credentials is still new) and found already posted: no new review.
    expect(calls()).toEqual([`GET /pulls/${PR}/files`, `GET /issues/${PR}/comments`, `PATCH /issues/comments/${commentId}`, `GET /pulls/${PR}/comments`]);
    expect(verdict(r)).toEqual({ status: 0, result: 'pass', findings: '4', blocking: '0' });
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.summary).toContain('## Portcullis: ✅ pass');

    expect(fake.issueComments(PR).map((c) => c.id)).toEqual([commentId]);
    const body = fake.issueComments(PR)[0]!.body;
    expect(body).toContain('## Portcullis: ✅ pass');
    expect(body).toContain('No finding blocks this pull request');
    expect(body).toContain('<details><summary>Other new findings (1): not blocking</summary>');
    expect(fake.reviewComments(PR)).toHaveLength(3);
    expect(fake.reviews(PR)).toHaveLength(1);
  });

  it('3. push a new problem: the comment is updated and exactly one new inline comment is posted', async () => {
    fake.pushToPullRequest(PR, { headSha: sha(3), files: prFiles(NEW_PROBLEM) });
    fake.clearRequests();
    const r = await runAction({ pr: PR, headSha: sha(3), files: NEW_PROBLEM });
    expect(r.status).toBe(1);
    expect(calls()).toEqual([
      `GET /pulls/${PR}/files`,
      `GET /issues/${PR}/comments`,
      `PATCH /issues/comments/${commentId}`,
      `GET /pulls/${PR}/comments`,
      `POST /pulls/${PR}/reviews`,
    ]);
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '5', blocking: '1' });
    expect(fake.issueComments(PR).map((c) => c.id)).toEqual([commentId]);
    expect(fake.issueComments(PR)[0]!.body).toContain('**1 new finding** at or above `high` blocks this pull request');
    const review = fake.requestsFor('pulls/create-review')[0]!.body as { comments: { path: string; line: number; body: string }[]; commit_id: string };
    expect(review.commit_id).toBe(sha(3));
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 18 });
    expect(review.comments[0]!.body).toContain('curl-pipe-shell');
    expect(fake.reviewComments(PR)).toHaveLength(4);
  });

  it('4. clean: the comment says so (updated, not deleted); an unchanged body is not written again', async () => {
    fake.pushToPullRequest(PR, { headSha: sha(4), files: prFiles(CLEAN) });
    fake.clearRequests();
    const r = await runAction({ pr: PR, headSha: sha(4), files: CLEAN });
    expect(r.status).toBe(0);
    expect(calls()).toEqual([`GET /pulls/${PR}/files`, `GET /issues/${PR}/comments`, `PATCH /issues/comments/${commentId}`]);
    expect(verdict(r)).toEqual({ status: 0, result: 'pass', findings: '0', blocking: '0' });
    const [comment, ...more] = fake.issueComments(PR);
    expect(more).toEqual([]);
    expect(comment!.id).toBe(commentId);
    expect(comment!.body).toContain('## Portcullis: ✅ pass');
    expect(comment!.body).toContain('✅ No findings');

    fake.clearRequests();
    const again = await runAction({ pr: PR, headSha: sha(4), files: CLEAN });
    expect(verdict(again)).toEqual(verdict(r));
    expect(calls()).toEqual([`GET /pulls/${PR}/files`, `GET /issues/${PR}/comments`]);
  });
});

describe('pins looked up for the review', () => {
  it('an image on a registry: the suggestion carries its index digest, fetched with an anonymous registry token; the GitHub token stays with GitHub', async () => {
    const registry = await FakeRegistry.start();
    try {
      const { index } = registry.addIndex('org/app', '1.0');
      const files = { ...BASE, 'compose.yaml': `services:\n  app:\n    image: ${registry.host}/org/app:1.0\n` };
      const sha = repoFor(files).head;
      fake.addPullRequest({ number: 90, headSha: sha, files: prFiles(files) });
      const r = await runAction({ pr: 90, headSha: sha, files });
      expect(r.stderr).toBe('');
      const comment = fake.reviewComments(90).find((c) => c.body.includes('rules/unpinned-image.md'))!;
      expect(/\n```suggestion\n([\s\S]*?)\n```$/.exec(comment.body)?.[1]).toBe(`    image: ${registry.host}/org/app:1.0@${index}`);
      expect(registry.requests.map((q) => `${q.server} ${q.method} ${q.status}`)).toEqual(['registry HEAD 401', 'token GET 200', 'registry HEAD 200']);
      for (const q of registry.requests) expect(JSON.stringify(q.headers)).not.toContain('ghs_fake_token');
      expect(JSON.stringify(fake.requests.map((q) => q.headers))).not.toContain('fake-registry-token');
    } finally {
      await registry.close();
    }
  });
});

describe('the pull request experience under trouble', () => {
  let reference: ReturnType<typeof verdict>;
  beforeAll(async () => {
    const sha = openPr(20);
    reference = verdict(await runAction({ pr: 20, headSha: sha, files: OPEN }));
    expect(reference).toEqual({ status: 1, result: 'fail', findings: '6', blocking: '2' });
  });

  it('keeps the oldest of its own comments a race left, deletes its newer ones, ignores a human pasting the marker', async () => {
    const sha = openPr(21);
    const human = fake.addIssueComment(21, { body: `${MARKER}\nI copied this`, user: { login: 'mallory', id: 666, type: 'User' } });
    const oldest = fake.addIssueComment(21, { body: `${MARKER}\nold` });
    const dup1 = fake.addIssueComment(21, { body: `${MARKER}\nrace 1` });
    const dup2 = fake.addIssueComment(21, { body: `${MARKER}\nrace 2`, user: ACTIONS_BOT });
    fake.clearRequests();
    const r = await runAction({ pr: 21, headSha: sha, files: OPEN });
    expect(verdict(r)).toEqual(reference);
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual([
      `PATCH /issues/comments/${oldest.id}`,
      `DELETE /issues/comments/${dup1.id}`,
      `DELETE /issues/comments/${dup2.id}`,
      'POST /pulls/21/reviews',
    ]);
    expect(fake.issueComments(21).map((c) => c.id)).toEqual([human.id, oldest.id]);
    expect(fake.issueComments(21)[0]!.body).toBe(`${MARKER}\nI copied this`);
  });

  it('on a fork pull request: no write at all, the same verdict and outputs, and the summary says why', async () => {
    const sha = openPr(22);
    fake.clearRequests();
    const r = await runAction({ pr: 22, headSha: sha, files: OPEN, fork: true });
    expect(verdict(r)).toEqual(reference);
    expect(fake.writes()).toEqual([]);
    expect(calls()).toEqual(['GET /pulls/22/files']);
    expect(r.summary).toContain("This is a fork's pull request: its token is read-only, so Portcullis posted no pull request comment or review.");
    expect(r.stdout.match(/^::notice::This is a fork's pull request/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^::error title=portcullis\(template-injection\)/m);
  });

  it('with a read-only token: one refused write, no review attempted, the same verdict, said once', async () => {
    const sha = openPr(23);
    fake.clearRequests();
    fake.readOnly = true;
    try {
      const r = await runAction({ pr: 23, headSha: sha, files: OPEN });
      expect(verdict(r)).toEqual(reference);
      expect(fake.writes().map((w) => [w.method, w.path, w.status])).toEqual([['POST', '/repos/acme/widgets/issues/23/comments', 403]]);
      expect(r.stdout.match(/^::notice::The token cannot write to this pull request/gm)).toHaveLength(1);
      expect(r.summary).toContain('The token cannot write to this pull request (403 on create issue comment)');
      expect(r.stderr).toBe('');
    } finally {
      fake.readOnly = false;
    }
  });

  it('a 5xx on the comment write: sent once, looked for, then a warning; the review still goes out and the verdict is the same', async () => {
    const sha = openPr(24);
    fake.clearRequests();
    fake.serverError(10, 500, { method: 'POST', path: /\/issues\/24\/comments$/ });
    try {
      const r = await runAction({ pr: 24, headSha: sha, files: OPEN });
      expect(verdict(r)).toEqual(reference);
      // Never sent again: GitHub may have applied it. The listing after it shows it was not.
      expect(calls()).toEqual(['GET /pulls/24/files', PIN_LOOKUP, 'GET /issues/24/comments', 'POST /issues/24/comments', 'GET /issues/24/comments', 'GET /pulls/24/comments', 'POST /pulls/24/reviews']);
      expect(r.stdout).toMatch(
        /^::warning::Portcullis could not update the pull request: GitHub API: create issue comment failed \(500 [^)]*\); the comment is not on the pull request, and it was not sent again/m,
      );
      expect(fake.issueComments(24)).toEqual([]);
      expect(fake.reviews(24)).toHaveLength(1);
      expect(r.summary).toContain('could not update the pull request');
    } finally {
      fake.clearFaults();
    }
  });

  it('without any API (closed port): the same verdict (new is measured against the base in git); gate all gives identical outputs', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const apiUrl = `http://127.0.0.1:${closed}`;
    const sha = openPr(25);
    const offline = await runAction({ pr: 25, headSha: sha, files: OPEN, apiUrl });
    // Changed semantics (issue 13 item 3): the API only feeds the comment and the review; which findings are new comes
    // from the base commit in the checkout, so the verdict no longer depends on GitHub answering.
    expect(verdict(offline)).toEqual(reference);
    expect(offline.stdout).toMatch(/^::warning::Portcullis could not read the pull request's files /m);
    expect(offline.summary).toContain('Gate `new`: only findings this pull request introduces');
    expect(offline.stderr).toBe('');

    const withApi = await runAction({ pr: 25, headSha: sha, files: OPEN, inputs: { gate: 'all' } });
    const withoutApi = await runAction({ pr: 25, headSha: sha, files: OPEN, inputs: { gate: 'all' }, apiUrl });
    expect(verdict(withoutApi)).toEqual(verdict(withApi));
    expect(verdict(withApi)).toEqual({ status: 1, result: 'fail', findings: '6', blocking: '4' });
  });
});

describe('bounded API use: timeouts, one budget, writes sent once', () => {
  let reference: ReturnType<typeof verdict>;
  beforeAll(async () => {
    const sha = openPr(30);
    reference = verdict(await runAction({ pr: 30, headSha: sha, files: OPEN }));
  });
  const warnings = (r: Run): string[] => r.stdout.match(/^::warning::.*$/gm) ?? [];

  it('an API that accepts connections and never answers: the run ends within its budget, with the same verdict and one warning', async () => {
    const sha = openPr(31);
    fake.clearRequests();
    fake.hang(1000);
    try {
      const started = Date.now();
      const r = await runAction({ pr: 31, headSha: sha, files: OPEN, env: SHORT_LIMITS });
      // Generous: the limits are 300 ms per attempt and 1.5 s in all (10 s and 60 s in a workflow). Today's main spends 909 s.
      expect(Date.now() - started).toBeLessThan(25_000);
      // What is new comes from git (the base commit), so the verdict does not depend on the API answering.
      expect(verdict(r)).toEqual(reference);
      expect(warnings(r)).toHaveLength(1);
      expect(warnings(r)[0]).toMatch(/^::warning::Portcullis could not read the pull request's files \(GitHub API: list pull request files failed \(GET .*: no answer .*\): no pull request comment or review; findings are in the annotations and this summary\.$/);
      expect(calls().every((c) => c === 'GET /pulls/31/files')).toBe(true);
      expect(r.stderr).toBe('');
    } finally {
      fake.clearFaults();
    }
  }, 60_000);

  it('GitHub stops answering after the files are listed: the same verdict, one warning, nothing written', async () => {
    const sha = openPr(32);
    fake.clearRequests();
    fake.hang(1000, { path: /^(?!.*\/files$)/ });
    try {
      const r = await runAction({ pr: 32, headSha: sha, files: OPEN, env: SHORT_LIMITS });
      expect(verdict(r)).toEqual(reference);
      expect(warnings(r)).toHaveLength(1);
      expect(warnings(r)[0]).toMatch(/^::warning::Portcullis stopped posting to the pull request: .*no answer.*nothing more was sent\. The verdict is unaffected\./);
      expect(fake.writes()).toEqual([]);
      expect(r.summary).toContain('Portcullis stopped posting to the pull request');
    } finally {
      fake.clearFaults();
    }
  }, 60_000);

  it('a comment write nobody answers is sent once, looked for, and publishing stops with one warning', async () => {
    const sha = openPr(33);
    fake.clearRequests();
    fake.hang(1000, { method: 'POST' });
    try {
      const r = await runAction({ pr: 33, headSha: sha, files: OPEN, env: SHORT_LIMITS });
      expect(verdict(r)).toEqual(reference);
      expect(calls()).toEqual(['GET /pulls/33/files', PIN_LOOKUP, 'GET /issues/33/comments', 'POST /issues/33/comments', 'GET /issues/33/comments']);
      expect(warnings(r)).toHaveLength(1);
      expect(warnings(r)[0]).toMatch(/create issue comment failed \(POST .*: no answer within 300 ms; it may have been applied\); the comment is not on the pull request, and it was not sent again/);
    } finally {
      fake.clearFaults();
    }
  }, 60_000);

  it('POST applied, then answered 502: exactly one sticky comment and exactly the expected inline comments, now and on the next run', async () => {
    const sha = openPr(34);
    fake.clearRequests();
    fake.applyThenFail(1, 502, { method: 'POST', path: /\/issues\/34\/comments$/ });
    fake.applyThenFail(1, 502, { method: 'POST', path: /\/pulls\/34\/reviews$/ });
    try {
      const r = await runAction({ pr: 34, headSha: sha, files: OPEN });
      expect(verdict(r)).toEqual(reference);
      expect(calls().filter((c) => !c.startsWith('GET'))).toEqual(['POST /issues/34/comments', 'POST /pulls/34/reviews']);
      expect(fake.issueComments(34)).toHaveLength(1);
      expect(fake.reviews(34)).toHaveLength(1);
      expect(fake.reviewComments(34)).toHaveLength(fake.reviewComments(30).length);
      expect(fake.reviewComments(34).map((c) => c.body).sort()).toEqual(fake.reviewComments(30).map((c) => c.body.replaceAll('/30', '/34')).sort());
      expect(warnings(r)).toEqual([]);
      expect(r.stdout).toMatch(/GitHub had created the comment all the same/);
      expect(r.stdout).toMatch(/GitHub had posted the review all the same/);
    } finally {
      fake.clearFaults();
    }
    const again = await runAction({ pr: 34, headSha: sha, files: OPEN });
    expect(verdict(again)).toEqual(reference);
    expect(fake.issueComments(34)).toHaveLength(1);
    expect(fake.reviewComments(34)).toHaveLength(fake.reviewComments(30).length);
  });
});

describe('sticky ownership: our marker and our author', () => {
  let reference: ReturnType<typeof verdict>;
  beforeAll(async () => {
    const sha = openPr(40);
    reference = verdict(await runAction({ pr: 40, headSha: sha, files: OPEN }));
  });
  /** Writes that touched one comment. */
  const touching = (id: number): string[] => calls().filter((c) => !c.startsWith('GET') && c.endsWith(`/comments/${id}`));

  it("another app's older comments with the marker (legacy or ours) are never edited or deleted, and ours is created", async () => {
    const sha = openPr(41);
    const legacy = fake.addIssueComment(41, { body: `${LEGACY}\nanother app`, user: OTHER_APP });
    const copied = fake.addIssueComment(41, { body: `${MARKER}\nanother app copying our marker`, user: OTHER_APP });
    fake.clearRequests();
    const r = await runAction({ pr: 41, headSha: sha, files: OPEN });
    expect(verdict(r)).toEqual(reference);
    expect(touching(legacy.id)).toEqual([]);
    expect(touching(copied.id)).toEqual([]);
    const [theirs1, theirs2, ours, ...more] = fake.issueComments(41);
    expect(more).toEqual([]);
    expect([theirs1!.body, theirs2!.body]).toEqual([`${LEGACY}\nanother app`, `${MARKER}\nanother app copying our marker`]);
    expect(ours!.user.login).toBe(ACTIONS_BOT.login);
    expect(ours!.body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(ours!.body).toContain('## Portcullis: ❌ fail');
  });

  it("another workflow's newer github-actions[bot] comment is left alone; ours is updated", async () => {
    const sha = openPr(42);
    const ours = fake.addIssueComment(42, { body: `${MARKER}\nan earlier run` });
    const nightly = fake.addIssueComment(42, { body: '<!-- portcullis:sticky:Nightly:scan -->\nanother workflow' });
    fake.clearRequests();
    const r = await runAction({ pr: 42, headSha: sha, files: OPEN });
    expect(verdict(r)).toEqual(reference);
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual([`PATCH /issues/comments/${ours.id}`, 'POST /pulls/42/reviews']);
    expect(fake.issueComments(42).map((c) => [c.id, c.body.split('\n')[0]])).toEqual([
      [ours.id, MARKER],
      [nightly.id, '<!-- portcullis:sticky:Nightly:scan -->'],
    ]);
  });

  it('before the upgrade: our oldest legacy comment is adopted and re-marked; a newer legacy one (maybe another workflow) is not deleted', async () => {
    const sha = openPr(43);
    const ourOld = fake.addIssueComment(43, { body: `${LEGACY}\nour comment before the upgrade` });
    const theirOld = fake.addIssueComment(43, { body: `${LEGACY}\nanother workflow, not upgraded yet` });
    fake.clearRequests();
    const r = await runAction({ pr: 43, headSha: sha, files: OPEN });
    expect(verdict(r)).toEqual(reference);
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual([`PATCH /issues/comments/${ourOld.id}`, 'POST /pulls/43/reviews']);
    expect(fake.issueComments(43).map((c) => c.id)).toEqual([ourOld.id, theirOld.id]);
    expect(fake.issueComments(43)[0]!.body.startsWith(`${MARKER}\n`)).toBe(true);
  });

  it("forged fingerprints in another bot's review comments do not suppress our inline comments", async () => {
    const sha = openPr(44);
    const posted = fake.reviewComments(40);
    expect(posted.length).toBeGreaterThan(0);
    for (const c of posted) fake.addReviewComment(44, { path: c.path, line: c.line!, body: c.body, user: OTHER_APP });
    fake.clearRequests();
    const r = await runAction({ pr: 44, headSha: sha, files: OPEN });
    expect(verdict(r)).toEqual(reference);
    expect(fake.reviews(44)).toHaveLength(1);
    expect(fake.reviewComments(44).filter((c) => c.user.login === ACTIONS_BOT.login)).toHaveLength(posted.length);
  });

  it('with an app token: learns its bot from what it creates, then updates its own comment and ignores github-actions[bot]', async () => {
    const sha = openPr(45);
    const APP_TOKEN = 'ghs_app_installation_token';
    fake.actAs(APP_TOKEN, OTHER_APP);
    // github-actions[bot] once wrote a comment with this very marker: not this token's, so never touched.
    const actions = fake.addIssueComment(45, { body: `${MARKER}\nwritten by GITHUB_TOKEN` });
    fake.clearRequests();
    const first = await runAction({ pr: 45, headSha: sha, files: OPEN, inputs: { token: APP_TOKEN } });
    expect(verdict(first)).toEqual(reference);
    // Presumed github-actions[bot]: it PATCHes that comment, is refused (not its author), creates its own instead.
    expect(touching(actions.id)).toEqual([`PATCH /issues/comments/${actions.id}`]);
    const mine = fake.issueComments(45).filter((c) => c.user.login === OTHER_APP.login);
    expect(mine).toHaveLength(1);
    expect(fake.reviewComments(45).every((c) => c.user.login === OTHER_APP.login)).toBe(true);

    fake.clearRequests();
    const second = await runAction({ pr: 45, headSha: sha, files: OPEN, inputs: { token: APP_TOKEN } });
    expect(verdict(second)).toEqual(reference);
    // Two bots' comments carry the marker: it asks GitHub who it is, finds its own, and has nothing new to write.
    expect(calls().filter((c) => !c.startsWith('GET'))).toEqual(['POST /graphql']);
    expect(fake.issueComments(45).map((c) => c.id)).toEqual([actions.id, mine[0]!.id]);
    expect(fake.issueComments(45)[0]!.body).toBe(`${MARKER}\nwritten by GITHUB_TOKEN`);
    expect(fake.reviews(45)).toHaveLength(1);
  });
});

describe('code scanning in one step (upload-sarif: true)', () => {
  const UPLOAD = { 'upload-sarif': 'true' };
  /** actions/checkout's default for pull_request: GitHub's merge commit, GITHUB_SHA and GITHUB_REF name it. */
  const mergeEnv = (n: number): Record<string, string> => ({ GITHUB_SHA: repoFor(OPEN).merge, GITHUB_REF: `refs/pull/${n}/merge` });
  let reference: ReturnType<typeof verdict>;
  beforeAll(async () => {
    const sha = openPr(60);
    reference = verdict(await runAction({ pr: 60, headSha: sha, files: OPEN, env: mergeEnv(60) }));
    fake.codeScanning.behaviour = { enabled: true, pendingPolls: 1, outcome: 'complete', errors: [] };
  });

  it('uploads the same log it would write, under the merge ref and commit, waits for processing, and sets sarif-id', async () => {
    const sha = openPr(61);
    fake.clearRequests();
    const before = fake.codeScanning.uploads.length;
    const r = await runAction({ pr: 61, headSha: sha, files: OPEN, env: mergeEnv(61), inputs: { ...UPLOAD, 'sarif-file': 'portcullis.sarif' } });
    expect(r.stderr).toBe('');
    expect(verdict(r)).toEqual(reference);
    const uploads = fake.codeScanning.uploads.slice(before);
    expect(uploads).toHaveLength(1);
    const upload = uploads[0]!;
    expect(upload).toMatchObject({ ref: 'refs/pull/61/merge', commit_sha: repoFor(OPEN).merge, tool_name: 'portcullis' });
    expect(r.outputs['sarif-id']).toBe(upload.id);
    // The upload is the log written to sarif-file, decoded from gzip + base64 by the fake.
    expect(upload.log).toEqual(JSON.parse(readFileSync(r.outputs['sarif']!, 'utf8')));
    const run0 = upload.log.runs![0]!;
    expect(run0.automationDetails!.id).toBe('portcullis/root/');
    expect(run0.results).toHaveLength(Number(reference.findings));
    expect(calls().filter((c) => c.includes('code-scanning'))).toEqual(['POST /code-scanning/sarifs', `GET /code-scanning/sarifs/${upload.id}`, `GET /code-scanning/sarifs/${upload.id}`]);
    expect(r.stdout).toMatch(/^Code scanning processed upload \S+: its results are in the Security tab and on the pull request\.$/m);
    expect(r.stdout).not.toMatch(/^::(warning|notice)::.*(SARIF|code scanning)/im);
  });

  it("on a fork's pull request: nothing uploaded, one notice, the same verdict", async () => {
    const sha = openPr(62);
    fake.clearRequests();
    const r = await runAction({ pr: 62, headSha: sha, files: OPEN, fork: true, env: mergeEnv(62), inputs: UPLOAD });
    expect(verdict(r)).toEqual(reference);
    expect(fake.writes()).toEqual([]);
    expect(r.stdout.match(/^::notice::This is a fork's pull request: its token is read-only, so Portcullis did not upload the SARIF log/gm)).toHaveLength(1);
    expect(r.summary).toContain('so Portcullis did not upload the SARIF log to code scanning');
    expect(r.outputs['sarif-id']).toBeUndefined();
  });

  it('without security-events: write, or without code scanning: one notice each, the same verdict, exit code unchanged', async () => {
    const sha = openPr(63);
    fake.readOnly = true;
    try {
      const r = await runAction({ pr: 63, headSha: sha, files: OPEN, env: mergeEnv(63), inputs: UPLOAD });
      expect(verdict(r)).toEqual(reference);
      expect(r.stdout.match(/^::notice::The token cannot upload to code scanning: grant the job `security-events: write`/gm)).toHaveLength(1);
      expect(r.stderr).toBe('');
    } finally {
      fake.readOnly = false;
    }
    fake.codeScanning.behaviour.enabled = false;
    try {
      const r = await runAction({ pr: 63, headSha: sha, files: OPEN, env: mergeEnv(63), inputs: UPLOAD });
      expect(verdict(r)).toEqual(reference);
      expect(r.stdout.match(/^::notice::Code scanning is not enabled for acme\/widgets/gm)).toHaveLength(1);
    } finally {
      fake.codeScanning.behaviour.enabled = true;
    }
  });
});
