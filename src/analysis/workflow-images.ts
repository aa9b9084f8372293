import type { Confidence, Span } from '../core/types.js';
import { allSteps, type WorkflowDoc } from '../parsers/workflow.js';
import { parseUses } from './action-ref.js';
import { parseImageRef, pinStatus, type ImageRef, type PinStatus } from './image-ref.js';
import { findExpressions, flowingContexts, flowingLiterals } from './expressions.js';
import { isWholeExpression, matrixValues, wholeMatrixRef } from './matrix.js';

/** One container image a workflow or action pulls, as the image rules see it. */
export interface WorkflowImage {
  /** What precedes the reference in messages: `container: `, `services.redis.image: `, `uses: docker://`. */
  where: string;
  span: Span;
  /** The image references it may stand for: one, or each literal value of a `${{ matrix.x }}`. */
  refs: { text: string; ref: ImageRef; viaMatrix?: string }[];
  /** Lower when part of the reference is an expression whose value is unknown. */
  confidence: Confidence;
  /** Set when the reference is one expression whose branches the refs are (`${{ c && 'redis:7' || '' }}`), as written. */
  expression?: string;
}

/**
 * Images of `jobs.*.container`, `jobs.*.services.*.image`, step `uses: docker://…` and an action's
 * `runs.image: docker://…`. A reference that is one whole expression stands for the values it can take that the file
 * writes: the values a `matrix` lists for it, and the string literals it can yield (`${{ c && 'redis:7' || '' }}` → redis:7);
 * with none of them it is skipped. `runs.image: Dockerfile` is built locally and skipped.
 */
export function workflowImages(wf: WorkflowDoc): WorkflowImage[] {
  const out: WorkflowImage[] = [];
  const add = (where: string, text: string, span: Span, expand?: (key: string) => string[] | undefined): void => {
    const key = wholeMatrixRef(text);
    if (key !== undefined) {
      const values = expand?.(key);
      if (!values) return;
      const refs = values.flatMap((v) => {
        const ref = parseImageRef(v);
        return ref ? [{ text: v, ref, viaMatrix: key }] : [];
      });
      if (refs.length > 0) out.push({ where, span, refs, confidence: 'high' });
      return;
    }
    if (isWholeExpression(text)) {
      const branches = expressionValues(text, expand);
      if (branches && branches.refs.length > 0) out.push({ where, span, refs: branches.refs, confidence: branches.unknown ? 'medium' : 'high', expression: text.trim().replace(/\s+/g, ' ') });
      return;
    }
    const ref = parseImageRef(text);
    if (ref) out.push({ where, span, refs: [{ text: text.trim(), ref }], confidence: ref.templated ? 'medium' : 'high' });
  };
  for (const job of wf.jobs) {
    for (const c of job.containers) {
      const where = c.label === 'container' ? 'container: ' : `services.${c.label.replace(/^service /, '')}.image: `;
      add(where, c.image.value, c.image.span, (key) => matrixValues(wf, job, key));
    }
  }
  for (const { step } of allSteps(wf)) {
    const uses = step.uses && parseUses(step.uses.value);
    if (uses?.kind !== 'docker') continue;
    add('uses: docker://', uses.image, wf.spanWithin(step.uses!.node, step.uses!.value.trim()) ?? step.uses!.span);
  }
  const image = wf.type === 'action' ? wf.runs?.image : undefined;
  const runsImage = image && parseUses(image.value);
  if (image && runsImage?.kind === 'docker') add('runs.image: docker://', runsImage.image, wf.spanWithin(image.node, image.value.trim()) ?? image.span);
  return out;
}

/** The references of an image use that have the given status. */
export function refsWithStatus(use: WorkflowImage, status: PinStatus): WorkflowImage['refs'] {
  return use.refs.filter((r) => pinStatus(r.ref) === status);
}

/**
 * The image references a whole expression can yield: its string literals, and the listed values of any matrix key whose
 * value is the result as a whole. `unknown` when some other context can also be the result (`inputs.image || 'node:22'`).
 */
function expressionValues(text: string, expand?: (key: string) => string[] | undefined): { refs: WorkflowImage['refs']; unknown: boolean } | undefined {
  const body = findExpressions(text)[0]?.body;
  const literals = body === undefined ? undefined : flowingLiterals(body);
  if (body === undefined || !literals) return undefined;
  let unknown = false;
  const refs: WorkflowImage['refs'] = [];
  for (const v of literals) {
    const ref = parseImageRef(v);
    if (ref) refs.push({ text: v, ref });
  }
  for (const path of flowingContexts(body)) {
    const key = /^matrix\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(path)?.[1];
    const values = key === undefined ? undefined : expand?.(key);
    if (!values) {
      unknown = true;
      continue;
    }
    for (const v of values) {
      const ref = parseImageRef(v);
      if (ref) refs.push({ text: v, ref, viaMatrix: key });
    }
  }
  return { refs, unknown };
}
