import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import * as core from './toolkit.js';
import { isInside as inside } from '../gate-file.js';
import { resolveTarget, TargetError } from '../scan-target.js';
import { FAIL_ON_VALUES, type FailOn } from '../core/gate.js';
import type { GateMode } from '../core/diff.js';

export interface ActionInputs {
  /**
   * The repository root (absolute, real): the outermost git checkout from the workspace down to the `path` input's
   * paths, else the workspace (scan-target.ts). Files are classified, configured and named from here.
   */
  root: string;
  /** The same folder relative to the workspace, POSIX separators; '' for the workspace itself (the usual case). */
  relativeRoot: string;
  /** The `path` input's files and folders, relative to the root (POSIX); undefined when it names the whole root. */
  only?: string[];
  workspace: string;
  /** Undefined when the input is empty: the config file's fail-on applies, else high. */
  failOn?: FailOn;
  /** Absolute path of the config file given by the `config` input, inside the workspace; '' to look for the default files. */
  config: string;
  token: string;
  exclude: string[];
  /** False: `# portcullis: ignore[…]` comments are ignored and each is reported (allow-inline-suppressions). */
  allowInlineSuppressions: boolean;
  /** `base`: on a pull request, the config (and baseline) are read from the base commit through the API. */
  configFrom: 'workspace' | 'base';
  /** Absolute path of the baseline file inside the workspace; '' for none. */
  baseline: string;
  /** Post (and update) the sticky pull request comment; only on pull request events. */
  comment: boolean;
  /** `inline`: new findings on changed lines become review comments; `off`: none. */
  review: 'inline' | 'off';
  /** `new`: only findings the base revision does not have block; `all`: every finding. Undefined: see effectiveGate. */
  gate?: GateMode;
  /** Absolute path the SARIF log is written to, inside the workspace; '' for none. */
  sarifFile: string;
  /** Code scanning category (`automationDetails.id` is `portcullis/<category>/`). */
  sarifCategory: string;
  /** Upload the SARIF log to code scanning through the API in this step (needs `security-events: write`). */
  uploadSarif: boolean;
  /** `online`: the pinned package versions are looked up in the OSV database at run time (see osv.ts); `bundled`: offline only; `auto`: online for a public repository, else bundled (effectiveAdvisories). */
  advisories: 'auto' | 'bundled' | 'online';
}

/** A bad input: its message names the input and what is allowed, and is shown as is. */
export class InputError extends Error {
  override name = 'InputError';
}

export function readInputs(workspace: string = process.env['GITHUB_WORKSPACE'] || process.cwd()): ActionInputs {
  const failOn = readFailOn();
  const exclude = parseList(core.getInput('exclude'));
  const token = core.getInput('token');
  const { root, relativeRoot, only, workspace: ws } = resolveScanPaths(core.getInput('path'), workspace);
  const config = resolveConfigFile(core.getInput('config'), ws);
  const sarifFile = resolveSarifFile(core.getInput('sarif-file'), ws);
  const scanned = (only ?? ['']).map((p) => [relativeRoot, p].filter(Boolean).join('/'));
  const sarifCategory = readSarifCategory(core.getInput('sarif-category'), scanned.join(','));
  const uploadSarif = readBoolean('upload-sarif', false);
  const allowInlineSuppressions = readBoolean('allow-inline-suppressions', true);
  const configFrom = readChoice('config-from', ['workspace', 'base'] as const);
  const baseline = resolveBaselineFile(core.getInput('baseline'), ws);
  const advisories = readChoice('advisories', ['auto', 'bundled', 'online'] as const);
  const comment = readBoolean('comment', true);
  const review = readChoice('review', ['inline', 'off'] as const);
  const gate = core.getInput('gate').trim() === '' ? undefined : readChoice('gate', ['new', 'all'] as const);
  return {
    root,
    relativeRoot,
    ...(only ? { only } : {}),
    workspace: ws,
    ...(failOn ? { failOn } : {}),
    config,
    token,
    exclude,
    sarifFile,
    sarifCategory,
    uploadSarif,
    allowInlineSuppressions,
    configFrom,
    baseline,
    advisories,
    comment,
    review,
    ...(gate ? { gate } : {}),
  };
}

function readFailOn(): FailOn | undefined {
  const raw = core.getInput('fail-on');
  if (raw === '') return undefined;
  const value = raw.toLowerCase();
  if (!(FAIL_ON_VALUES as readonly string[]).includes(value)) {
    throw new InputError(`Input "fail-on" must be one of ${FAIL_ON_VALUES.join(', ')}; got "${shown(raw)}"`);
  }
  return value as FailOn;
}

function readBoolean(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim();
  if (raw === '') return fallback;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw new InputError(`Input "${name}" must be true or false; got "${shown(raw)}"`);
}

function readChoice<T extends string>(name: string, allowed: readonly T[]): T {
  const raw = core.getInput(name).trim().toLowerCase() || allowed[0]!;
  if (!(allowed as readonly string[]).includes(raw)) throw new InputError(`Input "${name}" must be one of ${allowed.join(', ')}; got "${shown(raw)}"`);
  return raw as T;
}

/**
 * The `advisories` input, or its default (`auto`): `online` when the event payload says the repository is public
 * (its package names are public anyway), `bundled` when it is private or the payload does not say.
 */
export function effectiveAdvisories(advisories: ActionInputs['advisories'], ctx: { publicRepository?: boolean }): 'bundled' | 'online' {
  if (advisories !== 'auto') return advisories;
  return ctx.publicRepository === true ? 'online' : 'bundled';
}

/**
 * The `gate` input, or its default: `new` where there is a base to measure "new" against (pull_request,
 * pull_request_target, merge_group, and a push to the default branch), else `all`. Whether that base can
 * be read is decided later, in one place (base.ts), which falls back to `all` with a notice.
 */
export function effectiveGate(gate: GateMode | undefined, event: { eventName: string; push?: { ref: string; defaultBranch?: string } }): GateMode {
  if (gate) return gate;
  const e = event.eventName;
  if (e === 'pull_request' || e === 'pull_request_target' || e === 'merge_group') return 'new';
  if (e === 'push' && event.push?.defaultBranch && event.push.ref === `refs/heads/${event.push.defaultBranch}`) return 'new';
  return 'all';
}

/** The baseline file named by the `baseline` input, inside the workspace; '' when the input is empty. */
export function resolveBaselineFile(input: string, workspace: string): string {
  const raw = input.trim();
  if (!raw) return '';
  const target = resolve(workspace, raw);
  if (raw.includes('\0') || !inside(workspace, target) || target === workspace) {
    throw new InputError(`Input "baseline" must be a file inside the workspace (${workspace}); got "${shown(input)}"`);
  }
  return target;
}

/** Newline- or comma-separated entries, trimmed, empty ones dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The `path` input: files and folders, one per line, relative to the workspace (default `.`). They are resolved as
 * the CLI resolves its paths (scan-target.ts), with the workspace as the bound: the repository root is the checkout
 * at or below the workspace, every path must stay inside it (no `..` escape, no symlink out), and at least one must
 * exist (a missing one is skipped with a notice).
 */
export function resolveScanPaths(input: string, workspace: string): { root: string; relativeRoot: string; only?: string[]; workspace: string } {
  let ws: string;
  try {
    ws = realpathSync(resolve(workspace));
  } catch {
    throw new InputError(`The workspace ${workspace} does not exist`);
  }
  const paths = input.split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
  let found;
  try {
    found = resolveTarget(paths.length > 0 ? paths : ['.'], { cwd: ws, workspace: ws });
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    throw new InputError(`Input "path" must name files or folders inside the workspace (${ws}); got "${shown(input)}": ${err.message.replace(/[\r\n]+/g, ' ')}`);
  }
  return { root: found.root, relativeRoot: relative(ws, found.root).split(sep).join('/'), ...(found.only ? { only: found.only } : {}), workspace: ws };
}

/** The SARIF file goes inside the workspace (where upload-sarif reads it); '' means none. */
export function resolveSarifFile(input: string, workspace: string): string {
  const raw = input.trim();
  if (!raw) return '';
  const target = resolve(workspace, raw);
  if (raw.includes('\0') || !inside(workspace, target) || target === workspace) {
    throw new InputError(`Input "sarif-file" must be a file path inside the workspace (${workspace}); got "${shown(input)}"`);
  }
  return target;
}

/**
 * Default: the scanned paths, so that two steps scanning two folders keep separate alerts. Paths are the checkout's
 * names: spaces and control characters become `_`, and a list over the 100-character limit keeps its first 80
 * characters and a hash of the whole, so two long lists stay apart.
 */
export function readSarifCategory(input: string, scanned: string): string {
  const raw = input.trim();
  if (!raw) {
    const safe = scanned.replace(/[\s\p{Cc}]/gu, '_');
    if (safe.length <= 100) return safe || 'root';
    return `${safe.slice(0, 80)}-${createHash('sha256').update(scanned).digest('hex').slice(0, 12)}`;
  }
  if (raw.length > 100 || /[\s\p{Cc}]/u.test(raw)) {
    throw new InputError(`Input "sarif-category" must be at most 100 characters without spaces or control characters; got "${shown(input)}"`);
  }
  return raw.replace(/^\/+|\/+$/g, '') || 'root';
}

/** The config file named by the `config` input, inside the workspace; '' when the input is empty. */
export function resolveConfigFile(input: string, workspace: string): string {
  const raw = input.trim();
  if (!raw) return '';
  const target = resolve(workspace, raw);
  if (raw.includes('\0') || !inside(workspace, target)) throw new InputError(`Input "config" must be a file inside the workspace (${workspace}); got "${shown(input)}"`);
  return target;
}

/** Echo a bad value back, but short and on one line. */
function shown(value: string): string {
  const one = value.replace(/[\r\n]+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
