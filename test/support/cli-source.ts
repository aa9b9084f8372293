// Runs the CLI from source (`node --import tsx src/cli.ts …`) as a child process, with the
// colour and CA variables of the surrounding shell removed so output is plain and start-up fast.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export type CliRun = { code: number | null; stdout: string; stderr: string };

export function cliFromSource(args: string[]): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'NODE_EXTRA_CA_CERTS'].includes(k)) env[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), ...args], { cwd: repoRoot, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}
