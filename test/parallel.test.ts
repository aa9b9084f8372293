// Worker threads must not change a single byte of any report: the committed CLI bundle scans a
// generated monorepo (plus the demo) on one thread and on three, and the reports are compared whole.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonReport } from '../src/reporters/json.js';
import { parallelScan } from '../src/parallel.js';
import { scanDirectory } from '../src/scan.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'portcullis-parallel-'));
const tree = join(scratch, 'tree');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  // About 2,000 files: dozens of chunks, so the worker threads get some of them whatever the machine's load.
  execFileSync(process.execPath, [join(root, 'bench', 'gen-monorepo.mjs'), tree, '--scale', '0.2'], { stdio: 'ignore' });
  cpSync(join(root, 'fixtures', 'demo'), join(tree, 'demo'), { recursive: true });
}, 60_000);

function scan(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'scan', tree, '--fail-on', 'never', '--stats', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  const stats = JSON.parse(/^stats: (.*)$/m.exec(r.stderr)![1]!) as { filesRead: number; threads?: { threads: number; chunks: number; byWorkers: number } };
  return { stdout: r.stdout, stats };
}

describe('parallel scan', () => {
  it('writes byte-identical JSON and SARIF reports on the main thread, on one worker and on three', async () => {
    const one = scan(['--jobs', '1', '--format', 'json']);
    const three = scan(['--jobs', '3', '--format', 'json']);
    expect(one.stats.threads!.threads).toBe(1);
    // At most one worker per core (--jobs is capped).
    expect(three.stats.threads!.threads).toBe(Math.min(3, availableParallelism()));
    expect(three.stats.threads!.chunks).toBeGreaterThan(10);
    expect(three.stats.threads!.byWorkers).toBeGreaterThan(0);
    expect(three.stats.filesRead).toBe(one.stats.filesRead);
    const report = JSON.parse(one.stdout) as { findings: unknown[]; notices: unknown[] };
    expect(report.findings.length).toBeGreaterThan(300);
    expect(three.stdout).toBe(one.stdout);
    const main = await scanDirectory(tree, { failOn: 'never', repository: true }); // as the CLI scans it
    expect(`${JSON.stringify(toJsonReport(main), null, 2)}\n`).toBe(one.stdout);
    expect(scan(['--jobs', '3', '--format', 'sarif']).stdout).toBe(scan(['--jobs', '1', '--format', 'sarif']).stdout);
  }, 120_000);

  it('caps --jobs at the number of cores, and says so', () => {
    const r = spawnSync(process.execPath, [cli, 'scan', tree, '--jobs', '64', '--fail-on', 'never', '--stats', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const cores = availableParallelism();
    if (cores < 64) expect(r.stderr).toContain(`portcullis: --jobs 64 capped at ${cores}, the number of cores`);
    expect(JSON.parse(/^stats: (.*)$/m.exec(r.stderr)![1]!).threads.threads).toBe(Math.min(64, cores));
    // Not capped, not mentioned, when it fits.
    expect(spawnSync(process.execPath, [cli, 'scan', tree, '--jobs', '1', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stderr).not.toContain('capped');
  }, 60_000);

  it('rejects a --jobs that is not a whole number from 1 to 64', () => {
    for (const bad of ['0', '-1', '1.5', 'many', '65']) {
      const r = spawnSync(process.execPath, [cli, 'scan', tree, `--jobs=${bad}`], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--jobs must be a whole number from 1 to 64');
    }
  });

  it('checks every chunk on the main thread when no worker can start, with the same result', async () => {
    const demo = join(root, 'fixtures', 'demo');
    const parallel = parallelScan(new URL('file:///nonexistent/portcullis-worker.js'), 3, 0);
    const threaded = await scanDirectory(demo, { failOn: 'never', parallel });
    const single = await scanDirectory(demo, { failOn: 'never' });
    expect(parallel.last).toMatchObject({ threads: Math.min(3, availableParallelism()), byWorkers: 0 });
    expect(parallel.last!.chunks).toBeGreaterThan(0);
    expect(JSON.stringify(toJsonReport(threaded))).toBe(JSON.stringify(toJsonReport(single)));
  });

  it('declines small trees and custom rule lists: one thread, as before', async () => {
    const demo = join(root, 'fixtures', 'demo');
    const parallel = parallelScan(new URL('file:///nonexistent/portcullis-worker.js'), 3);
    await scanDirectory(demo, { failOn: 'never', parallel });
    expect(parallel.last).toBeUndefined();
  });
});
