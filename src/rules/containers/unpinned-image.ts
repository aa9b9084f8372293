import { IMAGE_PATTERNS, imageMatcher } from '../../analysis/image-patterns.js';
import { pinnedLine } from '../../analysis/image-fix.js';
import { isScratch, parseImageRef, pinnedExample, pinStatus, type ImageRef } from '../../analysis/image-ref.js';
import { s } from '../../core/schema.js';
import type { CheckContext, Rule } from '../../core/types.js';
import { refsWithStatus, workflowImages, type WorkflowImage } from '../../analysis/workflow-images.js';
import { imageUseNote } from '../../analysis/root-stage.js';
import { composeVars } from '../../analysis/compose-vars.js';
import { workloadImages } from '../../analysis/workloads.js';
import type { DockerfileDoc, ImageUse } from '../../parsers/dockerfile.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const WRITTEN: Record<ImageUse['kind'], string> = { from: 'FROM ', copy: 'COPY --from=', mount: 'RUN --mount=from=' };
/** `name@sha256:${DIGEST}`: the digest comes from a variable, so the reference is pinned by intent, as Scorecard counts it. */
const digestFromVariable = (ref: ImageRef): boolean => ref.digest !== undefined && /^sha256:\$/.test(ref.digest);
/** Images whose tags the config accepts as pins (e.g. a registry with immutable tags). A type, to fit Rule's Record options. */
type Options = { 'tag-pinned-ok': string[] };
const shown = (use: ImageUse): string =>
  use.image.raw === use.image.value ? use.image.value : `${use.image.raw} (= ${use.image.value})`;

export default {
  id: 'unpinned-image',
  title: 'Image is not pinned by digest',
  severity: 'high',
  area: 'containers',
  summary:
    'An image is pulled by tag without an `@sha256:` digest (Dockerfile FROM, COPY --from, RUN --mount from=; workflow `container:`, ' +
    '`services.*.image`, `uses: docker://`, action `runs.image`; compose and Kubernetes `image:`), so the bytes behind the tag can change.',
  rationale:
    'Tags are mutable: the publisher, anyone who takes over the account, or a compromised registry can point `node:22` at different content, ' +
    'and your next build ships it. A digest names exactly one image and cannot be moved. Images with `:latest` or no tag at all are reported by ' +
    '`latest-image-tag` instead: one reference raises at most one of the two rules. When the reference comes from an `ARG` that has no value ' +
    'in the Dockerfile, it is still reported, with low confidence. In workflows, an image written as one whole expression is checked for each value the file writes for it: ' +
    'the values the job\'s matrix lists for `${{ matrix.x }}`, and every string literal it can yield (`${{ c && \'redis:7\' || \'\' }}`), ' +
    'at medium confidence when some other value (an input) can also be the image; with none of these it is skipped. In compose files, a service with both `build:` ' +
    'and `image:` names the image it builds and is skipped; variables the committed `.env` beside the compose file sets are interpolated ' +
    'as compose does and the result judged at medium confidence (the shell can override the file); otherwise an image that is one whole `${VAR}` ' +
    'is skipped (its `${VAR:-default}` is checked with low confidence), and a variable inside the reference (`app:${TAG}`) lowers the confidence. Images matching the ' +
    '`tag-pinned-ok` option (say, a registry whose tags are immutable) are accepted with a tag. Medium with low confidence: a reference ' +
    'only a template tool fills in (`${templateOption:x}`, `REPLACE-ME`) and any image of a dev container (built by a devcontainer.json, ' +
    'or on a dev container base). Low: the parent of a base image definition (a command that is a bare interpreter or shell, nothing ' +
    'copied but scripts, like the official language images), which tracks its parent\'s tag so that every rebuild takes its fixes, and an ' +
    'image a Buildx named context in the repository\'s Bake file replaces with a target it builds (`contexts = { "ghcr.io/acme/base" = "target:base" }`).',
  fix:
    'Keep the tag for readability and add the digest: `FROM node:22.11@sha256:<digest>` in a Dockerfile; `image: node:22.11@sha256:<digest>` ' +
    'in compose, Kubernetes and a workflow\'s `services:`; the same reference in a workflow `container:`, a matrix value or after `docker://` ' +
    '(find the digest with `docker buildx imagetools inspect node:22.11`). Let Dependabot or Renovate keep the pin current. Build stages, stage numbers (`COPY --from=0`) and `scratch` are not reported.',
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
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: node:22\n    services:\n      db:\n        image: postgres:17\n    steps:\n      - run: npm test\n',
        line: 5,
      },
      {
        path: '.github/workflows/lint.yml',
        text: 'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://ghcr.io/super-linter/super-linter:v7\n',
        line: 6,
      },
      {
        path: '.github/workflows/matrix.yml',
        text:
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        image: [\'ubuntu:24.04@sha256:' +
          'd'.repeat(64) +
          "', 'debian:12']\n    container: ${{ matrix.image }}\n    steps:\n      - run: make\n",
        line: 8,
      },
      {
        path: '.github/workflows/cache.yml',
        text:
          "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      redis:\n        image: ${{ vars.CACHE == 'on' && 'redis:7' || '' }}\n" +
          '    steps:\n      - run: make test\n',
        line: 7,
      },
      { path: 'action.yml', text: "name: lint\nruns:\n  using: docker\n  image: 'docker://alpine:3.20'\n", line: 4 },
      { path: 'docker-compose.yml', text: 'services:\n  db:\n    image: postgres:17.2\n', line: 3 },
      {
        path: 'k8s/deployment.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n',
        line: 8,
      },
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
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container:\n      image: node:22@sha256:' +
          'e'.repeat(64) +
          '\n    services:\n      db:\n        image: ${{ inputs.db-image }}\n    steps:\n      - uses: docker://alpine@sha256:' +
          'f'.repeat(64) +
          '\n',
      },
      { path: 'action.yml', text: 'name: build\nruns:\n  using: docker\n  image: Dockerfile\n' },
      {
        path: '.github/workflows/cache.yml',
        text:
          "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      redis:\n        image: ${{ vars.CACHE == 'on' && 'redis:7@sha256:" +
          'c'.repeat(64) +
          "' || '' }}\n    steps:\n      - run: make test\n",
      },
      { path: 'Dockerfile', text: 'ARG DIGEST\nFROM node:22@sha256:${DIGEST}\n' },
      {
        path: 'compose.yaml',
        text: 'services:\n  app:\n    build: .\n    image: example/app:1.0\n  db:\n    image: postgres:17.2@sha256:' + 'e'.repeat(64) + '\n',
      },
    ],
  },
  reads: ['dockerfile', 'workflow', 'workload'],
  options: {
    schema: s.object({
      'tag-pinned-ok': s.array(s.string({ nonEmpty: true }), {
        description: `Images whose tag is accepted without a digest, e.g. an internal registry with immutable tags (\`:latest\` and untagged references are still reported by latest-image-tag). ${IMAGE_PATTERNS}`,
      }),
    }),
    defaults: { 'tag-pinned-ok': [] },
  },
  check(doc, ctx) {
    const tagOk = imageMatcher(ctx.options['tag-pinned-ok']);
    if ('jobs' in doc) return checkImages(workflowImages(doc), ctx, tagOk, doc.text);
    if ('pods' in doc) return checkImages(workloadImages(doc, doc.format === 'compose' ? composeVars(ctx.project, ctx.path) : undefined), ctx, tagOk, ctx.project.read(ctx.path));
    for (const use of doc.images) {
      const ref = parseImageRef(use.image.value);
      if (!ref || isScratch(ref) || pinStatus(ref) !== 'unpinned' || digestFromVariable(ref) || tagOk(ref)) continue;
      const unresolved = use.image.unresolved;
      const note =
        unresolved.length > 0
          ? ` (${unresolved.map((n) => `ARG ${n}`).join(', ')} has no value here: make sure what it holds is pinned)`
          : '';
      const why = imageUseNote(doc, use, ctx.project, ctx.path, true);
      ctx.report({
        message: `${WRITTEN[use.kind]}${shown(use)} is not pinned by digest${note}${why?.note ?? ''}: use \`${WRITTEN[use.kind]}${pinnedExample(ref)}\``,
        at: use.span,
        ...(why ? { severity: why.severity } : {}),
        confidence: why?.confidence ?? (unresolved.length > 0 ? 'low' : 'high'),
      });
    }
  },
} satisfies Rule<DockerfileDoc | WorkflowDoc | WorkloadDoc, Options>;

function checkImages(images: readonly WorkflowImage[], ctx: CheckContext<Options>, tagOk: (ref: ImageRef) => boolean, text: string | undefined): void {
  for (const use of images) {
    const bad = refsWithStatus(use, 'unpinned').filter((r) => !digestFromVariable(r.ref) && !tagOk(r.ref));
    if (bad.length === 0) continue;
    const first = bad[0]!;
    const what = use.expression
      ? `${use.where}${use.expression} can be ${bad.map((r) => r.text).join(', ')}, not pinned by digest`
      : first.viaMatrix
      ? `${use.where}${'${{'} matrix.${first.viaMatrix} }} can be ${bad.map((r) => r.text).join(', ')}, not pinned by digest`
      : `${use.where}${first.text} is not pinned by digest`;
    ctx.report({
      message: `${what}: write ${pinnedLine(use, pinnedExample(first.ref), text, first.viaMatrix !== undefined)} (the tag kept for readability, the digest makes it immutable)`,
      at: use.span,
      confidence: use.confidence,
    });
  }
}
