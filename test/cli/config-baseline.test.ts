// Runs the CLI from source (node --import tsx src/cli.ts): the config's `baseline` key, and SARIF rule
// metadata following the config's severity overrides.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFromSource, type CliRun } from '../support/cli-source.js';
import { createBaseline, formatBaseline } from '../../src/core/baseline.js';
import { scanDirectory } from '../../src/scan.js';

const scratch = mkdtempSync(join(tmpdir(), 'portcullis-config-baseline-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Run = CliRun;
const cli = cliFromSource;

// Two high findings (unpinned-action, persist-credentials); the baseline accepts both.
const WORKFLOW = 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
const repo = join(scratch, 'repo');
const missing = join(scratch, 'missing');
let runs: Record<string, Run>;
let debt: number;

beforeAll(async () => {
  mkdirSync(join(repo, '.github/workflows'), { recursive: true });
  mkdirSync(join(repo, 'debt'));
  writeFileSync(join(repo, '.github/workflows/ci.yml'), WORKFLOW);
  const before = await scanDirectory(repo, { repository: true }); // as the CLI scans it
  debt = before.findings.length;
  writeFileSync(join(repo, 'debt/baseline.json'), formatBaseline(createBaseline(before.findings, () => WORKFLOW)));
  writeFileSync(join(repo, '.portcullis.yml'), 'baseline: debt/baseline.json\nrules:\n  unpinned-action:\n    severity: medium\n');
  mkdirSync(join(missing, '.github'), { recursive: true });
  writeFileSync(join(missing, '.github/portcullis.yml'), 'baseline: nowhere.json\n');
  // Each run from source costs a second or more: start them all at once.
  const commands: Record<string, string[]> = {
    json: ['scan', repo, '--format', 'json'],
    sarif: ['scan', repo, '--format', 'sarif'],
    flagWins: ['scan', repo, '--baseline', join(scratch, 'elsewhere.json')],
    missing: ['scan', missing],
  };
  const results = await Promise.all(Object.values(commands).map((c) => cli(c)));
  runs = Object.fromEntries(Object.keys(commands).map((k, i) => [k, results[i]!]));
}, 60_000);

describe('the config file names the baseline', () => {
  it('scan reads it (relative to the scanned folder) when --baseline is not given: the findings are baselined and pass', () => {
    expect(debt).toBeGreaterThan(0);
    expect(runs.json!.code).toBe(0);
    const report = JSON.parse(runs.json!.stdout);
    expect(report.findings).toHaveLength(debt);
    for (const f of report.findings) expect(f.suppressed).toMatchObject({ kind: 'baseline', path: 'debt/baseline.json' });
    expect(report.summary).toMatchObject({ blocking: 0, suppressed: debt, baseline: { matched: debt, stale: 0 } });
  });

  it('--baseline wins over the config', () => {
    expect(runs.flagWins).toMatchObject({ code: 2, stdout: '' });
    expect(runs.flagWins!.stderr).toContain(`cannot read the baseline ${join(scratch, 'elsewhere.json')} (ENOENT)`);
  });

  it('a configured baseline that does not exist is a usage error naming the file', () => {
    expect(runs.missing).toMatchObject({ code: 2, stdout: '' });
    // Named as the config names it (relative to the scanned folder), as reports name it.
    expect(runs.missing!.stderr).toContain('cannot read the baseline nowhere.json (ENOENT)');
  });

  it('SARIF: rule metadata follows the severity override, and baselined results carry an external suppression', () => {
    expect(runs.sarif!.code).toBe(0);
    const run = JSON.parse(runs.sarif!.stdout).runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'unpinned-action');
    expect(rule.defaultConfiguration.level).toBe('warning');
    expect(rule.properties['security-severity']).toBe('5.5');
    const other = run.tool.driver.rules.find((r: { id: string }) => r.id === 'curl-pipe-shell');
    expect(other.defaultConfiguration.level).toBe('error');
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'unpinned-action');
    expect(result.properties.severity).toBe('medium');
    expect(result.suppressions).toEqual([
      { kind: 'external', justification: 'baseline', location: { physicalLocation: { artifactLocation: { uri: 'debt/baseline.json', uriBaseId: '%SRCROOT%' } } } },
    ]);
  });
});
