/**
 * `portcullis fix` as a user runs it (the CLI from source, offline: no request is made): --dry-run prints a diff and
 * writes nothing, the exit code says whether it wrote or would write, --only limits it to one rule, what it cannot do
 * is listed on stderr, and nothing is read or written through a symlink the checkout planted.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInside } from '../../src/fix/files.js';
import { cliFromSource } from '../support/cli-source.js';
import { FakeGitHub } from '../support/fake-github.js';
import { FakeRegistry } from '../support/fake-registry.js';
import { gitRepo, removeTemps, tempDir } from '../support/git-repo.js';

afterAll(removeTemps);

const WORKFLOW = 'name: CI\non: pull_request\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n';
const run = (args: string[], cwd: string) => cliFromSource(['fix', ...args], { cwd, timeout: 120_000 });

describe('portcullis fix (offline)', () => {
  it('--dry-run prints the diff and writes nothing; then fix writes, and fix again has nothing to write', async () => {
    const repo = gitRepo({ '.github/workflows/ci.yml': WORKFLOW });
    const dry = await run(['--dry-run', '--offline'], repo);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n');
    expect(dry.stdout).toContain('+permissions:\n+  contents: read\n+\n jobs:\n');
    expect(dry.stdout).toContain('+        with:\n+          persist-credentials: false\n');
    expect(dry.stderr).toContain('.github/workflows/ci.yml:8: unpinned-action: actions/checkout@v4 not resolved (offline: no lookup made); left as it is');
    expect(readFileSync(join(repo, '.github/workflows/ci.yml'), 'utf8')).toBe(WORKFLOW);

    const wrote = await run(['--offline'], repo);
    expect(wrote.code).toBe(1);
    expect(wrote.stdout).toBe('');
    expect(wrote.stderr).toContain('portcullis: fixed .github/workflows/ci.yml (excessive-permissions ×1, persisted-credentials ×1)');
    const again = await run(['--offline'], repo);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('1 left for a person');
  }, 240_000);

  it('--only limits it to one rule, and names the rules it takes when given another', async () => {
    const repo = gitRepo({ '.github/workflows/ci.yml': WORKFLOW });
    const only = await run(['--dry-run', '--offline', '--only', 'persisted-credentials'], repo);
    expect(only.code).toBe(1);
    expect(only.stdout).not.toContain('permissions:\n');
    expect(only.stdout).toContain('persist-credentials: false');
    const bad = await run(['--only', 'curl-pipe-shell'], repo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^portcullis: --only must name a rule fix acts on: unpinned-action, /);
  }, 240_000);

  it('neither reads nor writes through a symlink planted in the checkout', async () => {
    const outside = tempDir('portcullis-outside-');
    mkdirSync(join(outside, 'workflows'));
    writeFileSync(join(outside, 'workflows', 'ci.yml'), WORKFLOW);
    const repo = gitRepo({ 'README.md': 'hi\n' }, (root) => symlinkSync(outside, join(root, '.github')));
    expect(readInside(repo, '.github/workflows/ci.yml')).toEqual({ why: '.github is a symlink; not followed' });
    const r = await run(['--offline'], repo);
    expect(r.code).toBe(0);
    expect(readFileSync(join(outside, 'workflows', 'ci.yml'), 'utf8')).toBe(WORKFLOW);
  }, 240_000);
});

describe('portcullis fix (online, against loopback stand-ins)', () => {
  it('pins actions to the SHA the GitHub API names and images to their registry index digest, with GITHUB_TOKEN sent only to the API', async () => {
    const gh = await FakeGitHub.start();
    const reg = await FakeRegistry.start();
    try {
      const sha = 'c'.repeat(40);
      gh.commits.set('actions/checkout', 'v4', sha);
      const { index } = reg.addIndex('team/api', '1.4.2');
      const compose = `services:\n  api:\n    image: ${reg.host}/team/api:1.4.2 # the API\n`;
      const repo = gitRepo({ '.github/workflows/ci.yml': WORKFLOW, 'compose.yaml': compose });
      const token = 'ghs_fixTestToken0000000000000000000000';
      const r = await cliFromSource(['fix', '--only', 'unpinned-action'], { cwd: repo, timeout: 120_000, env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: token } });
      expect(r.code).toBe(1);
      expect(readFileSync(join(repo, '.github/workflows/ci.yml'), 'utf8')).toContain(`      - uses: actions/checkout@${sha} # v4\n`);
      const images = await cliFromSource(['fix', '--only', 'unpinned-image'], { cwd: repo, timeout: 120_000, env: { GITHUB_API_URL: gh.url, GITHUB_TOKEN: token } });
      expect(images.code).toBe(1);
      expect(readFileSync(join(repo, 'compose.yaml'), 'utf8')).toBe(compose.replace(':1.4.2 #', `:1.4.2@${index} #`));
      expect(reg.requests.length).toBeGreaterThan(0);
      expect(reg.requests.every((q) => !JSON.stringify(q.headers).includes(token))).toBe(true);
    } finally {
      await reg.close();
      await gh.close();
    }
  }, 240_000);
});
