import { describe, expect, it } from 'vitest';
import { summarise, type FailOn } from '../../src/core/gate.js';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { renderGithub } from '../../src/reporters/github.js';
import { scanFiles, type ScanResult } from '../../src/scan.js';

function finding(path: string, line: number, severity: Severity, ruleId: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { ruleId, severity, confidence: 'high', message, path, line, column: 3, endLine: line, endColumn: 9, related: [], fingerprint: `fp-${path}-${line}-${ruleId}`, ...extra };
}

function result(findings: Finding[], failOn: FailOn = 'high', notices: Notice[] = [], root = '.'): ScanResult {
  return { root, failOn, findings, notices, summary: summarise(findings, failOn), stats: { filesSeen: 0, filesRead: 0, bytesRead: 0, skipped: 0 } };
}

interface Command {
  level: string;
  props: Record<string, string>;
  message: string;
}

// As the runner reads a command: the name, `key=value` pairs split at `,` and `=`, the data after the second `::`.
const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
function parse(line: string): Command | undefined {
  const m = /^::(\w+) ?([^:]*)::(.*)$/.exec(line);
  if (!m) return undefined;
  const props = Object.fromEntries(
    m[2]!
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), unescapeProperty(kv.slice(kv.indexOf('=') + 1))]),
  );
  return { level: m[1]!, props, message: unescapeData(m[3]!) };
}

describe('--format github', () => {
  it('escapes a hostile file name and message so that each finding is one command that round-trips', () => {
    const path = 'evil%0A,name:x\n::error file=a::pwned\r.Dockerfile';
    const message = '100% sure, really: yes\n::add-mask::value\r\n::stop-commands::token %25';
    const out = renderGithub(result([finding(path, 4, 'critical', 'secret-in-env', message, { column: 2, endColumn: 7 })], 'high', [], 'repo'));
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(1);
    const cmd = parse(lines[0]!)!;
    expect(cmd.level).toBe('error');
    expect(cmd.props).toEqual({ file: `repo/${path}`, line: '4', col: '2', endLine: '4', endColumn: '6', title: 'portcullis(secret-in-env)' });
    expect(cmd.message.split('\n').slice(0, 3)).toEqual(message.split('\n'));
    expect(lines[0]).not.toMatch(/[\r]/);
    expect(lines.at(-1)).toBe('1 blocking (fail-on high): FAIL');
  });

  it('makes blocking findings errors and the rest warnings or notices, errors first; notices as notices; verdict last', () => {
    const fs = [
      finding('a/Dockerfile', 1, 'low', 'sudo', 'low one'),
      finding('a/Dockerfile', 2, 'medium', 'add-remote-url', 'medium one'),
      finding('a/Dockerfile', 3, 'high', 'latest-image-tag', 'high one'),
      finding('a/Dockerfile', 4, 'critical', 'secret-in-env', 'suppressed one', { suppressed: { kind: 'inSource', reason: 'test, only: a fixture' } }),
      finding('a/Dockerfile', 5, 'high', 'runs-as-root', 'low confidence', { outOfScope: 'confidence' }),
    ];
    const out = renderGithub(result(fs, 'high', [{ path: 'k.yaml', line: 2, message: 'invalid YAML' }]), { ruleTitle: (id) => (id === 'sudo' ? 'sudo in a Dockerfile RUN' : undefined) });
    const cmds = out.split('\n').flatMap((l) => parse(l) ?? []);
    expect(cmds.map((c) => [c.level, c.props['line']])).toEqual([
      ['error', '3'],
      ['warning', '4'],
      ['warning', '5'],
      ['warning', '2'],
      ['notice', '1'],
      ['notice', '2'],
    ]);
    expect(cmds[1]!.message).toContain('(suppressed: test, only: a fixture)');
    expect(cmds[4]!.props['title']).toBe('portcullis(sudo): sudo in a Dockerfile RUN');
    expect(cmds[5]!.props).toMatchObject({ file: 'k.yaml', title: 'portcullis: scan notice' });
    const plain = out.trimEnd().split('\n').filter((l) => !l.startsWith('::'));
    expect(plain).toEqual(['5 findings (1 critical, 2 high, 1 medium, 1 low)', '1 suppressed (1 inline)', '1 blocking (fail-on high): FAIL']);
  });

  it('prints every finding (GitHub shows 10 per level per step, the log keeps them all) and says so', () => {
    const many = Array.from({ length: 12 }, (_, i) => finding(`d${i}/Dockerfile`, 1, 'high', 'latest-image-tag', 'x'));
    const lines = renderGithub(result(many)).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(12);
    expect(lines.at(-2)).toBe('12 findings (12 high)');
    expect(lines).toContain('GitHub shows the first 10 annotations of each level per step; all 12 are in this log.');
    expect(lines.at(-1)).toBe('12 blocking (fail-on high): FAIL');
  });

  it('lists findings outside the gate contexts only as a count, unless --all', () => {
    const scanned = scanFiles({ Dockerfile: 'FROM node:latest\nUSER node\n', 'test/Dockerfile': 'FROM node:latest\nUSER node\n' });
    const out = renderGithub(scanned);
    expect(out).not.toContain('file=test/Dockerfile');
    expect(out).toMatch(/^Not listed: 1 finding in test files/m);
    expect(renderGithub(scanned, { all: true })).toContain('file=test/Dockerfile');
  });
});
