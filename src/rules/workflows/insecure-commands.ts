import { isWholeExpression, matrixValues, wholeMatrixRef } from '../../analysis/matrix.js';
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
    'expression is reported with low confidence. Values the matrix fixes count as written: an `env: ${{ matrix.env }}` takes the variables of ' +
    'every mapping the matrix lists for `env` (reported where the matrix sets it), and `${{ matrix.x }}` is checked against the values listed for `x`.',
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
      {
        path: '.github/workflows/legacy.yml',
        text:
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n          - node: 12\n' +
          `            env: {${NAME}: true}\n          - node: 22\n            env: {}\n    steps:\n      - run: ./build.sh\n        env: \${{ matrix.env }}\n`,
        line: 9,
      },
    ],
    good: [
      {
        path: '.github/workflows/legacy.yml',
        text:
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        env:\n' +
          `          - {${NAME}: false, NODE_ENV: test}\n    steps:\n      - run: ./build.sh\n        env: \${{ matrix.env }}\n`,
      },
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
      const related = [{ at: s.blockSpan, label: s.via ? `the ${s.scope} env, which is \`\${{ ${s.via} }}\`` : `the ${s.scope} env block` }];
      const at = joinSpans(s.keySpan, s.value.span);
      // `ACTIONS_ALLOW_UNSECURE_COMMANDS: ${{ matrix.x }}` with the values written in the matrix is as good as a literal
      const key = s.job ? wholeMatrixRef(value) : undefined;
      const listed = key !== undefined && s.job ? matrixValues(wf, s.job, key, true) : undefined;
      if (listed) {
        const on = listed.filter(enables);
        if (on.length === 0) continue;
        ctx.report({
          message: `${NAME} in the ${s.scope} env is \${{ matrix.${key} }}, which the matrix sets to ${on[0]!.trim()}: that re-enables the deprecated set-env/add-path commands, which let log output change the environment of later steps: remove it and use $GITHUB_ENV / $GITHUB_PATH`,
          at,
          confidence: 'high',
          related,
        });
        continue;
      }
      const computed = value.includes('${{');
      if (!computed && !enables(value)) continue;
      const where = s.via ? `the matrix (\`${s.via}\`, the env of ${s.scope})` : `the ${s.scope} env`;
      ctx.report({
        message: computed
          ? `${NAME} in ${where} comes from ${isWholeExpression(value) ? 'an expression' : 'a partly computed value'}; if it is true, the deprecated set-env/add-path commands are enabled: remove it and use $GITHUB_ENV / $GITHUB_PATH`
          : `${NAME}: ${value.trim()} in ${where} re-enables the deprecated set-env/add-path commands, which let log output change the environment of later steps: remove it and use $GITHUB_ENV / $GITHUB_PATH`,
        at,
        confidence: computed ? 'low' : 'high',
        related,
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
