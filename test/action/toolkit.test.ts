import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { appendSummary, commandLine, getInput, setFailed, setOutput, setSecret } from '../../src/action/toolkit.js';
import { captureStdout } from '../support/action-env.js';
import { parseOutputs } from '../support/runner-files.js';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-toolkit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function stdout(): string[] {
  const lines: string[] = [];
  captureStdout((text) => lines.push(text));
  return lines;
}

describe('workflow commands', () => {
  it('escapes data and properties so that no value can start a command of its own', () => {
    expect(commandLine('warning', { title: 'a:b,c', file: 'x\n::error::y', line: 3, col: 0, endColumn: undefined }, '50% done\r\n::add-mask::z')).toBe(
      '::warning title=a%3Ab%2Cc,file=x%0A%3A%3Aerror%3A%3Ay,line=3::50%25 done%0D%0A::add-mask::z',
    );
    expect(commandLine('debug', {}, '')).toBe('::debug::');
  });

  it('masks a value, escaped as data, and fails with an error annotation and exit code 1', () => {
    const lines = stdout();
    setSecret('p%ss\nword');
    setFailed('broken');
    expect(lines).toEqual(['::add-mask::p%25ss%0Aword\n', '::error::broken\n']);
    expect(process.exitCode).toBe(1);
  });

  it('reads inputs as the runner passes them, trimmed', () => {
    vi.stubEnv('INPUT_FAIL-ON', '  high \n');
    vi.stubEnv('INPUT_SARIF_FILE', 'out.sarif');
    expect(getInput('fail-on')).toBe('high');
    expect(getInput('sarif file')).toBe('out.sarif');
    expect(getInput('absent')).toBe('');
  });

  it('writes outputs as delimited blocks the runner reads back whole, multi-line values included', () => {
    const file = join(dir, 'output');
    writeFileSync(file, '');
    vi.stubEnv('GITHUB_OUTPUT', file);
    setOutput('result', 'fail');
    setOutput('findings', 3);
    setOutput('text', 'line 1\nfindings<<EOF\nline 3');
    expect(parseOutputs(readFileSync(file, 'utf8'))).toEqual({ result: 'fail', findings: '3', text: 'line 1\nfindings<<EOF\nline 3' });
    const delimiters = readFileSync(file, 'utf8').match(/ghadelimiter_[0-9a-f-]{36}/g)!;
    expect(new Set(delimiters).size).toBe(3);
  });

  it('falls back to the set-output command without an output file, and refuses a missing one', () => {
    const lines = stdout();
    vi.stubEnv('GITHUB_OUTPUT', '');
    setOutput('result', 'pass');
    expect(lines.join('')).toBe('\n::set-output name=result::pass\n');
    vi.stubEnv('GITHUB_OUTPUT', join(dir, 'no-such-file'));
    expect(() => setOutput('result', 'pass')).toThrow(/Missing file/);
  });

  it('appends to the job summary, and says so when the runner gave none', async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, '# before\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    expect(await appendSummary('## Portcullis')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('# before\n## Portcullis\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    expect(await appendSummary('x')).toBe(false);
  });
});
