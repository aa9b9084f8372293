// Discovery in a git checkout: git's index decides what is scanned, not `.gitignore` (which a pull request can add).
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/parsers/discover.js';
import { scanDirectory } from '../../src/scan.js';
import { git, gitRepo, removeTemps, tempDir, writeTree } from '../support/git-repo.js';

afterAll(removeTemps);

const opts = { exclude: [] as string[] };
const paths = async (root: string): Promise<string[]> => (await discover(root, opts)).files.map((f) => f.path);

/** A pull_request_target workflow that checks out and runs the pull request's head. */
const PWN_REQUEST = `on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm install && npm test
`;

describe('discovery in a git checkout', () => {
  it('scans a tracked workflow that a nested .gitignore names (*.yml next to it)', async () => {
    const root = gitRepo({ '.github/workflows/.gitignore': '*.yml\n', '.github/workflows/pwn.yml': PWN_REQUEST, 'README.md': 'x\n' });
    expect(await paths(root)).toEqual(['.github/workflows/.gitignore', '.github/workflows/pwn.yml', 'README.md']);
    const result = await scanDirectory(root);
    expect(result.findings.filter((f) => f.path === '.github/workflows/pwn.yml').map((f) => f.ruleId)).toContain('untrusted-checkout');
    expect(result.summary.result).toBe('fail');
    expect(result.notices.map((n) => n.message).join('\n')).not.toMatch(/walking the folder/);
  });

  it('ignores .gitignore, .git/info/exclude and a global excludes file for tracked files, and still applies them to untracked ones', async () => {
    const root = gitRepo({ '.gitignore': 'build/\n*.log\n', 'sub/.gitignore': 'Dockerfile\n', 'sub/Dockerfile': 'FROM alpine:3.20\n', 'keep.log': 'tracked\n', 'README.md': 'x\n' });
    writeFileSync(join(root, '.git', 'info', 'exclude'), 'keep.log\n');
    writeTree(root, { 'build/out.yml': 'a: 1\n', 'debug.log': 'untracked\n', 'sub/new/Dockerfile': 'FROM alpine\n', 'notes.txt': 'untracked, not ignored\n', 'other.md': 'untracked\n' });
    // The gate's git reads the user's global config (as on a runner): there, an excludes file ignoring *.md.
    const global = tempDir();
    writeFileSync(join(global, 'ignore'), '*.md\n');
    writeFileSync(join(global, 'gitconfig'), `[core]\n\texcludesFile = ${join(global, 'ignore')}\n`);
    const before = process.env['GIT_CONFIG_GLOBAL'];
    process.env['GIT_CONFIG_GLOBAL'] = join(global, 'gitconfig');
    try {
      expect(await paths(root)).toEqual(['.gitignore', 'README.md', 'keep.log', 'notes.txt', 'sub/.gitignore', 'sub/Dockerfile']);
    } finally {
      if (before === undefined) delete process.env['GIT_CONFIG_GLOBAL'];
      else process.env['GIT_CONFIG_GLOBAL'] = before;
    }
  });

  it('leaves out files deleted from the work tree, submodule gitlinks, and sparse-checkout entries not on disk', async () => {
    const root = gitRepo({ 'a.txt': 'a\n', 'gone/Dockerfile': 'FROM alpine\n', 'Dockerfile': 'FROM alpine:3.20\n' });
    rmSync(join(root, 'gone'), { recursive: true });
    git(root, 'update-index', '--add', '--cacheinfo', `160000,${git(root, 'rev-parse', 'HEAD').trim()},lib/sub`);
    git(root, 'update-index', '--skip-worktree', 'a.txt');
    rmSync(join(root, 'a.txt'));
    expect(await paths(root)).toEqual(['Dockerfile']);
    const result = await scanDirectory(root);
    expect(result.findings.filter((f) => f.ruleId === 'unchecked-file')).toEqual([]);
    expect(result.notices.find((n) => n.message.startsWith('skipped'))).toBeUndefined();
  });

  it('lists only the files under a scan root that is a subfolder, relative to it', async () => {
    const root = gitRepo({ 'svc/api/Dockerfile': 'FROM node:latest\n', 'svc/api/.gitignore': '*\n', 'svc/web/Dockerfile': 'FROM node:latest\n', 'Dockerfile': 'FROM node:latest\n' });
    expect(await paths(join(root, 'svc', 'api'))).toEqual(['.gitignore', 'Dockerfile']);
    const result = await scanDirectory(join(root, 'svc'));
    expect([...new Set(result.findings.map((f) => f.path))]).toEqual(['api/Dockerfile', 'web/Dockerfile']);
  });

  it('reads a folder that git ignores as a whole when it is the scan root (output of an earlier step, named in .gitignore)', async () => {
    const root = gitRepo({ '.gitignore': 'rendered/\n', 'chart/values.yaml': 'image: app\n' });
    writeTree(root, { 'rendered/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: node:latest\n      securityContext:\n        privileged: true\n' });
    expect(await paths(root)).toEqual(['.gitignore', 'chart/values.yaml']);
    const result = await scanDirectory(join(root, 'rendered'));
    expect(result.findings.map((f) => f.ruleId)).toContain('privileged-container');
    expect(result.notices.map((n) => n.message)).toContain('git tracks no file in this folder and ignores all the others: files listed by walking the folder');
  });

  it('never lets the repository config run a program (core.fsmonitor)', async () => {
    const root = gitRepo({ 'Dockerfile': 'FROM alpine:3.20\n' });
    const marker = join(root, 'fsmonitor-ran');
    writeFileSync(join(root, 'hook.sh'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(root, 'config', 'core.fsmonitor', join(root, 'hook.sh'));
    expect(await paths(root)).toEqual(['Dockerfile', 'hook.sh']);
    expect(existsSync(marker)).toBe(false);
  });

  it('follows a tracked symlink inside the root, and fails closed on a Dockerfile that is a symlink out of it', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'Dockerfile'), 'FROM node:latest\n');
    const root = gitRepo({ 'real/Dockerfile': 'FROM node:latest\n' }, (r) => {
      symlinkSync('real/Dockerfile', join(r, 'Dockerfile'));
      mkdirSync(join(r, 'app'));
      symlinkSync(join(outside, 'Dockerfile'), join(r, 'app', 'Dockerfile'));
      symlinkSync('/etc/passwd', join(r, 'passwd.txt'));
    });
    const found = await discover(root, opts);
    expect(found.files).toEqual([{ path: 'Dockerfile', link: true }, { path: 'real/Dockerfile' }]);
    expect(found.skipped).toEqual([
      { path: 'app/Dockerfile', reason: 'symlink outside the root' },
      { path: 'passwd.txt', reason: 'symlink outside the root' },
    ]);
    const result = await scanDirectory(root);
    const unchecked = result.findings.filter((f) => f.ruleId === 'unchecked-file');
    expect(unchecked.map((f) => [f.path, f.message])).toEqual([
      ['app/Dockerfile', expect.stringContaining('a symlink that leads outside the scanned folder')],
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'latest-image-tag').map((f) => f.path)).toEqual(['Dockerfile', 'real/Dockerfile']);
    expect(result.notices[0]!.message).toBe('skipped 1 file(s): 1 symlink outside the root (passwd.txt)');
  });

  it('fails closed on a tracked workflow whose name is not valid UTF-8 (it cannot be opened by name)', async () => {
    const root = gitRepo({}, (r) => {
      mkdirSync(join(r, '.github', 'workflows'), { recursive: true });
      writeFileSync(Buffer.from(`${r}/.github/workflows/ci-\xff.yml`, 'latin1'), PWN_REQUEST);
    });
    const result = await scanDirectory(root);
    expect(result.findings.map((f) => [f.ruleId, f.path])).toEqual([['unchecked-file', '.github/workflows/ci-\ufffd.yml']]);
    expect(result.findings[0]!.message).toContain('its name is not valid UTF-8');
  });
});

describe('vendored folders', () => {
  const compose = 'services:\n  app:\n    build:\n      context: vendor/app\n  tool:\n    build: third_party/tool\n';

  it('checks a tracked vendored Dockerfile that compose builds, and no other vendored file', async () => {
    const root = gitRepo({
      'docker-compose.yml': compose,
      'vendor/app/Dockerfile': 'FROM node:latest\n',
      'vendor/app/.dockerignore': '.env\n',
      'third_party/tool/Dockerfile': 'FROM python:latest\n',
      'vendor/unused/Dockerfile': 'FROM ruby:latest\n',
      'vendor/lib/package.json': '{"dependencies":{"left-pad":"^1.0.0"}}\n',
    });
    const result = await scanDirectory(root);
    const byPath = [...new Set(result.findings.map((f) => f.path))];
    expect(byPath).toEqual(['third_party/tool/Dockerfile', 'vendor/app/Dockerfile']);
    const latest = result.findings.find((f) => f.path === 'vendor/app/Dockerfile' && f.ruleId === 'latest-image-tag')!;
    expect(latest.related.map((r) => r.path)).toEqual(['docker-compose.yml']);
  });

  it('checks a vendored Dockerfile that a workflow builds with docker build -f or docker/build-push-action file:', async () => {
    const workflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -f vendor/a/Dockerfile .
      - uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83
        with:
          context: .
          file: node_modules/b/Dockerfile
`;
    const root = gitRepo({ '.github/workflows/img.yml': workflow, 'vendor/a/Dockerfile': 'FROM node:latest\n', 'node_modules/b/Dockerfile': 'FROM node:latest\n' });
    const result = await scanDirectory(root);
    const latest = result.findings.filter((f) => f.ruleId === 'latest-image-tag').map((f) => f.path);
    expect(latest).toEqual(['node_modules/b/Dockerfile', 'vendor/a/Dockerfile']);
  });
});

describe('outside git', () => {
  it('walks the folder, honours .gitignore, and says so in one notice', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/.gitignore': '*.yml\n', '.github/workflows/pwn.yml': PWN_REQUEST, 'Dockerfile': 'FROM alpine:3.20\n' });
    const found = await discover(root, opts);
    expect(found.files.map((f) => f.path)).toEqual(['.github/workflows/.gitignore', 'Dockerfile']);
    expect(found.fallback).toMatch(/^files listed by walking the folder, not from git \(fatal: not a git repository/);
    const result = await scanDirectory(root);
    const fallback = result.notices.filter((n) => n.message.startsWith('files listed by walking the folder'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.message).toContain('`.gitignore` files were honoured, so a file one of them names was not checked');
  });

  it('walks when git is not installed', async () => {
    const root = tempDir();
    writeTree(root, { 'Dockerfile': 'FROM alpine:3.20\n' });
    const path = process.env['PATH'];
    process.env['PATH'] = tempDir();
    try {
      const found = await discover(root, opts);
      expect(found.files.map((f) => f.path)).toEqual(['Dockerfile']);
      expect(found.fallback).toContain('(git is not installed)');
    } finally {
      process.env['PATH'] = path;
    }
  });
});
