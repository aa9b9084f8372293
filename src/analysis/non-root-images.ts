import { imageMatcher } from './image-patterns.js';
import type { ImageRef } from './image-ref.js';

/** Base images whose default user is not root; a final stage (or a Kubernetes container) built on one needs no USER. `image` is a canonical name, `*` matches a path tail. */
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

/** The built-in list, or one of `extra` (image patterns from the config, see image-patterns.ts). */
export function nonRootMatcher(extra: readonly string[]): (ref: ImageRef) => boolean {
  const configured = imageMatcher(extra);
  return (ref) => defaultsToNonRoot(ref) || configured(ref);
}
