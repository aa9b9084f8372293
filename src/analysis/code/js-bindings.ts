import type { Node } from 'web-tree-sitter';
import { spanOf } from './flow.js';
import { join, sourceKind, UNKNOWN, valueOf, withStep, type Binding, type Scope, type Value } from './js-values.js';

/**
 * How the JavaScript analyser binds names: imports and `require`s to the module (or member) they stand for, so that
 * `cp.exec` and `run` resolve to `child_process.exec`; declarations and destructuring to the value assigned, with the
 * request data a handler's parameter holds (`const { query } = req`); parameters as parameters.
 */
export const normalise = (module: string): string => module.replace(/^node:/, '');
export const stringOf = (node: Node | null | undefined): string | undefined =>
  node?.type === 'string' ? node.text.slice(1, -1) : node?.type === 'template_string' && node.namedChildCount <= 1 ? node.text.slice(1, -1) : undefined;

/** The module an expression is: `require('child_process')`, `require('vm').Script`, `promisify(cp.exec)`, `await import('vm')`. */
export function moduleOf(node: Node | null, scope: Scope, depth = 0): string | undefined {
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

export function bindImport(node: Node, scope: Scope): void {
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
export interface ChainBinding {
  name: string;
  binding: Binding | undefined;
  path: string[];
}

export function chainBinding(value: Node, scope: Scope): ChainBinding | undefined {
  if (value.type !== 'identifier' && value.type !== 'member_expression') return undefined;
  const parts = value.text.split('.');
  if (!parts.every((p) => /^[\w$]+$/.test(p))) return undefined;
  return { name: parts[0]!, binding: scope.lookup(parts[0]!), path: parts.slice(1) };
}

/** Binds the names of `const <pattern> = value` (identifiers, object and array destructuring, defaults). */
export function bindPattern(pattern: Node, scope: Scope, value: Value, module: string | undefined, chain: ChainBinding | undefined, depth = 0): void {
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

export function bindParams(fn: Node, scope: Scope): void {
  const single = fn.childForFieldName('parameter');
  const params = single ? [single] : (fn.childForFieldName('parameters')?.namedChildren ?? []);
  for (let p of params) {
    const decorated = requestDecorator(p);
    if (p.type === 'required_parameter' || p.type === 'optional_parameter') p = p.childForFieldName('pattern') ?? p;
    if (decorated && p.type === 'identifier') {
      scope.vars.set(p.text, { value: { kind: 'tainted', steps: [{ at: spanOf(p), label: `request data \`${decorated} ${p.text}\`` }] }, param: true });
      continue;
    }
    if (p.type === 'assignment_pattern') p = p.childForFieldName('left') ?? p;
    if (p.type === 'identifier') scope.vars.set(p.text, { value: UNKNOWN, param: true });
    else bindPattern(p, scope, UNKNOWN, undefined, undefined, 1);
  }
}

/**
 * NestJS's request decorators: a parameter declared `@Query('dir') dir` or `@Body() body` holds request data. (`@Req()
 * req` is the whole request, read like any handler's `req`: `req.user` is set by the server, not sent.)
 */
const REQUEST_DECORATORS = new Set(['Query', 'Body', 'Param', 'Headers']);

function requestDecorator(param: Node): string | undefined {
  const decorator = param.childForFieldName('decorator');
  const call = decorator?.namedChild(0);
  const name = call?.type === 'call_expression' ? call.childForFieldName('function')?.text : undefined;
  return name && REQUEST_DECORATORS.has(name) ? `@${call!.text}` : undefined;
}
