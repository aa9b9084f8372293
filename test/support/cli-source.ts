// Runs the CLI from source (`node --import tsx src/cli.ts …`) as a child process, with the
// colour and CA variables of the surrounding shell removed so output is plain and start-up fast.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** `options.env` is added to the child's environment; a run past `options.timeout` ms is killed (code null). */
export function cliFromSource(args: string[], options: { env?: Record<string, string>; timeout?: number } = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'NODE_EXTRA_CA_CERTS'].includes(k)) env[k] = v;
  Object.assign(env, options.env);
  const timeout = options.timeout ?? 0;
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli.ts'), ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}
