import type { Node } from 'web-tree-sitter';
import { shorten } from '../../core/shorten.js';
import { spanOf, type FlowStep } from './flow.js';

/**
 * What the JavaScript analyser knows of an expression's value, within one function: a constant (never reported), a
 * value a sanitiser made safe (`Number(x)`, an allow-list check), one that carries untrusted data from a source (with
 * the steps it took), or unknown. `fn`: a function value (`setTimeout(fn)` runs no string).
 */
export type Value = { kind: 'const' } | { kind: 'safe' } | { kind: 'unknown'; fn?: boolean } | { kind: 'tainted'; steps: FlowStep[] };

export const CONST: Value = { kind: 'const' };
export const SAFE: Value = { kind: 'safe' };
export const UNKNOWN: Value = { kind: 'unknown' };

export interface Binding {
  value: Value;
  /** A parameter of its function: a handler's `req`/`ctx`/`c` is where request data comes from. */
  param?: boolean;
  /** The module (or a member of it) the name is bound to: `child_process`, `child_process.exec`, `js-yaml`. */
  module?: string;
}

/** One function's names (the module is the outermost); `safe` holds the expressions an allow-list check vetted. */
export class Scope {
  readonly vars = new Map<string, Binding>();
  readonly safe = new Set<string>();
  constructor(readonly parent?: Scope) {}

  /** Loops, never recurses: functions nest as deep as hostile input likes. */
  lookup(name: string): Binding | undefined {
    for (const s of outward(this)) {
      const b = s.vars.get(name);
      if (b) return b;
    }
    return undefined;
  }

  isSafe(text: string): boolean {
    for (const s of outward(this)) if (s.safe.has(text)) return true;
    return false;
  }
}

function* outward(scope: Scope): Generator<Scope> {
  for (let s: Scope | undefined = scope; s; s = s.parent) yield s;
}

/** The worst of several values: tainted over unknown over safe over constant. */
export function join(values: readonly Value[]): Value {
  let out: Value = CONST;
  for (const v of values) {
    if (v.kind === 'tainted') return v;
    if (v.kind === 'unknown' || (v.kind === 'safe' && out.kind === 'const')) out = v.kind === 'unknown' ? UNKNOWN : v;
  }
  return out;
}

export function withStep(v: Value, step: FlowStep): Value {
  return v.kind === 'tainted' && v.steps.length < 12 ? { kind: 'tainted', steps: [...v.steps, step] } : v;
}

export const quote = (node: Node): string => `\`${shorten(node.text.replace(/\s+/g, ' '), 60)}\``;

/** Wrappers that keep a string's content (`x.trim()`, `String(x)`); anything else a call returns is unknown. */
const KEEPING_METHODS = new Set([
  'trim', 'trimStart', 'trimEnd', 'toString', 'toLowerCase', 'toUpperCase', 'slice', 'substring', 'substr', 'split', 'join',
  'concat', 'padStart', 'padEnd', 'get', 'getAll', 'at', 'normalize', 'repeat', 'valueOf', 'flat', 'map', 'filter',
]);
const KEEPING_FUNCTIONS = new Set(['String', 'decodeURIComponent', 'decodeURI', 'atob', 'unescape']);
const KEEPING_STATICS = new Set(['Buffer.from', 'path.join', 'path.resolve', 'path.normalize', 'JSON.parse', 'Array.from', 'Object.values']);
/** Calls whose result cannot carry a command or code: numbers, booleans, shell-quoted strings. */
const SANITISERS = new Set(['Number', 'parseInt', 'parseFloat', 'Boolean', 'isNaN', 'quote', 'shellEscape', 'shellescape', 'escapeShellArg']);
const SAFE_OBJECTS = new Set(['Math', 'Number', 'Date']);
const UNWRAP = new Set(['parenthesized_expression', 'await_expression', 'non_null_expression', 'as_expression', 'satisfies_expression', 'type_assertion', 'spread_element']);
const CONSTANT = new Set(['string', 'number', 'true', 'false', 'null', 'undefined', 'regex']);
const FUNCTION = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
/** Evaluation stops this deep (hostile input nests 20,000 levels): what lies beyond is unknown, never a crash. */
const MAX_DEPTH = 64;

/** The root identifier and the property path of `req.query.dir`, `c.req.query('x')` (`()` for a call), outermost last. */
export function chainOf(node: Node): { root: Node; path: string[] } | undefined {
  const path: string[] = [];
  let n: Node | null = node;
  while (n) {
    if (n.type === 'member_expression') {
      path.push(n.childForFieldName('property')?.text ?? '*');
      n = n.childForFieldName('object');
    } else if (n.type === 'subscript_expression') {
      const index = n.childForFieldName('index');
      path.push(index?.type === 'string' ? index.text.slice(1, -1) : '*');
      n = n.childForFieldName('object');
    } else if (n.type === 'call_expression') {
      path.push('()');
      n = n.childForFieldName('function');
    } else if (UNWRAP.has(n.type)) n = n.namedChild(0);
    else break;
    if (path.length > 32) return undefined;
  }
  return n?.type === 'identifier' ? { root: n, path: path.reverse() } : undefined;
}

const REQUEST_PARTS = new Set(['query', 'body', 'params', 'headers', 'cookies', 'signedCookies']);

/**
 * Whether `name.path…` is untrusted input: request data read from a handler's own parameter (Express and Fastify
 * `req`/`request`, Next.js `request.nextUrl.searchParams` and `request.json()`, Koa `ctx.request`, Hono `c.req`) or
 * the command line (`process.argv`). Returns how the message names it.
 */
export function sourceKind(name: string, binding: Binding | undefined, path: readonly string[]): string | undefined {
  const [first, second] = path;
  if (!binding) return name === 'process' && first === 'argv' ? 'command-line argument' : undefined;
  if (!binding.param || first === undefined) return undefined;
  if (name === 'req' || name === 'request') {
    if (REQUEST_PARTS.has(first)) return 'request data';
    if (first === 'nextUrl' && second === 'searchParams') return 'request data';
    if ((first === 'get' || first === 'header' || first === 'param') && second === '()') return 'request data';
    if ((first === 'json' || first === 'text' || first === 'formData') && second === '()') return 'request data';
  }
  if (name === 'ctx' && (first === 'request' || first === 'query' || first === 'params')) return 'request data';
  if (name === 'c' && first === 'req' && second !== undefined) return 'request data';
  return undefined;
}

function sourceOf(node: Node, scope: Scope): Value | undefined {
  const chain = chainOf(node);
  if (!chain) return undefined;
  const name = chain.root.text;
  const kind = sourceKind(name, scope.lookup(name), chain.path);
  if (!kind) return undefined;
  return scope.isSafe(node.text) ? SAFE : { kind: 'tainted', steps: [{ at: spanOf(node), label: `${kind} ${quote(node)}` }] };
}

/** The value of an expression in `scope` (recursion bounded by MAX_DEPTH). */
export function valueOf(node: Node | null, scope: Scope, depth = 0): Value {
  if (!node || depth > MAX_DEPTH) return UNKNOWN;
  const next = (n: Node | null): Value => valueOf(n, scope, depth + 1);
  const all = (nodes: readonly (Node | null)[]): Value => join(nodes.map(next));
  const t = node.type;
  if (CONSTANT.has(t)) return CONST;
  if (FUNCTION.has(t)) return { kind: 'unknown', fn: true };
  if (UNWRAP.has(t)) return next(node.namedChild(0));
  switch (t) {
    case 'template_string':
      return all(node.namedChildren.filter((c) => c.type === 'template_substitution').map((c) => c.namedChild(0)));
    case 'identifier': {
      if (scope.isSafe(node.text)) return SAFE;
      const b = scope.lookup(node.text);
      if (b) return b.module ? UNKNOWN : b.value;
      return node.text === 'undefined' ? CONST : UNKNOWN;
    }
    case 'member_expression':
    case 'subscript_expression': {
      const src = sourceOf(node, scope);
      if (src) return src;
      const obj = next(node.childForFieldName('object'));
      return obj.kind === 'tainted' ? obj : obj.kind === 'const' ? CONST : obj.kind === 'safe' ? SAFE : UNKNOWN;
    }
    case 'call_expression':
      return callValue(node, scope, next, all);
    case 'new_expression': {
      const ctor = node.childForFieldName('constructor')?.text;
      return ctor === 'String' ? all(node.childForFieldName('arguments')?.namedChildren ?? []) : UNKNOWN;
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      if (op === '+' || op === '||' || op === '??' || op === '&&') return all([node.childForFieldName('left'), node.childForFieldName('right')]);
      return SAFE;
    }
    case 'ternary_expression':
      return all([node.childForFieldName('consequence'), node.childForFieldName('alternative')]);
    case 'array':
      return all(node.namedChildren);
    case 'object':
      return all(node.namedChildren.map((p) => (p.type === 'pair' ? p.childForFieldName('value') : p)));
    case 'shorthand_property_identifier':
      return scope.lookup(node.text)?.value ?? UNKNOWN;
    case 'assignment_expression':
      return next(node.childForFieldName('right'));
    case 'sequence_expression':
      return next(node.namedChild(node.namedChildCount - 1));
    case 'unary_expression':
    case 'update_expression':
      return SAFE;
    default:
      return UNKNOWN;
  }
}

function callValue(node: Node, scope: Scope, next: (n: Node | null) => Value, all: (n: readonly (Node | null)[]) => Value): Value {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  if (!fn || args?.type !== 'arguments') return UNKNOWN;
  const src = sourceOf(node, scope);
  if (src) return src;
  if (fn.type === 'identifier') {
    if (SANITISERS.has(fn.text)) return SAFE;
    if (KEEPING_FUNCTIONS.has(fn.text) && !scope.lookup(fn.text)) return all(args.namedChildren);
    return UNKNOWN;
  }
  if (fn.type !== 'member_expression') return UNKNOWN;
  const object = fn.childForFieldName('object');
  const method = fn.childForFieldName('property')?.text ?? '';
  if (object?.type === 'identifier' && SAFE_OBJECTS.has(object.text)) return SAFE;
  if (SANITISERS.has(method)) return SAFE;
  if (KEEPING_STATICS.has(`${object?.text}.${method}`)) return all(args.namedChildren);
  if (!KEEPING_METHODS.has(method)) return UNKNOWN;
  return join([next(object), all(args.namedChildren)]);
}
