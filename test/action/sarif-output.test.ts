import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError, readSarifCategory, resolveSarifFile } from '../../src/action/inputs.js';
import { run } from '../../src/action/main.js';
import { writeSarif } from '../../src/action/publish.js';
import { captureStdout } from '../support/action-env.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the SARIF log is read as plain JSON */

let ws: string;
let outside: string;
let out: string;
const saved = { ...process.env };
const UNPINNED = 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';

beforeEach(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'pc-sarif-ws-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'pc-sarif-out-')));
  mkdirSync(join(ws, 'app', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(ws, 'app', '.github', 'workflows', 'ci.yml'), UNPINNED);
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  process.env['GITHUB_WORKSPACE'] = ws;
  process.env['RUNNER_TEMP'] = join(outside, 'tmp');
  process.env['GITHUB_OUTPUT'] = join(outside, 'gh-output');
  writeFileSync(process.env['GITHUB_OUTPUT'], '');
  out = '';
  captureStdout((text) => (out += text));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('action: sarif-file', () => {
  it('writes the SARIF log with repository-relative paths, the same verdict as the step, and sets the output', async () => {
    process.env['INPUT_PATH'] = 'app';
    process.env['INPUT_SARIF-FILE'] = 'reports/portcullis.sarif';
    await run();
    expect(process.exitCode).toBe(1);
    const path = join(ws, 'reports', 'portcullis.sarif');
    const log: any = JSON.parse(readFileSync(path, 'utf8'));
    const run0 = log.runs[0];
    expect(run0.automationDetails.id).toBe('portcullis/app/');
    const result = run0.results.find((r: any) => r.ruleId === 'unpinned-action');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('app/.github/workflows/ci.yml');
    expect(result.level).toBe('error');
    expect(result.properties.blocking).toBe(true);
    expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]+:1$/);
    expect(out).toMatch(/^::error title=portcullis\(unpinned-action\).*,file=app\/\.github\/workflows\/ci\.yml,/m);
    expect(readFileSync(process.env['GITHUB_OUTPUT']!, 'utf8')).toMatch(new RegExp(`^sarif<<(\\S+)\\n${path}\\n\\1$`, 'm'));
  });

  it('writes nothing and sets no output when the input is empty', async () => {
    process.env['INPUT_FAIL-ON'] = 'never';
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(readFileSync(process.env['GITHUB_OUTPUT']!, 'utf8')).not.toMatch(/^sarif<</m);
  });

  it('lets error-level results and the exit code agree when fail-on is lowered or raised', async () => {
    process.env['INPUT_SARIF-FILE'] = 'p.sarif';
    process.env['INPUT_FAIL-ON'] = 'critical';
    await run();
    expect(process.exitCode).toBeUndefined();
    const log: any = JSON.parse(readFileSync(join(ws, 'p.sarif'), 'utf8'));
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.some((r: any) => r.level === 'error')).toBe(false);
  });

  it('refuses a path outside the workspace, and a symlink planted on the way', () => {
    expect(() => resolveSarifFile('../x.sarif', ws)).toThrow(InputError);
    expect(() => resolveSarifFile(join(outside, 'x.sarif'), ws)).toThrow(/Input "sarif-file" must be a file path inside the workspace/);
    expect(resolveSarifFile('  ', ws)).toBe('');
    expect(resolveSarifFile('out/p.sarif', ws)).toBe(join(ws, 'out', 'p.sarif'));

    symlinkSync(outside, join(ws, 'link'));
    expect(() => writeSarif(join(ws, 'link', 'deep', 'p.sarif'), {}, ws)).toThrow(/through a symlink/);
    symlinkSync(join(outside, 'target'), join(ws, 'p.sarif'));
    expect(() => writeSarif(join(ws, 'p.sarif'), {}, ws)).toThrow(/p\.sarif is a symlink; Portcullis does not follow it: not written/);
    expect(existsSync(join(outside, 'target'))).toBe(false);
    // Not even a symlink that stays inside the workspace.
    writeFileSync(join(ws, 'inside.txt'), 'keep');
    symlinkSync(join(ws, 'inside.txt'), join(ws, 'q.sarif'));
    expect(() => writeSarif(join(ws, 'q.sarif'), {}, ws)).toThrow(/is a symlink/);
    expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('keep');
    expect(writeSarif(join(ws, 'ok', 'p.sarif'), { version: '2.1.0' }, ws)).toBe(join(ws, 'ok', 'p.sarif'));
    // An existing regular file is replaced, and nothing else is left beside it.
    expect(writeSarif(join(ws, 'ok', 'p.sarif'), { version: '2.1.0', again: true }, ws)).toBe(join(ws, 'ok', 'p.sarif'));
    expect(JSON.parse(readFileSync(join(ws, 'ok', 'p.sarif'), 'utf8'))).toEqual({ version: '2.1.0', again: true });
    expect(readdirSync(join(ws, 'ok'))).toEqual(['p.sarif']);
  });

  it('defaults the category to the scanned folder and checks a given one', () => {
    expect(readSarifCategory('', '')).toBe('root');
    expect(readSarifCategory('', 'services/api')).toBe('services/api');
    // a default made of the checkout's path names still meets the input's own limits
    expect(readSarifCategory('', 'docs/my file.yml,a\tb')).toBe('docs/my_file.yml,a_b');
    const long = Array.from({ length: 12 }, (_, i) => `services/component-${i}`).join(',');
    const category = readSarifCategory('', long);
    expect(category.length).toBeLessThanOrEqual(100);
    expect(category.startsWith(long.slice(0, 80))).toBe(true);
    expect(readSarifCategory('', `${long},x`)).not.toBe(category);
    expect(readSarifCategory('/containers/', '')).toBe('containers');
    expect(() => readSarifCategory('two words', '')).toThrow(/Input "sarif-category"/);
  });
});
