import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node script …args` as a child process, asynchronously: a loopback fake (GitHub, OSV) in this process answers it
 * meanwhile. The child sees exactly `env`; `node` is this Node unless another binary is named.
 */
export function runNode(script: string, args: readonly string[], env: Record<string, string>, cwd?: string, node = process.execPath): Promise<NodeRun> {
  const child = spawn(node, [script, ...args], { env, ...(cwd ? { cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
}

/** This process's environment without the named variables (a developer's shell must not steer the child). */
export function inheritedEnv(drop: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !drop.includes(k)) out[k] = v;
  return out;
}
