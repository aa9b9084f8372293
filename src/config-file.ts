import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError, DEFAULT_CONFIG_FILES, parseConfig, type Config } from './core/config.js';
import type { Rule } from './core/types.js';
import { rules as allRules } from './rules/index.js';

export { ConfigError };

/**
 * Finds and validates the config file: `explicitPath` when given (relative to the working directory;
 * missing is an error), else `.github/portcullis.yml` or `.portcullis.yml` in `root` (missing is fine:
 * no file, no config). Throws ConfigError with `file:line:column` messages.
 */
export function loadConfig(root: string, explicitPath?: string, rules: readonly Rule[] = allRules): { config: Config; path: string } | undefined {
  let path: string;
  if (explicitPath !== undefined && explicitPath !== '') {
    path = resolve(explicitPath);
    if (!isFile(path)) throw new ConfigError([`${explicitPath}: config file not found`]);
  } else {
    const found = DEFAULT_CONFIG_FILES.map((f) => join(root, f)).filter(isFile);
    if (found.length === 0) return undefined;
    if (found.length > 1) throw new ConfigError([`${DEFAULT_CONFIG_FILES.join(' and ')} both exist: keep one`]);
    path = found[0]!;
  }
  // Messages and suppressions name the file as the findings name theirs: relative to the scanned root when inside it.
  const rel = relative(resolve(root), path);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : (explicitPath ?? path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${shown}: cannot read the config file (${(err as Error).message.split('\n')[0]})`]);
  }
  return { config: parseConfig(text, shown, rules), path };
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
