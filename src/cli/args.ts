import { parseArgs } from 'node:util';
import { BASELINE_FILE } from '../core/baseline.js';
import { closest } from '../core/suggest.js';
import { MIN_PARALLEL_FILES } from '../parallel.js';
import { clean } from '../reporters/terminal.js';

/** A mistake in the command line: exit 2 with this one-line reason. */
export class UsageError extends Error {}

export const COMMANDS = ['scan', 'fix', 'init', 'baseline', 'rules', 'explain', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export const EXPLAIN_FORMATS = ['text', 'markdown'] as const;

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The commands that take the option; absent: every command (help, version). */
  commands?: readonly Command[];
  /** Shown in "needs a value" messages. */
  arg?: string;
}

const OPTIONS: Record<string, OptionSpec> = {
  format: { type: 'string', commands: ['scan', 'explain'], arg: 'FORMAT' },
  'fail-on': { type: 'string', commands: ['scan'], arg: 'LEVEL' },
  config: { type: 'string', commands: ['scan', 'baseline', 'fix'], arg: 'PATH' },
  exclude: { type: 'string', multiple: true, commands: ['scan'], arg: 'GLOB' },
  all: { type: 'boolean', commands: ['scan'] },
  stats: { type: 'boolean', commands: ['scan'] },
  jobs: { type: 'string', commands: ['scan', 'baseline'], arg: 'N' },
  baseline: { type: 'string', commands: ['scan'], arg: 'FILE' },
  output: { type: 'string', commands: ['baseline'], arg: 'FILE' },
  root: { type: 'string', commands: ['scan', 'baseline', 'fix'], arg: 'DIR' },
  'dry-run': { type: 'boolean', commands: ['fix'] },
  only: { type: 'string', commands: ['fix'], arg: 'RULE' },
  offline: { type: 'boolean', commands: ['fix'] },
  force: { type: 'boolean', commands: ['init'] },
  'no-comment': { type: 'boolean', commands: ['init'] },
  'no-inline-suppressions': { type: 'boolean', commands: ['scan', 'baseline'] },
  advisories: { type: 'string', commands: ['scan'], arg: 'bundled|online' },
  repo: { type: 'string', commands: ['scan'], arg: 'OWNER/NAME' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

export interface Values {
  format?: string;
  'fail-on'?: string;
  config?: string;
  exclude?: string[];
  all?: boolean;
  stats?: boolean;
  jobs?: string;
  baseline?: string;
  output?: string;
  root?: string;
  'dry-run'?: boolean;
  only?: string;
  offline?: boolean;
  force?: boolean;
  'no-comment'?: boolean;
  'no-inline-suppressions'?: boolean;
  advisories?: string;
  repo?: string;
  help?: boolean;
  version?: boolean;
}

export interface CommandLine {
  /** The first positional (not checked here: `main` names an unknown command). */
  command?: string;
  rest: string[];
  values: Values;
}

/**
 * Parses the arguments. Node's own strict mode would reject an unknown option with a message of its own; here every
 * mistake becomes one line that names the option, with a "did you mean" when a known option is close.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const options = Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]));
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const positionals = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []));
  const command = positionals[0];
  const known = (COMMANDS as readonly string[]).includes(command ?? '') ? (command as Command) : undefined;
  const values: Record<string, string | boolean | string[]> = {};
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = OPTIONS[t.name];
    const shown = clean(t.rawName);
    if (!spec) throw new UsageError(`unknown option ${shown}${suggestion(t.name, known)}`);
    if (spec.commands && known && known !== 'help' && !spec.commands.includes(known)) {
      throw new UsageError(`${shown} is not an option of ${known}; see portcullis help ${known}`);
    }
    if (spec.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`${shown} takes no value (got ${clean(JSON.stringify(t.value))})`);
      values[t.name] = true;
    } else if (t.value === undefined) {
      throw new UsageError(`${shown} needs a value: ${shown} ${spec.arg ?? 'VALUE'}`);
    } else if (spec.multiple) {
      values[t.name] = [...((values[t.name] as string[] | undefined) ?? []), t.value];
    } else values[t.name] = t.value;
  }
  return { ...(command !== undefined ? { command } : {}), rest: positionals.slice(1), values: values as Values };
}

/** "; did you mean --format?" (or "--format json" for `--json`), else where to look. */
function suggestion(name: string, command: Command | undefined): string {
  const formats: readonly string[] = command === 'explain' ? EXPLAIN_FORMATS : SCAN_FORMATS;
  if (formats.includes(name.toLowerCase()) && (command === undefined || command === 'scan' || command === 'explain' || command === 'help')) return `; did you mean --format ${name.toLowerCase()}?`;
  const mine = Object.keys(OPTIONS).filter((o) => !command || !OPTIONS[o]!.commands || OPTIONS[o]!.commands.includes(command));
  const near = closest(name, mine) ?? (name.length > 1 ? closest(name, Object.keys(OPTIONS)) : undefined);
  if (near) return `; did you mean --${near}?`;
  return command && command !== 'help' ? `; see portcullis help ${command}` : '; see portcullis help';
}

/** "unknown command "sacn"; did you mean scan?" */
export function unknownCommand(command: string): string {
  const near = closest(command, COMMANDS);
  return `unknown command ${clean(JSON.stringify(command))}${near ? `; did you mean ${near}?` : `; the commands are ${COMMANDS.join(', ')}`}`;
}

const HELP: Record<Exclude<Command, 'help'>, { usage: string; about: string; options: string }> = {
  scan: {
    usage: 'scan [paths…]',
    about: 'scan files and folders (default: .) and gate on the findings',
    options: `  --format FORMAT        text (path:line:col lines; on a terminal also the source line), json, sarif
                         (SARIF 2.1.0 for code scanning) or github (workflow-command annotations); default: text
  --fail-on LEVEL        critical|high|medium|low|info|never (default: the config's fail-on, else high)
  --config PATH          config file (default: .github/portcullis.yml or .portcullis.yml in the root)
  --exclude GLOB         paths to skip, relative to the root (repeatable)
  --root DIR             the repository root: files are classified, configured and reported from it
                         (default: the nearest folder above the paths with .git, else the paths' folder)
  --all                  also list findings in test, example, docs, vendored and dev files (default: a count per context)
  --stats                print files and bytes read, and the peak memory, to stderr
  --jobs N               worker threads that check files (default: one per core but one, up to 4,
                         for ${MIN_PARALLEL_FILES} files or more; results are the same for any N)
  --baseline FILE        baseline file: the findings it lists are reported as baselined and do not block
  --no-inline-suppressions  ignore \`# portcullis: ignore[…]\` comments (each is reported instead)
  --advisories MODE      bundled (default: no network) or online: the package versions production and dev files pin are
                         looked up in the OSV database (OSV_API_URL, default https://api.osv.dev) for
                         compromised-dependency and vulnerable-dependency; on failure the bundled data, with a notice
  --repo OWNER/NAME      also read the default branch's protection through the GitHub API for review-policy, with the
                         token in GITHUB_TOKEN (GITHUB_API_URL, default https://api.github.com); at most 3 calls

Only the named files (and the files in the named folders) are checked and reported, each classified
from the repository root: \`scan .github\` checks the workflows as workflows. Rules still read the
files beside them (a manifest's lockfile, a Dockerfile's .dockerignore). A named file that no longer
exists (pre-commit can pass deleted files), or that the config's paths.exclude covers, is skipped
with a notice. A folder that is a project of its own (an example, a fixture) is scanned with --root.
`,
  },
  fix: {
    usage: 'fix [paths…]',
    about: 'rewrite the mechanical fixes in place: action SHAs, image digests, persist-credentials, permissions, env: for expressions, npm ci',
    options: `  --dry-run              print the changes as a unified diff (paths relative to the root) instead of writing them
  --only RULE            fix only this rule's findings
  --offline              make no request: only the fixes that need no lookup (no SHAs, no digests)
  --root DIR, --config PATH   as for scan

What it cannot fix (a ref it could not resolve, a \`latest\` image, a job that pushes) is listed on stderr.
Exit 0 when there is nothing left it can write, 1 when it wrote (or, with --dry-run, would write) changes.
See docs/fix.md.
`,
  },
  init: {
    usage: 'init [path]',
    about: `set up the repository at path (default: .): a pinned workflow and a baseline of today's findings`,
    options: `  --force                replace the workflow and the baseline when they exist
  --no-comment           no pull request comment: the job gets no pull-requests: write

Writes .github/workflows/portcullis.yml (pull_request, merge_group, push to the default branch;
contents: read), ${BASELINE_FILE} and, when there is no config, .github/portcullis.yml naming
the baseline; then prints the next steps.
`,
  },
  baseline: {
    usage: 'baseline [paths…]',
    about: `write the current findings to ${BASELINE_FILE} (at the root) as accepted debt`,
    options: `  --output FILE          where to write the baseline (default: ${BASELINE_FILE} at the root)
  --root DIR, --config PATH, --jobs N, --no-inline-suppressions   as for scan

With paths, the entries for other files in the existing baseline are kept.
`,
  },
  rules: { usage: 'rules', about: 'list the rules', options: '' },
  explain: {
    usage: 'explain <rule-id>',
    about: "print a rule's documentation: why it matters, how to fix it, examples, options",
    options: `  --format FORMAT        text (for the terminal) or markdown (the page in docs/rules/); default: text
`,
  },
};

const COMMON = `  -h, --help             show this help (after a command: that command's)
  -v, --version          print the version

Exit codes: 0 pass, 1 blocking findings, 2 usage or internal error.
`;

/** The whole usage (`help`, `--help`), or one command's (`help scan`, `scan --help`). */
export function usage(command?: Command): string {
  if (command && command !== 'help') {
    const h = HELP[command];
    return `Usage: portcullis ${h.usage}${h.options ? ' [options]' : ''}\n\n${h.about[0]!.toUpperCase()}${h.about.slice(1)}.\n\n${h.options ? `Options:\n${h.options}\n` : ''}${COMMON}`;
  }
  const list = Object.values(HELP).map((h) => `  ${h.usage.padEnd(21)}  ${h.about}`);
  list.push(`  ${'help [command]'.padEnd(21)}  show this help, or one command's options`);
  const sections = (Object.keys(HELP) as (keyof typeof HELP)[]).filter((c) => HELP[c].options).map((c) => `Options for ${c}:\n${HELP[c].options}`);
  return `Usage: portcullis <command> [options]\n\nCommands:\n${list.join('\n')}\n\n${sections.join('\n')}\n${COMMON}`;
}
