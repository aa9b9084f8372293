import type { Node } from 'web-tree-sitter';
import { spanOf, type CodeFlow } from './flow.js';
import { JS_GLOBALS, JS_SINKS, SAFE_YAML_SCHEMA, type SinkSpec } from './js-sinks.js';
import { bindImport, bindParams, bindPattern, chainBinding, moduleOf, stringOf } from './js-bindings.js';
import { CONST, join, quote, Scope, valueOf, withStep, type Binding, type Value } from './js-values.js';

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
