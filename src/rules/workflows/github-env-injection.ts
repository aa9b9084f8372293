import { assignments, envFileWrites, hasCommandOutput, RUNNER_VARIABLE, variablesRead } from '../../analysis/env-files.js';
import { taintOfPath, taintOfText, type Scope } from '../../analysis/taint.js';
import type { Confidence, Rule, Severity } from '../../core/types.js';
import { allSteps, type WorkflowDoc } from '../../parsers/workflow.js';

/** Triggers whose jobs run with the base repository's token and secrets on an outsider's event. */
const PRIVILEGED = new Set(['pull_request_target', 'workflow_run']);
const OUTSIDER_TEXT = new Set([...PRIVILEGED, 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'pull_request_review', 'pull_request_review_comment']);

type Verdict = { kind: 'tainted'; what: string; direct: boolean } | { kind: 'unknown'; what: string } | undefined;

/** What a piece of script text puts in the file: attacker text, unknown (command output, unset variable), or nothing dynamic. */
function assess(text: string, line: number, script: string, scope: Scope, depth = 0): Verdict {
  const direct = taintOfText(text, scope).filter((t) => t.severity !== 'low' && t.severity !== 'info');
  if (direct.length) return { kind: 'tainted', what: direct[0]!.what, direct: true };
  let unknown: Verdict = hasCommandOutput(text) ? { kind: 'unknown', what: 'command output' } : undefined;
  for (const name of variablesRead(text)) {
    const set = assignments(script).filter((a) => a.name === name && a.line < line).pop();
    let v: Verdict;
    if (set && depth < 5) v = assess(set.value, set.line, script, scope, depth + 1);
    else if (!set) {
      const env = taintOfPath(`env.${name}`, scope, 0).filter((t) => t.severity !== 'low');
      if (env.some((t) => t.severity !== 'info')) v = { kind: 'tainted', what: `$${name} (${env[0]!.what})`, direct: false };
      else if (env.length) v = { kind: 'unknown', what: `$${name}` };
      else if (!RUNNER_VARIABLE.test(name) && !hasEnv(scope, name)) v = { kind: 'unknown', what: `$${name}` };
    }
    if (v?.kind === 'tainted') return { ...v, direct: false };
    unknown ??= v;
  }
  return unknown;
}

function hasEnv(scope: Scope, name: string): boolean {
  return [scope.step?.env, scope.job?.env, scope.wf.type === 'workflow' ? scope.wf.env : undefined].some((m) => m?.has(name));
}

export default {
  id: 'github-env-injection',
  title: 'Untrusted text written to GITHUB_ENV or GITHUB_PATH',
  severity: 'high',
  area: 'workflows',
  summary:
    'A `run:` step writes attacker-controlled text (PR title, comment, branch name, artifact content, command output) to `$GITHUB_ENV` or `$GITHUB_PATH` in a workflow an outsider can trigger.',
  rationale:
    'Every later step of the job reads `$GITHUB_ENV` and `$GITHUB_PATH`. A value with a newline defines any variable it likes ' +
    '(`LD_PRELOAD`, `BASH_ENV`, `NODE_OPTIONS`), and a path entry puts the attacker\'s programs first: either runs their code with the ' +
    'job\'s token and secrets. Text that provably comes from the event is reported with high confidence; writes of command output or ' +
    'unset variables only in `pull_request_target`/`workflow_run` workflows, with low confidence; composite actions, whose callers are ' +
    'unknown, at medium severity and low confidence.',
  fix:
    'Do not write outside text to the environment files. Pass it to the steps that need it through `env:` or a step output, or ' +
    'validate it first against a strict pattern (`[[ "$V" =~ ^[A-Za-z0-9._-]+$ ]]`) and write only the validated value.',
  references: [
    'https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-environment-variable',
    'https://www.synacktiv.com/en/publications/github-actions-exploitation-repo-jacking-and-environment-manipulation',
    'https://docs.zizmor.sh/audits/#github-env',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/label.yml',
        text: 'on: pull_request_target\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "TITLE=${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"\n',
        line: 6,
      },
      {
        path: '.github/workflows/report.yml',
        text: 'on: workflow_run\njobs:\n  report:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/download-artifact@v4\n      - run: |\n          echo "PR=$(cat pr/number)" >> $GITHUB_ENV\n',
        line: 7,
      },
      {
        path: 'action.yml',
        text: 'name: label\nruns:\n  using: composite\n  steps:\n    - run: echo "TITLE=${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"\n      shell: bash\n',
        line: 5,
      },
    ],
    good: [
      {
        path: '.github/workflows/build.yml',
        text: 'on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "$HOME/.local/bin" >> "$GITHUB_PATH"\n          echo "SHA=${{ github.event.pull_request.head.sha }}" >> "$GITHUB_ENV"\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const names = wf.triggers.map((t) => t.name);
    const privileged = names.find((n) => PRIVILEGED.has(n));
    const outsider = names.find((n) => OUTSIDER_TEXT.has(n));
    for (const { job, step } of allSteps(wf)) {
      const range = step.run?.node?.range;
      if (!range) continue;
      const raw = wf.text.slice(range[0], range[1]);
      let best: { severity: Severity; confidence: Confidence; line: number; file: string; what: string; rank: number } | undefined;
      for (const w of envFileWrites(raw)) {
        const v = assess(w.content, w.line, raw, { wf, job, step });
        if (!v) continue;
        let r: { severity: Severity; confidence: Confidence; rank: number } | undefined;
        if (wf.type === 'action') r = { severity: 'medium', confidence: 'low', rank: v.kind === 'tainted' ? 2 : 1 };
        else if (v.kind === 'tainted' && outsider) r = { severity: 'high', confidence: v.direct ? 'high' : 'medium', rank: 4 };
        else if (v.kind === 'tainted') r = { severity: 'medium', confidence: 'medium', rank: 3 };
        else if (privileged) r = { severity: 'high', confidence: 'low', rank: 2 };
        if (r && (!best || r.rank > best.rank)) best = { ...r, line: w.line, file: w.file, what: v.what };
      }
      if (!best) continue;
      const lines = raw.split('\n');
      const end = range[0] + lines.slice(0, best.line + 1).join('\n').length;
      const where = wf.type === 'action' ? 'in a composite action (its callers may pass outside text)' : `on ${(outsider ?? privileged ?? names[0]) || 'this workflow'}`;
      const effect = best.file === 'GITHUB_PATH' ? 'puts a directory first on PATH for every later step' : 'can define any variable (LD_PRELOAD, BASH_ENV, NODE_OPTIONS) for every later step';
      ctx.report({
        message:
          `This \`run:\` step writes ${best.what} to $${best.file} ${where}: a crafted value ${effect}, running outside code with the job's token and secrets. ` +
          'Pass the value through `env:` or a step output instead, or validate it against a strict pattern before writing it.',
        at: wf.file.spanOf({ range: [range[0], end, end] } as unknown as Parameters<typeof wf.file.spanOf>[0]),
        severity: best.severity,
        confidence: best.confidence,
      });
    }
  },
} satisfies Rule<WorkflowDoc>;
