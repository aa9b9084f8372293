import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliResolver, onlineResolver } from '../../src/action/pins/index.js';
import { DOCKER_HUB, imageTarget } from '../../src/action/pins/image-name.js';
import { validRef } from '../../src/action/pins/action-refs.js';
import { FakeGitHub } from '../support/fake-github.js';
import { FakeRegistry } from '../support/fake-registry.js';

const SHA = '8e5e7e5ab8b370d6c329ec480221332ada57f0ab';
const GITHUB_TOKEN = 'ghs_fakeGitHubTokenForPinLookups0000000';

let gh: FakeGitHub;
let reg: FakeRegistry;
beforeEach(async () => {
  gh = await FakeGitHub.start();
  reg = await FakeRegistry.start();
});
afterEach(async () => {
  await gh.close();
  await reg.close();
});

/** The resolver as the action builds it, with the loopback registry allowed (only tests do that). */
const resolver = (extra: Parameters<typeof onlineResolver>[0] extends infer O ? Partial<O> : never = {}) =>
  onlineResolver({ githubApiUrl: gh.url, token: GITHUB_TOKEN, registries: 'public', loopback: true, rateLimitBaseMs: 1, timeoutMs: 2000, ...extra });

describe('action refs', () => {
  it('resolves a tag to its commit through commits/{ref}, with the token, once per ref', async () => {
    gh.commits.set('actions/checkout', 'v4', SHA);
    const r = resolver();
    expect(await r.actionSha('actions/checkout', 'v4')).toEqual({ value: SHA });
    expect(await r.actionSha('Actions/Checkout', 'v4')).toEqual({ value: SHA });
    const asked = gh.requestsFor('repos/get-commit');
    expect(asked.map((q) => q.path)).toEqual(['/repos/actions/checkout/commits/v4']);
    expect(asked[0]!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(asked[0]!.headers.accept).toBe('application/vnd.github+json');
    expect(asked[0]!.status).toBe(200);
  });

  it('asks anonymously without a token; a ref with a slash stays one path parameter', async () => {
    gh.commits.set('octo/tool', 'release/v1', SHA);
    const r = onlineResolver({ githubApiUrl: gh.url, registries: 'public' });
    expect(await r.actionSha('octo/tool', 'release/v1')).toEqual({ value: SHA });
    expect(gh.commits.authorizations).toEqual([undefined]);
  });

  it('says why when the repository or the ref does not exist, and never guesses', async () => {
    gh.commits.set('actions/checkout', 'v4', SHA);
    const r = resolver();
    expect(await r.actionSha('actions/checkout', 'v999')).toEqual({ error: expect.stringContaining('no such repository or ref') });
    expect(await r.actionSha('nobody/nothing', 'v1')).toEqual({ error: expect.stringContaining('no such repository or ref') });
  });

  it('refuses hostile names before any request', async () => {
    const r = resolver();
    for (const [repo, ref] of [['a/b', '../../../user'], ['a/b', 'v1?x=1'], ['a/b', 'v1#x'], ['a/b/c', 'v1'], ['a/..', 'v1'], ['-a/b', 'v1'], ['a/b', '%2e%2e']])
      expect(await r.actionSha(repo!, ref!)).toHaveProperty('error');
    expect(gh.requests).toHaveLength(0);
    expect(validRef('v4.2.2')).toBe(true);
    expect(validRef('feature/x.lock')).toBe(false);
  });

  it('waits out a 429 with Retry-After inside the budget, and gives up on one beyond it without waiting', async () => {
    gh.commits.set('actions/setup-node', 'v4', SHA);
    gh.secondaryRateLimit(1, 2, 429, { path: /\/commits\// });
    expect(await resolver().actionSha('actions/setup-node', 'v4')).toEqual({ value: SHA });
    expect(gh.requestsFor('repos/get-commit').map((q) => q.status)).toEqual([429, 200]);
    gh.clearRequests();
    gh.secondaryRateLimit(1, 3600, 429, { path: /\/commits\// });
    const r = onlineResolver({ githubApiUrl: gh.url, registries: 'public', budgetMs: 5000 });
    expect(await r.actionSha('actions/setup-node', 'v4')).toEqual({ error: expect.stringContaining('does not fit the budget') });
    expect(gh.requestsFor('repos/get-commit')).toHaveLength(1);
  });

  it('keeps the path of GITHUB_API_URL (GitHub Enterprise Server: /api/v3) and sends the token to that origin only', async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sha: SHA }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/`;
      const r = onlineResolver({ githubApiUrl: base, token: GITHUB_TOKEN, registries: 'public', loopback: true });
      expect(await r.actionSha('acme/deploy', 'v2')).toEqual({ value: SHA });
      expect(seen.map((s) => s.url)).toEqual(['/api/v3/repos/acme/deploy/commits/v2']);
    } finally {
      server.close();
    }
  });
});

describe('image digests', () => {
  it('takes the multi-arch index digest through an anonymous token for the repository scope', async () => {
    const { index, amd64 } = reg.addIndex('library/node', '22.11');
    const r = resolver();
    expect(await r.imageDigest(`${reg.host}/library/node:22.11`)).toEqual({ value: index });
    expect(index).not.toBe(amd64);
    const [first, token, second] = reg.requests;
    expect([first!.method, first!.status, token!.server, second!.status]).toEqual(['HEAD', 401, 'token', 200]);
    expect(token!.query).toEqual({ service: 'fake-registry', scope: 'repository:library/node:pull' });
    for (const t of ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'])
      expect(second!.headers.accept).toContain(t);
    // One lookup per image per run, however the reference is written.
    expect(await r.imageDigest(`${reg.host}/library/node:22.11`)).toEqual({ value: index });
    expect(await r.imageDigest(`docker://${reg.host}/library/node:22.11`)).toEqual({ value: index });
    expect(reg.requests).toHaveLength(3);
  });

  it('never sends GITHUB_TOKEN to a registry or a token service, nor a registry token anywhere but its registry', async () => {
    const other = await FakeRegistry.start();
    try {
      reg.addManifest('org/app', '1.0');
      other.addManifest('org/app', '1.0');
      gh.commits.set('actions/checkout', 'v4', SHA);
      const r = resolver();
      await r.actionSha('actions/checkout', 'v4');
      expect(await r.imageDigest(`${reg.host}/org/app:1.0`)).toHaveProperty('value');
      expect(await r.imageDigest(`${other.host}/org/app:1.0`)).toHaveProperty('value');
      for (const q of [...reg.requests, ...other.requests]) expect(JSON.stringify(q.headers)).not.toContain(GITHUB_TOKEN);
      for (const q of [...reg.requests, ...other.requests].filter((x) => x.server === 'token')) expect(q.headers.authorization).toBeUndefined();
      for (const [registry, peer] of [[reg, other], [other, reg]] as const)
        for (const q of registry.requests) {
          expect(q.headers.authorization ?? `Bearer ${registry.tokenFor('org/app')}`).toBe(`Bearer ${registry.tokenFor('org/app')}`);
          expect(JSON.stringify(q.headers)).not.toContain(peer.tokenFor('org/app'));
        }
      expect(reg.tokenFor('org/app')).not.toBe(other.tokenFor('org/app'));
      expect(JSON.stringify(gh.requests.map((q) => q.headers))).not.toContain('fake-registry-token');
    } finally {
      await other.close();
    }
  });

  it('hashes the manifest when the registry sends no Docker-Content-Digest; a registry without auth needs no token', async () => {
    reg.auth = false;
    reg.omitDigestHeader = true;
    const { index } = reg.addIndex('tools/cli', 'v3');
    expect(await resolver().imageDigest(`${reg.host}/tools/cli:v3`)).toEqual({ value: index });
    expect(reg.requests.map((q) => q.method)).toEqual(['HEAD', 'GET']);
  });

  it('a missing tag, a 429 beyond the budget and a slow registry are errors with a reason; a 429 that fits is waited out', async () => {
    const digest = reg.addManifest('org/app', '2.0');
    const r = resolver();
    expect(await r.imageDigest(`${reg.host}/org/app:9.9`)).toEqual({ error: expect.stringContaining('no such image or tag') });
    reg.tooManyRequests(1, '1');
    expect(await r.imageDigest(`${reg.host}/org/app:2.0`)).toEqual({ value: digest });
    reg.tooManyRequests(1, '86400');
    expect(await onlineResolver({ registries: 'public', loopback: true, budgetMs: 5000 }).imageDigest(`${reg.host}/org/app:2.0`)).toEqual({ error: expect.stringContaining('does not fit') });
    reg.delayMs = 500;
    expect(await onlineResolver({ registries: 'public', loopback: true, timeoutMs: 100 }).imageDigest(`${reg.host}/org/app:2.0`)).toEqual({ error: expect.stringContaining('no answer within 100 ms') });
  });

  it('stops at the request budget', async () => {
    reg.auth = false;
    reg.addManifest('org/a', '1');
    reg.addManifest('org/b', '1');
    const r = resolver({ maxRequests: 1 });
    expect(await r.imageDigest(`${reg.host}/org/a:1`)).toHaveProperty('value');
    expect(await r.imageDigest(`${reg.host}/org/b:1`)).toEqual({ error: expect.stringContaining('budget of 1 requests') });
  });

  it('reaches only registries the policy admits: no loopback, metadata or private address from the action', async () => {
    reg.addManifest('org/app', '1.0');
    const action = onlineResolver({ registries: 'public' });
    for (const image of [`${reg.host}/org/app:1.0`, `localhost:${reg.host.split(':')[1]}/org/app:1.0`, '169.254.169.254:80/x:y', 'internal.example:5000/x:y'])
      expect(await action.imageDigest(image)).toEqual({ error: expect.stringContaining('not one the lookups may reach') });
    // The test harness's policy: loopback registries only, never a public one.
    expect(await onlineResolver({ registries: 'none', loopback: true }).imageDigest('nginx:1.27')).toEqual({ error: expect.stringContaining('not one the lookups may reach') });
    const cli = cliResolver({});
    for (const image of ['169.254.169.254:80/x:y', '0xa9.254.169.254/x:y', '10.0.0.1/x:y', '[fe80::1]:5000/x:y'])
      expect(await cli.imageDigest(image)).toHaveProperty('error');
    expect(await cli.imageDigest(`${reg.host}/org/app:1.0`)).toHaveProperty('value');
    for (const image of ['nginx', 'nginx:latest', 'Nginx:1', 'nginx:1 ; x', 'a/../b:1', 'nginx:1@sha256:' + 'a'.repeat(64)])
      expect(await action.imageDigest(image)).toHaveProperty('error');
    // Only the CLI's lookup reached the loopback registry (challenge, token, answer).
    expect(reg.requests.map((q) => q.server)).toEqual(['registry', 'token', 'registry']);
  });

  it('names Docker Hub images as its registry does, and speaks HTTPS to every registry but loopback', () => {
    expect(imageTarget('nginx:1.27', { registries: 'public' })).toEqual({ host: DOCKER_HUB, path: 'library/nginx', tag: '1.27', protocol: 'https:' });
    expect(imageTarget('docker.io/bitnami/redis:7.4', { registries: 'public' })).toEqual({ host: DOCKER_HUB, path: 'bitnami/redis', tag: '7.4', protocol: 'https:' });
    expect(imageTarget('docker://ghcr.io/super-linter/super-linter:v7', { registries: 'public' })).toMatchObject({ host: 'ghcr.io', path: 'super-linter/super-linter', protocol: 'https:' });
    for (const host of ['quay.io', 'gcr.io', 'mcr.microsoft.com', 'public.ecr.aws']) expect(imageTarget(`${host}/a/b:1`, { registries: 'public' })).toMatchObject({ host, protocol: 'https:' });
    expect(imageTarget('[::1]:5000/a:1', { registries: 'public', loopback: true })).toMatchObject({ host: '[::1]:5000', protocol: 'http:' });
    expect(imageTarget('registry.example:5000/a:1', { registries: 'any' })).toMatchObject({ protocol: 'https:' });
  });
});
