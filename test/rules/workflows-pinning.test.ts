import { describe, expect, it } from 'vitest';
import { parseUses, pinPolicyViolation } from '../../src/analysis/action-ref.js';
import type { Finding } from '../../src/core/types.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const MINE = ['unpinned-action', 'unpinned-image', 'latest-image-tag', 'insecure-commands', 'secrets-inherit', 'hardcoded-credential', 'self-hosted-runner'];

function scan(text: string, path = '.github/workflows/ci.yml', only?: string): Finding[] {
  const { findings } = scanFiles({ [path]: text }, { rules: rules.filter((r) => MINE.includes(r.id)) });
  return only ? findings.filter((f) => f.ruleId === only) : findings;
}
const at = (f: Finding) => [f.line, f.column, f.endLine, f.endColumn];
const lines = (...l: string[]) => l.join('\n') + '\n';

describe('pinPolicyViolation', () => {
  it('hash-pin accepts only a full 40-hex SHA', () => {
    expect(pinPolicyViolation(SHA, 'hash-pin')).toBeUndefined();
    expect(pinPolicyViolation(SHA.toUpperCase(), 'hash-pin')).toBeUndefined();
    expect(pinPolicyViolation('v4', 'hash-pin')).toMatch(/`v4`.*moved/);
    expect(pinPolicyViolation('main', 'hash-pin')).toMatch(/`main`/);
    expect(pinPolicyViolation('1a2b3c4', 'hash-pin')).toMatch(/short SHA/);
    expect(pinPolicyViolation(SHA.slice(0, 39), 'hash-pin')).toMatch(/short SHA/);
    expect(pinPolicyViolation(SHA + '0', 'hash-pin')).toBeDefined();
    expect(pinPolicyViolation(undefined, 'hash-pin')).toMatch(/no ref/);
  });
  it('ref-pin accepts any explicit ref, any accepts everything', () => {
    expect(pinPolicyViolation('v4', 'ref-pin')).toBeUndefined();
    expect(pinPolicyViolation('main', 'ref-pin')).toBeUndefined();
    expect(pinPolicyViolation(undefined, 'ref-pin')).toMatch(/no ref/);
    expect(pinPolicyViolation(undefined, 'any')).toBeUndefined();
    expect(pinPolicyViolation('main', 'any')).toBeUndefined();
  });
});

describe('parseUses', () => {
  it('tells local, docker and repository references apart', () => {
    expect(parseUses('./.github/actions/x')).toEqual({ kind: 'local', path: './.github/actions/x' });
    expect(parseUses('docker://alpine:3')).toEqual({ kind: 'docker', image: 'alpine:3' });
    expect(parseUses('github/codeql-action/init@v3')).toEqual({ kind: 'repo', repo: 'github/codeql-action', path: 'init', ref: 'v3', workflow: false });
    expect(parseUses(' o/r/.github/workflows/x.yml@main\n')).toMatchObject({ repo: 'o/r', path: '.github/workflows/x.yml', ref: 'main', workflow: true });
    expect(parseUses('actions/checkout')).toMatchObject({ kind: 'repo', repo: 'actions/checkout' });
    expect(parseUses('actions/checkout')).not.toHaveProperty('ref');
    expect(parseUses('$/.github/workflows/reusable.yml@tag')).toBeUndefined();
    expect(parseUses('${{ inputs.action }}')).toBeUndefined();
  });
});

describe('unpinned-action', () => {
  it('points exactly at the uses value of steps and reusable-workflow calls', () => {
    const text = lines(
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      `      - uses: actions/setup-node@${SHA}`,
      `      - uses: actions/cache@${SHA} # v4`,
      '      - uses: "github/codeql-action/init@1a2b3c4"',
      '      - uses: ./.github/actions/local',
      '      - uses: docker://alpine:3.20',
      '      - uses: some-org/no-ref',
      '  call:',
      '    uses: my-org/shared/.github/workflows/release.yml@v1',
    );
    const f = scan(text, undefined, 'unpinned-action');
    expect(f.map(at)).toEqual([
      [6, 15, 6, 34],
      [9, 16, 9, 49],
      [12, 15, 12, 30],
      [14, 11, 14, 57],
    ]);
    expect(f[0]!.message).toContain('actions/checkout@<40-hex sha of v4> # v4');
    expect(f[1]!.message).toMatch(/short SHA/);
    expect(f[1]!.message).toContain('github/codeql-action/init@<40-hex sha of 1a2b3c4>');
    expect(f[2]!.message).toMatch(/no ref/);
    expect(f[3]!.message).toMatch(/^The reusable workflow my-org\/shared\/\.github\/workflows\/release\.yml is pinned to `v1`/);
    expect(f.every((x) => x.severity === 'high' && x.confidence === 'high')).toBe(true);
  });

  it('points at the text of a block scalar, not at its indicator', () => {
    const text = lines('on: push', 'jobs:', '  j:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: |', '          actions/checkout@v4', '      - uses: |', `          actions/checkout@${SHA}`);
    expect(scan(text, undefined, 'unpinned-action').map(at)).toEqual([[7, 11, 7, 30]]);
  });

  it('reports a step reused through an anchor and alias once, at the anchored text', () => {
    const text = lines('on: [push]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - &checkout { uses: "actions/checkout@v4" }', '      - *checkout');
    expect(scan(text, undefined, 'unpinned-action').map(at)).toEqual([[6, 28, 6, 47]]);
  });

  it('checks composite-action steps', () => {
    const text = lines('name: x', 'runs:', '  using: composite', '  steps:', '    - uses: asdf-vm/actions/setup@v3', `    - uses: asdf-vm/actions/install@${SHA}`, '    - run: echo hi', '      shell: bash');
    const f = scan(text, 'action.yml', 'unpinned-action');
    expect(f.map(at)).toEqual([[5, 13, 5, 37]]);
    expect(f[0]!.message).toContain('asdf-vm/actions/setup@<40-hex sha of v3> # v3');
  });
});

describe('workflow images (unpinned-image, latest-image-tag)', () => {
  const workflow = lines(
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    container: node:18',
    '    services:',
    '      redis:',
    '        image: redis:latest',
    '      db:',
    `        image: postgres:17@${DIGEST}`,
    '      empty:',
    '        image: ""',
    '      computed:',
    "        image: ${{ inputs.use-redis == 'true' && 'redis:7' || '' }}",
    '    steps:',
    '      - uses: docker://ubuntu',
    '      - uses: docker://ghcr.io/pypa/gh-action-pypi-publish:release-v1',
    `      - uses: docker://alpine@${DIGEST}`,
    '  b:',
    '    runs-on: ubuntu-latest',
    '    container:',
    '      image: ghcr.io/acme/build:${{ inputs.tag }}',
  );

  it('raise one of the two rules per reference, at the image value', () => {
    const f = scan(workflow).filter((x) => x.ruleId === 'unpinned-image' || x.ruleId === 'latest-image-tag');
    expect(f.map((x) => [x.ruleId, ...at(x)])).toEqual([
      ['unpinned-image', 5, 16, 5, 23],
      ['latest-image-tag', 8, 16, 8, 28],
      ['unpinned-image', 14, 16, 14, 68],
      ['latest-image-tag', 16, 15, 16, 30],
      ['unpinned-image', 17, 15, 17, 70],
      ['unpinned-image', 22, 14, 22, 50],
    ]);
    expect(f[0]!.message).toContain('node:18@sha256:<digest>');
    // every literal branch of a whole expression is an image the job can pull; the condition is compared, not pulled
    expect(f[2]!.message).toContain("can be redis:7, not pinned by digest");
    expect(f[2]!.confidence).toBe('high');
    expect(f[3]!.message).toContain('uses: docker://ubuntu has no tag');
    expect(f[5]!.confidence).toBe('medium');
  });

  it('expand a whole ${{ matrix.x }} image into the values the job lists', () => {
    const text = lines(
      'on: push',
      'jobs:',
      '  m:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: ${{ matrix.image }}',
      '    strategy:',
      '      matrix:',
      `        image: [ubuntu:24.04, 'debian@${DIGEST}']`,
      '        include:',
      '          - image: ubuntu',
      '          - image: ubuntu:latest',
      '    steps:',
      '      - run: true',
    );
    const f = scan(text).filter((x) => x.ruleId !== 'self-hosted-runner');
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([
      ['latest-image-tag', 6],
      ['unpinned-image', 6],
    ]);
    expect(f.find((x) => x.ruleId === 'latest-image-tag')!.message).toContain('container: ${{ matrix.image }} can be ubuntu, ubuntu:latest, the moving `latest` image');
    // A matrix value with a literal fallback is still the listed values (the empty fallback is no image).
    expect(scan(text.replace('${{ matrix.image }}', "${{ matrix.image || '' }}")).map((x) => x.ruleId)).toEqual(['latest-image-tag', 'unpinned-image']);
    // An image that is any other expression, or a matrix the file does not list, is skipped.
    expect(scan(text.replace('${{ matrix.image }}', "${{ inputs.image || '' }}"))).toEqual([]);
    expect(scan(text.replace('${{ matrix.image }}', '${{ matrix.other }}'))).toEqual([]);
    // With an input that can also be the image, the literal branch is reported at medium confidence.
    const mixed = scan(text.replace('${{ matrix.image }}', "${{ inputs.image || 'node:22' }}"));
    expect(mixed.map((x) => [x.ruleId, x.confidence])).toEqual([['unpinned-image', 'medium']]);
  });

  it('read an action runs.image docker:// but not a local Dockerfile', () => {
    const f = scan(lines('name: x', 'runs:', '  using: docker', '  image: "docker://ghcr.io/super-linter/super-linter:slim-v8"'), 'action.yml');
    expect(f.map((x) => [x.ruleId, ...at(x)])).toEqual([['unpinned-image', 4, 11, 4, 61]]);
    expect(scan(lines('name: x', 'runs:', '  using: docker', '  image: Dockerfile'), 'action.yml')).toEqual([]);
  });
});

describe('insecure-commands', () => {
  it('follows the runner: true, 1 and $true in any case enable; yes and false do not', () => {
    const env = (v: string) => lines('on: push', 'jobs:', '  j:', '    runs-on: ubuntu-latest', '    env:', `      ACTIONS_ALLOW_UNSECURE_COMMANDS: ${v}`, '    steps:', '      - run: true');
    for (const v of ['true', '"TRUE"', '1', "'$true'", 'True']) expect(scan(env(v), undefined, 'insecure-commands').map(at), v).toEqual([[6, 7, 6, 40 + v.length]]);
    for (const v of ['false', '"false"', 'yes', '0', '""']) expect(scan(env(v), undefined, 'insecure-commands'), v).toEqual([]);
    expect(scan(env('true'), undefined, 'insecure-commands')[0]!.related.map((r) => [r.at.line, r.at.column])).toEqual([[5, 5]]);
    const computed = scan(env('${{ inputs.legacy }}'), undefined, 'insecure-commands');
    expect(computed.map((f) => f.confidence)).toEqual(['low']);
  });
});

describe('secrets-inherit', () => {
  it('reports the secrets value of a reusable-workflow call, lower for a local one', () => {
    const text = lines('on: push', 'jobs:', '  a:', `    uses: o/r/.github/workflows/x.yml@${SHA}`, '    secrets: inherit', '  b:', '    uses: ./.github/workflows/y.yml', '    secrets: inherit', '  c:', `    uses: o/r/.github/workflows/x.yml@${SHA}`, '    secrets:', '      T: ${{ secrets.T }}');
    const f = scan(text, undefined, 'secrets-inherit');
    expect(f.map((x) => [...at(x), x.severity])).toEqual([
      [5, 14, 5, 21, 'medium'],
      [8, 14, 8, 21, 'low'],
    ]);
    expect(f[0]!.related[0]!.at.line).toBe(4);
  });
});

describe('hardcoded-credential', () => {
  const token = 'ghp_' + 'Zq9Xw8Vu7T'.repeat(3) + 'Zq9Xw8';
  const text = lines(
    'on: push',
    'env:',
    '  DB_PASSWORD: Sup3r-S3cret-Value',
    '  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    '  TOKEN_URL: https://auth.example.com/token',
    '  PASSWORD: changeme',
    'jobs:',
    '  j:',
    '    runs-on: ubuntu-latest',
    '    container:',
    '      image: ghcr.io/acme/x@' + DIGEST,
    '      credentials:',
    '        username: ci',
    '        password: hackme-please-9',
    '    services:',
    '      s:',
    '        image: ghcr.io/acme/y@' + DIGEST,
    '        credentials:',
    '          username: ci',
    '          password: ${{ secrets.REGISTRY_PASSWORD }}',
    '    steps:',
    `      - uses: some-org/deploy@${SHA}`,
    '        with:',
    `          message: ${token}`,
    '          api-key: prefix-${{ secrets.K }}',
    '          password-stdin: true',
  );

  it('reports literals only, at the value', () => {
    const f = scan(text, undefined, 'hardcoded-credential');
    expect(f.map((x) => [...at(x), x.severity])).toEqual([
      [3, 16, 3, 34, 'critical'],
      [14, 19, 14, 34, 'critical'],
      [24, 20, 24, 60, 'critical'],
    ]);
    expect(f[2]!.message).toMatch(/GitHub token/);
    expect(f[1]!.related.map((r) => [r.at.line, r.label])).toEqual([[12, 'the credentials block']]);
  });

  it('never lets more than 4 characters of a value out', () => {
    const json = JSON.stringify(scan(text, undefined, 'hardcoded-credential'));
    for (const secret of ['Sup3r-S3cret-Value', 'hackme-please-9', token]) {
      for (let i = 0; i + 5 <= secret.length; i++) expect(json, secret.slice(i, i + 5)).not.toContain(secret.slice(i, i + 5));
    }
  });

  it('keeps fingerprints free of the value, so a rotated literal keeps its id', () => {
    const before = scan(text, undefined, 'hardcoded-credential').map((f) => f.fingerprint);
    const after = scan(text.replace('Sup3r-S3cret-Value', 'Other-S3cret-Value2'), undefined, 'hardcoded-credential').map((f) => f.fingerprint);
    expect(after).toEqual(before);
  });
});

describe('self-hosted-runner', () => {
  const wf = (on: string, runsOn: string, extra: string[] = []) =>
    lines(`on: ${on}`, 'jobs:', '  j:', `    runs-on: ${runsOn}`, ...extra, '    steps:', '      - run: true');

  it('needs a pull-request trigger, in any form', () => {
    expect(scan(wf('push', '[self-hosted, linux]'), undefined, 'self-hosted-runner')).toEqual([]);
    for (const on of ['pull_request', '[push, pull_request_target]', '{pull_request: {branches: [main]}}'])
      expect(scan(wf(on, '[self-hosted, linux]'), undefined, 'self-hosted-runner').map(at), on).toEqual([[4, 14, 4, 34]]);
  });

  it('resolves matrix runners and lowers confidence for unknown expressions', () => {
    const matrix = (os: string) => ['    strategy:', '      matrix:', `        os: ${os}`];
    expect(scan(wf('pull_request', '${{ matrix.os }}', matrix('[ubuntu-latest, windows-latest]')), undefined, 'self-hosted-runner')).toEqual([]);
    expect(scan(wf('pull_request', '${{ matrix.os }}', matrix('[ubuntu-latest, self-hosted]')), undefined, 'self-hosted-runner').map((f) => f.confidence)).toEqual(['high']);
    expect(scan(wf('pull_request', '${{ inputs.runner }}'), undefined, 'self-hosted-runner').map((f) => f.confidence)).toEqual(['low']);
    expect(scan(wf('pull_request', 'ubuntu-latest'), undefined, 'self-hosted-runner')).toEqual([]);
  });
});
