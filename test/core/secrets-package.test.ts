// A finding's package name and version come from the repository: they leave the scan redacted like its message.
import { describe, expect, it } from 'vitest';
import { ScanSecrets } from '../../src/core/secrets.js';
import type { Finding } from '../../src/core/types.js';

describe('ScanSecrets.finding', () => {
  it('redacts userinfo in a package version and keeps a clean package as it is', () => {
    const base: Finding = {
      ruleId: 'vulnerable-dependency',
      severity: 'high',
      confidence: 'high',
      message: 'tools has known vulnerabilities',
      path: 'package-lock.json',
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 9,
      fingerprint: 'f',
      related: [],
    };
    const secrets = new ScanSecrets();
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const leaky = secrets.finding({ ...base, package: { ecosystem: 'npm', name: 'tools', version: `git+https://ci:${token}@git.example.com/tools.git` } });
    expect(JSON.stringify(leaky)).not.toContain(token.slice(4, 12));
    const clean = { ...base, package: { ecosystem: 'npm', name: 'lodash', version: '4.17.20' } };
    expect(secrets.finding(clean)).toBe(clean);
  });
});
