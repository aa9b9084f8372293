/**
 * review-policy end to end: the committed bundle (`node dist/index.js`, as the runner starts it) on a push to the
 * default branch, reading the default branch's protection from the fake GitHub, and the same run with no API
 * (port 9, which fetch refuses at once): no review-policy finding then, one notice, the same verdict otherwise.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.js';
import { actionDefaults, reportPathIn, type BundleRun, requireBundle, runBundle } from '../support/runner-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'pc-policy-'));

/** The gate's own workflow: a matrix job whose check runs are `Portcullis (linux)` and `Portcullis (windows)`. */
const WORKFLOW = `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  gate:
    name: Portcullis (\${{ matrix.os }})
    strategy:
      matrix:
        os: [linux, windows]
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab # v4
        with:
          persist-credentials: false
      - uses: portcullis-dev/portcullis@8e5e7e5ab8b370d6c329ec480221332ada57f0ab # v1
`;
const FILES: Record<string, string> = { '.github/workflows/ci.yml': WORKFLOW, 'README.md': '# widgets\n' };
const FROM = { ruleset_source_type: 'Repository', ruleset_source: 'acme/widgets', ruleset_id: 3 };

interface Run extends BundleRun {
  report: { findings: { ruleId: string; message: string; path: string; line: number; severity: string }[]; notices: { message: string }[] };
}

let runs = 0;
async function runAction(apiUrl: string): Promise<Run> {
  const dir = join(scratch, `run-${++runs}`);
  const workspace = join(dir, 'workspace');
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  const run = await runBundle({
    dir,
    workspace,
    event: 'push',
    payload: { ref: 'refs/heads/main', after: 'e'.repeat(40), repository: { full_name: 'acme/widgets', default_branch: 'main' } },
    inputs: { ...actionDefaults('ghs_policy_token'), advisories: 'bundled', gate: 'all' },
    env: {
      GITHUB_SHA: 'e'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_API_URL: apiUrl,
      GITHUB_RUN_ID: '91',
      GITHUB_WORKFLOW: 'CI',
      GITHUB_WORKFLOW_REF: 'acme/widgets/.github/workflows/ci.yml@refs/heads/main',
      GITHUB_JOB: 'gate',
    },
  });
  const report = JSON.parse(readFileSync(reportPathIn(run.runnerTemp), 'utf8')) as Run['report'];
  return { ...run, report };
}

beforeAll(requireBundle);
const fake = FakeGitHub.forSuite({ owner: 'acme', repo: 'widgets' });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('review-policy through the action bundle', () => {
  it('reports that this gate is not a required check, on the job that runs it, and fails the run (high)', async () => {
    fake.branchPolicy = {
      rules: [
        {
          type: 'pull_request',
          parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_code_owner_review: false, require_last_push_approval: false, required_review_thread_resolution: false },
          ...FROM,
        },
        { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'lint' }, { context: 'Portcullis' }], strict_required_status_checks_policy: true }, ...FROM },
        { type: 'non_fast_forward', ...FROM },
        { type: 'deletion', ...FROM },
      ],
      protection: 404,
      rulesets: { 3: { id: 3, name: 'main', source_type: 'Repository', source: 'acme/widgets', enforcement: 'active', bypass_actors: [] } },
    };
    fake.clearRequests();
    const r = await runAction(fake.url);
    expect(r.stderr).toBe('');
    expect(fake.requests.map((q) => q.operation)).toEqual(['repos/get-branch-rules', 'repos/get-branch-protection', 'repos/get-repo-ruleset']);
    const mine = r.report.findings.filter((f) => f.ruleId === 'review-policy');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 7, severity: 'high' });
    expect(mine[0]!.message).toContain('- this gate is not a required check: the gate can fail and the change still merges');
    // The classic protection's 404 is a notice; with it unread, what the rulesets lack is low confidence and does not block.
    expect(r.report.notices.map((n) => n.message).filter((m) => m.includes('classic branch protection of main could not be read (404'))).toHaveLength(1);
    expect(r.outputs['result']).toBe('pass');
    expect(r.stdout).toContain('review-policy');
    expect(r.stdout).not.toContain('ghs_policy_token');

    // Classic protection readable (a token with Administration read) and requiring nothing more: the finding blocks.
    fake.branchPolicy = { ...fake.branchPolicy, protection: { url: 'https://api.github.com/repos/acme/widgets/branches/main/protection', enforce_admins: { url: 'u', enabled: true } } };
    fake.clearRequests();
    const blocking = await runAction(fake.url);
    expect(blocking.status).toBe(1);
    expect(blocking.outputs['result']).toBe('fail');
    const found = blocking.report.findings.filter((f) => f.ruleId === 'review-policy');
    expect(found.map((f) => f.message.split('\n').filter((l) => l.startsWith('- ')))).toEqual([['- this gate is not a required check: the gate can fail and the change still merges']]);
    expect(blocking.stdout).toMatch(/^::error title=portcullis\(review-policy\)[^\n]*,file=\.github\/workflows\/ci\.yml,line=7,[^\n]*- this gate is not a required check/m);
  });

  it('with no API (offline): no review-policy finding, one notice, and the same verdict', async () => {
    const r = await runAction('http://127.0.0.1:9');
    expect(r.stderr).toBe('');
    expect(r.report.findings.filter((f) => f.ruleId === 'review-policy')).toEqual([]);
    expect(r.report.notices.filter((n) => n.message.startsWith('review-policy was not checked: the default branch'))).toHaveLength(1);
    expect(r.status).toBe(0);
    expect(r.outputs['result']).toBe('pass');
  });
});
