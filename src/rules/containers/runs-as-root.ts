import { parseImageRef } from '../../analysis/image-ref.js';
import { IMAGE_PATTERNS } from '../../analysis/image-patterns.js';
import { nonRootMatcher } from '../../analysis/non-root-images.js';
import { workloadContainers } from '../../analysis/workloads.js';
import { s } from '../../core/schema.js';
import { isKustomizePatch } from '../../analysis/kustomize.js';
import { stagesThatRun, stageUserReport } from '../../analysis/root-stage.js';
import type { CheckContext, Rule } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

export { defaultsToNonRoot, NON_ROOT_BASE_IMAGES } from '../../analysis/non-root-images.js';

const ROOT = /^(root|0)(:.*)?$/;
/** Image patterns (beside NON_ROOT_BASE_IMAGES) whose default user is not root. A type, not an interface: it fits Rule's Record options. */
type Options = { 'non-root-images': string[] };
const K8S_POD = (podSecurity: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${podSecurity}  containers:\n    - name: web\n      image: example/web:1.0\n`;

export default {
  id: 'runs-as-root',
  title: 'Container runs as root',
  severity: 'high',
  area: 'containers',
  summary:
    "The final stage's user is root: its last `USER` is `root` or `0`, or no `USER` is set in it or the stages it builds on; a compose " +
    'service sets `user: root` or `0`; a Kubernetes container has neither `runAsNonRoot: true` nor a non-zero `runAsUser` (pod or container level).',
  rationale:
    'A process running as root inside the container is root on the kernel it shares with the host: a container escape, a writable host ' +
    'mount or a misconfigured capability turns an application bug into a host compromise. Most images default to root, so without a ' +
    '`USER` instruction the application runs as root. Base images known to default to a non-root user (distroless `:nonroot`, Chainguard, and those ' +
    'listed in the `non-root-images` option) are not reported. ' +
    'The stage judged is the image people run: the target a compose file beside it builds (`build.target`), else the last stage; a last ' +
    'stage that only exports files (`FROM scratch` with COPY and no command, as for `docker build --output`) runs nothing, and then the ' +
    'stages with their own CMD or ENTRYPOINT are judged. Not reported: a base image definition (its command a bare interpreter or shell, ' +
    'copying nothing but scripts, like the official language images: the image built FROM it chooses the user) and a dev container whose ' +
    'devcontainer.json sets remoteUser or containerUser. Medium with low confidence: another dev container image, an official server ' +
    'image that drops privileges itself (nginx and httpd workers, PHP-FPM pools, the gosu entrypoints of postgres, mysql, redis…) while its ' +
    'command is kept, an OS or language image with no CMD or ENTRYPOINT that nothing runs as a service (a tool environment), and a FROM ' +
    'that only a template tool fills in (`FROM REPLACE-ME`), and an image whose base this repository builds itself (a Buildx named ' +
    'context in its Bake file), whose user that other Dockerfile decides. ' +
    'A compose service without `user:` runs as the image\'s USER, which its Dockerfile decides, so only an explicit root user is reported. A Kubernetes ' +
    'container that says nothing is reported with medium confidence (the image may set a non-root USER, but nothing enforces it); ' +
    '`runAsUser: 0` or `runAsNonRoot: false` with high confidence; a Kustomize patch or a container without an image, which holds only ' +
    'what it changes, is judged on what it sets.',
  fix:
    'Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd --system --uid 10001 app` then `USER 10001` ' +
    '(a numeric uid lets Kubernetes `runAsNonRoot` verify it). Keep root only for the build steps that need it, before the last `USER`. ' +
    'In compose, remove `user: root` or set `user: "10001:10001"`; in Kubernetes, set `securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the pod.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#user',
    'https://docs.docker.com/reference/dockerfile/#user',
    'https://github.com/hadolint/hadolint/wiki/DL3002',
    'CIS Docker Benchmark 4.1 (ensure that a user for the container has been created)',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n', line: 1 },
      { path: 'Dockerfile', text: 'FROM python:3.12\nUSER app\nRUN pip install .\nUSER root\n', line: 4 },
      { path: 'Dockerfile', text: 'FROM alpine:3.20 AS base\nUSER 0:0\nFROM base\nCMD ["sh"]\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM golang:1.23 AS build\nUSER builder\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n',
        line: 3,
      },
      { path: 'docker-compose.yml', text: 'services:\n  app:\n    image: example/app:1.0\n    user: root\n', line: 4 },
      { path: 'k8s/deployment.yaml', text: K8S_POD('  securityContext:\n    runAsUser: 0\n'), line: 7 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text: 'FROM node:22\nRUN useradd --uid 10001 app\nUSER 10001\nCMD ["node", "server.js"]\n',
      },
      {
        path: 'Dockerfile',
        text: 'FROM golang:1.23 AS build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n',
      },
      {
        path: 'Dockerfile',
        text: 'ARG APP_USER=app\nFROM alpine:3.20 AS base\nARG APP_USER\nUSER ${APP_USER}\nFROM base\nCMD ["sh"]\n',
      },
      { path: 'Dockerfile', text: 'FROM cgr.dev/chainguard/node:latest\nCOPY . /app\n' },
      { path: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27\n  app:\n    image: example/app:1.0\n    user: "10001:10001"\n' },
      { path: 'k8s/deployment.yaml', text: K8S_POD('  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n') },
    ],
  },
  reads: ['dockerfile', 'workload'],
  options: {
    schema: s.object({
      'non-root-images': s.array(s.string({ nonEmpty: true }), {
        description: `Base images known to run as a non-root user, checked beside the built-in list (distroless \`:nonroot\`, Chainguard, nginx-unprivileged, Bitnami, .NET chiseled, UBI language images, Grafana, k6, Prometheus…). ${IMAGE_PATTERNS}`,
      }),
    }),
    defaults: { 'non-root-images': [] },
  },
  check(doc, ctx) {
    if ('pods' in doc) return checkWorkload(doc, ctx);
    // The compose targets built, else the last stage; an export stage runs nothing (then the --target stages run).
    const isNonRoot = nonRootMatcher(ctx.options['non-root-images']);
    for (const { stage, label } of stagesThatRun(doc, ctx.project, ctx.path)) {
      const report = stageUserReport(doc, stage, label, ctx.project, ctx.path, isNonRoot);
      if (report) ctx.report(report);
    }
  },
} satisfies Rule<DockerfileDoc | WorkloadDoc, Options>;

function checkWorkload(doc: WorkloadDoc, ctx: CheckContext<Options>): void {
  const isNonRoot = nonRootMatcher(ctx.options['non-root-images']);
  // a Kustomize patch, or a container without an image, holds only what it changes: what it leaves out is its base's
  const patch = doc.format === 'kubernetes' && isKustomizePatch(ctx.project, ctx.path);
  for (const { container, where } of workloadContainers(doc)) {
    const { user, runAsNonRoot } = container;
    const uid = user?.value.trim();
    if (doc.format === 'compose') {
      if (user && uid !== undefined && ROOT.test(uid))
        ctx.report({ message: `${where} runs as root (\`user: ${uid}\`): remove it or set \`user: "10001:10001"\`.`, at: user.span });
      continue;
    }
    if (runAsNonRoot?.value === true || (uid !== undefined && /^\d+$/.test(uid) && Number(uid) !== 0)) continue;
    const fix = 'set `runAsNonRoot: true` and `runAsUser: 10001` in its `securityContext` (or the pod\'s)';
    if (user && uid === '0') ctx.report({ message: `${where} runs as root (\`runAsUser: 0\`): ${fix}.`, at: user.span });
    else if (runAsNonRoot) ctx.report({ message: `${where} allows root (\`runAsNonRoot: false\`): ${fix}.`, at: runAsNonRoot.span });
    else if (user) ctx.report({ message: `${where} sets \`runAsUser: ${uid}\`, not a uid: ${fix}.`, at: user.span, confidence: 'low' });
    else if (!patch && container.image) {
      const ref = parseImageRef(container.image.value);
      if (ref && isNonRoot(ref)) continue;
      ctx.report({
        message: `${where} sets neither \`runAsNonRoot: true\` nor a non-zero \`runAsUser\`, so it runs as root unless its image names a non-root user: ${fix}.`,
        at: container.securityContextSpan ?? container.span,
        confidence: 'medium',
      });
    }
  }
}
