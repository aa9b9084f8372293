import { parse } from 'yaml';
import type { Notice } from '../../core/types.js';
import type { WorkspaceDoc } from './index.js';

/** pnpm-workspace.yaml: the `packages` globs (a small file; the plain YAML parser is enough). */
export function parsePnpmWorkspace(path: string, text: string, notices: Notice[]): WorkspaceDoc | undefined {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: false });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    notices.push({ path, ...(line ? { line } : {}), message: `invalid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
  const packages = typeof value === 'object' && value !== null ? (value as { packages?: unknown }).packages : undefined;
  const workspaces = Array.isArray(packages) ? packages.filter((g): g is string => typeof g === 'string') : [];
  return { role: 'workspace', ecosystem: 'npm', path, name: 'pnpm-workspace.yaml', workspaces };
}
