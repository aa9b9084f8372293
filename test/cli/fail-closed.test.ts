// The committed CLI bundle (dist/cli.js) at default settings fails (exit 1) on every file of a kind the gate checks
// that it cannot check, and reports the same `unchecked-file` findings on one thread and on three.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo, removeTemps, tempDir, writeTree } from '../support/git-repo.js';
import { FAIL_CLOSED_CASES, longPathRepo } from '../support/unchecked-cases.js';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
afterAll(removeTemps);

function scan(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'scan', dir, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  const report = JSON.parse(r.stdout || '{}') as { findings?: { ruleId: string; path: string }[] };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, unchecked: (report.findings ?? []).filter((f) => f.ruleId === 'unchecked-file').map((f) => f.path) };
}

describe('portcullis scan fails closed', () => {
  for (const c of FAIL_CLOSED_CASES) {
    it(`exits 1 on ${c.name}`, () => {
      const dir = tempDir();
      writeTree(dir, c.files);
      const r = scan(dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.unchecked).toEqual([c.path]);
    }, 120_000);
  }

  it('exits 1 on a path beyond PATH_MAX in a git checkout', () => {
    const { root, path } = longPathRepo();
    const r = scan(root);
    expect(r.code, r.stderr).toBe(1);
    expect(r.unchecked).toEqual([path]);
  }, 120_000);

  it('exits 1 on a tracked workflow hidden by a nested .gitignore (it is checked)', () => {
    const root = gitRepo({
      '.github/workflows/.gitignore': '*.yml\n',
      '.github/workflows/pwn.yml': 'on: pull_request_target\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make\n',
    });
    const r = spawnSync(process.execPath, [cli, 'scan', root, '--format', 'json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('untrusted-checkout');
  }, 120_000);

  it('reports the same findings on one thread and on three, wherever the files fall among the chunks', () => {
    const dir = tempDir();
    const files: Record<string, string | Buffer> = {};
    // Fillers around the cases, so that the work is cut into several chunks and the cases land in different ones.
    for (let i = 0; i < 400; i++) files[`svc${String(i).padStart(3, '0')}/Dockerfile`] = `FROM node:${i % 3 === 0 ? 'latest' : '20'}\n`;
    FAIL_CLOSED_CASES.forEach((c, i) => {
      for (const [path, content] of Object.entries(c.files)) files[`svc${String(i * 57).padStart(3, '0')}/case/${path}`] = content;
    });
    mkdirSync(dir, { recursive: true });
    writeTree(dir, files);
    const one = scan(dir, '--jobs', '1', '--stats');
    const three = scan(dir, '--jobs', '3', '--stats');
    expect(one.code, one.stderr).toBe(1);
    expect(three.code, three.stderr).toBe(1);
    expect(/"byWorkers":[1-9]/.test(three.stderr), three.stderr).toBe(true);
    expect(one.unchecked).toHaveLength(FAIL_CLOSED_CASES.length);
    expect(three.stdout).toBe(one.stdout);
  }, 300_000);
});
