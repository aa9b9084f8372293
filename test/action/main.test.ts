import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useActionEnvironment } from '../support/action-env.js';

const scan = vi.hoisted(() => ({ fail: undefined as Error | undefined }));
vi.mock('../../src/scan.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/scan.js')>();
  return {
    ...real,
    scanDirectory: (...args: Parameters<typeof real.scanDirectory>) => (scan.fail ? Promise.reject(scan.fail) : real.scanDirectory(...args)),
  };
});
const { run } = await import('../../src/action/main.js');

const action = useActionEnvironment('pc-main-', { debug: false });
beforeEach(() => {
  writeFileSync(join(action.ws, 'Dockerfile'), 'FROM alpine:3.20@sha256:' + 'a'.repeat(64) + '\nUSER 10001\n');
  scan.fail = undefined;
});

describe('run', () => {
  it('passes a clean tree: exit code untouched, outputs set, no summary file needed', async () => {
    const outFile = join(process.env['RUNNER_TEMP']!, '..', 'gh-output');
    writeFileSync(outFile, '');
    process.env['GITHUB_OUTPUT'] = outFile;
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(action.out).not.toContain('::error');
    expect(action.out).toContain('No GITHUB_STEP_SUMMARY file: job summary skipped.');
    expect(readFileSync(outFile, 'utf8')).toMatch(/^result<<(\S+)\npass\n\1$/m);
    expect(readFileSync(outFile, 'utf8')).toMatch(/^blocking<<(\S+)\n0\n\1$/m);
  });

  it('turns an internal error into one line, without a stack trace', async () => {
    scan.fail = new Error('disk on fire\n    at somewhere (x.js:1:1)');
    await run();
    expect(process.exitCode).toBe(1);
    expect(action.out).toBe('::error::Portcullis could not complete the scan: disk on fire\n');
  });

  it('shows the stack as a debug line when RUNNER_DEBUG=1', async () => {
    scan.fail = new Error('disk on fire');
    process.env['RUNNER_DEBUG'] = '1';
    await run();
    expect(action.out).toMatch(/^::error::Portcullis could not complete the scan: disk on fire\n::debug::Error: disk on fire%0A {4}at /);
  });
});
