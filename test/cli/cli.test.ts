// Runs the committed CLI bundle (dist/cli.js) as a child process, as a user or CI would.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toJsonReport } from '../../src/reporters/json.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory } from '../../src/scan.js';
import { writeCleanRepositoryFiles } from '../support/clean-repository.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], opts: { env?: Record<string, string>; cwd?: string; script?: string } = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'NODE_EXTRA_CA_CERTS'].includes(k)) env[k] = v;
  const r = spawnSync(process.execPath, [opts.script ?? cli, ...args], { cwd: opts.cwd ?? root, env: { ...env, ...opts.env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('CLI bundle', () => {
  it('is an executable Node script', () => {
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(cli).mode & 0o111).not.toBe(0);
  });

  it('prints the package version and the usage', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('portcullis <command>');
    expect(help.stdout).toContain('--fail-on LEVEL');
  });

  it('lists every rule with its severity, area and title', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE +SEVERITY +AREA +TITLE$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/))).toEqual(rules.map((rule) => [rule.id, rule.severity, rule.area, rule.title]));
  });

  it('scans the demo as text: one path:line:col: severity rule message line per finding, verdict last, exit 1, no colours when not a terminal', () => {
    const r = run(['scan', '--root', 'fixtures/demo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(ANSI);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = lines.slice(0, lines.indexOf(''));
    expect(findings.length).toBeGreaterThan(10);
    // The root as given, so that a terminal or an editor opens the path; no source lines when not a terminal.
    // A repository rule's finding about a missing file (SECURITY.md) is on the root itself.
    for (const line of findings) expect(line).toMatch(/^fixtures\/demo(\/\S+)?:\d+:\d+: (critical|high|medium|low|info) [a-z-]+ \S/);
    expect(findings).toContainEqual(expect.stringMatching(/^fixtures\/demo:1:1: info missing-security-policy /));
    expect(lines.at(-1)).toMatch(/^\d+ blocking \(fail-on high\): FAIL$/);
    expect(run(['scan', '--root', 'fixtures/demo'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
    expect(run(['scan', '--root', 'fixtures/demo'], { env: { FORCE_COLOR: '0' } }).stdout).not.toMatch(ANSI);
    // NO_COLOR means no colours, whatever FORCE_COLOR says.
    expect(run(['scan', '--root', 'fixtures/demo'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });

  it('scans the demo as GitHub workflow commands: errors for blocking findings, the verdict as the last plain line', () => {
    const r = run(['scan', '--root', 'fixtures/demo', '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const commands = lines.filter((l) => l.startsWith('::'));
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) expect(c).toMatch(/^::(error|warning|notice) (file=fixtures\/demo\/[^,:]+,line=\d+|title=)[^:]*::\S/);
    // a finding on the repository root has no file to annotate: it stands on the run
    expect(commands).toContainEqual(expect.stringMatching(/^::notice title=portcullis\(missing-security-policy\)/));
    const blocking = Number(/^(\d+) blocking/.exec(lines.at(-1)!)![1]);
    expect(commands.filter((c) => c.startsWith('::error '))).toHaveLength(blocking);
    expect(lines.at(-1)).toMatch(/^\d+ blocking \(fail-on high\): FAIL$/);
  });

  it('help is a command: the whole usage, or one command', () => {
    const all = run(['help']);
    expect(all).toEqual({ code: 0, stdout: run(['--help']).stdout, stderr: '' });
    expect(all.stdout).toContain('help [command]');
    const scan = run(['help', 'scan']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toMatch(/^Usage: portcullis scan \[paths…\] \[options\]\n/);
    expect(scan.stdout).toContain('--format FORMAT');
    expect(scan.stdout).not.toContain('--output FILE');
    expect(run(['scan', '--help']).stdout).toBe(scan.stdout);
    expect(run(['help', 'explain']).stdout).toContain('markdown');
    expect(run(['help', 'sacn'])).toEqual({ code: 2, stdout: '', stderr: 'portcullis: unknown command "sacn"; did you mean scan?\n' });
  });

  it.each([
    [['scan', '--fromat', 'json'], 'unknown option --fromat; did you mean --format?'],
    [['scan', '--root', 'fixtures/demo', '--fail-of=high'], 'unknown option --fail-of; did you mean --fail-on?'],
    [['scan', '--json'], 'unknown option --json; did you mean --format json?'],
    [['baseline', '--ouptut', 'x.json'], 'unknown option --ouptut; did you mean --output?'],
    [['scan', '--bogus'], 'unknown option --bogus; see portcullis help scan'],
    [['scan', '-x'], 'unknown option -x; see portcullis help scan'],
    [['scan', '--output', 'x'], '--output is not an option of scan; see portcullis help scan'],
    [['scan', '--format'], '--format needs a value: --format FORMAT'],
    [['scan', '--all=yes'], '--all takes no value (got "yes")'],
  ])('rejects %j with exit 2 and one line naming the option', (args, message) => {
    expect(run(args)).toEqual({ code: 2, stdout: '', stderr: `portcullis: ${message}\n` });
  });

  it('scans the demo as JSON: the version-1 report, the same findings as the source pipeline', async () => {
    const r = run(['scan', '--root', 'fixtures/demo', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['version', 'root', 'failOn', 'findings', 'notices', 'summary']);
    expect(report).toMatchObject({ version: 1, root: 'fixtures/demo', failOn: 'high' });
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(Object.keys(f).slice(0, 10)).toEqual(['ruleId', 'severity', 'confidence', 'message', 'path', 'line', 'column', 'endLine', 'endColumn', 'fingerprint']);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(Object.keys(report.summary)).toEqual(expect.arrayContaining(['total', 'bySeverity', 'blocking', 'result']));
    expect(report.summary).toMatchObject({ total: report.findings.length, result: 'fail' });
    const expected = toJsonReport(await scanDirectory(join(root, 'fixtures/demo'), { repository: true }));
    expect(report.findings).toEqual(expected.findings);
    expect(report.summary).toEqual(expected.summary);
  });

  it('gates on --fail-on and honours --exclude', () => {
    const never = run(['scan', '--root', 'fixtures/demo', '--format', 'json', '--fail-on', 'never']);
    expect(never.code).toBe(0);
    expect(JSON.parse(never.stdout).summary).toMatchObject({ blocking: 0, result: 'pass' });
    const crit = JSON.parse(run(['scan', '--root', 'fixtures/demo', '--format', 'json', '--fail-on', 'CRITICAL']).stdout);
    expect(crit.summary.blocking).toBe(crit.summary.bySeverity.critical);

    const onlyWeb = JSON.parse(
      run(['scan', '--root', 'fixtures/demo', '--format', 'json', '--exclude', 'services/**', '--exclude', '.github/**', '--exclude', 'deploy', '--exclude', 'scripts']).stdout,
    );
    expect(onlyWeb.findings.length).toBeGreaterThan(0);
    // nothing on the root either: with .github excluded, CODEOWNERS, Dependabot and SECURITY.md may be there unseen
    expect(onlyWeb.findings.every((f: { path: string }) => f.path.startsWith('web/'))).toBe(true);
    const none = run(['scan', '--root', 'fixtures/demo', '--exclude', 'services/**', '--exclude', 'web/**', '--exclude', '.github', '--exclude', 'deploy/**', '--exclude', 'scripts/*.sh']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('0 findings\n0 blocking (fail-on high): PASS\n');
  });

  it('passes a clean repository with exit 0', () => {
    const dir = join(scratch, 'clean');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), `FROM node:20.11.1@sha256:${'ab'.repeat(32)}\nUSER node\nCMD ["node", "server.js"]\n`);
    writeCleanRepositoryFiles(dir);
    const r = run(['scan', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ total: 0, blocking: 0, result: 'pass' });
  });

  it.each([
    [['scan', '--bogus'], /^portcullis: .*bogus/],
    [['scan', '--root', 'fixtures/demo', '--format', 'xml'], /^portcullis: --format must be text, json, sarif or github/],
    [['scan', '--root', 'fixtures/demo', '--fail-on', 'severe'], /^portcullis: --fail-on must be one of critical, high, medium, low, info, never/],
    [['scan', 'no/such/dir'], /^portcullis: no such file or directory: no\/such\/dir$/],
    [['scan', 'no/a', 'no/b'], /^portcullis: no such file or directory: no\/a, no\/b$/],
    [['scan', '--root', 'fixtures/demo', 'src'], /^portcullis: src is outside the root \/.*fixtures\/demo$/],
    [['deploy'], /^portcullis: unknown command "deploy"/],
    [['sacn', 'fixtures/demo'], /^portcullis: unknown command "sacn"; did you mean scan\?$/],
    [[], /^portcullis: missing command/],
  ])('rejects %j with exit 2 and a one-line reason', (args, reason) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr.trimEnd()).toMatch(reason);
  });

  it('carries its dependencies: runs from a folder with no node_modules', () => {
    const dir = join(scratch, 'bare');
    mkdirSync(dir, { recursive: true });
    copyFileSync(cli, join(dir, 'cli.js'));
    copyFileSync(join(root, 'dist', 'package.json'), join(dir, 'package.json'));
    // the wasm parsers ship beside the bundle (the demo's Terraform module loads them)
    cpSync(join(root, 'dist', 'tree-sitter'), join(dir, 'tree-sitter'), { recursive: true });
    const r = run(['scan', '--root', join(root, 'fixtures/demo'), '--format', 'json'], { cwd: dir, script: join(dir, 'cli.js') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });
});
