import { isScratch, parseImageRef, pinnedExample, pinStatus } from '../../analysis/image-ref.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc, ImageUse } from '../../parsers/dockerfile.js';

const WRITTEN: Record<ImageUse['kind'], string> = { from: 'FROM ', copy: 'COPY --from=', mount: 'RUN --mount=from=' };
const shown = (use: ImageUse): string =>
  use.image.raw === use.image.value ? use.image.value : `${use.image.raw} (= ${use.image.value})`;

export default {
  id: 'unpinned-image',
  title: 'Image is not pinned by digest',
  severity: 'high',
  area: 'containers',
  summary:
    'A Dockerfile pulls an image by tag without an `@sha256:` digest (FROM, COPY --from, RUN --mount from=), so the bytes behind the tag can change.',
  rationale:
    'Tags are mutable: the publisher, anyone who takes over the account, or a compromised registry can point `node:22` at different content, ' +
    'and your next build ships it. A digest names exactly one image and cannot be moved. Images with `:latest` or no tag at all are reported by ' +
    '`latest-image-tag` instead: one reference raises at most one of the two rules. When the reference comes from an `ARG` that has no value ' +
    'in the Dockerfile, it is still reported, with low confidence.',
  fix:
    'Keep the tag for readability and add the digest: `FROM node:22.11@sha256:<digest>` (find it with `docker buildx imagetools inspect node:22.11`), ' +
    'and let Dependabot or Renovate keep the pin current. Build stages, stage numbers (`COPY --from=0`) and `scratch` are not reported.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
    'https://docs.docker.com/reference/dockerfile/#from',
    'https://docs.docker.com/reference/dockerfile/#copy---from',
    'https://github.com/hadolint/hadolint/wiki/DL3006',
    'CIS Docker Benchmark 4.2 (use trusted base images) and 4.11 (verify image authenticity)',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM node:22.11-alpine\nRUN npm ci\n', line: 1 },
      { path: 'Dockerfile', text: 'ARG PY=3.12\nFROM python:${PY}-slim AS app\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20@sha256:' + 'a'.repeat(64) + '\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n',
        line: 2,
      },
      {
        path: 'Dockerfile',
        text:
          'FROM alpine:3.20@sha256:' +
          'a'.repeat(64) +
          '\nRUN --mount=type=bind,from=golang:1.23,source=/usr/local/go,target=/go \\\n    /go/bin/go version\n',
        line: 2,
      },
      { path: 'Dockerfile', text: 'ARG IMAGE\nFROM ${IMAGE}\n', line: 2 },
    ],
    good: [
      { path: 'Dockerfile', text: 'FROM node:22.11@sha256:' + 'b'.repeat(64) + '\n' },
      {
        path: 'Dockerfile',
        text:
          'FROM rust:1.82@sha256:' +
          'c'.repeat(64) +
          ' AS build\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=0 /lib /lib\n',
      },
      { path: 'Dockerfile', text: 'FROM ubuntu:latest\n' },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    for (const use of doc.images) {
      const ref = parseImageRef(use.image.value);
      if (!ref || isScratch(ref) || pinStatus(ref) !== 'unpinned') continue;
      const unresolved = use.image.unresolved;
      const note =
        unresolved.length > 0
          ? ` (${unresolved.map((n) => `ARG ${n}`).join(', ')} has no value here: make sure what it holds is pinned)`
          : '';
      ctx.report({
        message: `${WRITTEN[use.kind]}${shown(use)} is not pinned by digest${note}: use ${WRITTEN[use.kind]}${pinnedExample(ref)}`,
        at: use.span,
        confidence: unresolved.length > 0 ? 'low' : 'high',
      });
    }
  },
} satisfies Rule<DockerfileDoc>;
