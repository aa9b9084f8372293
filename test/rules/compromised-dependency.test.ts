import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { scanFiles } from '../../src/scan.js';
import { rules } from '../../src/rules/index.js';

const only = (id: string) => rules.filter((r) => r.id === id);
const pin = (name: string, version: string) => ({ 'package.json': JSON.stringify({ name: 'app', dependencies: { [name]: version } }, null, 2) + '\n', 'package-lock.json': '{}' });
const found = (files: Record<string, string>, id = 'compromised-dependency') => scanFiles(files, { rules: only(id) }).findings;

// One bad release per incident (with its advisory id and incident name) and a neighbouring good release.
const INCIDENTS: [string, string, string, string, string][] = [
  ['ua-parser-js', '0.7.29', '0.7.30', 'GHSA-pjwm-rvh2-c87w', 'ua-parser-js hijack'],
  ['ua-parser-js', '1.0.0', '1.0.1', 'GHSA-pjwm-rvh2-c87w', 'ua-parser-js hijack'],
  ['event-stream', '3.3.6', '3.3.4', 'GHSA-mh6f-8j2x-4483', 'event-stream'],
  ['flatmap-stream', '0.1.1', '0.1.0', 'GHSA-9x64-5r7x-2q53', 'event-stream'],
  ['coa', '2.0.3', '2.0.2', 'GHSA-73qr-pfmq-6rp8', 'coa hijack'],
  ['coa', '3.1.3', '3.1.4', 'GHSA-73qr-pfmq-6rp8', 'coa hijack'],
  ['rc', '1.2.9', '1.2.8', 'GHSA-g2q5-5433-rhrf', 'rc hijack'],
  ['colors', '1.4.44-liberty-2', '1.4.0', 'GHSA-5rqg-jm4f-cqx7', 'colors sabotage'],
  ['faker', '6.6.6', '5.5.3', 'GHSA-5w9c-rv96-fr7g', 'faker sabotage'],
  ['node-ipc', '10.1.2', '10.1.3', 'GHSA-97m3-w2cp-4xx6', 'node-ipc protestware'],
  ['node-ipc', '9.2.2', '9.2.1', 'GHSA-8gr3-2gjw-jj7g', 'node-ipc protestware'],
  ['chalk', '5.6.1', '5.6.2', 'GHSA-2v46-p5h4-248w', 'chalk/debug hijack'],
  ['debug', '4.4.2', '4.4.1', 'GHSA-8mgj-vmr8-frr6', 'chalk/debug hijack'],
  ['error-ex', '1.3.3', '1.3.2', 'GHSA-5g7q-qh7p-jjvm', 'chalk/debug hijack'],
  ['@ctrl/tinycolor', '4.1.2', '4.1.0', 'GHSA-qjqf-7j6f-82c4', 'Shai-Hulud worm'],
];

describe('compromised-dependency: one test per incident', () => {
  for (const [name, bad, good, id, incident] of INCIDENTS) {
    it(`${name}@${bad} is critical (${id}); ${good} is clean`, () => {
      const hits = found(pin(name, bad));
      expect(hits).toHaveLength(1);
      expect(hits[0]!.severity).toBe('critical');
      expect(hits[0]!.message).toContain(id);
      expect(hits[0]!.message).toContain(incident);
      expect(hits[0]!.line).toBe(4);
      expect(found(pin(name, good))).toEqual([]);
    });
  }

  it('every chalk/debug package of September 2025 is in the dataset', () => {
    for (const [name, v] of Object.entries({ 'ansi-styles': '6.2.2', 'supports-color': '10.2.1', 'strip-ansi': '7.1.1', 'ansi-regex': '6.2.1', 'wrap-ansi': '9.0.1', 'color-convert': '3.1.1', 'color-name': '2.0.1', 'is-arrayish': '0.3.3', 'slice-ansi': '7.1.1', 'color-string': '2.1.1', 'simple-swizzle': '0.2.3', 'supports-hyperlinks': '4.1.1', 'has-ansi': '6.0.1', 'chalk-template': '1.1.1', backslash: '0.2.1' }))
      expect(found(pin(name, v)), name).toHaveLength(1);
  });

  it('ranges are not exact pins', () => {
    expect(found(pin('ua-parser-js', '^0.7.29'))).toEqual([]);
  });

  it('reads requirements pins and install commands', () => {
    expect(found({ 'Dockerfile': 'FROM node:22\nRUN npm i ua-parser-js@0.7.29\n' })[0]?.line).toBe(2);
    expect(found({ '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm install --no-save debug@4.4.2\n' })).toHaveLength(1);
  });

  it('takes advisories given by the scan (online mode) through its options', () => {
    const extra = [{ id: 'MAL-2099-1', summary: 'test incident: bad', affected: [{ package: { ecosystem: 'PyPI', name: 'Some_Pkg' }, versions: ['1.0.0'] }] }];
    const rule = only('compromised-dependency')[0]!;
    const findings: string[] = [];
    rule.check({ role: 'manifest', ecosystem: 'pypi', path: 'requirements.txt', name: 'requirements.txt', dependencies: undefined, isWorkspaceRoot: false, tools: [] }, {
      path: 'requirements.txt',
      project: { has: () => true, read: () => 'some.pkg==1.0.0\n', list: () => [] },
      options: { advisories: extra },
      report: (r) => findings.push(r.message),
    });
    expect(findings[0]).toContain('MAL-2099-1');
  });
});

describe('known-vulnerable-action', () => {
  const wf = (uses: string) => ({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n` });
  it.each([
    ['tj-actions/changed-files@v45.0.7', 'GHSA-mrrh-fwg8-r2c3', 'high'],
    ['tj-actions/changed-files@v1', 'GHSA-mrrh-fwg8-r2c3', 'high'],
    ['tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67', 'GHSA-mrrh-fwg8-r2c3', 'critical'],
    ['reviewdog/action-setup@v1', 'GHSA-qmg3-hpqr-gqvc', 'high'],
    ['reviewdog/action-shellcheck@v1', 'GHSA-qmg3-hpqr-gqvc', 'high'],
    ['aquasecurity/trivy-action@0.34.2', 'GHSA-69fq-xp46-6x23', 'high'],
  ])('%s is reported', (uses, id, severity) => {
    const hits = found(wf(uses), 'known-vulnerable-action');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.message).toContain(id);
    expect(hits[0]!.severity).toBe(severity);
  });
  it.each(['tj-actions/changed-files@v46.0.1', 'tj-actions/changed-files@main', 'aquasecurity/trivy-action@0.35.0', 'reviewdog/action-setup@v1.3.2', 'actions/checkout@v4'])('%s is not', (uses) => {
    expect(found(wf(uses), 'known-vulnerable-action')).toEqual([]);
  });
});

describe('advisory dataset', () => {
  it('the bundled module is generated from data/advisories and data/popular-*.tsv (run scripts/refresh-popular.mjs --generate-only)', () => {
    const before = ['src/data/advisories.generated.ts', 'src/data/popular.generated.ts'].map((p) => readFileSync(p, 'utf8'));
    execFileSync('node', ['scripts/refresh-popular.mjs', '--generate-only'], { stdio: 'ignore' });
    expect(['src/data/advisories.generated.ts', 'src/data/popular.generated.ts'].map((p) => readFileSync(p, 'utf8'))).toEqual(before);
  });
});

describe('lockfiles', () => {
  const lock = (name: string, version: string) =>
    JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { [name]: '*' } }, [`node_modules/${name}`]: { version } } }, null, 2) + '\n';
  it('a package-lock entry at a hijacked version is critical; the next release is clean', () => {
    const hits = found({ 'package-lock.json': lock('ua-parser-js', '0.7.29') });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.message).toContain('GHSA-pjwm-rvh2-c87w');
    expect(found({ 'package-lock.json': lock('ua-parser-js', '0.7.30') })).toEqual([]);
  });
  it('a top-level package-lock typo is a typosquat', () => {
    expect(found({ 'package-lock.json': lock('expresss', '4.19.2') }, 'typosquat-dependency')[0]?.message).toContain('`express`');
  });

  const withManifest = (deps: Record<string, string>, locked: Record<string, string>) => ({
    'package.json': JSON.stringify({ name: 'app', dependencies: deps }, null, 2) + '\n',
    'package-lock.json':
      JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: deps }, ...Object.fromEntries(Object.entries(locked).map(([k, v]) => [`node_modules/${k}`, { version: v }])) } }, null, 2) + '\n',
  });
  it('a declared and locked hijacked release is reported once, at package.json, with the lockfile entry as related', () => {
    for (const spec of ['0.7.29', '^0.7.28']) {
      const hits = found(withManifest({ 'ua-parser-js': spec }, { 'ua-parser-js': '0.7.29' }));
      expect(hits.map((f) => [f.path, f.line]), spec).toEqual([['package.json', 4]]);
      expect(hits[0]!.message).toContain('GHSA-pjwm-rvh2-c87w');
      expect(hits[0]!.related).toEqual([{ path: 'package-lock.json', at: expect.objectContaining({ line: 9 }), label: 'locked here' }]);
    }
  });
  it('a transitive hijacked release is reported at the lockfile', () => {
    const hits = found(withManifest({ express: '^4.19.2' }, { express: '4.19.2', 'ua-parser-js': '0.7.29' }));
    expect(hits.map((f) => f.path)).toEqual(['package-lock.json']);
    expect(hits[0]!.message).toContain('package-lock.json locks `ua-parser-js@0.7.29`');
  });
  it('a workspace member that declares it is where the finding goes; the root lockfile stays quiet', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }, null, 2) + '\n',
      'packages/a/package.json': JSON.stringify({ name: 'a', dependencies: { debug: '^4.4.0' } }, null, 2) + '\n',
      'package-lock.json':
        JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'root' }, 'packages/a': { name: 'a' }, 'node_modules/a': { resolved: 'packages/a', link: true }, 'node_modules/debug': { version: '4.4.2' } } }, null, 2) + '\n',
    };
    const hits = found(files);
    expect(hits.map((f) => f.path)).toEqual(['packages/a/package.json']);
    expect(hits[0]!.related[0]).toMatchObject({ path: 'package-lock.json', label: 'locked here' });
  });
});
