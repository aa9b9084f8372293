import { describe, expect, it } from 'vitest';
import { summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { renderText } from '../../src/reporters/text.js';
import { scanFiles, type ScanResult } from '../../src/scan.js';

function finding(path: string, line: number, severity: Severity, ruleId: string, message: string): Finding {
  return { ruleId, severity, confidence: 'high', message, path, line, column: 3, endLine: line, endColumn: 9, related: [], fingerprint: `fp-${path}-${line}` };
}

function result(findings: Finding[], failOn: FailOn = 'high', notices: Notice[] = []): ScanResult {
  return { root: '.', failOn, findings, notices, summary: summarise(findings, failOn), stats: { filesSeen: 0, filesRead: 0, bytesRead: 0, skipped: 0 } };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('text reporter', () => {
  const findings = [
    finding('a/Dockerfile', 1, 'high', 'latest-image-tag', 'FROM x uses latest'),
    finding('a/Dockerfile', 12, 'critical', 'secret-in-env', 'ENV TOKEN is a secret'),
    finding('b/package.json', 3, 'medium', 'missing-lockfile', 'no lockfile'),
  ];

  it('groups findings under their file, one aligned line each, then counts and the verdict', () => {
    const text = renderText(result(findings), { color: false });
    expect(text).toBe(
      [
        'a/Dockerfile',
        '  1:3   high      latest-image-tag  FROM x uses latest',
        '  12:3  critical  secret-in-env     ENV TOKEN is a secret',
        '',
        'b/package.json',
        '  3:3  medium  missing-lockfile  no lockfile',
        '',
        '3 findings (1 critical, 1 high, 1 medium)',
        '2 blocking (fail-on high): FAIL',
        '',
      ].join('\n'),
    );
  });

  it('passes when nothing reaches the threshold, and says so for an empty scan', () => {
    expect(renderText(result(findings, 'critical'), { color: false })).toContain('1 blocking (fail-on critical): FAIL');
    expect(renderText(result(findings, 'never'), { color: false })).toContain('0 blocking (fail-on never): PASS');
    expect(renderText(result([]), { color: false })).toBe('0 findings\n0 blocking (fail-on high): PASS\n');
  });

  it('lists notices before the counts', () => {
    const text = renderText(result([], 'high', [{ message: 'skipped 1 file(s): 1 binary (x.png)' }, { path: 'k.yaml', line: 4, message: 'not valid YAML' }]), { color: false });
    expect(text.split('\n').slice(0, 3)).toEqual(['notice skipped 1 file(s): 1 binary (x.png)', 'notice k.yaml:4: not valid YAML', '']);
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderText(result(findings), { color: false })).not.toMatch(ANSI);
    const coloured = renderText(result(findings), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\u001b[35mcritical');
    // Without the escapes it is the plain report.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderText(result(findings), { color: false }));
  });

  it('never passes control characters from the scanned files to the terminal', () => {
    const hostile = [finding('evil\u001b[2J.Dockerfile', 1, 'high', 'latest-image-tag', 'FROM x\u001b]0;pwned\u0007 uses latest\nsecond line')];
    const text = renderText(result(hostile, 'high', [{ path: 'n\u001bx', message: 'bad \r value' }]), { color: false });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).toContain('evil\\u001b[2J.Dockerfile');
    expect(text).toContain('FROM x\\u001b]0;pwned\\u0007 uses latest\\u000asecond line');
    expect(text).toContain('notice n\\u001bx: bad \\u000d value');
  });

  it('renders a real scan through the engine', () => {
    const scanned = scanFiles({ 'svc/Dockerfile': 'FROM node:latest\nUSER node\n' });
    const text = renderText(scanned, { color: false });
    expect(text).toMatch(/^svc\/Dockerfile\n {2}1:6 {2}high {2}latest-image-tag {2}FROM node:latest/);
    expect(text).toContain('1 blocking (fail-on high): FAIL');
  });
});
