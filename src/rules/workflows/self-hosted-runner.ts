import { matrixValues, wholeMatrixRef } from '../../analysis/matrix.js';
import type { Confidence, Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

/** Events that run a workflow for a pull request, including ones opened from forks. */
const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export default {
  id: 'self-hosted-runner',
  title: 'Self-hosted runner used for pull requests',
  severity: 'medium',
  area: 'workflows',
  summary:
    'A job runs on a self-hosted runner (the `self-hosted` label or a runner group) in a workflow triggered by pull-request events.',
  rationale:
    'Anyone who can open a pull request can make a `pull_request` workflow run their code; on a self-hosted runner that code runs on your ' +
    'machine, inside your network, and (unless the runner is ephemeral) can leave a backdoor that sees the secrets of every later job. GitHub ' +
    'advises against self-hosted runners for public repositories for this reason. A runner group may also hold GitHub-hosted larger runners, so ' +
    'it is reported with medium confidence; a `runs-on` expression whose value is not listed in the file is reported with low confidence.',
  fix:
    'Run pull-request jobs on GitHub-hosted runners (`runs-on: ubuntu-latest`), or use ephemeral, isolated self-hosted runners (one job per ' +
    'fresh VM, e.g. actions-runner-controller) in a runner group restricted to selected repositories and workflows, and require approval ' +
    'before running workflows from outside contributors.',
  references: [
    'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#hardening-for-self-hosted-runners',
    'https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security',
    'https://docs.zizmor.sh/audits/#self-hosted-runner',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: [push, pull_request]\njobs:\n  test:\n    runs-on: [self-hosted, linux, x64]\n    steps:\n      - run: make test\n',
        line: 4,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on:\n  pull_request_target:\njobs:\n  test:\n    runs-on:\n      group: build-farm\n    steps:\n      - run: make test\n',
        line: 6,
      },
      {
        path: '.github/workflows/matrix.yml',
        text: 'on: pull_request\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest]\n        include:\n          - os: self-hosted\n    steps:\n      - run: make test\n',
        line: 4,
      },
    ],
    good: [
      {
        path: '.github/workflows/release.yml',
        text: 'on:\n  push:\n    tags: [v*]\njobs:\n  build:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: make release\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: pull_request\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, self-hosted]\n' +
          '        exclude:\n          - os: self-hosted\n    steps:\n      - run: make test\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const events = wf.triggers.filter((t) => PR_EVENTS.has(t.name));
    if (wf.type !== 'workflow' || events.length === 0) return;
    const trigger = events.map((t) => t.name).join('/');
    for (const job of wf.jobs) {
      for (const runsOn of job.runsOn) {
        let labels = runsOn.value;
        let confidence: Confidence = 'high';
        let via = '';
        const expr = labels.find((l) => l.includes('${{'));
        if (expr !== undefined) {
          const key = wholeMatrixRef(expr);
          const values = key !== undefined ? matrixValues(wf, job, key, true) : undefined;
          if (values) {
            labels = [...labels.filter((l) => l !== expr), ...values];
            via = ` (through matrix.${key})`;
          } else confidence = 'low';
        }
        const selfHosted = labels.some((l) => l.toLowerCase() === 'self-hosted');
        const group = labels.find((l) => l.startsWith('group:'));
        if (!selfHosted && group === undefined && confidence !== 'low') continue;
        const what = selfHosted ? 'a self-hosted runner' : group !== undefined ? `runner group ${group.slice(6)}` : `a runner chosen by ${expr}, which may be self-hosted`;
        ctx.report({
          message: `Job ${job.id} runs on ${what}${via} in a workflow triggered by ${trigger}, so code from a pull request can run on your machine: use a GitHub-hosted or ephemeral, isolated runner`,
          at: runsOn.span,
          confidence: selfHosted ? confidence : group !== undefined ? 'medium' : 'low',
          related: events.map((t) => ({ at: t.span, label: `the ${t.name} trigger` })),
        });
      }
    }
  },
} satisfies Rule<WorkflowDoc>;
