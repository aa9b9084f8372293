import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanDirectory } from '../../src/scan.js';

// Issue 8 "done when": a PR that adds ua-parser-js@0.7.29 or a typo like `expresss` is blocked, naming the incident or the package.
describe('a fixture that adds a hijacked release and a typo is blocked', () => {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-sc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'web'));
  writeFileSync(join(root, 'web', 'package.json'), '{\n  "name": "web",\n  "dependencies": {\n    "ua-parser-js": "0.7.29",\n    "expresss": "^4.19.2"\n  }\n}\n');
  const deps = { 'ua-parser-js': '0.7.29', expresss: '^4.19.2' };
  const lock = { lockfileVersion: 3, packages: { '': { name: 'web', dependencies: deps }, 'node_modules/ua-parser-js': { version: '0.7.29' }, 'node_modules/expresss': { version: '4.19.2' } } };
  writeFileSync(join(root, 'web', 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');

  it('fails the gate with both findings, each once at package.json with the lockfile entry as related', async () => {
    const result = await scanDirectory(root);
    const mine = result.findings.filter((f) => f.ruleId === 'compromised-dependency' || f.ruleId === 'typosquat-dependency');
    expect(mine.map((f) => [f.ruleId, f.path, f.line])).toEqual([
      ['compromised-dependency', 'web/package.json', 4],
      ['typosquat-dependency', 'web/package.json', 5],
    ]);
    expect(mine[0]!.message).toMatch(/ua-parser-js hijack.*GHSA-pjwm-rvh2-c87w/);
    expect(mine[1]!.message).toContain('did you mean `express`?');
    expect(mine.map((f) => f.related)).toEqual([
      [{ path: 'web/package-lock.json', at: expect.objectContaining({ line: 11 }), label: 'locked here' }],
      [{ path: 'web/package-lock.json', at: expect.objectContaining({ line: 14 }), label: 'locked here' }],
    ]);
    expect(result.summary.result).toBe('fail');
    expect(result.summary.blocking).toBeGreaterThanOrEqual(2);
  });
});
