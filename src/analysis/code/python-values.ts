import type { Node } from 'web-tree-sitter';
import { spanOf } from './flow.js';
import { snippet, type PythonNames } from './python-names.js';
import { join, SAFE, UNKNOWN, withStep, type Scope, type Value } from './python-scope.js';
import { attributeSource, callSource } from './python-sources.js';

/** Calls whose result cannot carry a command or code, whatever they are given (sanitisers and converters). */
const SANITISERS = new Set([
  'int', 'float', 'bool', 'complex', 'len', 'abs', 'round', 'ord', 'hash', 'id', 'isinstance', 'type',
  'shlex.quote', 'shlex.join', 'pipes.quote', 'werkzeug.utils.secure_filename', 'os.path.exists', 'os.path.isfile', 'os.path.isdir',
]);
const SANITISER_MODULES = /^(uuid|hashlib|hmac)\./;
/** Calls whose result is not the input they are given: a file opened by a name is the file's content, not the name. */
const OPAQUE = new Set(['open', 'io.open', 'codecs.open', 'os.getenv', 'os.environ.get']);
/** Methods that look a key up: the result comes from the container (an allow-list dict), not from the key. */
const LOOKUPS = new Set(['get', 'index', 'count', 'startswith', 'endswith', 'isdigit', 'isalnum', 'isalpha', 'isnumeric']);
const STEP_METHODS: Readonly<Record<string, string>> = { format: '`.format`', join: '`.join`' };

/** Expressions nest as deep as the input: past this depth a value is `unknown` (a finding without a source). */
const MAX_DEPTH = 32;

export interface Context {
  names: PythonNames;
  scope: Scope;
}

const at = (node: Node, what: string) => ({ at: spanOf(node), label: what });

/** The key an assignable expression is tracked by: `x`, `self.cmd`; other targets are not tracked. */
export function keyOf(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute' || node.endIndex - node.startIndex > 80) return undefined;
  return /^[A-Za-z_][\w.]*$/.test(node.text) ? node.text : undefined;
}

/** What the expression `node` can hold in the current scope. */
export function valueOf(node: Node, ctx: Context, depth = 0): Value {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const next = (n: Node | null | undefined): Value => (n ? valueOf(n, ctx, depth + 1) : UNKNOWN);
  const all = (ns: readonly Node[]): Value => join(ns.filter((n) => n.type !== 'comment').map(next));
  switch (node.type) {
    case 'integer': case 'float': case 'true': case 'false': case 'none': case 'ellipsis':
    case 'comparison_operator': case 'not_operator': case 'lambda':
      return node.type === 'lambda' ? UNKNOWN : SAFE;
    case 'string': {
      const parts = node.namedChildren.filter((c) => c.type === 'interpolation').map((c) => next(c.childForFieldName('expression')));
      return withStep(join(parts), at(node, 'f-string'));
    }
    case 'concatenated_string': case 'parenthesized_expression': case 'tuple': case 'list': case 'set':
    case 'expression_list': case 'boolean_operator': case 'pair': case 'dictionary':
      return all(node.namedChildren);
    case 'conditional_expression':
      return join([next(node.namedChildren[0]), next(node.namedChildren[2])]);
    case 'await': case 'unary_operator': case 'list_splat': case 'dictionary_splat': case 'keyword_argument':
      return next(node.childForFieldName('value') ?? node.childForFieldName('argument') ?? node.namedChildren[node.namedChildren.length - 1]);
    case 'named_expression':
      return next(node.childForFieldName('value'));
    case 'assignment':
      return next(node.childForFieldName('right'));
    case 'binary_operator':
      return binary(node, ctx, depth);
    case 'identifier':
      return ctx.scope.get(node.text) ?? UNKNOWN;
    case 'attribute': {
      const source = attributeSource(node, ctx.names, ctx.scope);
      if (source) return { kind: 'tainted', source, steps: [source] };
      const key = keyOf(node);
      const bound = key === undefined ? undefined : ctx.scope.get(key);
      if (bound) return bound;
      const object = next(node.childForFieldName('object'));
      return object.kind === 'tainted' ? object : UNKNOWN;
    }
    case 'subscript':
      // A lookup in a constant table is the table's value, whatever the key: `COMMANDS[request.args["c"]]` is safe.
      return next(node.childForFieldName('value'));
    case 'call':
      return call(node, ctx, depth);
    case 'list_comprehension': case 'set_comprehension': case 'generator_expression': case 'dictionary_comprehension':
      return comprehension(node, ctx, depth);
    default:
      return UNKNOWN;
  }
}

/** `a + b + c …` nests to the left as deep as the chain is long: walk the left spine in a loop. */
function binary(node: Node, ctx: Context, depth: number): Value {
  const operands: Node[] = [];
  let cur: Node = node;
  let op = '';
  while (cur.type === 'binary_operator') {
    op = cur.childForFieldName('operator')?.type ?? op;
    const right = cur.childForFieldName('right');
    if (right) operands.push(right);
    const left = cur.childForFieldName('left');
    if (!left) break;
    cur = left;
  }
  operands.push(cur);
  const value = join(operands.map((o) => valueOf(o, ctx, depth + 1)));
  return withStep(value, at(node, op === '%' ? '`%` formatting' : op === '+' ? 'concatenation' : `\`${op}\``));
}

function call(node: Node, ctx: Context, depth: number): Value {
  const source = callSource(node, ctx.names, ctx.scope);
  if (source) return { kind: 'tainted', source, steps: [source] };
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!fn) return UNKNOWN;
  const name = ctx.names.resolve(fn);
  if (name !== undefined && (SANITISERS.has(name) || SANITISER_MODULES.test(name)) && (fn.type !== 'identifier' || ctx.names.isBuiltin(name) || name.includes('.'))) return SAFE;
  if (name !== undefined && OPAQUE.has(name)) return UNKNOWN;
  const argList = !args ? [] : args.type === 'argument_list' ? args.namedChildren.filter((c) => c.type !== 'comment') : [args];
  const argValues = argList.map((a) => valueOf(a, ctx, depth + 1));
  const through = (value: Value): Value => (value.kind === 'tainted' ? withStep(value, at(node, `through \`${snippet(fn)}()\``)) : value);
  if (fn.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = valueOf(fn.childForFieldName('object')!, ctx, depth + 1);
    // A lookup answers from the container (an allow-list dict), whatever the key; the predicates answer a bool.
    if (LOOKUPS.has(method)) return method !== 'get' || convertsToNumber(args) ? SAFE : receiver;
    const value = join([receiver, ...argValues]);
    const stepLabel = STEP_METHODS[method];
    if (stepLabel) return withStep(value, at(node, stepLabel));
    // `x.strip()`, `request.args.get("h")`: a method of a tainted value hands on its taint; a function given input
    // (`base64.b64decode(request.data)`) hands it on too.
    return receiver.kind === 'tainted' ? receiver : through(value);
  }
  const value = join(argValues);
  if (name === 'str' || name === 'repr' || name === 'bytes') return value;
  // Any other function's result is not a constant, and carries the input it is given.
  return value.kind === 'tainted' ? through(value) : UNKNOWN;
}

/** `request.args.get("n", type=int)`: Flask converts the value (and drops what does not convert). */
function convertsToNumber(args: Node | null): boolean {
  const type = args?.namedChildren.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'type');
  return /^(int|float|bool)$/.test(type?.childForFieldName('value')?.text ?? '');
}

/** `[f(x) for x in xs if …]`: the loop variables take the iterable's value while the body is read. */
function comprehension(node: Node, ctx: Context, depth: number): Value {
  const restore: (() => void)[] = [];
  for (const clause of node.namedChildren) {
    if (clause.type !== 'for_in_clause') continue;
    const value = valueOf(clause.childForFieldName('right') ?? clause, ctx, depth + 1);
    for (const target of clause.childrenForFieldName('left')) {
      for (const id of target.type === 'identifier' ? [target] : target.namedChildren.filter((c) => c.type === 'identifier')) {
        restore.push(ctx.scope.override(id.text, value));
      }
    }
  }
  const body = node.childForFieldName('body');
  const value = body ? valueOf(body, ctx, depth + 1) : UNKNOWN;
  for (const r of restore.reverse()) r();
  return value;
}
