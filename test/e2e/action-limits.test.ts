/**
 * The committed bundle (dist/index.js) run as the runner runs it, against a hostile checkout: the gate's own
 * files (config, baseline) that lead out of the workspace, block, or explode; a report path someone planted a
 * symlink at; and more blocking findings than GitHub shows annotations for (the verdict must stay visible).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutputs } from '../support/runner-files.js';
import { aliasBomb, deepJsonBaseline, deepYaml, MARKER, OVER_ONE_MIB } from '../support/hostile-gate-files.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const bundle = join(repoRoot, 'dist', 'index.js');
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'pc-e2e-limits-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CLEAN = `FROM alpine:3.20@sha256:${'a'.repeat(64)}\nUSER 10001\n`;
/** An application image on a tag, running as root: two blocking findings (unpinned-image, runs-as-root). */
const APP = 'FROM node:20\nCOPY server.js /app/\nCMD ["node", "/app/server.js"]\n';
const HAS_ENVIRON = existsSync('/proc/self/environ');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Input defaults as action.yml declares them. */
function defaultInputs(): Record<string, string> {
  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(action.inputs).map(([name, def]) => [name, String(def.default ?? '').replace('${{ github.token }}', 'ghs_e2e_token')]));
}

/**
 * A push run (no pull request API) over a workspace that `plant` fills. `runnerTemp: false` leaves RUNNER_TEMP
 * unset, with TMPDIR pointing at `tmp` instead.
 */
function runAction(name: string, plant: (ws: string) => void, options: { runnerTemp?: boolean; tmp?: string } = {}): Promise<Run> {
  const dir = join(scratch, name);
  const ws = join(dir, 'workspace');
  mkdirSync(join(ws, '.github'), { recursive: true });
  writeFileSync(join(ws, 'Dockerfile'), CLEAN);
  plant(ws);
  const event = join(dir, 'event.json');
  const output = join(dir, 'output');
  writeFileSync(event, '{}');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: output,
    GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    GITHUB_REPOSITORY: 'acme/webshop',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    PORTCULLIS_GATE_FILES_MARKER: MARKER,
  };
  if (options.runnerTemp === false) env['TMPDIR'] = options.tmp!;
  else env['RUNNER_TEMP'] = join(dir, 'runner-temp');
  for (const [k, v] of Object.entries(defaultInputs())) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((done) => {
    // On today's main the bombs run for minutes: the run is stopped after 60 s (status null).
    execFile(process.execPath, [bundle], { cwd: ws, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const status = err ? ((err as { code?: number }).code ?? null) : 0;
      done({ status, stdout, stderr, outputs: parseOutputs(readFileSync(output, 'utf8')) });
    });
  });
}

const put = (ws: string, path: string, text: string) => {
  mkdirSync(dirname(join(ws, path)), { recursive: true });
  writeFileSync(join(ws, path), text);
};
const outsideFile = join(scratch, 'outside.yml');
const victim = join(scratch, 'victim.json');
const plantedTmp = join(scratch, 'shared-tmp');
let runs: Record<string, Run>;

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build it with \`npm run build\``);
  writeFileSync(outsideFile, `${MARKER}=outside-the-workspace\n`);
  writeFileSync(join(scratch, 'outside.json'), '{"version":1,"generated":"","findings":[]}\n');
  writeFileSync(victim, 'untouched\n');
  // The old fixed report path in a shared temp folder, taken by a symlink.
  mkdirSync(plantedTmp);
  symlinkSync(victim, join(plantedTmp, 'portcullis-report.json'));
  const cases: Record<string, Promise<Run>> = {
    linkOut: runAction('link-out', (ws) => symlinkSync(outsideFile, join(ws, '.github/portcullis.yml'))),
    ...(HAS_ENVIRON ? { environ: runAction('environ', (ws) => symlinkSync('/proc/self/environ', join(ws, '.github/portcullis.yml'))) } : {}),
    fifo: runAction('fifo', (ws) => execFileSync('mkfifo', [join(ws, '.github/portcullis.yml')])),
    folder: runAction('folder', (ws) => mkdirSync(join(ws, '.portcullis.yml'))),
    devZero: runAction('dev-zero', (ws) => symlinkSync('/dev/zero', join(ws, '.github/portcullis.yml'))),
    baselineDevZero: runAction('baseline-dev-zero', (ws) => put(ws, '.github/portcullis.yml', 'baseline: /dev/zero\n')),
    baselineUp: runAction('baseline-up', (ws) => put(ws, '.github/portcullis.yml', 'baseline: ../../outside.json\n')),
    large: runAction('large', (ws) => put(ws, '.github/portcullis.yml', OVER_ONE_MIB)),
    bomb: runAction('bomb', (ws) => put(ws, '.github/portcullis.yml', aliasBomb())),
    deep: runAction('deep', (ws) => put(ws, '.github/portcullis.yml', deepYaml(10_000))),
    baselineBomb: runAction('baseline-bomb', (ws) => {
      put(ws, '.github/portcullis.yml', 'baseline: debt.json\n');
      put(ws, 'debt.json', aliasBomb());
    }),
    baselineDeep: runAction('baseline-deep', (ws) => {
      put(ws, '.github/portcullis.yml', 'baseline: debt.json\n');
      put(ws, 'debt.json', deepJsonBaseline(10_000));
    }),
    // Ten unpinned images running as root: twenty blocking findings.
    verdict: runAction('verdict', (ws) => {
      for (let i = 0; i < 10; i++) put(ws, `svc${i}/Dockerfile`, APP);
    }),
    reportLink: runAction('report-link', (ws) => put(ws, 'svc/Dockerfile', APP), { runnerTemp: false, tmp: plantedTmp }),
  };
  const results = await Promise.all(Object.values(cases));
  runs = Object.fromEntries(Object.keys(cases).map((k, i) => [k, results[i]!]));
}, 180_000);

/** The step fails with one error line matching `what`, sets no output, and quotes nothing from outside. */
function refused(name: string, what: RegExp): void {
  const r = runs[name]!;
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(r.stderr).toBe('');
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(what);
  expect(r.stdout).not.toContain(MARKER);
  expect(r.stdout).not.toContain('could not complete the scan');
  expect(r.outputs).toEqual({});
}

describe('the action bundle: config and baseline files are data, read only from inside the workspace', () => {
  it('refuses a config symlink out of the workspace (and to /proc/self/environ), quoting nothing from it', () => {
    refused('linkOut', /^::error::\.github\/portcullis\.yml: cannot use the config file: it is a symlink that leads outside the workspace; not read$/);
    if (HAS_ENVIRON) refused('environ', /^::error::\.github\/portcullis\.yml: cannot use the config file: it is a symlink that leads outside the workspace; not read$/);
  });

  it('refuses a FIFO, a folder and a /dev/zero link at a config path', () => {
    refused('fifo', /^::error::\.github\/portcullis\.yml: cannot use the config file: it is a FIFO, not a regular file; not read$/);
    refused('folder', /^::error::\.portcullis\.yml: cannot use the config file: it is a directory, not a regular file; not read$/);
    refused('devZero', /^::error::\.github\/portcullis\.yml: cannot use the config file: it is a symlink that leads outside the workspace; not read$/);
  });

  it('refuses baseline: /dev/zero and a baseline outside the workspace', () => {
    refused('baselineDevZero', /^::error::cannot use the baseline \/dev\/zero: it is outside the workspace; not read$/);
    refused('baselineUp', /^::error::cannot use the baseline \.\.\/\.\.\/outside\.json: it is outside the workspace; not read$/);
  });

  it('refuses a config over 1 MiB, an alias bomb and 10,000 levels of nesting, in the config and in the baseline', () => {
    refused('large', /^::error::\.github\/portcullis\.yml: cannot use the config file: it is larger than 1 MiB; not read$/);
    refused('bomb', /^::error::\.github\/portcullis\.yml:\d+:\d+: aliases expand to more than 10000 nodes: not a Portcullis config$/);
    refused('deep', /^::error::\.github\/portcullis\.yml:1:\d+: nested deeper than 64 levels: not a Portcullis config$/);
    refused('baselineBomb', /^::error::debt\.json: not valid JSON \(.{1,80}\); regenerate it with `portcullis baseline`$/);
    refused('baselineDeep', /^::error::debt\.json: nested deeper than 64 levels: not a Portcullis baseline$/);
  });
});

describe('the action bundle: reports and the verdict', () => {
  it('writes the report in a fresh folder: a symlink planted at the old path (RUNNER_TEMP unset) is left alone', () => {
    const r = runs['reportLink']!;
    expect(r.status, r.stdout).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    const report = r.outputs['report']!;
    expect(dirname(dirname(report))).toBe(plantedTmp);
    expect(report).toMatch(/\/portcullis-\w{6}\/portcullis-report\.json$/);
    expect(JSON.parse(readFileSync(report, 'utf8')).summary.blocking).toBe(2);
    expect(readdirSync(plantedTmp).filter((f) => f.startsWith('portcullis-')).sort()).toEqual([report.split('/').at(-2), 'portcullis-report.json'].sort());
  });

  it('keeps the verdict visible: at most 9 finding errors, then a plain verdict line, then the verdict error last', () => {
    const r = runs['verdict']!;
    expect(r.status).toBe(1);
    expect(r.outputs['blocking']).toBe('20');
    const lines = r.stdout.split('\n');
    const errors = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).every(([l]) => /^::error title=portcullis\((runs-as-root|unpinned-image)\)/.test(l))).toBe(true);
    const verdictLine = lines.findIndex((l) => l.startsWith('Portcullis verdict: fail: 20 findings at or above fail-on "high"'));
    expect(verdictLine).toBeGreaterThan(errors[8]![1]);
    expect(lines[verdictLine]).toContain('(9 shown as error annotations; the job summary and the report list all)');
    const [last, lastAt] = errors[9]!;
    expect(last).toBe('::error::20 findings at or above severity "high" (fail-on); see the annotations and the job summary.');
    expect(lastAt).toBeGreaterThan(verdictLine);
    // The overflow notice counts what the annotations left out.
    expect(r.stdout).toMatch(/^::notice title=portcullis%3A more findings than annotations::11 more findings \(11 high\) not shown as annotations \(GitHub shows 10 per level per step, and one error is kept for the verdict\)/m);
  });
});
