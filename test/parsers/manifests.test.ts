import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/core/types.js';
import { isManifestPath, parseManifest, type ManifestDoc, type PackageManifest } from '../../src/parsers/manifests/index.js';
import { topLevelKeys } from '../../src/parsers/manifests/json.js';
import { matchesMembers, normalisePath } from '../../src/parsers/manifests/workspace.js';

function parse(path: string, text: string): { doc: ManifestDoc | undefined; notices: Notice[] } {
  const notices: Notice[] = [];
  return { doc: parseManifest(path, text, notices), notices };
}

function manifest(path: string, text: string): PackageManifest {
  const { doc, notices } = parse(path, text);
  expect(notices).toEqual([]);
  expect(doc?.role).toBe('manifest');
  return doc as PackageManifest;
}

describe('isManifestPath', () => {
  it.each([
    'package.json', 'a/b/package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'bun.lock', 'bun.lockb',
    'Pipfile', 'Pipfile.lock', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'pdm.lock', 'requirements.txt', 'svc/requirements-dev.txt',
    'go.mod', 'go.sum', 'Cargo.toml', 'Cargo.lock', 'Gemfile', 'Gemfile.lock', 'composer.json', 'composer.lock',
  ])('recognises %s', (p) => expect(isManifestPath(p)).toBe(true));

  it.each(['package.json.bak', 'src/package.ts', 'Cargo.toml.orig', 'requirements.md', 'gemfile.txt', 'tsconfig.json'])('ignores %s', (p) =>
    expect(isManifestPath(p)).toBe(false));
});

describe('lockfiles', () => {
  it('are recognised without being parsed (even when not valid)', () => {
    expect(parse('web/package-lock.json', '{ not json').doc).toEqual({ role: 'lockfile', ecosystem: 'npm', path: 'web/package-lock.json', name: 'package-lock.json' });
    expect(parse('Cargo.lock', '').doc).toMatchObject({ role: 'lockfile', ecosystem: 'cargo' });
    expect(parse('go.sum', 'x').doc).toMatchObject({ role: 'lockfile', ecosystem: 'go' });
    expect(parse('poetry.lock', '').notices).toEqual([]);
  });
});

describe('package.json', () => {
  it('points at the dependencies key and counts dependencies of every installed kind', () => {
    const m = manifest('package.json', '{\n  "name": "x",\n  "devDependencies": { "a": "1" },\n  "dependencies": {\n    "b": "1", "c": "2"\n  }\n}\n');
    expect(m.dependencies).toEqual({ span: { line: 4, column: 3, endLine: 4, endColumn: 17 }, count: 3 });
    expect(m.isWorkspaceRoot).toBe(false);
  });

  it('falls back to devDependencies, and has no dependencies when the objects are empty or absent', () => {
    expect(manifest('package.json', '{"dependencies": {}, "devDependencies": {"a": "1"}}').dependencies?.span).toEqual({ line: 1, column: 22, endLine: 1, endColumn: 39 });
    expect(manifest('package.json', '{"dependencies": {}, "peerDependencies": {"react": "*"}}').dependencies).toBeUndefined();
    expect(manifest('package.json', '{"name": "x"}').dependencies).toBeUndefined();
  });

  it('ignores nested keys named like top-level ones', () => {
    const m = manifest('package.json', '{"config": {"dependencies": {"x": 1}}, "dependencies": {"y": "1"}}');
    expect(m.dependencies?.span.column).toBe(40);
  });

  it('reads workspaces in array and object form, and the package manager', () => {
    expect(manifest('package.json', '{"workspaces": ["packages/*", "apps/*"]}')).toMatchObject({ isWorkspaceRoot: true, workspaces: ['packages/*', 'apps/*'] });
    expect(manifest('package.json', '{"workspaces": {"packages": ["libs/**"]}, "packageManager": "yarn@4.1.0"}')).toMatchObject({
      isWorkspaceRoot: true,
      workspaces: ['libs/**'],
      tools: ['yarn'],
    });
  });

  it('handles a BOM and CRLF line endings', () => {
    const m = manifest('package.json', '\ufeff{\r\n  "name": "x",\r\n  "dependencies": {"a": "1"}\r\n}\r\n');
    expect(m.dependencies?.span).toEqual({ line: 3, column: 3, endLine: 3, endColumn: 17 });
  });

  it('turns invalid JSON into a notice with its line and never throws', () => {
    const { doc, notices } = parse('web/package.json', '{\n  "name": "x",\n  "dependencies": {\n    "a": "1",\n  }\n}\n');
    expect(doc).toBeUndefined();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ path: 'web/package.json', line: 5 });
    expect(notices[0]!.message).toMatch(/^invalid JSON/);
  });

  it('reports an empty file and a non-object top level', () => {
    expect(parse('package.json', '').notices).toEqual([{ path: 'package.json', line: 1, message: 'invalid JSON: the file is empty' }]);
    expect(parse('package.json', '[1, 2]').notices[0]?.message).toMatch(/not a JSON object/);
  });
});

describe('topLevelKeys', () => {
  it('finds keys with escapes and skips strings inside values', () => {
    const text = '{"a\\"b": "x,\\"y\\": 1", "c": [{"d": 1}], "e": 2}';
    expect([...topLevelKeys(text).keys()]).toEqual(['a"b', 'c', 'e']);
  });
});

describe('composer.json', () => {
  it('points at require and skips platform requirements', () => {
    const m = manifest('composer.json', '{\n  "require": {\n    "php": ">=8.1",\n    "ext-json": "*",\n    "monolog/monolog": "^3.0"\n  }\n}\n');
    expect(m.dependencies).toEqual({ span: { line: 2, column: 3, endLine: 2, endColumn: 12 }, count: 1 });
    expect(manifest('composer.json', '{"require": {"php": "^8.2", "ext-mbstring": "*"}}').dependencies).toBeUndefined();
  });
});

describe('pyproject.toml', () => {
  it('points at PEP 621 dependencies and names the tool', () => {
    const m = manifest('pyproject.toml', '[project]\nname = "x"\ndependencies = [\n  "httpx>=0.27",\n  "rich",\n]\n\n[tool.uv]\ndev-dependencies = ["pytest"]\n');
    expect(m.dependencies).toEqual({ span: { line: 3, column: 1, endLine: 3, endColumn: 17 }, count: 3 });
    expect(m.tools).toEqual(['uv']);
  });

  it('points at the Poetry dependencies table, not counting python', () => {
    const m = manifest('pyproject.toml', '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2.31"\n');
    expect(m.dependencies).toEqual({ span: { line: 4, column: 1, endLine: 4, endColumn: 27 }, count: 1 });
    expect(m.tools).toEqual(['poetry']);
    expect(manifest('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\n').dependencies).toBeUndefined();
  });

  it('counts Poetry groups and PDM dev dependencies', () => {
    const poetry = manifest('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n');
    expect(poetry.dependencies).toMatchObject({ span: { line: 4 }, count: 1 });
    const pdm = manifest('pyproject.toml', '[build-system]\nbuild-backend = "pdm.backend"\n\n[tool.pdm.dev-dependencies]\ntest = ["pytest"]\n');
    expect(pdm.dependencies).toMatchObject({ span: { line: 4 }, count: 1 });
    expect(pdm.tools).toEqual(['pdm']);
  });

  it('has no dependencies for a build-only pyproject, and reads uv workspaces', () => {
    expect(manifest('pyproject.toml', '[build-system]\nrequires = ["setuptools"]\n[tool.ruff]\nline-length = 100\n').dependencies).toBeUndefined();
    expect(manifest('pyproject.toml', '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/old"]\n')).toMatchObject({
      isWorkspaceRoot: true,
      workspaces: ['packages/*'],
      workspaceExclude: ['packages/old'],
    });
  });

  it('is not fooled by header-like text inside multi-line strings', () => {
    const m = manifest('pyproject.toml', '[project]\ndescription = """\n[tool.poetry.dependencies]\n"""\ndependencies = ["a"]\n');
    expect(m.dependencies?.span.line).toBe(5);
  });

  it('turns invalid TOML into a notice with its line', () => {
    const { doc, notices } = parse('svc/pyproject.toml', '[project]\nname = "x"\ndependencies = [\n');
    expect(doc).toBeUndefined();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ path: 'svc/pyproject.toml', line: expect.any(Number) });
    expect(notices[0]!.message).toMatch(/^invalid TOML/);
    expect(parse('pyproject.toml', 'a = 1\nb = \n').notices[0]?.line).toBe(2);
  });

  it('accepts an empty file and CRLF', () => {
    expect(manifest('pyproject.toml', '').dependencies).toBeUndefined();
    expect(manifest('pyproject.toml', '[project]\r\ndependencies = ["a"]\r\n').dependencies?.span).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 21 });
  });
});

describe('Cargo.toml', () => {
  it('points at [dependencies] and counts every dependency table', () => {
    const m = manifest('Cargo.toml', '[package]\nname = "x"\n\n[dependencies]\nserde = "1"\n\n[dev-dependencies]\ninsta = "1"\n\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n');
    expect(m.dependencies).toEqual({ span: { line: 4, column: 1, endLine: 4, endColumn: 15 }, count: 3 });
  });

  it('finds dotted dependency tables, target-only and workspace dependencies', () => {
    expect(manifest('Cargo.toml', '[package]\nname = "x"\n[dependencies.serde]\nversion = "1"\n').dependencies).toMatchObject({ span: { line: 3 }, count: 1 });
    expect(manifest('Cargo.toml', '[target."cfg(windows)".dependencies]\nwinapi = "0.3"\n').dependencies).toMatchObject({ span: { line: 1 }, count: 1 });
    const ws = manifest('Cargo.toml', '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\n\n[workspace.dependencies]\ntokio = "1"\n');
    expect(ws).toMatchObject({ isWorkspaceRoot: true, workspaces: ['crates/*'], workspaceExclude: ['crates/legacy'], dependencies: { span: { line: 5 }, count: 1 } });
  });

  it('reads an explicit package.workspace and has no dependencies when none are declared', () => {
    const m = manifest('crates/a/Cargo.toml', '[package]\nname = "a"\nworkspace = "../.."\n');
    expect(m.workspacePath).toBe('../..');
    expect(m.dependencies).toBeUndefined();
  });
});

describe('Pipfile', () => {
  it('points at [packages], then [dev-packages]', () => {
    expect(manifest('Pipfile', '[[source]]\nurl = "https://pypi.mirror.example/simple"\n\n[packages]\nrequests = "*"\n').dependencies).toEqual({
      span: { line: 4, column: 1, endLine: 4, endColumn: 11 },
      count: 1,
    });
    expect(manifest('Pipfile', '[packages]\n\n[dev-packages]\npytest = "*"\n').dependencies?.span.line).toBe(3);
    expect(manifest('Pipfile', '[packages]\n').dependencies).toBeUndefined();
  });
});

describe('Gemfile', () => {
  it('points at the first gem line', () => {
    const m = manifest('Gemfile', "source 'https://gems.mirror.example'\n\n  gem 'rails', '~> 7.1'\ngem(\"puma\")\n# gem 'old'\n");
    expect(m.dependencies).toEqual({ span: { line: 3, column: 3, endLine: 3, endColumn: 24 }, count: 2 });
    expect(manifest('Gemfile', "source 'https://gems.mirror.example'\ngemspec\n").dependencies?.count).toBe(1);
    expect(manifest('Gemfile', '').dependencies).toBeUndefined();
  });
});

describe('go.mod', () => {
  it('points at the require directive and counts block and single requires', () => {
    const m = manifest('go.mod', 'module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d v1.2.0 // indirect\n)\n\nrequire github.com/e/f v0.1.0\n');
    expect(m.dependencies).toEqual({ span: { line: 5, column: 1, endLine: 5, endColumn: 8 }, count: 3 });
    expect(manifest('go.mod', 'module x\n\ngo 1.22\n').dependencies).toBeUndefined();
    expect(manifest('go.mod', 'module x\nrequire ()\n').dependencies).toBeUndefined();
  });
});

describe('requirements*.txt and pnpm-workspace.yaml', () => {
  it('counts requirement lines', () => {
    expect(manifest('requirements-dev.txt', '# tools\n-r requirements.txt\npytest==8.0.0  # test\n-e ./lib\n').dependencies).toMatchObject({ span: { line: 3 }, count: 2 });
  });

  it('reads pnpm workspace globs, and reports invalid YAML', () => {
    expect(parse('pnpm-workspace.yaml', "packages:\n  - 'packages/*'\n  - '!**/test/**'\n").doc).toMatchObject({ role: 'workspace', workspaces: ['packages/*', '!**/test/**'] });
    const bad = parse('pnpm-workspace.yaml', 'packages: [a\n');
    expect(bad.doc).toBeUndefined();
    expect(bad.notices[0]?.message).toMatch(/^invalid YAML/);
  });
});

describe('workspace helpers', () => {
  it('matches member globs with negations and excludes', () => {
    expect(matchesMembers('packages/api', ['packages/*'])).toBe(true);
    expect(matchesMembers('packages/api', ['./packages/*/'])).toBe(true);
    expect(matchesMembers('packages/api/sub', ['packages/*'])).toBe(false);
    expect(matchesMembers('packages/api/sub', ['packages/**'])).toBe(true);
    expect(matchesMembers('packages/old', ['packages/*', '!packages/old'])).toBe(false);
    expect(matchesMembers('crates/legacy', ['crates/*'], ['crates/legacy'])).toBe(false);
  });

  it('normalises relative paths', () => {
    expect(normalisePath('crates/a/../..')).toBe('');
    expect(normalisePath('a/./b/../c')).toBe('a/c');
    expect(normalisePath('../x')).toBeUndefined();
  });
});
