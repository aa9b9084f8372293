import type { Confidence, Span } from '../core/types.js';
import type { Job, Step, WorkflowDoc } from '../parsers/workflow.js';
import { findExpressions, flowingContexts } from './expressions.js';
import { parseShell, programName, unwrap } from './shell.js';

/**
 * Untrusted checkouts: a workflow that runs with the base repository's token and secrets
 * (`pull_request_target`, `workflow_run`, `issue_comment`) fetching the pull request's code.
 * Shared by the `untrusted-checkout` and `dangerous-trigger` rules so they never disagree.
 */
export const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'] as const;

export interface UntrustedCheckout {
  job: Job;
  step: Step;
  /** The untrusted `ref:`/`repository:` value or the shell command that fetches the PR. */
  at: Span;
  how: string;
  confidence: Confidence;
  /** An `if:` that lets only one account run the job (`github.actor == 'dependabot[bot]'`), as written. */
  actorGuard?: string;
}

/** `actions/checkout@v4` → `actions/checkout`, lower-cased. */
export function actionName(uses: string | undefined): string {
  return (uses ?? '').replace(/@.*$/, '').toLowerCase();
}

export function isCheckoutStep(step: Step): boolean {
  return actionName(step.uses?.value) === 'actions/checkout';
}

export function privilegedTriggers(wf: WorkflowDoc): WorkflowDoc['triggers'] {
  return wf.triggers.filter((t) => (PRIVILEGED_TRIGGERS as readonly string[]).includes(t.name));
}

type Lookup = (name: string) => string | undefined;

function envLookup(wf: WorkflowDoc, job: Job, step: Step): Lookup {
  return (name) => step.env.get(name)?.value ?? job.env.get(name)?.value ?? wf.env.get(name)?.value;
}

const PR_REF_TEXT = /pull\/(\$\{\{[^}]*\}\}|[^/\s'"]+)\/(head|merge)\b/;

/** Whether text (a `ref:` value, a shell word) names the pull request's code; returns what it names. */
export function untrustedRef(text: string, lookup: Lookup, depth = 0): { how: string; confidence: Confidence } | undefined {
  if (PR_REF_TEXT.test(text)) return { how: `the pull request ref \`${PR_REF_TEXT.exec(text)![0]}\``, confidence: 'high' };
  let medium: { how: string; confidence: Confidence } | undefined;
  for (const e of findExpressions(text)) {
    for (const raw of flowingContexts(e.body)) {
      const path = raw.toLowerCase();
      if (path.startsWith('github.event.pull_request.head.') || path === 'github.head_ref' || path === 'github.event.pull_request.merge_commit_sha')
        return { how: `\`${raw}\``, confidence: 'high' };
      if (path.startsWith('github.event.workflow_run')) return { how: `\`${raw}\` (the triggering run's code)`, confidence: 'high' };
      if (path.startsWith('env.') && depth < 3) {
        const v = lookup(raw.slice(4));
        const inner = v === undefined ? undefined : untrustedRef(v, lookup, depth + 1);
        if (inner) return { ...inner, how: `${inner.how} via \`${raw}\`` };
      }
      if (/^(steps|needs)\.[^.]+\.outputs\./.test(path) && /head|sha|ref|branch|pr|pull/.test(path.replace(/^(steps|needs)\./, '')))
        medium ??= { how: `\`${raw}\` (looks like a pull request lookup)`, confidence: 'medium' };
    }
  }
  return medium;
}

/** A shell command in `script` that fetches or checks out the pull request's code. */
export function shellCheckout(script: string, lookup: Lookup): { how: string; line: number; confidence: Confidence } | undefined {
  const parsed = parseShell(script);
  const raw = script.split(/\r?\n/);
  for (const c of parsed.commands) {
    const argv = unwrap(c.argv);
    const prog = programName(argv[0]);
    const text = raw[c.line] ?? '';
    if (prog === 'gh' && argv[1] === 'pr' && argv[2] === 'checkout') return { how: '`gh pr checkout`', line: c.line, confidence: 'high' };
    if (prog !== 'git' || !['fetch', 'checkout', 'switch', 'pull', 'clone', 'reset', 'worktree'].includes(argv[1] ?? '')) continue;
    const words = argv.slice(2).map((w) => w.replace(/^\$\{?([A-Za-z_]\w*)\}?$/, (_, name: string) => lookup(name) ?? w));
    const hit = untrustedRef(words.join(' '), lookup) ?? untrustedRef(text, lookup);
    if (hit) return { how: `\`git ${argv[1]}\` of ${hit.how}`, line: c.line, confidence: hit.confidence };
  }
  return undefined;
}

/** Every step of a privileged workflow that checks out pull request code. Empty for other workflows. */
export function untrustedCheckouts(wf: WorkflowDoc): UntrustedCheckout[] {
  if (wf.type !== 'workflow' || privilegedTriggers(wf).length === 0) return [];
  const out: UntrustedCheckout[] = [];
  for (const job of wf.jobs)
    for (const step of job.steps) {
      const lookup = envLookup(wf, job, step);
      const guard = guardConfidence(job, step);
      const actor = actorGuard(job, step);
      const extra = actor ? { actorGuard: actor } : {};
      if (isCheckoutStep(step)) {
        for (const key of ['ref', 'repository']) {
          const v = step.with.get(key);
          const hit = v && untrustedRef(v.value, lookup);
          if (hit) {
            out.push({ job, step, at: v.span, how: `\`${key}: ${v.value.trim()}\` (${hit.how})`, confidence: lower(hit.confidence, guard), ...extra });
            break;
          }
        }
      } else if (step.run) {
        const hit = shellCheckout(step.run.value, lookup);
        if (hit) {
          const line = step.run.value.split(/\r?\n/)[hit.line]?.trim() ?? '';
          const at = (line && wf.spanWithin(step.run.node, line)) || step.run.span;
          out.push({ job, step, at, how: hit.how, confidence: lower(hit.confidence, guard), ...extra });
        }
      }
    }
  return out;
}

/** A guard on the job or step narrows who can trigger it: a same-repository check nearly closes the hole, labels and actor checks less so. */
function guardConfidence(job: Job, step: Step): Confidence {
  const cond = `${job.if?.value ?? ''} ${step.if?.value ?? ''}`;
  if (/head\.repo\.(full_name|fork)|head_repository\.(full_name|fork)/.test(cond)) return 'low';
  if (/label|author_association|github\.actor|github\.triggering_actor/.test(cond) || job.environment) return 'medium';
  return 'high';
}

/** `github.actor == 'x'`, `github.triggering_actor == 'x'`, `github.event.pull_request.user.login == 'x'` (either side). */
const ACTOR_EQ =
  /(github\.(triggering_)?actor|github\.event\.pull_request\.user\.login|github\.event\.sender\.login)\s*==\s*'[^']+'|'[^']+'\s*==\s*(github\.(triggering_)?actor|github\.event\.pull_request\.user\.login|github\.event\.sender\.login)/i;

/** The actor equality that guards the job or step, when one does and it is not negated or or-ed away. */
function actorGuard(job: Job, step: Step): string | undefined {
  for (const cond of [job.if?.value, step.if?.value]) {
    if (!cond || /\|\|/.test(cond)) continue;
    const m = ACTOR_EQ.exec(cond);
    if (m) return m[0].replace(/\s+/g, ' ');
  }
  return undefined;
}

const ORDER: Confidence[] = ['high', 'medium', 'low'];
function lower(a: Confidence, b: Confidence): Confidence {
  return ORDER[Math.max(ORDER.indexOf(a), ORDER.indexOf(b))]!;
}

/** Build, test and package tools that run code from the working tree (scripts, build files, hooks, configs). */
const RUNS_PROJECT_CODE = new Set([
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'deno', 'node', 'pip', 'pip3', 'pipenv', 'poetry', 'pdm', 'uv', 'hatch', 'tox', 'nox',
  'pytest', 'python', 'python3', 'make', 'cmake', 'ninja', 'meson', 'bazel', 'go', 'cargo', 'mvn', 'mvnw', 'gradle', 'gradlew',
  'ant', 'sbt', 'bundle', 'rake', 'ruby', 'composer', 'php', 'perl', 'dotnet', 'msbuild', 'mix', 'rebar3', 'swift', 'xcodebuild',
  'pre-commit', 'lerna', 'nx', 'turbo', 'jest', 'vitest', 'mocha', 'eslint', 'webpack', 'vite', 'rollup', 'playwright',
  'terraform', 'tofu', 'goreleaser', 'source', '.',
]);
const INLINE = ['-c', '-e', '-p', '--version', '-V', '-v'];
const SAFE_SUBCOMMANDS: Record<string, string[]> = {
  npm: ['view', 'info', 'whoami', 'config', '--version', '-v'],
  go: ['version', 'env'],
  python: INLINE, python3: INLINE, node: INLINE, ruby: INLINE, perl: INLINE, php: INLINE,
};
const INTERPRETERS = new Set(['bash', 'sh', 'zsh', 'dash', 'pwsh', 'powershell']);

/** What in a script runs code from the checked-out tree, or undefined when it only uses tools such as gh, echo or jq. */
export function scriptRunsWorkspace(script: string): string | undefined {
  for (const c of parseShell(script).commands) {
    const argv = unwrap(c.argv);
    const word = argv[0] ?? '';
    const prog = programName(word);
    // A relative path, or one under the workspace (`$GITHUB_WORKSPACE/x`, `${{ github.workspace }}/x`), is a script from the checkout.
    if (/^\.{1,2}\//.test(word) || /^(\$\{?GITHUB_WORKSPACE\}?|__GHA_EXPR__)\//.test(word) || (word.includes('/') && !/^[/$~]/.test(word) && !word.startsWith('__GHA')))
      return `\`${word.replace('__GHA_EXPR__', '${{ … }}')}\``;
    if (INTERPRETERS.has(prog) && !argv.includes('-c')) {
      const file = argv.slice(1).find((w) => !w.startsWith('-'));
      if (file && !file.startsWith('__GHA') && !file.startsWith('/')) return `\`${prog} ${file}\``;
    }
    if (prog === 'docker' && (argv.includes('build') || argv.includes('buildx') || (argv[1] === 'compose' && argv.includes('build'))))
      return '`docker build`';
    if (RUNS_PROJECT_CODE.has(prog) && !(SAFE_SUBCOMMANDS[prog] ?? []).includes(argv[1] ?? '')) return `\`${[prog, ...argv.slice(1, 2)].join(' ')}\``;
  }
  return undefined;
}

/** Actions that build or run the repository's code. */
const CODE_RUNNING_ACTIONS = new Set([
  'docker/build-push-action', 'docker/bake-action', 'pre-commit/action', 'github/codeql-action/autobuild', 'goreleaser/goreleaser-action',
  'cypress-io/github-action', 'bahmutov/npm-install', 'changesets/action', 'gradle/gradle-build-action', 'borales/actions-yarn',
]);

/** The first step after `from` in the job that executes code from the workspace. */
export function firstExecutingStep(job: Job, from: number): { step: Step; what: string } | undefined {
  for (const step of job.steps.slice(from + 1)) {
    const name = actionName(step.uses?.value);
    if (name.startsWith('./')) return { step, what: `the local action \`${step.uses!.value}\`` };
    if (CODE_RUNNING_ACTIONS.has(name)) return { step, what: `\`${name}\`` };
    if (name === 'ruby/setup-ruby' && step.with.get('bundler-cache')?.value === 'true') return { step, what: '`bundle install` (bundler-cache)' };
    if (name === 'actions/github-script' && /require\(\s*['"`]\.{1,2}\/|import\(\s*['"`]\.{1,2}\//.test(step.with.get('script')?.value ?? ''))
      return { step, what: 'a script from the checkout loaded by `actions/github-script`' };
    const script = step.run?.value ?? step.with.get('run')?.value ?? step.with.get('command')?.value;
    const what = script === undefined ? undefined : scriptRunsWorkspace(script);
    if (what) return { step, what };
  }
  return undefined;
}
