import { Minimatch } from 'minimatch';
import { parseImageRef, type ImageRef } from './image-ref.js';

/**
 * Image patterns from the config file (`rules.<id>.options`): a name glob, normalised the way Docker
 * names images (`node` is `docker.io/library/node`, `myorg/*` is `docker.io/myorg/*`), with an optional
 * `:tag` glob; a bare registry host (`registry.example.com`, `localhost:5000`: a name with a dot, or localhost) means every image in it.
 * `*` stays within one path segment, `**` crosses them.
 */
/** How the patterns are written, for option descriptions. */
export const IMAGE_PATTERNS =
  'Each is a name glob, normalised as Docker does (`node` is `docker.io/library/node`; `*` stays in one path segment, `**` crosses them), ' +
  'with an optional `:tag` glob (`myorg/app:*-nonroot`), or a registry host for all its images (`registry.example.com`).';

export type ImagePredicate = (ref: ImageRef) => boolean;

const HOST = /^([a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?|localhost(:\d+)?)$/i;

export function imageMatcher(patterns: readonly string[]): ImagePredicate {
  const tests = patterns.map(compile);
  return (ref) => tests.some((t) => t(ref));
}

function compile(pattern: string): ImagePredicate {
  const p = pattern.trim();
  if (HOST.test(p)) {
    const host = p.toLowerCase();
    return (ref) => ref.canonical.startsWith(`${host}/`);
  }
  const parsed = parseImageRef(p);
  if (!parsed) return () => false;
  const name = new Minimatch(parsed.canonical);
  const tag = parsed.tag !== undefined ? new Minimatch(parsed.tag) : undefined;
  return (ref) => name.match(ref.canonical) && (tag === undefined || tag.match(ref.tag ?? 'latest'));
}
