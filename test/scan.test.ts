import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../src/core/types.js';
import { rules as allRules } from '../src/rules/index.js';
import { scanDirectory, scanFiles } from '../src/scan.js';

const pinned = `node:22@sha256:${'a'.repeat(64)}`;

describe('bad input never stops the scan', () => {
  const files: Record<string, string> = {
    'broken/Dockerfile': 'this is not a dockerfile at all\n',
    'empty/Dockerfile': '',
    'bom/Dockerfile': `\uFEFFFROM node:latest\nUSER app\n`,
    'crlf/Dockerfile': 'FROM node:latest\r\nUSER app\r\n',
    'json/package.json': '{ "dependencies": { "left-pad": "1.0.0" ,, }',
    'toml/Cargo.toml': '[dependencies\nserde = "1"\n',
    '.github/workflows/bad.yml': 'on: [push\njobs: {\n',
    'ok/Dockerfile': `FROM ${pinned}\nUSER app\n`,
    'ok/package.json': '{"dependencies":{"a":"1"}}',
  };

  it('turns each unparseable file into a notice and still reports the rest', () => {
    const result = scanFiles(files);
    const noticed = result.notices.map((n) => n.path);
    for (const p of ['broken/Dockerfile', 'empty/Dockerfile', 'json/package.json', 'toml/Cargo.toml']) expect(noticed).toContain(p);
    const found = result.findings.map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`);
    // BOM and CRLF do not shift spans
    expect(found).toContain('latest-image-tag bom/Dockerfile:1:6');
    expect(found).toContain('latest-image-tag crlf/Dockerfile:1:6');
    expect(found).toContain('missing-lockfile ok/package.json:1:2');
    for (const n of result.notices.filter((n) => n.path === 'json/package.json' || n.path === 'toml/Cargo.toml')) {
      expect(n.line, n.message).toBeGreaterThan(0);
    }
  });

  it('gives the same result from disk as from memory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'portcullis-scan-'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    const disk = await scanDirectory(root);
    const memory = scanFiles(files);
    expect(disk.findings).toEqual(memory.findings);
    expect(disk.summary).toEqual(memory.summary);
  });

  it('turns a rule that throws into a notice, and other rules still run', () => {
    const throwing: Rule = {
      id: 'always-throws', title: 'x', severity: 'high', area: 'containers', summary: 'x', rationale: 'x', fix: 'x',
      references: [], examples: { bad: [], good: [] }, reads: ['dockerfile'],
      check() {
        throw new Error('boom');
      },
    };
    const ok: Rule = { ...throwing, id: 'reports', check: (_doc, ctx) => ctx.report({ message: 'hi', at: { line: 1, column: 1, endLine: 1, endColumn: 2 } }) };
    const result = scanFiles({ Dockerfile: 'FROM x\n' }, { rules: [throwing, ok] });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['reports']);
    expect(result.notices.map((n) => n.message)).toEqual([expect.stringMatching(/always-throws could not check this file \(boom\)/)]);
  });
});

describe('fingerprints', () => {
  it('survive inserted lines and whitespace edits, and differ between occurrences', () => {
    const before = scanFiles({ Dockerfile: 'FROM node:latest\nFROM node:latest\n' }).findings.filter((f) => f.ruleId === 'latest-image-tag');
    const after = scanFiles({ Dockerfile: '# a comment\n\nFROM   node:latest\nFROM node:latest\n' }).findings.filter((f) => f.ruleId === 'latest-image-tag');
    expect(before).toHaveLength(2);
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(2);
  });
});

describe('one problem, one finding', () => {
  it('drops a generic secret finding where a more specific rule reported the same line', () => {
    const text = 'FROM node:22@sha256:' + 'a'.repeat(64) + '\nENV DB_PASSWORD=Zq8vTc41mWp0Lx7eRb2NkQ\nUSER app\n';
    const ids = scanFiles({ Dockerfile: text }).findings.map((f) => `${f.ruleId}:${f.line}`);
    expect(ids).toContain('secret-in-env:2');
    expect(ids).not.toContain('hardcoded-secret:2');
    // without the specific rule, the generic one speaks
    const only = allRules.filter((r) => r.id === 'hardcoded-secret');
    expect(scanFiles({ Dockerfile: text }, { rules: only }).findings.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['hardcoded-secret:2']);
  });
});
