import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BaselineError, parseBaseline, type Baseline } from './core/baseline.js';
import { ConfigError, DEFAULT_CONFIG_FILES, parseConfig, type Config } from './core/config.js';
import type { Rule } from './core/types.js';
import { GateFileError, isPresent, readGateFile } from './gate-file.js';
import { rules as allRules } from './rules/index.js';

export { ConfigError };

export interface LoadConfigOptions {
  /** The folder config files must stay inside, symlinks resolved; default: the scanned root. */
  workspace?: string;
  /** How messages name that folder; default: "the scanned folder". */
  workspaceLabel?: string;
  /** `explicitPath` was typed by the operator (the CLI's --config): outside the workspace it is theirs to name. */
  operatorNamed?: boolean;
  rules?: readonly Rule[];
}

/**
 * Finds and validates the config file: `explicitPath` when given (relative to the working directory;
 * missing is an error), else `.github/portcullis.yml` or `.portcullis.yml` in `root` (missing is fine:
 * no file, no config). Whatever is at a default path must be a regular file inside the workspace (a
 * symlink out, a FIFO or a folder there is an error, not "no config"). Throws ConfigError with
 * `file:line:column` messages.
 */
export function loadConfig(root: string, explicitPath?: string, options: LoadConfigOptions = {}): { config: Config; path: string } | undefined {
  let path: string;
  if (explicitPath !== undefined && explicitPath !== '') {
    path = resolve(explicitPath);
  } else {
    const found = DEFAULT_CONFIG_FILES.map((f) => join(root, f)).filter(isPresent);
    if (found.length === 0) return undefined;
    if (found.length > 1) throw new ConfigError([`${DEFAULT_CONFIG_FILES.join(' and ')} both exist: keep one`]);
    path = found[0]!;
  }
  // Messages and suppressions name the file as the findings name theirs: relative to the scanned root when inside it.
  const rel = relative(resolve(root), path);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : (explicitPath ?? path);
  let text: string;
  try {
    text = readGateFile(path, {
      workspace: options.workspace ?? root,
      workspaceLabel: options.workspaceLabel ?? 'the scanned folder',
      operatorNamed: options.operatorNamed === true && explicitPath !== undefined,
    });
  } catch (err) {
    if (!(err instanceof GateFileError)) throw err;
    if (err.problem === 'missing' && explicitPath) throw new ConfigError([`${explicitPath}: config file not found`]);
    throw new ConfigError([`${shown}: cannot use the config file: ${err.message}; not read`]);
  }
  return { config: parseConfig(text, shown, options.rules ?? allRules), path };
}

/**
 * Reads and parses a baseline file, held to the same rules as the config (a regular file inside the
 * workspace, capped). `shown` names it in messages and reports. Throws BaselineError.
 */
export function loadBaseline(path: string, shown: string, options: Omit<LoadConfigOptions, 'rules'> & { workspace: string }): Baseline {
  let text: string;
  try {
    text = readGateFile(path, { workspace: options.workspace, workspaceLabel: options.workspaceLabel ?? 'the scanned folder', operatorNamed: options.operatorNamed === true });
  } catch (err) {
    if (!(err instanceof GateFileError)) throw err;
    if (err.problem === 'missing' || err.problem === 'unreadable') {
      throw new BaselineError(`cannot read the baseline ${shown} (${err.code ?? 'error'}); create it with \`portcullis baseline\``);
    }
    throw new BaselineError(`cannot use the baseline ${shown}: ${err.message}; not read`);
  }
  return parseBaseline(text, shown);
}
