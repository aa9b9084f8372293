import type { Node } from 'yaml';
import type { Span } from '../core/types.js';
import { allSteps, type Job, type Located, type WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode } from '../parsers/yaml.js';
import { matrixEnv } from './matrix.js';

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
  /** Set when the entry is written in the matrix and reaches the env through `env: ${{ matrix.env }}`: `matrix.env`. */
  via?: string;
  /** The job the entry belongs to (its matrix is the one `${{ matrix.x }}` reads); undefined at workflow level and in actions. */
  job?: Job;
}

const stepName = (index: number, name: string | undefined): string => (name ? `step "${name}"` : `step ${index + 1}`);

/**
 * Every workflow-, job- and step-level `env:` entry, and every step and reusable-workflow `with:` entry. An `env:` that is
 * one matrix value (`env: ${{ matrix.env }}`) stands for the entries of the mappings the matrix lists for it, each
 * reported once, where the matrix writes it.
 */
export function settings(wf: WorkflowDoc, kinds: readonly ('env' | 'with')[] = ['env', 'with']): Setting[] {
  const out: Setting[] = [];
  const fromMatrix = new Set<string>();
  const addMatrix = (job: Job, owner: Node, scope: string): void => {
    if (!kinds.includes('env')) return;
    const blockSpan = wf.file.keySpanOf(owner, 'env');
    for (const e of matrixEnv(wf, job, owner)) {
      const at = `${e.keySpan.line}:${e.keySpan.column}`;
      if (fromMatrix.has(at)) continue;
      fromMatrix.add(at);
      out.push({ kind: 'env', key: e.key, keySpan: e.keySpan, blockSpan, value: e.value, scope, via: e.via, job });
    }
  };
  const add = (kind: 'env' | 'with', owner: Node | undefined, map: Map<string, Located>, scope: string, job?: Job): void => {
    if (!kinds.includes(kind) || map.size === 0) return;
    const node = resolveNode(getNode(owner, kind, wf.doc), wf.doc);
    const blockSpan = wf.file.keySpanOf(owner ?? null, kind);
    for (const [key, value] of map) out.push({ kind, key, keySpan: wf.file.keySpanOf(node, key), blockSpan, value, scope, ...(job ? { job } : {}) });
  };
  add('env', resolveNode(wf.doc.contents, wf.doc), wf.env, 'workflow');
  for (const job of wf.jobs) {
    add('env', job.node, job.env, `job ${job.id}`, job);
    addMatrix(job, job.node, `job ${job.id}`);
    add('with', job.node, job.with, `job ${job.id}`, job);
  }
  for (const { job, step } of allSteps(wf)) {
    const scope = `${stepName(step.index, step.name)} of ${job ? `job ${job.id}` : 'the action'}`;
    add('env', step.node, step.env, scope, job);
    if (job) addMatrix(job, step.node, scope);
    add('with', step.node, step.with, scope, job);
  }
  return out;
}

/** A span from the start of one span to the end of another. */
export function joinSpans(a: Span, b: Span): Span {
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}
