import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

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
