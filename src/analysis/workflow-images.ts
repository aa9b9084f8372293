import type { Confidence, Span } from '../core/types.js';
import { allSteps, type WorkflowDoc } from '../parsers/workflow.js';
import { parseUses } from './action-ref.js';
import { parseImageRef, pinStatus, type ImageRef, type PinStatus } from './image-ref.js';
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
}

/**
 * Images of `jobs.*.container`, `jobs.*.services.*.image`, step `uses: docker://…` and an action's
 * `runs.image: docker://…`. A reference that is one whole expression is skipped unless it is a `matrix` value the
 * file lists; `runs.image: Dockerfile` is built locally and skipped.
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
    if (isWholeExpression(text)) return;
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
