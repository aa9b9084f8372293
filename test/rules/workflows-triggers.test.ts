import { describe, expect, it } from 'vitest';
import { scriptRunsWorkspace, shellCheckout, untrustedRef } from '../../src/analysis/checkout.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const WF = '.github/workflows/wf.yml';
const ids = ['untrusted-checkout', 'dangerous-trigger', 'excessive-permissions', 'persisted-credentials'];

function scan(text: string, only?: string, path = WF) {
  const rules = (only ? [only] : ids).map((id) => findRule(id)!);
  return scanFiles({ [path]: text }, { rules }).findings;
}

const steps = (...lines: string[]) => `jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${lines.map((l) => `      ${l}\n`).join('')}`;
const prHeadCheckout = ['- uses: actions/checkout@v4', '  with:', '    ref: ${{ github.event.pull_request.head.sha }}'];

describe('untrusted-checkout', () => {
  it('reports a PR-head checkout followed by a build, with the checkout and executing steps as related locations', () => {
    const text = 'on: pull_request_target\npermissions: {}\n' + steps(...prHeadCheckout, '- name: Build', '  run: npm ci && npm test');
    const f = scan(text, 'untrusted-checkout');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'critical', confidence: 'high', line: 9 });
    expect(f[0]!.message).toContain('`npm ci`');
    const labels = f[0]!.related.map((r) => [r.label, r.at.line]);
    expect(labels).toEqual([
      ['checks out the pull request head', 7],
      ['runs code from the checkout: `npm ci`', 10],
      ['privileged trigger `pull_request_target`', 1],
    ]);
  });

  it('is high (not critical) when nothing after the checkout runs its code; gh, echo and jq do not count', () => {
    const text = 'on: pull_request_target\n' + steps(...prHeadCheckout, '- run: gh pr comment 1 --body hi | jq . && echo done');
    const f = scan(text, 'untrusted-checkout');
    expect(f.map((x) => [x.severity, x.related.length])).toEqual([['high', 2]]);
  });

  it('counts a local action, a script path and docker/build-push-action as executing the checkout', () => {
    for (const exec of ['- uses: ./.github/actions/test', '- run: ./ci/test.sh', '- uses: docker/build-push-action@v6', '- run: bash scripts/x.sh'])
      expect(scan('on: pull_request_target\n' + steps(...prHeadCheckout, exec), 'untrusted-checkout')[0]?.severity, exec).toBe('critical');
  });

  it('detects `gh pr checkout` and `git fetch origin pull/N/head` in run steps', () => {
    const gh = 'on: issue_comment\n' + steps('- uses: actions/checkout@v4', '- run: gh pr checkout ${{ github.event.issue.number }}', '- run: make');
    expect(scan(gh, 'untrusted-checkout').map((f) => [f.line, f.column, f.severity])).toEqual([[7, 14, 'critical']]);
    const fetch =
      'on: pull_request_target\n' +
      steps('- uses: actions/checkout@v4', '- run: |', '    git fetch origin pull/${{ github.event.number }}/head:pr', '    git checkout pr', '- run: yarn build');
    const f = scan(fetch, 'untrusted-checkout');
    expect(f).toHaveLength(1);
    expect(f[0]!.line).toBe(8);
    expect(f[0]!.message).toContain('git fetch');
  });

  it('follows env indirection and refs/pull refs, and reads workflow_run head refs', () => {
    const env = 'on: pull_request_target\n' + steps('- uses: actions/checkout@v4', '- run: git checkout "$HEAD"', '  env:', '    HEAD: ${{ github.head_ref }}', '- run: make');
    expect(scan(env, 'untrusted-checkout')).toHaveLength(1);
    const pullRef = 'on: issue_comment\n' + steps('- uses: actions/checkout@v4', '  with:', "    ref: refs/pull/${{ github.event.issue.number }}/merge", '- run: make');
    expect(scan(pullRef, 'untrusted-checkout')).toHaveLength(1);
    const wr = 'on:\n  workflow_run:\n    workflows: [CI]\n' + steps('- uses: actions/checkout@v4', '  with:', '    ref: ${{ github.event.workflow_run.head_branch }}', '- run: make');
    expect(scan(wr, 'untrusted-checkout')).toHaveLength(1);
  });

  it('lowers confidence for a PR lookup output, a label guard and a same-repository guard', () => {
    const lookup = 'on: issue_comment\n' + steps('- id: pr', '  uses: xt0rted/pull-request-comment-branch@v2', '- uses: actions/checkout@v4', '  with:', '    ref: ${{ steps.pr.outputs.head_sha }}', '- run: make');
    expect(scan(lookup, 'untrusted-checkout')[0]?.confidence).toBe('medium');
    const guarded = (cond: string) =>
      `on: pull_request_target\njobs:\n  build:\n    if: ${cond}\n    runs-on: ubuntu-latest\n    steps:\n` +
      prHeadCheckout.map((l) => `      ${l}\n`).join('') + '      - run: make\n';
    expect(scan(guarded("contains(github.event.pull_request.labels.*.name, 'safe')"), 'untrusted-checkout')[0]?.confidence).toBe('medium');
    expect(scan(guarded('github.event.pull_request.head.repo.full_name == github.repository'), 'untrusted-checkout')[0]?.confidence).toBe('low');
  });

  it('lowers the severity one step for a guard that admits one account, and says why it still reports', () => {
    const guarded = (cond: string, run = '      - run: make\n') =>
      `on: pull_request_target\njobs:\n  build:\n    if: ${cond}\n    runs-on: ubuntu-latest\n    steps:\n` +
      prHeadCheckout.map((l) => `      ${l}\n`).join('') + run;
    const bot = scan(guarded("github.event.pull_request.user.login == 'dependabot[bot]'"), 'untrusted-checkout');
    expect(bot.map((f) => [f.severity, f.confidence])).toEqual([['high', 'high']]);
    expect(bot[0]!.message).toContain("runs only when `github.event.pull_request.user.login == 'dependabot[bot]'`");
    expect(bot[0]!.message).toContain('not who wrote the commits');
    expect(scan(guarded("${{ 'dependabot[bot]' == github.actor }}"), 'untrusted-checkout').map((f) => [f.severity, f.confidence])).toEqual([['high', 'medium']]);
    expect(scan(guarded("github.actor == 'renovate[bot]'", ''), 'untrusted-checkout').map((f) => f.severity)).toEqual(['medium']);
    // an alternative or an inequality admits anyone
    for (const cond of ["github.actor == 'dependabot[bot]' || github.event_name == 'push'", "github.actor != 'dependabot[bot]'"])
      expect(scan(guarded(cond), 'untrusted-checkout').map((f) => f.severity)).toEqual(['critical']);
  });

  it('ignores unprivileged triggers and base-branch checkouts', () => {
    expect(scan('on: pull_request\n' + steps(...prHeadCheckout, '- run: make'), 'untrusted-checkout')).toEqual([]);
    expect(scan('on: pull_request_target\n' + steps('- uses: actions/checkout@v4', '  with:', '    ref: ${{ github.event.pull_request.base.sha }}', '- run: make'), 'untrusted-checkout')).toEqual([]);
  });
});

describe('dangerous-trigger', () => {
  // a step that takes the pull request's title as data
  const body = steps('- run: ./triage.sh "$TITLE"', '  env:', '    TITLE: ${{ github.event.pull_request.title }}');
  it.each([
    ['string', 'on: pull_request_target\n', 1, 5],
    ['list', 'on: [push, workflow_run]\n', 1, 12],
    ['map', 'on:\n  push:\n  pull_request_target:\n    types: [opened]\n', 3, 3],
  ])('reports the %s trigger form at the trigger', (_, on, line, column) => {
    const f = scan(on + body, 'dangerous-trigger');
    expect(f.map((x) => [x.line, x.column, x.confidence])).toEqual([[line, column, 'medium']]);
    expect(f[0]!.message).toContain('default token');
    expect(f[0]!.message).toContain('pull request title');
  });

  it('needs write permissions or secrets', () => {
    expect(scan('on: pull_request_target\npermissions: {}\n' + body, 'dangerous-trigger')).toEqual([]);
    expect(scan('on: pull_request_target\npermissions:\n  contents: read\n' + steps('- run: gh pr view', '  env:', '    GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}', '    TITLE: ${{ github.event.pull_request.title }}'), 'dangerous-trigger')).toEqual([]);
    const secret = scan('on: pull_request_target\npermissions: {}\n' + steps('- run: ./notify "$TITLE"', '  env:', '    HOOK: ${{ secrets.SLACK_HOOK }}', '    TITLE: ${{ github.event.pull_request.title }}'), 'dangerous-trigger');
    expect(secret.map((f) => f.confidence)).toEqual(['high']);
    expect(secret[0]!.message).toContain('`SLACK_HOOK`');
    expect(secret[0]!.related.map((r) => r.label)).toEqual(['pull request data enters here', 'uses secret SLACK_HOOK']);
    const write = scan('on: workflow_run\npermissions:\n  pull-requests: write\n' + body, 'dangerous-trigger');
    expect(write.map((f) => [f.confidence, f.related[1]?.at.line])).toEqual([['high', 3]]);
  });

  it('does not double-report a workflow that untrusted-checkout reports', () => {
    const text = 'on: pull_request_target\n' + steps(...prHeadCheckout, '- run: make');
    expect(scan(text).filter((f) => f.ruleId === 'dangerous-trigger' || f.ruleId === 'untrusted-checkout').map((f) => f.ruleId)).toEqual([
      'untrusted-checkout',
    ]);
  });
});

describe('excessive-permissions', () => {
  const two = 'jobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n  b:\n    runs-on: x\nPERMS    steps: [{run: make}]\n';
  const jobsWith = (perms = '') => two.replace('PERMS', perms ? `    ${perms}` : '');
  const get = (text: string) => scan(text, 'excessive-permissions').map((f) => [f.line, f.severity]);

  it('reports each job using the default token at its key', () => {
    expect(get('on: push\n' + jobsWith())).toEqual([[3, 'medium'], [6, 'medium']]);
    expect(get('on: push\n' + jobsWith('permissions:\n      contents: write\n'))).toEqual([[3, 'medium']]);
    expect(get('on: push\npermissions: {}\n' + jobsWith())).toEqual([]);
    expect(get('on: push\npermissions:\n  contents: read\n' + jobsWith('permissions:\n      contents: write\n'))).toEqual([]);
  });

  it('grades write-all, read-all and workflow-level write scopes', () => {
    expect(get('on: push\npermissions: write-all\n' + jobsWith())).toEqual([[2, 'high']]);
    expect(get('on: push\npermissions: read-all\n' + jobsWith())).toEqual([[2, 'low']]);
    expect(get('on: push\npermissions: {}\n' + jobsWith('permissions: write-all\n'))).toEqual([[9, 'high']]);
    expect(get('on: push\npermissions:\n  contents: read\n  id-token: write\n' + jobsWith())).toEqual([[4, 'medium']]);
    expect(get('on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n')).toEqual([[3, 'low']]);
  });

  it('leaves reusable-only workflows to their callers, except jobs that call other workflows', () => {
    const text = 'on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n    steps: [{run: make}]\n  b:\n    uses: org/repo/.github/workflows/x.yml@main\n';
    expect(get(text)).toEqual([[7, 'medium']]);
  });

  it('does not apply to composite actions', () => {
    expect(scan('name: x\nruns:\n  using: composite\n  steps:\n    - run: make\n      shell: bash\n', 'excessive-permissions', 'action.yml')).toEqual([]);
  });
});

describe('persisted-credentials', () => {
  const get = (text: string) => scan('on: push\n' + text, 'persisted-credentials').map((f) => [f.line, f.severity, f.confidence]);

  it('reports a checkout without persist-credentials: false, high when the workspace is uploaded', () => {
    expect(get(steps('- uses: actions/checkout@v4'))).toEqual([[6, 'medium', 'high']]);
    expect(get(steps('- uses: actions/checkout@v4', '  with:', '    persist-credentials: false'))).toEqual([]);
    expect(get(steps('- uses: actions/checkout@v4', '  with:', '    persist-credentials: true'))).toEqual([[6, 'low', 'high']]);
    const upload = (version: string, extra = '') =>
      steps('- uses: actions/checkout@v4', `- uses: actions/upload-artifact@${version}`, '  with:', '    path: ${{ github.workspace }}', ...(extra ? [extra] : []));
    const f = scan('on: push\n' + upload('v3'), 'persisted-credentials');
    expect(f.map((x) => [x.severity, x.confidence, x.related.map((r) => [r.label, r.at.line])])).toEqual([
      ['high', 'high', [['uploads the workspace, including .git/config', 7]]],
    ]);
    // upload-artifact >= 4.4 skips hidden files unless asked to include them.
    expect(get(upload('v4'))).toEqual([[6, 'high', 'medium']]);
    expect(get(upload('v4', '    include-hidden-files: true'))).toEqual([[6, 'high', 'high']]);
  });

  it('reports a reused (aliased) checkout step where the alias is written', () => {
    const text = 'jobs:\n  a:\n    runs-on: x\n    steps:\n      - &co\n        uses: actions/checkout@v4\n  b:\n    runs-on: x\n    steps:\n      - *co\n';
    expect(get(text).map((x) => x[0])).toEqual([6, 11]);
  });
});

describe('checkout analysis helpers', () => {
  it('tells scripts that run workspace code from ones that do not', () => {
    for (const s of ['gh pr comment 1 --body x', 'echo hi | jq .', 'python -c "print(1)"', 'git status', 'curl -s https://x | jq .'])
      expect(scriptRunsWorkspace(s), s).toBeUndefined();
    for (const s of ['npm ci', 'sudo make install', './gradlew build', 'bash ci/run.sh', 'docker build .', 'pip install -e .', 'cargo test'])
      expect(scriptRunsWorkspace(s), s).toBeDefined();
  });

  it('finds untrusted refs and shell checkouts', () => {
    const none = () => undefined;
    expect(untrustedRef('${{ github.event.pull_request.head.ref }}', none)?.confidence).toBe('high');
    expect(untrustedRef('${{ github.event.pull_request.base.ref }}', none)).toBeUndefined();
    expect(untrustedRef('main', none)).toBeUndefined();
    expect(shellCheckout('git fetch origin main\ngit checkout main', none)).toBeUndefined();
    expect(shellCheckout('git fetch origin +refs/pull/42/head', none)?.line).toBe(0);
  });
});
