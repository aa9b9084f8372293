import { isMap, isScalar, Scalar, type Node, type Pair } from 'yaml';
import { isCheckoutStep } from '../analysis/checkout.js';
import { suggestEnvFix } from '../analysis/env-fix.js';
import { redactText } from '../core/redact.js';
import type { Finding } from '../core/types.js';
import { workflowFromYaml, allSteps, type Step, type WorkflowDoc } from '../parsers/workflow.js';
import { parseYaml } from '../parsers/yaml.js';

/** Replace head-side lines `start`..`end` (1-based, inclusive) with `replacement` (lines joined by `\n`). */
export interface Suggestion {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The exact replacement of the flagged lines for rules that can state it offline, or undefined.
 * Every suggestion is checked by parsing the file as it would be after the change: if the result
 * is not the intended workflow, no suggestion is made (a wrong one is worse than none).
 */
export function suggestionFor(f: Finding, text: string): Suggestion | undefined {
  let s: Suggestion | undefined;
  try {
    if (f.ruleId === 'persisted-credentials') s = persistCredentials(f, text);
    else if (f.ruleId === 'template-injection') s = envFix(f, text);
  } catch {
    // A suggestion is a courtesy: any surprise means none.
  }
  // A suggestion quotes the file's lines as they are: none when they hold a credential (redacting it would make it wrong).
  return s && redactText(s.replacement) === s.replacement ? s : undefined;
}

function parseWorkflow(path: string, text: string): WorkflowDoc | undefined {
  const notices: { message: string }[] = [];
  const yaml = parseYaml(path, text, notices);
  if (!yaml || notices.length > 0 || yaml.documents.length !== 1) return undefined;
  return workflowFromYaml(yaml, text, notices);
}

interface Edit {
  /** 1-based line; its text is replaced by `lines`. */
  line: number;
  lines: string[];
}

function applyEdits(sourceLines: readonly string[], edits: Edit[]): { text: string; suggestion: Suggestion } {
  const start = Math.min(...edits.map((e) => e.line));
  const end = Math.max(...edits.map((e) => e.line));
  const byLine = new Map(edits.map((e) => [e.line, e.lines]));
  const range: string[] = [];
  for (let l = start; l <= end; l++) range.push(...(byLine.get(l) ?? [sourceLines[l - 1]!]));
  const text = [...sourceLines.slice(0, start - 1), ...range, ...sourceLines.slice(end)].join('\n');
  return { text, suggestion: { start, end, replacement: range.join('\n') } };
}

const stepsOf = (wf: WorkflowDoc): Step[] => allSteps(wf).map((s) => s.step);

function pairOf(step: Step, key: string): Pair | undefined {
  return isMap(step.node) ? (step.node.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined) : undefined;
}

/** 1-based line and 0-based column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl - 1 };
}

/** `- uses: actions/checkout@v4` with no `with:` → the same lines plus `with: persist-credentials: false`. */
function persistCredentials(f: Finding, text: string): Suggestion | undefined {
  const wf = parseWorkflow(f.path, text);
  if (!wf) return undefined;
  const steps = stepsOf(wf);
  const index = steps.findIndex((s) => s.span.line === f.line && s.itemSpan.line === f.line && s.itemSpan.column === s.span.column);
  const step = steps[index];
  if (!step || !isCheckoutStep(step) || pairOf(step, 'with') || !step.uses || step.uses.span.line !== step.uses.span.endLine) return undefined;
  const usesKey = pairOf(step, 'uses')?.key as Node | undefined;
  if (!usesKey?.range) return undefined;
  const indent = ' '.repeat(position(text, usesKey.range[0]).column);
  const lines = text.split('\n');
  const usesLine = step.uses.span.line;
  if (usesLine < f.line) return undefined;
  const edits: Edit[] = [];
  for (let l = f.line; l < usesLine; l++) edits.push({ line: l, lines: [lines[l - 1]!] });
  edits.push({ line: usesLine, lines: [lines[usesLine - 1]!, `${indent}with:`, `${indent}  persist-credentials: false`] });
  const { text: after, suggestion } = applyEdits(lines, edits);
  const check = parseWorkflow(f.path, after);
  const now = check && stepsOf(check);
  const s = now?.[index];
  if (!now || now.length !== steps.length || s?.uses?.value !== step.uses.value || s.with.get('persist-credentials')?.value !== 'false' || s.with.size !== 1)
    return undefined;
  return suggestion;
}

/** `run: echo "${{ github.event.issue.title }}"` → `run: echo "$TITLE"` plus `env: TITLE: ${{ … }}`. */
function envFix(f: Finding, text: string): Suggestion | undefined {
  if (f.line !== f.endLine) return undefined;
  const lines = text.split('\n');
  const expression = lines[f.line - 1]?.slice(f.column - 1, f.endColumn - 1) ?? '';
  if (!/^\$\{\{[^\n]*\}\}$/.test(expression)) return undefined;
  const wf = parseWorkflow(f.path, text);
  if (!wf) return undefined;
  const offset = lines.slice(0, f.line - 1).reduce((n, l) => n + l.length + 1, 0) + f.column - 1;
  const steps = stepsOf(wf);
  const index = steps.findIndex((s) => s.run?.node?.range && offset >= s.run.node.range[0] && offset < s.run.node.range[1]);
  const step = steps[index];
  const node = step?.run?.node;
  if (!step || !(node instanceof Scalar) || !node.range) return undefined;
  const fix = suggestEnvFix(step, expression);
  if (fix.lines.length === 0) return undefined;

  const edits = new Map<number, string[]>();
  const head = position(text, node.range[0]);
  if (node.type === Scalar.BLOCK_LITERAL) {
    for (const c of fix.lines) {
      const l = head.line + 1 + c.line;
      const src = lines[l - 1] ?? '';
      const indent = src.length - c.before.length;
      if (indent < 0 || !src.endsWith(c.before) || src.slice(0, indent).trim() !== '') return undefined;
      edits.set(l, [src.slice(0, indent) + c.after]);
    }
  } else if (node.type === Scalar.PLAIN) {
    const c = fix.lines[0]!;
    const src = lines[head.line - 1] ?? '';
    if (fix.lines.length !== 1 || c.line !== 0 || src.slice(head.column, head.column + c.before.length) !== c.before) return undefined;
    edits.set(head.line, [src.slice(0, head.column) + c.after + src.slice(head.column + c.before.length)]);
  } else return undefined;

  if (fix.envEntry) {
    const envPair = pairOf(step, 'env');
    if (envPair) {
      // Append to a block `env:` mapping, aligned with its entries.
      const env = envPair.value as Node | undefined;
      if (!isMap(env) || env.flow || env.items.length === 0) return undefined;
      const firstKey = env.items[0]!.key as Node;
      const lastValue = (env.items.at(-1)!.value ?? env.items.at(-1)!.key) as Node;
      if (!firstKey.range || !lastValue.range) return undefined;
      const indent = ' '.repeat(position(text, firstKey.range[0]).column);
      const at = position(text, Math.max(lastValue.range[0], lastValue.range[1] - 1)).line;
      edits.set(at, [...(edits.get(at) ?? [lines[at - 1]!]), `${indent}${fix.envEntry}`]);
    } else {
      const runKey = pairOf(step, 'run')?.key as Node | undefined;
      if (!runKey?.range) return undefined;
      const indent = ' '.repeat(position(text, runKey.range[0]).column);
      let at = position(text, Math.max(node.range[0], node.range[1] - 1)).line;
      while (at > head.line && (lines[at - 1] ?? '').trim() === '') at--;
      edits.set(at, [...(edits.get(at) ?? [lines[at - 1]!]), `${indent}env:`, `${indent}  ${fix.envEntry}`]);
    }
  }
  const { text: after, suggestion } = applyEdits(lines, [...edits].map(([line, l]) => ({ line, lines: l })));
  const check = parseWorkflow(f.path, after);
  const now = check && stepsOf(check);
  const s = now?.[index];
  if (!now || now.length !== steps.length || s?.run?.value !== fix.script) return undefined;
  if (s.env.get(fix.name)?.value.trim() !== expression.trim() || s.env.size !== step.env.size + (fix.envEntry ? 1 : 0)) return undefined;
  return suggestion;
}
