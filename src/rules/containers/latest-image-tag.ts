import { pinnedLine } from '../../analysis/image-fix.js';
import { isScratch, parseImageRef, pinnedExample, pinStatus } from '../../analysis/image-ref.js';
import type { CheckContext, Rule } from '../../core/types.js';
import { refsWithStatus, workflowImages, type WorkflowImage } from '../../analysis/workflow-images.js';
import { imageUseNote } from '../../analysis/root-stage.js';
import { composeVars } from '../../analysis/compose-vars.js';
import { workloadImages } from '../../analysis/workloads.js';
import type { DockerfileDoc, ImageUse } from '../../parsers/dockerfile.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const WRITTEN: Record<ImageUse['kind'], string> = { from: 'FROM ', copy: 'COPY --from=', mount: 'RUN --mount=from=' };
const shown = (use: ImageUse): string =>
  use.image.raw === use.image.value ? use.image.value : `${use.image.raw} (= ${use.image.value})`;

export default {
  id: 'latest-image-tag',
  title: 'Image uses the latest tag or no tag',
  severity: 'high',
  area: 'containers',
  summary:
    'An image is pulled with `:latest` or with neither tag nor digest (Dockerfile FROM, COPY --from, RUN --mount from=; workflow `container:`, ' +
    '`services.*.image`, `uses: docker://`, action `runs.image`; compose and Kubernetes `image:`, init containers included), ' +
    'so every run may get a different image.',
  rationale:
    '`latest` is a moving label, and an image without a tag means `latest`. Builds stop being reproducible, a new major version of the base can break ' +
    'the build or the runtime without any change in the repository, and a compromised or hijacked upstream image reaches you on the next build. ' +
    'An image that has a tag but no digest is reported by `unpinned-image` instead: one reference raises at most one of the two rules. ' +
    'A compose service with both `build:` and `image:` names what it builds and is not reported; a compose image that is one whole ' +
    '`${VAR}` is skipped. A reference only a template tool fills in (`REPLACE-ME`) and any image of a dev container (built by a ' +
    'devcontainer.json, or on a dev container base) are medium with low confidence; an image a Buildx named context in the repository\'s ' +
    'Bake file replaces with a target it builds (`contexts = { "ghcr.io/acme/base" = "target:base" }`) is low: nothing is pulled.',
  fix:
    'Name an explicit version and pin it by digest: `FROM node:22.11@sha256:<digest>` in a Dockerfile, `image: node:22.11@sha256:<digest>` in compose, ' +
    'Kubernetes and a workflow\'s `services:`, and the same reference in a workflow `container:` (get the digest with ' +
    '`docker buildx imagetools inspect node:22.11`). Let Dependabot or Renovate update the pin. Build stages (`FROM build`) and `scratch` are not images and are not reported.',
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
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      cache:\n        image: redis:latest\n    steps:\n      - run: make test\n',
        line: 7,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://ubuntu\n        with:\n          args: echo hi\n',
        line: 6,
      },
      {
        path: 'build/Dockerfile',
        text:
          'FROM golang:1.23@sha256:' + 'a'.repeat(64) + ' AS build\nFROM scratch\nCOPY --from=busybox /bin/sh /sh\n',
        line: 3,
      },
      { path: 'docker-compose.yml', text: 'services:\n  cache:\n    image: redis\n', line: 3 },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      initContainers:\n' +
          '        - name: migrate\n          image: example/migrate:latest\n      containers:\n        - name: api\n          image: example/api:1.4\n',
        line: 10,
      },
      { path: 'action.yml', text: 'name: lint\nruns:\n  using: docker\n  image: docker://hadolint/hadolint\n', line: 4 },
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
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container:\n      image: ${{ matrix.image }}\n    strategy:\n      matrix:\n        image: [node:22, node:20]\n    steps:\n      - run: npm test\n',
      },
      { path: 'compose.yaml', text: 'services:\n  app:\n    build: ./app\n    image: example/app\n  db:\n    image: ${DB_IMAGE}\n' },
    ],
  },
  reads: ['dockerfile', 'workflow', 'workload'],
  check(doc, ctx) {
    if ('jobs' in doc) return checkImages(workflowImages(doc), ctx, doc.text);
    if ('pods' in doc) return checkImages(workloadImages(doc, doc.format === 'compose' ? composeVars(ctx.project, ctx.path) : undefined), ctx, ctx.project.read(ctx.path));
    for (const use of doc.images) {
      const ref = parseImageRef(use.image.value);
      if (!ref || isScratch(ref) || pinStatus(ref) !== 'latest') continue;
      const what = ref.tag === 'latest' ? 'uses the moving `latest` tag' : 'has no tag, so it means `latest`';
      const unresolved = use.image.unresolved;
      const note =
        unresolved.length > 0
          ? ` (${unresolved.map((n) => `ARG ${n}`).join(', ')} has no value here, so the image may differ)`
          : '';
      const why = imageUseNote(doc, use, ctx.project, ctx.path, false);
      ctx.report({
        message: `${WRITTEN[use.kind]}${shown(use)} ${what}${note}${why?.note ?? ''}: pin a version and digest, e.g. \`${WRITTEN[use.kind]}${pinnedExample(ref)}\``,
        at: use.span,
        ...(why ? { severity: why.severity } : {}),
        confidence: why?.confidence ?? (unresolved.length > 0 ? 'low' : 'high'),
      });
    }
  },
} satisfies Rule<DockerfileDoc | WorkflowDoc | WorkloadDoc>;

function checkImages(images: readonly WorkflowImage[], ctx: CheckContext, text: string | undefined): void {
  for (const use of images) {
    const bad = refsWithStatus(use, 'latest');
    if (bad.length === 0) continue;
    const first = bad[0]!;
    const what = use.expression
      ? `${use.where}${use.expression} can be ${bad.map((r) => r.text).join(', ')}, the moving \`latest\` image`
      : first.viaMatrix
      ? `${use.where}${'${{'} matrix.${first.viaMatrix} }} can be ${bad.map((r) => r.text).join(', ')}, the moving \`latest\` image`
      : `${use.where}${first.text} ${first.ref.tag === 'latest' ? 'uses the moving `latest` tag' : 'has no tag, so it means `latest`'}`;
    ctx.report({
      message: `${what}: pin a version and digest, e.g. ${pinnedLine(use, pinnedExample(first.ref), text, first.viaMatrix !== undefined)}`,
      at: use.span,
      confidence: use.confidence,
    });
  }
}
