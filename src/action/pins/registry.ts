/**
 * An image tag's digest through the OCI distribution API: `HEAD /v2/<name>/manifests/<tag>` accepting the four
 * manifest types (an index or manifest list first, so a multi-arch image answers with its index digest, not one
 * platform's), reading `Docker-Content-Digest`. A registry that wants a token says so with a `WWW-Authenticate:
 * Bearer realm=…,service=…` challenge; an anonymous token is fetched from the realm for this repository's pull scope
 * only, and sent to the registry that issued the challenge only (never the realm's host, never another registry).
 */
import { createHash } from 'node:crypto';
import { Budget, LookupError, type Answer } from './budget.js';
import { isLoopback, type ImageTarget } from './image-name.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Registry tokens of one run, by registry origin and scope: a token is only ever looked up for the origin it came from. */
export type TokenCache = Map<string, string>;

export async function lookUpDigest(target: ImageTarget, budget: Budget, tokens: TokenCache): Promise<string> {
  const origin = new URL(`${target.protocol}//${target.host}/`).origin;
  const url = new URL(`/v2/${target.path}/manifests/${encodeURIComponent(target.tag)}`, origin);
  const scope = `repository:${target.path}:pull`;
  const key = `${origin} ${scope}`;
  const ask = (method: 'HEAD' | 'GET'): Promise<Answer> => {
    const headers: Record<string, string> = { accept: MANIFEST_TYPES.join(', '), 'user-agent': 'portcullis-pins' };
    const token = tokens.get(key);
    if (token !== undefined && url.origin === origin) headers['authorization'] = `Bearer ${token}`;
    return budget.send(url, { method, headers });
  };
  const shown = `${target.host}/${target.path}:${target.tag}`;
  let answer = await ask('HEAD');
  if (answer.status === 401 && !tokens.has(key)) {
    tokens.set(key, await anonymousToken(answer, target, scope, budget));
    answer = await ask('HEAD');
  }
  if (answer.status === 404) throw new LookupError(`${shown}: no such image or tag`);
  if (answer.status === 401 || answer.status === 403) throw new LookupError(`${shown}: the registry refuses an anonymous pull (HTTP ${answer.status})`);
  if (answer.status >= 300 && answer.status < 400) throw new LookupError(`${shown}: the registry redirects (HTTP ${answer.status}); redirects are not followed`);
  if (answer.status !== 200) throw new LookupError(`${shown}: the registry answered HTTP ${answer.status}`);
  const digest = answer.headers.get('docker-content-digest')?.trim();
  if (digest !== undefined) {
    if (!DIGEST.test(digest)) throw new LookupError(`${shown}: the registry's Docker-Content-Digest is not a sha256 digest`);
    return digest;
  }
  // The header is optional in the OCI spec (Docker Hub, ghcr.io and the others send it). Without it, the digest is
  // by definition the sha256 of the manifest's bytes as served: GET them, for a manifest type we asked for only.
  answer = await ask('GET');
  const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (answer.status !== 200 || !MANIFEST_TYPES.includes(type)) throw new LookupError(`${shown}: no digest header, and no manifest to hash (HTTP ${answer.status}, ${type || 'no type'})`);
  return `sha256:${createHash('sha256').update(answer.body).digest('hex')}`;
}

/** The anonymous token the challenge points to: realm over HTTPS (plain HTTP only for a loopback registry's loopback realm). */
async function anonymousToken(challenge: Answer, target: ImageTarget, scope: string, budget: Budget): Promise<string> {
  const header = challenge.headers.get('www-authenticate') ?? '';
  if (!/^\s*bearer\s/i.test(header)) throw new LookupError(`${target.host}: the registry wants credentials (no bearer token challenge)`);
  const params = new Map<string, string>();
  for (const m of header.matchAll(/([A-Za-z]+)="([^"]*)"/g)) params.set(m[1]!.toLowerCase(), m[2]!);
  let realm: URL;
  try {
    realm = new URL(params.get('realm') ?? '');
  } catch {
    throw new LookupError(`${target.host}: the token challenge has no valid realm`);
  }
  const plainOk = target.protocol === 'http:' && realm.protocol === 'http:' && isLoopback(realm.host);
  if ((realm.protocol !== 'https:' && !plainOk) || realm.username || realm.password)
    throw new LookupError(`${target.host}: the token realm ${realm.protocol}//${realm.host} is not HTTPS`);
  const service = params.get('service');
  if (service !== undefined) realm.searchParams.set('service', service);
  realm.searchParams.set('scope', scope);
  const answer = await budget.send(realm, { method: 'GET', headers: { accept: 'application/json', 'user-agent': 'portcullis-pins' } });
  if (answer.status !== 200) throw new LookupError(`${target.host}: no anonymous token (HTTP ${answer.status})`);
  let body: { token?: unknown; access_token?: unknown };
  try {
    body = JSON.parse(Buffer.from(answer.body).toString('utf8')) as typeof body;
  } catch {
    throw new LookupError(`${target.host}: the token answer is not JSON`);
  }
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '' || /[\s\0]/.test(token) || token.length > 16_384) throw new LookupError(`${target.host}: the token answer holds no token`);
  return token;
}
