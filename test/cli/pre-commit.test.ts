/**
 * The pre-commit hook: `.pre-commit-hooks.yaml` is a valid hook manifest whose entry is the package's `portcullis`
 * bin, and that entry, run the way pre-commit runs it (from the repository root, the staged file names appended),
 * checks those files against the repository's config and baseline.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliFromSource, repoRoot, type CliRun } from '../support/cli-source.js';
import { git, gitRepo, removeTemps } from '../support/git-repo.js';

afterAll(removeTemps);

// The keys pre-commit's manifest schema knows for a hook (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
const REQUIRED = ['id', 'name', 'entry', 'language'];
const OPTIONAL = ['alias', 'files', 'exclude', 'types', 'types_or', 'exclude_types', 'additional_dependencies', 'args', 'always_run', 'fail_fast', 'pass_filenames', 'description', 'language_version', 'log_file', 'minimum_pre_commit_version', 'require_serial', 'stages', 'verbose'];

type Hook = Record<string, unknown> & { id: string; entry: string; language: string };
const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

describe('.pre-commit-hooks.yaml', () => {
  it('is a list of one valid hook, id portcullis, run by the bin npm installs, on text files, with the file names', () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    for (const k of REQUIRED) expect(typeof hook[k], k).toBe('string');
    expect(Object.keys(hook).filter((k) => !REQUIRED.includes(k) && !OPTIONAL.includes(k))).toEqual([]);
    expect(hook).toMatchObject({ id: 'portcullis', language: 'node', entry: 'portcullis scan --', types: ['text'] });
    // pre-commit passes the file names unless told not to, and runs the entry as installed by npm from this package
    expect(hook['pass_filenames']).not.toBe(false);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(Object.keys(pkg.bin)).toContain(hook.entry.split(' ')[0]);
    expect(pkg.files).toContain('dist/');
  });
});

describe('the hook entry, run as pre-commit runs it', () => {
  const entry = hooks[0]!.entry.split(' ').slice(1);
  let repo: string;
  const runs: Record<string, CliRun> = {};

  beforeAll(async () => {
    repo = gitRepo({
      '.github/workflows/ci.yml': 'name: ci\non: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n',
      'services/api/Dockerfile': `FROM node:20@sha256:${'ab'.repeat(32)}\nUSER node\nCMD ["node", "server.js"]\n`,
      'old/compose.yml': 'services:\n  web:\n    image: nginx\n',
      'README.md': '# demo\n',
    });
    // The commit being made: the Dockerfile gains an unpinned stage, the README changes, old/compose.yml is deleted
    // (pre-commit can hand over a file the commit removes), and a text file no rule reads is added.
    writeFileSync(join(repo, 'services/api/Dockerfile'), 'FROM node:20\nUSER node\nCMD ["node", "server.js"]\n');
    writeFileSync(join(repo, 'README.md'), '# demo\n\nSee the docs.\n');
    writeFileSync(join(repo, 'notes.txt'), 'nothing to see\n');
    // A file name a contributor chose to look like an option: it must stay a file name.
    writeFileSync(join(repo, '--fail-on=never'), 'nothing here either\n');
    rmSync(join(repo, 'old'), { recursive: true });
    git(repo, 'add', '-A');
    const staged = ['--fail-on=never', 'README.md', 'notes.txt', 'old/compose.yml', 'services/api/Dockerfile'];
    runs['commit'] = await cliFromSource([...entry, ...staged], { cwd: repo, timeout: 120_000 });
    runs['clean'] = await cliFromSource([...entry, 'README.md', 'notes.txt', '.github/workflows/ci.yml'], { cwd: repo, timeout: 120_000 });
    // Existing debt written to the baseline the config names does not block the next commit.
    writeFileSync(join(repo, '.github/portcullis.yml'), 'baseline: .portcullis-baseline.json\n');
    runs['baseline'] = await cliFromSource(['baseline'], { cwd: repo, timeout: 120_000 });
    runs['afterBaseline'] = await cliFromSource([...entry, ...staged], { cwd: repo, timeout: 120_000 });
  }, 240_000);

  it('fails on the staged Dockerfile, says the deleted file was not checked, says nothing of the others, and takes a file named like an option for a file', () => {
    const r = runs['commit']!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = lines.filter((l) => /^\S+:\d+:\d+: /.test(l));
    expect(findings.length).toBeGreaterThan(0);
    for (const l of findings) expect(l.startsWith('services/api/Dockerfile:1:')).toBe(true);
    expect(findings.some((l) => / high unpinned-image /.test(l))).toBe(true);
    expect(r.stdout).toContain('notice 1 named path(s) not found, so not checked (deleted?): old/compose.yml');
    expect(r.stdout).not.toMatch(/README|notes\.txt|fail-on=never/);
    expect(lines.at(-1)).toMatch(/^\d+ blocking \(fail-on high\): FAIL$/);
  });

  it('passes files with nothing to report', () => {
    expect(runs['clean']).toEqual({ code: 0, stdout: '0 findings\n0 blocking (fail-on high): PASS\n', stderr: '' });
  });

  it("reads the repository's baseline: baselined findings do not block a commit", () => {
    expect(runs['baseline']!.code).toBe(0);
    const r = runs['afterBaseline']!;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(baselined\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 blocking (fail-on high): PASS');
  });
});
