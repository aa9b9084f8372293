import type { Node } from 'web-tree-sitter';
import type { SinkRule } from './flow.js';
import type { PythonNames } from './python-names.js';

/**
 * The Python calls that run, or unpickle, the value they are given (Bandit B102 exec, B307 eval, B301 pickle, B302
 * marshal, B506 yaml.load, B602–B605 shell), keyed by the callee resolved through imports. `arg`/`keyword` say
 * which argument is dangerous; `needs` is what else must hold for the call to be dangerous at all.
 */
interface SinkSpec {
  rule: SinkRule;
  arg: number;
  keyword: string;
  fix: string;
  /** `shell`: only with `shell=True`; `yaml`: only without a safe Loader; `weights`: only with `weights_only=False`. */
  needs?: 'shell' | 'yaml' | 'weights';
}

export const CODE_FIX = 'parse the value instead of running it: `ast.literal_eval` for Python literals, `json.loads` for data, a dict of allowed functions for actions';
const SHELL_FIX = 'pass an argument list without a shell, `subprocess.run(["ping", host])`, or quote each value with `shlex.quote`';
const PICKLE_FIX = '`json` instead of `pickle` for data that crosses a trust boundary (or verify an HMAC before loading)';

const code = (keyword: string, fix = CODE_FIX): SinkSpec => ({ rule: 'code-injection', arg: 0, keyword, fix });
const shell = (keyword: string, needs?: 'shell'): SinkSpec => ({ rule: 'command-injection', arg: 0, keyword, fix: SHELL_FIX, needs });
const load = (fix = PICKLE_FIX, keyword = 'file'): SinkSpec => ({ rule: 'unsafe-deserialization', arg: 0, keyword, fix });

const SINKS = new Map<string, SinkSpec>([
  ['eval', code('source')],
  ['exec', code('source')],
  ['compile', code('source')],
  ['builtins.eval', code('source')],
  ['builtins.exec', code('source')],
  ['__import__', code('name', 'look the module up in a dict of allowed modules instead of importing a name from input')],
  ['os.system', shell('command')],
  ['os.popen', shell('cmd')],
  ['subprocess.getoutput', shell('cmd')],
  ['subprocess.getstatusoutput', shell('cmd')],
  ['commands.getoutput', shell('cmd')],
  ['commands.getstatusoutput', shell('cmd')],
  ['asyncio.create_subprocess_shell', shell('cmd')],
  ...['run', 'call', 'check_call', 'check_output', 'Popen'].map((f): [string, SinkSpec] => [`subprocess.${f}`, shell('args', 'shell')]),
  ...['pickle', 'cPickle', '_pickle', 'dill'].flatMap((m): [string, SinkSpec][] => [
    [`${m}.load`, load()],
    [`${m}.loads`, load(PICKLE_FIX, 'data')],
    [`${m}.Unpickler`, load()],
  ]),
  ['marshal.load', load('`json` instead of `marshal` (it is not meant for untrusted data)')],
  ['marshal.loads', load('`json` instead of `marshal` (it is not meant for untrusted data)', 'bytes')],
  ['shelve.open', load('`json` or `sqlite3` instead of `shelve`, which unpickles its values', 'filename')],
  ...['load', 'load_all'].map((f): [string, SinkSpec] => [`yaml.${f}`, { ...load('`yaml.safe_load` (or `Loader=yaml.SafeLoader`)', 'stream'), needs: 'yaml' }]),
  ...['unsafe_load', 'unsafe_load_all', 'full_load', 'full_load_all'].map((f): [string, SinkSpec] => [`yaml.${f}`, load('`yaml.safe_load`', 'stream')]),
  ['jsonpickle.decode', load('`json.loads`: jsonpickle rebuilds arbitrary objects', 'string')],
  ['pandas.read_pickle', load('a data format instead of a pickle: `pandas.read_parquet` or `pandas.read_csv`', 'filepath_or_buffer')],
  ['torch.load', { ...load('`torch.load(..., weights_only=True)` or the safetensors format', 'f'), needs: 'weights' }],
]);

/** Every sink's function name, and the modules it may come from (none for a builtin). */
const MODULES_BY_NAME = new Map<string, Set<string>>();
for (const key of SINKS.keys()) {
  const dot = key.lastIndexOf('.');
  const name = key.slice(dot + 1);
  const modules = MODULES_BY_NAME.get(name) ?? new Set<string>();
  if (dot > 0) modules.add(key.slice(0, dot).split('.')[0]!);
  else modules.add('');
  MODULES_BY_NAME.set(name, modules);
}
const SINK_NAMES = new RegExp(`\\b(?:${[...MODULES_BY_NAME.keys()].join('|')})\\b`, 'g');

/**
 * Whether a module's text can hold a sink call at all: a sink's function name must appear, and with it its module's
 * name (an import alias still names the module in its import). Most files fail this, and are not walked.
 */
export function mayCallSink(text: string): boolean {
  const names = new Set(text.match(SINK_NAMES));
  for (const name of names) {
    for (const module of MODULES_BY_NAME.get(name) ?? []) {
      if (module === '' || new RegExp(`\\b${module}\\b`).test(text)) return true;
    }
  }
  return false;
}

const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const UNSAFE_LOADERS = new Set(['Loader', 'CLoader', 'FullLoader', 'CFullLoader', 'UnsafeLoader', 'CUnsafeLoader']);

export interface SinkCall {
  rule: SinkRule;
  callee: string;
  fix: string;
  /** The argument whose value decides the finding (for a shell command given as a list, its first element). */
  argument: Node;
}

/** A keyword argument's value, or the positional argument at `index` (none after a `*args` splat). */
export function argumentOf(args: Node, index: number, keyword: string): Node | undefined {
  let position = 0;
  for (const a of args.namedChildren) {
    if (a.type === 'keyword_argument') {
      if (a.childForFieldName('name')?.text === keyword) return a.childForFieldName('value') ?? undefined;
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      if (index >= position && a.type === 'list_splat') return a;
    } else if (a.type !== 'comment') {
      if (position === index) return a;
      position++;
    }
  }
  return undefined;
}

/** True only for a literal true value: `shell=True`, `shell=1`. A variable is not assumed to be true. */
function literallyTrue(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === 'true') return true;
  return node.type === 'integer' && node.text !== '0';
}

/** The sink a call is, with its dangerous argument; undefined for every other call and for safe uses of a sink. */
export function sinkOf(call: Node, names: PythonNames): SinkCall | undefined {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || args.type !== 'argument_list') return undefined;
  const callee = names.resolve(fn);
  const spec = callee === undefined ? undefined : SINKS.get(callee);
  if (!spec || callee === undefined) return undefined;
  if (fn.type === 'identifier' && !callee.includes('.') && !names.isBuiltin(callee)) return undefined;
  let argument = argumentOf(args, spec.arg, spec.keyword);
  if (!argument) return undefined;
  if (spec.needs === 'shell') {
    if (!literallyTrue(argumentOf(args, -1, 'shell'))) return undefined;
    // With a shell, a sequence's first item is the command line; the rest are the shell's own $0, $1, ….
    if (argument.type === 'list' || argument.type === 'tuple') argument = argument.namedChildren.find((c) => c.type !== 'comment');
    if (!argument) return undefined;
  }
  if (spec.needs === 'yaml' && !unsafeLoader(argumentOf(args, 1, 'Loader'), names)) return undefined;
  if (spec.needs === 'weights' && argumentOf(args, -1, 'weights_only')?.type !== 'false') return undefined;
  return { rule: spec.rule, callee, fix: spec.fix, argument };
}

/**
 * `yaml.load` without a Loader is Bandit's B506 (PyYAML before 5.1 loaded arbitrary objects by default, and 5.1–5.3
 * still did through FullLoader). A known safe Loader is safe; a known unsafe one is not; a project's own Loader class
 * is not judged (it usually extends SafeLoader).
 */
function unsafeLoader(loader: Node | undefined, names: PythonNames): boolean {
  if (!loader) return true;
  const resolved = names.resolve(loader);
  const name = resolved?.split('.').pop();
  if (resolved === undefined || name === undefined || SAFE_LOADERS.has(name)) return false;
  // `awxkit.yaml_file.Loader` is a project's class that happens to be called Loader (usually a SafeLoader).
  return resolved.startsWith('yaml.') && UNSAFE_LOADERS.has(name);
}
