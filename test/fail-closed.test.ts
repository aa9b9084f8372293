// The gate fails closed: a file of a kind it checks that it cannot read or parse is an `unchecked-file` finding
// (high, so it blocks at the default fail-on), never only a notice. The CLI end to end: test/cli/fail-closed.test.ts.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/core/config.js';
import type { Rule } from '../src/core/types.js';
import { readTextFile } from '../src/parsers/read.js';
import { rules } from '../src/rules/index.js';
import uncheckedFile from '../src/rules/meta/unchecked-file.js';
import { checkFiles, planScan, scanDirectory, scanFiles } from '../src/scan.js';
import { git, gitRepo, removeTemps, tempDir, writeTree } from './support/git-repo.js';
import { FAIL_CLOSED_CASES, longPathRepo } from './support/unchecked-cases.js';

afterAll(removeTemps);

const unchecked = (findings: readonly { ruleId: string; path: string; line: number; message: string }[]) =>
  findings.filter((f) => f.ruleId === 'unchecked-file').map((f) => ({ path: f.path, line: f.line, message: f.message }));

describe('unchecked-file on disk, at default settings', () => {
  for (const c of FAIL_CLOSED_CASES) {
    it(`${c.name}`, async () => {
      const root = tempDir();
      writeTree(root, c.files);
      const result = await scanDirectory(root);
      expect(unchecked(result.findings)).toEqual([{ path: c.path, line: c.line ?? 1, message: expect.stringContaining(c.why) }]);
      expect(result.summary.result).toBe('fail');
      // Nothing else is said about a file that was not checked (an invalid UTF-8 file was checked, replaced bytes and all).
      if (!c.checked) expect(result.findings.filter((f) => f.path === c.path).map((f) => f.ruleId)).toEqual(['unchecked-file']);
      else expect(result.findings.filter((f) => f.path === c.path).length).toBeGreaterThan(1);
    }, 60_000);
  }

  it('a path beyond PATH_MAX, tracked in git', async () => {
    const { root, path } = longPathRepo();
    expect(join(root, path).length).toBeGreaterThan(4096);
    const result = await scanDirectory(root);
    expect(unchecked(result.findings)).toEqual([{ path, line: 1, message: expect.stringContaining('its path is too long to open') }]);
    expect(result.summary.result).toBe('fail');
  }, 60_000);
});

describe('what is not a file the gate checks stays a notice', () => {
  it('binary and oversized files of other kinds, a binary YAML file that is not a manifest, bun.lockb', async () => {
    const root = tempDir();
    const nul = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01, 0x00]);
    writeTree(root, {
      'data/huge.json': Buffer.alloc(17 * 1024 * 1024, 0x20),
      'img/logo.png': nul,
      'tool.bin.txt': nul,
      'testdata/fuzz/crash-1.yml': nul,
      'bun.lockb': nul,
      'package.json': '{"name":"x","dependencies":{"left-pad":"1.3.0"}}\n',
    });
    const result = await scanDirectory(root);
    expect(unchecked(result.findings)).toEqual([]);
    expect(result.notices[0]!.message).toBe(
      'skipped 4 file(s): 3 binary (bun.lockb, testdata/fuzz/crash-1.yml, tool.bin.txt); 1 larger than 16 MiB (data/huge.json)',
    );
  });

  it('a YAML file that is not a manifest: over the YAML cap, or not parsing', async () => {
    const root = tempDir();
    writeTree(root, { 'data/big.yml': `items:\n${'  - a\n'.repeat(400_000)}`, 'docs/broken.yaml': 'a: [1, 2\nb: }\n' });
    const result = await scanDirectory(root);
    expect(unchecked(result.findings)).toEqual([]);
  });

  it('a Helm template stays a notice (it is checked once rendered)', async () => {
    const root = tempDir();
    writeTree(root, { 'chart/templates/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n${'# pad\n'.repeat(400_000)}` });
    const result = await scanDirectory(root);
    expect(unchecked(result.findings)).toEqual([]);
  });
});

describe('the reasons that need no large file', () => {
  it('a read that fails with ENAMETOOLONG is reported as a path too long, whatever the file system allows', () => {
    expect(readTextFile(`/${'a'.repeat(5000)}/Dockerfile`, 100)).toEqual({ skip: 'path too long', cause: 'path-too-long' });
    const plan = planScan({});
    const part = checkFiles(plan, ['svc/Dockerfile', 'svc/notes.txt'], 0, 2, { has: () => false, read: () => undefined, list: () => [] }, () => ({
      skip: 'path too long',
      cause: 'path-too-long',
    }));
    expect(part.findings.map((f) => [f.ruleId, f.path])).toEqual([['unchecked-file', 'svc/Dockerfile']]);
    expect(part.skipped).toEqual([{ path: 'svc/notes.txt', reason: 'path too long' }]);
  });

  it('a workflow whose top level is not a mapping; one of comments only is fine', () => {
    const { findings } = scanFiles({ '.github/workflows/a.yml': '- on: push\n', '.github/workflows/b.yml': '# on: push\n' });
    expect(unchecked(findings)).toEqual([{ path: '.github/workflows/a.yml', line: 1, message: expect.stringContaining('top level is not a mapping') }]);
  });

  it('a rule that throws on a file of a checked kind', () => {
    const broken: Rule = { ...uncheckedFile, id: 'broken-rule', reads: ['dockerfile'], check: () => { throw new Error('boom'); } };
    const { findings, notices } = scanFiles({ Dockerfile: 'FROM alpine:3.20\n', 'notes.txt': 'x\n' }, { rules: [broken, uncheckedFile] });
    expect(unchecked(findings)).toEqual([{ path: 'Dockerfile', line: 1, message: expect.stringContaining('rule broken-rule failed on it (boom)') }]);
    expect(notices.map((n) => n.message)).toContain('rule broken-rule could not check this file (boom); other rules still ran');
  });

  it('is switched off with the rule: the file is then only a notice, as before', () => {
    const config = parseConfig('rules:\n  unchecked-file:\n    enabled: false\n', '.github/portcullis.yml', rules);
    const { findings } = scanFiles({ '.github/workflows/a.yml': 'on: [push\n' }, { config });
    expect(unchecked(findings)).toEqual([]);
  });

  it('a tracked file removed from the work tree is not a finding', async () => {
    const root = gitRepo({ Dockerfile: 'FROM alpine:3.20\n', 'old/Dockerfile': Buffer.alloc(20 * 1024 * 1024, 0x61) });
    execFileSync('rm', ['-r', join(root, 'old')]);
    expect(git(root, 'ls-files', '--deleted')).toBe('old/Dockerfile\n');
    expect(unchecked((await scanDirectory(root)).findings)).toEqual([]);
  });
});
