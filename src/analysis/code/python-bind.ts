import type { Node } from 'web-tree-sitter';
import { spanOf, type CodeFlow } from './flow.js';
import type { PythonNames } from './python-names.js';
import { join, withStep, type Scope, type Value } from './python-scope.js';
import { keyOf, valueOf } from './python-values.js';

/** The analyser's state during one walk of a module. */
export interface Walk {
  names: PythonNames;
  scope: Scope;
  flows: CodeFlow[];
}

const assigned = (node: Node, key: string) => ({ at: spanOf(node), label: `assigned to \`${key}\`` });

/**
 * Binds an assignment target to a value: a name or `self.x` directly; a tuple or list of targets pairwise when the
 * right-hand side is a tuple of the same length (`a, b = request.args["a"], "-l"`), else each to the whole value;
 * `d[k] = v` makes `d` carry `v`'s taint (containers are not tracked by key).
 */
export function bindTarget(target: Node, rhs: Node | undefined, value: Value, walk: Walk, depth = 0): void {
  // Targets nest as deep as the input (`((((a))))= …`): deeper than any real unpacking, the rest is not tracked.
  if (depth > 16) return;
  const key = keyOf(target);
  if (key !== undefined) {
    walk.scope.bind(key, withStep(value, assigned(target, key)));
    return;
  }
  switch (target.type) {
    case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'tuple': case 'list': {
      const targets = target.namedChildren.filter((c) => c.type !== 'comment');
      const values = rhs && ['expression_list', 'tuple', 'list'].includes(rhs.type) ? rhs.namedChildren.filter((c) => c.type !== 'comment') : undefined;
      const pairwise = values && values.length === targets.length && !values.some((v) => v.type === 'list_splat');
      targets.forEach((t, i) => bindTarget(t, pairwise ? values[i] : undefined, pairwise ? valueOf(values[i]!, walk) : value, walk, depth + 1));
      return;
    }
    case 'list_splat_pattern': case 'parenthesized_expression': case 'as_pattern_target': {
      const inner = target.namedChildren[0];
      if (inner) bindTarget(inner, rhs, value, walk, depth + 1);
      return;
    }
    case 'subscript': {
      const container = target.childForFieldName('value');
      const containerKey = container ? keyOf(container) : undefined;
      if (containerKey !== undefined && value.kind === 'tainted') walk.scope.bind(containerKey, withStep(value, assigned(target, containerKey)));
      return;
    }
  }
}

/** `x += v`: what `x` held, joined with `v`. */
export function augmentedValue(node: Node, walk: Walk): Value {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const key = left ? keyOf(left) : undefined;
  const old = key !== undefined ? walk.scope.get(key) : undefined;
  const added = right ? valueOf(right, walk) : undefined;
  return join([old ?? { kind: 'unknown' }, added ?? { kind: 'unknown' }]);
}

export interface AllowListCheck {
  key: string;
  negated: boolean;
}

/**
 * Membership tests of a tracked variable in a collection that is not itself input: `x in ALLOWED` (safe inside the
 * branch, when every test joined to it by `and` must hold too), `x not in ALLOWED` / `not x in ALLOWED` (safe after a
 * branch that leaves, when any test joined to it by `or` failing leaves).
 */
export function allowListChecks(condition: Node, walk: Walk): AllowListCheck[] {
  const out: AllowListCheck[] = [];
  const pending = [{ node: condition, negated: false, all: true, any: true }];
  // Conditions nest (`a and b and c …`): a loop, bounded.
  for (let guard = 0; pending.length > 0 && guard < 64; guard++) {
    const { node, negated, all, any } = pending.pop()!;
    if (node.type === 'parenthesized_expression' && node.namedChildren[0]) pending.push({ node: node.namedChildren[0], negated, all, any });
    else if (node.type === 'not_operator') {
      const arg = node.childForFieldName('argument');
      if (arg) pending.push({ node: arg, negated: !negated, all, any });
    } else if (node.type === 'boolean_operator') {
      // Under a `not`, `and` means `or` (De Morgan).
      const conjunction = (node.childForFieldName('operator')?.type === 'and') !== negated;
      for (const side of [node.childForFieldName('left'), node.childForFieldName('right')]) {
        if (side) pending.push({ node: side, negated, all: all && conjunction, any: any && !conjunction });
      }
    } else if (node.type === 'comparison_operator') {
      const check = membership(node, walk);
      const n = check ? check.negated !== negated : false;
      if (check && ((!n && all) || (n && any))) out.push({ key: check.key, negated: n });
    }
  }
  return out;
}

function membership(node: Node, walk: Walk): AllowListCheck | undefined {
  const operands = node.namedChildren;
  const operators = node.children.filter((c) => !c.isNamed).map((c) => c.type);
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  const op = operators[0];
  if (op !== 'in' && op !== 'not in') return undefined;
  const key = keyOf(operands[0]!);
  if (key === undefined || valueOf(operands[1]!, walk).kind === 'tainted') return undefined;
  return { key, negated: op === 'not in' };
}

const EXITS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);
const EXIT_CALLS = /(^|\.)(abort|exit|_exit)$/;

/** Whether a branch always leaves: it ends with `return`, `raise`, `continue`, `break`, `abort(…)` or `sys.exit(…)`. */
export function exitsEarly(block: Node): boolean {
  const last = block.namedChildren.filter((c) => c.type !== 'comment').pop();
  if (!last) return false;
  if (EXITS.has(last.type)) return true;
  const call = last.type === 'expression_statement' ? last.namedChildren[0] : undefined;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  return fn !== undefined && fn !== null && EXIT_CALLS.test(fn.text);
}
