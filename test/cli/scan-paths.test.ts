/**
 * `portcullis scan [paths…]`: named files and folders are classified, configured and reported from the repository
 * root (the nearest `.git`), rules still read the files beside them, and a path that leads out of the root is refused.
 * Runs the CLI from source in real temporary git repositories.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFromSource, type CliRun } from '../support/cli-source.js';
import { gitRepo, removeTemps, tempDir } from '../support/git-repo.js';

afterAll(removeTemps);

const WORKFLOW = `name: ci
on: pull_request
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: npm ci
`;
const DOCKERFILE = 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n';
const MANIFEST = JSON.stringify({ name: 'web', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0' } }, null, 2);
const LOCKFILE = JSON.stringify(
  {
    name: 'web',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'web', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
      'node_modules/left-pad': { version: '1.3.0', resolved: 'https://packages.example.com/left-pad/-/left-pad-1.3.0.tgz', integrity: `sha512-${'A'.repeat(86)}==` },
    },
  },
  null,
  2,
);
// An ignore entry for a file no partial scan below names: a whole scan reports it unused, a partial one cannot tell.
const CONFIG = `rules:
  runs-as-root:
    enabled: false
ignore:
  - rule: unpinned-image
    path: legacy/**
    reason: the legacy images are rebuilt elsewhere
`;

interface Report {
  root: string;
  findings: { ruleId: string; path: string; line: number; column: number }[];
  notices: { message: string }[];
  summary: { result: string; blocking: number };
}
const json = (r: CliRun): Report => JSON.parse(r.stdout) as Report;
const key = (f: Report['findings'][number]) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`;

describe('scan [paths…]', () => {
  let repo: string;
  let outside: string;
  const runs: Record<string, CliRun> = {};

  beforeAll(async () => {
    outside = tempDir('portcullis-outside-');
    writeFileSync(join(outside, 'Dockerfile'), DOCKERFILE);
    repo = gitRepo({
      '.github/workflows/ci.yml': WORKFLOW,
      '.github/portcullis.yml': CONFIG,
      'services/api/Dockerfile': DOCKERFILE,
      'web/package.json': MANIFEST,
      'web/package-lock.json': LOCKFILE,
      'solo/package.json': MANIFEST.replace('"web"', '"solo"'),
      'README.md': '# demo\n',
    });
    symlinkSync(outside, join(repo, 'escape'));
    symlinkSync(join(outside, 'Dockerfile'), join(repo, 'services/Dockerfile'));
    const cases: Record<string, [string[], string?]> = {
      whole: [['scan', '--format', 'json']],
      github: [['scan', '.github', '--format', 'json']],
      fromGithub: [['scan', 'workflows/ci.yml', '--format', 'json'], '.github'],
      dockerfile: [['scan', 'services/api/Dockerfile', '--format', 'json']],
      manifest: [['scan', 'web/package.json', 'solo/package.json', '--format', 'json']],
      escapeDir: [['scan', 'escape']],
      escapeFile: [['scan', 'escape/Dockerfile']],
      outsideRoot: [['scan', '--root', '.', outside]],
      controlName: [['scan', 'gone\u001b[31m.yml']],
      escapeLink: [['scan', 'services/Dockerfile', 'services/api/Dockerfile']],
    };
    const done = await Promise.all(Object.values(cases).map(([args, cwd]) => cliFromSource(args, { cwd: cwd ? join(repo, cwd) : repo, timeout: 120_000 })));
    Object.keys(cases).forEach((k, i) => (runs[k] = done[i]!));
  }, 180_000);

  it('`scan .github` checks the workflows as workflows: the same findings as a whole scan has there', () => {
    const whole = json(runs['whole']!);
    const github = json(runs['github']!);
    // but for the config's unused ignore entry, which only a whole scan can judge (see below)
    const there = whole.findings.filter((f) => f.path.startsWith('.github/') && f.ruleId !== 'ineffective-suppression').map(key);
    expect(there).toContain('unpinned-action .github/workflows/ci.yml:9:15');
    expect(github.findings.map(key)).toEqual(there);
    expect(runs['github']!.code).toBe(1);
  });

  it('a file named from inside `.github` is still a workflow, reported from the repository root', () => {
    const r = json(runs['fromGithub']!);
    expect(r.root).toBe('..');
    expect(r.findings.map(key)).toEqual(json(runs['github']!).findings.map(key));
  });

  it('one Dockerfile: its findings alone, as in a whole scan, with the root config applied', () => {
    const whole = json(runs['whole']!);
    const one = json(runs['dockerfile']!);
    expect(one.root).toBe('.');
    expect(one.findings.map(key)).toEqual(whole.findings.filter((f) => f.path === 'services/api/Dockerfile').map(key));
    expect(one.findings.map((f) => f.ruleId)).toContain('unpinned-image');
    // the repository's config disables runs-as-root, wherever the scan starts
    expect(one.findings.map((f) => f.ruleId)).not.toContain('runs-as-root');
    // the whole scan says the legacy/** ignore entry matched nothing; a scan of one file cannot know, so says nothing
    expect(whole.findings.some((f) => f.ruleId === 'ineffective-suppression')).toBe(true);
    expect(one.findings.some((f) => f.ruleId === 'ineffective-suppression')).toBe(false);
  });

  it('a named manifest still reads the lockfile beside it from disk', () => {
    const r = json(runs['manifest']!);
    const missing = r.findings.filter((f) => f.ruleId === 'missing-lockfile').map((f) => f.path);
    expect(missing).toEqual(['solo/package.json']);
  });

  it('refuses a path that leads out of the repository through a symlink (a folder or the file itself), and one outside --root', () => {
    for (const k of ['escapeDir', 'escapeFile']) {
      expect(runs[k]!.code).toBe(2);
      expect(runs[k]!.stdout).toBe('');
      expect(runs[k]!.stderr).toMatch(/^portcullis: escape(\/Dockerfile)? leads outside the root \S+ through a symlink; not scanned\n$/);
    }
    expect(runs['escapeLink']!.code).toBe(2);
    expect(runs['escapeLink']!.stderr).toMatch(/^portcullis: services\/Dockerfile is a symlink that leads outside the root \S+; not scanned\n$/);
    // a path in an error is escaped: a file name cannot send terminal escapes
    expect(runs['controlName']).toEqual({ code: 2, stdout: '', stderr: 'portcullis: no such file or directory: gone\\u001b[31m.yml\n' });
    expect(runs['outsideRoot']!.code).toBe(2);
    expect(runs['outsideRoot']!.stderr).toMatch(/^portcullis: \S+ is outside the root \S+\n$/);
  });
});

describe('a named Dockerfile built elsewhere', () => {
  it('takes the context of the workflow that builds it, as in a whole scan', async () => {
    const built = `name: release
on: push
permissions:
  contents: read
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -f examples/app/Dockerfile -t app examples/app
`;
    const withWorkflow = gitRepo({ 'examples/app/Dockerfile': DOCKERFILE, '.github/workflows/release.yml': built });
    const alone = gitRepo({ 'examples/app/Dockerfile': DOCKERFILE });
    const args = ['scan', 'examples/app/Dockerfile', '--format', 'json'];
    const [named, whole, control] = await Promise.all([
      cliFromSource(args, { cwd: withWorkflow, timeout: 120_000 }),
      cliFromSource(['scan', '--format', 'json'], { cwd: withWorkflow, timeout: 120_000 }),
      cliFromSource(args, { cwd: alone, timeout: 120_000 }),
    ]);
    type Scoped = { findings: { ruleId: string; path: string; context: string; blocking: boolean }[] };
    const scoped = (r: CliRun) => (JSON.parse(r.stdout) as Scoped).findings.filter((f) => f.path === 'examples/app/Dockerfile').map((f) => `${f.ruleId} ${f.context} ${f.blocking}`);
    expect(scoped(named)).toContain('unpinned-image production true');
    expect(scoped(named)).toEqual(scoped(whole));
    expect(named.code).toBe(1);
    // without the workflow the same file is an example, reported without blocking
    expect(scoped(control)).toContain('unpinned-image example false');
    expect(control.code).toBe(0);
  }, 180_000);
});

describe("a named file in a folder its README calls a sample", () => {
  it('takes the example context the README gives it in a whole scan', async () => {
    const repo = gitRepo({ 'apps/shop/README.md': '# Compose sample application\n\nRun it locally.\n', 'apps/shop/Dockerfile': DOCKERFILE });
    const [named, whole] = await Promise.all([
      cliFromSource(['scan', 'apps/shop/Dockerfile', '--format', 'json'], { cwd: repo, timeout: 120_000 }),
      cliFromSource(['scan', '--format', 'json'], { cwd: repo, timeout: 120_000 }),
    ]);
    type Scoped = { findings: { ruleId: string; path: string; context: string; blocking: boolean }[] };
    // the whole scan also runs the repository rules (findings on the root, '.'); the file's own findings are the same
    const of = (r: CliRun) => (JSON.parse(r.stdout) as Scoped).findings.filter((f) => f.path !== '.').map((f) => `${f.ruleId} ${f.path} ${f.context} ${f.blocking}`);
    expect(of(named)).toContain('unpinned-image apps/shop/Dockerfile example false');
    expect(of(named)).toEqual(of(whole));
    expect(named.code).toBe(0);
  }, 180_000);
});

describe('baseline [paths…]', () => {
  it('rewrites the entries of the named paths and keeps the others', async () => {
    const repo = gitRepo({ '.github/workflows/ci.yml': WORKFLOW, 'services/api/Dockerfile': DOCKERFILE });
    const first = await cliFromSource(['baseline'], { cwd: repo, timeout: 120_000 });
    expect(first.code).toBe(0);
    const before = JSON.parse(readFileSync(join(repo, '.portcullis-baseline.json'), 'utf8')) as { findings: { path: string }[] };
    const paths = (b: typeof before) => [...new Set(b.findings.map((f) => f.path))];
    expect(paths(before)).toEqual(['.', '.github/workflows/ci.yml', 'services/api/Dockerfile']);
    // the Dockerfile is fixed; re-baselining it alone keeps the workflow's entries
    rmSync(join(repo, 'services'), { recursive: true });
    mkdirSync(join(repo, 'services/api'), { recursive: true });
    writeFileSync(join(repo, 'services/api/Dockerfile'), `FROM node:20@sha256:${'ab'.repeat(32)}\nUSER node\nCMD ["node", "server.js"]\n`);
    const again = await cliFromSource(['baseline', 'services/api'], { cwd: repo, timeout: 120_000 });
    expect(again.code).toBe(0);
    const kept = before.findings.filter((f) => !f.path.startsWith('services/'));
    const n = kept.length;
    expect(again.stderr).toBe(`portcullis: wrote 0 baseline entries (and kept ${n} for files outside the named paths) to .portcullis-baseline.json\n`);
    const after = JSON.parse(readFileSync(join(repo, '.portcullis-baseline.json'), 'utf8')) as typeof before;
    expect(after.findings).toEqual(kept);
  }, 180_000);
});
