/**
 * `gate: new` measured against the base revision, end to end: the committed bundle (`node dist/index.js`)
 * in a real git checkout made the way actions/checkout makes it (test/support/git-checkout.ts), against the
 * fake GitHub. A pull request that only deletes a protection, or changes what an unchanged line reads, adds
 * a finding on a line it never touched: that finding is new and blocks. Old debt stays existing. Then the
 * ways to the base (merge parent, shallow fetch, none) and the other events (merge_group, push).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_REPOSITORY_FILES } from '../support/clean-repository.js';
import { FakeGitHub } from '../support/fake-github.js';
import { actionDefaults, requireBundle, runBundle, type BundleRun } from '../support/runner-files.js';
import {
  checkoutCommit,
  createPullRequestRepo,
  git,
  pullRequestFiles,
  type Files,
  type PullRequestRepo,
} from '../support/git-checkout.js';

const scratch = mkdtempSync(join(tmpdir(), 'pc-base-'));
const TOKEN = 'ghs_basegatetesttoken0123456789abcdef';
const fake = FakeGitHub.forSuite({ owner: 'acme', repo: 'widgets' });

// ---- the repository -------------------------------------------------------------------------------

const DIGEST = `sha256:${'a'.repeat(64)}`;
const DOCKERFILE = `ARG NODE_IMAGE=node:20-alpine@${DIGEST}
FROM \${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
FROM \${NODE_IMAGE}
WORKDIR /app
COPY --from=build /src /app
USER app
CMD ["node", "server.js"]
`;
const WORKFLOW = `name: ci
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
const MANIFEST = '{\n  "name": "widgets",\n  "version": "1.0.0",\n  "dependencies": { "left-pad": "1.3.0" }\n}\n';
const LOCKFILE = `{
  "name": "widgets",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "widgets", "version": "1.0.0", "dependencies": { "left-pad": "1.3.0" } },
    "node_modules/left-pad": { "version": "1.3.0", "resolved": "https://registry.example.com/left-pad/-/left-pad-1.3.0.tgz", "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQBdhKBU+zIU0T2oGQyJjbLlj1AKNC2EdMbAtbmV5GolqWbyg==" }
  }
}
`;
/** Old debt: two high findings nobody touches. */
const LEGACY = 'FROM ubuntu:latest\nRUN apt-get update\nCOPY app /app\nCMD ["/app/run"]\n';

const BASE: Files = {
  // CODEOWNERS, Dependabot and SECURITY.md: the repository rules have nothing to say
  ...CLEAN_REPOSITORY_FILES,
  Dockerfile: DOCKERFILE,
  '.github/workflows/ci.yml': WORKFLOW,
  'package.json': MANIFEST,
  'package-lock.json': LOCKFILE,
  'legacy/Dockerfile': LEGACY,
  'README.md': '# widgets\n',
};
const without = (files: Files, path: string): Files =>
  Object.fromEntries(Object.entries(files).filter(([p]) => p !== path));
const edit = (path: string, from: string | RegExp, to: string): Files => ({
  ...BASE,
  [path]: BASE[path]!.replace(from, to),
});

// ---- running the bundle ---------------------------------------------------------------------------

interface Run extends BundleRun {
  workspace: string;
}

let runs = 0;
async function runAction(
  workspace: string,
  event: string,
  payload: unknown,
  inputs: Record<string, string> = {},
): Promise<Run> {
  const run = await runBundle({
    dir: join(scratch, `run-${++runs}`),
    workspace,
    event,
    payload,
    inputs: { ...actionDefaults(TOKEN), 'fail-on': 'medium', ...inputs },
    env: {
      GITHUB_SHA: headOf(workspace),
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_API_URL: fake.url,
      GITHUB_RUN_ID: '77',
    },
  });
  return { ...run, workspace };
}

function headOf(workspace: string): string {
  try {
    return git(workspace, ['rev-parse', 'HEAD']);
  } catch {
    return 'e'.repeat(40);
  }
}

let repos = 0;
/** A fresh repository for a pull request from BASE to `head`, registered on the fake as PR #1 of a fresh state. */
function pullRequestRepo(head: Files, base: Files = BASE): PullRequestRepo & { dir: string } {
  const dir = join(scratch, `repo-${++repos}`);
  const repo = createPullRequestRepo(dir, base, head);
  fake.addPullRequest({
    number: repos,
    headSha: repo.head,
    files: pullRequestFiles(join(dir, 'src'), repo.base, repo.head),
  });
  return { ...repo, dir };
}

const prPayload = (number: number, repo: PullRequestRepo) => ({
  action: 'synchronize',
  number,
  pull_request: {
    number,
    head: { sha: repo.head, repo: { full_name: 'acme/widgets' } },
    base: { sha: repo.base, repo: { full_name: 'acme/widgets' } },
  },
});

/** Opens a PR from BASE to `head`, checks out its merge commit at `depth` and runs the bundle on it. */
async function runPullRequest(
  head: Files,
  depth = 2,
  inputs: Record<string, string> = {},
  base: Files = BASE,
): Promise<Run & { repo: PullRequestRepo }> {
  const repo = pullRequestRepo(head, base);
  const workspace = join(repo.dir, 'workspace');
  checkoutCommit(workspace, repo.origin, repo.merge, depth);
  return { ...(await runAction(workspace, 'pull_request', prPayload(repos, repo), inputs)), repo };
}

const verdict = (r: Run) => ({
  status: r.status,
  result: r.outputs['result'],
  findings: r.outputs['findings'],
  blocking: r.outputs['blocking'],
});
const errorRules = (r: Run) =>
  [...r.stdout.matchAll(/^::error title=portcullis\(([a-z-]+)\)/gm)].map((m) => m[1]).sort();
const notices = (r: Run) => r.stdout.split('\n').filter((l) => l.startsWith('::notice::'));

beforeAll(requireBundle);
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 60_000);

// ---- pull requests --------------------------------------------------------------------------------

describe('gate new: a finding is new when the base revision does not have it, whatever line it sits on', () => {
  it.each<[string, Files, string, string]>([
    ['deletes the final stage USER', edit('Dockerfile', 'USER app\n', ''), 'runs-as-root', 'Dockerfile'],
    [
      'deletes persist-credentials: false',
      edit('.github/workflows/ci.yml', '        with:\n          persist-credentials: false\n', ''),
      'persisted-credentials',
      '.github/workflows/ci.yml',
    ],
    [
      "deletes the workflow's permissions: block",
      edit('.github/workflows/ci.yml', 'permissions:\n  contents: read\n', ''),
      'excessive-permissions',
      '.github/workflows/ci.yml',
    ],
    ['deletes the lockfile', without(BASE, 'package-lock.json'), 'missing-lockfile', 'package.json'],
    [
      'changes the ARG an unchanged FROM reads',
      edit('Dockerfile', /^ARG NODE_IMAGE=.*$/m, 'ARG NODE_IMAGE=node:20-alpine'),
      'unpinned-image',
      'Dockerfile',
    ],
  ])('a pull request that only %s: the finding is new and blocks', async (_what, head, rule, path) => {
    const r = await runPullRequest(head);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(new Set(errorRules(r))).toEqual(new Set([rule]));
    expect(r.stdout).toMatch(
      new RegExp(`^::error title=portcullis\\(${rule}\\)[^\\n]*,file=${path.replace(/\./g, '\\.')},`, 'm'),
    );
    // The old debt in legacy/ is reported as existing and does not block.
    expect(r.stdout).toMatch(/^::warning title=portcullis\(runs-as-root\)[^,]* \(existing\),file=legacy\/Dockerfile/m);
    expect(r.stdout).toMatch(/^Portcullis: gate new against the base commit [0-9a-f]{12} \(merge parent\)/m);
    expect(r.summary).toContain('Gate `new`: only findings this pull request introduces');
    expect(notices(r)).toEqual([]);
  });

  it('a secret swapped under the same name (same fingerprint) is new; the same secret on a moved line is not', async () => {
    // Built at run time: no credential-like literal in the repository.
    const value = (seed: string) => [seed, 'm9Pq2v', 'Lr7tWz', '4nK'].join('');
    const withSecret = (v: string, before = '') => ({
      ...BASE,
      'svc/Dockerfile': `FROM node:20-alpine@${DIGEST}\n${before}ENV DB_PASSWORD=${v}\nUSER app\n`,
    });
    const swapped = await runPullRequest(withSecret(value('Qw')), 2, {}, withSecret(value('Xk')));
    expect(swapped.stderr).toBe('');
    expect(errorRules(swapped)).toEqual(['secret-in-env']);
    expect(verdict(swapped)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    const shown = swapped.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + swapped.summary;
    for (const v of [value('Xk'), value('Qw')]) expect(shown).not.toContain(v);

    const moved = await runPullRequest(withSecret(value('Xk'), 'WORKDIR /app\n'), 2, {}, withSecret(value('Xk')));
    expect(verdict(moved)).toEqual({ status: 0, result: 'pass', findings: '3', blocking: '0' });
  });

  it('a pull request touching an unrelated file leaves the old debt existing: it passes', async () => {
    const r = await runPullRequest({ ...BASE, 'README.md': '# widgets\n\nNow with docs.\n' });
    expect(verdict(r)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.summary).toContain('2 existing findings are reported but do not block');
  });

  it('renames: a moved file keeps its debt existing, even when it is edited elsewhere; a copy elsewhere is new', async () => {
    const moved = without({ ...BASE, 'old/Dockerfile': `${LEGACY}RUN echo moved\n` }, 'legacy/Dockerfile');
    const r = await runPullRequest(moved);
    expect(verdict(r)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
    expect(r.stdout).toMatch(/^::warning title=portcullis\(runs-as-root\)[^,]* \(existing\),file=old\/Dockerfile/m);

    const copied = await runPullRequest({ ...BASE, 'tools/Dockerfile': LEGACY });
    expect(verdict(copied)).toEqual({ status: 1, result: 'fail', findings: '4', blocking: '2' });
    expect(copied.stdout).toMatch(/^::error title=portcullis\(runs-as-root\)[^\n]*,file=tools\/Dockerfile/m);
  });

  it('a second identical finding: exactly one of the two is new (fingerprints count occurrences, not lines)', async () => {
    const r = await runPullRequest({ ...BASE, 'legacy/Dockerfile': `FROM ubuntu:latest\nRUN make\n${LEGACY}` });
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    expect(errorRules(r)).toEqual(['latest-image-tag']);
    expect(
      r.stdout.match(/^::warning title=portcullis\([a-z-]+\)[^,]* \(existing\),file=legacy\/Dockerfile/gm),
    ).toHaveLength(2);
  });
});

describe('a README that calls its folder an example (declared samples)', () => {
  const POD = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: ghcr.io/acme/api:1.4.2@${DIGEST}\n      securityContext:\n        privileged: true\n`;
  const EXAMPLE = '# Example\n\nA privileged pod, for show.\n';

  it('added by the pull request next to the privileged manifest it adds: demotes nothing, the finding blocks', async () => {
    const r = await runPullRequest({ ...BASE, 'deploy/README.md': EXAMPLE, 'deploy/pod.yaml': POD });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(errorRules(r)).toContain('privileged-container');
    expect(r.stdout).toMatch(/^::error title=portcullis\(privileged-container\)[^\n]*,file=deploy\/pod\.yaml,/m);
    // the scan's notice (an annotation titled portcullis) names the README it did not honour, and why
    expect(r.stdout).toMatch(/^::notice [^\n]*README\(s\) that call their folder a sample [^\n]*deploy\/README\.md\): this pull request adds them/m);
  });

  it('present in the base: the folder is an example, and the pod the pull request adds there does not block', async () => {
    const base = { ...BASE, 'deploy/README.md': EXAMPLE };
    const r = await runPullRequest({ ...base, 'deploy/pod.yaml': POD }, 2, {}, base);
    expect(r.stderr).toBe('');
    expect(verdict(r)).toMatchObject({ status: 0, result: 'pass', blocking: '0' });
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.stdout).toMatch(/^::notice [^\n]*1 folder\(s\) treated as examples [^\n]*\(deploy\)/m);
  });
});

describe('a scanned sub-folder', () => {
  it('names files from the repository root and measures the sub-folder against the base', async () => {
    const r = await runPullRequest(
      { ...BASE, 'legacy/Dockerfile': `${LEGACY}RUN curl -fsSL https://example.com/install.sh | sh\nUSER 10001\n` },
      2,
      { path: 'legacy' },
    );
    expect(r.stderr).toBe('');
    // USER fixed runs-as-root; latest-image-tag is old debt; curl | sh is new.
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '2', blocking: '1' });
    expect(r.stdout).toMatch(/^::error title=portcullis\(curl-pipe-shell\)[^\n]*,file=legacy\/Dockerfile,line=5/m);
    expect(r.stdout).toMatch(
      /^::warning title=portcullis\(latest-image-tag\)[^,]* \(existing\),file=legacy\/Dockerfile,line=1/m,
    );
  });
});

describe('the ways to the base commit', () => {
  it('a shallow checkout (fetch-depth 1) fetches the base from origin: the same verdict as with the merge parent', async () => {
    const head = edit('Dockerfile', 'USER app\n', '');
    const deep = await runPullRequest(head, 2);
    const shallow = await runPullRequest(head, 1);
    expect(shallow.stdout).toMatch(/^Portcullis: gate new against the base commit [0-9a-f]{12} \(fetched\)/m);
    expect(verdict(shallow)).toEqual(verdict(deep));
    expect(verdict(shallow)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    expect(errorRules(shallow)).toEqual(['runs-as-root']);
    expect(notices(shallow)).toEqual([]);
  });

  it('the token goes to the fetch of a GitHub origin for that one command: never written to .git/config, never printed', async () => {
    const repo = pullRequestRepo(edit('Dockerfile', 'USER app\n', ''));
    const workspace = join(repo.dir, 'workspace');
    checkoutCommit(workspace, repo.origin, repo.merge, 1);
    // origin names the GitHub server (so the token is sent); git maps it to the local bare repository.
    git(workspace, ['remote', 'set-url', 'origin', 'https://github.com/acme/widgets']);
    git(workspace, ['config', `url.${repo.origin}.insteadOf`, 'https://github.com/acme/widgets']);
    const configBefore = readFileSync(join(workspace, '.git', 'config'), 'utf8');
    const r = await runAction(workspace, 'pull_request', prPayload(repos, repo));
    expect(r.stdout).toMatch(/\(fetched\)/);
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    expect(readFileSync(join(workspace, '.git', 'config'), 'utf8')).toBe(configBefore);
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    for (const secret of [TOKEN, basic]) {
      expect(r.stdout + r.stderr + r.summary).not.toContain(secret);
      expect(filesUnder(join(workspace, '.git')).filter((f) => readFileSync(f).includes(secret))).toEqual([]);
    }
  });

  it('neither the merge parent nor a fetch: gate all, with one notice that says how to enable it', async () => {
    const repo = pullRequestRepo(edit('Dockerfile', 'USER app\n', ''));
    const workspace = join(repo.dir, 'workspace');
    checkoutCommit(workspace, repo.origin, repo.merge, 1);
    git(workspace, ['remote', 'set-url', 'origin', `file://${join(scratch, 'no-such-origin.git')}`]);
    const r = await runAction(workspace, 'pull_request', prPayload(repos, repo));
    expect(r.stderr).toBe('');
    // Every finding counts: the new one and the two of the old debt.
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '3' });
    const said = notices(r);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^::notice::Portcullis could not read the base commit of this pull request \(.*\), so every finding counts, as with `gate: all`\. To enable it, check out with `fetch-depth: 2` \(actions\/checkout\), or give the job `contents: read`/,
    );
    expect(r.summary).toContain('so every finding counts, as with `gate: all`');
    expect(r.stdout).not.toMatch(/\(existing\)/);
  });

  it('pull_request_target on its default checkout (the base itself): nothing is new; a merge commit of another pull request is not taken for this one', async () => {
    const repo = pullRequestRepo(edit('Dockerfile', 'USER app\n', ''));
    const onBase = join(repo.dir, 'on-base');
    checkoutCommit(onBase, repo.origin, repo.base, 1);
    const r = await runAction(onBase, 'pull_request_target', prPayload(repos, repo));
    expect(verdict(r)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
    expect(r.stdout).toMatch(/\(in the checkout\)/);

    // The merge commit checked out, but the event names another head: its first parent is not taken as the base.
    const other = join(repo.dir, 'other');
    checkoutCommit(other, repo.origin, repo.merge, 2);
    const payload = prPayload(repos, { ...repo, head: 'f'.repeat(40) });
    const o = await runAction(other, 'pull_request', payload);
    expect(o.stdout).toMatch(/\(in the checkout\)/);
    expect(verdict(o)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
  });

  it('a workspace that is not a git checkout: gate all, with the same one notice', async () => {
    const workspace = join(scratch, 'plain');
    for (const [path, text] of Object.entries(BASE)) {
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    const fakeRepo = { base: 'b'.repeat(40), head: 'c'.repeat(40), merge: 'd'.repeat(40), origin: '' };
    fake.addPullRequest({ number: 99, headSha: fakeRepo.head, files: [] });
    const env = await runAction(workspace, 'pull_request', prPayload(99, fakeRepo));
    expect(verdict(env)).toEqual({ status: 1, result: 'fail', findings: '2', blocking: '2' });
    expect(notices(env)).toHaveLength(1);
    expect(notices(env)[0]).toMatch(
      /^::notice::Portcullis could not read the base commit of this pull request \(the workspace is not a git checkout/,
    );
  });
});

// ---- merge queues and pushes ----------------------------------------------------------------------

describe('merge_group and push use the same base machinery', () => {
  /** The merge queue's commit: the pull request's changes on top of the base (its parent). */
  async function runMergeGroup(head: Files, depth: number): Promise<Run> {
    const repo = pullRequestRepo(head);
    const workspace = join(repo.dir, 'workspace');
    checkoutCommit(workspace, repo.origin, repo.head, depth);
    fake.clearRequests();
    return runAction(workspace, 'merge_group', {
      action: 'checks_requested',
      merge_group: {
        head_sha: repo.head,
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-1-x',
        base_sha: repo.base,
        base_ref: 'refs/heads/main',
      },
      repository: { full_name: 'acme/widgets', default_branch: 'main' },
    });
  }

  it('merge_group: new findings against the merge group base_sha block; old debt does not', async () => {
    const r = await runMergeGroup(without(BASE, 'package-lock.json'), 1);
    expect(r.stderr).toBe('');
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    expect(errorRules(r)).toEqual(['missing-lockfile']);
    expect(r.stdout).toMatch(/^Portcullis: gate new against the base commit [0-9a-f]{12} \(fetched\)/m);
    expect(r.summary).toContain('Gate `new`: only findings this merge group introduces');
    expect(r.summary).toContain('only findings this merge group introduces');
    expect(r.summary).toContain('not introduced by this merge group');
    // The base comes from git; the one API call is review-policy's read of the default branch's rules (unseeded: 404).
    expect(fake.requests.map((q) => q.operation)).toEqual(['repos/get-branch-rules']);

    const clean = await runMergeGroup({ ...BASE, 'README.md': '# widgets\n\nv2\n' }, 2);
    expect(verdict(clean)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
    expect(clean.stdout).toMatch(/\(in the checkout\)/);
  });

  async function runPush(
    head: Files,
    payload: (repo: PullRequestRepo) => unknown,
    inputs: Record<string, string> = {},
  ): Promise<Run> {
    const repo = pullRequestRepo(head);
    const workspace = join(repo.dir, 'workspace');
    checkoutCommit(workspace, repo.origin, repo.head, 1);
    fake.clearRequests();
    return runAction(workspace, 'push', payload(repo), inputs);
  }
  const pushTo = (ref: string, before: (repo: PullRequestRepo) => string) => (repo: PullRequestRepo) => ({
    ref,
    before: before(repo),
    after: repo.head,
    repository: { full_name: 'acme/widgets', default_branch: 'main' },
  });

  it('push to the default branch: only findings new since `before` block', async () => {
    const r = await runPush(
      edit('.github/workflows/ci.yml', 'permissions:\n  contents: read\n', ''),
      pushTo('refs/heads/main', (repo) => repo.base),
    );
    expect(r.stderr).toBe('');
    expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '3', blocking: '1' });
    expect(errorRules(r)).toEqual(['excessive-permissions']);
    expect(r.summary).toContain('Gate `new`: only findings this push introduces');
    expect(r.summary).toContain('only findings this push introduces');
    expect(r.summary).toContain('not introduced by this push');
    expect(notices(r)).toEqual([]);
    // The base comes from git; the one API call is review-policy's read of the default branch's rules (unseeded: 404).
    expect(fake.requests.map((q) => q.operation)).toEqual(['repos/get-branch-rules']);

    const clean = await runPush(
      { ...BASE, 'README.md': '# widgets\n\nv3\n' },
      pushTo('refs/heads/main', (repo) => repo.base),
    );
    expect(verdict(clean)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
  });

  it('a push that creates the branch (before is all zeros): gate all, one notice; a push to another branch: gate all, no notice', async () => {
    const created = await runPush(
      BASE,
      pushTo('refs/heads/main', () => '0'.repeat(40)),
    );
    expect(verdict(created)).toEqual({ status: 1, result: 'fail', findings: '2', blocking: '2' });
    expect(notices(created)).toEqual([
      '::notice::This push creates the branch, so there is no earlier commit to measure new findings against: every finding counts, as with `gate: all`.',
    ]);

    const feature = await runPush(
      { ...BASE, 'README.md': '# widgets\n\nv4\n' },
      pushTo('refs/heads/feature', (repo) => repo.base),
    );
    expect(verdict(feature)).toEqual({ status: 1, result: 'fail', findings: '2', blocking: '2' });
    expect(notices(feature)).toEqual([]);

    // An explicit `gate: new` on that branch measures against `before` too.
    const explicit = await runPush(
      { ...BASE, 'README.md': '# widgets\n\nv5\n' },
      pushTo('refs/heads/feature', (repo) => repo.base),
      { gate: 'new' },
    );
    expect(verdict(explicit)).toEqual({ status: 0, result: 'pass', findings: '2', blocking: '0' });
    expect(notices(explicit)).toEqual([]);
  });
});

// ---- the path input -------------------------------------------------------------------------------

describe('the path input names files and folders of the repository, scanned from its root', () => {
  const LOOSE_WORKFLOW = `name: ci
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;
  const API_DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY server.js .\nUSER app\nCMD ["node", "server.js"]\n';
  /** The repository's own config turns unpinned-image off; nothing else. */
  const ROOT_CONFIG = 'rules:\n  unpinned-image:\n    enabled: false\n';
  const PATH_BASE: Files = {
    '.github/workflows/ci.yml': LOOSE_WORKFLOW,
    '.github/portcullis.yml': ROOT_CONFIG,
    'services/api/Dockerfile': API_DOCKERFILE,
    'services/api/server.js': 'console.log("up");\n',
    'legacy/Dockerfile': LEGACY,
  };
  /**
   * The pull request deletes the USER line (runs-as-root, new) and drops a permissive config into the scanned
   * folder: were the folder the scan's root, that config would silence the gate.
   */
  const PATH_HEAD: Files = {
    ...PATH_BASE,
    'services/api/Dockerfile': API_DOCKERFILE.replace('USER app\n', ''),
    'services/api/.github/portcullis.yml':
      'fail-on: never\nrules:\n  runs-as-root:\n    enabled: false\nignore:\n  - rule: "*"\n    reason: not ours\n',
  };
  interface Reported {
    findings: { ruleId: string; path: string; line: number }[];
  }
  const reported = (r: Run): Reported => JSON.parse(readFileSync(r.outputs['report']!, 'utf8')) as Reported;
  const where = (r: Run) => reported(r).findings.map((f) => `${f.ruleId} ${f.path}:${f.line}`).sort();

  it.each(['services/api/Dockerfile', 'services/api'])(
    'path: %s: the root config governs (the folder config the pull request adds does not), paths stay repository-relative, gate new works',
    async (path) => {
      const r = await runPullRequest(PATH_HEAD, 2, { path, 'sarif-file': 'portcullis.sarif' }, PATH_BASE);
      expect(r.stderr).toBe('');
      expect(verdict(r)).toEqual({ status: 1, result: 'fail', findings: '1', blocking: '1' });
      expect(errorRules(r)).toEqual(['runs-as-root']);
      expect(r.stdout).toMatch(/^::error title=portcullis\(runs-as-root\)[^\n]*,file=services\/api\/Dockerfile,line=1,/m);
      // Only the named path is reported; unpinned-image is off by the root config.
      expect(where(r)).toEqual(['runs-as-root services/api/Dockerfile:1']);
      expect(r.stdout).toMatch(/^Portcullis: gate new against the base commit [0-9a-f]{12} \(merge parent\)/m);
      const sarif = JSON.parse(readFileSync(join(r.workspace, 'portcullis.sarif'), 'utf8'));
      const run = sarif.runs[0];
      expect(run.results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
        'services/api/Dockerfile',
      ]);
      expect(run.automationDetails.id).toBe(`portcullis/${path}/`);
      const comment = fake.issueComments(repos).at(-1)!.body;
      expect(comment).toContain('services/api/Dockerfile');
      expect(comment).not.toContain('legacy/Dockerfile');
    },
  );

  it('path: .github reports the workflow findings a root scan reports there, and nothing else', async () => {
    const root = await runPullRequest(PATH_BASE, 2, { gate: 'all' }, PATH_BASE);
    const github = await runPullRequest(PATH_BASE, 2, { gate: 'all', path: '.github' }, PATH_BASE);
    expect(github.stderr).toBe('');
    const underGithub = where(root).filter((f) => f.includes(' .github/'));
    expect(underGithub.some((f) => f.startsWith('excessive-permissions .github/workflows/ci.yml:'))).toBe(true);
    expect(where(github)).toEqual(underGithub);
    expect(where(root).length).toBeGreaterThan(underGithub.length);
    expect(github.stdout).toMatch(/^::error title=portcullis\(excessive-permissions\)[^\n]*,file=\.github\/workflows\/ci\.yml,/m);
  });

  it('a path outside the workspace, or through a symlink out of it, fails the step before any scan', async () => {
    const repo = pullRequestRepo(PATH_BASE, PATH_BASE);
    const workspace = join(repo.dir, 'workspace');
    checkoutCommit(workspace, repo.origin, repo.merge, 2);
    symlinkSync(repo.dir, join(workspace, 'out'));
    for (const [path, why] of [
      ['../src/legacy/Dockerfile', '../src/legacy/Dockerfile is outside the root'],
      ['services/api\nout/src/legacy/Dockerfile', 'out/src/legacy/Dockerfile leads outside the root'],
    ] as const) {
      const r = await runAction(workspace, 'pull_request', prPayload(repos, repo), { path });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`::error::Input "path" must name files or folders inside the workspace (`);
      expect(r.stdout).toContain(why);
      expect(r.outputs).toEqual({});
    }
  });
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}
