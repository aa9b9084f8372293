import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileFromBase } from '../../src/action/config-from-base.js';
import { createBaseline, formatBaseline } from '../../src/core/baseline.js';
import { scanFiles } from '../../src/scan.js';
import { captureStdout } from '../support/action-env.js';
import { aliasBomb, deepJsonBaseline, deepYaml, OVER_ONE_MIB } from '../support/hostile-gate-files.js';

const { run } = await import('../../src/action/main.js');

const BASE_SHA = 'b'.repeat(40);
/** What the loopback "GitHub" serves: repo-relative path → file text; `status` forces an error. */
const served: { files: Record<string, string>; status?: number } = { files: {} };
const requests: { path: string; ref: string | null; auth: string | undefined }[] = [];
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url!, 'http://x');
    const m = /^\/repos\/octo\/repo\/contents\/(.+)$/.exec(url.pathname);
    const path = m ? decodeURIComponent(m[1]!) : '';
    // The contents reads this test is about (review-policy's read of the branch's rules is answered 404 and not listed).
    if (m) requests.push({ path, ref: url.searchParams.get('ref'), auth: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    if (served.status) {
      res.statusCode = served.status;
      res.end(JSON.stringify({ message: 'Server Error' }));
    } else if (m && path in served.files) {
      res.end(JSON.stringify({ type: 'file', path, encoding: 'base64', content: Buffer.from(served.files[path]!).toString('base64') }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'Not Found' }));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  apiUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

let out: string;
let ws: string;
const saved = { ...process.env };
beforeEach(() => {
  out = '';
  requests.length = 0;
  served.files = {};
  delete served.status;
  captureStdout((text) => (out += text));
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'pc-base-')));
  // An unpinned image running as root: high findings, blocking under the default fail-on.
  writeFileSync(join(ws, 'Dockerfile'), 'FROM node:20\n');
  // The pull request tries to loosen its own gate.
  mkdirSync(join(ws, '.github'));
  writeFileSync(join(ws, '.github/portcullis.yml'), 'fail-on: never\n');
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(
    event,
    JSON.stringify({ pull_request: { number: 7, head: { sha: 'h'.repeat(40), repo: { full_name: 'octo/repo' } }, base: { sha: BASE_SHA, repo: { full_name: 'octo/repo' } } } }),
  );
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  Object.assign(process.env, {
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: 'pull_request_target',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'octo/repo',
    GITHUB_API_URL: apiUrl,
    RUNNER_TEMP: join(ws, '..', `${ws.split('/').pop()}-tmp`),
    INPUT_TOKEN: 'test-token',
    'INPUT_CONFIG-FROM': 'base',
    // Only the contents API here: the pull request experience (PR files, comment, review) is off.
    INPUT_COMMENT: 'false',
    INPUT_REVIEW: 'off',
    INPUT_GATE: 'all',
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
});

describe('config-from: base', () => {
  it('reads the config at the base commit and ignores the workspace copy that loosens the gate', async () => {
    served.files['.github/portcullis.yml'] = 'fail-on: high\n';
    await run();
    expect(requests).toEqual([{ path: '.github/portcullis.yml', ref: BASE_SHA, auth: 'token test-token' }]);
    expect(out).toContain(`::notice::config-from: base: using .github/portcullis.yml from the base commit ${BASE_SHA.slice(0, 12)}`);
    expect(out).toMatch(/::error::\d+ findings? at or above severity "high"/);
    expect(process.exitCode).toBe(1);
  });

  it('tries the second default file; with no config at the base, defaults apply (the workspace copy is still ignored)', async () => {
    await run();
    expect(requests.map((r) => [r.path, r.ref])).toEqual([
      ['.github/portcullis.yml', BASE_SHA],
      ['.portcullis.yml', BASE_SHA],
    ]);
    expect(out).toContain('::notice::config-from: base: no config file');
    expect(process.exitCode).toBe(1);
  });

  it('honours the base config when it is looser (the base decides, not the PR)', async () => {
    served.files['.portcullis.yml'] = 'fail-on: never\n';
    writeFileSync(join(ws, '.github/portcullis.yml'), 'fail-on: low\n');
    await run();
    expect(process.exitCode).toBeUndefined();
  });

  it('reads the baseline from the base commit too', async () => {
    served.files['.github/portcullis.yml'] = 'fail-on: high\n';
    process.env['INPUT_BASELINE'] = '.portcullis-baseline.json';
    // The PR adds its own findings to a workspace baseline: not used.
    writeFileSync(join(ws, '.portcullis-baseline.json'), '{"version":1,"generated":"","findings":[]}');
    await run();
    expect(requests.map((r) => r.path)).toEqual(['.github/portcullis.yml', '.portcullis-baseline.json']);
    expect(out).toContain('::notice::config-from: base: no baseline .portcullis-baseline.json at the base commit');
    expect(process.exitCode).toBe(1);
  });

  it("the base config's baseline key names the baseline, read from the base commit as well", async () => {
    const files = { Dockerfile: 'FROM node:20\n' };
    served.files['.github/portcullis.yml'] = 'fail-on: high\nbaseline: debt/baseline.json\n';
    served.files['debt/baseline.json'] = formatBaseline(createBaseline(scanFiles(files).findings, () => files.Dockerfile));
    await run();
    expect(requests.map((r) => [r.path, r.ref])).toEqual([
      ['.github/portcullis.yml', BASE_SHA],
      ['debt/baseline.json', BASE_SHA],
    ]);
    expect(process.exitCode).toBeUndefined();
  });

  it("with config-from: workspace, the workspace config's baseline key is read from the workspace", async () => {
    process.env['INPUT_CONFIG-FROM'] = 'workspace';
    const files = { Dockerfile: 'FROM node:20\n' };
    mkdirSync(join(ws, 'debt'));
    writeFileSync(join(ws, 'debt/baseline.json'), formatBaseline(createBaseline(scanFiles(files).findings, () => files.Dockerfile)));
    writeFileSync(join(ws, '.github/portcullis.yml'), 'baseline: debt/baseline.json\n');
    await run();
    expect(requests).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    writeFileSync(join(ws, '.github/portcullis.yml'), 'baseline: debt/missing.json\n');
    await run();
    expect(out).toMatch(/^::error::cannot read the baseline debt\/missing\.json \(ENOENT\)/m);
    expect(process.exitCode).toBe(1);
  });

  it('fails with a clear message when the API errors (no silent fallback to the workspace)', async () => {
    served.status = 500;
    await run();
    expect(out).toMatch(/^::error::config-from: base could not read \.github\/portcullis\.yml at the base commit bbbbbbbbbbbb of octo\/repo: 500/m);
    expect(process.exitCode).toBe(1);
  });

  it('outside a pull request, reads the workspace config and says so', async () => {
    writeFileSync(process.env['GITHUB_EVENT_PATH']!, '{}');
    process.env['GITHUB_EVENT_NAME'] = 'push';
    await run();
    expect(requests).toEqual([]);
    expect(out).toContain('::notice::config-from: base applies to pull requests; this push event has no base commit');
    expect(process.exitCode).toBeUndefined();
  });
});

describe('config-from: base, with hostile files at the base commit', () => {
  it('refuses a base config over 1 MiB, before parsing it', async () => {
    served.files['.github/portcullis.yml'] = OVER_ONE_MIB;
    await run();
    expect(out).toMatch(/^::error::config-from: base: \.github\/portcullis\.yml at the base commit bbbbbbbbbbbb is larger than 1 MiB; not read$/m);
    expect(process.exitCode).toBe(1);
  });

  it('parses the base config with the same limits: an alias bomb and 10,000 levels of nesting end the run', async () => {
    served.files['.github/portcullis.yml'] = aliasBomb();
    await run();
    expect(out).toMatch(/^::error::\.github\/portcullis\.yml \(base bbbbbbbbbbbb\):\d+:\d+: aliases expand to more than 10000 nodes: not a Portcullis config$/m);
    served.files['.github/portcullis.yml'] = deepYaml(10_000);
    await run();
    expect(out).toMatch(/^::error::\.github\/portcullis\.yml \(base bbbbbbbbbbbb\):1:\d+: nested deeper than 64 levels: not a Portcullis config$/m);
    expect(process.exitCode).toBe(1);
  });

  it("refuses a base baseline nested 10,000 deep, and a base config's baseline outside the repository (not even asked for)", async () => {
    served.files['.github/portcullis.yml'] = 'baseline: debt.json\n';
    served.files['debt.json'] = deepJsonBaseline(10_000);
    await run();
    expect(out).toMatch(/^::error::debt\.json \(base bbbbbbbbbbbb\): nested deeper than 64 levels: not a Portcullis baseline$/m);
    served.files['.github/portcullis.yml'] = 'baseline: ../../outside.json\n';
    requests.length = 0;
    await run();
    expect(out).toMatch(/^::error::cannot use the baseline \.\.\/\.\.\/outside\.json: it is outside the repository; not read$/m);
    expect(requests.map((r) => r.path)).toEqual(['.github/portcullis.yml']);
    expect(process.exitCode).toBe(1);
  });
});

describe('readFileFromBase', () => {
  const ref = () => ({ token: 't', apiUrl: `${apiUrl}/`, repository: 'octo/repo', sha: BASE_SHA });
  it('returns the first path that exists, decoded', async () => {
    served.files['b.yml'] = 'x: é\n';
    expect(await readFileFromBase(ref(), ['a.yml', 'b.yml'])).toEqual({ path: 'b.yml', text: 'x: é\n' });
  });
  it('needs a token', async () => {
    await expect(readFileFromBase({ ...ref(), token: '' }, ['a.yml'])).rejects.toThrow(/needs the `token` input/);
  });
  it('names the token permission on 403', async () => {
    served.status = 403;
    await expect(readFileFromBase(ref(), ['a.yml'])).rejects.toThrow(/403 .*contents: read/);
  });
});
