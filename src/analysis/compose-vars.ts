import type { Project } from '../core/types.js';
import { parseDotenv } from './dotenv.js';

/** The variables compose interpolates a file with, as the repository commits them. */
export interface ComposeVars {
  get(name: string): string | undefined;
  /** Where the values come from, for messages: `.env`, `deploy/.env`. */
  source: string;
}

/**
 * The committed `.env` beside a compose file: the file `docker compose` reads for interpolation by default. A
 * service's `env_file:` sets the container's environment, not the file's variables, so it is not read here.
 */
export function composeVars(project: Project, composePath: string): ComposeVars | undefined {
  const dir = composePath.includes('/') ? composePath.slice(0, composePath.lastIndexOf('/') + 1) : '';
  const source = `${dir}.env`;
  if (!project.has(source)) return undefined;
  const text = project.read(source);
  if (text === undefined) return undefined;
  const values = new Map<string, string>();
  for (const a of parseDotenv(text)) values.set(a.name, a.value);
  return { get: (name) => values.get(name), source };
}

const VARIABLE = /\$(\$)|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}/g;

/**
 * `text` with compose's interpolation applied from `vars`: `$X`, `${X}`, `${X:-default}`, `${X-default}`, `${X:?err}`,
 * `${X:+alt}`, `$$`. Undefined when a variable has no value and no default (the shell must supply it). Values that hold
 * variables are expanded too, a few levels deep.
 */
export function interpolate(text: string, vars: ComposeVars, depth = 0): string | undefined {
  let unresolved = false;
  const out = text.replace(VARIABLE, (_m, dollar: string | undefined, bare: string | undefined, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (dollar) return '$';
    const key = (bare ?? name)!;
    const raw = vars.get(key);
    const value = raw !== undefined && raw.includes('$') && depth < 3 ? interpolate(raw, vars, depth + 1) : raw;
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const fallback = (): string => {
      const d = arg ?? '';
      const inner = d.includes('$') && depth < 3 ? interpolate(d, vars, depth + 1) : d;
      if (inner === undefined) unresolved = true;
      return inner ?? '';
    };
    if (op === ':-') return nonEmpty ? value : fallback();
    if (op === '-') return set ? value : fallback();
    if (op === ':+') return nonEmpty ? fallback() : '';
    if (op === '+') return set ? fallback() : '';
    if (!set || (op === ':?' && !nonEmpty)) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : out;
}
