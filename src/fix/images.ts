import { parseImageRef } from '../analysis/image-ref.js';
import { spanText, unquote, unresolved, valueSpan, type FixInput, type FixOutcome } from './types.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._\-/:[\]]*$/;

/**
 * The image an unpinned-image finding names, as written (`postgres:16.4`, `ghcr.io/o/x:v1`), when it can be pinned: a
 * literal name with a tag other than `latest` (a moving or missing tag is for a person to choose; a build argument or
 * variable is pinned where its value is set).
 */
export function imageWanted(text: string | undefined): { image: string; prefix: string; quote: string } | { why: string } {
  if (text === undefined) return { why: 'spans several lines' };
  const { quote, value } = unquote(text);
  const prefix = /^docker:\/\//i.test(value) ? value.slice(0, 'docker://'.length) : '';
  const image = value.slice(prefix.length);
  if (image.includes('$')) return { why: `${image} is built from a variable or build argument: pin the value where it is set` };
  const ref = parseImageRef(image);
  if (!ref || !REFERENCE.test(image) || ref.digest !== undefined) return { why: `${image} is not a plain image reference` };
  const tag = ref.tag;
  if (!tag || tag === 'latest') return { why: `${image} has no version tag: choose a version, then pin its digest` };
  return { image, prefix, quote };
}

/** `name:tag` → `name:tag@sha256:…` at the finding's span (Dockerfile FROM / COPY --from / RUN --mount from=, compose, Kubernetes, workflows). */
export function pinImages({ lines, findings, pins }: FixInput): FixOutcome {
  const out: FixOutcome = { edits: [], unresolved: [] };
  for (const f of findings) {
    const wanted = imageWanted(spanText(lines, f));
    if ('why' in wanted) {
      out.unresolved.push(unresolved(f, wanted.why));
      continue;
    }
    const got = pins.images.get(wanted.image);
    const digest = got && 'value' in got ? got.value : undefined;
    if (!digest || !DIGEST.test(digest)) {
      out.unresolved.push(unresolved(f, `${wanted.image} not resolved (${got && 'error' in got ? got.error : 'no lookup'}); left as it is`));
      continue;
    }
    const line = lines.bodies[f.line - 1]!;
    const span = valueSpan(lines, f)!;
    const pinned = `${wanted.quote}${wanted.prefix}${wanted.image}@${digest}${wanted.quote}`;
    out.edits.push({ start: f.line, end: f.line, rule: f.ruleId, lines: [line.slice(0, span.from) + pinned + line.slice(span.to)] });
  }
  return out;
}

/** latest-image-tag findings are listed, never pinned: which version to run is a person's choice. */
export function listLatest({ findings }: FixInput): FixOutcome {
  return { edits: [], unresolved: findings.map((f) => unresolved(f, 'a moving or missing tag: choose a version, then `fix` pins its digest')) };
}
