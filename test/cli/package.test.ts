/**
 * The npm package works alone: `npm pack` ships only the bundle and its documents, the tarball installs offline into
 * an empty prefix (no runtime dependencies to fetch: the bundle carries them), and the installed `portcullis` scans
 * a tree from another directory with the same verdict as the repository's own bundle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'pc-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm package', () => {
  it('package.json declares a public package with no runtime dependencies and a bin', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['private']).toBeUndefined();
    expect(pkg['dependencies']).toBeUndefined();
    expect(pkg['bin']).toEqual({ portcullis: 'dist/cli.js' });
    expect(pkg['engines']).toEqual({ node: '>=20' });
  });

  it('packs only the bundle and its documents, installs offline and scans from another directory', () => {
    const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repoRoot, env, encoding: 'utf8' })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path).sort();
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('LICENSE');
    expect(files).toContain('action.yml');
    const outside = files.filter((f) => !/^(dist\/|schema\/|action\.yml$|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f));
    expect(outside).toEqual([]);

    const prefix = join(scratch, 'prefix');
    execFileSync('npm', ['install', '--global', '--offline', '--prefix', prefix, join(scratch, packed[0]!.filename)], { cwd: scratch, env, encoding: 'utf8' });
    const bin = join(prefix, 'bin', 'portcullis');
    const version = spawnSync(bin, ['--version'], { cwd: scratch, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const scan = spawnSync(bin, ['scan', '--root', join(repoRoot, 'fixtures', 'demo'), '--format', 'json'], { cwd: scratch, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(scan.status).toBe(1);
    const mine = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', '--root', join(repoRoot, 'fixtures', 'demo'), '--format', 'json'], {
      cwd: scratch,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(scan.stdout).toBe(mine.stdout);
  }, 120_000);
});
