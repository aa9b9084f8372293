// A source-code finding's flow labels quote the scanned file (names, expressions): they leave the scan redacted like
// its message and related labels.
import { describe, expect, it } from 'vitest';
import { ScanSecrets } from '../../src/core/secrets.js';
import type { Finding } from '../../src/core/types.js';

describe('ScanSecrets.finding with a flow', () => {
  it('redacts a credential in a flow label and keeps a clean flow as it is', () => {
    const at = { line: 3, column: 1, endLine: 3, endColumn: 9 };
    const base: Finding = {
      ruleId: 'command-injection',
      severity: 'critical',
      confidence: 'high',
      message: 'Request data reaches `child_process.exec`',
      path: 'src/app.js',
      ...at,
      fingerprint: 'f',
      related: [],
    };
    const secrets = new ScanSecrets();
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const leaky = secrets.finding({ ...base, flow: [{ at, label: `assigned to \`cmd\` (${token})` }, { at, label: 'reaches `child_process.exec`' }] });
    expect(JSON.stringify(leaky)).not.toContain(token.slice(4, 12));
    expect(leaky.flow).toHaveLength(2);
    const clean = { ...base, flow: [{ at, label: 'request data `req.query.dir`' }] };
    expect(secrets.finding(clean)).toBe(clean);
  });
});
