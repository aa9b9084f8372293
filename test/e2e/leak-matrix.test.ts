/**
 * The leak matrix: a hostile pull request plants credentials of 30+ shapes wherever a rule's message, a related
 * label, a path, a notice, a suppression reason or a baseline context can carry them, and no output may hold any
 * 5 characters of any of them: the CLI's text, JSON and SARIF, the baseline file, and the committed action bundle
 * (`node dist/index.js`, as test/e2e/pr-lifecycle.test.ts runs it) against the fake GitHub: its stdout (bar the
 * `::add-mask::` lines, which exist to name values), the job summary, the outputs, the JSON report, the SARIF file
 * and the body of every API request. Values are made at run time (no token-like string is committed).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALNUM, BASE32, BASE64, checksummed, fake, HEX } from '../../src/analysis/secrets/fake.js';
import { FakeGitHub, type FakeFile } from '../support/fake-github.js';
import { leaks } from '../support/leaks.js';
import { actionDefaults, BUNDLE, runBundle } from '../support/runner-files.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const CLI = join(repoRoot, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'pc-leaks-'));

let seed = 9000;
/** `n` characters of `alphabet`, a fresh seed each (the same values on every run). */
const random = (n: number, alphabet = ALNUM): string => fake(n, alphabet, ++seed);
/** A GitHub token with a valid checksum, so the detector classifies it by format; `secret` is its random part. */
function githubToken(): { token: string; secret: string } {
  const token = checksummed('ghp_', ++seed);
  return { token, secret: token.slice(4) };
}

// What leaks is the random part: the fixed prefix of a format (`ghp_`, `sk_live_`) is public and printed by docs.
const gh = Object.fromEntries(['label', 'suppressReason', 'withToken', 'gitDep', 'folder', 'configReason', 'unknownId'].map((k) => [k, githubToken()]));
const S: Record<string, string> = {
  envPassword: random(20),
  npmToken: random(36),
  pipIndexPassword: random(18),
  npmRegistryPassword: random(18),
  curlUserPassword: random(16),
  npmrcAuthToken: random(32),
  bearer: random(40),
  queryToken: random(24),
  dockerLoginPassword: random(16),
  suppressedValue: random(24),
  composeToken: random(24),
  composeUrlPassword: random(20),
  k8sPassword: random(20),
  containerPassword: random(18),
  workflowEnvKey: random(24),
  workflowCurlPassword: random(16),
  workflowPipPassword: random(16),
  workflowNpmPassword: random(16),
  workflowOptionPassword: random(16),
  dotenvToken: random(28),
  dotenvUrlPassword: random(18),
  npmrcFileToken: random(32),
  gitDepPassword: random(18),
  requirementsToken: random(24),
  lockfilePassword: random(18),
  stripeKey: random(32),
  awsKeyId: random(16, BASE32),
  awsSecret: random(40, BASE64),
  pemLine1: random(64, BASE64),
  pemLine2: random(64, BASE64),
  amzSignature: random(32, HEX),
  brokenWorkflowPassword: random(20),
  // words, not random: not masked, but still never printed (a multi-line finding's baseline context holds its line)
  wordPassword: 'Quokka-Marmot-Wombat',
  ...Object.fromEntries(Object.entries(gh).map(([k, v]) => [`github-${k}`, v.secret])),
};

const PR_FILES: Record<string, string> = {
  Dockerfile: [
    'FROM node:20',
    `ENV DB_PASSWORD=${S.envPassword}`,
    `ARG NPM_TOKEN=npm_${S.npmToken}`,
    `LABEL deploy.key="${gh.label!.token}"`,
    `RUN pip install --index-url https://build:${S.pipIndexPassword}@pypi.internal.example/simple flask`,
    `RUN npm install --registry https://ci:${S.npmRegistryPassword}@npm.internal.example/ left-pad`,
    `RUN curl -u deploy:${S.curlUserPassword} https://get.example.com/install.sh | sh`,
    `RUN echo "//npm.internal.example/:_authToken=${S.npmrcAuthToken}" > .npmrc && npm install`,
    `RUN curl -k -H "Authorization: Bearer ${S.bearer}" -o /tmp/i.sh https://get.example.com/i.sh && sh /tmp/i.sh`,
    `ADD https://files.example.com/tool.tgz?token=${S.queryToken}&X-Amz-Signature=${S.amzSignature} /opt/tool.tgz`,
    `RUN docker login -p ${S.dockerLoginPassword} -u me registry.example.com && sudo make`,
    `# portcullis: ignore[secret-in-env] rotated; the old one was ${gh.suppressReason!.token}`,
    `ENV SERVICE_TOKEN=${S.suppressedValue}`,
    '',
  ].join('\n'),
  'docker-compose.yml': [
    'services:',
    '  api:',
    '    image: example/api:1.0',
    '    environment:',
    `      API_TOKEN: ${S.composeToken}`,
    `      DATABASE_URL: postgres://app:${S.composeUrlPassword}@db.internal:5432/app`,
    '',
  ].join('\n'),
  'k8s/deploy.yaml': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: api',
    'spec:',
    '  containers:',
    '    - name: api',
    '      image: example/api:1.0',
    '      env:',
    '        - name: DB_PASSWORD',
    `          value: ${S.k8sPassword}`,
    '        - name: ADMIN_PASSWORD',
    `          value: ${S.wordPassword}`,
    '',
  ].join('\n'),
  '.github/workflows/ci.yml': [
    'on: pull_request',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    container:',
    '      image: ghcr.io/acme/build:1',
    '      credentials:',
    '        username: ci',
    `        password: ${S.containerPassword}`,
    '    env:',
    `      DEPLOY_API_KEY: ${S.workflowEnvKey}`,
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: some-org/comment@v1',
    '        with:',
    `          token: ${gh.withToken!.token} # portcullis: ignore[hardcoded-credential] a test token`,
    `      - run: curl -u admin:${S.workflowCurlPassword} https://get.example.com/i.sh | bash`,
    `      - run: pip install --extra-index-url https://u:${S.workflowPipPassword}@pypi.internal.example/simple requests`,
    `      - run: npm install --registry=https://ci:${S.workflowNpmPassword}@npm.internal.example/ left-pad`,
    `      - run: echo "\${{ github.event.pull_request.title }}" && curl --password ${S.workflowOptionPassword} https://x.example.com/`,
    '',
  ].join('\n'),
  '.github/workflows/broken.yml': `on: push\njobs:\n  b:\n    env:\n      PASSWORD: ${S.brokenWorkflowPassword}\n    steps: [\n`,
  '.env': `API_TOKEN=${S.dotenvToken}\nDATABASE_URL=postgres://app:${S.dotenvUrlPassword}@db.internal:5432/app\n`,
  '.npmrc': `//npm.internal.example/:_authToken=${S.npmrcFileToken}\nalways-auth=true\n`,
  'package.json': JSON.stringify(
    {
      name: 'app',
      version: '1.0.0',
      dependencies: {
        'left-pad': '^1.3.0',
        lib: `git+https://${gh.gitDep!.token}@github.com/acme/lib.git`,
        lib2: `git+https://user:${S.gitDepPassword}@git.example.com/acme/lib2.git#main`,
      },
    },
    null,
    2,
  ),
  'package-lock.json': JSON.stringify(
    {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' } },
        'node_modules/left-pad': { version: '1.3.0', resolved: `http://user:${S.lockfilePassword}@npm.internal.example/left-pad/-/left-pad-1.3.0.tgz` },
      },
    },
    null,
    2,
  ),
  'requirements.txt': `pylib @ git+https://${S.requirementsToken}@github.com/acme/pylib.git@main\nflask>=2\n`,
  'src/config.js': `const stripe = "sk_live_${S.stripeKey}";\nconst aws = { accessKeyId: "AKIA${S.awsKeyId}", secretAccessKey: "${S.awsSecret}" };\n`,
  'keys/deploy.pem': `-----BEGIN RSA PRIVATE KEY-----\n${S.pemLine1}\n${S.pemLine2}\n-----END RSA PRIVATE KEY-----\n`,
  [`tools/${gh.folder!.token}/Dockerfile`]: 'FROM node:latest\nUSER 1000\n',
  'services/worker/Dockerfile': `FROM alpine:3.20\n# portcullis: ignore[${gh.unknownId!.token}] a suppression naming no rule\nRUN apk add curl\nUSER 1000\n`,
  '.github/portcullis.yml': `ignore:\n  - rule: latest-image-tag\n    path: 'tools/**'\n    reason: accepted with ${gh.configReason!.token}\n`,
};

describe('the leak matrix', () => {
  let fake: FakeGitHub;
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    for (const bundle of [BUNDLE, CLI]) if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build it with \`npm run build\``);
    const ws = join(scratch, 'workspace');
    for (const [path, text] of Object.entries(PR_FILES)) {
      mkdirSync(dirname(join(ws, path)), { recursive: true });
      writeFileSync(join(ws, path), text);
    }
    const cli = (args: string[]) =>
      new Promise<{ stdout: string; stderr: string }>((done) =>
        execFile(process.execPath, [CLI, ...args], { cwd: ws, env: { PATH: process.env['PATH'] ?? '' }, maxBuffer: 64 << 20 }, (_e, stdout, stderr) => done({ stdout, stderr })),
      );
    const [text, json, sarif] = await Promise.all([cli(['scan', '.']), cli(['scan', '.', '--format', 'json']), cli(['scan', '.', '--format', 'sarif'])]);
    Object.assign(outputs, { 'CLI text': text.stdout + text.stderr, 'CLI JSON': json.stdout + json.stderr, 'CLI SARIF': sarif.stdout + sarif.stderr });
    const baselineRun = await cli(['baseline', '.', '--output', join(scratch, 'baseline.json')]);
    outputs['baseline file'] = readFileSync(join(scratch, 'baseline.json'), 'utf8') + baselineRun.stderr;

    fake = await FakeGitHub.start({ owner: 'acme', repo: 'widgets' });
    const files: FakeFile[] = Object.entries(PR_FILES).map(([filename, t]) => {
      const lines = t.endsWith('\n') ? t.slice(0, -1).split('\n') : t.split('\n');
      return { filename, status: 'added', patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') };
    });
    fake.addPullRequest({ number: 9, headSha: '9'.repeat(40), files });
    const run = await runAction(ws);
    Object.assign(outputs, run);
    outputs['API request bodies'] = fake.requests.map((r) => JSON.stringify(r.body ?? '')).join('\n');
  }, 120_000);

  afterAll(async () => {
    await fake?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function runAction(ws: string): Promise<Record<string, string>> {
    const { stdout, stderr, summary, outputs: outs } = await runBundle({
      dir: join(scratch, 'runner'),
      workspace: ws,
      event: 'pull_request',
      payload: { number: 9, pull_request: { number: 9, head: { sha: '9'.repeat(40), repo: { full_name: 'acme/widgets' } }, base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/widgets' } } } },
      inputs: { ...actionDefaults('ghs_fake_token'), 'sarif-file': 'out.sarif', gate: 'all' },
      env: { GITHUB_SHA: 'e'.repeat(40), GITHUB_REPOSITORY: 'acme/widgets', GITHUB_API_URL: fake.url, GITHUB_RUN_ID: '77' },
    });
    return {
      masks: stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).join('\n'),
      'action stdout': stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + stderr,
      'job summary': summary,
      outputs: JSON.stringify(outs),
      'report file': outs['report'] ? readFileSync(outs['report'], 'utf8') : '(no report)',
      'SARIF file': outs['sarif'] ? readFileSync(outs['sarif'], 'utf8') : '(no SARIF)',
    };
  }

  it('plants at least 30 credential shapes and every rule path raises its finding', () => {
    expect(Object.keys(S).length).toBeGreaterThanOrEqual(30);
    const report = JSON.parse(outputs['report file']!) as { findings: { ruleId: string; path: string; suppressed?: unknown }[]; notices: { path?: string }[] };
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of [
      'secret-in-env',
      'hardcoded-secret',
      'hardcoded-credential',
      'committed-dotenv',
      'curl-pipe-shell',
      'non-frozen-install',
      'tls-verification-disabled',
      'add-remote-url',
      'unpinned-git-dependency',
      'lockfile-insecure-source',
      'latest-image-tag',
      'ineffective-suppression',
      'template-injection',
    ]) {
      expect(rules, id).toContain(id);
    }
    // the suppressions took effect: inline, and the config entry for the folder named with a token
    expect(report.findings.filter((f) => f.suppressed).length).toBeGreaterThanOrEqual(2);
    expect(report.notices.some((n) => n.path?.endsWith('broken.yml'))).toBe(true);
    // the PR comment and the review were posted (their bodies are checked below)
    expect(outputs['API request bodies']).toContain('portcullis:sticky');
    expect(fake.requestsFor('pulls/create-review')).toHaveLength(1);
  });

  it.each(['CLI text', 'CLI JSON', 'CLI SARIF', 'baseline file', 'action stdout', 'job summary', 'outputs', 'report file', 'SARIF file', 'API request bodies'])(
    'leaks no 5 characters of any planted value: %s',
    (channel) => {
      expect(outputs[channel]!.length).toBeGreaterThan(0);
      expect(leaks(outputs[channel]!, S).join('\n')).toBe('');
    },
  );
});
