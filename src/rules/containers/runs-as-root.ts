import { parseImageRef } from '../../analysis/image-ref.js';
import { IMAGE_PATTERNS } from '../../analysis/image-patterns.js';
import { nonRootMatcher } from '../../analysis/non-root-images.js';
import { workloadContainers } from '../../analysis/workloads.js';
import { s } from '../../core/schema.js';
import type { CheckContext, Confidence, Rule } from '../../core/types.js';
import type { DockerfileDoc, Stage, UserInstruction } from '../../parsers/dockerfile.js';
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
    'A compose service without `user:` runs as the image\'s USER, which its Dockerfile decides, so only an explicit root user is reported. A Kubernetes ' +
    'container that says nothing is reported with medium confidence (the image may set a non-root USER, but nothing enforces it); ' +
    '`runAsUser: 0` or `runAsNonRoot: false` with high confidence.',
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
        description: `Base images known to run as a non-root user, checked beside the built-in list (distroless \`:nonroot\`, Chainguard, nginx-unprivileged). ${IMAGE_PATTERNS}`,
      }),
    }),
    defaults: { 'non-root-images': [] },
  },
  check(doc, ctx) {
    if ('pods' in doc) return checkWorkload(doc, ctx);
    const final = doc.stages.at(-1);
    if (!final) return;
    let stage: Stage | undefined = final;
    let root: Stage = final;
    let user: UserInstruction | undefined;
    for (
      const seen = new Set<number>();
      stage && !seen.has(stage.index);
      stage = stage.parent !== undefined ? doc.stages[stage.parent] : undefined
    ) {
      seen.add(stage.index);
      root = stage;
      user = stage.users.at(-1);
      if (user) break;
    }
    const related =
      user && stage !== final ? [{ at: final.fromSpan, label: 'the final stage, which inherits this USER' }] : [];
    if (user) {
      const name = user.user.value.split(':')[0]!;
      const unresolved = user.user.unresolved;
      if (unresolved.length > 0 && name.includes('$')) {
        const args = unresolved.map((n) => `ARG ${n}`).join(', ');
        ctx.report({
          message: `USER ${user.user.raw} cannot be resolved (${args} has no value here): make sure the image does not run as root.`,
          at: user.span,
          confidence: 'low',
          related,
        });
      } else if (ROOT.test(user.user.value)) {
        ctx.report({
          message: `The final image runs as root (USER ${user.user.raw}): switch to an unprivileged user, e.g. USER 10001, after the steps that need root.`,
          at: user.span,
          related,
        });
      }
      return;
    }
    const ref = parseImageRef(root.image.value);
    if (ref && nonRootMatcher(ctx.options['non-root-images'])(ref)) return;
    const confidence: Confidence = root.image.unresolved.length > 0 ? 'low' : 'high';
    ctx.report({
      message: `The final stage (FROM ${final.image.value.replace(/@sha256:[a-f0-9]{64}$/, '@sha256:…')}) sets no USER, so it runs as root: add an unprivileged user and USER 10001 at the end.`,
      at: final.fromSpan,
      confidence,
    });
  },
} satisfies Rule<DockerfileDoc | WorkloadDoc, Options>;

function checkWorkload(doc: WorkloadDoc, ctx: CheckContext<Options>): void {
  const isNonRoot = nonRootMatcher(ctx.options['non-root-images']);
  for (const { container, where } of workloadContainers(doc)) {
    const { user, runAsNonRoot } = container;
    const uid = user?.value.trim();
    if (doc.format === 'compose') {
      if (user && uid !== undefined && ROOT.test(uid))
        ctx.report({ message: `${where} runs as root (user: ${uid}): remove it or set user: "10001:10001".`, at: user.span });
      continue;
    }
    if (runAsNonRoot?.value === true || (uid !== undefined && /^\d+$/.test(uid) && Number(uid) !== 0)) continue;
    const fix = 'set runAsNonRoot: true and runAsUser: 10001 in the securityContext';
    if (user && uid === '0') ctx.report({ message: `${where} runs as root (runAsUser: 0): ${fix}.`, at: user.span });
    else if (runAsNonRoot) ctx.report({ message: `${where} allows root (runAsNonRoot: false): ${fix}.`, at: runAsNonRoot.span });
    else if (user) ctx.report({ message: `${where} sets runAsUser: ${uid}, not a uid: ${fix}.`, at: user.span, confidence: 'low' });
    else {
      const ref = container.image && parseImageRef(container.image.value);
      if (ref && isNonRoot(ref)) continue;
      ctx.report({
        message: `${where} sets neither runAsNonRoot: true nor a non-zero runAsUser, so it runs as root unless its image sets a USER: ${fix}.`,
        at: container.securityContextSpan ?? container.span,
        confidence: 'medium',
      });
    }
  }
}
