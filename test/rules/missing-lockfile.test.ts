import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/supply-chain/missing-lockfile.js';
import { scanFiles } from '../../src/scan.js';
import type { Rule } from '../../src/core/types.js';

const scan = (files: Record<string, string>) => scanFiles(files, { rules: [rule as Rule] }).findings.filter((f) => f.ruleId === 'missing-lockfile');

const PKG = '{\n  "name": "app",\n  "dependencies": { "left-pad": "1.3.0" }\n}\n';
const member = (name: string) => `{\n  "name": "${name}",\n  "dependencies": { "zod": "^3.23.0" }\n}\n`;

describe('missing-lockfile: npm, yarn, pnpm, bun', () => {
  it('flags package.json with dependencies and no lockfile, at the dependencies key', () => {
    const [f, ...rest] = scan({ 'package.json': PKG });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ path: 'package.json', line: 3, column: 3, severity: 'high', confidence: 'high' });
    expect(f!.message).toContain('npm install --package-lock-only');
    expect(f!.message).toContain('package-lock.json');
    expect(f!.message).toContain('1 dependency ');
  });

  it.each(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'])('accepts %s beside it', (lock) => {
    expect(scan({ 'web/package.json': PKG, [`web/${lock}`]: '' })).toEqual([]);
  });

  it('does not accept a lockfile in an unrelated directory', () => {
    expect(scan({ 'web/package.json': PKG, 'package-lock.json': '{}' })).toHaveLength(1);
  });

  it('names the package manager from packageManager', () => {
    const [f] = scan({ 'package.json': '{"packageManager": "pnpm@9.1.0", "devDependencies": {"vitest": "*"}}' });
    expect(f!.message).toContain('`pnpm install`');
    expect(f!.message).toContain('pnpm-lock.yaml');
  });

  it('stays silent for package.json without installable dependencies', () => {
    expect(scan({ 'package.json': '{"name": "x", "dependencies": {}, "peerDependencies": {"react": "*"}}' })).toEqual([]);
  });

  it('npm workspaces: a member is covered by the root lockfile, and flagged (pointing at the root) without it', () => {
    const root = '{ "private": true, "workspaces": ["packages/*"] }\n';
    expect(scan({ 'package.json': root, 'package-lock.json': '{}', 'packages/api/package.json': member('api') })).toEqual([]);
    const findings = scan({ 'package.json': root, 'packages/api/package.json': member('api'), 'packages/web/package.json': member('web') });
    expect(findings.map((f) => f.path)).toEqual(['packages/api/package.json', 'packages/web/package.json']);
    expect(findings[0]!.message).toContain('workspace root (the repository root, declared by package.json)');
    expect(findings[0]!.related).toEqual([{ path: 'package.json', at: { line: 1, column: 1, endLine: 1, endColumn: 50 }, label: 'the workspace root, where the lockfile belongs' }]);
  });

  it('npm workspaces: a package outside the member globs needs its own lockfile', () => {
    const files = { 'package.json': '{"workspaces": ["packages/*", "!packages/legacy"]}', 'package-lock.json': '{}' };
    expect(scan({ ...files, 'tools/x/package.json': member('x') })).toHaveLength(1);
    expect(scan({ ...files, 'packages/legacy/package.json': member('legacy') })).toHaveLength(1);
    expect(scan({ ...files, 'packages/ok/package.json': member('ok') })).toEqual([]);
  });

  it('yarn workspaces in object form, nested under a sub-directory root', () => {
    const root = '{"private": true, "workspaces": {"packages": ["libs/**"]}, "packageManager": "yarn@4.1.0"}';
    expect(scan({ 'js/package.json': root, 'js/yarn.lock': '', 'js/libs/a/b/package.json': member('b') })).toEqual([]);
    const [f] = scan({ 'js/package.json': root, 'js/libs/a/package.json': member('a') });
    expect(f!.message).toContain('`yarn install` in js/');
    expect(f!.message).toContain('commit yarn.lock');
  });

  it('pnpm-workspace.yaml: members are covered by pnpm-lock.yaml at the workspace root', () => {
    const ws = "packages:\n  - 'apps/*'\n";
    expect(scan({ 'pnpm-workspace.yaml': ws, 'package.json': '{"name": "root"}', 'pnpm-lock.yaml': '', 'apps/site/package.json': member('site') })).toEqual([]);
    const [f] = scan({ 'pnpm-workspace.yaml': ws, 'apps/site/package.json': member('site') });
    expect(f!.message).toContain('`pnpm install`');
    expect(f!.message).toContain('declared by pnpm-workspace.yaml');
  });
});

describe('missing-lockfile: Python', () => {
  it('Pipfile needs Pipfile.lock', () => {
    const pipfile = '[packages]\nrequests = "*"\n';
    const [f] = scan({ Pipfile: pipfile });
    expect(f).toMatchObject({ line: 1 });
    expect(f!.message).toContain('`pipenv lock`');
    expect(scan({ Pipfile: pipfile, 'Pipfile.lock': '{}' })).toEqual([]);
  });

  it('pyproject.toml with Poetry needs poetry.lock', () => {
    const py = '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "*"\n';
    const [f] = scan({ 'svc/pyproject.toml': py });
    expect(f).toMatchObject({ path: 'svc/pyproject.toml', line: 4, confidence: 'high' });
    expect(f!.message).toContain('`poetry lock` in svc/');
    expect(scan({ 'svc/pyproject.toml': py, 'svc/poetry.lock': '' })).toEqual([]);
  });

  it('pyproject.toml with PDM needs pdm.lock', () => {
    const py = '[project]\ndependencies = ["flask"]\n\n[tool.pdm]\n';
    expect(scan({ 'pyproject.toml': py })[0]!.message).toContain('`pdm lock`');
    expect(scan({ 'pyproject.toml': py, 'pdm.lock': '' })).toEqual([]);
  });

  it('plain PEP 621 dependencies are flagged with medium confidence and every tool named', () => {
    const [f] = scan({ 'pyproject.toml': '[project]\nname = "lib"\ndependencies = ["attrs"]\n' });
    expect(f).toMatchObject({ line: 3, confidence: 'medium' });
    expect(f!.message).toContain('`uv lock` or `poetry lock` or `pdm lock`');
  });

  it('a pyproject without dependencies and a requirements file are left alone', () => {
    expect(scan({ 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\n', 'requirements.txt': 'flask\n' })).toEqual([]);
  });

  it('uv workspace members are covered by uv.lock at the workspace root', () => {
    const root = '[project]\nname = "root"\ndependencies = []\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n';
    const memberPy = '[project]\nname = "a"\ndependencies = ["httpx"]\n';
    expect(scan({ 'pyproject.toml': root, 'uv.lock': '', 'packages/a/pyproject.toml': memberPy })).toEqual([]);
    const [f] = scan({ 'pyproject.toml': root, 'packages/a/pyproject.toml': memberPy });
    expect(f!.message).toContain('`uv lock` in the repository root');
  });
});

describe('missing-lockfile: Ruby, PHP, Go', () => {
  it('Gemfile needs Gemfile.lock', () => {
    const gemfile = "source 'https://gems.mirror.example'\ngem 'rails'\n";
    expect(scan({ Gemfile: gemfile })[0]).toMatchObject({ line: 2, message: expect.stringContaining('`bundle lock`') });
    expect(scan({ Gemfile: gemfile, 'Gemfile.lock': '' })).toEqual([]);
  });

  it('composer.json needs composer.lock, unless it only requires the platform', () => {
    const composer = '{\n  "require": { "guzzlehttp/guzzle": "^7.8" }\n}\n';
    expect(scan({ 'composer.json': composer })[0]).toMatchObject({ line: 2, message: expect.stringContaining('`composer install`') });
    expect(scan({ 'composer.json': composer, 'composer.lock': '{}' })).toEqual([]);
    expect(scan({ 'composer.json': '{"require": {"php": "^8.2"}}' })).toEqual([]);
  });

  it('go.mod with requires needs go.sum; without requires it does not', () => {
    const gomod = 'module x\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n';
    expect(scan({ 'go.mod': gomod })[0]).toMatchObject({ line: 5, column: 1, endColumn: 8, message: expect.stringContaining('`go mod tidy`') });
    expect(scan({ 'go.mod': gomod, 'go.sum': '' })).toEqual([]);
    expect(scan({ 'go.mod': 'module x\n\ngo 1.22\n' })).toEqual([]);
  });
});

describe('missing-lockfile: Cargo', () => {
  const crate = (name: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\n\n[dependencies]\nanyhow = "1"\n`;

  it('a crate with dependencies needs Cargo.lock', () => {
    const [f] = scan({ 'Cargo.toml': crate('a') });
    expect(f).toMatchObject({ line: 5, message: expect.stringContaining('`cargo generate-lockfile`') });
    expect(scan({ 'Cargo.toml': crate('a'), 'Cargo.lock': '' })).toEqual([]);
  });

  it('workspace members are covered by Cargo.lock at the workspace root, and excluded members are not', () => {
    const root = '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\n';
    expect(scan({ 'Cargo.toml': root, 'Cargo.lock': '', 'crates/a/Cargo.toml': crate('a') })).toEqual([]);
    expect(scan({ 'Cargo.toml': root, 'Cargo.lock': '', 'crates/legacy/Cargo.toml': crate('legacy') })).toHaveLength(1);
    const [f] = scan({ 'Cargo.toml': root, 'crates/a/Cargo.toml': crate('a') });
    expect(f).toMatchObject({ path: 'crates/a/Cargo.toml', related: [{ path: 'Cargo.toml', label: 'the workspace root, where the lockfile belongs' }] });
  });

  it('follows an explicit package.workspace path', () => {
    const member = '[package]\nname = "b"\nworkspace = "../.."\n\n[dependencies]\nlog = "0.4"\n';
    expect(scan({ 'rust/Cargo.toml': '[workspace]\n', 'rust/Cargo.lock': '', 'rust/x/b/Cargo.toml': member })).toEqual([]);
  });
});
