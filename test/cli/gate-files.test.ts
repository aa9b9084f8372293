// The gate's own files are data from a hostile checkout (run from source: node --import tsx src/cli.ts).
// A committed config or baseline that is a symlink out, a FIFO, a folder, a device, too large, nested too
// deep or an alias bomb must end the run with exit 2 and a message that quotes nothing it should not.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFromSource, type CliRun } from '../support/cli-source.js';
import { writeCleanRepositoryFiles } from '../support/clean-repository.js';
import { aliasBomb, deepJsonBaseline, deepYaml, MARKER, OVER_ONE_MIB } from '../support/hostile-gate-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'portcullis-gate-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A tree with nothing to find: on today's main a config that is silently skipped passes (exit 0).
const CLEAN = `FROM alpine:3.20@sha256:${'a'.repeat(64)}\nUSER 10001\n`;
const outsideFile = join(scratch, 'outside.yml');
const outsideBaseline = join(scratch, 'outside.json');
const victim = join(scratch, 'victim.txt');

/** A scanned folder with a clean Dockerfile and whatever `plant` puts there. */
function tree(name: string, plant: (dir: string) => void): string {
  const dir = join(scratch, 'cases', name);
  mkdirSync(join(dir, '.github'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), CLEAN);
  writeCleanRepositoryFiles(dir);
  plant(dir);
  return dir;
}
const put = (dir: string, path: string, text: string) => writeFileSync(join(dir, path), text);

let runs: Record<string, CliRun>;
const HAS_ENVIRON = existsSync('/proc/self/environ');

beforeAll(async () => {
  writeFileSync(outsideFile, `${MARKER}=outside-the-tree\n`);
  writeFileSync(outsideBaseline, '{"version":1,"generated":"","findings":[]}\n');
  writeFileSync(victim, 'untouched\n');
  const cases: Record<string, string> = {
    linkOut: tree('link-out', (d) => symlinkSync(outsideFile, join(d, '.github/portcullis.yml'))),
    ...(HAS_ENVIRON ? { environ: tree('environ', (d) => symlinkSync('/proc/self/environ', join(d, '.github/portcullis.yml'))) } : {}),
    fifo: tree('fifo', (d) => execFileSync('mkfifo', [join(d, '.portcullis.yml')])),
    folder: tree('folder', (d) => mkdirSync(join(d, '.portcullis.yml'))),
    devZero: tree('dev-zero', (d) => symlinkSync('/dev/zero', join(d, '.github/portcullis.yml'))),
    baselineDevZero: tree('baseline-dev-zero', (d) => put(d, '.portcullis.yml', 'baseline: /dev/zero\n')),
    baselineUp: tree('baseline-up', (d) => put(d, '.portcullis.yml', 'baseline: ../../outside.json\n')),
    baselineLinkOut: tree('baseline-link', (d) => {
      put(d, '.portcullis.yml', 'baseline: debt.json\n');
      symlinkSync(outsideBaseline, join(d, 'debt.json'));
    }),
    large: tree('large', (d) => put(d, '.portcullis.yml', OVER_ONE_MIB)),
    bomb: tree('bomb', (d) => put(d, '.portcullis.yml', aliasBomb())),
    deep: tree('deep', (d) => put(d, '.portcullis.yml', deepYaml(10_000))),
    baselineBomb: tree('baseline-bomb', (d) => {
      put(d, '.portcullis.yml', 'baseline: debt.json\n');
      put(d, 'debt.json', aliasBomb());
    }),
    baselineDeep: tree('baseline-deep', (d) => {
      put(d, '.portcullis.yml', 'baseline: debt.json\n');
      put(d, 'debt.json', deepJsonBaseline(10_000));
    }),
    baselineLarge: tree('baseline-large', (d) => {
      put(d, '.portcullis.yml', 'baseline: debt.json\n');
      put(d, 'debt.json', `{"version":1,"generated":"${'x'.repeat(1024 * 1024)}","findings":[]}`);
    }),
    inside: tree('inside', (d) => {
      // A symlink that stays inside the tree is fine.
      mkdirSync(join(d, 'conf'));
      put(d, 'conf/gate.yml', 'fail-on: low\n');
      symlinkSync(join(d, 'conf/gate.yml'), join(d, '.portcullis.yml'));
    }),
  };
  const writeLink = tree('write-link', (d) => symlinkSync(victim, join(d, '.portcullis-baseline.json')));
  const commands: Record<string, string[]> = Object.fromEntries(Object.entries(cases).map(([k, dir]) => [k, ['scan', dir, '--format', 'json']]));
  commands['writeLink'] = ['baseline', writeLink];
  // The operator may name a file outside the tree on the command line; the tree may not.
  commands['operatorConfig'] = ['scan', cases['inside']!, '--config', join(scratch, 'operator.yml'), '--format', 'json'];
  writeFileSync(join(scratch, 'operator.yml'), 'fail-on: never\n');
  // On today's main the bombs run for minutes: the child is stopped after 60 s (code null).
  const env = { PORTCULLIS_GATE_FILES_MARKER: MARKER };
  const results = await Promise.all(Object.values(commands).map((c) => cliFromSource(c, { env, timeout: 60_000 })));
  runs = Object.fromEntries(Object.keys(commands).map((k, i) => [k, results[i]!]));
}, 120_000);

/** Exit 2, nothing on stdout, one message on stderr that contains `what` and no marker. */
function refused(name: string, what: RegExp): string {
  const r = runs[name]!;
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(what);
  expect(r.stderr).not.toContain(MARKER);
  expect(r.stderr).not.toContain('internal error');
  return r.stderr;
}

describe('CLI: the config file is read only as a regular file inside the scanned folder', () => {
  it("refuses a config symlink to a file outside (and to /proc/self/environ), quoting nothing from it", () => {
    refused('linkOut', /^portcullis: \.github\/portcullis\.yml: cannot use the config file: it is a symlink that leads outside the scanned folder; not read\n$/);
    // The child's environment holds the marker: none of it may come back.
    if (HAS_ENVIRON) expect(refused('environ', /it is a symlink that leads outside the scanned folder/)).not.toMatch(/PATH=|HOME=/);
  });

  it('refuses a FIFO, a folder and a /dev/zero link at a config path (not "no config")', () => {
    refused('fifo', /\.portcullis\.yml: cannot use the config file: it is a FIFO, not a regular file; not read/);
    refused('folder', /\.portcullis\.yml: cannot use the config file: it is a directory, not a regular file; not read/);
    refused('devZero', /\.github\/portcullis\.yml: cannot use the config file: it is a symlink that leads outside the scanned folder/);
  });

  it('refuses a config over 1 MiB', () => {
    refused('large', /\.portcullis\.yml: cannot use the config file: it is larger than 1 MiB; not read/);
  });

  it('refuses an alias bomb and 10,000 levels of nesting, by their structure', () => {
    refused('bomb', /^portcullis: \.portcullis\.yml:\d+:\d+: aliases expand to more than 10000 nodes: not a Portcullis config\n$/);
    refused('deep', /^portcullis: \.portcullis\.yml:1:\d+: nested deeper than 64 levels: not a Portcullis config\n$/);
  });

  it('follows a symlink that stays inside the tree, and reads a file the operator names outside it', () => {
    expect(runs['inside']!.code, runs['inside']!.stderr).toBe(0);
    expect(JSON.parse(runs['inside']!.stdout).failOn).toBe('low');
    expect(runs['operatorConfig']!.code, runs['operatorConfig']!.stderr).toBe(0);
    expect(JSON.parse(runs['operatorConfig']!.stdout).failOn).toBe('never');
  });
});

describe("CLI: the config's baseline is held to the same rules", () => {
  it('refuses baseline: /dev/zero and a baseline outside the scanned folder', () => {
    refused('baselineDevZero', /^portcullis: cannot use the baseline \/dev\/zero: it is outside the scanned folder; not read\n$/);
    refused('baselineUp', /^portcullis: cannot use the baseline \.\.\/\.\.\/outside\.json: it is outside the scanned folder; not read\n$/);
    refused('baselineLinkOut', /^portcullis: cannot use the baseline debt\.json: it is a symlink that leads outside the scanned folder; not read\n$/);
  });

  it('refuses a baseline over 1 MiB, nested 10,000 deep, or that is a YAML alias bomb', () => {
    refused('baselineLarge', /cannot use the baseline debt\.json: it is larger than 1 MiB; not read/);
    refused('baselineDeep', /^portcullis: debt\.json: nested deeper than 64 levels: not a Portcullis baseline\n$/);
    const err = refused('baselineBomb', /^portcullis: debt\.json: not valid JSON \(.*\); regenerate it/);
    // The parser's excerpt of the file is cut to 80 characters.
    expect(/not valid JSON \((.*)\); regenerate/.exec(err)![1]!.length).toBeLessThanOrEqual(80);
  });
});

describe('CLI: portcullis baseline does not write through a symlink', () => {
  it('refuses a symlink planted where the baseline goes, and leaves its target alone', () => {
    expect(runs['writeLink']!.code).toBe(2);
    expect(runs['writeLink']!.stderr).toMatch(/cannot write .*\.portcullis-baseline\.json \(it is a symlink; not followed\)/);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  });
});
