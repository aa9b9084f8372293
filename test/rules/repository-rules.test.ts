// The repository rules (codeowners-gaps, missing-dependency-updates, missing-security-policy): GitHub's CODEOWNERS
// semantics, what counts as an ecosystem, when they run at all, and hostile files that must stay bounded.
import { describe, expect, it } from 'vitest';
import { globsOf, ownerLine, parseCodeowners } from '../../src/analysis/codeowners.js';
import { parseConfig } from '../../src/core/config.js';
import { findRule, rules } from '../../src/rules/index.js';
import { scanFiles, type ScanOptions } from '../../src/scan.js';
import { CLEAN_REPOSITORY_FILES } from '../support/clean-repository.js';

const WORKFLOW = { '.github/workflows/ci.yml': 'on: push\njobs: {}\n' };
const run = (id: string, files: Record<string, string>, options: ScanOptions = {}) =>
  scanFiles(files, { rules: [findRule(id)!], repository: true, ...options }).findings;

describe('CODEOWNERS as GitHub reads it', () => {
  const owner = (text: string, path: string) => ownerLine(parseCodeowners(text), path)?.owners ?? null;

  it('anchors a pattern with a slash at its start or middle, matches one without at any depth, and owns what is under a matched folder', () => {
    expect(globsOf('/build/logs/')).toEqual(['build/logs/**']);
    expect(globsOf('apps/')).toEqual(['**/apps/**']);
    expect(globsOf('docs/*')).toEqual(['docs/*']);
    expect(owner('apps/ @a\n', 'x/apps/y/z.js')).toEqual(['@a']);
    expect(owner('docs/build @a\n', 'x/docs/build/z')).toBeNull();
    expect(owner('docs/build @a\n', 'docs/build/z')).toEqual(['@a']);
    expect(owner('*.js @a\n', 'src/deep/x.js')).toEqual(['@a']);
    expect(owner('**/logs @a\n', 'deeply/nested/logs/x.txt')).toEqual(['@a']);
  });

  it('matches only the direct files of a folder with a final /*, as GitHub documents', () => {
    expect(owner('docs/* @a\n', 'docs/getting-started.md')).toEqual(['@a']);
    expect(owner('docs/* @a\n', 'docs/build-app/troubleshooting.md')).toBeNull();
  });

  it('lets the last matching line win, and an owner-less line take ownership away', () => {
    const text = '* @org/all\n/.github/ @org/platform\n/.github/workflows/release.yml\n';
    expect(owner(text, '.github/workflows/ci.yml')).toEqual(['@org/platform']);
    expect(owner(text, '.github/workflows/release.yml')).toEqual([]);
    expect(owner(text, 'src/x.ts')).toEqual(['@org/all']);
  });

  it('reports the lines GitHub skips, each at its line, and gives them no effect', () => {
    const parsed = parseCodeowners('# comment\n!docs/ @a\nsrc/[ab].js @a\n\\#file @a\n* octocat\n* @octo-cat @org/team-1 dev@example.com # trailing comment\n');
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(parsed.errors.map((e) => e.message).join('\n')).toMatch(/negation[\s\S]*ranges[\s\S]*\\#[\s\S]*not an owner/);
    expect(parsed.rules.map((r) => [r.line, r.owners])).toEqual([[6, ['@octo-cat', '@org/team-1', 'dev@example.com']]]);
  });

  it('uses the first of .github/CODEOWNERS, CODEOWNERS and docs/CODEOWNERS', () => {
    const found = run('codeowners-gaps', { ...WORKFLOW, '.github/CODEOWNERS': '/src/ @a\n', CODEOWNERS: '* @a\n' });
    expect(found.map((f) => [f.path, f.line])).toEqual([['.github/CODEOWNERS', 1]]);
    expect(found[0]!.message).toContain('.github/workflows/ci.yml');
    expect(run('codeowners-gaps', { ...WORKFLOW, CODEOWNERS: '* @a\n', 'docs/CODEOWNERS': '/src/ @a\n' })).toEqual([]);
  });

  it('names the gate config, its configured baseline and action.yml when they are not owned', () => {
    const files = { ...WORKFLOW, 'action.yml': 'name: x\n', 'debt/base.json': '{}', '.github/CODEOWNERS': '/.github/workflows/ @a\n' };
    const config = parseConfig('baseline: ./debt/base.json\n', '.github/portcullis.yml', rules);
    const [f] = run('codeowners-gaps', files, { config });
    expect(f!.message).toContain('.github/portcullis.yml (the gate config, once added)');
    expect(f!.message).toContain('debt/base.json');
    expect(f!.message).toContain('action.yml');
    expect(f!.message).not.toContain('.github/workflows/ci.yml');
  });
});

describe('missing-dependency-updates', () => {
  const PKG = { 'package.json': '{ "dependencies": { "zod": "^3.23.0" } }\n' };
  const dependabot = (...ecosystems: string[]) => ({
    '.github/dependabot.yml': ['version: 2', 'updates:', ...ecosystems.map((e) => `  - package-ecosystem: ${e}\n    directory: /\n    schedule: { interval: weekly }`), ''].join('\n'),
  });

  it('asks nothing for an ecosystem seen only in examples, tests, docs or vendored code', () => {
    const files = { ...WORKFLOW, ...PKG, ...dependabot('npm', 'github-actions'), 'examples/app/Dockerfile': 'FROM node:22\n', 'test/fixtures/go.mod': 'module x\n', 'vendor/x/Gemfile': '' };
    expect(run('missing-dependency-updates', files)).toEqual([]);
    expect(run('missing-dependency-updates', { ...files, 'deploy/Dockerfile': 'FROM node:22\n' }).map((f) => f.message)).toEqual([expect.stringContaining('docker (deploy/Dockerfile)')]);
  });

  it('asks nothing for a package.json or pyproject.toml that declares no dependencies', () => {
    expect(run('missing-dependency-updates', { 'package.json': '{ "scripts": { "test": "node --test" } }\n', 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' })).toEqual([]);
  });

  it('checks Dependabot ecosystems and folders at their line, with a trailing /** matching the folder itself', () => {
    const yml = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directories: ["/web/**", "/api"]\n    schedule: { interval: weekly }\n  - package-ecosystem: yarn\n    directory: /\n';
    const found = run('missing-dependency-updates', { 'web/package.json': PKG['package.json'], '.github/dependabot.yml': yml });
    expect(found.map((f) => [f.path, f.line])).toEqual([['.github/dependabot.yml', 4]]);
    expect(found[0]!.message).toContain('`/api` (npm) is not a folder of this repository');
    expect(found[0]!.message).toContain('`package-ecosystem: yarn` is not an ecosystem Dependabot knows');
  });

  it('takes Renovate at its word unless enabledManagers or enabled: false limits it', () => {
    const files = { ...WORKFLOW, ...PKG };
    expect(run('missing-dependency-updates', { ...files, '.github/renovate.json5': '{ // comments are fine\n  extends: ["config:recommended"], }\n' })).toEqual([]);
    expect(run('missing-dependency-updates', { ...files, 'package.json': '{ "dependencies": { "zod": "1" }, "renovate": { "extends": ["config:base"] } }\n' })).toEqual([]);
    const limited = run('missing-dependency-updates', { ...files, '.renovaterc.json': '{\n  "enabledManagers": ["npm"]\n}\n' });
    expect(limited.map((f) => [f.path, f.line, f.message])).toEqual([['.renovaterc.json', 2, expect.stringContaining('github-actions (.github/workflows/ci.yml)')]]);
    expect(run('missing-dependency-updates', { ...files, 'renovate.json': '{ "enabled": false }' })).toHaveLength(1);
  });

  it('reports a config neither tool can read as a finding at its line, and goes on', () => {
    const bad = run('missing-dependency-updates', { ...WORKFLOW, '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n\tdirectory: /\n' });
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toMatch(/Dependabot cannot use it: invalid YAML/);
    expect(run('missing-dependency-updates', { ...WORKFLOW, 'renovate.json': '{ nope' })[0]!.message).toMatch(/Renovate cannot read it/);
    expect(run('missing-dependency-updates', { ...WORKFLOW, '.github/dependabot.yml': 'version: 2\nupdates: weekly\n' })[0]!.message).toContain('no `updates:` list');
  });
});

describe('when the repository rules run', () => {
  const bare = { ...WORKFLOW, 'Dockerfile': 'FROM node:22\n' };
  const ids = (options: ScanOptions) => scanFiles(bare, options).findings.map((f) => [f.ruleId, f.path]).filter(([, p]) => p === '.');

  it('on a scan of the whole root when asked, never on named paths', () => {
    expect(ids({ repository: true })).toEqual([
      ['codeowners-gaps', '.'],
      ['missing-dependency-updates', '.'],
      ['missing-security-policy', '.'],
    ]);
    expect(ids({})).toEqual([]);
    expect(ids({ repository: true, only: ['Dockerfile'] })).toEqual([]);
  });

  it('does not call a file missing that the scan was told not to look at', () => {
    expect(ids({ repository: true, exclude: ['.github/**', '*.md'] })).toEqual([]);
    // docs/ may hold CODEOWNERS and SECURITY.md; the update configs are never there
    expect(ids({ repository: true, exclude: ['docs'] })).toEqual([['missing-dependency-updates', '.']]);
  });

  it('say nothing on a repository that has the three files', () => {
    const repositoryRules = ['codeowners-gaps', 'missing-dependency-updates', 'missing-security-policy'];
    expect(scanFiles({ ...bare, ...CLEAN_REPOSITORY_FILES }, { repository: true }).findings.filter((f) => repositoryRules.includes(f.ruleId))).toEqual([]);
  });
});

describe('hostile files stay bounded', () => {
  it('a CODEOWNERS of 3 MB or more is one finding: GitHub ignores it', () => {
    const found = run('codeowners-gaps', { ...WORKFLOW, '.github/CODEOWNERS': `* @a\n${'#'.repeat(3 * 1024 * 1024)}\n` });
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining('3 MB or larger, and GitHub ignores such a file')]);
  });

  it('many rules are read up to a cap, and a pattern built to make matching slow is refused, not matched', () => {
    const many = `${'src/a/b/c/*.ts @a\n'.repeat(20_000)}`;
    const found = run('codeowners-gaps', { ...WORKFLOW, '.github/CODEOWNERS': many });
    expect(found[0]!.message).toContain('only its first 5000 rules were read');
    const slow = `${'**/'.repeat(40)}x @a\n${'a'.repeat(5000)} @a\n`;
    expect(parseCodeowners(slow).errors.map((e) => e.line)).toEqual([1, 2]);
  });

  it('a Dependabot config with thousands of entries and an alias bomb does not stop the scan', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => `  - package-ecosystem: npm\n    directory: /missing-${i}\n`).join('');
    const found = run('missing-dependency-updates', { ...WORKFLOW, '.github/dependabot.yml': `version: 2\nupdates:\n${entries}` });
    expect(found).toHaveLength(1);
    expect(found[0]!.related.length).toBeLessThanOrEqual(10);
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nupdates: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(run('missing-dependency-updates', { ...WORKFLOW, '.github/dependabot.yml': bomb })).toHaveLength(1);
  });
});
