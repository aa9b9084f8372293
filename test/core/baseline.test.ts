import { describe, expect, it } from 'vitest';
import { applyBaseline, BaselineError, createBaseline, formatBaseline, parseBaseline, type Baseline } from '../../src/core/baseline.js';
import { scanFiles } from '../../src/scan.js';

const WF = (pre = '', indent = '      ') =>
  `${pre}on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${indent}- uses: actions/checkout@v4\n${indent}  with:\n${indent}    persist-credentials: false\n${indent}- uses: actions/setup-node@v4\n`;
const DF = 'FROM node:20\nUSER node\nRUN curl -fsSL https://get.example.com/i.sh | sh\n';

function baselineOf(files: Record<string, string>): Baseline {
  const r = scanFiles(files);
  return createBaseline(r.findings, (p) => files[p], { secrets: r.secrets });
}
const rescan = (files: Record<string, string>, b: Baseline) => scanFiles(files, { baseline: b, baselinePath: '.portcullis-baseline.json' });

describe('baseline', () => {
  const original = { '.github/workflows/ci.yml': WF(), Dockerfile: DF };
  const base = baselineOf(original);

  it('lists every finding, sorted, with a short context, and is byte-identical across runs', () => {
    expect(base.findings.map((e) => [e.path, e.ruleId])).toEqual([
      ['.github/workflows/ci.yml', 'unpinned-action'],
      ['.github/workflows/ci.yml', 'unpinned-action'],
      ['Dockerfile', 'curl-pipe-shell'],
      ['Dockerfile', 'unpinned-image'],
    ]);
    expect(base.findings.find((e) => e.ruleId === 'unpinned-image')!.context).toBe('FROM node:20');
    expect(formatBaseline(baselineOf(original))).toBe(formatBaseline(base));
    expect(formatBaseline(base)).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(parseBaseline(formatBaseline(base), 'b.json')).toEqual(base);
  });

  it('suppresses every baselined finding: nothing blocks, counts are reported', () => {
    const r = rescan(original, base);
    expect(r.findings.every((f) => f.suppressed?.kind === 'baseline' && f.suppressed.reason === 'in baseline')).toBe(true);
    expect(r.summary).toMatchObject({ blocking: 0, suppressed: 4, result: 'pass' });
    expect(r.baseline).toEqual({ matched: 4, stale: 0 });
  });

  it('survives lines inserted above, re-indentation and extra whitespace', () => {
    const shifted = {
      '.github/workflows/ci.yml': WF('# CI\n\nname: ci\n', '      ').replace('actions/checkout@v4', 'actions/checkout@v4   '),
      Dockerfile: `# syntax=docker/dockerfile:1\n\n${DF.replace('FROM node:20', 'FROM   node:20').replace('| sh', '|   sh')}`,
    };
    const r = rescan(shifted, base);
    expect(r.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(r.baseline).toEqual({ matched: 4, stale: 0 });
  });

  it('survives a moved block (steps reordered, a Dockerfile instruction moved)', () => {
    const moved = {
      '.github/workflows/ci.yml': WF().replace(
        /( {6}- uses: actions\/checkout@v4\n(?: {8}.*\n)+)( {6}- uses: actions\/setup-node@v4\n)/,
        '$2$1',
      ),
      Dockerfile: 'FROM node:20\nRUN curl -fsSL https://get.example.com/i.sh | sh\nUSER node\n',
    };
    expect(moved['.github/workflows/ci.yml']).not.toBe(original['.github/workflows/ci.yml']);
    const r = rescan(moved, base);
    expect(r.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(r.baseline).toEqual({ matched: 4, stale: 0 });
  });

  it('a new finding is not baselined; a fixed one leaves a stale entry; one moved to another file is new', () => {
    const edited = {
      '.github/workflows/ci.yml': WF().replace('actions/setup-node@v4', 'actions/setup-node@' + 'a'.repeat(40)),
      Dockerfile: DF.replace('FROM node:20', 'FROM node:22'),
      'sub/Dockerfile': 'FROM alpine:3.20\nUSER 1000\nRUN curl -fsSL https://get.example.com/i.sh | sh\n',
    };
    const r = rescan(edited, base);
    const open = r.findings.filter((f) => !f.suppressed).map((f) => `${f.path}:${f.ruleId}`);
    expect(open.sort()).toEqual(['Dockerfile:unpinned-image', 'sub/Dockerfile:curl-pipe-shell', 'sub/Dockerfile:unpinned-image']);
    expect(r.baseline).toEqual({ matched: 2, stale: 2 });
    expect(r.summary.result).toBe('fail');
  });

  it('never puts a secret value in the context: secret findings carry their redacted message', () => {
    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const files = { Dockerfile: `FROM scratch\nENV GITHUB_TOKEN=${secret}\nUSER 1\n` };
    const b = baselineOf(files);
    const entry = b.findings.find((e) => e.ruleId === 'secret-in-env');
    expect(entry).toBeDefined();
    expect(formatBaseline(b)).not.toContain(secret.slice(6));
    expect(rescan(files, b).baseline).toEqual({ matched: b.findings.length, stale: 0 });
  });

  it('keeps an inline suppression over the baseline but counts the entry as matched', () => {
    const files = { Dockerfile: 'FROM node:20 # portcullis: ignore[unpinned-image] mirrored\nUSER node\n' };
    const b: Baseline = { version: 1, generated: '', findings: [] };
    const all = scanFiles({ Dockerfile: 'FROM node:20 # portcullis: ignore[unpinned-image] mirrored\nUSER node\n' }).findings;
    b.findings.push({ fingerprint: all[0]!.fingerprint, ruleId: 'unpinned-image', path: 'Dockerfile', context: '' });
    const r = rescan(files, b);
    expect(r.findings[0]!.suppressed?.kind).toBe('inSource');
    expect(r.baseline).toEqual({ matched: 1, stale: 0 });
    expect(applyBaseline([], b).stats).toEqual({ matched: 0, stale: 1 });
  });

  it('rejects a file that is not a baseline, naming it', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(BaselineError);
    expect(() => parseBaseline('{"version":2,"findings":[]}', 'b.json')).toThrow(/^b\.json: not a Portcullis baseline/);
    expect(() => parseBaseline('{"version":1,"findings":[{"ruleId":"x"}]}', 'b.json')).toThrow(/entry 1 needs/);
  });
});
