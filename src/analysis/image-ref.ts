/**
 * Container image references (`host[:port]/path[:tag][@algo:hex]`), whatever file they come from:
 * Dockerfile FROM, compose and Kubernetes `image:`, workflow `container:`.
 */
import { replaceExpressions } from './expressions.js';
export interface ImageRef {
  /** As written, without tag and digest: `node`, `ghcr.io/org/app`, `localhost:5000/x`. */
  name: string;
  /** The registry host when written explicitly (`ghcr.io`, `localhost:5000`). */
  registry?: string;
  /** The path after the registry, as written (`node`, `org/app`). */
  repository: string;
  tag?: string;
  digest?: string;
  /** Fully qualified lower-case name with Docker Hub's implicit parts: `docker.io/library/node`. */
  canonical: string;
  /** True when part of it is an unresolved variable (`$X`, `${X}`, `${{ x }}`): its tag or digest may be hidden there. */
  templated: boolean;
}

export const DEFAULT_REGISTRY = 'docker.io';
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses a reference; undefined for an empty one or one with whitespace (outside a `${{ }}` expression). */
export function parseImageRef(text: string): ImageRef | undefined {
  const ref = text.trim();
  const templated = ref.includes('$');
  // Linear on hostile input: a line break is whitespace the original `.*?` never spanned, so it rejects at once.
  if (ref === '' || /[\n\r\u2028\u2029]/.test(ref) || /\s/.test(replaceExpressions(ref, ''))) return undefined;
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  // Separators inside `${...}` (`${TAG:-1}`, `${{ x }}`) belong to the variable: mask them out, keeping offsets.
  // Only up to the last `}`: an unclosed `${` would make the regex rescan to the end (quadratic on `${${${…`).
  const lastBrace = rest.lastIndexOf('}') + 1;
  const masked = rest.slice(0, lastBrace).replace(/\$\{[^}]*\}+/g, (m) => '_'.repeat(m.length)) + rest.slice(lastBrace);
  const colon = masked.lastIndexOf(':');
  const hasTag = colon > masked.lastIndexOf('/');
  const name = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : undefined;
  const slash = masked.slice(0, name.length).indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const registry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
  const repository = registry !== undefined ? name.slice(slash + 1) : name;
  const host = (registry ?? DEFAULT_REGISTRY).toLowerCase();
  const path = host === DEFAULT_REGISTRY && !repository.includes('/') ? `library/${repository}` : repository;
  return {
    name,
    ...(registry !== undefined ? { registry } : {}),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    canonical: `${host}/${path.toLowerCase()}`,
    templated,
  };
}

/** True when the reference carries a well-formed sha256 digest, which makes the pull immutable. */
export function isDigestPinned(ref: ImageRef): boolean {
  return ref.digest !== undefined && DIGEST.test(ref.digest);
}

/** Docker's reserved empty base image. */
export function isScratch(ref: ImageRef): boolean {
  return (
    ref.registry === undefined &&
    ref.name.toLowerCase() === 'scratch' &&
    ref.tag === undefined &&
    ref.digest === undefined
  );
}

/**
 * How a reference is pinned. `latest`: `:latest` or neither tag nor digest (the moving default);
 * `unpinned`: a tag (or a broken digest, or a variable that may hold either) without a valid digest; `pinned`: a sha256 digest.
 * Each reference has exactly one status, so the rules built on it never both fire.
 */
export type PinStatus = 'pinned' | 'latest' | 'unpinned';

export function pinStatus(ref: ImageRef): PinStatus {
  if (isDigestPinned(ref)) return 'pinned';
  if (ref.tag === 'latest') return 'latest';
  if (ref.tag === undefined && ref.digest === undefined) {
    const last = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
    return last.includes('$') ? 'unpinned' : 'latest';
  }
  return 'unpinned';
}

/** The fix as text: the same name with a version tag (kept when there is one) and a digest placeholder. */
export function pinnedExample(ref: ImageRef, digest = '<digest>'): string {
  const tag = ref.tag !== undefined && ref.tag !== 'latest' ? ref.tag : '<version>';
  const last = ref.name.slice(ref.name.lastIndexOf('/') + 1);
  return `${last.includes('$') ? '<image>' : ref.name}:${tag}@sha256:${digest}`;
}
