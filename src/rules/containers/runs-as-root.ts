import { parseImageRef, type ImageRef } from '../../analysis/image-ref.js';
import type { Confidence, Rule } from '../../core/types.js';
import type { DockerfileDoc, Stage, UserInstruction } from '../../parsers/dockerfile.js';

/** Base images whose default user is not root; a final stage built on one needs no USER. `image` is a canonical name, `*` matches a path tail. */
export const NON_ROOT_BASE_IMAGES: readonly { image: string; tag?: RegExp; why: string }[] = [
  {
    image: 'gcr.io/distroless/*',
    tag: /(^|-)nonroot(-|$)/,
    why: 'distroless :nonroot and :debug-nonroot run as uid 65532',
  },
  { image: 'cgr.dev/chainguard/*', why: 'Chainguard images default to the nonroot user (uid 65532)' },
  { image: 'docker.io/nginxinc/nginx-unprivileged', why: 'runs as the nginx user (uid 101)' },
];

export function defaultsToNonRoot(ref: ImageRef): boolean {
  return NON_ROOT_BASE_IMAGES.some(({ image, tag }) => {
    const match = image.endsWith('/*') ? ref.canonical.startsWith(image.slice(0, -1)) : ref.canonical === image;
    return match && (tag === undefined || tag.test(ref.tag ?? 'latest'));
  });
}

const ROOT = /^(root|0)(:.*)?$/;

export default {
  id: 'runs-as-root',
  title: 'Container runs as root',
  severity: 'high',
  area: 'containers',
  summary:
    "The final stage's user is root: its last `USER` is `root` or `0`, or no `USER` is set in it or the stages it builds on.",
  rationale:
    'A process running as root inside the container is root on the kernel it shares with the host: a container escape, a writable host ' +
    'mount or a misconfigured capability turns an application bug into a host compromise. Most images default to root, so without a ' +
    '`USER` instruction the application runs as root. Base images known to default to a non-root user (distroless `:nonroot`, Chainguard) are not reported.',
  fix:
    'Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd --system --uid 10001 app` then `USER 10001` ' +
    '(a numeric uid lets Kubernetes `runAsNonRoot` verify it). Keep root only for the build steps that need it, before the last `USER`.',
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
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
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
    if (ref && defaultsToNonRoot(ref)) return;
    const confidence: Confidence = root.image.unresolved.length > 0 ? 'low' : 'high';
    ctx.report({
      message: `The final stage (FROM ${final.image.value.replace(/@sha256:[a-f0-9]{64}$/, '@sha256:…')}) sets no USER, so it runs as root: add an unprivileged user and USER 10001 at the end.`,
      at: final.fromSpan,
      confidence,
    });
  },
} satisfies Rule<DockerfileDoc>;
