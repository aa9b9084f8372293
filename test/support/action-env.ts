// Runs `run()` from src/action/main.ts in-process as the runner would start it: a fresh workspace,
// no INPUT_*/GITHUB_* left over from the shell, stdout captured; everything restored afterwards.
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface ActionEnv {
  /** stdout written by the action during the current test. */
  out: string;
  /** The workspace of the current test (GITHUB_WORKSPACE). */
  ws: string;
}

/** Sends what the code under test writes to stdout to `sink` instead (until vi.restoreAllMocks). */
export function captureStdout(sink: (text: string) => void): void {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    sink(String(chunk));
    return true;
  });
}

export function useActionEnvironment(prefix: string, options: { debug: boolean }): ActionEnv {
  const env: ActionEnv = { out: '', ws: '' };
  const saved = { ...process.env };
  beforeEach(() => {
    env.out = '';
    captureStdout((text) => (env.out += text));
    env.ws = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
    process.env['GITHUB_WORKSPACE'] = env.ws;
    process.env['RUNNER_TEMP'] = join(env.ws, '..', `${env.ws.split('/').pop()}-tmp`);
    if (options.debug) process.env['RUNNER_DEBUG'] = '1';
    else delete process.env['RUNNER_DEBUG'];
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    process.exitCode = undefined;
  });
  return env;
}
