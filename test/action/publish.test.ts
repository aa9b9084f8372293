import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emitAnnotations, setOutputs, writeReport, writeSummary } from '../../src/action/publish.js';
import { summarise } from '../../src/core/gate.js';
import type { Finding } from '../../src/core/types.js';
import { toAnnotations } from '../../src/reporters/annotations.js';
import { captureStdout } from '../support/action-env.js';

let out: string;
const saved = { ...process.env };
beforeEach(() => {
  out = '';
  captureStdout((text) => (out += text));
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

const hostile: Finding = {
  ruleId: 'secret-in-env',
  severity: 'high',
  confidence: 'high',
  message: 'bad\n::error::injected message\r\n::add-mask::x %0A done',
  path: 'a::b%2C,c\r\n::warning file=x::pwned/Dockerfile',
  line: 3,
  column: 1,
  endLine: 3,
  endColumn: 5,
  related: [],
  fingerprint: 'f',
};

describe('publish', () => {
  it('cannot be made to inject workflow commands through file names or messages', () => {
    emitAnnotations(toAnnotations([hostile], [{ path: 'x\n::stop-commands::tok', message: 'm\n::error::n' }]));
    const lines = out.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error title=portcullis(secret-in-env),file=a%3A%3Ab%252C%2Cc%0D%0A%3A%3Awarning file=x%3A%3Apwned/Dockerfile,line=3,endLine=3,col=1,endColumn=4::' +
        'bad%0A::error::injected message%0D%0A::add-mask::x %250A done%0ASeverity high, confidence high.',
    );
    expect(lines[1]).toBe('::notice title=portcullis%3A scan notice,file=x%0A%3A%3Astop-commands%3A%3Atok::m%0A::error::n');
    // Each annotation stays one line: the runner only reads commands at the start of a line.
    expect(out.split('\n')).toHaveLength(3);
    expect(out).not.toContain('\r');
  });

  it('writes the JSON report in a fresh folder under the given one, a new one each time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-pub-'));
    const report = { version: 1 as const, root: '.', failOn: 'high' as const, findings: [], notices: [], summary: summarise([], 'high') };
    const path = writeReport(report, join(dir, 'nested'));
    expect(path).toMatch(new RegExp(`^${join(dir, 'nested')}/portcullis-\\w{6}/portcullis-report\\.json$`));
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
    const again = writeReport(report, join(dir, 'nested'));
    expect(dirname(again)).not.toBe(dirname(path));
  });

  it('writes the job summary only when the runner gives a file', async () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    expect(await writeSummary('# hi')).toBe(false);
    const f = join(mkdtempSync(join(tmpdir(), 'pc-sum-')), 'summary.md');
    writeFileSync(f, '');
    process.env['GITHUB_STEP_SUMMARY'] = f;
    expect(await writeSummary('# hi')).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('# hi\n');
  });

  it('sets outputs through GITHUB_OUTPUT', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'pc-out-')), 'output');
    writeFileSync(f, '');
    process.env['GITHUB_OUTPUT'] = f;
    setOutputs(summarise([hostile], 'high'), '/tmp/r.json');
    const text = readFileSync(f, 'utf8');
    expect(text).toMatch(/^result<<(ghadelimiter_[\w-]+)\nfail\n\1\n/);
    expect(text).toMatch(/findings<<(ghadelimiter_[\w-]+)\n1\n\1\n/);
    expect(text).toMatch(/blocking<<(ghadelimiter_[\w-]+)\n1\n\1\n/);
    expect(text).toMatch(/report<<(ghadelimiter_[\w-]+)\n\/tmp\/r\.json\n\1\n/);
  });
});
