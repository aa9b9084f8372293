import { untrustedCheckouts } from '../../analysis/checkout.js';
import { referencedSecrets, writePower } from '../../analysis/permissions.js';
import type { Related, Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

const DANGEROUS = ['pull_request_target', 'workflow_run'];

export default {
  id: 'dangerous-trigger',
  title: 'Privileged trigger with write access or secrets',
  severity: 'medium',
  area: 'workflows',
  summary:
    'A workflow triggered by `pull_request_target` or `workflow_run` has write permissions (explicit, `write-all`, or the repository ' +
    'default because no `permissions:` is set) or uses secrets other than `GITHUB_TOKEN`.',
  rationale:
    '`pull_request_target` and `workflow_run` run in the context of the base repository even for pull requests from forks: the token ' +
    'can write and the secrets are available. Anything in the workflow that an outside contributor can influence (a PR title in a script, ' +
    'an artifact from the triggering run, a cache, code that a later edit checks out) then runs with that power. The trigger is not a ' +
    'vulnerability by itself, so it is reported only when the workflow holds something worth stealing, at medium severity. A workflow that ' +
    'checks out and runs the pull request code is reported by `untrusted-checkout` instead, not twice. `issue_comment` is not reported here: ' +
    'it is commonly used without touching pull request code.',
  fix:
    'Prefer `pull_request` (read-only token, no secrets for forks). If you need the privileged trigger, set `permissions:` to the minimum ' +
    '(`permissions: {}` or e.g. `pull-requests: write` on the one job that comments), keep secrets out of it, never check out or run the ' +
    'pull request\'s code, and treat every event field and downloaded artifact as untrusted data.',
  references: [
    'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/',
    'https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target',
    'https://docs.zizmor.sh/audits/#dangerous-triggers',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/label.yml',
        text: 'on:\n  pull_request_target:\n    types: [opened]\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n',
        line: 2,
      },
      {
        path: '.github/workflows/notify.yml',
        text:
          'on:\n  workflow_run:\n    workflows: [CI]\npermissions: {}\njobs:\n  notify:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: ./notify.sh\n        env:\n          SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}\n',
        line: 2,
      },
      {
        path: '.github/workflows/triage.yml',
        text: 'on: [pull_request_target, push]\npermissions:\n  issues: write\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
        line: 1,
      },
    ],
    good: [
      {
        path: '.github/workflows/label.yml',
        text: 'on: pull_request_target\npermissions: {}\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets.TOKEN }}\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    if (wf.type !== 'workflow') return;
    const triggers = wf.triggers.filter((t) => DANGEROUS.includes(t.name));
    if (triggers.length === 0 || untrustedCheckouts(wf).length > 0) return;
    const power = writePower(wf);
    const secrets = referencedSecrets(wf);
    if (!power && secrets.length === 0) return;
    const holds = [
      ...(power ? [power.what] : []),
      ...(secrets.length > 0 ? [`secrets (${secrets.slice(0, 3).map((s) => `\`${s.name}\``).join(', ')}${secrets.length > 3 ? ', …' : ''})`] : []),
    ].join(' and ');
    const related: Related[] = [
      ...(power?.at ? [{ at: power.at, label: power.implicit ? 'job using the default token' : 'write permissions' }] : []),
      ...secrets.slice(0, 3).map((s) => ({ at: s.at, label: `uses secret ${s.name}` })),
    ];
    for (const t of triggers)
      ctx.report({
        message:
          `\`${t.name}\` runs with the base repository's privileges on events from forks, and this workflow holds ${holds}: ` +
          'anything a contributor can influence here runs with them. Use `pull_request` if possible, otherwise set minimal `permissions:` and keep secrets out.',
        at: t.span,
        confidence: power && !power.implicit ? 'high' : secrets.length > 0 ? 'high' : 'medium',
        related,
      });
  },
} satisfies Rule<WorkflowDoc>;
