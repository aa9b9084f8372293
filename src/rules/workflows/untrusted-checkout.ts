import { firstExecutingStep, privilegedTriggers, untrustedCheckouts } from '../../analysis/checkout.js';
import type { Related, Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

const PRT = `on: pull_request_target
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
`;

export default {
  id: 'untrusted-checkout',
  title: 'Pull request code checked out in a privileged workflow',
  severity: 'critical',
  area: 'workflows',
  summary:
    'A workflow triggered by `pull_request_target`, `workflow_run` or `issue_comment` checks out the pull request head ' +
    '(`actions/checkout` with a PR `ref`/`repository`, `gh pr checkout`, `git fetch … pull/N/head`) and then runs code from it.',
  rationale:
    'These triggers run with the base repository\'s secrets and a token that can write, even when the event comes from a fork. ' +
    'Checking out the fork\'s code and then running a build, test, install or local script from it ("pwn request") lets anyone who ' +
    'opens a pull request execute their code with those secrets and that token: `npm install` runs their `preinstall` script, `make` ' +
    'runs their Makefile, `./build.sh` is theirs. A checkout with nothing run after it in the job is still reported (high), because ' +
    'a later edit that adds a build step turns it critical. A job guarded by a label, author or actor condition is reported at medium ' +
    'confidence (labels can be applied and the code changed afterwards), and one that admits a single account (`github.actor == \'dependabot[bot]\'`, ' +
    '`github.event.pull_request.user.login == …`) one severity lower (critical becomes high), since the actor is not the author of every commit; a same-repository guard (`head.repo.full_name == github.repository`) at low confidence. ' +
    'Refs taken from a step output that looks like a PR lookup are reported at medium confidence.',
  fix:
    'Run untrusted code under the `pull_request` trigger, which gets a read-only token and no secrets. If the privileged part is needed ' +
    '(commenting, labelling), split the workflow: build and test on `pull_request`, upload the results as an artifact, and handle them ' +
    'in a `workflow_run` workflow that treats them as data and never executes them. If you must check out the PR head here, do not run ' +
    'anything from it, set `persist-credentials: false`, and give the job `permissions: {}`.',
  references: [
    'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/',
    'https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target',
    'https://github.com/boostsecurityio/poutine/blob/main/docs/content/en/rules/untrusted_checkout_exec.md',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#dangerous-workflow',
  ],
  examples: {
    bad: [
      { path: '.github/workflows/ci.yml', text: PRT, line: 10 },
      {
        path: '.github/workflows/comment.yml',
        text:
          'on:\n  issue_comment:\n    types: [created]\njobs:\n  test:\n    if: github.event.issue.pull_request\n    runs-on: ubuntu-latest\n' +
          '    steps:\n      - uses: actions/checkout@v4\n      - run: gh pr checkout ${{ github.event.issue.number }}\n' +
          '        env:\n          GH_TOKEN: ${{ github.token }}\n      - run: make test\n',
        line: 10,
      },
      {
        path: '.github/workflows/after-ci.yml',
        text:
          'on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  report:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.workflow_run.head_sha }}\n      - uses: ./.github/actions/report\n',
        line: 11,
      },
    ],
    good: [
      { path: '.github/workflows/ci.yml', text: PRT.replace('pull_request_target', 'pull_request') },
      {
        path: '.github/workflows/label.yml',
        text:
          'on: pull_request_target\npermissions:\n  pull-requests: write\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: npm ci && node scripts/label.js\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const trigger = privilegedTriggers(wf)[0];
    for (const c of untrustedCheckouts(wf)) {
      const exec = firstExecutingStep(c.job, c.step.index);
      const related: Related[] = [
        { at: c.step.span, label: 'checks out the pull request head' },
        ...(exec ? [{ at: exec.step.span, label: `runs code from the checkout: ${exec.what}` }] : []),
        ...(trigger ? [{ at: trigger.span, label: `privileged trigger \`${trigger.name}\`` }] : []),
      ];
      // One account can run the job, but an actor is not the author of every commit on the branch it acts on
      const guard = c.actorGuard
        ? ` The job runs only when \`${c.actorGuard}\`, which lowers the severity; it stays reported because the actor is only who triggered ` +
          'the event, not who wrote the commits on the branch (others can push to it, or get the bot to act on a branch they control).'
        : '';
      const severity = exec ? (c.actorGuard ? 'high' : 'critical') : c.actorGuard ? 'medium' : 'high';
      ctx.report({
        message: (exec
          ? `Job \`${c.job.id}\` checks out pull request code with ${c.how} under \`${trigger?.name}\` and then runs it (${exec.what}): ` +
            'a pull request author can run code with this workflow\'s secrets and write token. Build untrusted code under `pull_request` instead.'
          : `Job \`${c.job.id}\` checks out pull request code with ${c.how} under \`${trigger?.name}\`; nothing runs it yet in this job, ` +
            'but any build or script step added later would run the author\'s code with secrets. Prefer `pull_request`, or never execute the checkout.') + guard,
        at: c.at,
        severity,
        confidence: c.confidence,
        related,
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
