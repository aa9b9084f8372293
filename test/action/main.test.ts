import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const scan = vi.hoisted(() => ({ fail: undefined as Error | undefined }));
vi.mock('../../src/scan.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/scan.js')>();
  return {
    ...real,
    scanDirectory: (...args: Parameters<typeof real.scanDirectory>) => (scan.fail ? Promise.reject(scan.fail) : real.scanDirectory(...args)),
  };
});
const { run } = await import('../../src/action/main.js');

let out: string;
const saved = { ...process.env };
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'pc-main-')));
  writeFileSync(join(ws, 'Dockerfile'), 'FROM alpine:3.20@sha256:' + 'a'.repeat(64) + '\nUSER 10001\n');
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  process.env['GITHUB_WORKSPACE'] = ws;
  process.env['RUNNER_TEMP'] = join(ws, '..', `${ws.split('/').pop()}-tmp`);
  delete process.env['RUNNER_DEBUG'];
  scan.fail = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
});

describe('run', () => {
  it('passes a clean tree: exit code untouched, outputs set, no summary file needed', async () => {
    const outFile = join(process.env['RUNNER_TEMP']!, '..', 'gh-output');
    writeFileSync(outFile, '');
    process.env['GITHUB_OUTPUT'] = outFile;
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(out).not.toContain('::error');
    expect(out).toContain('No GITHUB_STEP_SUMMARY file: job summary skipped.');
    expect(readFileSync(outFile, 'utf8')).toMatch(/^result<<(\S+)\npass\n\1$/m);
    expect(readFileSync(outFile, 'utf8')).toMatch(/^blocking<<(\S+)\n0\n\1$/m);
  });

  it('turns an internal error into one line, without a stack trace', async () => {
    scan.fail = new Error('disk on fire\n    at somewhere (x.js:1:1)');
    await run();
    expect(process.exitCode).toBe(1);
    expect(out).toBe('::error::Portcullis could not complete the scan: disk on fire\n');
  });

  it('shows the stack as a debug line when RUNNER_DEBUG=1', async () => {
    scan.fail = new Error('disk on fire');
    process.env['RUNNER_DEBUG'] = '1';
    await run();
    expect(out).toMatch(/^::error::Portcullis could not complete the scan: disk on fire\n::debug::Error: disk on fire%0A {4}at /);
  });
});
