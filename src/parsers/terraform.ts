import type { Node } from 'web-tree-sitter';
import { spanOf } from '../analysis/code/flow.js';
import type { Notice, Span } from '../core/types.js';
import { grammarForPath, withTree } from './tree-sitter.js';

/**
 * A Terraform file (`.tf`, HCL native syntax) as the network rules read it: its blocks with their attributes, each value
 * lowered to a literal where it is one and to a reference (`local.x`, `var.x`) or `unknown` otherwise, all with spans.
 * Nothing is evaluated: a function call, a `for` expression, an interpolated string or any other reference stays
 * `unknown`, and the rules lower their confidence on it rather than guess (see analysis/network/terraform-values.ts,
 * which resolves `local.x` and `var.x` defaults across the module's files).
 */
export interface TerraformDoc {
  format: 'terraform';
  /** The top-level blocks in order: `resource`, `data`, `locals`, `variable`, `module`, … */
  blocks: TfBlock[];
  /** Top-level attributes: a `.tfvars` file's variable values (a `.tf` file has none). */
  attributes: TfAttribute[];
  /** The file has syntax errors: what parsed is still there, the rest is missing. */
  partial: boolean;
}

export type TfValue =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'tuple'; items: TfValue[]; span: Span }
  | { kind: 'object'; entries: { key: string; value: TfValue }[]; span: Span }
  /** `local.name` or `var.name` (also `"${var.name}"` alone), resolvable through the module's locals and variable defaults. */
  | { kind: 'ref'; scope: 'local' | 'var'; name: string; span: Span }
  /** Anything else: a function call, an expression, a `for`, an interpolation, another reference. `text` is the source, cut short. */
  | { kind: 'unknown'; text: string; span: Span };

export interface TfAttribute {
  name: string;
  value: TfValue;
  /** The whole `name = value`. */
  span: Span;
}

export interface TfBlock {
  type: string;
  labels: string[];
  attributes: TfAttribute[];
  blocks: TfBlock[];
  /** A `dynamic "type" { content { … } }` block: its attributes are the `content`'s, and how many instances exist is unknown. */
  dynamic: boolean;
  /** The block's first line (type and labels), where a finding about the block as a whole points. */
  head: Span;
  span: Span;
}

/** Terraform's native syntax; `.tf.json` (JSON syntax) is not read. */
export function isTerraformPath(path: string): boolean {
  return grammarForPath(path) === 'terraform';
}

/** Deeper values are `unknown`: bounds the work on hostile nesting (the walk is iterative either way). */
const MAX_DEPTH = 48;

/** Parses a `.tf` file; a notice when the runtime is not loaded or the file cannot be parsed, or parses only in part. */
export function parseTerraform(path: string, text: string, notices: Notice[]): TerraformDoc | undefined {
  const outcome = withTree('terraform', text, (tree) => lower(tree.rootNode));
  if (!outcome.ok) {
    const why = { 'not-ready': 'the HCL parser is not loaded', 'too-large': 'the file is too large to parse', failed: 'the HCL parser failed on it' }[outcome.reason];
    notices.push({ path, message: `not checked as Terraform: ${why}` });
    return undefined;
  }
  if (outcome.value.partial) notices.push({ path, message: 'Terraform syntax errors: only the blocks that parsed are checked' });
  return outcome.value;
}

type Work = { node: Node; depth: number; put: (v: TfBlock | TfValue) => void; as: 'block' | 'value' };

function lower(root: Node): TerraformDoc {
  const top: TfBlock = { type: '', labels: [], attributes: [], blocks: [], dynamic: false, head: spanOf(root), span: spanOf(root) };
  const stack: Work[] = [];
  const body = (parent: Node | null, into: TfBlock, depth: number): void => {
    const list = into.blocks;
    for (const child of parent?.namedChildren ?? []) {
      if (!child) continue;
      if (child.type === 'block') {
        const at = list.push(undefined as unknown as TfBlock) - 1;
        stack.push({ node: child, depth, as: 'block', put: (b) => (list[at] = b as TfBlock) });
      } else if (child.type === 'attribute') {
        const name = child.namedChildren[0]?.text ?? '';
        const a: TfAttribute = { name, value: unknown(child), span: spanOf(child) };
        into.attributes.push(a);
        const expr = child.namedChildren[1];
        if (expr) stack.push({ node: expr, depth, as: 'value', put: (v) => (a.value = v as TfValue) });
      }
    }
  };
  body(root.namedChildren.find((c) => c?.type === 'body') ?? null, top, 0);
  while (stack.length > 0) {
    const w = stack.pop()!;
    if (w.as === 'block') w.put(block(w.node, w.depth, body));
    else value(w, stack);
  }
  return { format: 'terraform', blocks: top.blocks.filter(Boolean), attributes: top.attributes, partial: root.hasError };
}

function block(node: Node, depth: number, body: (n: Node | null, into: TfBlock, depth: number) => void): TfBlock {
  const kids = node.namedChildren.filter((c): c is Node => c !== null);
  const type = kids[0]?.text ?? '';
  const labels = kids.filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== kids[0])).map(stringText);
  const open = kids.find((c) => c.type === 'block_start');
  const head = open ? { ...spanOf(node), endLine: open.endPosition.row + 1, endColumn: open.endPosition.column + 1 } : spanOf(node);
  const b: TfBlock = { type, labels, attributes: [], blocks: [], dynamic: false, head, span: spanOf(node) };
  if (depth >= MAX_DEPTH) return b;
  const inner = kids.find((c) => c.type === 'body') ?? null;
  if (type === 'dynamic') {
    // The content block's attributes stand for every instance; the label names the generated block type.
    const content = inner?.namedChildren.find((c) => c?.type === 'block' && c.namedChildren[0]?.text === 'content');
    b.type = labels[0] ?? 'dynamic';
    b.labels = [];
    b.dynamic = true;
    body(content?.namedChildren.find((c) => c?.type === 'body') ?? null, b, depth + 1);
  } else body(inner, b, depth + 1);
  return b;
}

function stringText(n: Node): string {
  return n.namedChildren
    .filter((c) => c?.type === 'template_literal')
    .map((c) => unescape(c!.text))
    .join('');
}

const unescape = (s: string): string => s.replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
const unknown = (n: Node): TfValue => ({ kind: 'unknown', text: n.text.slice(0, 80), span: spanOf(n) });

/** `local.x` / `var.x` exactly (an `expression` of a variable_expr and one get_attr). */
function reference(n: Node): TfValue | undefined {
  const kids = n.namedChildren;
  if (n.type !== 'expression' || kids.length !== 2 || kids[0]?.type !== 'variable_expr' || kids[1]?.type !== 'get_attr') return undefined;
  const scope = kids[0].text;
  if (scope !== 'local' && scope !== 'var') return undefined;
  return { kind: 'ref', scope, name: kids[1].text.replace(/^\./, '').trim(), span: spanOf(n) };
}

function value(w: Work, stack: Work[]): void {
  let n = w.node;
  const ref = reference(n);
  if (ref) return w.put(ref);
  // expression → literal_value / collection_value / template_expr … with nothing else beside it
  while (n.type === 'expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
  if (n.type === 'literal_value' || n.type === 'collection_value') n = n.namedChildren[0] ?? n;
  const span = spanOf(w.node);
  const literal = n.namedChildren[0];
  switch (n.type) {
    case 'numeric_lit':
      return w.put({ kind: 'number', value: Number(n.text), span });
    case 'bool_lit':
      return w.put({ kind: 'bool', value: n.text === 'true', span });
    case 'null_lit':
      return w.put({ kind: 'null', span });
    case 'string_lit':
      return w.put({ kind: 'string', value: stringText(n), span });
    case 'operation':
      // -1 (the "all protocols" of a security group) is a unary minus on a number
      if (literal?.type === 'unary_operation' && /^-\s*\d+$/.test(literal.text)) return w.put({ kind: 'number', value: -Number(literal.text.replace(/^-\s*/, '')), span });
      return w.put(unknown(w.node));
    case 'template_expr': {
      const t = literal?.type === 'quoted_template' ? literal : undefined;
      const parts = t?.namedChildren.filter((c) => c?.type !== 'quoted_template_start' && c?.type !== 'quoted_template_end') ?? [];
      const inner = parts.length === 1 && parts[0]?.type === 'template_interpolation' ? parts[0].namedChildren.find((c) => c?.type === 'expression') : undefined;
      const only = inner ? reference(inner) : undefined; // "${var.cidr}" (Terraform 0.11 style) is the reference itself
      return w.put(only ? { ...only, span } : unknown(w.node));
    }
    case 'tuple': {
      if (w.depth >= MAX_DEPTH) return w.put(unknown(w.node));
      const exprs = n.namedChildren.filter((c): c is Node => c?.type === 'expression');
      const items: TfValue[] = exprs.map(unknown);
      w.put({ kind: 'tuple', items, span });
      exprs.forEach((e, i) => stack.push({ node: e, depth: w.depth + 1, as: 'value', put: (v) => (items[i] = v as TfValue) }));
      return;
    }
    case 'object': {
      if (w.depth >= MAX_DEPTH) return w.put(unknown(w.node));
      const elems = n.namedChildren.filter((c): c is Node => c?.type === 'object_elem');
      const entries = elems.map((e) => ({ key: keyOf(e.childForFieldName('key')), value: unknown(e) }));
      w.put({ kind: 'object', entries, span });
      elems.forEach((e, i) => {
        const val = e.childForFieldName('val');
        if (val) stack.push({ node: val, depth: w.depth + 1, as: 'value', put: (v) => (entries[i]!.value = v as TfValue) });
      });
      return;
    }
    default:
      return w.put(unknown(w.node));
  }
}

/** An object key: a bare name or a quoted string; anything computed keeps its source text. */
function keyOf(k: Node | null): string {
  if (!k) return '';
  const lit = k.descendantsOfType('string_lit')[0];
  return k.namedChildren[0]?.type === 'literal_value' && lit ? stringText(lit) : k.text;
}
