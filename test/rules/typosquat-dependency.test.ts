import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../src/scan.js';
import { rules } from '../../src/rules/index.js';
import { isEstablished, isPopular, nearestPopular, typosquatOf } from '../../src/analysis/popular.js';

const only = rules.filter((r) => r.id === 'typosquat-dependency');
const scan = (files: Record<string, string>) => scanFiles(files, { rules: only }).findings;

describe('typosquatOf', () => {
  it.each([
    ['npm', 'expresss', 'express', 'one edit'],
    ['npm', 'loadsh', 'lodash', 'transposition'],
    ['npm', 'crossenv', 'cross-env', 'one edit'],
    ['npm', 'types-node', '@types/node', 'scope'],
    ['pypi', 'reqeusts', 'requests', 'transposition'],
    ['pypi', 'python-dateutils', 'python-dateutil', 'one edit'],
    ['pypi', 'requests-py', 'requests', 'affix'],
    // Each single edit, at the start (found by the name's last characters) and further on (by its first ones).
    ['npm', 'rxpress', 'express', 'one edit'],
    ['npm', 'exprwss', 'express', 'one edit'],
    ['npm', 'exprss', 'express', 'one edit'],
    ['npm', 'xepress', 'express', 'transposition'],
    ['npm', 'JSONStraem', 'JSONStream', 'transposition'],
  ] as const)('%s %s → %s', (eco, name, target, kind) => {
    expect(typosquatOf(eco, name)).toMatchObject({ target, kind });
  });
  it.each([
    ['npm', 'express'],
    ['npm', 'vue3'],
    ['npm', 'eclint'],
    ['npm', 'expect.js'],
    ['npm', 'babel-cli'],
    ['pypi', 'python_dateutil'],
    ['pypi', 'PyYAML'],
    ['npm', 'ab'],
  ] as const)('%s %s is not a squat', (eco, name) => {
    expect(typosquatOf(eco, name)).toBeUndefined();
  });
  it('popular names are popular in their own ecosystem only', () => {
    expect(isPopular('npm', 'react')).toBe(true);
    expect(isPopular('pypi', 'Django')).toBe(true);
  });
});

describe('typosquat-dependency', () => {
  it('names the intended package in package.json, pyproject and workflow installs', () => {
    const [f] = scan({ 'package.json': '{\n  "dependencies": {\n    "expresss": "4.19.2"\n  }\n}\n', 'package-lock.json': '{}' });
    expect(f).toMatchObject({ line: 3, column: 6, endColumn: 14 });
    expect(f!.message).toContain('did you mean `express`?');
    expect(scan({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = [\n  "reqeusts>=2",\n]\n' })[0]?.line).toBe(4);
    expect(scan({ 'Pipfile': '[packages]\ndjnago = "*"\n' })[0]?.message).toContain('`django`');
    expect(scan({ '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install reqeusts\n' })[0]?.line).toBe(6);
  });
  it('stays silent on popular names and their PEP 503 spellings', () => {
    expect(scan({ 'requirements.txt': 'python_dateutil==2.9.0\nPyYAML\nscikit_learn>=1\n' })).toEqual([]);
  });
  it('a declared and locked typo is reported once, at the manifest, with the lockfile entry as related', () => {
    const files = {
      'package.json': '{\n  "dependencies": {\n    "expresss": "^4.19.2"\n  }\n}\n',
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { expresss: '^4.19.2' } }, 'node_modules/expresss': { version: '4.19.2' } } }, null, 2) + '\n',
    };
    const hits = scan(files);
    expect(hits.map((f) => [f.path, f.line])).toEqual([['package.json', 3]]);
    expect(hits[0]!.related).toEqual([{ path: 'package-lock.json', at: expect.objectContaining({ line: 9 }), label: 'locked here' }]);
    // without the manifest, the lockfile's top-level entry that the root declares is reported
    expect(scan({ 'package-lock.json': files['package-lock.json'] }).map((f) => [f.path, f.line])).toEqual([['package-lock.json', 9]]);
  });
  it('relates a pyproject dependency to its uv.lock entry', () => {
    const hits = scan({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = [\n  "reqeusts>=2",\n]\n', 'uv.lock': 'version = 1\n\n[[package]]\nname = "reqeusts"\nversion = "2.0.0"\n' });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.related).toEqual([{ path: 'uv.lock', at: expect.objectContaining({ line: 4 }), label: 'locked here' }]);
  });
});

describe('typosquat-dependency: scopes, established packages and transitive entries', () => {
  it('never compares a scoped name with another scope', () => {
    expect(typosquatOf('npm', '@npm/types')).toBeUndefined();
    expect(typosquatOf('npm', '@storyblok/react')).toBeUndefined();
    // an unscoped imitation of a scoped package still is one
    expect(typosquatOf('npm', 'types-node')).toMatchObject({ target: '@types/node', kind: 'scope' });
  });

  it('old, widely used packages a slip away from a popular one are established, not squats; a slip with typo traffic only is reported', () => {
    for (const name of ['is-email', 'umask', 'debug-log']) {
      expect(isEstablished('npm', name)).toBe(true);
      expect(typosquatOf('npm', name)).toBeUndefined();
      expect(nearestPopular('npm', name)).toBeDefined();
    }
    for (const name of ['loadsh', 'expresss', 'crossenv']) expect(isEstablished('npm', name)).toBe(false);
    expect(isEstablished('pypi', 'reqeusts')).toBe(false);
  });

  it('package-lock: only entries the project declares are checked; hoisted dependencies of other packages are not', () => {
    const lock = (root: Record<string, string>) =>
      JSON.stringify(
        {
          name: 'helpers',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'helpers', dependencies: root },
            'node_modules/loadsh': { version: '0.0.4', resolved: 'https://packages.example.com/loadsh/-/loadsh-0.0.4.tgz', integrity: 'sha512-AAAA' },
            'node_modules/expresss': { version: '0.0.0', resolved: 'https://packages.example.com/expresss/-/expresss-0.0.0.tgz', integrity: 'sha512-BBBB' },
          },
        },
        null,
        2,
      );
    // expresss is declared by the root package, loadsh only hoisted for something else
    const found = scan({ 'helpers/package-lock.json': lock({ expresss: '0.0.0' }) });
    expect(found.map((f) => f.message.split('`')[1])).toEqual(['expresss']);
    expect(scan({ 'helpers/package-lock.json': lock({}) })).toEqual([]);
  });
});
