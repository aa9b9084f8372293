import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const rule = (id: string) => rules.find((r) => r.id === id)!;
const run = (id: string, files: Record<string, string>, configYaml?: string) =>
  scanFiles(files, { rules: [rule(id)], ...(configYaml ? { config: parseConfig(configYaml, '.github/portcullis.yml', rules) } : {}) }).findings.filter((f) => f.ruleId === id);

/** npm's configured registry, read at run time (never written into the repository); a made-up host when npm is absent. */
function npmRegistry(): string {
  try {
    return execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/+$/, '') || 'https://registry.invalid';
  } catch {
    return 'https://registry.invalid';
  }
}

const SHA = '0123456789abcdef0123456789abcdef01234567';
type Pkg = { version?: string; resolved?: string; integrity?: string; hasInstallScript?: boolean; link?: boolean; name?: string };
const packageLock = (packages: Record<string, Pkg>): string =>
  JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } }, null, 2);
const tgz = (base: string, name: string, v: string): string => `${base}/${name}/-/${name}-${v}.tgz`;
const reg = (base: string, name: string, v = '1.0.0'): Pkg => ({ version: v, resolved: tgz(base, name, v), integrity: 'sha512-AAAA' });

describe('lockfile-insecure-source', () => {
  const R = npmRegistry();
  it('reports http, git:// and an entry on another host than the majority (medium confidence, naming both hosts)', () => {
    const text = packageLock({
      'node_modules/a': reg(R, 'a'),
      'node_modules/b': reg(R, 'b'),
      'node_modules/c': reg(R, 'c'),
      'node_modules/d': reg('http://mirror.example.com', 'd'),
      'node_modules/e': reg('https://evil.example.net', 'e'),
      'node_modules/f': { version: '1.0.0', resolved: `git://example.com/u/f.git#${SHA}` },
    });
    const found = run('lockfile-insecure-source', { 'package-lock.json': text });
    const byName = (n: string) => found.filter((f) => f.message.startsWith(`${n}@`));
    expect(byName('d').some((f) => f.message.includes('plain http'))).toBe(true);
    expect(byName('f')[0]!.message).toContain('git://');
    const e = byName('e');
    expect(e).toHaveLength(1);
    expect(e[0]!.confidence).toBe('medium');
    expect(e[0]!.message).toContain('evil.example.net');
    expect(e[0]!.message).toContain(new URL(R).hostname);
    // at the offending `"resolved": "…"` line, the whole field
    const at = text.split('\n').findIndex((l) => l.includes('"resolved": "https://evil.example.net')) + 1;
    expect(e[0]).toMatchObject({ line: at, column: 7, endColumn: text.split('\n')[at - 1]!.replace(/,$/, '').length + 1 });
    expect(byName('d')[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('"resolved": "http://mirror')) + 1);
    expect(byName('a')).toEqual([]);
  });

  it('takes the allowed list from the rule options', () => {
    const text = packageLock({ 'node_modules/a': reg('https://one.example.com', 'a'), 'node_modules/b': reg('https://two.example.com', 'b'), 'node_modules/c': reg('https://sub.three.example.com', 'c') });
    const cfg = 'rules:\n  lockfile-insecure-source:\n    options:\n      allowed-hosts: [one.example.com, "*.three.example.com"]\n';
    const found = run('lockfile-insecure-source', { 'package-lock.json': text }, cfg);
    expect(found.map((f) => f.message.split(' ')[0])).toEqual(['b@1.0.0']);
    expect(found[0]!.confidence).toBe('high');
  });

  it('pnpm: entries without a tarball come from the default registry; a tarball elsewhere is reported', () => {
    const text = ["lockfileVersion: '9.0'", 'packages:', "  a@1.0.0:", '    resolution: {integrity: sha512-A}', '  b@1.0.0:', '    resolution: {integrity: sha512-B}', '  c@1.0.0:', '    resolution: {integrity: sha512-C, tarball: https://other.example.com/c-1.0.0.tgz}', ''].join('\n');
    const found = run('lockfile-insecure-source', { 'pnpm-lock.yaml': text });
    expect(found.map((f) => f.line)).toEqual([7]);
    expect(found[0]!.message).toContain('the default registry');
  });

  it('stays silent on a lockfile from one https host, and on a single entry', () => {
    expect(run('lockfile-insecure-source', { 'package-lock.json': packageLock({ 'node_modules/a': reg(R, 'a'), 'node_modules/b': reg(R, 'b') }) })).toEqual([]);
    expect(run('lockfile-insecure-source', { 'package-lock.json': packageLock({ 'node_modules/a': reg('https://x.example.com', 'a') }) })).toEqual([]);
  });
});

describe('lockfile-integrity', () => {
  it('reports missing and sha1 hashes, not git, link or workspace entries', () => {
    const text = packageLock({
      'node_modules/a': { version: '1.0.0', resolved: tgz('https://p.example.com', 'a', '1.0.0') },
      'node_modules/b': { ...reg('https://p.example.com', 'b'), integrity: 'sha1-abc=' },
      'node_modules/c': reg('https://p.example.com', 'c'),
      'node_modules/g': { version: '1.0.0', resolved: `git+ssh://git@example.com/u/g.git#${SHA}` },
      'node_modules/w': { resolved: 'packages/w', link: true },
    });
    const found = run('lockfile-integrity', { 'package-lock.json': text });
    expect(found.map((f) => [f.message.split(' ')[0], f.severity])).toEqual([
      ['a@1.0.0', 'medium'],
      ['b@1.0.0', 'low'],
    ]);
    expect(found[1]!.message).toContain('sha1');
  });
  it('accepts yarn berry checksums and ignores non-npm lockfiles', () => {
    const berry = '__metadata:\n  version: 8\n\n"a@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  checksum: 10c0/abc\n';
    expect(run('lockfile-integrity', { 'yarn.lock': berry })).toEqual([]);
    expect(run('lockfile-integrity', { 'requirements.txt': 'requests==2.32.3\n' })).toEqual([]);
  });
});

describe('lockfile-drift', () => {
  const lock = packageLock({ 'node_modules/ms': reg('https://p.example.com', 'ms', '2.1.3'), 'node_modules/alias': { ...reg('https://p.example.com', 'real', '1.0.0'), name: 'real' } });
  it('reports a missing entry and a version outside the range, pointing at the package.json key with the lock entry related', () => {
    const pkg = '{\n  "dependencies": {\n    "ms": "^3.0.0",\n    "debug": "^4.0.0"\n  },\n  "devDependencies": {\n    "alias": "npm:real@^2.0.0"\n  }\n}\n';
    const found = run('lockfile-drift', { 'package.json': pkg, 'package-lock.json': lock });
    expect(found.map((f) => f.line)).toEqual([3, 4, 7]);
    expect(found[0]!.message).toContain('locked at 2.1.3');
    expect(found[0]!.related[0]!.path).toBe('package-lock.json');
    expect(found[1]!.message).toContain('no entry');
  });
  it('skips git, file, tags and satisfied ranges; checks npm: aliases against their target', () => {
    const pkg = `{\n  "dependencies": {\n    "ms": "~2.1.0",\n    "alias": "npm:real@^1.0.0",\n    "x": "github:u/x#${SHA}",\n    "y": "file:../y",\n    "z": "latest"\n  }\n}\n`;
    expect(run('lockfile-drift', { 'package.json': pkg, 'package-lock.json': lock })).toEqual([]);
  });
  it('checks workspace members against the root lockfile', () => {
    const root = '{ "private": true, "workspaces": ["packages/*"] }\n';
    const member = '{\n  "name": "api",\n  "dependencies": {\n    "ms": "^2.0.0",\n    "zod": "^3.0.0"\n  }\n}\n';
    const found = run('lockfile-drift', { 'package.json': root, 'packages/api/package.json': member, 'package-lock.json': lock });
    expect(found.map((f) => [f.path, f.line])).toEqual([['packages/api/package.json', 5]]);
  });
  it('yarn and pnpm lockfiles by name and range', () => {
    const pkg = '{\n  "dependencies": {\n    "ms": "^2.0.0",\n    "lodash": "^4.0.0"\n  }\n}\n';
    const yarn = '# yarn lockfile v1\n\nms@^2.0.0:\n  version "2.1.3"\n\nlodash@^3.0.0:\n  version "3.10.1"\n';
    expect(run('lockfile-drift', { 'package.json': pkg, 'yarn.lock': yarn }).map((f) => f.line)).toEqual([4]);
    const pnpm = "lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    resolution: {integrity: sha512-A}\n  lodash@4.17.21:\n    resolution: {integrity: sha512-B}\n";
    expect(run('lockfile-drift', { 'package.json': pkg, 'pnpm-lock.yaml': pnpm })).toEqual([]);
  });
  it('pyproject names missing from poetry.lock (PEP 503 names), python itself skipped', () => {
    const py = '[tool.poetry.dependencies]\npython = "^3.12"\nRequests = "^2.31"\nrich_text = "^1"\n';
    const lockText = '[[package]]\nname = "requests"\nversion = "2.31.0"\n';
    const found = run('lockfile-drift', { 'pyproject.toml': py, 'poetry.lock': lockText });
    expect(found.map((f) => [f.line, f.message.split(' ')[0]])).toEqual([[4, 'rich_text']]);
  });
});

describe('conflicting-lockfiles', () => {
  it('reports once per directory on the first lockfile, naming the others', () => {
    const found = scanFiles({ 'package-lock.json': '{}', 'yarn.lock': '', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }, { rules: [rule('conflicting-lockfiles')] }).findings;
    expect(found.map((f) => f.path)).toEqual(['package-lock.json']);
    expect(found[0]!.message).toContain('yarn.lock (yarn) and pnpm-lock.yaml (pnpm)');
  });
  it('python tools too; same tool or other directories are fine', () => {
    expect(run('conflicting-lockfiles', { 'Pipfile.lock': '{}', 'poetry.lock': '' }).map((f) => f.path)).toEqual(['Pipfile.lock']);
    expect(run('conflicting-lockfiles', { 'package-lock.json': '{}', 'npm-shrinkwrap.json': '{}' })).toEqual([]);
    expect(run('conflicting-lockfiles', { 'a/package-lock.json': '{}', 'b/yarn.lock': '' })).toEqual([]);
  });
});

describe('unpinned-git-dependency', () => {
  it('package.json specs: branch, tag, shorthand, default branch; a full SHA passes', () => {
    const pkg = `{\n  "dependencies": {\n    "a": "github:u/a#main",\n    "b": "git+https://example.com/u/b.git#v1.0.0",\n    "c": "u/c",\n    "d": "git+ssh://git@example.com/u/d.git#${SHA}",\n    "e": "^1.0.0"\n  }\n}\n`;
    expect(run('unpinned-git-dependency', { 'package.json': pkg }).map((f) => f.line)).toEqual([3, 4, 5]);
  });
  it('requirements, pyproject (PEP 508, poetry, uv sources), Pipfile, Cargo, Gemfile', () => {
    const files = {
      'requirements.txt': `a @ git+https://example.com/u/a@main\nb @ git+https://example.com/u/b@${SHA}\n-e git+https://example.com/u/c.git#egg=c\n`,
      'pyproject.toml': `[project]\nname = "p"\ndependencies = ["x @ git+https://example.com/u/x@v1"]\n\n[tool.uv.sources]\ny = { git = "https://example.com/u/y", rev = "${SHA}" }\nz = { git = "https://example.com/u/z", tag = "v2" }\n`,
      Pipfile: '[packages]\nq = {git = "https://example.com/u/q.git", ref = "main"}\n',
      'Cargo.toml': '[dependencies.w]\ngit = "https://example.com/u/w"\nbranch = "dev"\n',
      Gemfile: `gem 'g1', github: 'u/g1'\ngem 'g2', git: 'https://example.com/u/g2.git', ref: '${SHA}'\n`,
    };
    const found = run('unpinned-git-dependency', files);
    expect(found.map((f) => `${f.path}:${f.line}`).sort()).toEqual(['Cargo.toml:1', 'Gemfile:1', 'Pipfile:2', 'pyproject.toml:3', 'pyproject.toml:7', 'requirements.txt:1', 'requirements.txt:3'].sort());
  });
  it('lockfile entries locked to a branch are reported; locked commits are not', () => {
    const pipfile = JSON.stringify({ default: { a: { git: 'https://example.com/u/a.git', ref: 'main' }, b: { git: 'https://example.com/u/b.git', ref: SHA } } }, null, 2);
    expect(run('unpinned-git-dependency', { 'Pipfile.lock': pipfile }).map((f) => f.message.split(' ')[0])).toEqual(['a']);
  });
});

describe('install-script-dependency', () => {
  it('one info finding per entry with an install script', () => {
    const text = packageLock({ 'node_modules/a': { ...reg('https://p.example.com', 'a'), hasInstallScript: true }, 'node_modules/b': reg('https://p.example.com', 'b') });
    const found = run('install-script-dependency', { 'package-lock.json': text });
    expect(found.map((f) => [f.severity, f.line])).toEqual([['info', text.split('\n').findIndex((l) => l.includes('"hasInstallScript": true')) + 1]]);
  });
});

describe('lockfile findings point at the offending field', () => {
  const lines = (text: string) => text.split('\n');
  it('lockfile-integrity: a weak hash at its "integrity" line, a missing one at the entry key', () => {
    const text = packageLock({ 'node_modules/a': { version: '1.0.0', resolved: 'https://p.example.com/a-1.0.0.tgz', integrity: 'sha1-AAAA' }, 'node_modules/b': { version: '1.0.0', resolved: 'https://p.example.com/b-1.0.0.tgz' } });
    const found = run('lockfile-integrity', { 'package-lock.json': text });
    expect(found.map((f) => f.line)).toEqual([lines(text).findIndex((l) => l.includes('"integrity": "sha1-AAAA"')) + 1, lines(text).findIndex((l) => l.includes('"node_modules/b"')) + 1]);
  });
  it('yarn classic: the resolved and integrity lines', () => {
    const yarn = '# yarn lockfile v1\n\nms@^2.1.1:\n  version "2.1.3"\n  resolved "http://p.example.com/ms/-/ms-2.1.3.tgz"\n  integrity sha1-V0yBOM4dK1hh8mRFvXPRz6/ORcg=\n';
    expect(run('lockfile-insecure-source', { 'yarn.lock': yarn }).map((f) => [f.line, f.column, f.endColumn])).toEqual([[5, 3, '  resolved "http://p.example.com/ms/-/ms-2.1.3.tgz"'.length + 1]]);
    expect(run('lockfile-integrity', { 'yarn.lock': yarn }).map((f) => f.line)).toEqual([6]);
  });
  it('unpinned-git-dependency: the resolved line of a package-lock git entry', () => {
    const text = packageLock({ 'node_modules/t': { version: '1.0.0', resolved: 'git+ssh://git@example.com/u/t.git' } });
    expect(run('unpinned-git-dependency', { 'package-lock.json': text }).map((f) => f.line)).toEqual([lines(text).findIndex((l) => l.includes('"resolved": "git+ssh')) + 1]);
  });
  it('a field of a nested object is never taken for the entry\'s own', () => {
    const text = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {},\n    "node_modules/a": {\n      "version": "1.0.0",\n      "engines": { "resolved": "x" },\n      "resolved": "http://p.example.com/a-1.0.0.tgz"\n    }\n  }\n}\n';
    expect(run('lockfile-insecure-source', { 'package-lock.json': text }).map((f) => f.line)).toEqual([5]);
  });
});
