import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectPackages, fetchOsvAdvisories, scanWithOnlineAdvisories, toAdvisory } from '../../src/action/osv.js';
import { effectiveAdvisories, InputError, readInputs } from '../../src/action/inputs.js';
import { readContext } from '../../src/action/context.js';
import { scanDirectory, type ScanResult } from '../../src/scan.js';
import { BUNDLED_ADVISORIES } from '../../src/data/advisories.generated.js';
import { rules } from '../../src/rules/index.js';
import { parseConfig, ruleEnabled } from '../../src/core/config.js';

// A loopback stand-in for the OSV API: each test sets `handler`; every request is recorded.
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let apiUrl: string;
let handler: Handler;
let requests: { method: string; url: string; body: string }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('connection', 'close'); // no keep-alive socket outlives a test (afterEach cuts the hanging ones)
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

let root: string;
beforeEach(() => {
  requests = [];
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pc-osv-')));
});
afterEach(() => {
  server.closeAllConnections(); // the hanging handlers never answer
  rmSync(root, { recursive: true, force: true });
});

const json = (res: ServerResponse, value: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const write = (files: Record<string, string>) => {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
};
const lockfile = (deps: Record<string, string>) =>
  JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: Object.fromEntries(Object.keys(deps).map((n) => [n, `^${deps[n]}`])) },
        ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
      },
    },
    null,
    2,
  ) + '\n';
const manifest = (deps: Record<string, string>) => JSON.stringify({ name: 'app', dependencies: Object.fromEntries(Object.keys(deps).map((n) => [n, `^${deps[n]}`])) }, null, 2) + '\n';
const queriesOf = (body: string) => (JSON.parse(body) as { queries: { package: { ecosystem: string; name: string }; version: string }[] }).queries;
const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
const compromised = (r: ScanResult) => r.findings.filter((f) => f.ruleId === 'compromised-dependency');
const onlineNotices = (r: ScanResult) => r.notices.filter((n) => n.message.startsWith('advisories: online'));

const MAL = {
  id: 'MAL-2099-4242',
  summary: 'Malicious code in quiet-helper-lib (npm)',
  details: 'The package runs a credential stealer at install time.',
  aliases: ['GHSA-zzzz-zzzz-zzzz'],
  modified: '2099-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'quiet-helper-lib' }, versions: ['1.2.3'] }],
  references: [{ type: 'REPORT', url: 'https://github.com/ossf/malicious-packages/issues/1' }],
};

/** OSV answering: MAL-2099-4242 for quiet-helper-lib@1.2.3, an unrelated vulnerability for every package (never fetched). */
const osvWithMalware: Handler = (req, body, res) => {
  if (req.method === 'POST' && req.url === '/v1/querybatch') {
    json(res, {
      results: queriesOf(body).map((q) =>
        q.package.name === 'quiet-helper-lib' && q.version === '1.2.3'
          ? { vulns: [{ id: MAL.id, modified: MAL.modified }, { id: 'GHSA-aaaa-bbbb-cccc', modified: MAL.modified }] }
          : q.package.name === 'left-pad'
            ? { vulns: [{ id: 'GHSA-aaaa-bbbb-cccc', modified: MAL.modified }] }
            : {},
      ),
    });
  } else if (req.method === 'GET' && req.url === `/v1/vulns/${MAL.id}`) json(res, MAL);
  else json(res, { code: 5, message: 'not found' }, 404);
};

describe('advisories: online (OSV)', () => {
  it('adds a MAL- advisory the bundled data lacks: the rule fires on the locked version', async () => {
    expect(BUNDLED_ADVISORIES.some((a) => a.id === MAL.id || a.affected.some((x) => x.package.name === 'quiet-helper-lib'))).toBe(false);
    write({ 'package.json': manifest({ 'quiet-helper-lib': '1.2.3', 'left-pad': '1.3.0' }), 'package-lock.json': lockfile({ 'quiet-helper-lib': '1.2.3', 'left-pad': '1.3.0' }) });
    handler = osvWithMalware;
    const offline = await scanDirectory(root);
    expect(compromised(offline)).toEqual([]);

    const online = await scanWithOnlineAdvisories(root, {}, { apiUrl });
    const hits = compromised(online);
    expect(hits).toHaveLength(1);
    // declared in package.json (^1.2.3) and locked at 1.2.3: reported once, where a person wrote it, the lock entry related
    expect(hits[0]).toMatchObject({ path: 'package.json', line: lineOf(join(root, 'package.json'), '"quiet-helper-lib"'), severity: 'critical' });
    expect(hits[0]!.related).toEqual([expect.objectContaining({ path: 'package-lock.json', label: 'locked here' })]);
    expect(hits[0]!.message).toContain('quiet-helper-lib@1.2.3');
    expect(hits[0]!.message).toContain('GHSA-zzzz-zzzz-zzzz / MAL-2099-4242');
    expect(hits[0]!.message).toContain('https://osv.dev/vulnerability/MAL-2099-4242');
    expect(online.summary.result).toBe('fail');
    expect(offline.summary.result).toBe('pass');
    expect(onlineNotices(online)).toEqual([]);
    // One querybatch, then each record once: the MAL- one, and the GHSA for vulnerable-dependency (gone here: 404, skipped).
    expect(requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /v1/vulns/GHSA-aaaa-bbbb-cccc', `GET /v1/vulns/${MAL.id}`, 'POST /v1/querybatch']);
    expect(online.findings.filter((f) => f.ruleId === 'vulnerable-dependency')).toEqual([]);
  });

  it('sends querybatch bodies of the OSV shape, deduplicated, in chunks of batchSize', async () => {
    handler = (req, body, res) => json(res, { results: queriesOf(body).map(() => ({})) });
    const packages = [
      { ecosystem: 'npm', name: 'a', version: '1.0.0' },
      { ecosystem: 'npm', name: '@scope/b', version: '2.0.0' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
      { ecosystem: 'npm', name: 'c', version: '3.0.0' },
      { ecosystem: 'crates.io', name: 'serde', version: '1.0.0' },
    ];
    const got = await fetchOsvAdvisories(packages, { apiUrl: `${apiUrl}/`, batchSize: 2 });
    expect(got).toMatchObject({ advisories: [], requests: 3, queried: 5 });
    expect(got.notice).toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(3).fill('POST /v1/querybatch'));
    expect(requests.map((r) => JSON.parse(r.body))).toEqual([
      { queries: [{ package: { ecosystem: 'npm', name: 'a' }, version: '1.0.0' }, { package: { ecosystem: 'npm', name: '@scope/b' }, version: '2.0.0' }] },
      { queries: [{ package: { ecosystem: 'PyPI', name: 'requests' }, version: '2.31.0' }, { package: { ecosystem: 'npm', name: 'c' }, version: '3.0.0' }] },
      { queries: [{ package: { ecosystem: 'crates.io', name: 'serde' }, version: '1.0.0' }] },
    ]);
  });

  it('collects each pinned version once: lockfile entries, exact manifest pins, install commands, in OSV ecosystem names', async () => {
    write({
      'package.json': JSON.stringify({ name: 'app', dependencies: { 'left-pad': '1.3.0', chalk: '^5.0.0' } }),
      'package-lock.json': lockfile({ 'left-pad': '1.3.0', chalk: '5.3.0' }),
      'requirements.txt': 'requests==2.31.0\nflask>=2\n',
      'go.sum': 'github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n',
      'Dockerfile': 'FROM node:22\nRUN npm install -g typescript@5.4.5\n',
    });
    const got = await collectPackages(root);
    const keys = got.map((p) => `${p.ecosystem} ${p.name} ${p.version}`).sort();
    expect(keys).toEqual(['Go github.com/pkg/errors 0.9.1', 'PyPI requests 2.31.0', 'npm chalk 5.3.0', 'npm left-pad 1.3.0', 'npm typescript 5.4.5']);
  });

  describe('falls back to the bundled data with one notice, same verdict as offline', () => {
    const cases: [string, Handler, RegExp, number?][] = [
      ['HTTP 500', (_req, _body, res) => json(res, { message: 'boom' }, 500), /querybatch answered HTTP 500/],
      ['invalid JSON', (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"results": [tru'), /not valid JSON/],
      ['an unexpected shape', (_req, _body, res) => json(res, { results: 'nope' }), /unexpected shape/],
      ['no answer within the budget', () => undefined, /no answer within 0\.2 s/, 200],
      ['headers but no body within the budget', (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"results": ['), /no complete answer within 0\.2 s/, 200],
      ['a vulnerability lookup failing', (req, body, res) => (req.url === '/v1/querybatch' ? osvWithMalware(req, body, res) : json(res, {}, 503)), /vulnerability lookup answered HTTP 503/],
    ];
    for (const [what, h, why, budgetMs] of cases) {
      it(what, async () => {
        // ua-parser-js@0.7.29 is in the bundled data: the gate must block with or without the service.
        write({ 'package.json': manifest({ 'ua-parser-js': '0.7.29', 'quiet-helper-lib': '1.2.3' }), 'package-lock.json': lockfile({ 'ua-parser-js': '0.7.29', 'quiet-helper-lib': '1.2.3' }) });
        handler = h;
        const offline = await scanDirectory(root);
        const online = await scanWithOnlineAdvisories(root, {}, { apiUrl, ...(budgetMs ? { budgetMs } : {}) });
        const notices = onlineNotices(online);
        expect(notices).toHaveLength(1);
        expect(notices[0]!.message).toMatch(why);
        expect(notices[0]!.message).toContain(`the bundled advisory data (${BUNDLED_ADVISORIES.length} advisories) was used instead`);
        expect(online.notices[0]).toBe(notices[0]);
        expect(online.findings).toEqual(offline.findings);
        expect(online.summary).toEqual(offline.summary);
        expect(online.summary.result).toBe('fail');
        expect(compromised(online).map((f) => f.message)).toEqual([expect.stringContaining('ua-parser-js@0.7.29')]);
      });
    }

    it('more requests than the cap: nothing is sent', async () => {
      handler = osvWithMalware;
      const packages = Array.from({ length: 5 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0' }));
      const got = await fetchOsvAdvisories(packages, { apiUrl, batchSize: 1, maxRequests: 4 });
      expect(got.advisories).toEqual([]);
      expect(got.notice?.message).toContain('5 package versions need 5 requests, more than the limit of 4');
      expect(requests).toEqual([]);
    });

    it('an unreachable service', async () => {
      const closed = createServer();
      await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((ok) => closed.close(ok));
      const got = await fetchOsvAdvisories([{ ecosystem: 'npm', name: 'a', version: '1.0.0' }], { apiUrl: `http://127.0.0.1:${port}` });
      expect(got.advisories).toEqual([]);
      expect(got.notice?.message).toMatch(/the request failed/);
    });
  });

  it('a fresher copy of a bundled advisory extends it, keeping its id and incident name, without a second finding', async () => {
    const bundled = BUNDLED_ADVISORIES.find((a) => a.id === 'GHSA-pjwm-rvh2-c87w')!;
    handler = (req, body, res) => {
      if (req.url === '/v1/querybatch') {
        json(res, { results: queriesOf(body).map((q) => (q.package.name === 'ua-parser-js' ? { vulns: [{ id: 'MAL-2099-7777' }] } : {})) });
      } else {
        json(res, {
          id: 'MAL-2099-7777',
          summary: 'Malicious code in ua-parser-js (npm)',
          aliases: ['GHSA-pjwm-rvh2-c87w'],
          affected: [{ package: { ecosystem: 'npm', name: 'ua-parser-js' }, versions: ['0.7.29', '0.7.99'] }],
        });
      }
    };
    write({ 'package.json': manifest({ 'ua-parser-js': '0.7.29', debug: '4.3.4' }), 'package-lock.json': lockfile({ 'ua-parser-js': '0.7.29', debug: '4.3.4' }), 'web/package.json': JSON.stringify({ name: 'web', dependencies: { 'ua-parser-js': '0.7.99' } }) });
    const online = await scanWithOnlineAdvisories(root, {}, { apiUrl });
    const hits = compromised(online);
    expect(hits.map((f) => `${f.path}:${f.line}`)).toEqual([`package.json:${lineOf(join(root, 'package.json'), '"ua-parser-js"')}`, 'web/package.json:1']);
    for (const h of hits) {
      expect(h.message).toContain('GHSA-pjwm-rvh2-c87w');
      expect(h.message).toContain(bundled.summary!.split(':')[0]!);
      expect(h.message).not.toContain('(and ');
    }
    expect((await scanDirectory(root)).findings.filter((f) => f.ruleId === 'compromised-dependency' && f.path === 'web/package.json')).toEqual([]);
  });

  it('does not ask when compromised-dependency and vulnerable-dependency are turned off in the config', async () => {
    write({ 'package-lock.json': lockfile({ 'quiet-helper-lib': '1.2.3' }) });
    handler = osvWithMalware;
    const config = parseConfig('rules:\n  compromised-dependency:\n    enabled: false\n  vulnerable-dependency:\n    enabled: false\n', '.github/portcullis.yml', rules);
    expect(ruleEnabled('compromised-dependency', config)).toBe(false);
    await scanWithOnlineAdvisories(root, { config }, { apiUrl });
    expect(requests).toEqual([]);
  });

  it('reads OSV records defensively: withdrawn or package-less records are dropped, only https references kept', () => {
    expect(toAdvisory({ ...MAL, withdrawn: '2099-02-01T00:00:00Z' })).toBeUndefined();
    expect(toAdvisory({ id: 'MAL-1', affected: [{ package: { ecosystem: 'npm' }, versions: ['1'] }] })).toBeUndefined();
    expect(toAdvisory('nope')).toBeUndefined();
    const a = toAdvisory({
      id: 'MAL-2',
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { bogus: 1 }] }] }],
      references: [{ type: 'WEB', url: 'javascript:alert(1)' }],
    })!;
    expect(a).toEqual({
      id: 'MAL-2',
      summary: 'Malicious package x (MAL-2)',
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, {}] }] }],
      references: [{ type: 'ADVISORY', url: 'https://osv.dev/vulnerability/MAL-2' }],
    });
  });
});

describe('input "advisories"', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const inputs = (value?: string) => {
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
    if (value !== undefined) process.env['INPUT_ADVISORIES'] = value;
    return readInputs(root);
  };
  it('defaults to auto, accepts bundled and online (any case), names itself when wrong', () => {
    expect(inputs().advisories).toBe('auto');
    expect(inputs('Online').advisories).toBe('online');
    expect(inputs('bundled').advisories).toBe('bundled');
    expect(() => inputs('live')).toThrow(InputError);
    expect(() => inputs('live')).toThrow('Input "advisories" must be one of auto, bundled, online; got "live"');
  });

  it('auto is online for a public repository only: private or unknown stays offline', () => {
    expect(effectiveAdvisories('auto', { publicRepository: true })).toBe('online');
    expect(effectiveAdvisories('auto', { publicRepository: false })).toBe('bundled');
    expect(effectiveAdvisories('auto', {})).toBe('bundled');
    expect(effectiveAdvisories('bundled', { publicRepository: true })).toBe('bundled');
    expect(effectiveAdvisories('online', { publicRepository: false })).toBe('online');
  });

  it('reads repository.private from the event payload', () => {
    const at = join(root, 'event.json');
    const ctx = (payload: unknown) => {
      writeFileSync(at, JSON.stringify(payload));
      return readContext({ GITHUB_EVENT_PATH: at, GITHUB_EVENT_NAME: 'pull_request' });
    };
    expect(ctx({ repository: { private: false } }).publicRepository).toBe(true);
    expect(ctx({ repository: { private: true } }).publicRepository).toBe(false);
    expect(ctx({ repository: { private: 'no' } }).publicRepository).toBeUndefined();
    expect(ctx({}).publicRepository).toBeUndefined();
  });
});
