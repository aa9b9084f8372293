import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/parsers/lockfiles/index.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const run = (files: Record<string, string>) =>
  scanFiles(files, { rules: [rules.find((r) => r.id === 'lockfile-drift')!] }).findings.map((f) => `${f.path}:${f.line} ${f.message.split(' ')[0]}`);

/** A pnpm 9 workspace lockfile as pnpm 10/11 writes it, with `link:` versions for workspace packages (linkWorkspacePackages). */
const pnpmLock = [
  '---',
  "lockfileVersion: '9.0'",
  '',
  'importers:',
  '',
  '  .:',
  '    configDependencies: {}',
  '',
  '---',
  "lockfileVersion: '9.0'",
  '',
  'settings:',
  '  autoInstallPeers: false',
  '  excludeLinksFromLockfile: false',
  '',
  'importers:',
  '',
  '  .:',
  '    devDependencies:',
  "      '@astrojs/check':",
  '        specifier: ^0.9.5',
  '        version: link:packages/language-tools/astro-check',
  '      typescript:',
  '        specifier: ^5.9.3',
  '        version: 5.9.3',
  '',
  '  examples/with-vitest:',
  '    dependencies:',
  '      astro:',
  '        specifier: ^7.2.4',
  '        version: link:../../packages/astro',
  '      vitest:',
  '        specifier: ^4.1.0',
  '        version: 4.1.0(@types/node@22.19.19)(yaml@2.9.0)',
  '',
  '  packages/astro:',
  '    dependencies:',
  '      typescript:',
  '        specifier: ^5.9.3',
  '        version: 5.9.3',
  '',
  'packages:',
  '',
  '  typescript@5.9.3:',
  '    resolution: {integrity: sha512-AAAA}',
  '    hasBin: true',
  '',
  '  vitest@4.1.0:',
  '    resolution: {integrity: sha512-BBBB}',
  '',
].join('\n');

const workspace = "packages:\n  - 'packages/*'\n  - 'examples/*'\n";
const rootManifest = JSON.stringify({ name: 'root', private: true, devDependencies: { '@astrojs/check': '^0.9.5', typescript: '^5.9.3' } }, null, 2);
const example = (deps: Record<string, string>) => JSON.stringify({ name: '@example/with-vitest', private: true, dependencies: deps }, null, 2);

describe('lockfile-drift: workspace links never drift', () => {
  it('pnpm importers resolving a dependency to `link:` are not "missing from the lockfile"', () => {
    const found = run({
      'package.json': rootManifest,
      'pnpm-workspace.yaml': workspace,
      'pnpm-lock.yaml': pnpmLock,
      'examples/with-vitest/package.json': example({ astro: '^7.2.4', vitest: '^4.1.0' }),
      'packages/astro/package.json': JSON.stringify({ name: 'astro', version: '7.2.4', dependencies: { typescript: '^5.9.3' } }),
    });
    expect(found).toEqual([]);
  });

  it('a dependency that really is missing, or locked outside its range, is still reported in a linked workspace', () => {
    const found = run({
      'package.json': rootManifest,
      'pnpm-workspace.yaml': workspace,
      'pnpm-lock.yaml': pnpmLock,
      'examples/with-vitest/package.json': example({ astro: '^7.2.4', vitest: '^5.0.0', react: '^18.3.1' }),
    });
    expect(found).toEqual(['examples/with-vitest/package.json:6 vitest@^5.0.0', 'examples/with-vitest/package.json:7 react@^18.3.1']);
  });

  it('the pnpm parser reads importers of v9 workspaces, v6 single projects and v5', () => {
    expect(parseLockfile('pnpm-lock.yaml', pnpmLock, [])!.importers?.get('examples/with-vitest')?.get('astro')).toBe('link:../../packages/astro');
    const v6 = "lockfileVersion: '6.0'\n\ndependencies:\n  fetch-factory:\n    specifier: ^0.0.1\n    version: 0.0.1\n  local:\n    specifier: link:../local\n    version: link:../local\n\npackages:\n\n  /fetch-factory@0.0.1:\n    resolution: {integrity: sha512-CCCC}\n";
    expect([...parseLockfile('pnpm-lock.yaml', v6, [])!.importers!.get('.')!]).toEqual([
      ['fetch-factory', '0.0.1'],
      ['local', 'link:../local'],
    ]);
    const v5 = 'lockfileVersion: 5.4\n\nimporters:\n\n  packages/a:\n    specifiers:\n      b: workspace:*\n    dependencies:\n      b: link:../b\n\npackages:\n';
    expect(parseLockfile('pnpm-lock.yaml', v5, [])!.importers!.get('packages/a')!.get('b')).toBe('link:../b');
  });
});
