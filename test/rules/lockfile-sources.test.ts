import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const run = (id: string, files: Record<string, string>) => scanFiles(files, { rules: [rules.find((r) => r.id === id)!] }).findings;
const MIRROR = 'packages.example.com';
const SHA = 'af885e2e890b9ef0875edd2b117305119ee5bdc5';
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const packageLock = (packages: Record<string, unknown>): string => JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app' }, ...packages } }, null, 2);
const tarball = (base: string, name: string, version: string, integrity?: string) => ({
  version,
  resolved: `${base}/${name}/-/${name}-${version}.tgz`,
  ...(integrity ? { integrity } : {}),
});
const SHA512 = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';

describe('lockfile-insecure-source: what a plain transport really risks', () => {
  it('an http:// tarball with an integrity hash is low (npm verifies the hash whatever the transport); without one it stays high', () => {
    const text = packageLock({
      'node_modules/lerna': tarball(`http://${MIRROR}`, 'lerna', '4.0.0', SHA512),
      'node_modules/left-pad': tarball(`http://${MIRROR}`, 'left-pad', '1.3.0'),
      'node_modules/ms': tarball(`https://${MIRROR}`, 'ms', '2.1.3', SHA512),
    });
    const found = run('lockfile-insecure-source', { 'package-lock.json': text });
    expect(found.map((f) => [f.message.split(' ')[0], f.severity, f.line])).toEqual([
      ['lerna@4.0.0', 'low', lineOf(text, `http://${MIRROR}/lerna/`)],
      ['left-pad@1.3.0', 'high', lineOf(text, `http://${MIRROR}/left-pad/`)],
    ]);
    expect(found[0]!.message).toContain('still verifies');
    expect(found[1]!.message).toContain('anyone on the network path can swap it');
  });

  it('git:// pinned to a full commit is low (git checks the objects against the commit id); git:// on a branch stays high', () => {
    const text = packageLock({
      'node_modules/is-number': { version: '5.0.0', resolved: `git://example.com/jonschlinkert/is-number.git#${SHA}` },
      'node_modules/tool': { version: '1.0.0', resolved: 'git://example.com/acme/tool.git#main' },
    });
    const found = run('lockfile-insecure-source', { 'package-lock.json': text });
    expect(found.map((f) => [f.message.split(' ')[0], f.severity])).toEqual([
      ['is-number@5.0.0', 'low'],
      ['tool@1.0.0', 'high'],
    ]);
  });

  it('yarn 1: a git dependency the manifest declares (`https://host/u/r.git`, locked to a commit) is neither an unexpected host nor a hashless tarball', () => {
    const yarn =
      '# yarn lockfile v1\n\n\n' +
      ['chalk@0.4.0', 'has-color@~0.1.0', 'lodash@^1.2.1', 'stopwords@0.0.1', 'strip-ansi@~0.1.0', 'ansi-styles@~1.0.0']
        .map((spec) => {
          const name = spec.split('@')[0]!;
          return `${spec}:\n  version "1.0.0"\n  resolved "https://${MIRROR}/${name}/-/${name}-1.0.0.tgz#67144a5260c34fc3cca677d041daf52fe7b78b2f"\n`;
        })
        .join('\n') +
      `\n"is-number@https://github.com/jonschlinkert/is-number.git":\n  version "5.0.0"\n  resolved "https://github.com/jonschlinkert/is-number.git#${SHA}"\n`;
    const manifest = JSON.stringify({ name: 'bump-test', dependencies: { chalk: '0.4.0', lodash: '^1.2.1', stopwords: '0.0.1' }, devDependencies: { 'is-number': 'https://github.com/jonschlinkert/is-number.git' } }, null, 2);
    expect(run('lockfile-insecure-source', { 'package.json': manifest, 'yarn.lock': yarn })).toEqual([]);
    expect(run('lockfile-integrity', { 'package.json': manifest, 'yarn.lock': yarn }).map((f) => f.severity)).toEqual(['low']);
    expect(run('unpinned-git-dependency', { 'yarn.lock': yarn })).toEqual([]);
  });

  it('a tarball host the manifest declares is expected; the same host undeclared is reported', () => {
    const lock = packageLock({
      'node_modules/a': tarball(`https://${MIRROR}`, 'a', '1.0.0', SHA512),
      'node_modules/b': tarball(`https://${MIRROR}`, 'b', '1.0.0', SHA512),
      'node_modules/c': tarball(`https://${MIRROR}`, 'c', '1.0.0', SHA512),
      'node_modules/tool': { version: '2.0.0', resolved: 'https://downloads.example.net/tool-2.0.0.tgz', integrity: SHA512 },
    });
    const declared = JSON.stringify({ name: 'app', dependencies: { a: '^1.0.0', tool: 'https://downloads.example.net/tool-2.0.0.tgz' } });
    expect(run('lockfile-insecure-source', { 'package.json': declared, 'package-lock.json': lock })).toEqual([]);
    const found = run('lockfile-insecure-source', { 'package.json': JSON.stringify({ name: 'app', dependencies: { a: '^1.0.0' } }), 'package-lock.json': lock });
    expect(found.map((f) => [f.message.split(' ')[0], f.confidence])).toEqual([['tool@2.0.0', 'medium']]);
  });

  it('when most entries record no URL (the default registry) another host is low confidence: the default registry may be that host', () => {
    const packages: Record<string, unknown> = {};
    for (const n of ['a', 'b', 'c', 'd', 'e']) packages[`node_modules/${n}`] = { version: '1.0.0', integrity: SHA512 };
    packages['node_modules/yargs'] = tarball(`https://${MIRROR}`, 'yargs', '16.2.0', SHA512);
    const found = run('lockfile-insecure-source', { 'package-lock.json': packageLock(packages) });
    expect(found.map((f) => [f.message.split(' ')[0], f.confidence])).toEqual([['yargs@16.2.0', 'low']]);
  });
});

describe('lockfile-insecure-source: registries the project configures', () => {
  it('a scope registry named in .npmrc (beside the lockfile or above it) is expected; an unconfigured host is reported', () => {
    const lock = packageLock({
      'node_modules/a': tarball(`https://${MIRROR}`, 'a', '1.0.0', SHA512),
      'node_modules/b': tarball(`https://${MIRROR}`, 'b', '1.0.0', SHA512),
      'node_modules/c': tarball(`https://${MIRROR}`, 'c', '1.0.0', SHA512),
      'node_modules/@acme/etag': { version: '1.8.1', resolved: 'https://npm.private.example.net/acme/etag/-/etag-1.8.1.tgz', integrity: SHA512 },
    });
    const npmrc = '@acme:registry=https://npm.private.example.net/acme/\n//npm.private.example.net/acme/:_authToken=${NPM_TOKEN}\n';
    expect(run('lockfile-insecure-source', { 'web/package-lock.json': lock, 'web/.npmrc': npmrc })).toEqual([]);
    expect(run('lockfile-insecure-source', { 'web/package-lock.json': lock, '.npmrc': npmrc })).toEqual([]);
    expect(run('lockfile-insecure-source', { 'web/package-lock.json': lock, 'web/.npmrc': '# @acme:registry=https://npm.private.example.net/acme/\n' })).toHaveLength(1);
    expect(run('lockfile-insecure-source', { 'web/package-lock.json': lock, 'other/.npmrc': npmrc })).toHaveLength(1);
  });
});
