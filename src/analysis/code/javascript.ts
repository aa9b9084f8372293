import type { Node } from 'web-tree-sitter';
import { spanOf, type CodeFlow } from './flow.js';
import { JS_GLOBALS, JS_SINKS, SAFE_YAML_SCHEMA, type SinkSpec } from './js-sinks.js';
import { CONST, join, quote, Scope, sourceKind, UNKNOWN, valueOf, withStep, type Binding, type Value } from './js-values.js';

const FUNCTIONS = new Set([
  'function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'generator_function', 'arrow_function', 'method_definition',
]);
/** Allow-list checks: `ALLOWED.includes(x)`, `allowed.has(x)`, `/^[a-z]+$/.test(x)` vet `x` for the rest of the function. */
const GUARDS = new Set(['includes', 'has', 'test']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'global', 'self']);

/**
 * The JavaScript/TypeScript analyser: every call of a sink (see js-sinks.ts) whose argument is not constant, with the
 * source that reaches it when one does within the function (or from the handler's own parameters). One pass in
 * document order over the tree, with an explicit stack (never recursion: hostile input nests 20,000 deep); names are
 * bound per function, so a value assigned before the call is known at the call.
 */
export function analyseJavaScript(root: Node): CodeFlow[] {
  const flows: CodeFlow[] = [];
  const stack: [Node, Scope][] = [[root, new Scope()]];
  while (stack.length > 0) {
    const [node, scope] = stack.pop()!;
    let inner = scope;
    switch (node.type) {
      case 'import_statement':
        bindImport(node, scope);
        break;
      case 'variable_declarator': {
        const value = node.childForFieldName('value');
        const name = node.childForFieldName('name');
        if (value && name) bindPattern(name, scope, valueOf(value, scope), moduleOf(value, scope), chainBinding(value, scope));
        break;
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression':
        assign(node, scope);
        break;
      case 'binary_expression':
        if (node.childForFieldName('operator')?.text === 'in') vet(node.childForFieldName('left'), scope);
        break;
      case 'call_expression':
      case 'new_expression': {
        guard(node, scope);
        const flow = sinkFlow(node, scope);
        if (flow) flows.push(flow);
        break;
      }
      default:
        if (FUNCTIONS.has(node.type)) {
          const name = node.type === 'function_declaration' ? node.childForFieldName('name') : null;
          if (name) scope.vars.set(name.text, { value: { kind: 'unknown', fn: true } });
          inner = new Scope(scope);
          bindParams(node, inner);
        }
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) stack.push([child, inner]);
    }
  }
  return flows;
}

const normalise = (module: string): string => module.replace(/^node:/, '');
const stringOf = (node: Node | null | undefined): string | undefined =>
  node?.type === 'string' ? node.text.slice(1, -1) : node?.type === 'template_string' && node.namedChildCount <= 1 ? node.text.slice(1, -1) : undefined;

/** The module an expression is: `require('child_process')`, `require('vm').Script`, `promisify(cp.exec)`, `await import('vm')`. */
function moduleOf(node: Node | null, scope: Scope, depth = 0): string | undefined {
  if (!node || depth > 8) return undefined;
  switch (node.type) {
    case 'identifier':
      return scope.lookup(node.text)?.module;
    case 'await_expression':
    case 'parenthesized_expression':
      return moduleOf(node.namedChild(0), scope, depth + 1);
    case 'member_expression': {
      const m = moduleOf(node.childForFieldName('object'), scope, depth + 1);
      const prop = node.childForFieldName('property')?.text;
      return m && prop ? (prop === 'default' ? m : `${m}.${prop}`) : undefined;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      const arg = node.childForFieldName('arguments')?.namedChild(0);
      if ((fn?.type === 'identifier' && fn.text === 'require' && !scope.lookup('require')) || fn?.type === 'import') {
        const name = stringOf(arg);
        return name === undefined ? undefined : normalise(name);
      }
      // promisify keeps what the function runs: `promisify(exec)` still runs a shell
      if (fn && /^(util\.)?promisify$/.test(fn.text)) return moduleOf(arg ?? null, scope, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

function bindImport(node: Node, scope: Scope): void {
  const from = stringOf(node.childForFieldName('source'));
  const clause = node.namedChildren.find((c) => c.type === 'import_clause');
  if (from === undefined || !clause) return;
  const module = normalise(from);
  for (const part of clause.namedChildren) {
    if (part.type === 'identifier') scope.vars.set(part.text, { value: UNKNOWN, module });
    else if (part.type === 'namespace_import') {
      const id = part.namedChild(0);
      if (id) scope.vars.set(id.text, { value: UNKNOWN, module });
    } else if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        const name = spec.childForFieldName('name');
        const local = spec.childForFieldName('alias') ?? name;
        if (name && local) scope.vars.set(local.text, { value: UNKNOWN, module: name.text === 'default' ? module : `${module}.${name.text}` });
      }
    }
  }
}

/** What a destructured right-hand side reads from, when it is a handler parameter (`const { query } = req`). */
interface ChainBinding {
  name: string;
  binding: Binding | undefined;
  path: string[];
}

function chainBinding(value: Node, scope: Scope): ChainBinding | undefined {
  if (value.type !== 'identifier' && value.type !== 'member_expression') return undefined;
  const parts = value.text.split('.');
  if (!parts.every((p) => /^[\w$]+$/.test(p))) return undefined;
  return { name: parts[0]!, binding: scope.lookup(parts[0]!), path: parts.slice(1) };
}

/** Binds the names of `const <pattern> = value` (identifiers, object and array destructuring, defaults). */
function bindPattern(pattern: Node, scope: Scope, value: Value, module: string | undefined, chain: ChainBinding | undefined, depth = 0): void {
  if (depth > 16) return;
  const bindName = (id: Node, v: Value, m: string | undefined, how: string) =>
    scope.vars.set(id.text, { value: withStep(v, { at: spanOf(id), label: `${how} \`${id.text}\`` }), ...(m ? { module: m } : {}) });
  const member = (key: string, id: Node): [Value, string | undefined, ChainBinding | undefined] => {
    const sub = chain && { ...chain, path: [...chain.path, key] };
    const kind = sub && sourceKind(sub.name, sub.binding, sub.path);
    const v: Value = kind ? { kind: 'tainted', steps: [{ at: spanOf(id), label: `${kind} \`${[sub.name, ...sub.path].join('.')}\`` }] } : value;
    return [v, module && `${module}.${key}`, sub];
  };
  switch (pattern.type) {
    case 'identifier':
      bindName(pattern, value, module, depth === 0 ? 'assigned to' : 'destructured into');
      return;
    case 'object_pattern':
      for (const p of pattern.namedChildren) {
        if (p.type === 'shorthand_property_identifier_pattern') {
          const [v, m] = member(p.text, p);
          bindName(p, v, m, 'destructured into');
        } else if (p.type === 'pair_pattern') {
          const key = p.childForFieldName('key');
          const inner = p.childForFieldName('value');
          if (!key || !inner) continue;
          const [v, m, sub] = member(stringOf(key) ?? key.text, key);
          bindPattern(inner.type === 'assignment_pattern' ? inner.childForFieldName('left') ?? inner : inner, scope, v, m, sub, depth + 1);
        } else if (p.type === 'object_assignment_pattern') {
          const left = p.childForFieldName('left');
          if (left) {
            const [v, m] = member(left.text, left);
            bindName(left, join([v, valueOf(p.childForFieldName('right'), scope)]), m, 'destructured into');
          }
        } else if (p.type === 'rest_pattern' && p.namedChild(0)) bindName(p.namedChild(0)!, value, undefined, 'destructured into');
      }
      return;
    case 'array_pattern':
      for (const p of pattern.namedChildren) bindPattern(p.type === 'assignment_pattern' ? p.childForFieldName('left') ?? p : p, scope, value, undefined, undefined, depth + 1);
      return;
    case 'rest_pattern':
      if (pattern.namedChild(0)) bindPattern(pattern.namedChild(0)!, scope, value, undefined, undefined, depth + 1);
      return;
  }
}

function bindParams(fn: Node, scope: Scope): void {
  const single = fn.childForFieldName('parameter');
  const params = single ? [single] : (fn.childForFieldName('parameters')?.namedChildren ?? []);
  for (let p of params) {
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') p = p.childForFieldName('pattern') ?? p;
    if (p.type === 'assignment_pattern') p = p.childForFieldName('left') ?? p;
    if (p.type === 'identifier') scope.vars.set(p.text, { value: UNKNOWN, param: true });
    else bindPattern(p, scope, UNKNOWN, undefined, undefined, 1);
  }
}

function assign(node: Node, scope: Scope): void {
  const left = node.childForFieldName('left');
  if (left?.type !== 'identifier') return;
  const old = scope.lookup(left.text);
  const value = withStep(valueOf(node.childForFieldName('right'), scope), { at: spanOf(left), label: `assigned to \`${left.text}\`` });
  const next: Binding = { value: old && !old.module ? join([value, old.value]) : value };
  (old ? findScope(scope, left.text) : scope).vars.set(left.text, next);
}

function findScope(scope: Scope, name: string): Scope {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s;
  return scope;
}

function vet(node: Node | null, scope: Scope): void {
  if (node && (node.type === 'identifier' || node.type === 'member_expression')) scope.safe.add(node.text);
}

function guard(call: Node, scope: Scope): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'member_expression' || !GUARDS.has(fn.childForFieldName('property')?.text ?? '')) return;
  vet(call.childForFieldName('arguments')?.namedChild(0) ?? null, scope);
}

/** The sink a call resolves to: `cp.exec` with `cp = require('child_process')` is `child_process.exec`. */
function calleeOf(fn: Node | null, scope: Scope): string | undefined {
  if (!fn) return undefined;
  if (fn.type === 'identifier') {
    const b = scope.lookup(fn.text);
    if (b) return b.module;
    return JS_GLOBALS.has(fn.text) ? fn.text : undefined;
  }
  if (fn.type !== 'member_expression') return undefined;
  const object = fn.childForFieldName('object');
  const prop = fn.childForFieldName('property')?.text;
  if (!object || !prop) return undefined;
  if (object.type === 'identifier' && GLOBAL_OBJECTS.has(object.text) && !scope.lookup(object.text)) return JS_GLOBALS.has(prop) ? prop : undefined;
  const m = moduleOf(object, scope);
  return m && `${m}.${prop}`;
}

function sinkFlow(call: Node, scope: Scope): CodeFlow | undefined {
  const constructs = call.type === 'new_expression';
  const callee = calleeOf(call.childForFieldName(constructs ? 'constructor' : 'function'), scope);
  const spec = callee === undefined ? undefined : JS_SINKS.get(callee);
  if (!callee || !spec || (spec.constructs && !constructs)) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const value = argumentValue(spec, args, scope);
  if (value.kind === 'const' || value.kind === 'safe') return undefined;
  const at = spanOf(call);
  const sink = { at, label: `reaches \`${callee}\`` };
  if (value.kind === 'tainted') return { rule: spec.rule, sink: { at, callee }, source: value.steps[0]!, steps: [...value.steps, sink], fix: spec.fix };
  const shown = args.find((a) => !/^(const|safe)$/.test(valueOf(a, scope).kind)) ?? args[0] ?? call;
  return { rule: spec.rule, sink: { at, callee }, steps: [{ at, label: `\`${callee}\` with a non-constant argument ${quote(shown)}` }], fix: spec.fix };
}

function argumentValue(spec: SinkSpec, args: readonly Node[], scope: Scope): Value {
  const [first, second] = args;
  if (!first) return CONST;
  if (spec.args === 'all') return join(args.map((a) => valueOf(a, scope)));
  if (spec.args === 'shell') {
    const shell = args.some((a) => a.type === 'object' && a.namedChildren.some((p) => p.type === 'pair' && keyOf(p) === 'shell' && isTruthy(p.childForFieldName('value'))));
    if (!shell) return CONST;
    return join([first, second?.type === 'object' ? null : second].map((a) => (a ? valueOf(a, scope) : CONST)));
  }
  if (spec.yaml && second?.type === 'object' && SAFE_YAML_SCHEMA.test(second.text)) return CONST;
  const value = valueOf(first, scope);
  // a timer given a name of unknown value is almost always given a function
  if (spec.stringOnly && value.kind === 'unknown' && (value.fn || !/^(template_string|binary_expression|string)$/.test(first.type))) return CONST;
  return value;
}

const keyOf = (pair: Node): string | undefined => {
  const key = pair.childForFieldName('key');
  return key ? (stringOf(key) ?? key.text) : undefined;
};

/** `shell: true`, `shell: '/bin/bash'`, `shell: useShell`: anything but a literal false value. */
const isTruthy = (value: Node | null): boolean => !!value && !/^(false|null|undefined|0|''|"")$/.test(value.text);
