/**
 * `portcullis init` in real temporary git repositories: the workflow it writes is pinned, least-privilege, gates pull
 * requests and the merge queue, and passes the gate itself; today's findings go to a baseline the config names, so the
 * next scan passes; nothing is overwritten without --force and nothing is written through a symlink.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliFromSource, type CliRun } from '../support/cli-source.js';
import { gitRepo, removeTemps, tempDir } from '../support/git-repo.js';

afterAll(removeTemps);

const DEBT = { 'services/api/Dockerfile': 'FROM node:20\nCMD ["node", "server.js"]\n' };
const WORKFLOW = '.github/workflows/portcullis.yml';
const run = (args: string[], cwd: string) => cliFromSource(args, { cwd, timeout: 120_000 });
interface Report {
  findings: { ruleId: string; path: string; blocking?: boolean }[];
  summary: { total: number; blocking: number; result: string };
}

describe('portcullis init', () => {
  let repo: string;
  const runs: Record<string, CliRun> = {};
  let written: Record<string, string> = {};

  beforeAll(async () => {
    repo = gitRepo(DEBT);
    runs['init'] = await run(['init'], repo);
    written = Object.fromEntries([WORKFLOW, '.portcullis-baseline.json', '.github/portcullis.yml'].map((f) => [f, readFileSync(join(repo, f), 'utf8')]));
    const [workflow, whole, again] = await Promise.all([run(['scan', WORKFLOW, '--format', 'json'], repo), run(['scan', '--format', 'json'], repo), run(['init'], repo)]);
    Object.assign(runs, { workflow, whole, again });
    runs['force'] = await run(['init', '--force'], repo);
  }, 240_000);

  it('writes the workflow, the baseline and the config, and says what it did and what is next', () => {
    const r = runs['init']!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${WORKFLOW}: pull requests, the merge queue and pushes to main; contents: read, pull-requests: write for the comment`);
    expect(r.stdout).toMatch(/ {2}\.portcullis-baseline\.json: today's [1-9]\d* findings, reported as existing debt and never blocking/);
    expect(r.stdout).toContain('  .github/portcullis.yml: `baseline: .portcullis-baseline.json`');
    expect(r.stdout).toContain(`git add ${WORKFLOW} .portcullis-baseline.json .github/portcullis.yml`);
    expect(r.stdout).toContain('Pin the action first');
    expect(parse(written['.github/portcullis.yml']!)).toEqual({ baseline: '.portcullis-baseline.json' });
    const baseline = JSON.parse(written['.portcullis-baseline.json']!) as { findings: { path: string }[] };
    // the repository rules' findings (no CODEOWNERS, SECURITY.md or Dependabot) are on the root, '.'
    expect(new Set(baseline.findings.map((f) => f.path))).toEqual(new Set(['.', 'services/api/Dockerfile']));
  });

  it('writes a pinned, least-privilege workflow for pull requests and the merge queue', () => {
    const wf = parse(written[WORKFLOW]!) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: Record<string, { permissions: Record<string, string>; steps: { uses: string; with?: Record<string, unknown> }[] }>;
    };
    expect(Object.keys(wf.on)).toEqual(['pull_request', 'merge_group', 'push']);
    expect(wf.on['push']).toEqual({ branches: ['main'] });
    expect(wf.permissions).toEqual({ 'contents': 'read' });
    const job = wf.jobs['portcullis']!;
    expect(job.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'write' });
    for (const step of job.steps) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(job.steps[0]!.with).toMatchObject({ 'persist-credentials': false, 'fetch-depth': 2 });
    // the pin carries the version it stands for, and the placeholder says so
    expect(written[WORKFLOW]).toMatch(/@0{40} # v\d+\.\d+\.\d+\n/);
    expect(written[WORKFLOW]).toContain('# PIN ME:');
  });

  it('passes the gate itself, and the repository passes with its debt baselined', () => {
    const workflow = JSON.parse(runs['workflow']!.stdout) as Report;
    expect(runs['workflow']!.code).toBe(0);
    expect(workflow.findings).toEqual([]);
    const whole = JSON.parse(runs['whole']!.stdout) as Report;
    expect(runs['whole']!.code).toBe(0);
    expect(whole.findings.length).toBeGreaterThan(0);
    expect(whole.findings.filter((f) => f.path === WORKFLOW)).toEqual([]);
    expect(whole.summary).toMatchObject({ blocking: 0, result: 'pass' });
  });

  it('refuses to overwrite without --force, and replaces the workflow and baseline with it', () => {
    expect(runs['again']).toEqual({
      code: 2,
      stdout: '',
      stderr: `portcullis: init: ${WORKFLOW} and .portcullis-baseline.json already exist; nothing written (--force replaces them)\n`,
    });
    expect(runs['force']!.code).toBe(0);
    // the config exists now, so it is left alone and not listed among the files to add
    expect(runs['force']!.stdout).toContain('  .github/portcullis.yml was left as it is');
    expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(written[WORKFLOW]);
    expect(readFileSync(join(repo, '.github/portcullis.yml'), 'utf8')).toBe(written['.github/portcullis.yml']);
  });
});

describe('portcullis init, hostile trees and options', () => {
  it('writes nothing through a symlinked .github, nor through a symlink at the workflow path, even with --force', async () => {
    const outside = tempDir('portcullis-outside-');
    const linked = gitRepo(DEBT, (root) => symlinkSync(outside, join(root, '.github')));
    const target = join(tempDir('portcullis-target-'), 'victim.yml');
    writeFileSync(target, 'untouched\n');
    const planted = gitRepo(DEBT, (root) => {
      mkdirSync(join(root, '.github/workflows'), { recursive: true });
      symlinkSync(target, join(root, WORKFLOW));
    });
    const [viaDir, viaFile, viaFileForced] = await Promise.all([run(['init', '--force'], linked), run(['init'], planted), run(['init', '--force'], planted)]);
    expect(viaDir.code).toBe(2);
    expect(viaDir.stderr).toBe('portcullis: .github is a symlink; nothing is written through it\n');
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(linked, '.portcullis-baseline.json'))).toBe(false);
    expect(viaFile.code).toBe(2);
    expect(viaFile.stderr).toContain(`${WORKFLOW} already exists; nothing written`);
    expect(viaFileForced.code).toBe(2);
    expect(viaFileForced.stderr).toMatch(/cannot write \S+portcullis\.yml \(it is a symlink; not followed\)/);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(lstatSync(join(planted, WORKFLOW)).isSymbolicLink()).toBe(true);
  }, 120_000);

  it('--no-comment grants no pull-requests: write; a config that names a baseline keeps it', async () => {
    const repo = gitRepo({ ...DEBT, '.portcullis.yml': 'baseline: security/accepted.json\n' });
    const r = await run(['init', '--no-comment'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  security/accepted.json: today');
    expect(r.stdout).toContain('  .portcullis.yml was left as it is\n');
    expect(existsSync(join(repo, 'security/accepted.json'))).toBe(true);
    expect(existsSync(join(repo, '.github/portcullis.yml'))).toBe(false);
    const text = readFileSync(join(repo, WORKFLOW), 'utf8');
    const wf = parse(text) as { jobs: { portcullis: { permissions?: unknown; steps: { with?: Record<string, unknown> }[] } } };
    expect(text).not.toContain('pull-requests');
    expect(wf.jobs.portcullis.permissions).toBeUndefined();
    expect(wf.jobs.portcullis.steps[1]!.with).toEqual({ comment: false, review: 'off' });
    const scan = await run(['scan', WORKFLOW, '--format', 'json'], repo);
    expect((JSON.parse(scan.stdout) as Report).findings).toEqual([]);
    expect(scan.code).toBe(0);
  }, 120_000);
});
