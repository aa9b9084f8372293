import { parseUses } from '../../analysis/action-ref.js';
import type { Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

export default {
  id: 'secrets-inherit',
  title: 'Reusable workflow inherits every secret',
  severity: 'medium',
  area: 'workflows',
  summary: 'A job calls a reusable workflow with `secrets: inherit`, handing it every secret the calling workflow can read.',
  rationale:
    '`secrets: inherit` passes all repository, organization and environment secrets to the called workflow, not just the ones it needs. ' +
    'If that workflow (or an action it runs) is compromised, or has a template-injection bug, every secret leaks instead of one, and a later ' +
    'change to the called workflow can start using secrets nobody reviewed it for. The call is reported at low severity when the reusable ' +
    'workflow is in the same repository (`./.github/workflows/…`), whose code you review anyway.',
  fix:
    'Pass only the secrets the called workflow declares under `on.workflow_call.secrets`: ' +
    '`secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`.',
  references: [
    'https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-secrets-to-nested-workflows',
    'https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idsecretsinherit',
    'https://docs.zizmor.sh/audits/#secrets-inherit',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/release.yml',
        text: 'on: push\njobs:\n  publish:\n    uses: my-org/shared-workflows/.github/workflows/publish.yml@' + '0'.repeat(40) + '\n    secrets: inherit\n',
        line: 5,
      },
      {
        path: '.github/workflows/deploy.yml',
        text: 'on: workflow_dispatch\njobs:\n  deploy:\n    uses: ./.github/workflows/deploy-reusable.yml\n    secrets: inherit\n',
        line: 5,
      },
    ],
    good: [
      {
        path: '.github/workflows/release.yml',
        text:
          'on: push\njobs:\n  publish:\n    uses: my-org/shared-workflows/.github/workflows/publish.yml@' +
          '0'.repeat(40) +
          '\n    secrets:\n      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    for (const job of wf.jobs) {
      if (!job.uses || job.secrets?.value !== 'inherit') continue;
      const local = parseUses(job.uses.value)?.kind === 'local';
      ctx.report({
        message: `Job ${job.id} passes every secret to ${job.uses.value.trim()} with \`secrets: inherit\`: pass only the ones it needs, e.g. \`secrets: { NPM_TOKEN: \${{ secrets.NPM_TOKEN }} }\``,
        at: job.secrets.span,
        ...(local ? { severity: 'low' as const } : {}),
        related: [{ at: job.uses.span, label: 'the reusable workflow that receives them' }],
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
