import { isMap, isScalar } from 'yaml';
import type { Finding } from '../core/types.js';
import type { Job, Step, WorkflowDoc } from '../parsers/workflow.js';
import { flowingContexts } from './expressions.js';

/** How a script reads an environment variable, by interpreter. */
export type ScriptKind = 'shell' | 'pwsh' | 'cmd' | 'js' | 'python';

export interface EnvFix {
  /** The variable to add to the step's `env:` (an existing entry with the same value is reused). */
  name: string;
  /** The `env:` entry to add, or undefined when the step already defines it. */
  envEntry?: string;
  /** What replaces each occurrence of the expression in the script. */
  reference: string;
  /** The script with every occurrence replaced. */
  script: string;
  /** The changed lines (0-based within the script), for suggestion blocks. */
  lines: { line: number; before: string; after: string }[];
}

/** Interpreter of a step's code: its `shell:` for `run:`, or the language of a code-running action input. */
export function scriptKind(step: Step): ScriptKind {
  const uses = step.uses?.value.toLowerCase() ?? '';
  if (uses.startsWith('actions/github-script')) return 'js';
  if (uses.startsWith('jannekem/run-python-script-action')) return 'python';
  if (uses.startsWith('azure/powershell') || uses.startsWith('amadevus/pwsh-script')) return 'pwsh';
  const shell = (step.shell ?? '').trim().split(/\s+/)[0]?.replace(/^.*\//, '') ?? '';
  if (shell === 'pwsh' || shell === 'powershell') return 'pwsh';
  if (shell === 'cmd') return 'cmd';
  if (shell === 'python') return 'python';
  return 'shell';
}

/**
 * Variables the shell, the runner or an interpreter already reads: `inputs.path` named `PATH` would break the step,
 * and `inputs.node_options` named `NODE_OPTIONS` would hand the attacker's text to node as options, a new injection.
 */
const RESERVED = new Set(
  (
    'PATH HOME USER USERNAME LOGNAME SHELL PWD OLDPWD IFS PS1 PS2 PS4 ENV CDPATH GLOBIGNORE SHELLOPTS LANG LANGUAGE TERM TZ ' +
    'TMPDIR TEMP TMP HOSTNAME CI MAIL EDITOR VISUAL PAGER PROMPT_COMMAND NODE_OPTIONS NODE_PATH PYTHONPATH PYTHONSTARTUP ' +
    'PYTHONHOME PERL5LIB PERL5OPT RUBYOPT RUBYLIB JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS PSMODULEPATH COMSPEC PATHEXT'
  ).split(' '),
);
const RESERVED_PREFIX = /^(LD_|DYLD_|BASH_|GIT_|RUNNER_|ACTIONS_|NPM_CONFIG_|LC_|GITHUB_(?!TOKEN$))/;

/** An env variable name for an expression: `github.event.pull_request.title` → `PULL_REQUEST_TITLE`, `inputs.user` → `USER_VALUE`. */
export function envNameFor(expressionText: string): string {
  const body = expressionText.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const path = flowingContexts(body)[0] ?? body;
  if (/^env\./i.test(path)) return path.slice(4);
  const segs = path.split('.').filter((s) => s !== '*' && !['github', 'event', 'inputs', 'steps', 'outputs', 'needs', 'matrix'].includes(s));
  const name = segs.slice(-2).join('_').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  if (!/^[A-Z_]/.test(name)) return `VALUE_${name}`;
  return RESERVED.has(name) || RESERVED_PREFIX.test(name) ? `${name}_VALUE` : name;
}

/** How a script of `kind` reads the environment variable `name`. */
export function referenceFor(kind: ScriptKind, name: string): string {
  if (kind === 'pwsh') return `$env:${name}`;
  if (kind === 'cmd') return `%${name}%`;
  if (kind === 'js') return `process.env.${name}`;
  if (kind === 'python') return `os.environ["${name}"]`;
  return `"$${name}"`;
}

/** Quote state of a shell line just before `at`: inside '…', inside "…", or outside. */
function shellQuoteAt(line: string, at: number): 'single' | 'double' | 'none' {
  let state: 'single' | 'double' | 'none' = 'none';
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (state === 'none' && c === '\\') i++;
    else if (state === 'double' && c === '\\') i++;
    else if (c === "'" && state !== 'double') state = state === 'single' ? 'none' : 'single';
    else if (c === '"' && state !== 'single') state = state === 'double' ? 'none' : 'double';
  }
  return state;
}

/**
 * The env-variable fix for one expression in a step's script (`run:`, or the code input of an action):
 * the `env:` entry to add and the script with the expression replaced by a variable reference that the
 * interpreter reads at run time (`"$TITLE"` in a shell, `$env:TITLE` in PowerShell, `process.env.TITLE` in JS).
 */
export function suggestEnvFix(step: Step, expressionText: string, script = step.run?.value ?? ''): EnvFix {
  const kind = scriptKind(step);
  const existing = [...step.env].find(([, v]) => v.value.trim() === expressionText.trim())?.[0];
  let name = existing ?? envNameFor(expressionText);
  if (!existing) for (let n = 1; step.env.has(name); n++) name = `${envNameFor(expressionText)}_${n}`;
  const reference = referenceFor(kind, name);
  const lines: EnvFix['lines'] = [];
  const out = script.split('\n').map((before, line) => {
    if (!before.includes(expressionText)) return before;
    let after = '';
    let rest = before;
    for (let at = rest.indexOf(expressionText); at >= 0; at = rest.indexOf(expressionText)) {
      let head = rest.slice(0, at);
      let tail = rest.slice(at + expressionText.length);
      let ref = reference;
      if (kind === 'shell') {
        const quote = shellQuoteAt(after + head, (after + head).length);
        // `"${{ x }}"` is a quoted word wherever it stands (inside `$( … )` too, which the scan above does not follow).
        if (quote === 'double' || (head.endsWith('"') && tail.startsWith('"'))) ref = `\${${name}}`;
        else if (quote === 'single') {
          // '…${{ x }}…' → '…'"$X"'…' (and drop an empty '' pair around a whole-word expression)
          if (head.endsWith("'") && tail.startsWith("'")) [head, tail] = [head.slice(0, -1), tail.slice(1)];
          else ref = `'"$${name}"'`;
        }
      } else if ((kind === 'js' || kind === 'python') && /["'`]$/.test(head) && tail.startsWith(head.slice(-1))) {
        [head, tail] = [head.slice(0, -1), tail.slice(1)];
      }
      after += head + ref;
      rest = tail;
    }
    after += rest;
    lines.push({ line, before, after });
    return after;
  });
  return { name, envEntry: existing ? undefined : `${name}: ${expressionText.trim()}`, reference, script: out.join('\n'), lines };
}

/** The scalar value of `key` in a mapping node, as a string. */
export function scalarAt(node: unknown, key: string): string | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
  return isScalar(pair?.value) ? String(pair.value.value) : undefined;
}

/** A job's `defaults: run:` mapping node. */
export function defaultsRun(job: unknown): unknown {
  if (!isMap(job)) return undefined;
  const defaults = job.items.find((p) => isScalar(p.key) && p.key.value === 'defaults')?.value;
  return isMap(defaults) ? defaults.items.find((p) => isScalar(p.key) && p.key.value === 'run')?.value : undefined;
}

/** A job whose runner may be Windows (named so, or computed) and that sets no default shell: its `run:` is PowerShell. */
function maybeWindows(job: Job): boolean {
  return scalarAt(defaultsRun(job.node), 'shell') === undefined && job.runsOn.some((r) => r.value.some((v) => /windows|\$\{\{/i.test(v)));
}

/**
 * Why an expression flagged in a `run:` script must not be moved to `env:` mechanically (the PR suggestion and
 * `portcullis fix` make the same move), or undefined when it may: `for f in ${{ list }}` iterates over words, and
 * `"$VAR"` would make the list one item; a job that may run on Windows with no `shell:` reads variables differently.
 */
export function envMoveRefused(f: Finding, wf: WorkflowDoc, lines: readonly string[]): string | undefined {
  if (f.message.includes('a list of names') || /\bfor\s+\w+\s+in\b[^;]*$/.test((lines[f.line - 1] ?? '').slice(0, f.column - 1))) {
    return 'a list of words (file names): quoting it as "$VAR" would change the loop; move it to env: by hand';
  }
  const at = wf.jobs.flatMap((job) => job.steps.map((step) => ({ job, step }))).find(({ step }) => step.run && step.run.span.line <= f.line && f.line <= step.run.span.endLine);
  if (!at || at.step.shell !== undefined || !maybeWindows(at.job)) return undefined;
  return `job \`${at.job.id}\` may run on Windows, whose default shell reads variables differently: set \`shell:\` and move the expression by hand`;
}
