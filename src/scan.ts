import { join } from 'node:path';
import type { Advisory } from './analysis/advisories.js';
import { linkBuiltDockerfiles, unitBuildLinks, type BuildLink } from './analysis/build-links.js';
import { applyConfig, isoDay, pathMatcher, ruleEnabled, ruleOptions, type Config } from './core/config.js';
import { checkUnit, compareFindings } from './core/engine.js';
import { summarise, type FailOn, type Summary } from './core/gate.js';
import type { Finding, Notice, Project, Rule } from './core/types.js';
import { applyBaseline, type Baseline, type BaselineStats } from './core/baseline.js';
import { applyInlineSuppressions } from './core/suppress.js';
import { Lru } from './core/lru.js';
import { discover, readTextFile, type Skipped } from './parsers/discover.js';
import { classify, makeUnit } from './parsers/index.js';
import { rememberLockfile } from './parsers/lockfiles/index.js';
import type { LockfileDoc } from './parsers/lockfiles/types.js';
import type { ManifestDoc } from './parsers/manifests/index.js';
import { rememberManifest } from './parsers/manifests/workspace.js';
import { rules as allRules } from './rules/index.js';

/** The pipeline that both entry points run: discover → parse → check → summarise. */
export interface ScanOptions {
  failOn?: FailOn;
  /** Globs (relative to the root) of paths not to scan. */
  exclude?: readonly string[];
  maxFileBytes?: number;
  rules?: readonly Rule[];
  /** The validated config file (see config-file.ts): rules on/off, severities, options, paths, `ignore:` entries, fail-on (below `failOn`). */
  config?: Config;
  /** UTC day (YYYY-MM-DD) against which `ignore:` entries' `until` dates are checked; default today. */
  today?: string;
  /** False: `# portcullis: ignore[…]` comments do not apply and are reported (allow-inline-suppressions). Default true. */
  inlineSuppressions?: boolean;
  /** Accepted existing findings: matching findings are suppressed (kind `baseline`); `baselinePath` names the file in reports. */
  baseline?: Baseline;
  baselinePath?: string;
  /** Advisories fetched online (`advisories: online`, see action/osv.ts), given to the rules that read advisories on top of the bundled dataset. */
  advisories?: readonly Advisory[];
}

/** The rules whose `advisories` option takes online advisories (see ScanOptions.advisories). */
export const ADVISORY_RULES: ReadonlySet<string> = new Set(['compromised-dependency', 'known-vulnerable-action']);

export interface ScanStats {
  filesSeen: number;
  filesRead: number;
  bytesRead: number;
  skipped: number;
}

export interface ScanResult {
  root: string;
  failOn: FailOn;
  findings: Finding[];
  notices: Notice[];
  summary: Summary;
  stats: ScanStats;
  /** Present when a baseline was given: how many entries matched, how many no longer match anything. */
  baseline?: BaselineStats;
  /**
   * SECRET — NEVER SERIALISE, PRINT OR REPORT. The raw values of the secrets found (deduplicated), collected from the rules'
   * `Report.secretValue` so the action can mask them (`core.setSecret`). No reporter reads this field; do not spread a
   * ScanResult into any output.
   */
  secretValues?: string[];
}

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** How many files read through the project view stay in memory (see scanDirectory). */
const PROJECT_READ_CACHE = 32;

export async function scanDirectory(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const found = await discover(root, { maxFileBytes, exclude: [...(options.exclude ?? []), ...(options.config?.paths.exclude ?? [])] });
  const paths = found.files.map((f) => f.path);
  const skipped: Skipped[] = [...found.skipped];
  // Neighbour files rules read through ctx.project (manifests, lockfiles, .dockerignore): a bounded memo, not every file of the tree.
  const cache = new Lru<string, string | undefined>(PROJECT_READ_CACHE);
  const project = makeProject(paths, (p) =>
    cache.get(p, () => {
      const r = readTextFile(join(root, p), maxFileBytes);
      return typeof r === 'string' ? r : undefined;
    }),
  );
  return run(root, paths, project, skipped, options, (p) => {
    const r = readTextFile(join(root, p), maxFileBytes);
    if (typeof r === 'string') return r;
    skipped.push({ path: p, reason: r.skip });
    return undefined;
  });
}

/** The same pipeline over in-memory files (used by rule examples and tests). */
export function scanFiles(files: Readonly<Record<string, string>>, options: ScanOptions = {}): ScanResult {
  const paths = Object.keys(files).sort();
  const project = makeProject(paths, (p) => files[p]);
  return run('.', paths, project, [], options, (p) => files[p]);
}

function run(
  root: string,
  paths: readonly string[],
  project: Project,
  skipped: Skipped[],
  options: ScanOptions,
  read: (path: string) => string | undefined,
): ScanResult {
  const config = options.config;
  const rules = (options.rules ?? allRules).filter((r) => ruleEnabled(r.id, config));
  // Precedence: the flag or action input, then the config file, then high.
  const failOn = options.failOn ?? config?.failOn ?? 'high';
  const included = config?.paths.include.length ? pathMatcher(config.paths.include) : undefined;
  const excluded = config?.paths.exclude.length ? pathMatcher(config.paths.exclude) : undefined;
  const wanted = new Set(rules.flatMap((r) => r.reads));
  const notices: Notice[] = [];
  const findings: Finding[] = [];
  const secretValues: string[] = [];
  const stats: ScanStats = { filesSeen: paths.length, filesRead: 0, bytesRead: 0, skipped: 0 };
  let inlineOptions: Parameters<typeof applyInlineSuppressions>[3] | undefined;
  const inline = (): Parameters<typeof applyInlineSuppressions>[3] =>
    (inlineOptions ??= {
      allow: options.inlineSuppressions !== false,
      known: new Set([...allRules, ...rules].map((r) => r.id)),
      ran: new Set(rules.map((r) => r.id)),
    });
  // Workflows and compose files that build a Dockerfile are read for their build links when Dockerfiles are checked.
  const linking = wanted.has('dockerfile');
  const online = options.advisories?.length ? options.advisories : undefined;
  const optionsOf = (r: Rule) => (online && ADVISORY_RULES.has(r.id) ? { ...ruleOptions(r, config), advisories: online } : ruleOptions(r, config));
  const links: BuildLink[] = [];
  // A lockfile or manifest parsed as its own file is the one the neighbouring manifest's rules read.
  const share = (kind: string, doc: unknown, path: string) => {
    if (kind === 'lockfile') rememberLockfile(project, path, doc as LockfileDoc | undefined);
    else if (kind === 'manifest') rememberManifest(project, path, doc as ManifestDoc | undefined);
  };
  for (const path of paths) {
    const kinds = classify(path);
    if (!kinds.some((k) => wanted.has(k) || (linking && (k === 'workflow' || k === 'workload')))) continue;
    if ((included && !included(path)) || excluded?.(path)) continue;
    const text = read(path);
    if (text === undefined) continue;
    stats.filesRead++;
    stats.bytesRead += Buffer.byteLength(text);
    const unit = makeUnit(path, text, notices, kinds, (kind, doc) => share(kind, doc, path));
    let found = checkUnit(rules, unit, project, notices, optionsOf, secretValues);
    if (hashCommentFile(path) && unit.text.includes('portcullis:')) found = applyInlineSuppressions(path, unit.text, found, inline());
    for (const f of found) findings.push(f);
    if (linking) links.push(...unitBuildLinks(unit));
  }
  linkBuiltDockerfiles(findings, links);
  if (config) {
    const configured = applyConfig(findings, config, options.today ?? isoDay(new Date()), new Set(rules.map((r) => r.id)));
    findings.length = 0;
    for (const f of configured) findings.push(f);
  }
  findings.sort(compareFindings);
  stats.skipped = skipped.length;
  if (skipped.length > 0) notices.unshift(skippedNotice(skipped));
  const based = options.baseline ? applyBaseline(findings, options.baseline, options.baselinePath) : undefined;
  const final = based ? based.findings : findings;
  return {
    root,
    failOn,
    findings: final,
    notices,
    summary: summarise(final, failOn),
    stats,
    ...(based ? { baseline: based.stats } : {}),
    secretValues: [...new Set(secretValues)],
  };
}

function makeProject(paths: readonly string[], read: (p: string) => string | undefined): Project {
  const set = new Set(paths);
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    let list = byDir.get(dir);
    if (!list) byDir.set(dir, (list = []));
    list.push(p);
  }
  return {
    has: (p) => set.has(p),
    read: (p) => (set.has(p) ? read(p) : undefined),
    list: (dir) => byDir.get(dir) ?? [],
  };
}

/** One notice for everything skipped, grouped by reason, naming the first few paths of each. */
export function skippedNotice(skipped: readonly Skipped[]): Notice {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) {
    let list = byReason.get(s.reason);
    if (!list) byReason.set(s.reason, (list = []));
    list.push(s.path);
  }
  const parts = [...byReason].map(([reason, list]) => {
    const shown = list.slice(0, 5).join(', ');
    return `${list.length} ${reason} (${shown}${list.length > 5 ? `, and ${list.length - 5} more` : ''})`;
  });
  return { message: `skipped ${skipped.length} file(s): ${parts.join('; ')}` };
}

/**
 * Files where `#` starts a comment, so `# portcullis: ignore[…]` is one. Elsewhere (Markdown, JSON,
 * JavaScript, bundles) the same text is prose or a string and neither suppresses nor is reported.
 */
export function hashCommentFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /^(Dockerfile|Containerfile|dockerfile|containerfile)([.-].*)?$/.test(name) ||
    /\.(Dockerfile|Containerfile|ya?ml|toml|sh|bash|zsh|py|rb|pl|r|tf|hcl|cfg|conf|ini|properties|env|txt|gitignore|dockerignore|npmrc|yarnrc|gitconfig|curlrc|wgetrc|condarc)$/i.test(name) ||
    /^(\.env(\..*)?|Gemfile|Pipfile|Makefile|Procfile|requirements.*\.(txt|in)|\.npmrc|\.yarnrc|\.gitconfig|gitconfig|pip\.conf|pip\.ini|\.condarc|\.curlrc|\.wgetrc)$/.test(name)
  );
}
