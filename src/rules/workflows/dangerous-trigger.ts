import { untrustedCheckouts } from '../../analysis/checkout.js';
import { prControlledInput } from '../../analysis/pr-input.js';
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
    'A workflow triggered by `pull_request_target` or `workflow_run` holds write permissions (explicit, `write-all`, or the repository default ' +
    'because no `permissions:` is set) or secrets other than `GITHUB_TOKEN`, and something a contributor wrote reaches it: attacker-written ' +
    'event text or the triggering run handed to a step, the triggering run\'s artifacts downloaded, or the pull request\'s diff fetched.',
  rationale:
    '`pull_request_target` and `workflow_run` run in the context of the base repository even for pull requests from forks: the token ' +
    'can write and the secrets are available. The trigger is not a vulnerability by itself: a labeler or a reviewer assigner that acts on ' +
    'the event through the API from the base branch\'s own code runs nothing a contributor wrote, and is not reported. It becomes one where ' +
    'the contribution reaches the privileged run: a PR title, body or branch name handed to a step or a reusable workflow, the triggering ' +
    'run\'s artifacts (built by the fork\'s code) downloaded, the pull request\'s diff or files fetched; and, at medium confidence, a reusable ' +
    'workflow called with the event, which acts on it where this file cannot see. That is reported at medium severity, with ' +
    'where the data enters as a related location. A workflow that checks out and runs the pull request code is reported by `untrusted-checkout` ' +
    'instead, not twice; an expression expanded into a script is also `template-injection`. Logins, numbers and SHAs are not contributor ' +
    'text (GitHub restricts their characters). `issue_comment` is not reported here: it is commonly used without touching pull request code.',
  fix:
    'Prefer `pull_request` (read-only token, no secrets for forks). If you need the privileged trigger, set `permissions:` to the minimum ' +
    '(`permissions: {}` or e.g. `pull-requests: write` on the one job that comments), keep secrets out of it, never check out or run the ' +
    'pull request\'s code, and treat every event field and downloaded artifact as untrusted data: or split the work into an unprivileged ' +
    '`pull_request` workflow and a privileged one that only acts on its result.',
  references: [
    'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/',
    'https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target',
    'https://docs.zizmor.sh/audits/#dangerous-triggers',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/triage.yml',
        text:
          'on:\n  pull_request_target:\n    types: [opened]\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: ./scripts/triage.sh "$TITLE"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n',
        line: 2,
      },
      {
        path: '.github/workflows/preview.yml',
        text:
          'on:\n  workflow_run:\n    workflows: [CI]\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - uses: actions/download-artifact@v4\n        with:\n          run-id: ${{ github.event.workflow_run.id }}\n          github-token: ${{ github.token }}\n' +
          '      - run: ./deploy.sh site\n        env:\n          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n',
        line: 2,
      },
    ],
    good: [
      {
        path: '.github/workflows/label.yml',
        text: 'on: pull_request_target\npermissions: {}\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n',
      },
      {
        path: '.github/workflows/label.yml',
        text:
          'on: pull_request_target\njobs:\n  label:\n    runs-on: ubuntu-latest\n    permissions:\n      pull-requests: write\n    steps:\n' +
          '      - uses: actions/labeler@v5\n      - run: echo "labelled #${{ github.event.pull_request.number }} by ${{ github.event.pull_request.user.login }}"\n',
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
    // The trigger is a risk only where something a contributor wrote reaches the privileged run.
    const input = prControlledInput(wf);
    if (!input) return;
    const holds = [
      ...(power ? [power.what] : []),
      ...(secrets.length > 0 ? [`secrets (${secrets.slice(0, 3).map((s) => `\`${s.name}\``).join(', ')}${secrets.length > 3 ? ', …' : ''})`] : []),
    ].join(' and ');
    const related: Related[] = [
      { at: input.at, label: 'pull request data enters here' },
      ...(power?.at ? [{ at: power.at, label: power.implicit ? 'job using the default token' : 'write permissions' }] : []),
      ...secrets.slice(0, 3).map((s) => ({ at: s.at, label: `uses secret ${s.name}` })),
    ];
    for (const t of triggers)
      ctx.report({
        message:
          `\`${t.name}\` runs with the base repository's privileges on events from forks, this workflow holds ${holds}, and ${input.what}: ` +
          'what a contributor wrote is handled where those privileges are. Treat it as untrusted data (never run or evaluate it), or split the workflow: ' +
          'an unprivileged `pull_request` part that handles the contribution and a privileged part that only acts on its result.',
        at: t.span,
        confidence: input.confidence ?? (power && !power.implicit ? 'high' : secrets.length > 0 ? 'high' : 'medium'),
        related,
      });
  },
} satisfies Rule<WorkflowDoc>;
