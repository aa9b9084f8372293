import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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
