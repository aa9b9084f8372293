/**
 * A README that calls its folder a sample takes the folder out of the gate only where the base revision says so too:
 * a pull request cannot demote its own files by adding one. Real git checkouts made as actions/checkout makes them
 * (test/support/git-checkout.ts), the base resolved as the action resolves it (action/base.ts).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBase, type GitPlace } from '../../src/action/base.js';
import type { RunContext } from '../../src/action/context.js';
import { samplesDeclaredAtBase } from '../../src/action/declared-at-base.js';
import { scanDirectory } from '../../src/scan.js';
import { checkoutCommit, createPullRequestRepo, git, type Files } from '../support/git-checkout.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'pc-declared-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: api',
  'spec:',
  '  containers:',
  '    - name: api',
  '      image: ghcr.io/acme/api:1.4.2@sha256:' + 'a'.repeat(64),
  '      securityContext:',
  '        privileged: true',
  '',
].join('\n');
const BASE: Files = { 'README.md': '# acme\n', 'deploy/pod.yaml': POD };
const EXAMPLE = '# Example\n\nA privileged pod, for show.\n';

let repos = 0;
/** A pull request from `base` to `head`, its merge commit checked out at `depth`; the scan as the action runs it. */
async function scanPullRequest(base: Files, head: Files, opts: { depth?: number; origin?: string; event?: 'pull_request' | 'push' } = {}) {
  const dir = join(scratch, `repo-${++repos}`);
  const repo = createPullRequestRepo(dir, base, head);
  const workspace = join(dir, 'workspace');
  checkoutCommit(workspace, repo.origin, repo.merge, opts.depth ?? 2);
  if (opts.origin) git(workspace, ['remote', 'set-url', 'origin', opts.origin]);
  const ctx: RunContext = {
    eventName: opts.event ?? 'pull_request',
    repository: 'acme/widgets',
    serverUrl: 'https://github.com',
    apiUrl: 'http://127.0.0.1:9',
    sha: repo.merge,
    ...(opts.event === 'push'
      ? { push: { ref: 'refs/heads/main', before: repo.base } }
      : { pullRequest: { number: 1, headSha: repo.head, baseSha: repo.base, isFork: true } }),
  };
  const place: GitPlace = { root: workspace, workspace, token: '' };
  const confirm = samplesDeclaredAtBase(ctx, place, () => resolveBase(ctx, place));
  const result = await scanDirectory(workspace, confirm ? { confirmSamples: confirm } : {});
  const pod = result.findings.filter((f) => f.path === 'deploy/pod.yaml' && f.ruleId === 'privileged-container');
  expect(pod).toHaveLength(1);
  return { pod: pod[0]!, notices: result.notices.map((n) => n.message), confirm };
}

describe('declared samples on a pull request', () => {
  it('a README the pull request adds next to a privileged manifest demotes nothing: the finding blocks, and a notice says why', async () => {
    const { pod, notices } = await scanPullRequest(BASE, { ...BASE, 'deploy/README.md': EXAMPLE });
    expect(pod.context).toBe('production');
    expect(pod.outOfScope).toBeUndefined();
    expect(notices.some((n) => /1 README\(s\) that call their folder a sample .*\(deploy\/README\.md\): this pull request adds them/.test(n))).toBe(true);
    expect(notices.some((n) => /treated as examples/.test(n))).toBe(false);
  });

  it('the same README present in the base demotes the folder, and the notice names it', async () => {
    const base = { ...BASE, 'deploy/README.md': EXAMPLE };
    const { pod, notices } = await scanPullRequest(base, { ...base, 'README.md': '# acme\n\nNow with docs.\n' });
    expect(pod.context).toBe('example');
    expect(pod.outOfScope).toBe('context');
    expect(notices.some((n) => /1 folder\(s\) treated as examples .*\(deploy\)/.test(n))).toBe(true);
  });

  it('a README the pull request edits into a declaration demotes nothing; one declaring at both ends still does', async () => {
    const base = { ...BASE, 'deploy/README.md': '# Deployment\n\nThe production pod.\n' };
    const edited = await scanPullRequest(base, { ...base, 'deploy/README.md': EXAMPLE });
    expect(edited.pod.context).toBe('production');
    expect(edited.pod.outOfScope).toBeUndefined();

    const both = { ...BASE, 'deploy/README.md': '# Sample pod\n' };
    const kept = await scanPullRequest(both, { ...both, 'deploy/README.md': '# Sample pod\n\nNow explained.\n' });
    expect(kept.pod.context).toBe('example');
  });

  it('a declaring README moved into the folder by the pull request demotes nothing (the base declares another folder)', async () => {
    const base = { ...BASE, 'docs/README.md': EXAMPLE };
    const { pod } = await scanPullRequest(base, { ...BASE, 'deploy/README.md': EXAMPLE });
    expect(pod.context).toBe('production');
  });

  it('no base to read (shallow checkout, unreachable origin): nothing is honoured, and the notice says so', async () => {
    const base = { ...BASE, 'deploy/README.md': EXAMPLE };
    const { pod, notices } = await scanPullRequest(base, { ...base, 'README.md': '# acme 2\n' }, { depth: 1, origin: `file://${join(scratch, 'none.git')}` });
    expect(pod.context).toBe('production');
    expect(pod.outOfScope).toBeUndefined();
    expect(notices.some((n) => /deploy\/README\.md\): the base commit could not be read to confirm them/.test(n))).toBe(true);
  });

  it('a push scans what the repository holds: the head is honoured as a local scan honours it', async () => {
    const { pod, confirm } = await scanPullRequest(BASE, { ...BASE, 'deploy/README.md': EXAMPLE }, { event: 'push' });
    expect(confirm).toBeUndefined();
    expect(pod.context).toBe('example');
  });
});

describe('declared samples in a scan given a confirmation', () => {
  it('a confirmation that fails honours none', async () => {
    const dir = join(scratch, 'plain');
    for (const [path, text] of Object.entries({ ...BASE, 'deploy/README.md': EXAMPLE })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const result = await scanDirectory(dir, { confirmSamples: () => Promise.reject(new Error('disk on fire')) });
    const pod = result.findings.find((f) => f.path === 'deploy/pod.yaml' && f.ruleId === 'privileged-container');
    expect(pod?.context).toBe('production');
    expect(pod?.outOfScope).toBeUndefined();
    expect(result.notices.some((n) => /could not be checked against the base commit: disk on fire/.test(n.message))).toBe(true);
    // without a confirmation (the local CLI), the same tree's README is honoured
    const local = await scanDirectory(dir);
    expect(local.findings.find((f) => f.path === 'deploy/pod.yaml' && f.ruleId === 'privileged-container')?.context).toBe('example');
  });
});
