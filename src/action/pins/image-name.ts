/**
 * Image references from the pull request, checked against the distribution reference grammar
 * (github.com/distribution/reference: `[host[:port]/]path[:tag]`) before any part goes into a URL, and the registry
 * they name checked against what the caller allows. A PR can write `image: 169.254.169.254:80/x:y` or
 * `localhost:8080/x:y`: the only host a lookup ever reaches is the registry the reference names, and only one the
 * policy admits (docs/pin-lookups.md says which, and why).
 */
import { parseImageRef } from '../../analysis/image-ref.js';

/** Which registries image lookups may reach. */
export interface RegistryPolicy {
  /**
   * `public`: the well-known public registries only (the action). `any`: any registry a reference names (the CLI).
   * `none`: no registry but loopback ones when `loopback` is set (the test harness: no lookup leaves the machine).
   */
  registries: 'public' | 'any' | 'none';
  /** Loopback registries (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`), over plain HTTP. Always allowed with `any`. */
  loopback?: boolean;
}

export interface ImageTarget {
  /** Registry host (and port) requests go to: `registry-1.docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  host: string;
  /** Repository path within it: `library/nginx`, `org/app`. */
  path: string;
  tag: string;
  /** `http:` for loopback registries only, as Docker and go-containerregistry do; `https:` for every other. */
  protocol: 'http:' | 'https:';
}

/** Docker Hub: written as nothing, `docker.io` or `index.docker.io`; its registry API lives on this host. */
export const DOCKER_HUB = 'registry-1.docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB]);

/** The public registries the action may ask (issue 20): Docker Hub, GitHub, Quay, Google (gcr.io and its regions), Microsoft and public ECR. */
const PUBLIC = new Set([DOCKER_HUB, 'ghcr.io', 'quay.io', 'gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'mcr.microsoft.com', 'public.ecr.aws']);

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const IPV6_LOOPBACK = /^\[::1\](?::[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const LOOPBACK = /^(?:127\.0\.0\.1|localhost)(?::[0-9]{1,5})?$/;

export const isLoopback = (host: string): boolean => LOOPBACK.test(host) || IPV6_LOOPBACK.test(host);

/** Parses and checks a reference; a string saying why not when it is not one a lookup may follow. */
export function imageTarget(written: string, policy: RegistryPolicy): ImageTarget | string {
  const ref = written.startsWith('docker://') ? written.slice('docker://'.length) : written;
  if (ref.length === 0 || ref.length > 512) return 'not an image reference';
  // Split as every rule splits a reference; the grammar checks below then decide what may go into a URL.
  const parsed = parseImageRef(ref);
  if (!parsed) return 'not an image reference';
  if (parsed.digest !== undefined) return 'already pinned by digest';
  const { registry, repository: name, tag } = parsed;
  if (!name.split('/').every((c) => COMPONENT.test(c)) || name.length > 255) return 'not a valid image reference';
  if (tag === undefined || tag === 'latest') return 'no version tag: choose a version to pin';
  if (!TAG.test(tag)) return 'not a valid image tag';
  if (registry !== undefined && !DOMAIN.test(registry) && !IPV6_LOOPBACK.test(registry)) return 'not a valid registry host';
  const named = registry?.toLowerCase() ?? DOCKER_HUB;
  const host = HUB_ALIASES.has(named) ? DOCKER_HUB : named;
  const path = host === DOCKER_HUB && !name.includes('/') ? `library/${name}` : name;
  const loopback = isLoopback(host);
  if (loopback ? !(policy.loopback || policy.registries === 'any') : policy.registries === 'none' || (policy.registries === 'public' && !PUBLIC.has(host)))
    return `registry ${host} is not one the lookups may reach here (only well-known public registries)`;
  if (!loopback && privateAddress(host)) return `registry ${host} is a private or link-local address`;
  return { host, path, tag, protocol: loopback ? 'http:' : 'https:' };
}

/** IPv4 literals in private, link-local (cloud metadata), unspecified or loopback ranges: never a registry to ask. */
function privateAddress(host: string): boolean {
  let hostname: string;
  try {
    // As fetch will read it: the URL parser turns `0xa9.254.169.254` and other IPv4 spellings into dotted quads.
    hostname = new URL(`https://${host}/`).hostname;
  } catch {
    return true;
  }
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(hostname);
  if (!m) return hostname.startsWith('[');
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}
