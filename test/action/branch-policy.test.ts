import { beforeEach, describe, expect, it } from 'vitest';
import { policySourceForRun, readBranchPolicy, workflowPath, type PolicySource } from '../../src/action/branch-policy.js';
import type { RunContext } from '../../src/action/context.js';
import { parseConfig } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import reviewPolicy from '../../src/rules/meta/review-policy.js';
import { scanFiles } from '../../src/scan.js';
import { FakeGitHub, type FakeBranchPolicy } from '../support/fake-github.js';
import { noveltyAgainstBase } from '../../src/core/diff.js';
import { affectedPaths, flaggedText, scanBase } from '../../src/scan-base.js';

const WORKFLOW_PATH = '.github/workflows/ci.yml';
const WORKFLOW = [
  'name: CI',
  'on: pull_request',
  'jobs:',
  '  gate:',
  '    name: Portcullis (${{ matrix.shard }})',
  '    strategy:',
  '      matrix:',
  '        shard: [a, b]',
  '    runs-on: ubuntu-24.04',
  '    steps:',
  '      - uses: portcullis-dev/portcullis@v1',
  '',
].join('\n');

const REPO_SET = { ruleset_source_type: 'Repository', ruleset_source: 'acme/widgets', ruleset_id: 1 };
const pullRequest = (over: Record<string, unknown> = {}, from = REPO_SET) => ({
  type: 'pull_request',
  parameters: {
    required_approving_review_count: 1,
    dismiss_stale_reviews_on_push: true,
    require_code_owner_review: true,
    require_last_push_approval: false,
    required_review_thread_resolution: false,
    ...over,
  },
  ...from,
});
const checks = (contexts: string[], from = REPO_SET) => ({
  type: 'required_status_checks',
  parameters: { required_status_checks: contexts.map((context) => ({ context })), strict_required_status_checks_policy: false },
  ...from,
});
const FULL_RULES = [pullRequest(), checks(['Portcullis (a)']), { type: 'non_fast_forward', ...REPO_SET }, { type: 'deletion', ...REPO_SET }];
const ruleset = (over: Record<string, unknown> = {}) => ({ id: 1, name: 'protect main', source_type: 'Repository', source: 'acme/widgets', enforcement: 'active', bypass_actors: [], ...over });
/** Classic protection that protects nothing the rules do not: it allows force pushes and deletion, and binds admins. */
const LOOSE_CLASSIC = {
  url: 'https://api.github.com/repos/acme/widgets/branches/main/protection',
  enforce_admins: { url: 'https://api.github.com/repos/acme/widgets/branches/main/protection/enforce_admins', enabled: true },
  allow_force_pushes: { enabled: true },
  allow_deletions: { enabled: true },
};

const ACME = {
  login: 'acme',
  id: 1,
  node_id: 'O_1',
  type: 'Organization',
  site_admin: false,
  gravatar_id: '',
  ...Object.fromEntries(
    ['avatar_url', 'url', 'html_url', 'followers_url', 'following_url', 'gists_url', 'starred_url', 'subscriptions_url', 'organizations_url', 'repos_url', 'events_url', 'received_events_url'].map((k) => [k, `https://github.com/acme#${k}`]),
  ),
};
const APP = {
  id: 77,
  slug: 'deployer',
  node_id: 'A_77',
  owner: ACME,
  name: 'deployer',
  description: null,
  external_url: 'https://example.com',
  html_url: 'https://github.com/apps/deployer',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  permissions: { contents: 'write' },
  events: [],
};

const fake = FakeGitHub.forSuite();
beforeEach(() => {
  fake.clearRequests();
  fake.clearFaults();
});

async function judge(policy: FakeBranchPolicy, opts: { files?: Record<string, string>; config?: string; source?: Partial<PolicySource> } = {}) {
  fake.branchPolicy = policy;
  const input = await readBranchPolicy({
    token: 'ghs_test',
    apiUrl: fake.url,
    repository: fake.repository,
    defaultBranch: 'main',
    workflow: { path: WORKFLOW_PATH, job: 'gate' },
    settings: { retryBaseMs: 1 },
    ...opts.source,
  });
  const config = opts.config ? parseConfig(opts.config, '.github/portcullis.yml', rules) : undefined;
  const result = scanFiles({ [WORKFLOW_PATH]: WORKFLOW, ...opts.files }, { rules: [reviewPolicy], branchPolicy: input, ...(config ? { config } : {}) });
  const found = result.findings.filter((f) => f.ruleId === 'review-policy');
  expect(found.length).toBeLessThanOrEqual(1);
  return { finding: found[0], notices: result.notices.map((n) => n.message), requests: fake.requests.map((r) => `${r.operation} ${r.status}`), summary: result.summary };
}

describe('review-policy through the fake GitHub', () => {
  it('a full policy from a repository ruleset: no finding, three calls, and the unread classic protection said once', async () => {
    const { finding, notices, requests } = await judge({ rules: FULL_RULES, protection: 404, rulesets: { 1: ruleset() } }, { files: { '.github/CODEOWNERS': '* @acme/core\n' } });
    expect(finding).toBeUndefined();
    expect(requests).toEqual(['repos/get-branch-rules 200', 'repos/get-branch-protection 404', 'repos/get-repo-ruleset 200']);
    expect(notices.filter((n) => n.includes('classic branch protection of main could not be read (404'))).toHaveLength(1);
  });

  it('a full policy from classic protection alone: no finding', async () => {
    const classic = {
      url: LOOSE_CLASSIC.url,
      required_status_checks: { url: 'u', enforcement_level: 'everyone', contexts: ['Portcullis (b)'], checks: [{ context: 'Portcullis (b)', app_id: null }], contexts_url: 'u', strict: true },
      enforce_admins: LOOSE_CLASSIC.enforce_admins,
      required_pull_request_reviews: { url: 'u', dismiss_stale_reviews: true, require_code_owner_reviews: true, required_approving_review_count: 2 },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
    };
    const { finding, requests } = await judge({ rules: [], protection: classic }, { files: { CODEOWNERS: '* @acme/core\n' }, config: 'review:\n  required-approvals: 2\n' });
    expect(finding).toBeUndefined();
    expect(requests).toEqual(['repos/get-branch-rules 200', 'repos/get-branch-protection 200']);
  });

  const missing: [string, FakeBranchPolicy['rules'], string, string, Record<string, string>?][] = [
    ['pull requests', FULL_RULES.filter((r) => r.type !== 'pull_request'), 'high', 'pull requests are not required'],
    ['approvals', [pullRequest({ required_approving_review_count: 1 }), ...FULL_RULES.slice(1)], 'medium', '1 approving review is required, fewer than 2 (review.required-approvals)', { config: 'review:\n  required-approvals: 2\n' }],
    ['stale approvals', [pullRequest({ dismiss_stale_reviews_on_push: false }), ...FULL_RULES.slice(1)], 'medium', 'approvals are not dismissed when new commits are pushed'],
    ['code owner review', [pullRequest({ require_code_owner_review: false }), ...FULL_RULES.slice(1)], 'medium', 'code owner review is not required', { codeowners: '.github/CODEOWNERS' }],
    ['the gate as a required check', [FULL_RULES[0]!, checks(['lint', 'Portcullis']), ...FULL_RULES.slice(2)], 'high', 'this gate is not a required check: the gate can fail and the change still merges'],
    ['force pushes blocked', FULL_RULES.filter((r) => r.type !== 'non_fast_forward'), 'medium', 'force pushes to the default branch are not blocked'],
    ['deletion blocked', FULL_RULES.filter((r) => r.type !== 'deletion'), 'low', 'deleting the default branch is not blocked'],
  ];
  it.each(missing)('%s missing: one line, at its severity, on the job name', async (_name, rulesList, severity, line, extra = {}) => {
    const files = extra['codeowners'] ? { [extra['codeowners']]: '* @acme/core\n' } : {};
    const { finding } = await judge({ rules: rulesList, protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } }, { files, ...(extra['config'] ? { config: extra['config'] } : {}) });
    expect(finding).toBeDefined();
    const lines = finding!.message.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([`- ${lines[0]!.slice(2)}`]);
    expect(lines[0]).toContain(line);
    expect(finding).toMatchObject({ severity, confidence: 'high', path: WORKFLOW_PATH, line: 5 });
  });

  it('code owner review is not asked for when there is no CODEOWNERS file', async () => {
    const { finding } = await judge({ rules: [pullRequest({ require_code_owner_review: false }), ...FULL_RULES.slice(1)], protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } });
    expect(finding).toBeUndefined();
  });

  it('several parts missing: one finding, one line each, at the highest severity', async () => {
    const { finding, summary } = await judge({ rules: [pullRequest({ dismiss_stale_reviews_on_push: false })], protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } });
    expect(finding!.severity).toBe('high');
    expect(finding!.message.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(4);
    expect(summary.blocking).toBe(1);
  });

  it.each([403, 404] as const)('classic protection answers %i: a notice, never a finding of its own; what the rulesets lack is low confidence', async (status) => {
    const full = await judge({ rules: FULL_RULES, protection: status, rulesets: { 1: ruleset() } });
    expect(full.finding).toBeUndefined();
    expect(full.notices.filter((n) => n.includes(`could not be read (${status}`))).toHaveLength(1);
    const partial = await judge({ rules: FULL_RULES.slice(0, 1), protection: status, rulesets: { 1: ruleset() } });
    expect(partial.finding).toMatchObject({ confidence: 'low', severity: 'high' });
    expect(partial.finding!.message).toContain('Classic branch protection could not be read');
    expect(partial.summary.blocking).toBe(0);
  });

  it("an organisation's ruleset counts, and its bypass list is read through the repository", async () => {
    const org = { ruleset_source_type: 'Organization', ruleset_source: 'acme', ruleset_id: 42 };
    const orgRules = [pullRequest({}, org), checks(['lint'], org), { type: 'non_fast_forward', ...org }, { type: 'deletion', ...org }];
    const { finding } = await judge({ rules: orgRules, protection: 404, rulesets: { 42: ruleset({ id: 42, source_type: 'Organization', source: 'acme' }) } });
    expect(finding!.message).toContain('organisation ruleset of acme');
    expect(finding!.message).toContain('this gate is not a required check');
    const read = fake.requestsFor('repos/get-repo-ruleset');
    expect(read.map((r) => [r.path, r.query['includes_parents']])).toEqual([['/repos/acme/widgets/rulesets/42', 'true']]);
  });

  it('a bypass list: the kinds that may bypass, medium', async () => {
    const bypass_actors = [
      { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      { actor_id: 77, actor_type: 'Integration', bypass_mode: 'always' },
      { actor_id: null, actor_type: 'OrganizationAdmin', bypass_mode: 'pull_request' },
    ];
    const { finding } = await judge({ rules: FULL_RULES, protection: 404, rulesets: { 1: ruleset({ bypass_actors }) } });
    expect(finding).toMatchObject({ severity: 'medium' });
    expect(finding!.message).toContain('- these may bypass the rules: repository roles, apps, organisation admins (ruleset "protect main")');
  });

  it('classic protection without administrators, and apps allowed past reviews: both listed', async () => {
    const classic = {
      ...LOOSE_CLASSIC,
      enforce_admins: { url: LOOSE_CLASSIC.enforce_admins.url, enabled: false },
      required_pull_request_reviews: { dismiss_stale_reviews: true, require_code_owner_reviews: false, bypass_pull_request_allowances: { users: [], teams: [], apps: [APP] } },
    };
    const { finding } = await judge({ rules: FULL_RULES, protection: classic, rulesets: { 1: ruleset() } });
    expect(finding!.message).toContain('admins (classic branch protection does not include administrators); apps (classic branch protection lets them skip');
  });

  it("a bypass list GitHub hides from the token: said in a notice, not guessed", async () => {
    const { bypass_actors: _hidden, ...withoutList } = ruleset();
    const { finding, notices } = await judge({ rules: FULL_RULES, protection: 404, rulesets: { 1: withoutList } });
    expect(finding).toBeUndefined();
    expect(notices).toContain('review-policy: who may bypass ruleset "protect main" was not checked: GitHub shows its bypass list only to a token that may edit it.');
  });

  it.each([
    ['Portcullis (b)', true],
    ['CI / Portcullis (a)', true],
    ['Portcullis', false],
    ['Portcullis (a) extra', false],
  ])('the gate is the job named with a matrix value: required %j matches: %s', async (context, matches) => {
    const { finding } = await judge({ rules: [FULL_RULES[0]!, checks([context]), ...FULL_RULES.slice(2)], protection: 404, rulesets: { 1: ruleset() } });
    expect(finding === undefined).toBe(matches);
  });

  it('at most three calls: with the default branch to look up, the bypass list is left out with a notice', async () => {
    const { finding, notices, requests } = await judge({ rules: FULL_RULES, protection: 404, rulesets: { 1: ruleset() } }, { source: { defaultBranch: undefined } });
    expect(finding).toBeUndefined();
    expect(requests).toEqual(['repos/get 200', 'repos/get-branch-rules 200', 'repos/get-branch-protection 404']);
    expect(notices.some((n) => n.includes('at most 3 API calls'))).toBe(true);
  });

  it('the rules cannot be read (5xx, not retried): no finding, one notice', async () => {
    fake.serverError(5, 502, { path: /\/rules\/branches\// });
    const { finding, notices, requests } = await judge({ rules: [], protection: 404 });
    expect(finding).toBeUndefined();
    expect(requests).toEqual(['repos/get-branch-rules 502']);
    expect(notices.filter((n) => n.startsWith('review-policy was not checked'))).toHaveLength(1);
  });

  it("the fake holds its answers to GitHub's schema: a seeded shape GitHub never sends fails the read", async () => {
    const { finding, notices } = await judge({ rules: FULL_RULES, protection: { required_pull_request_reviews: { dismiss_stale_reviews: 'yes', require_code_owner_reviews: true } }, rulesets: { 1: ruleset() } });
    expect(finding).toBeUndefined();
    expect(notices.some((n) => n.includes("does not match GitHub's schema: /required_pull_request_reviews/dismiss_stale_reviews must be boolean"))).toBe(true);
  });

  it('config accepts parts with a reason: lowered in place, or left out and listed', async () => {
    const config = [
      'rules:',
      '  review-policy:',
      '    options:',
      '      accept:',
      '        - { part: required-check, severity: low, reason: the gate runs in the merge queue }',
      '        - { part: deletions, reason: branch deletion is audited }',
      '',
    ].join('\n');
    const { finding } = await judge({ rules: [FULL_RULES[0]!, { type: 'non_fast_forward', ...REPO_SET }], protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } }, { config });
    expect(finding!.severity).toBe('low');
    expect(finding!.message).toContain('(accepted at low: the gate runs in the merge queue)');
    expect(finding!.message).not.toContain('- deleting');
    expect(finding!.message).toContain('Accepted in the config: deletions (branch deletion is audited).');
  });

  it('the gate workflow unknown: the finding goes to the repository root, and the required check is not judged', async () => {
    const { finding, notices } = await judge({ rules: FULL_RULES.slice(1), protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } }, { source: { workflow: undefined } });
    expect(finding).toMatchObject({ path: '.', line: 1 });
    expect(finding!.message).not.toContain('required check');
    expect(notices.some((n) => n.includes('whether this gate is a required check was not checked'))).toBe(true);
  });
});

describe('review-policy with gate: new', () => {
  // The repository's settings are not the change: the finding is existing debt, unless the change renames the gate's check.
  it.each([
    ['a change elsewhere in the workflow', WORKFLOW.replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-22.04'), 'existing'],
    ["a change to the gate's check name", WORKFLOW.replace('Portcullis (', 'Gate ('), 'new'],
  ])('%s: %s', async (_name, head, novelty) => {
    fake.branchPolicy = { rules: FULL_RULES.filter((r) => r.type !== 'required_status_checks'), protection: LOOSE_CLASSIC, rulesets: { 1: ruleset() } };
    const branchPolicy = await readBranchPolicy({ token: 't', apiUrl: fake.url, repository: fake.repository, defaultBranch: 'main', workflow: { path: WORKFLOW_PATH, job: 'gate' } });
    const options = { rules: [reviewPolicy], branchPolicy };
    const headScan = scanFiles({ [WORKFLOW_PATH]: head }, options);
    const changes = [{ path: WORKFLOW_PATH, previous: WORKFLOW_PATH }];
    const rescan = affectedPaths(changes, [WORKFLOW_PATH], headScan.findings);
    const readHead = () => head;
    const base = scanBase([WORKFLOW_PATH], readHead, { changes, read: () => WORKFLOW }, rescan, options, () => true);
    const found = headScan.findings.filter((f) => f.ruleId === 'review-policy');
    expect(found).toHaveLength(1);
    const judged = noveltyAgainstBase(headScan.findings, base.findings, rescan, { head: flaggedText(readHead), base: flaggedText(base.read) });
    expect(judged.get(found[0]!.fingerprint)).toBe(novelty);
  });
});

describe('review-policy offline', () => {
  it('an ignore entry for it is not reported as unused when the API gave no answers', () => {
    const config = parseConfig('ignore:\n  - rule: review-policy\n    reason: protection is managed by the platform team\n', '.github/portcullis.yml', rules);
    const offline = scanFiles({ [WORKFLOW_PATH]: WORKFLOW }, { config, branchPolicy: { notes: ['review-policy was not checked: offline.'] } });
    expect(offline.findings.filter((f) => f.ruleId === 'review-policy' || f.ruleId === 'ineffective-suppression')).toEqual([]);
    expect(offline.notices.map((n) => n.message)).toContain('review-policy was not checked: offline.');
  });
});

describe('policySourceForRun', () => {
  const ctx: RunContext = { eventName: 'pull_request', repository: 'acme/widgets', serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', sha: 'a'.repeat(40), defaultBranch: 'main' };
  const env = { GITHUB_WORKFLOW_REF: 'acme/widgets/.github/workflows/ci.yml@refs/pull/3/merge', GITHUB_JOB: 'gate' };
  const pr = { number: 3, headSha: 'b'.repeat(40), isFork: false };

  it('reads with the token, the default branch from the payload, and the gate workflow relative to the scanned folder', () => {
    expect(policySourceForRun({ ...ctx, pullRequest: pr }, 'ghs_x', env, '')).toEqual({
      token: 'ghs_x',
      apiUrl: 'https://api.github.com',
      repository: 'acme/widgets',
      defaultBranch: 'main',
      workflow: { path: '.github/workflows/ci.yml', job: 'gate' },
    });
    // Scanning a sub-folder: the workflow is outside it, so the finding goes to the root.
    expect(policySourceForRun(ctx, 'ghs_x', env, 'services/api')).not.toHaveProperty('workflow');
  });

  it('no token, or a fork: not read, one note', () => {
    expect(policySourceForRun(ctx, '', env, '')).toEqual({ notes: [expect.stringContaining('there is no token')] });
    // a scan of named paths does not report the workflow or the root: no calls, one note
    expect(policySourceForRun(ctx, 'ghs_x', env, '', ['services/api'])).toEqual({ notes: [expect.stringContaining('names parts of the repository')] });
    expect(policySourceForRun({ ...ctx, pullRequest: { ...pr, isFork: true } }, 'ghs_x', env, '')).toEqual({ notes: [expect.stringContaining("fork's pull request")] });
  });
});

describe('workflowPath', () => {
  it.each([
    ['acme/widgets/.github/workflows/ci.yml@refs/pull/7/merge', '.github/workflows/ci.yml'],
    ['ACME/Widgets/.github/workflows/gate.yaml@refs/heads/main', '.github/workflows/gate.yaml'],
    ['other/repo/.github/workflows/ci.yml@refs/heads/main', undefined],
    ['acme/widgets/../../etc/passwd@x', undefined],
    [undefined, undefined],
  ])('%s → %s', (ref, path) => {
    expect(workflowPath(ref, 'acme/widgets')).toBe(path);
  });
});
