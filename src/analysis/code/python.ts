import type { Node } from 'web-tree-sitter';
import { spanOf, type CodeFlow } from './flow.js';
import { allowListChecks, augmentedValue, bindTarget, exitsEarly, type Walk } from './python-bind.js';
import { PythonNames } from './python-names.js';
import { SAFE, Scope, UNKNOWN, withStep, type Value } from './python-scope.js';
import { CODE_FIX, sinkOf } from './python-sinks.js';
import { flaskConverters, isRouteDecorator, routeParameter, sourceStep } from './python-sources.js';
import { valueOf } from './python-values.js';

/** Work per file is bounded: a tree bigger than this many nodes is read up to here (a 2 MiB file has ~1M nodes). */
const MAX_NODES = 2_000_000;
/** Flows per file: past this, more of the same tells a reader nothing new. */
const MAX_FLOWS = 200;

/**
 * The Python analyser: every sink call in one module's tree (`eval`, `os.system`, `subprocess.run(..., shell=True)`,
 * `pickle.loads`, `yaml.load`, …) whose argument is not constant, with the input that reaches it when one does within
 * the same function (Flask/Django/Starlette request data, routed handler parameters, `sys.argv`, `input()`).
 *
 * One walk in source order, with an explicit stack (no recursion over statements: input nests 20,000 deep).
 * Variables are tracked per function, flow-sensitively: an assignment replaces a value on every path after it unless
 * it sits in a nested branch, where the worse value stays. Out of reach: calls into other functions (their results
 * are `unknown` unless given input), attributes and containers beyond `self.x` and whole-container taint, global
 * state, `from m import *`, and guards other than an allow-list membership test. The caller prefilters the text with
 * `mayCallSink` (src/parsers/code.ts) before parsing, so a module that names no sink never reaches here.
 */
export function analysePython(root: Node): CodeFlow[] {
  const names = new PythonNames();
  const walk: Walk = { names, scope: new Scope(), flows: [] };
  const stack: (Node | (() => void))[] = [root];
  let budget = MAX_NODES;
  while (stack.length > 0 && walk.flows.length < MAX_FLOWS) {
    const item = stack.pop()!;
    if (typeof item === 'function') {
      item();
      continue;
    }
    if (--budget < 0) break;
    visit(item, walk, stack);
  }
  return walk.flows;
}

function pushChildren(stack: (Node | (() => void))[], children: readonly Node[]): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
}

function visit(node: Node, walk: Walk, stack: (Node | (() => void))[]): void {
  const { scope } = walk;
  switch (node.type) {
    case 'import_statement': case 'import_from_statement':
      walk.names.addImport(node);
      return;
    case 'function_definition':
      enterFunction(node, walk, stack);
      return;
    case 'class_definition':
      if (atModuleLevel(node)) walk.names.shadow(node.childForFieldName('name')?.text ?? '');
      break;
    case 'block':
      scope.enterBlock();
      stack.push(() => scope.leaveBlock());
      break;
    case 'call': case 'exec_statement':
      checkSink(node, walk);
      break;
    case 'assignment': case 'augmented_assignment': case 'named_expression':
      // After the right-hand side's own calls are checked, with the values from before the assignment.
      stack.push(() => assign(node, walk));
      break;
    case 'for_statement':
      bindLoop(node, walk);
      break;
    case 'list_comprehension': case 'set_comprehension': case 'dictionary_comprehension': case 'generator_expression':
    {
      // The body comes first in the tree but runs after its `for` clauses have bound their variables, which live
      // only inside the comprehension.
      const restore: (() => void)[] = [];
      for (const clause of node.namedChildren) if (clause.type === 'for_in_clause') restore.push(...bindLoop(clause, walk, true));
      stack.push(() => restore.reverse().forEach((r) => r()));
      break;
    }
    case 'with_item': {
      const item = node.childForFieldName('value');
      const alias = item?.type === 'as_pattern' ? item.childForFieldName('alias')?.namedChildren[0] : undefined;
      if (item && alias) bindTarget(alias, undefined, valueOf(item.namedChildren[0]!, walk), walk);
      break;
    }
    case 'if_statement':
      guardedIf(node, walk, stack);
      return;
  }
  pushChildren(stack, node.namedChildren);
}

/**
 * `for x in xs` (a statement, or a comprehension's clause when `local`): `x` takes what `xs` holds. A comprehension's
 * names are set aside, and the returned functions put back what they hid.
 */
function bindLoop(node: Node, walk: Walk, local = false): (() => void)[] {
  const right = node.childForFieldName('right');
  const value = withStep(right ? valueOf(right, walk) : UNKNOWN, { at: spanOf(node), label: 'loop over it' });
  const targets = node.childrenForFieldName('left');
  if (!local) {
    for (const t of targets) bindTarget(t, undefined, value, walk);
    return [];
  }
  const ids = targets.flatMap((t) => (t.type === 'identifier' ? [t] : t.namedChildren.filter((c) => c.type === 'identifier')));
  return ids.map((id) => walk.scope.override(id.text, value));
}

function atModuleLevel(node: Node): boolean {
  const parent = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  return parent?.type === 'module';
}

/**
 * A function gets its own scope (seeing the enclosing one as it is here). A routed handler's parameters are input,
 * except those the framework fills (`Request`, `Depends(...)`) or validates into numbers; a parameter named
 * `request` (or typed `Request`/`HttpRequest`) is the request object whose data are input.
 */
function enterFunction(node: Node, walk: Walk, stack: (Node | (() => void))[]): void {
  const name = node.childForFieldName('name')?.text ?? '';
  if (atModuleLevel(node)) walk.names.shadow(name);
  const decorators = node.parent?.type === 'decorated_definition' ? node.parent.namedChildren.filter((c) => c.type === 'decorator') : [];
  const routed = decorators.some(isRouteDecorator);
  const converters = flaskConverters(decorators);
  const params: [string, Value][] = [];
  let requestParam: string | undefined;
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    const param = routeParameter(p, converters);
    if (!param) continue;
    if (param.kind === 'request') requestParam ??= param.name;
    else if (param.kind === 'input' && routed) {
      const id = p.type === 'identifier' ? p : (p.namedChildren.find((c) => c.type === 'identifier') ?? p);
      const source = sourceStep('route parameter', id);
      params.push([param.name, { kind: 'tainted', source, steps: [source] }]);
    } else params.push([param.name, param.kind === 'safe' && routed ? SAFE : UNKNOWN]);
  }
  const outer = walk.scope;
  const inner = new Scope(requestParam, outer);
  for (const [n, v] of params) inner.bind(n, v);
  stack.push(() => (walk.scope = outer));
  const body = node.childForFieldName('body');
  // The body's statements run in the function's own base block, where the parameters are bound.
  if (body) pushChildren(stack, body.namedChildren);
  stack.push(() => (walk.scope = inner));
}

function checkSink(node: Node, walk: Walk): void {
  let sink: ReturnType<typeof sinkOf>;
  if (node.type === 'exec_statement') {
    const code = node.childForFieldName('code');
    sink = code ? { rule: 'code-injection', callee: 'exec', fix: CODE_FIX, argument: code } : undefined;
  } else sink = sinkOf(node, walk.names);
  if (!sink) return;
  const value = valueOf(sink.argument, walk);
  if (value.kind === 'safe') return;
  const at = spanOf(node);
  const step = { at, label: `reaches \`${sink.callee}\`` };
  const flow: CodeFlow = { rule: sink.rule, sink: { at, callee: sink.callee }, steps: [step], fix: sink.fix };
  if (value.kind === 'tainted') {
    flow.source = value.source;
    flow.steps = [...value.steps, step];
  }
  walk.flows.push(flow);
}

function assign(node: Node, walk: Walk): void {
  if (node.type === 'named_expression') {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (name && value) bindTarget(name, value, valueOf(value, walk), walk);
    return;
  }
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return;
  if (node.type === 'augmented_assignment') {
    bindTarget(left, undefined, withStep(augmentedValue(node, walk), { at: spanOf(node), label: `appended to \`${left.text}\`` }), walk);
    return;
  }
  if (atModuleLevel(node.parent ?? node) && left.type === 'identifier') walk.names.shadow(left.text);
  let rhs: Node | null = right;
  // `a = b = v`; a damaged tree can hold `a = b: T` with no value at the end of the chain.
  while (rhs?.type === 'assignment') rhs = rhs.childForFieldName('right');
  if (!rhs) return;
  bindTarget(left, rhs, valueOf(rhs, walk), walk);
}

/**
 * `if x in ALLOWED:` makes `x` safe inside the branch; `if x not in ALLOWED: return` (or `raise`, `abort(…)`) makes it
 * safe after the `if`.
 */
function guardedIf(node: Node, walk: Walk, stack: (Node | (() => void))[]): void {
  const condition = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  const checks = condition ? allowListChecks(condition, walk) : [];
  const inside = checks.filter((c) => !c.negated).map((c) => c.key);
  const after = consequence && exitsEarly(consequence) ? checks.filter((c) => c.negated).map((c) => c.key) : [];
  const scope = walk.scope;
  if (after.length > 0) stack.push(() => after.forEach((k) => scope.override(k, SAFE)));
  const children = node.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    if (child.id === consequence?.id && inside.length > 0) {
      let restore: (() => void)[] = [];
      stack.push(() => restore.reverse().forEach((r) => r()));
      stack.push(child);
      stack.push(() => (restore = inside.map((k) => scope.override(k, SAFE))));
    } else stack.push(child);
  }
}
