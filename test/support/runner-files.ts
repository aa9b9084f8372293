import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runNode } from './spawn-node.js';

/** The committed action bundle, as the runner starts it. */
export const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'index.js');

/** For beforeAll of a test that runs the bundle: a clear failure when dist/ was not built. */
export function requireBundle(): void {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: build it with \`npm run build\``);
}

/** Reads the runner's `name<<delimiter` file-command format (GITHUB_OUTPUT, GITHUB_ENV) into a map. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    if (end < 0) throw new Error(`unterminated output ${m[1]}`);
    out[m[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

/** The JSON report the action wrote under `runnerTemp`: each run writes it in a fresh `portcullis-*` folder. */
export function reportPathIn(runnerTemp: string): string {
  const dirs = readdirSync(runnerTemp).filter((d) => d.startsWith('portcullis-'));
  if (dirs.length !== 1) throw new Error(`expected one portcullis-* folder in ${runnerTemp}, found ${dirs.length}`);
  return join(runnerTemp, dirs[0]!, 'portcullis-report.json');
}

/** The inputs with the defaults action.yml declares (what the runner fills in), `${{ github.token }}` as `token`. */
export function actionDefaults(token: string): Record<string, string> {
  const action = parse(readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(action.inputs).map(([name, def]) => [name, String(def.default ?? '').replace('${{ github.token }}', token)]));
}

/** The INPUT_* variables the runner sets for these inputs (upper case, spaces as underscores, hyphens kept). */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]));
}

export interface BundleRunOptions {
  /** A fresh folder for this run: HOME, the event file, GITHUB_OUTPUT, the step summary and RUNNER_TEMP go here. */
  dir: string;
  /** GITHUB_WORKSPACE and the child's cwd. */
  workspace: string;
  /** GITHUB_EVENT_NAME and its payload (written to the event file). */
  event: string;
  payload: unknown;
  /** The inputs as the runner passes them (see actionDefaults), set as INPUT_* variables. */
  inputs: Record<string, string>;
  /** The rest of the run's variables (GITHUB_SHA, GITHUB_REPOSITORY, GITHUB_API_URL, …); these win. */
  env: Record<string, string>;
  /** The Node binary that runs the bundle (default: this one). */
  node?: string;
}

export interface BundleRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
}

/**
 * `node dist/index.js` in `workspace` with the files and variables a runner gives a step, and nothing else from this
 * process's environment but PATH. PORTCULLIS_TEST_FAST_API=1 (test-only) drops the client's write spacing and back-off.
 */
export async function runBundle(o: BundleRunOptions): Promise<BundleRun> {
  const runnerTemp = join(o.dir, 'runner-temp');
  mkdirSync(runnerTemp, { recursive: true });
  writeFileSync(join(o.dir, 'event.json'), JSON.stringify(o.payload));
  writeFileSync(join(o.dir, 'output'), '');
  writeFileSync(join(o.dir, 'summary.md'), '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: o.dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: join(o.dir, 'event.json'),
    GITHUB_OUTPUT: join(o.dir, 'output'),
    GITHUB_STEP_SUMMARY: join(o.dir, 'summary.md'),
    RUNNER_TEMP: runnerTemp,
    GITHUB_SERVER_URL: 'https://github.com',
    PORTCULLIS_TEST_FAST_API: '1',
    ...o.env,
    ...inputEnv(o.inputs),
  };
  const { code: status, stdout, stderr } = await runNode(BUNDLE, [], env, o.workspace, o.node);
  const outputs = parseOutputs(readFileSync(join(o.dir, 'output'), 'utf8'));
  return { status, stdout, stderr, outputs, summary: readFileSync(join(o.dir, 'summary.md'), 'utf8'), runnerTemp };
}
