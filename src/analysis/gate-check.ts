import { isMap } from 'yaml';
import type { Span } from '../core/types.js';
import type { WorkflowDoc } from '../parsers/workflow.js';
import { getNode, resolveNode } from '../parsers/yaml.js';

/** Expressions in a name template: each stands for any text (a matrix value, an input) once GitHub evaluates it. */
const EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;
/** More wildcards than this and the name says too little to match on (`${{ a }}${{ b }}` matches anything anyway). */
const MAX_WILDCARDS = 8;
const MAX_NAME = 512;

/** The check run a job makes, as a pattern: literal pieces with a wildcard between each (an expression), and where it is written. */
export interface GateCheck {
  /** What the README shows: the template as written, with the matrix suffix GitHub adds. */
  shown: string;
  pieces: string[];
  /** GitHub appends ` (value, value)` to a matrix job's name when the name uses no matrix value. */
  matrixSuffix: boolean;
  span: Span;
}

/**
 * The check run name of job `jobId` in the workflow: `jobs.<id>.name` or the id, with `${{ … }}` left as
 * wildcards (a matrix job named `test (${{ matrix.os }})` makes one check run per value: `test (linux)`, …).
 * Undefined when the job is not in the workflow.
 */
export function gateCheck(wf: WorkflowDoc, jobId: string): GateCheck | undefined {
  const job = wf.jobs.find((j) => j.id === jobId);
  if (!job) return undefined;
  const template = (job.name ?? job.id).slice(0, MAX_NAME);
  const matrix = isMap(resolveNode(getNode(getNode(job.node, 'strategy', wf.doc), 'matrix', wf.doc), wf.doc)) || hasExpressionMatrix(wf, job.node);
  const pieces = template.split(EXPRESSION);
  const matrixSuffix = matrix && !/\bmatrix\./.test(template);
  const nameNode = getNode(job.node, 'name', wf.doc);
  const span = (job.name !== undefined && wf.spanWithin(nameNode, job.name)) || job.keySpan;
  return { shown: matrixSuffix ? `${template} (…)` : template, pieces, matrixSuffix, span };
}

/** `matrix: ${{ fromJSON(…) }}`: a matrix all the same, of values the file does not show. */
function hasExpressionMatrix(wf: WorkflowDoc, jobNode: unknown): boolean {
  const m = resolveNode(getNode(getNode(jobNode, 'strategy', wf.doc), 'matrix', wf.doc), wf.doc);
  return m !== undefined && !isMap(m) && m !== null;
}

/** Whether a required status check context is one of the check runs the job makes (optionally `Workflow name / job`). */
export function matchesGateCheck(check: GateCheck, context: string, workflowName?: string): boolean {
  if (context.length > MAX_NAME * 2) return false;
  if (matchesName(check, context)) return true;
  const prefix = workflowName ? `${workflowName} / ` : undefined;
  return prefix !== undefined && context.startsWith(prefix) && matchesName(check, context.slice(prefix.length));
}

function matchesName(check: GateCheck, name: string): boolean {
  if (glob(check.pieces, name)) return true;
  if (!check.matrixSuffix) return false;
  // `name (a, b)`: the suffix GitHub adds, with at least one value.
  const m = /^([\s\S]*) \([^()]+\)$/.exec(name);
  return m !== null && glob(check.pieces, m[1]!);
}

/**
 * Literal pieces with a wildcard between each, matched in linear passes (leftmost placement of each middle piece is
 * always safe for star-only patterns): no regular expression built from the workflow's text, so no backtracking.
 */
function glob(pieces: readonly string[], text: string): boolean {
  if (pieces.length === 1) return pieces[0] === text;
  if (pieces.length - 1 > MAX_WILDCARDS) return true;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
