import { isMap, isScalar, Scalar, type Node, type Pair } from 'yaml';
import { isCheckoutStep } from '../analysis/checkout.js';
import { envMoveRefused, suggestEnvFix } from '../analysis/env-fix.js';
import { compareByPriority } from '../core/engine.js';
import { redactText } from '../core/redact.js';
import type { Finding } from '../core/types.js';
import { workflowFromYaml, allSteps, type Located, type Step, type WorkflowDoc } from '../parsers/workflow.js';
import { parseYaml } from '../parsers/yaml.js';
import { pinSuggestions, type ResolvedPins } from './pin-suggestions.js';

/** Replace head-side lines `start`..`end` (1-based, inclusive) with `replacement` (lines joined by `\n`). */
export interface Suggestion {
  start: number;
  end: number;
  replacement: string;
}

/** One suggestion and every finding it fixes (all on the same step). */
export interface PlannedSuggestion extends Suggestion {
  findings: Finding[];
}

/**
 * The suggestions for one file's findings, for rules that can state the exact fix offline, and for
 * unpinned actions and images whose pin was looked up (`pins`, pin-suggestions.ts). Findings on
 * the same step get ONE suggestion (one `env:` block with every variable), and no two suggestions touch
 * a common line: GitHub applies suggestions as plain line replacements, so overlapping ones would undo
 * each other or leave a step with two `env:` keys. Every suggestion is checked by parsing the file as it
 * would be after the change; when the result is not the intended workflow there is none (a wrong
 * suggestion is worse than none).
 */
export function planSuggestions(findings: readonly Finding[], text: string, pins?: ResolvedPins): PlannedSuggestion[] {
  if (text.includes('\r') || findings.length === 0) return [];
  // Pins looked up online (unpinned-action, unpinned-image) arrive as data; without one, no suggestion.
  const lines = text.split('\n');
  const pinned = pins ? pinSuggestions(findings, lines, pins, /\.ya?ml$/i.test(findings[0]!.path)) : [];
  const steps = stepSuggestions(findings, text);
  const planned = [...steps, ...pinned.filter((p) => !mergedInto(steps, p, lines[p.start - 1]!))];
  // Most important first; a suggestion that shares a line with a kept one is dropped.
  planned.sort((a, b) => compareByPriority(a.findings[0]!, b.findings[0]!));
  const kept: PlannedSuggestion[] = [];
  for (const s of planned) if (!kept.some((k) => s.start <= k.end && k.start <= s.end)) kept.push(s);
  // A suggestion quotes the file's lines as they are: none when they hold a credential (redacting it would make it wrong).
  return kept.filter((s) => redactText(s.replacement) === s.replacement);
}

/**
 * A pin on a line that a step's suggestion quotes unchanged (the `uses:` line of a checkout that also gets
 * `persist-credentials: false`) joins that suggestion: one change fixes both, instead of one dropped for overlapping.
 */
function mergedInto(steps: PlannedSuggestion[], pin: PlannedSuggestion, original: string): boolean {
  const host = steps.find((s) => s.start <= pin.start && pin.start <= s.end);
  const quoted = host?.replacement.split('\n');
  if (!host || !quoted || quoted.filter((l) => l === original).length !== 1) return false;
  quoted[quoted.indexOf(original)] = pin.replacement;
  host.replacement = quoted.join('\n');
  host.findings.push(...pin.findings);
  return true;
}

/** The step-shaped suggestions: `persist-credentials: false`, and expressions moved into `env:`. */
function stepSuggestions(findings: readonly Finding[], text: string): PlannedSuggestion[] {
  const wanted = findings.filter((f) => f.ruleId === 'persisted-credentials' || f.ruleId === 'template-injection');
  if (wanted.length === 0) return [];
  const path = wanted[0]!.path;
  const wf = parseWorkflow(path, text);
  if (!wf) return [];
  const steps = stepsOf(wf);
  const lines = text.split('\n');
  // Step index → what to change on it.
  interface StepPlan {
    persist?: Finding;
    expressions: Map<string, Finding[]>;
  }
  const perStep = new Map<number, StepPlan>();
  for (const f of [...wanted].sort(compareByPriority)) {
    if (f.ruleId === 'template-injection' && envMoveRefused(f, wf, lines) !== undefined) continue;
    const index = f.ruleId === 'persisted-credentials' ? checkoutStepAt(steps, f) : runStepAt(steps, f, lines);
    if (index < 0) continue;
    const plan: StepPlan = perStep.get(index) ?? { expressions: new Map() };
    perStep.set(index, plan);
    if (f.ruleId === 'persisted-credentials') plan.persist ??= f;
    else {
      const expression = lines[f.line - 1]!.slice(f.column - 1, f.endColumn - 1);
      plan.expressions.set(expression, [...(plan.expressions.get(expression) ?? []), f]);
    }
  }
  const planned: PlannedSuggestion[] = [];
  for (const [index, plan] of perStep) {
    const attempt = (fixed: Finding[], edits: Map<number, string[]> | undefined, ok: (s: Step) => boolean): void => {
      if (!edits || edits.size === 0) return;
      const { text: after, suggestion } = applyEdits(lines, edits);
      const now = parseWorkflow(path, after);
      const changed = now && stepsOf(now);
      if (changed && changed.length === steps.length && ok(changed[index]!)) planned.push({ ...suggestion, findings: fixed });
    };
    const step = steps[index]!;
    try {
      if (plan.persist) attempt([plan.persist], persistEdits(step, plan.persist, text, lines), (s) => s.uses?.value === step.uses?.value && s.with.get('persist-credentials')?.value === 'false' && s.with.size === step.with.size + 1);
      if (plan.expressions.size > 0) {
        const fix = envEdits(step, [...plan.expressions.keys()], text, lines);
        attempt([...plan.expressions.values()].flat(), fix?.edits, (s) => s.run?.value === fix!.script && fix!.entries.every(([name, expression]) => s.env.get(name)?.value.trim() === expression.trim()) && s.env.size === step.env.size + fix!.entries.length);
      }
    } catch {
      // A suggestion is a courtesy: any surprise means none for this step.
    }
  }
  return planned;
}

/** A workflow text as one parsed document, or undefined when it has notices or several documents. */
export function parseWorkflow(path: string, text: string): WorkflowDoc | undefined {
  const notices: { message: string }[] = [];
  const yaml = parseYaml(path, text, notices);
  if (!yaml || notices.length > 0 || yaml.documents.length !== 1) return undefined;
  return workflowFromYaml(yaml, text, notices);
}

/** Lines `start`..`end` of the source with the edited ones replaced (each edit: a line → the lines that replace it). */
function applyEdits(sourceLines: readonly string[], edits: ReadonlyMap<number, string[]>): { text: string; suggestion: Suggestion } {
  const start = Math.min(...edits.keys());
  const end = Math.max(...edits.keys());
  const range: string[] = [];
  for (let l = start; l <= end; l++) range.push(...(edits.get(l) ?? [sourceLines[l - 1]!]));
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

const offsetOf = (lines: readonly string[], line: number, column: number): number => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;

/** The checkout step a persisted-credentials finding points at (the step's own line), or -1. */
function checkoutStepAt(steps: readonly Step[], f: Finding): number {
  return steps.findIndex((s) => s.span.line === f.line && s.itemSpan.line === f.line && s.itemSpan.column === s.span.column && isCheckoutStep(s));
}

/** The `run:` step whose script holds a template-injection finding's expression, or -1. */
function runStepAt(steps: readonly Step[], f: Finding, lines: readonly string[]): number {
  if (f.line !== f.endLine) return -1;
  const expression = lines[f.line - 1]?.slice(f.column - 1, f.endColumn - 1) ?? '';
  if (!/^\$\{\{[^\n]*\}\}$/.test(expression)) return -1;
  const offset = offsetOf(lines, f.line, f.column);
  return steps.findIndex((s) => s.run?.node?.range && offset >= s.run.node.range[0] && offset < s.run.node.range[1]);
}

/** Appends `entries` after the last line of a block mapping, aligned with its keys (undefined for a flow or empty one). */
function appendToMap(map: Node | undefined | null, entries: readonly string[], text: string, lines: readonly string[], edits: Map<number, string[]>): boolean {
  if (!isMap(map) || map.flow || map.items.length === 0) return false;
  const firstKey = map.items[0]!.key as Node;
  const last = (map.items.at(-1)!.value ?? map.items.at(-1)!.key) as Node;
  if (!firstKey.range || !last.range) return false;
  const indent = ' '.repeat(position(text, firstKey.range[0]).column);
  const at = position(text, Math.max(last.range[0], last.range[1] - 1)).line;
  edits.set(at, [...(edits.get(at) ?? [lines[at - 1]!]), ...entries.map((e) => `${indent}${e}`)]);
  return true;
}

/** A checkout step gets `persist-credentials: false`: under a new `with:`, or appended to its block `with:`. */
function persistEdits(step: Step, f: Finding, text: string, lines: readonly string[]): Map<number, string[]> | undefined {
  if (!step.uses || step.uses.span.line !== step.uses.span.endLine || step.with.has('persist-credentials')) return undefined;
  const usesKey = pairOf(step, 'uses')?.key as Node | undefined;
  const usesLine = step.uses.span.line;
  if (!usesKey?.range || usesLine < f.line) return undefined;
  const edits = new Map<number, string[]>();
  // The suggestion covers the step from its first line, where the finding is.
  edits.set(f.line, [lines[f.line - 1]!]);
  const withPair = pairOf(step, 'with');
  if (withPair) return appendToMap(withPair.value as Node | undefined, ['persist-credentials: false'], text, lines, edits) ? edits : undefined;
  const indent = ' '.repeat(position(text, usesKey.range[0]).column);
  edits.set(usesLine, [lines[usesLine - 1]!, `${indent}with:`, `${indent}  persist-credentials: false`]);
  return edits;
}

/**
 * Every expression of one `run:` step moved into `env:` at once: the script's lines with each expression
 * replaced by its variable, and one `env:` block (new, or the step's own extended) holding every variable.
 */
function envEdits(step: Step, expressions: readonly string[], text: string, lines: readonly string[]): { edits: Map<number, string[]>; script: string; entries: [string, string][] } | undefined {
  const node = step.run?.node;
  if (!(node instanceof Scalar) || !node.range) return undefined;
  let script = step.run!.value;
  const env = new Map<string, Located>(step.env);
  const entries: [string, string][] = [];
  for (const expression of expressions) {
    // Earlier variables count as the step's own: no name is used twice, an equal value is reused.
    const fix = suggestEnvFix({ ...step, env }, expression, script);
    if (fix.lines.length === 0) continue;
    script = fix.script;
    if (fix.envEntry) {
      entries.push([fix.name, expression]);
      env.set(fix.name, { value: expression, span: step.span });
    }
  }
  const before = step.run!.value.split('\n');
  const after = script.split('\n');
  if (before.length !== after.length) return undefined;
  const edits = new Map<number, string[]>();
  const head = position(text, node.range[0]);
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    if (node.type === Scalar.BLOCK_LITERAL) {
      const l = head.line + 1 + i;
      const src = lines[l - 1] ?? '';
      const indent = src.length - before[i]!.length;
      if (indent < 0 || !src.endsWith(before[i]!) || src.slice(0, indent).trim() !== '') return undefined;
      edits.set(l, [src.slice(0, indent) + after[i]]);
    } else if (node.type === Scalar.PLAIN && i === 0 && before.length === 1) {
      const src = lines[head.line - 1] ?? '';
      if (src.slice(head.column, head.column + before[0]!.length) !== before[0]) return undefined;
      edits.set(head.line, [src.slice(0, head.column) + after[0] + src.slice(head.column + before[0]!.length)]);
    } else return undefined;
  }
  if (entries.length > 0) {
    const text2 = entries.map(([name, expression]) => `${name}: ${expression.trim()}`);
    const envPair = pairOf(step, 'env');
    if (envPair) {
      if (!appendToMap(envPair.value as Node | undefined, text2, text, lines, edits)) return undefined;
    } else {
      const runKey = pairOf(step, 'run')?.key as Node | undefined;
      if (!runKey?.range) return undefined;
      const indent = ' '.repeat(position(text, runKey.range[0]).column);
      let at = position(text, Math.max(node.range[0], node.range[1] - 1)).line;
      while (at > head.line && (lines[at - 1] ?? '').trim() === '') at--;
      edits.set(at, [...(edits.get(at) ?? [lines[at - 1]!]), `${indent}env:`, ...text2.map((e) => `${indent}  ${e}`)]);
    }
  }
  return { edits, script, entries };
}
