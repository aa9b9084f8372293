/**
 * A fake OCI registry for tests: two loopback HTTP servers (127.0.0.1, ephemeral ports), the registry and its token
 * service, shaped like the OCI distribution spec and Docker's token authentication
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md, https://distribution.github.io/distribution/spec/auth/token/):
 *
 * - `HEAD`/`GET /v2/<name>/manifests/<tag>`: 200 with `Content-Type`, `Content-Length` and `Docker-Content-Digest`
 *   (the sha256 of the manifest's bytes); an image stored as an index (multi-arch) is served as the index when the
 *   `Accept` header lists an index type, else as its linux/amd64 manifest, as Docker Hub does for old clients;
 * - 401 with `WWW-Authenticate: Bearer realm="<token service>/token",service="fake-registry",scope="repository:<name>:pull"`
 *   when the request carries no token for that repository (when `auth` is on), and the errors body of the spec;
 * - `GET <token service>/token?service=…&scope=repository:<name>:pull`: `{ token, access_token, expires_in, issued_at }`;
 * - 404 `MANIFEST_UNKNOWN`/`NAME_UNKNOWN`; injected faults: 429 `TOOMANYREQUESTS` with `Retry-After`, slow answers.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX_TYPES = [OCI_INDEX, 'application/vnd.docker.distribution.manifest.list.v2+json'];

export interface RegistryRequest {
  server: 'registry' | 'token';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  status: number;
}

interface Stored {
  type: string;
  body: Buffer;
  /** For an index: its linux/amd64 manifest. */
  platform?: Stored;
}

const digestOf = (body: Buffer): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

function manifest(seed: string): Stored {
  const blob = (what: string, size: number, mediaType: string) => ({ mediaType, digest: digestOf(Buffer.from(`${seed} ${what}`)), size });
  const body = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: blob('config', 1469, 'application/vnd.oci.image.config.v1+json'),
    layers: [blob('layer', 3_623_807, 'application/vnd.oci.image.layer.v1.tar+gzip')],
  };
  return { type: OCI_MANIFEST, body: Buffer.from(JSON.stringify(body, null, 3)) };
}

export class FakeRegistry {
  /** Every request to either server, in arrival order. */
  readonly requests: RegistryRequest[] = [];
  /** When false the registry answers without a token (like mcr.microsoft.com). */
  auth = true;
  /** Leave `Docker-Content-Digest` out of the answers (the client must hash the GET body). */
  omitDigestHeader = false;
  /** Answer every registry request this late (ms). */
  delayMs = 0;
  private tooMany: { count: number; retryAfter: string }[] = [];
  private readonly images = new Map<string, Stored>();
  private registry!: Server;
  private tokens!: Server;

  static async start(): Promise<FakeRegistry> {
    const fake = new FakeRegistry();
    fake.registry = await listen((req, res) => void fake.handleRegistry(req, res));
    fake.tokens = await listen((req, res) => fake.handleToken(req, res));
    return fake;
  }

  /** `127.0.0.1:PORT`, as an image reference writes the registry. */
  get host(): string {
    return `127.0.0.1:${(this.registry.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `http://127.0.0.1:${(this.tokens.address() as AddressInfo).port}/token`;
  }

  async close(): Promise<void> {
    for (const s of [this.registry, this.tokens]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  /** A multi-arch image (an OCI index over linux/amd64 and linux/arm64); returns the index digest and amd64's. */
  addIndex(name: string, tag: string): { index: string; amd64: string } {
    const amd64 = manifest(`${name}:${tag} amd64`);
    const arm64 = manifest(`${name}:${tag} arm64`);
    const entry = (m: Stored, architecture: string) => ({ mediaType: m.type, digest: digestOf(m.body), size: m.body.length, platform: { architecture, os: 'linux' } });
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(amd64, 'amd64'), entry(arm64, 'arm64')] }, null, 3));
    this.images.set(`${name}:${tag}`, { type: OCI_INDEX, body, platform: amd64 });
    return { index: digestOf(body), amd64: digestOf(amd64.body) };
  }

  /** A single-platform image: returns its manifest digest. */
  addManifest(name: string, tag: string): string {
    const m = manifest(`${name}:${tag}`);
    this.images.set(`${name}:${tag}`, m);
    return digestOf(m.body);
  }

  /** The next `count` registry requests answer 429 with this `Retry-After`. */
  tooManyRequests(count: number, retryAfter: string): void {
    this.tooMany.push({ count, retryAfter });
  }

  /** The token this registry's token service issues for one repository (distinct per registry and repository). */
  tokenFor(name: string): string {
    return `fake-registry-token.${Buffer.from(`${this.host} repository:${name}:pull`).toString('base64url')}`;
  }

  private async handleRegistry(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const record: RegistryRequest = { server: 'registry', method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: Object.fromEntries(url.searchParams), headers: req.headers, status: 0 };
    this.requests.push(record);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, headers: Record<string, string>, body?: Buffer | object): void => {
      const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      record.status = status;
      res.writeHead(status, { 'docker-distribution-api-version': 'registry/2.0', 'content-length': String(bytes.length), ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers });
      res.end(record.method === 'HEAD' ? undefined : bytes);
    };
    const error = (code: string, message: string) => ({ errors: [{ code, message, detail: null }] });
    const fault = this.tooMany.find((f) => f.count > 0);
    if (fault) {
      fault.count--;
      return send(429, { 'retry-after': fault.retryAfter }, error('TOOMANYREQUESTS', 'too many requests'));
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(record.path);
    if (!m || !['GET', 'HEAD'].includes(record.method)) return send(404, {}, error('NAME_UNKNOWN', 'repository name not known to registry'));
    const [, name, tag] = m as unknown as [string, string, string];
    const scope = `repository:${name}:pull`;
    if (this.auth && req.headers.authorization !== `Bearer ${this.tokenFor(name)}`)
      return send(401, { 'www-authenticate': `Bearer realm="${this.tokenUrl}",service="fake-registry",scope="${scope}"` }, error('UNAUTHORIZED', 'authentication required'));
    const stored = this.images.get(`${name}:${tag}`);
    if (!stored) return send(404, {}, error('MANIFEST_UNKNOWN', 'manifest unknown'));
    const accepted = String(req.headers.accept ?? '').split(',').map((t) => t.trim().split(';')[0]);
    const served = stored.platform && !INDEX_TYPES.some((t) => accepted.includes(t)) ? stored.platform : stored;
    send(200, { 'content-type': served.type, ...(this.omitDigestHeader ? {} : { 'docker-content-digest': digestOf(served.body) }) }, served.body);
  }

  private handleToken(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const record: RegistryRequest = { server: 'token', method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, status: 200 };
    this.requests.push(record);
    const scope = /^repository:(.+):pull$/.exec(url.searchParams.get('scope') ?? '');
    if (url.pathname !== '/token' || url.searchParams.get('service') !== 'fake-registry' || !scope) {
      record.status = 400;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'invalid token request' }] }));
      return;
    }
    const token = this.tokenFor(scope[1]!);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2026-01-01T00:00:00Z' }));
  }
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
