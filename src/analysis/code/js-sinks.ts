import type { SinkRule } from './flow.js';

/**
 * The JavaScript calls that run a string as code or as a shell command, or that build objects (functions included)
 * from data, by the name the analyser resolves them to through `require`/`import` (`child_process.exec`, whatever the
 * local alias). `args`: which arguments carry the danger (`shell`: only with a `shell` option that is not `false`).
 */
export interface SinkSpec {
  rule: SinkRule;
  args: 'first' | 'all' | 'shell';
  /** `setTimeout`/`setInterval`: only a string runs as code; a function (the usual case) does not. */
  stringOnly?: boolean;
  /** js-yaml `load`: safe under an explicit safe schema, and in js-yaml 4 whatever the options (the rule reads the version). */
  yaml?: boolean;
  /** `new` only (`new vm.Script(code)`). */
  constructs?: boolean;
  fix: string;
}

const EVAL_FIX = 'parse data with `JSON.parse` and never run a string as code';
const VM_FIX = '`vm` is not a security boundary: do not run request data as code; parse it (`JSON.parse`) or map it to a fixed set of operations';
const EXEC_FIX = "`execFile('ls', [dir])` without a shell: the program fixed, each argument its own array element";
const SHELL_FIX = "drop `shell: true` and pass the arguments as an array (`spawn('ls', [dir])`), so no shell parses them";

const code = (args: SinkSpec['args'], fix: string, more: Partial<SinkSpec> = {}): SinkSpec => ({ rule: 'code-injection', args, fix, ...more });
const command = (args: SinkSpec['args'], fix: string): SinkSpec => ({ rule: 'command-injection', args, fix });

const TIMER: SinkSpec = code('first', 'pass a function, never a string: `setTimeout(() => run(x), ms)`', { stringOnly: true });
const VM = code('first', VM_FIX);

export const JS_SINKS: ReadonlyMap<string, SinkSpec> = new Map([
  ['eval', code('first', EVAL_FIX)],
  ['Function', code('all', 'build the behaviour from data with ordinary code (a lookup table of functions), never `new Function` from a string')],
  ['setTimeout', TIMER],
  ['setInterval', TIMER],
  ['vm.runInContext', VM],
  ['vm.runInNewContext', VM],
  ['vm.runInThisContext', VM],
  ['vm.compileFunction', VM],
  ['vm.Script', { ...VM, constructs: true }],
  ['vm.SourceTextModule', { ...VM, constructs: true }],
  ['child_process.exec', command('first', EXEC_FIX)],
  ['child_process.execSync', command('first', EXEC_FIX)],
  ['shelljs.exec', command('first', EXEC_FIX)],
  ...['spawn', 'spawnSync', 'execFile', 'execFileSync'].map((f) => [`child_process.${f}`, command('shell', SHELL_FIX)] as const),
  ...['execa', 'execa.execa', 'execa.execaSync', 'execa.execaCommand', 'execa.execaCommandSync'].map((f) => [f, command('shell', SHELL_FIX)] as const),
  ['node-serialize.unserialize', { rule: 'unsafe-deserialization', args: 'first', fix: "`JSON.parse`: node-serialize's `unserialize` calls functions embedded in the data (`_$$ND_FUNC$$_`)" }],
  ...['load', 'loadAll'].map(
    (f) =>
      [
        `js-yaml.${f}`,
        { rule: 'unsafe-deserialization', args: 'first', yaml: true, fix: "`yaml.safeLoad` (js-yaml 3; its `load` builds `!!js/function` values), or js-yaml 4, whose `load` is safe" },
      ] as const,
  ),
]);

/** Names a call resolves to without any import. */
export const JS_GLOBALS: ReadonlySet<string> = new Set(['eval', 'Function', 'setTimeout', 'setInterval']);

/** js-yaml's schemas without `!!js/*` types: `load(text, { schema: yaml.JSON_SCHEMA })` is safe in any version. */
export const SAFE_YAML_SCHEMA = /\b(SAFE_SCHEMA|JSON_SCHEMA|CORE_SCHEMA|FAILSAFE_SCHEMA)\b/;
