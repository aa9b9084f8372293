/**
 * `vulnerable-dependency` with `gate: new`, end to end: the bundle (`node dist/index.js`) on a real pull-request
 * checkout against the fake GitHub and the loopback OSV stand-in. A vulnerable version the pull request introduces
 * blocks; one the base already locks is existing (reported, not blocking), even when its advisory appears only now.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.js';
import { startFakeOsv, type FakeOsv } from '../support/fake-osv.js';
import { actionDefaults, requireBundle, runBundle } from '../support/runner-files.js';
import { checkoutCommit, createPullRequestRepo, git, pullRequestFiles, type Files } from '../support/git-checkout.js';

const scratch = mkdtempSync(join(tmpdir(), 'pc-vuln-gate-'));
const TOKEN = 'ghs_vulngatetesttoken0123456789abcdef';
const fake = FakeGitHub.forSuite({ owner: 'acme', repo: 'widgets' });
let osv: FakeOsv;

const lock = (deps: Record<string, string>) =>
  JSON.stringify(
    {
      name: 'widgets',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'widgets', version: '1.0.0', dependencies: Object.fromEntries(Object.entries(deps).map(([n, v]) => [n, v])) },
        ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, integrity: `sha512-${Buffer.from(n + v).toString('base64')}` }])),
      },
    },
    null,
    2,
  ) + '\n';
const manifest = (deps: Record<string, string>) => JSON.stringify({ name: 'widgets', version: '1.0.0', dependencies: deps }, null, 2) + '\n';
const BASE_DEPS = { lodash: '4.17.20', 'left-pad': '1.3.0' };
const BASE: Files = { 'package.json': manifest(BASE_DEPS), 'package-lock.json': lock(BASE_DEPS), 'README.md': '# widgets\n' };

const record = (id: string, name: string, fixed: string, severity: string, alias: string) => ({
  schema_version: '1.6.0',
  id,
  modified: '2024-01-01T00:00:00Z',
  aliases: [alias],
  summary: `Vulnerability in ${name}`,
  affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
  database_specific: { severity },
});
const LODASH = record('GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.21', 'HIGH', 'CVE-2021-23337');
const LODASH_NEW = record('GHSA-new0-new0-new0', 'lodash', '4.17.99', 'CRITICAL', 'CVE-2099-0001');
const MINIMIST = record('GHSA-xvch-5gv4-984h', 'minimist', '1.2.6', 'CRITICAL', 'CVE-2021-44906');

let runs = 0;
async function runPullRequest(head: Files) {
  const n = ++runs;
  const dir = join(scratch, `repo-${n}`);
  const repo = createPullRequestRepo(dir, BASE, head);
  fake.addPullRequest({ number: n, headSha: repo.head, files: pullRequestFiles(join(dir, 'src'), repo.base, repo.head) });
  const workspace = join(dir, 'workspace');
  checkoutCommit(workspace, repo.origin, repo.merge, 2);
  return runBundle({
    dir: join(scratch, `run-${n}`),
    workspace,
    event: 'pull_request',
    payload: { action: 'synchronize', number: n, pull_request: { number: n, head: { sha: repo.head, repo: { full_name: 'acme/widgets' } }, base: { sha: repo.base, repo: { full_name: 'acme/widgets' } } } },
    inputs: { ...actionDefaults(TOKEN), advisories: 'online', gate: 'new' },
    env: {
      GITHUB_SHA: git(workspace, ['rev-parse', 'HEAD']),
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_API_URL: fake.url,
      GITHUB_RUN_ID: '78',
      OSV_API_URL: osv.url,
    },
  });
}
const lines = (stdout: string, level: string) => stdout.split('\n').filter((l) => l.startsWith(`::${level} title=portcullis(vulnerable-dependency)`));

beforeAll(async () => {
  requireBundle();
  osv = await startFakeOsv();
});
beforeEach(() => {
  osv.reset();
  for (const r of [LODASH, LODASH_NEW, MINIMIST]) osv.records.set(r.id, r);
  osv.matches.set('npm lodash 4.17.20', [LODASH.id]);
  osv.matches.set('npm minimist 1.2.5', [MINIMIST.id]);
});
afterAll(async () => {
  await osv?.close();
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('gate new: vulnerable-dependency', () => {
  it('a pull request that adds a vulnerable version is blocked by it; the vulnerable version the base had is existing', async () => {
    const deps = { ...BASE_DEPS, minimist: '1.2.5' };
    const r = await runPullRequest({ ...BASE, 'package.json': manifest(deps), 'package-lock.json': lock(deps) });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(lines(r.stdout, 'error')).toEqual([expect.stringContaining('minimist@1.2.5')]);
    expect(lines(r.stdout, 'error')[0]).toContain('Fixed in 1.2.6');
    expect(lines(r.stdout, 'warning')).toEqual([expect.stringMatching(/\(existing\),file=package-lock\.json,.*lodash@4\.17\.20/)]);
    expect(osv.log.filter((l) => l.method === 'POST')).toHaveLength(1);
  }, 60_000);

  it('a pull request that leaves the vulnerable version alone passes, even when a new advisory on it appears now', async () => {
    osv.matches.set('npm lodash 4.17.20', [LODASH.id, LODASH_NEW.id]);
    const r = await runPullRequest({ ...BASE, 'README.md': '# widgets\n\nMore words.\n' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.outputs['result']).toBe('pass');
    expect(lines(r.stdout, 'error')).toEqual([]);
    const existing = lines(r.stdout, 'warning');
    expect(existing).toHaveLength(1);
    expect(existing[0]).toMatch(/GHSA-new0-new0-new0.*GHSA-35jh-r3h4-6jhm|GHSA-35jh-r3h4-6jhm.*GHSA-new0-new0-new0/);
    expect(existing[0]).toContain('(existing)');
  }, 60_000);

  it('the OSV service failing changes nothing but a notice', async () => {
    osv.failures = [503, 503, 503];
    const deps = { ...BASE_DEPS, minimist: '1.2.5' };
    const r = await runPullRequest({ ...BASE, 'package.json': manifest(deps), 'package-lock.json': lock(deps) });
    expect(r.stderr).toBe('');
    expect(lines(r.stdout, 'error')).toEqual([]);
    expect(r.stdout).toMatch(/^::notice title=portcullis%3A scan notice::advisories: online: the OSV database could not be used \(querybatch answered HTTP 503/m);
    expect(r.status).toBe(0);
  }, 60_000);
});
