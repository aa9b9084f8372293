/**
 * The hostile corpus (test/hostile/generate.mjs) through the real pipeline: every case completes, memory stays bounded,
 * what is skipped is said in a notice with its reason, and nothing a pull request controls (file names, values,
 * contents) can become a workflow command in the action's log or drive the terminal in the CLI's text output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/reporters/json.js';
import { runBundle, type BundleRun } from '../support/runner-files.js';
import { CASES, EVIL_NAMES, generateHostile, MANY_JOBS } from './generate.mjs';

const repoRoot = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'pc-hostile-'));
const corpus = join(scratch, 'corpus');

/**
 * One scan of the corpus, by the CLI bundle on one thread in a process of its own: its peak RSS is its own (the test
 * threads share one), and every other test reads its JSON report.
 */
let result: { findings: JsonReport['findings']; notices: JsonReport['notices']; stats: { filesSeen: number; filesRead: number; peakRssMiB: number } };
beforeAll(async () => {
  generateHostile(corpus);
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', corpus, '--format', 'json', '--stats', '--jobs', '1']);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise((done) => child.on('close', done));
  const report = JSON.parse(stdout) as JsonReport;
  result = { findings: report.findings, notices: report.notices, stats: JSON.parse(/stats: (\{.*\})/.exec(stderr)![1]!) };
}, 900_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const skippedNotice = (): string => result.notices.find((n) => n.message.startsWith('skipped '))?.message ?? '';
const noticesFor = (path: string): string[] => result.notices.filter((n) => n.path === path).map((n) => n.message);
const rulesFor = (path: string): string[] => [...new Set(result.findings.filter((f) => f.path === path).map((f) => f.ruleId))].sort();

describe('the hostile corpus, scanned by the CLI', () => {
  it('lists every case it generates', () => {
    for (const path of Object.keys(CASES)) expect(lstatSync(join(corpus, path), { throwIfNoEntry: false }), path).toBeDefined();
  });

  it('completes with bounded memory', () => {
    expect(result.stats.filesSeen).toBeGreaterThan(25);
    // Coarse, to catch unbounded growth (a 16 GB baseline read, an alias bomb): the largest single document (100,000
    // continued lines) costs ~250 MB of heap at its peak; measured 437-558 MiB for the whole process.
    console.log(`hostile corpus: ${result.stats.filesRead} files read, CLI peak RSS ${result.stats.peakRssMiB} MiB`);
    expect(result.stats.peakRssMiB).toBeLessThan(1024);
  });

  it('skips files over the size cap, binary files, symlink loops and symlinks out of the root, saying why', () => {
    const n = skippedNotice();
    expect(n).toMatch(/1 larger than 16 MiB \(big\.js\)/);
    expect(n).not.toMatch(/binary/);
    expect(n).toMatch(/3 symlink loop \(loop\/a, loop\/b, loop\/self\)/);
    expect(n).toMatch(/2 symlink outside the root \(outside-dir, outside-file\)/);
    expect(result.findings.some((f) => /^(big\.js|outside-|loop\/)/.test(f.path))).toBe(false);
  });

  it('fails closed on every file of a checked kind it cannot check, and on nothing else', () => {
    // Oversized lockfile, a "workflow" of random bytes, YAML too deep to parse in a workflow and in two manifests, and a
    // workflow with invalid UTF-8 (checked with the bytes replaced, and reported as possibly read otherwise by GitHub).
    const unchecked = result.findings.filter((f) => f.ruleId === 'unchecked-file').map((f) => [f.path, f.message.replace(/^Not checked: | A file .*$/g, '')]);
    expect(unchecked).toEqual([
      ['.github/workflows/ci.yml', 'it contains a NUL byte, which the gate does not read past.'],
      ['.github/workflows/deep-flow.yml', 'the YAML parser gave up on it (Maximum call stack size exceeded).'],
      ['.github/workflows/latin1.yml', expect.stringMatching(/^it is not valid UTF-8; the gate checked it/)],
      ['deploy/deep-block.yaml', 'the YAML parser gave up on it (Maximum call stack size exceeded).'],
      ['deploy/deep-map.yaml', 'the YAML parser gave up on it (Maximum call stack size exceeded).'],
      ['package-lock.json', "larger than 16 MiB, the gate's size cap for a file."],
    ]);
    for (const f of result.findings.filter((x) => x.ruleId === 'unchecked-file')) expect(f.severity).toBe('high');
  });

  it('does not expand YAML alias bombs, and still checks what is beside them', () => {
    expect(rulesFor('.github/workflows/alias-bomb.yml')).toContain('unpinned-action');
    expect(rulesFor('compose.yaml')).toContain('latest-image-tag');
  });

  it('turns 10,000-level nesting into a parse notice and an unchecked-file finding (YAML, above) or parses it (JSON)', () => {
    for (const path of ['.github/workflows/deep-flow.yml', 'deploy/deep-block.yaml', 'deploy/deep-map.yaml']) {
      expect(noticesFor(path).join('\n'), path).toMatch(/invalid YAML: Maximum call stack size exceeded/);
    }
    expect(rulesFor('deep/package.json')).toEqual(['missing-lockfile']);
  });

  it('analyses 20,000-level nesting in JavaScript without recursion: the flow through 20,000 functions is found', () => {
    expect(noticesFor('src/deep.js')).toEqual([]);
    const found = result.findings.filter((f) => f.path === 'src/deep.js');
    expect(found.map((f) => [f.ruleId, f.line, f.severity])).toEqual([
      ['command-injection', 20_003, 'critical'],
      // 20,000 levels of array are deeper than values are followed: a non-constant argument of unknown origin
      ['command-injection', 40_005, 'low'],
    ]);
  });

  it('replaces invalid UTF-8 (and says so, see above) and decodes UTF-16 (LE and BE) with a BOM', () => {
    for (const path of ['.github/workflows/latin1.yml', '.github/workflows/utf16le.yml', '.github/workflows/utf16be.yml']) {
      expect(rulesFor(path), path).toEqual(expect.arrayContaining(['template-injection', 'unpinned-action', 'untrusted-checkout']));
    }
    for (const path of ['utf16le/Dockerfile', 'utf16be/Dockerfile']) expect(rulesFor(path), path).toContain('latest-image-tag');
  });

  it('checks a Dockerfile with 100,000 line continuations and a workflow with as many jobs as GitHub accepts to the end', () => {
    expect(rulesFor('continuations/Dockerfile')).toContain('latest-image-tag');
    const jobs = result.findings.filter((f) => f.path === '.github/workflows/many-jobs.yml' && f.ruleId === 'unpinned-action');
    expect(jobs).toHaveLength(MANY_JOBS);
    expect(jobs.at(-1)!.line).toBeGreaterThan(20_000);
  });

  it('survives ReDoS attempts (unclosed quotes, ${{, $(, ${ and backticks by the hundred thousand; 1 MB base64 blobs)', () => {
    const redos = ['.github/workflows/redos.yml', '.github/workflows/redos-nesting.yml', 'redos/action.yml', 'redos/nesting/action.yml'];
    for (const path of [...redos, 'redos/Dockerfile', '.env', 'deploy/blob.yaml', 'near-cap.js']) {
      expect(noticesFor(path).filter((m) => /could not|failed/.test(m)), path).toEqual([]);
    }
    expect(rulesFor('redos/Dockerfile')).toContain('unpinned-image');
    // Checked, not passed over: the workflows are within GitHub's 512,000 bytes, the actions within the YAML cap.
    for (const path of redos) expect(rulesFor(path), path).not.toContain('unchecked-file');
    expect(rulesFor('.env')).toContain('committed-dotenv');
  });

  it('keeps file names with ::, %, comma, newline and CR exactly as they are', () => {
    for (const name of EVIL_NAMES) expect(rulesFor(`names/${name}`), JSON.stringify(name)).toContain('latest-image-tag');
  });

  it('keeps every span inside its file', () => {
    for (const f of result.findings) {
      expect(f.line, f.path).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      expect(f.column).toBeGreaterThanOrEqual(1);
    }
  });
});

/** Workflow-command grammar: `::name k=v,k=v::data`. The runner reads a command from a line's start (after spaces). */
const ALLOWED_COMMANDS = new Set(['error', 'warning', 'notice', 'add-mask', 'debug', 'group', 'endgroup']);
const PROPERTY_KEYS = new Set(['title', 'file', 'line', 'endLine', 'col', 'endColumn']);

interface Command {
  name: string;
  props: Record<string, string>;
  data: string;
}

function parseCommands(stdout: string): Command[] {
  const out: Command[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    expect(line.startsWith('##['), `v1 command: ${line.slice(0, 200)}`).toBe(false);
    if (!line.startsWith('::')) continue;
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s.exec(line);
    expect(m, `unparseable command line: ${line.slice(0, 200)}`).not.toBeNull();
    const [, name, propText, data] = m!;
    expect(ALLOWED_COMMANDS.has(name!), `unexpected command ${name}`).toBe(true);
    // Data: %, CR and LF escaped (so the command is one line and nothing in it starts another).
    expect(data!.replace(/%(25|0D|0A)/g, ''), 'unescaped % or CR in data').not.toMatch(/[%\r]/);
    const props: Record<string, string> = {};
    for (const kv of propText ? propText.split(',') : []) {
      const eq = kv.indexOf('=');
      const key = kv.slice(0, eq);
      const value = kv.slice(eq + 1);
      expect(PROPERTY_KEYS.has(key), `unexpected property ${key}`).toBe(true);
      expect(key in props, `property ${key} twice`).toBe(false);
      expect(value.replace(/%(25|0D|0A|3A|2C)/g, ''), `unescaped property ${key}=${value}`).not.toMatch(/[%\r\n:,]/);
      props[key] = value;
    }
    out.push({ name: name!, props, data: data! });
  }
  return out;
}

const unescapeProperty = (v: string): string =>
  v.replace(/%(25|0D|0A|3A|2C)/g, (_m, c: string) => ({ '25': '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[c]!);

let runs = 0;
function runAction(workspace: string, inputs: Record<string, string> = {}): Promise<BundleRun> {
  // Only the inputs named here, not action.yml's defaults; the run reads nothing from the event payload.
  return runBundle({
    dir: join(scratch, `temp-${++runs}`),
    workspace,
    event: 'push',
    payload: {},
    inputs: { path: '.', 'fail-on': 'high', token: 'ghs_hostile_token', ...inputs },
    env: { HOME: scratch, GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', GITHUB_REPOSITORY: 'acme/hostile' },
  });
}

describe('the action bundle on hostile input (runs the committed dist/)', () => {
  // The volume and ReDoS cases are scanned in-process above; without them here, their 30,000 findings do not use
  // up the 10-per-level annotation budget that the injection cases below need to be seen.
  const light = join(scratch, 'light');
  beforeAll(() => {
    generateHostile(light, { heavy: false });
  }, 120_000);

  it('prints only well-formed, escaped commands, one per annotation, whose file= names real files', async () => {
    const r = await runAction(light, { 'fail-on': 'never' });
    expect(r.status, r.stderr).toBe(0);
    const commands = parseCommands(r.stdout);
    const annotations = commands.filter((c) => ['error', 'warning', 'notice'].includes(c.name));
    expect(annotations.length).toBeGreaterThan(5);
    for (const a of annotations) {
      expect(unescapeProperty(a.props['title'] ?? '')).toMatch(/^portcullis/);
      if (a.props['file']) expect(existsSync(join(light, unescapeProperty(a.props['file']))) || lstatSync(join(light, unescapeProperty(a.props['file'])))).toBeTruthy();
    }
    // The skipped-files notice names the reasons.
    const skipped = annotations.find((a) => a.data.startsWith('skipped '));
    for (const reason of ['1 larger than 16 MiB (big.js)', '2 symlink outside the root (outside-dir, outside-file)']) {
      expect(skipped?.data).toContain(reason);
    }
    expect(skipped?.data).toMatch(/symlink loop \(loop\/a, loop\/b/);
    expect(r.stdout).toContain('main%0A::error file=a,line=1::pwned%0D%0A::set-output name=x::y');
    // A value with a real newline then `::error …` (the `uses:` of command-injection.yml) stays inside one escaped command.
    expect(r.stdout).not.toMatch(/^\s*::(set-output|error file=a)/m);
  }, 300_000);

  it('round-trips file names with ::, %, comma, newline and CR through file=', async () => {
    const r = await runAction(light, { path: 'names', 'fail-on': 'never' });
    expect(r.status, r.stderr).toBe(0);
    const files = new Set(parseCommands(r.stdout).flatMap((c) => (c.props['file'] ? [unescapeProperty(c.props['file'])] : [])));
    for (const name of EVIL_NAMES) expect(files, JSON.stringify(name)).toContain(`names/${name}`);
  }, 300_000);

  it('the CLI text output shows control characters in names and messages escaped', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', join(light, 'names'), '--fail-on', 'never'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('new\\u000aline.Dockerfile');
    expect(r.stdout).toContain('cr\\u000d.Dockerfile');
    expect(r.stdout).toContain('evil::error file=x::pwned.Dockerfile');
  }, 120_000);
});
