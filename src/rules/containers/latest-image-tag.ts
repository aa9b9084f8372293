import { isScratch, parseImageRef, pinnedExample, pinStatus } from '../../analysis/image-ref.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc, ImageUse } from '../../parsers/dockerfile.js';

const WRITTEN: Record<ImageUse['kind'], string> = { from: 'FROM ', copy: 'COPY --from=', mount: 'RUN --mount=from=' };
const shown = (use: ImageUse): string =>
  use.image.raw === use.image.value ? use.image.value : `${use.image.raw} (= ${use.image.value})`;

export default {
  id: 'latest-image-tag',
  title: 'Image uses the latest tag or no tag',
  severity: 'high',
  area: 'containers',
  summary:
    'A Dockerfile pulls an image with `:latest` or with neither tag nor digest (FROM, COPY --from, RUN --mount from=), so every build may get a different image.',
  rationale:
    '`latest` is a moving label, and an image without a tag means `latest`. Builds stop being reproducible, a new major version of the base can break ' +
    'the build or the runtime without any change in the repository, and a compromised or hijacked upstream image reaches you on the next build. ' +
    'An image that has a tag but no digest is reported by `unpinned-image` instead: one reference raises at most one of the two rules.',
  fix:
    'Name an explicit version and pin it by digest: `FROM node:22.11@sha256:<digest>` (get the digest with `docker buildx imagetools inspect node:22.11`). ' +
    'Let Dependabot or Renovate update the pin. Build stages (`FROM build`) and `scratch` are not images and are not reported.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
    'https://docs.docker.com/reference/dockerfile/#from',
    'https://github.com/hadolint/hadolint/wiki/DL3006',
    'https://github.com/hadolint/hadolint/wiki/DL3007',
    'CIS Docker Benchmark 4.2 (use trusted base images) and 4.11 (verify image authenticity)',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM node:latest\nRUN npm ci\n', line: 1 },
      { path: 'Dockerfile', text: 'FROM ubuntu\nRUN apt-get update\n', line: 1 },
      { path: 'Dockerfile', text: 'ARG BASE=python\nFROM ${BASE}\n', line: 2 },
      {
        path: 'build/Dockerfile',
        text:
          'FROM golang:1.23@sha256:' + 'a'.repeat(64) + ' AS build\nFROM scratch\nCOPY --from=busybox /bin/sh /sh\n',
        line: 3,
      },
    ],
    good: [
      { path: 'Dockerfile', text: 'FROM node:22.11@sha256:' + 'b'.repeat(64) + '\n' },
      { path: 'Dockerfile', text: 'FROM node:22.11\n' },
      {
        path: 'Dockerfile',
        text:
          'FROM golang:1.23@sha256:' +
          'c'.repeat(64) +
          ' AS Build\nFROM build AS test\nFROM scratch\nCOPY --from=BUILD /app /app\n',
      },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    for (const use of doc.images) {
      const ref = parseImageRef(use.image.value);
      if (!ref || isScratch(ref) || pinStatus(ref) !== 'latest') continue;
      const what = ref.tag === 'latest' ? 'uses the moving `latest` tag' : 'has no tag, so it means `latest`';
      const unresolved = use.image.unresolved;
      const note =
        unresolved.length > 0
          ? ` (${unresolved.map((n) => `ARG ${n}`).join(', ')} has no value here, so the image may differ)`
          : '';
      ctx.report({
        message: `${WRITTEN[use.kind]}${shown(use)} ${what}${note}: pin a version and digest, e.g. ${WRITTEN[use.kind]}${pinnedExample(ref)}`,
        at: use.span,
        confidence: unresolved.length > 0 ? 'low' : 'high',
      });
    }
  },
} satisfies Rule<DockerfileDoc>;
