// Runs the CLI from source (`node --import tsx src/cli.ts …`) as a child process, with the
// colour and CA variables of the surrounding shell removed so output is plain and start-up fast.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = join(import.meta.dirname, '..', '..');

// tsx by its file: `--import tsx` is resolved from the child's working directory, which may be outside the repository.
const tsx = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** `options.env` is added to the child's environment; a run past `options.timeout` ms is killed (code null); `options.cwd` defaults to the repository. */
export function cliFromSource(args: string[], options: { env?: Record<string, string>; timeout?: number; cwd?: string } = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'NODE_EXTRA_CA_CERTS'].includes(k)) env[k] = v;
  Object.assign(env, options.env);
  const timeout = options.timeout ?? 0;
  return new Promise((done) => {
    execFile(process.execPath, ['--import', tsx, join(repoRoot, 'src/cli.ts'), ...args], { cwd: options.cwd ?? repoRoot, env, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}
