import { isScalar } from 'yaml';
import { actionName, isCheckoutStep } from '../../analysis/checkout.js';
import { parseShell, programName, unwrap } from '../../analysis/shell.js';
import type { Confidence, Rule, Severity } from '../../core/types.js';
import { getNode, resolveNode } from '../../parsers/yaml.js';
import { allSteps, type Step, type WorkflowDoc } from '../../parsers/workflow.js';

/** An upload path that takes the whole workspace or the `.git` directory. */
const WHOLE_WORKSPACE = /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|(.*\/)?\.git(\/.*)?|\*\*?\/?)$/i;

/** actions/upload-artifact from v4.4.0 on leaves hidden files (so `.git`) out unless `include-hidden-files: true`. */
function skipsHiddenFiles(step: Step): boolean {
  if (step.with.get('include-hidden-files')?.value.trim().toLowerCase() === 'true') return false;
  const m = /@v(\d+)(?:\.(\d+))?/.exec(step.uses?.value ?? '');
  if (!m) return false;
  const major = Number(m[1]);
  return major > 4 || (major === 4 && (m[2] === undefined || Number(m[2]) >= 4));
}

/** Actions that commit and push with the credentials the checkout stored (they document `persist-credentials` must stay on). */
const PUSHING_ACTIONS = new Set([
  'stefanzweifel/git-auto-commit-action',
  'endbug/add-and-commit',
  'ad-m/github-push-action',
  'changesets/action',
  'jamesives/github-pages-deploy-action',
]);

/** A later step of the job that pushes with the stored token: `git push` in a script (also `git -C dir push`), or a pushing action. */
function pushingStep(steps: readonly Step[]): Step | undefined {
  return steps.find((s) => {
    if (PUSHING_ACTIONS.has(actionName(s.uses?.value))) return true;
    if (!s.run || !s.run.value.includes('push')) return false;
    return parseShell(s.run.value).commands.some((c) => {
      const argv = unwrap(c.argv);
      if (programName(argv[0]) !== 'git') return false;
      let i = 1;
      while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '-C' || argv[i] === '-c' ? 2 : 1;
      return argv[i] === 'push';
    });
  });
}

export default {
  id: 'persisted-credentials',
  title: 'Checkout leaves the token in .git/config',
  severity: 'medium',
  area: 'workflows',
  summary:
    '`actions/checkout` without `persist-credentials: false` writes the job\'s `GITHUB_TOKEN` into `.git/config`; high when a later step ' +
    'uploads the workspace (or `.git`) as an artifact.',
  rationale:
    'By default `actions/checkout` stores the token in the local git config so later `git` commands are authenticated. Every later step ' +
    'in the job (each action, each package install script) can read it from the workspace, and uploading the workspace as an artifact ' +
    'publishes it to anyone who can download artifacts ("ArtiPACKED"). Most jobs never push, so the token need not be there. An explicit ' +
    '`persist-credentials: true` is a deliberate choice and is reported at low severity unless the workspace is uploaded. A `with:` that ' +
    'is a single expression or a value computed by an expression is reported at low confidence. `actions/upload-artifact` v4.4 and later ' +
    'skip hidden files such as `.git` unless `include-hidden-files: true`, so that upload is reported at medium confidence. A job ' +
    'that pushes with the stored token (a later `git push`, or an action that commits and pushes, such as git-auto-commit-action, ' +
    'add-and-commit, github-push-action, changesets/action or github-pages-deploy-action) needs it and is not reported, unless it also ' +
    'uploads the workspace.',
  fix:
    'Add `with: persist-credentials: false` to `actions/checkout`. In the job that pushes, pass the token explicitly to the push ' +
    '(or keep the default only there), and never upload `.`, `${{ github.workspace }}` or `.git` as an artifact: upload the build output directory.',
  references: [
    'https://github.com/actions/checkout#usage',
    'https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/',
    'https://docs.zizmor.sh/audits/#artipacked',
  ],
  examples: {
    bad: [
      { path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n', line: 6 },
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Checkout\n        uses: actions/checkout@v3\n' +
          '      - uses: actions/upload-artifact@v3\n        with:\n          name: site\n          path: .\n',
        line: 6,
      },
      {
        path: 'action.yml',
        text: 'name: build\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@' + '0'.repeat(40) + '\n    - run: make\n      shell: bash\n',
        line: 5,
      },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: "false"\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    for (const { job, step } of allSteps(wf)) {
      if (!isCheckoutStep(step)) continue;
      const withNode = resolveNode(getNode(step.node, 'with', wf.doc), wf.doc);
      const persist = step.with.get('persist-credentials')?.value.trim().toLowerCase();
      if (persist === 'false') continue;
      const computed = (isScalar(withNode) && withNode.value !== null) || (persist?.includes('${{') ?? false);
      const explicit = persist === 'true';
      const later = (job?.steps ?? wf.runs?.steps ?? []).slice(step.index + 1);
      // A job that pushes needs the stored credentials: that is what they are for (unless it also uploads the workspace, below).
      const upload = later.find(
        (s) => actionName(s.uses?.value) === 'actions/upload-artifact' && (s.with.get('path')?.value ?? '').split(/\r?\n/).some((p) => WHOLE_WORKSPACE.test(p.trim())),
      );
      if (!upload && pushingStep(later)) continue;
      let severity: Severity = explicit || computed ? 'low' : 'medium';
      let confidence: Confidence = computed ? 'low' : 'high';
      if (upload) {
        severity = 'high';
        if (skipsHiddenFiles(upload)) confidence = 'medium';
      }
      const aliased = step.itemSpan.line !== step.span.line || step.itemSpan.column !== step.span.column;
      const at = aliased
        ? step.itemSpan
        : { line: step.span.line, column: step.span.column, endLine: step.uses!.span.endLine, endColumn: step.uses!.span.endColumn };
      const where = job ? `in job \`${job.id}\`` : 'in this action';
      ctx.report({
        message:
          (computed
            ? `\`actions/checkout\` ${where} may keep the token in .git/config (\`persist-credentials\` is computed by an expression)`
            : `\`actions/checkout\` ${where} ${explicit ? 'sets `persist-credentials: true`' : 'does not set `persist-credentials: false`'}, so the token stays in .git/config`) +
          (upload ? ' and a later step uploads the workspace as an artifact, publishing it' : '') +
          `. Set \`persist-credentials: false\` unless ${job ? 'this job' : 'a later step of the action'} pushes with it.`,
        at,
        severity,
        confidence,
        related: upload ? [{ at: upload.span, label: 'uploads the workspace, including .git/config' }] : undefined,
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
