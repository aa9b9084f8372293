import type { Node } from 'yaml';
import type { Span } from '../core/types.js';
import { allSteps, type Located, type WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode } from '../parsers/yaml.js';

/** One `env:` or `with:` entry with where it sits, for rules that look at variables and inputs. */
export interface Setting {
  /** `env` or `with`. */
  kind: 'env' | 'with';
  key: string;
  keySpan: Span;
  /** The `env:` / `with:` key that opens the block holding the entry. */
  blockSpan: Span;
  value: Located;
  /** `workflow`, `job build`, `step 2 of job build`, `step 1 of the action`. */
  scope: string;
}

const stepName = (index: number, name: string | undefined): string => (name ? `step "${name}"` : `step ${index + 1}`);

/** Every workflow-, job- and step-level `env:` entry, and every step and reusable-workflow `with:` entry. */
export function settings(wf: WorkflowDoc, kinds: readonly ('env' | 'with')[] = ['env', 'with']): Setting[] {
  const out: Setting[] = [];
  const add = (kind: 'env' | 'with', owner: Node | undefined, map: Map<string, Located>, scope: string): void => {
    if (!kinds.includes(kind) || map.size === 0) return;
    const node = resolveNode(getNode(owner, kind, wf.doc), wf.doc);
    const blockSpan = wf.file.keySpanOf(owner ?? null, kind);
    for (const [key, value] of map) out.push({ kind, key, keySpan: wf.file.keySpanOf(node, key), blockSpan, value, scope });
  };
  add('env', resolveNode(wf.doc.contents, wf.doc), wf.env, 'workflow');
  for (const job of wf.jobs) {
    add('env', job.node, job.env, `job ${job.id}`);
    add('with', job.node, job.with, `job ${job.id}`);
  }
  for (const { job, step } of allSteps(wf)) {
    const scope = `${stepName(step.index, step.name)} of ${job ? `job ${job.id}` : 'the action'}`;
    add('env', step.node, step.env, scope);
    add('with', step.node, step.with, scope);
  }
  return out;
}

/** A span from the start of one span to the end of another. */
export function joinSpans(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}
