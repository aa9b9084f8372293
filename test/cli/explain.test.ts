// Runs the CLI from source (node --import tsx src/cli.ts): explain, --config and config errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFromSource, type CliRun } from '../support/cli-source.js';
import { renderRuleDoc } from '../../src/docs.js';
import { renderMarkdownForTerminal } from '../../src/reporters/terminal-markdown.js';
import { findRule, rules } from '../../src/rules/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'portcullis-explain-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Run = CliRun;
const cli = cliFromSource;

const WORKFLOW = 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n';

const dir = join(scratch, 'repo');
const strict = join(scratch, 'strict.yml');
const lowered = join(scratch, 'lowered.yml');
let runs: Record<string, Run>;
// Each run from source costs a second or more: start them all at once.
beforeAll(async () => {
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(join(dir, '.github/workflows/ci.yml'), WORKFLOW);
  writeFileSync(join(dir, '.github/portcullis.yml'), 'fail-on: hihg\nrules:\n  unpinned-action:\n    severity: meduim\n');
  writeFileSync(strict, 'fail-on: low\n');
  writeFileSync(lowered, 'rules:\n  unpinned-action:\n    severity: low\n');
  const commands: Record<string, string[]> = {
    explain: ['explain', 'unpinned-action'],
    markdown: ['explain', 'unpinned-action', '--format', 'markdown'],
    badFormat: ['explain', 'unpinned-action', '--format', 'json'],
    help: ['--help'],
    unknown: ['explain', 'unpinned-acton'],
    badConfig: ['scan', dir],
    lowered: ['scan', dir, '--config', lowered],
    strict: ['scan', dir, '--config', strict, '--format', 'json'],
    missing: ['scan', dir, '--config', join(scratch, 'missing.yml')],
  };
  const results = await Promise.all(Object.values(commands).map((c) => cli(c)));
  runs = Object.fromEntries(Object.keys(commands).map((k, i) => [k, results[i]!]));
}, 60_000);

describe('portcullis explain and --config (from source)', () => {
  it("explain prints the rule's documentation for the terminal, options included; --format markdown the page; --help lists it", () => {
    const markdown = renderRuleDoc(findRule('unpinned-action')!);
    // Not a terminal: plain text wrapped at 80 columns, no Markdown syntax and no colours.
    expect(runs.explain).toEqual({ code: 0, stdout: renderMarkdownForTerminal(markdown, { color: false, width: 80 }), stderr: '' });
    expect(runs.explain!.stdout).toMatch(/^Options$/m);
    expect(runs.explain!.stdout).not.toMatch(/\*\*|^#|^```/m);
    expect(runs.markdown).toEqual({ code: 0, stdout: markdown, stderr: '' });
    expect(runs.badFormat).toEqual({ code: 2, stdout: '', stderr: 'portcullis: --format for explain must be text or markdown (got "json")\n' });
    expect(runs.help!.stdout).toContain('explain <rule-id>');
    expect(runs.help!.stdout).toContain('--config PATH');
  });

  it('explain of an unknown id exits 2 with a suggestion and the known ids', () => {
    const ids = rules.map((r) => r.id).join(', ');
    expect(runs.unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: `portcullis: unknown rule id "unpinned-acton"; did you mean unpinned-action? Known rules: ${ids}\n`,
    });
  });

  it('scan: a bad config exits 2 with one file:line:column line per problem', () => {
    expect(runs.badConfig).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'portcullis: .github/portcullis.yml:1:10: fail-on: must be one of critical, high, medium, low, info, never (got "hihg")\n' +
        'portcullis: .github/portcullis.yml:4:15: rules.unpinned-action.severity: must be one of critical, high, medium, low, info (got "meduim")\n',
    });
    expect(runs.missing).toMatchObject({ code: 2, stderr: `portcullis: ${join(scratch, 'missing.yml')}: config file not found\n` });
  });

  it('scan --config uses the named file instead of the default one', () => {
    expect(runs.lowered!.code).toBe(0);
    expect(runs.lowered!.stdout).toMatch(/unpinned-action/);
    expect(runs.strict!.code).toBe(1);
    expect(JSON.parse(runs.strict!.stdout)).toMatchObject({ failOn: 'low', summary: { result: 'fail' } });
  });
});
