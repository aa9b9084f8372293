import { describe, expect, it } from 'vitest';
import { movingRef } from '../../src/analysis/approval-gate.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const WF = '.github/workflows/wf.yml';

function scan(text: string, ids = ['approval-race']) {
  return scanFiles({ [WF]: text }, { rules: ids.map((id) => findRule(id)!) }).findings;
}

/** A workflow with one job `test` whose header lines and steps are given. */
const wf = (on: string, header: string[], steps: string[], extraJobs = '') =>
  `on: ${on}\npermissions: {}\njobs:\n${extraJobs}  test:\n${header.map((l) => `    ${l}\n`).join('')}    runs-on: ubuntu-latest\n    steps:\n${steps.map((l) => `      ${l}\n`).join('')}`;
const checkout = (ref: string) => ['- uses: actions/checkout@v4', '  with:', `    ref: ${ref}`];
const LABEL_IF = "if: contains(github.event.pull_request.labels.*.name, 'ok-to-test')";

describe('approval-race', () => {
  it('reports a label-gated pull_request_target job that checks out the head branch, and says the execution too', () => {
    const text = wf('pull_request_target', [LABEL_IF], [...checkout('${{ github.event.pull_request.head.ref }}'), '- run: make test']);
    const f = scan(text, ['approval-race', 'untrusted-checkout']);
    expect(f.map((x) => [x.ruleId, x.severity, x.confidence, x.line])).toEqual([
      ['untrusted-checkout', 'critical', 'medium', 10],
      ['approval-race', 'high', 'high', 10],
    ]);
    const race = f[1]!;
    expect(race.message).toContain('`github.event.pull_request.head.ref`');
    expect(race.message).toContain('ref: ${{ github.event.pull_request.head.sha }}');
    expect(race.message).toContain('`make test` runs');
    expect(race.related.map((r) => [r.label.split(':')[0], r.at.line])).toEqual([
      ['the approval', 5],
      ['runs the checked-out code', 11],
      ['privileged trigger `pull_request_target`', 1],
    ]);
  });

  it('is silent when the approved commit is checked out, or without an approval gate, or on an unprivileged trigger', () => {
    expect(scan(wf('pull_request_target', [LABEL_IF], [...checkout('${{ github.event.pull_request.head.sha }}'), '- run: make test']))).toEqual([]);
    expect(scan(wf('pull_request_target', [], [...checkout('${{ github.head_ref }}'), '- run: make test']))).toEqual([]);
    expect(scan(wf('pull_request', [LABEL_IF], [...checkout('${{ github.head_ref }}'), '- run: make test']))).toEqual([]);
    // a label that skips the job approves nothing
    expect(scan(wf('pull_request_target', ["if: \"!contains(github.event.pull_request.labels.*.name, 'skip-ci')\""], checkout('${{ github.head_ref }}')))).toEqual([]);
    // the default checkout of pull_request_target is the base branch
    expect(scan(wf('pull_request_target', [LABEL_IF], ['- uses: actions/checkout@v4', '- run: make test']))).toEqual([]);
  });

  it('follows an environment approval through needs, at medium confidence', () => {
    const approve = '  approve:\n    environment: external\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n';
    const f = scan(wf('pull_request_target', ['needs: [approve]'], [...checkout('${{ github.head_ref }}'), '- run: ./ci.sh'], approve));
    expect(f.map((x) => [x.confidence, x.line])).toEqual([['medium', 15]]);
    expect(f[0]!.message).toContain('the environment `external` (an approval, when it requires reviewers) of job `approve`, which this job needs');
  });

  it('reads a labeled-only trigger, a step-level label condition, shell checkouts and env indirection', () => {
    const labeled = 'pull_request_target:\n    types: [labeled]';
    expect(scan(wf(`\n  ${labeled}`, [], ['- run: gh pr checkout ${{ github.event.pull_request.number }} && make']))[0]!.message).toContain('`gh pr checkout`');
    const stepIf = ["- if: github.event.label.name == 'safe'", '  run: git fetch origin "pull/$PR/head:pr" && git checkout pr', '  env:', '    PR: ${{ github.event.number }}'];
    expect(scan(wf('pull_request_target', [], stepIf)).map((x) => x.line)).toEqual([8]);
    const viaEnv = ['- uses: actions/checkout@v4', '  env:', '    BRANCH: ${{ github.head_ref }}', '  with:', '    ref: ${{ env.BRANCH }}'];
    expect(scan(wf('pull_request_target', [LABEL_IF], viaEnv))[0]!.message).toContain('`github.head_ref` (via `env.BRANCH`)');
  });

  it('counts a comment command as an approval only when the commenter is checked', () => {
    const cmd = "if: github.event.issue.pull_request && contains(github.event.comment.body, '/test')";
    const steps = checkout('refs/pull/${{ github.event.issue.number }}/head');
    expect(scan(wf('issue_comment', [cmd], steps))).toEqual([]);
    const checked = scan(wf('issue_comment', [`${cmd} && github.event.comment.author_association == 'OWNER'`], steps));
    expect(checked.map((x) => x.line)).toEqual([10]);
    expect(checked[0]!.message).toContain('Resolve the head commit with the API');
    const permissionStep = ['- uses: actions/github-script@v7', '  with:', '    script: await github.rest.repos.getCollaboratorPermissionLevel(context.repo)', ...steps];
    expect(scan(wf('issue_comment', [cmd], permissionStep))).toHaveLength(1);
  });

  it('tells moving names from commits', () => {
    const none = () => undefined;
    expect(movingRef('${{ github.event.workflow_run.head_branch }}', none)).toBe('`github.event.workflow_run.head_branch`');
    expect(movingRef('${{ github.event.workflow_run.head_sha }}', none)).toBeUndefined();
    expect(movingRef('refs/pull/${{ github.event.number }}/merge', none)).toBe('`refs/pull/${{ github.event.number }}/merge`');
    expect(movingRef('${{ github.event.pull_request.head.sha || github.head_ref }}', none)).toBe('`github.head_ref`');
    expect(movingRef('main', none)).toBeUndefined();
  });
});
