import { approvalRaces } from '../../analysis/approval-gate.js';
import { firstExecutingStep, privilegedTriggers } from '../../analysis/checkout.js';
import type { Related, Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

const LABELLED = `on:
  pull_request_target:
    types: [labeled]
permissions:
  contents: read
jobs:
  e2e:
    if: contains(github.event.pull_request.labels.*.name, 'safe to test')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.ref }}
          repository: \${{ github.event.pull_request.head.repo.full_name }}
      - run: npm ci && npm run e2e
`;

export default {
  id: 'approval-race',
  title: 'Approved pull request checked out by a name that can move',
  severity: 'high',
  area: 'workflows',
  summary:
    'A privileged workflow (`pull_request_target`, `workflow_run`, `issue_comment`) waits for a maintainer\'s approval (a label, an ' +
    'environment, a comment command) and then checks out the pull request by a branch name or `refs/pull/N/head` instead of the approved commit.',
  rationale:
    'The approval is given for the code the maintainer looked at, but a branch name or `refs/pull/N/head` is resolved when the checkout runs. ' +
    'Between the look and the checkout (and an environment approval can wait for hours) the author can push another commit, and the job then runs ' +
    'code nobody approved, with the workflow\'s secrets and token. This is a race on the approval itself, separate from running untrusted code at ' +
    'all, which `untrusted-checkout` reports on the same checkout. The gate is a label condition in the job\'s or step\'s `if:`, a ' +
    '`types: [labeled]` trigger, a comment command whose author is checked, or an `environment:` (medium confidence: whether it requires reviewers ' +
    'is a repository setting), on the job or on a job it `needs`. Moving names are `github.head_ref`, `github.event.pull_request.head.ref`, ' +
    '`workflow_run.head_branch`, `pull/N/head|merge` and `gh pr checkout`; `head.sha` and `workflow_run.head_sha` name one commit and pass.',
  fix:
    'Check out the approved commit: `ref: ${{ github.event.pull_request.head.sha }}` (under `workflow_run`, `github.event.workflow_run.head_sha`). ' +
    'The event\'s SHA is the head when the label was added or the run started; a commit pushed later is not run. Re-verify the approval at run ' +
    'time too (the label is still on the pull request, and a `synchronize` event removes it), and for comment commands resolve the head with the ' +
    'API and refuse commits newer than the comment.',
  references: [
    'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/',
    'https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target',
    'https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#required-reviewers',
  ],
  examples: {
    bad: [
      { path: '.github/workflows/e2e.yml', text: LABELLED, line: 13 },
      {
        path: '.github/workflows/ok-to-test.yml',
        text:
          'on:\n  issue_comment:\n    types: [created]\npermissions: {}\njobs:\n  test:\n' +
          "    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/ok-to-test') && github.event.comment.author_association == 'MEMBER'\n" +
          '    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.issue.number }}/head\n' +
          '      - run: make test\n',
        line: 12,
      },
      {
        path: '.github/workflows/integration.yml',
        text:
          'on: pull_request_target\npermissions:\n  contents: read\njobs:\n  approve:\n    environment: external-contributors\n    runs-on: ubuntu-latest\n' +
          '    steps:\n      - run: echo approved\n  test:\n    needs: approve\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.head_ref }}\n      - run: ./ci/integration.sh\n',
        line: 16,
      },
    ],
    good: [
      { path: '.github/workflows/e2e.yml', text: LABELLED.replace('head.ref', 'head.sha') },
      {
        path: '.github/workflows/skip.yml',
        text: LABELLED.replace("if: contains(", "if: !contains(").replace('types: [labeled]', 'types: [opened, synchronize]'),
      },
      {
        path: '.github/workflows/comment.yml',
        text:
          'on:\n  issue_comment:\n    types: [created]\npermissions: {}\njobs:\n  test:\n' +
          "    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/test')\n" +
          '    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.issue.number }}/head\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const trigger = privilegedTriggers(wf)[0];
    for (const r of approvalRaces(wf)) {
      const exec = firstExecutingStep(r.job, r.step.index);
      const related: Related[] = [
        { at: r.gate.at, label: `the approval: ${r.gate.what}` },
        ...(exec ? [{ at: exec.step.span, label: `runs the checked-out code: ${exec.what}` }] : []),
        ...(trigger ? [{ at: trigger.span, label: `privileged trigger \`${trigger.name}\`` }] : []),
      ];
      const name = r.trigger;
      const pin =
        name === 'issue_comment'
          ? 'Resolve the head commit with the API, refuse one pushed after the comment, and check out that SHA'
          : `Check out the approved commit (\`ref: \${{ ${name === 'workflow_run' ? 'github.event.workflow_run.head_sha' : 'github.event.pull_request.head.sha'} }}\`) and re-verify the approval at run time`;
      ctx.report({
        message:
          `Job \`${r.job.id}\` waits for ${r.gate.what} and then checks out the pull request by ${r.ref}, which points at whatever the author ` +
          `pushed last: a commit pushed after the approval ${exec ? `is what ${exec.what} runs` : 'is what the job gets'}. ` +
          `${pin}.`,
        at: r.at,
        confidence: r.gate.confidence,
        related,
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
