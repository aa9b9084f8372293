import { imageMatcher } from './image-patterns.js';
import type { ImageRef } from './image-ref.js';

/** Base images whose default user is not root; a final stage (or a Kubernetes container) built on one needs no USER. `image` is a canonical name, `*` matches a path tail. */
export const NON_ROOT_BASE_IMAGES: readonly { image: string; tag?: RegExp | undefined; path?: RegExp; why: string }[] = [
  {
    image: 'gcr.io/distroless/*',
    tag: /(^|-)nonroot(-|$)/,
    why: 'distroless :nonroot and :debug-nonroot run as uid 65532',
  },
  { image: 'cgr.dev/chainguard/*', why: 'Chainguard images default to the nonroot user (uid 65532)' },
  { image: 'docker.io/nginxinc/nginx-unprivileged', why: 'runs as the nginx user (uid 101)' },
  { image: 'docker.io/bitnami/*', why: 'Bitnami images run as uid 1001' },
  { image: 'mcr.microsoft.com/dotnet/*', tag: /(^|-)chiseled(-|$)/, why: '.NET chiseled images run as the app user (uid 1654)' },
  { image: 'registry.access.redhat.com/*', why: 'UBI language images (ubi9/nodejs-20, ubi9/python-312…) run as uid 1001', path: /\/ubi\d+\/(nodejs|python|php|ruby|perl|go-toolset|openjdk)-/ },
  { image: 'docker.io/grafana/grafana', why: 'runs as the grafana user (uid 472)' },
  { image: 'docker.io/grafana/k6', why: 'runs as the k6 user (uid 12345)' },
  { image: 'docker.io/prom/prometheus', why: 'runs as nobody' },
  { image: 'quay.io/prometheus/*', why: 'the Prometheus images run as nobody' },
  { image: 'docker.io/jenkins/jenkins', why: 'runs as the jenkins user (uid 1000)' },
  { image: 'quay.io/keycloak/keycloak', why: 'runs as uid 1000' },
  { image: 'mcr.microsoft.com/devcontainers/universal', why: 'runs as the codespace user' },
  { image: 'mcr.microsoft.com/vscode/devcontainers/universal', why: 'runs as the codespace user' },
];

export function defaultsToNonRoot(ref: ImageRef): boolean {
  return NON_ROOT_BASE_IMAGES.some(({ image, tag, path }) => {
    const match = image.endsWith('/*') ? ref.canonical.startsWith(image.slice(0, -1)) : ref.canonical === image;
    return match && (tag === undefined || tag.test(ref.tag ?? 'latest')) && (path === undefined || path.test(ref.canonical));
  });
}

/** The built-in list, or one of `extra` (image patterns from the config, see image-patterns.ts). */
export function nonRootMatcher(extra: readonly string[]): (ref: ImageRef) => boolean {
  const configured = imageMatcher(extra);
  return (ref) => defaultsToNonRoot(ref) || configured(ref);
}
