/**
 * `config-from: base`: read the gate's own files (the config, the baseline) from the pull request's
 * BASE commit through the contents API, so a pull request cannot loosen the gate that judges it.
 * Configuration arrives as parameters (no process.env here) so tests point it at a loopback server.
 * `@actions/github` is imported lazily: its module body parses GITHUB_EVENT_PATH and throws on a bad file.
 */
import { relative, resolve, sep } from 'node:path';
import { loadBaseline, loadConfig } from '../config-file.js';
import { BaselineError, parseBaseline, type Baseline } from '../core/baseline.js';
import { DEFAULT_CONFIG_FILES, parseConfig, type Config } from '../core/config.js';
import { excerpt, MAX_GATE_FILE_BYTES } from '../core/limits.js';
import { isInside } from '../gate-file.js';
import { rules } from '../rules/index.js';
import type { RunContext } from './context.js';
import { createGitHubClient, GitHubApiError } from './github.js';

export interface BaseRef {
  token: string;
  /** GITHUB_API_URL, e.g. https://api.github.com (or a loopback server in tests). */
  apiUrl: string;
  /** owner/name of the base repository. */
  repository: string;
  /** The base commit SHA of the pull request. */
  sha: string;
}

/** The base commit could not be read (other than "no such file"): the run must fail, not fall back to the workspace. */
export class BaseFileError extends Error {
  override name = 'BaseFileError';
}

/** A file read at the base commit: its path (relative to the repository root) and text. */
export interface BaseFile {
  path: string;
  text: string;
}

/**
 * Reads the first of `paths` (relative to the repository root) that exists at the base commit.
 * Undefined when none exists (HTTP 404 for each); any other failure throws BaseFileError.
 */
export async function readFileFromBase(ref: BaseRef, paths: readonly string[]): Promise<BaseFile | undefined> {
  if (!ref.token) throw new BaseFileError('config-from: base reads the config through the GitHub API and needs the `token` input (with contents: read)');
  const [owner, repo] = ref.repository.split('/');
  if (!owner || !repo) throw new BaseFileError(`config-from: base needs the base repository as owner/name; got "${ref.repository}"`);
  // The same counted, bounded client as the pull request experience: a timeout per request, retries of reads, one deadline.
  const client = await createGitHubClient({ token: ref.token, apiUrl: ref.apiUrl, repository: `${owner}/${repo}` });
  for (const path of paths) {
    let data: unknown;
    try {
      data = await client.getContent(path, ref.sha);
    } catch (err) {
      const status = err instanceof GitHubApiError ? err.status : 0;
      const why = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
      const hint = status === 401 || status === 403 ? ' (the token needs `contents: read` on the base repository)' : '';
      throw new BaseFileError(`config-from: base could not read ${path} at the base commit ${ref.sha.slice(0, 12)} of ${ref.repository}: ${status || 'network error'} ${why}${hint}`);
    }
    if (data === undefined) continue;
    return { path, text: decode(data, path, ref) };
  }
  return undefined;
}

/** The file's text, at most MAX_GATE_FILE_BYTES of it (the same cap as a workspace file; checked before decoding). */
function decode(data: unknown, path: string, ref: BaseRef): string {
  const file = data as { type?: string; content?: string; encoding?: string; size?: number } | unknown[];
  if (Array.isArray(file) || file.type !== 'file') {
    throw new BaseFileError(`config-from: base: ${path} at the base commit ${ref.sha.slice(0, 12)} is not a file`);
  }
  const tooLarge = () => new BaseFileError(`config-from: base: ${path} at the base commit ${ref.sha.slice(0, 12)} is larger than ${MAX_GATE_FILE_BYTES / 1024 / 1024} MiB; not read`);
  if (typeof file.size === 'number' && file.size > MAX_GATE_FILE_BYTES) throw tooLarge();
  if (file.encoding !== 'base64' || typeof file.content !== 'string') {
    throw new BaseFileError(`config-from: base: ${path} at the base commit came back without its content (encoding ${file.encoding ?? 'none'}; files over 1 MB are not served inline)`);
  }
  // Base64 with line breaks: 4 characters for 3 bytes, plus a newline every 60.
  if (file.content.length > Math.ceil(MAX_GATE_FILE_BYTES / 3) * 4 * 1.05 + 4) throw tooLarge();
  const bytes = Buffer.from(file.content, 'base64');
  if (bytes.length > MAX_GATE_FILE_BYTES) throw tooLarge();
  return bytes.toString('utf8');
}

/** What `loadGateFiles` needs from the inputs and the run context. */
export interface GateFileInputs {
  root: string;
  relativeRoot: string;
  workspace: string;
  /** Absolute config path from the `config` input, or ''. */
  config: string;
  /** Absolute baseline path from the `baseline` input, or ''. */
  baseline: string;
  configFrom: 'workspace' | 'base';
  token: string;
}

export interface GateFiles {
  config?: Config;
  baseline?: Baseline;
  /** The baseline file as reports name it. */
  baselinePath?: string;
  /** Things to tell the user (as notices), e.g. "no config at the base commit". */
  messages: string[];
}

/**
 * The config and baseline that govern this run: from the workspace, or, with `config-from: base` on a
 * pull request, from the base commit (the workspace copies are then ignored, whatever the PR changed).
 */
export async function loadGateFiles(inputs: GateFileInputs, ctx: RunContext): Promise<GateFiles> {
  const messages: string[] = [];
  const baseSha = ctx.pullRequest?.baseSha;
  if (inputs.configFrom === 'base' && !baseSha) {
    messages.push(`config-from: base applies to pull requests; this ${ctx.eventName || 'run'} event has no base commit, so the workspace config is used.`);
  }
  if (inputs.configFrom !== 'base' || !baseSha) {
    // Both files must be regular files inside the workspace, whatever the checkout's symlinks say.
    const held = { workspace: inputs.workspace, workspaceLabel: 'the workspace' };
    const config = loadConfig(inputs.root, inputs.config || undefined, held)?.config;
    const file = inputs.baseline || configBaseline(config, inputs.root);
    if (!file) return { ...(config ? { config } : {}), messages };
    // A path outside the workspace (refused by loadBaseline) is named as the config wrote it.
    const baselinePath = isInside(inputs.workspace, file) ? shownPath(inputs, file) : excerpt(config?.baseline ?? file);
    return { ...(config ? { config } : {}), baseline: loadBaseline(file, baselinePath, held), baselinePath, messages };
  }

  const ref: BaseRef = { token: inputs.token, apiUrl: ctx.apiUrl, repository: ctx.pullRequest?.baseRepo ?? ctx.repository, sha: baseSha };
  const short = baseSha.slice(0, 12);
  const candidates = inputs.config ? [repoPath(inputs, inputs.config)] : DEFAULT_CONFIG_FILES.map((f) => (inputs.relativeRoot ? `${inputs.relativeRoot}/${f}` : f));
  const got = await readFileFromBase(ref, candidates);
  let config: Config | undefined;
  if (got) {
    config = parseConfig(got.text, `${scanRelative(inputs, got.path)} (base ${short})`, rules);
    messages.push(`config-from: base: using ${got.path} from the base commit ${short}; the pull request's copy is ignored.`);
  } else {
    messages.push(`config-from: base: no config file (${candidates.join(', ')}) at the base commit ${short}: defaults apply, and a config the pull request adds is ignored.`);
  }
  const file = inputs.baseline ? repoPath(inputs, inputs.baseline) : configBaselineRepoPath(config, inputs);
  if (!file) return { ...(config ? { config } : {}), messages };
  const base = await readFileFromBase(ref, [file]);
  if (!base) {
    messages.push(`config-from: base: no baseline ${file} at the base commit ${short}: no finding is baselined.`);
    return { ...(config ? { config } : {}), messages };
  }
  const baselinePath = `${scanRelative(inputs, file)} (base ${short})`;
  return { ...(config ? { config } : {}), baseline: parseBaseline(base.text, baselinePath), baselinePath, messages };
}

/** The config's `baseline` key (relative to the repository root), when the config has one. */
function configBaseline(config: Config | undefined, root: string): string {
  const value = config && 'baseline' in config && typeof config.baseline === 'string' ? config.baseline : '';
  return value ? resolve(root, value) : '';
}

function configBaselineRepoPath(config: Config | undefined, inputs: GateFileInputs): string {
  const file = configBaseline(config, inputs.root);
  if (file && !isInside(inputs.workspace, file)) throw new BaselineError(`cannot use the baseline ${excerpt(config?.baseline ?? '')}: it is outside the repository; not read`);
  return file ? repoPath(inputs, file) : '';
}

/** A workspace path as the contents API wants it: relative to the repository root, POSIX separators. */
function repoPath(inputs: GateFileInputs, file: string): string {
  return relative(inputs.workspace, file).split(sep).join('/');
}

/** Relative to the scanned folder when inside it (as findings name files), else to the repository root. */
function scanRelative(inputs: GateFileInputs, repoRelative: string): string {
  const prefix = inputs.relativeRoot ? `${inputs.relativeRoot}/` : '';
  return prefix && repoRelative.startsWith(prefix) ? repoRelative.slice(prefix.length) : repoRelative;
}

function shownPath(inputs: GateFileInputs, file: string): string {
  return scanRelative(inputs, repoPath(inputs, file));
}
