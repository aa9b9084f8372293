import { isWholeExpression } from '../../analysis/matrix.js';
import { joinSpans, settings } from '../../analysis/workflow-env.js';
import type { Rule } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

const NAME = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';

/** The runner's `StringUtil.ConvertToBoolean`: `true`, `1` and `$true`, in any case, enable the commands; anything else does not. */
const enables = (value: string): boolean => /^(true|1|\$true)$/i.test(value.trim());

export default {
  id: 'insecure-commands',
  title: 'Insecure workflow commands enabled',
  severity: 'high',
  area: 'workflows',
  summary:
    '`ACTIONS_ALLOW_UNSECURE_COMMANDS` is set to a true value in a workflow, job or step `env:`, re-enabling the deprecated `set-env` and `add-path` commands.',
  rationale:
    'With these commands enabled, any process whose output reaches the log can set environment variables and `PATH` for the following steps ' +
    'by printing `::set-env name=…::…`. A pull-request title, an issue body, a file from the repository or a compromised tool can then inject ' +
    '`LD_PRELOAD`, `NODE_OPTIONS` or `BASH_ENV` and run code with the job\'s token and secrets. GitHub disabled the commands in 2020 (CVE-2020-15228) ' +
    'and keeps this variable only as an escape hatch. The runner treats `true`, `1` and `$true` (any case) as enabling; a value computed by an ' +
    'expression is reported with low confidence.',
  fix:
    'Remove the variable and update the action or script that needs it to write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead: ' +
    '`echo "NAME=value" >> "$GITHUB_ENV"`, `echo "$HOME/bin" >> "$GITHUB_PATH"`.',
  references: [
    'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/',
    'https://github.com/advisories/GHSA-mfwh-5m23-j46w',
    'https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#environment-files',
    'https://docs.zizmor.sh/audits/#insecure-commands',
  ],
  examples: {
    bad: [
      { path: '.github/workflows/ci.yml', text: `on: push\nenv:\n  ${NAME}: true\njobs: {}\n`, line: 3 },
      {
        path: '.github/workflows/ci.yml',
        text: `on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./legacy-build.sh\n        env:\n          ${NAME}: "TRUE"\n`,
        line: 8,
      },
      {
        path: 'action.yml',
        text: `name: legacy\nruns:\n  using: composite\n  steps:\n    - run: ./setup.sh\n      shell: bash\n      env:\n        ${NAME}: \${{ inputs.allow }}\n`,
        line: 8,
      },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text: `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      ${NAME}: false\n    steps:\n      - run: echo "VERSION=1.2" >> "$GITHUB_ENV"\n        env:\n          ${NAME}: "yes"\n`,
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    for (const s of settings(wf, ['env'])) {
      if (s.key !== NAME) continue;
      const value = s.value.value;
      const computed = value.includes('${{');
      if (!computed && !enables(value)) continue;
      ctx.report({
        message: computed
          ? `${NAME} in the ${s.scope} env comes from ${isWholeExpression(value) ? 'an expression' : 'a partly computed value'}; if it is true, the deprecated set-env/add-path commands are enabled: remove it and use $GITHUB_ENV / $GITHUB_PATH`
          : `${NAME}: ${value.trim()} in the ${s.scope} env re-enables the deprecated set-env/add-path commands, which let log output change the environment of later steps: remove it and use $GITHUB_ENV / $GITHUB_PATH`,
        at: joinSpans(s.keySpan, s.value.span),
        confidence: computed ? 'low' : 'high',
        related: [{ at: s.blockSpan, label: `the ${s.scope} env block` }],
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
