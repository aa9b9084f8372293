import { sourceLanguageOf } from './parsers/code.js';
import { initTreeSitterFor } from './parsers/tree-sitter.js';
import { join } from 'node:path';
import type { Advisory } from './analysis/advisories.js';
import type { VulnerabilityData } from './analysis/vulnerabilities.js';
import { linkBuiltDockerfiles, unitBuildLinks, type BuildLink } from './analysis/build-links.js';
import { applyConfig, DEFAULT_CONFIG_FILES, isoDay, pathMatcher, ruleEnabled, ruleOptions, type Config } from './core/config.js';
import { declaresSample, isReadmePath } from './core/declared-samples.js';
import { isKustomizationPath, kustomizeLink, type KustomizeLink } from './analysis/kustomize.js';
import { checkUnit, compareFindings } from './core/engine.js';
import { summarise, type FailOn, type Summary } from './core/gate.js';
import type { Finding, Notice, Project, RepositoryDoc, Rule } from './core/types.js';
import { applyBaseline, BASELINE_FILE, type Baseline, type BaselineStats } from './core/baseline.js';
import { contextClassifier } from './core/context.js';
import { checkRepository, isRepositoryRule } from './core/repository.js';
import { applyInlineSuppressions, INEFFECTIVE_SUPPRESSION, type CommentStyle } from './core/suppress.js';
import { Lru } from './core/lru.js';
import { ScanSecrets, type SecretEntry } from './core/secrets.js';
import { checkDigests, type DigestChecks } from './core/value-digest.js';
import { discover, type Discovered, type Skipped } from './parsers/discover.js';
import { excludedPath } from './parsers/walk.js';
import { classify, gatedBy, makeUnit, mayBeShellByContent, type UncheckedReason } from './parsers/index.js';
import { isComposePath } from './parsers/workloads/index.js';
import { readTextFile, type Flawed, type Unread } from './parsers/read.js';
import { admit, failClosedOnSkipped, uncheckedFinding } from './fail-closed.js';
import { rememberLockfile } from './parsers/lockfiles/index.js';
import type { LockfileDoc } from './parsers/lockfiles/types.js';
import type { ManifestDoc } from './parsers/manifests/index.js';
import { rememberManifest } from './parsers/manifests/workspace.js';
import { rules as allRules } from './rules/index.js';
import { listed } from './core/limits.js';
import { scopeFindings } from './scope.js';
import { parseYaml, type YamlFile } from './parsers/yaml.js';
import { findReferences, withReferences, withRunBy, type References } from './scan-refs.js';
import { reviewPolicyPass, type BranchPolicyInput } from './review-policy-pass.js';
import type { ReviewPolicyOptions } from './rules/meta/review-policy.js';

/** The pipeline that both entry points run: discover → parse → check → summarise. */
export interface ScanOptions {
  failOn?: FailOn;
  /** Globs (relative to the root) of paths not to scan. */
  exclude?: readonly string[];
  /**
   * Files and folders under the root (relative, POSIX) to check; absent: the whole root. The rules still see the whole
   * tree through `ctx.project` (a manifest's lockfile, a Dockerfile's .dockerignore and the files that build it), and
   * findings name files from the root, but only files under these paths are checked and reported.
   */
  only?: readonly string[];
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
  /** The OSV lookup's vulnerability records (`advisories: online`, see action/osv.ts), for `vulnerable-dependency`; absent: it checks nothing. */
  vulnerabilities?: VulnerabilityData;
  /**
   * Checks runs of files on worker threads (see parallel.ts); absent: on this thread. Given by the entry points,
   * which know the bundle a worker starts from. Results are identical either way.
   */
  parallel?: ParallelScan;
  /**
   * Which of the READMEs that declare their folder a sample (core/declared-samples.ts) the scan honours. Absent: all of
   * them (a local scan: the tree is the user's own). The action passes one that keeps only the declarations the base
   * revision makes too (action/declared-at-base.ts), so that a pull request cannot take its own files out of the gate
   * by adding or editing a README. A declaration it does not honour leaves its folder's context to the path rules.
   */
  confirmSamples?: ConfirmSamples;
  /**
   * Whether the repository rules (CODEOWNERS, dependency updates, a security policy: they read the tree as a whole)
   * run. The entry points set it when the root is the repository's (the CLI, the action when its `path` is the
   * workspace); tests of other rules leave it off. Even when set, they run only when the scan covers the whole root:
   * a scan of named files (pre-commit) is not told what is missing elsewhere.
   */
  repository?: boolean;
  /** The default branch's protection as the GitHub API answered (action/branch-policy.ts), for `review-policy`; absent: not checked. */
  branchPolicy?: BranchPolicyInput;
}

/** Given the declaring READMEs (repository-relative), the ones to honour, and why the others are not. */
export type ConfirmSamples = (readmes: readonly string[]) => Promise<{ honoured: ReadonlySet<string>; why?: string }>;

/** Checks the candidate files on worker threads; undefined when it declines (too few files), and the scan runs here. */
export interface ParallelScan {
  /** Discovery calls `warm` once it has listed this many files, so the threads load while it walks on. */
  minFiles: number;
  warm(): void;
  check(disk: DiskScan, plan: ScanPlan, options: ScanOptions): Promise<PartialScan[] | undefined>;
}

/** A tree on disk as the scan checks it: every file discovery listed, the files to check (in order), the size cap. */
export interface DiskScan {
  root: string;
  paths: readonly string[];
  work: readonly string[];
  maxFileBytes: number;
  /** The listed paths that are symlinks (discovery checked they lead to a file inside the root); no other symlink is opened. */
  links: readonly string[];
  /** What files say about others (scan-refs.ts): found once on the main thread, handed to every thread. */
  refs?: References;
}

/** The rules whose `advisories` option takes online advisories (see ScanOptions.advisories). */
export const ADVISORY_RULES: ReadonlySet<string> = new Set(['compromised-dependency', 'known-vulnerable-action']);
/** The rule whose `vulnerabilities` option takes the OSV lookup's records (see ScanOptions.vulnerabilities). */
export const VULNERABILITY_RULE = 'vulnerable-dependency';
const REVIEW_POLICY = 'review-policy';

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
   * SECRET. The raw values of the secrets found, each under its finding (see core/secrets.ts): the action masks the
   * credential-like ones, `portcullis baseline` digests them. It serialises to `{}`; no reporter reads it.
   */
  secrets?: ScanSecrets;
  /** Every file discovery listed (relative paths, sorted), from `scanDirectory`: the tree the rules saw through `ctx.project`. */
  discovered?: readonly string[];
}

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** How many files read through the project view stay in memory (see scanDirectory). */
const PROJECT_READ_CACHE = 32;

export async function scanDirectory(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const parallel = options.parallel;
  const found = await discover(root, {
    exclude: [...(options.exclude ?? []), ...(options.config?.paths.exclude ?? [])],
    ...(options.only ? { only: options.only } : {}),
    ...(parallel ? { enough: { files: parallel.minFiles, then: () => parallel.warm() } } : {}),
  });
  const paths = found.files.map((f) => f.path);
  const plan = planScan(options);
  const links = found.files.filter((f) => f.link).map((f) => f.path);
  const refs = findReferences(paths, projectOnDisk({ root, paths, work: [], maxFileBytes, links }, new Set(links)), plan);
  const referenced = new Set(refs.map(([p]) => p));
  const disk: DiskScan = { root, paths, work: paths.filter((p) => isCandidate(plan, p, referenced.has(p))), maxFileBytes, links, refs };
  await initTreeSitterFor(disk.work);
  const parts = (parallel ? await parallel.check(disk, plan, options) : undefined) ?? [diskChecker(disk, plan)(0, disk.work.length)];
  const outside = linksFromOutside(disk, plan);
  const vendored = checkBuiltVendored(disk, found, plan, [...parts, ...(outside ? [outside] : [])]);
  const extra = [outside, vendored, ...repositoryParts(plan, paths, projectOnDisk(disk, new Set(links)), options)].filter((p) => p !== undefined);
  const all = await honourSamples([discoveredPart(found, plan), ...parts, ...extra], options.confirmSamples);
  // the baseline's value digests are slow by design: checked here in parallel rather than one by one in finishScan
  const digests = options.baseline ? await checkDigests(options.baseline, all.flatMap((p) => p.secrets)) : undefined;
  const seen = plan.selected ? paths.filter(plan.selected).length : paths.length;
  const result = finishScan(root, seen, all, [], options, digests);
  result.discovered = paths;
  return result;
}

/**
 * When only some paths are checked, a Dockerfile among them is still built by workflows and compose files elsewhere
 * in the tree: their build links are read (parsed, not checked) so the Dockerfile's findings name them and take
 * their context, as in a scan of the whole tree.
 */
function linksFromOutside(disk: DiskScan, plan: ScanPlan): PartialScan | undefined {
  const { selected } = plan;
  if (!selected || !plan.linking || !disk.work.some((p) => classify(p).includes('dockerfile'))) return undefined;
  const out = emptyPart();
  const links = new Set(disk.links);
  for (const path of disk.paths) {
    if (selected(path)) continue;
    const kinds = classify(path);
    if (!kinds.includes('workflow') && !(kinds.includes('workload') && isComposePath(path))) continue;
    if ((plan.included && !plan.included(path)) || plan.excluded?.(path)) continue;
    const got = readTextFile(join(disk.root, path), disk.maxFileBytes, { follow: links.has(path) });
    if (typeof got !== 'string') continue;
    for (const l of unitBuildLinks(makeUnit(path, got, [], kinds))) out.links.push(l);
  }
  return out;
}

/**
 * The parts with only the sample declarations `confirm` honours, and a notice naming the folders it did not: the
 * author of a pull request that adds a sample README sees why its folder still blocks. A `confirm` that fails
 * honours none (fail closed: the files stay in the gate).
 */
async function honourSamples(parts: PartialScan[], confirm: ConfirmSamples | undefined): Promise<PartialScan[]> {
  const declared = parts.flatMap((p) => p.samples);
  if (!confirm || declared.length === 0) return parts;
  let verdict: Awaited<ReturnType<ConfirmSamples>>;
  try {
    verdict = await confirm(declared);
  } catch (err) {
    verdict = { honoured: new Set(), why: `they could not be checked against the base commit: ${err instanceof Error ? err.message : String(err)}` };
  }
  const { honoured } = verdict;
  const kept = parts.map((p) => (p.samples.length === 0 ? p : { ...p, samples: p.samples.filter((r) => honoured.has(r)) }));
  const refused = declared.filter((r) => !honoured.has(r)).sort();
  if (refused.length === 0) return kept;
  const shown = listed(refused);
  const message = `${refused.length} README(s) that call their folder a sample or an example were not taken as such (${shown}): ${verdict.why ?? 'the base commit does not declare them'}. Their folders' findings are judged by their paths, as if the READMEs said nothing.`;
  return [...kept, { ...emptyPart(), notices: [{ message }] }];
}

/** What discovery passed over, and the notice when it walked the folder instead of asking git. */
function discoveredPart(found: Discovered, plan: ScanPlan): PartialScan {
  const checked = (p: string) => plan.failClosed && isCandidate(plan, p) && gatedBy(p, classify(p)) !== undefined;
  const skipped = plan.selected ? found.skipped.filter((s) => plan.selected!(s.path)) : found.skipped;
  const notices: Notice[] = found.fallback ? [{ message: found.fallback }] : [];
  // pre-commit can pass a file the commit deletes: there is nothing to check, and it is said once.
  if (found.missing.length > 0) notices.push({ message: `${found.missing.length} named path(s) not found, so not checked (deleted?): ${listed(found.missing)}` });
  if (found.excluded) notices.push({ message: `${found.excluded.length} named path(s) excluded (--exclude or the config's paths.exclude), so not checked: ${listed(found.excluded)}` });
  return { ...emptyPart(), ...failClosedOnSkipped(skipped, checked), notices };
}


/**
 * Vendored folders are not scanned (their code is someone else's), but a Dockerfile there that a compose file or a
 * workflow of the tree builds is part of this build: it is checked after the rest, on this thread, with the vendored
 * files in the project view (its `.dockerignore`, say).
 */
function checkBuiltVendored(disk: DiskScan, found: Discovered, plan: ScanPlan, parts: readonly PartialScan[]): PartialScan | undefined {
  if (found.vendored.length === 0) return undefined;
  const built = new Set(parts.flatMap((p) => p.links.map((l) => l.dockerfile)));
  const work = found.vendored.map((v) => v.path).filter((p) => built.has(p) && isCandidate(plan, p));
  if (work.length === 0) return undefined;
  const paths = [...disk.paths, ...found.vendored.map((v) => v.path)].sort();
  const links = [...disk.links, ...found.vendored.filter((v) => v.link).map((v) => v.path)];
  return diskChecker({ ...disk, paths, work, links }, plan)(0, work.length);
}

/** Checks `work[from..to)` of a tree on disk (see checkFiles), every call through one project view; any thread can hold one. */
export function diskChecker(disk: DiskScan, plan: ScanPlan): (from: number, to: number) => PartialScan {
  const links = new Set(disk.links);
  const project = projectOnDisk(disk, links);
  const read = (p: string, strict: boolean) => readTextFile(join(disk.root, p), disk.maxFileBytes, { follow: links.has(p), strict });
  return (from, to) => checkFiles(plan, disk.work, from, Math.min(to, disk.work.length), project, read);
}

/** The files of the tree as rules see them through ctx.project: neighbours (manifests, lockfiles, .dockerignore) read on demand, a few kept. */
function projectOnDisk(disk: DiskScan, links: ReadonlySet<string>): Project {
  const cache = new Lru<string, string | undefined>(PROJECT_READ_CACHE);
  return makeProject(
    disk.paths,
    (p) =>
      cache.get(p, () => {
        const r = readTextFile(join(disk.root, p), disk.maxFileBytes, { follow: links.has(p) });
        return typeof r === 'string' ? r : undefined;
      }),
    disk.refs,
  );
}

/** The same pipeline over in-memory files (used by rule examples and tests). */
export function scanFiles(files: Readonly<Record<string, string>>, options: ScanOptions = {}): ScanResult {
  const paths = Object.keys(files).sort();
  const plan = planScan(options);
  const refs = findReferences(paths, makeProject(paths, (p) => files[p]), plan);
  const project = makeProject(paths, (p) => files[p], refs);
  const referenced = new Set(refs.map(([p]) => p));
  const work = paths.filter((p) => isCandidate(plan, p, referenced.has(p)));
  const part = checkFiles(plan, work, 0, work.length, project, (p) => files[p]);
  return finishScan('.', paths.length, [part, ...repositoryParts(plan, paths, project, options)], [], options);
}

/** The parts that read the repository as a whole: the repository rules (see ScanOptions.repository) and review-policy. */
export function repositoryParts(plan: ScanPlan, paths: readonly string[], project: Project, options: ScanOptions): PartialScan[] {
  const repository = options.repository ? repositoryPart(plan, paths, project, options) : undefined;
  const policy = policyPart(plan, options, project);
  return [repository, policy].filter((p): p is PartialScan => p !== undefined);
}

/** The repository rules' findings, when the scan covers the whole root and any of them is on (see ScanOptions.repository). */
export function repositoryPart(plan: ScanPlan, paths: readonly string[], project: Project, options: ScanOptions): PartialScan | undefined {
  if (plan.selected || !plan.rules.some(isRepositoryRule)) return undefined;
  const config = options.config;
  const doc: RepositoryDoc = {
    paths,
    contextOf: contextClassifier(config?.contexts),
    gateFiles: { config: DEFAULT_CONFIG_FILES, baseline: (config?.baseline ?? BASELINE_FILE).replace(/^(\.\/)+/, '') },
    hidden: excludedPath([...(options.exclude ?? []), ...(config?.paths.exclude ?? [])]),
  };
  const out = emptyPart();
  out.findings = checkRepository(plan.rules, doc, project, out.notices, plan.optionsOf);
  return out;
}

/**
 * The `review-policy` finding of the run (review-policy-pass.ts), when the rule runs and the API's answers were given.
 * The base revision's scan (scan-base.ts) makes it too, from the same answers and the base's workflow: so with `gate: new`
 * it is existing debt unless the change touches the line that names the gate's check.
 */
export function policyPart(plan: ScanPlan, options: ScanOptions, project: Project): PartialScan | undefined {
  const rule = plan.rules.find((r) => r.id === REVIEW_POLICY);
  if (!rule || !options.branchPolicy) return undefined;
  const approvals = options.config?.review?.requiredApprovals ?? 1;
  return { ...emptyPart(), ...reviewPolicyPass(options.branchPolicy, project, plan.optionsOf(rule) as unknown as ReviewPolicyOptions, approvals) };
}

/** What checking a run of files yields before the scan-wide steps (build links, config, sort, baseline). */
export interface PartialScan {
  findings: Finding[];
  notices: Notice[];
  skipped: Skipped[];
  filesRead: number;
  bytesRead: number;
  /** SECRET side list: each secret finding's raw values under its fingerprint (see ScanResult.secrets). */
  secrets: SecretEntry[];
  links: BuildLink[];
  /** What kustomizations deploy, and the READMEs that declare their folders samples (see scope.ts). */
  kustomize: KustomizeLink[];
  samples: string[];
}

/** Everything `checkFiles` needs that is decided once per scan. */
export interface ScanPlan {
  rules: readonly Rule[];
  wanted: ReadonlySet<string>;
  linking: boolean;
  /** `unchecked-file` runs: a file of a checked kind that cannot be read or parsed is a finding (see fail-closed.ts). */
  failClosed: boolean;
  /** With ScanOptions.only: whether a path is under one of the named paths. */
  selected?: (path: string) => boolean;
  included?: (path: string) => boolean;
  excluded?: (path: string) => boolean;
  optionsOf: (rule: Rule) => Record<string, unknown>;
  inline: () => Parameters<typeof applyInlineSuppressions>[3];
}

export function planScan(options: ScanOptions): ScanPlan {
  const config = options.config;
  const rules = (options.rules ?? allRules).filter((r) => ruleEnabled(r.id, config));
  const wanted = new Set(rules.flatMap((r) => r.reads));
  let inlineOptions: Parameters<typeof applyInlineSuppressions>[3] | undefined;
  const online = options.advisories?.length ? options.advisories : undefined;
  return {
    rules,
    wanted,
    // Workflows and compose files that build a Dockerfile are read for their build links when Dockerfiles are checked.
    linking: wanted.has('dockerfile'),
    failClosed: rules.some((r) => r.id === 'unchecked-file'),
    ...(options.only && !options.only.includes('') ? { selected: underAny(options.only) } : {}),
    ...(config?.paths.include.length ? { included: pathMatcher(config.paths.include) } : {}),
    ...(config?.paths.exclude.length ? { excluded: pathMatcher(config.paths.exclude) } : {}),
    optionsOf: (r) =>
      online && ADVISORY_RULES.has(r.id)
        ? { ...ruleOptions(r, config), advisories: online }
        : r.id === VULNERABILITY_RULE && options.vulnerabilities
          ? { ...ruleOptions(r, config), vulnerabilities: options.vulnerabilities }
          : ruleOptions(r, config),
    inline: () =>
      (inlineOptions ??= {
        allow: options.inlineSuppressions !== false,
        known: new Set([...allRules, ...rules].map((r) => r.id)),
        ran: new Set(rules.map((r) => r.id)),
      }),
  };
}

/** Whether a path is one of `named` or under one of them. */
function underAny(named: readonly string[]): (path: string) => boolean {
  const exact = new Set(named.map((p) => p.replace(/\/+$/, '')));
  return (path) => {
    if (exact.has(path)) return true;
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) if (exact.has(path.slice(0, cut))) return true;
    return false;
  };
}

/**
 * Whether the scan reads this path at all (by name, config and the named paths alone; nothing is read). `referenced`:
 * another file says what it is (see scan-refs.ts), a script a Dockerfile runs, say.
 */
export function isCandidate(plan: ScanPlan, path: string, referenced = false): boolean {
  const kinds = classify(path);
  const linked = isReadmePath(path) || isKustomizationPath(path);
  if (plan.selected && !plan.selected(path) && !linked) return false;
  const wanted = referenced || kinds.some((k) => plan.wanted.has(k) || (plan.linking && (k === 'workflow' || k === 'workload')));
  if (!linked && !wanted && !(plan.wanted.has('shell') && mayBeShellByContent(path, kinds))) return false;
  return !((plan.included && !plan.included(path)) || plan.excluded?.(path));
}

/**
 * Reads, parses and checks `work[from..to)` (candidates: see isCandidate), in order. Files are independent: any run
 * of them can be checked on its own.
 */
export function checkFiles(
  plan: ScanPlan,
  work: readonly string[],
  from: number,
  to: number,
  project: Project,
  /** `strict`: the file is of a checked kind (see ReadOptions.strict). */
  read: (path: string, strict: boolean) => string | Unread | Flawed | undefined,
): PartialScan {
  const out = emptyPart();
  const { rules, linking } = plan;
  // A lockfile or manifest parsed as its own file is the one the neighbouring manifest's rules read.
  const share = (kind: string, doc: unknown, path: string) => {
    if (kind === 'lockfile') rememberLockfile(project, path, doc as LockfileDoc | undefined);
    else if (kind === 'manifest') rememberManifest(project, path, doc as ManifestDoc | undefined);
  };
  for (let i = from; i < to; i++) {
    const path = work[i]!;
    const kinds = withReferences(classify(path), project.referrers?.(path));
    const gate = plan.failClosed ? gatedBy(path, kinds) : undefined;
    const got = read(path, gate !== undefined);
    if (got === undefined) continue;
    const admitted = admit(path, gate, got);
    if ('finding' in admitted) out.findings.push(admitted.finding);
    if ('skipped' in admitted) out.skipped.push(admitted.skipped);
    if (!('text' in admitted)) continue;
    const { text } = admitted;
    let unchecked = admitted.unchecked;
    out.filesRead++;
    out.bytesRead += Buffer.byteLength(text);
    // The first reason a checked file was not wholly checked becomes its one `unchecked-file` finding.
    const failed = gate ? (r: UncheckedReason) => void (unchecked ??= r) : undefined;
    const unit = makeUnit(path, text, out.notices, kinds, (kind, doc) => share(kind, doc, path), failed);
    const ruleFailed = failed && ((id: string, why: string) => failed({ code: `rule-${id}`, message: `rule ${id} failed on it (${why})` }));
    let found = checkUnit(rules, unit, project, out.notices, plan.optionsOf, out.secrets, ruleFailed);
    if (unchecked) found = [...found, uncheckedFinding(path, unchecked, unit.text)];
    found = withRunBy(found, project.referrers?.(path));
    const style = commentStyle(path);
    if (style && unit.text.includes('portcullis:')) found = applyInlineSuppressions(path, unit.text, found, plan.inline(), style);
    for (const f of found) out.findings.push(f);
    if (linking) for (const l of unitBuildLinks(unit)) out.links.push(l);
    if (isReadmePath(path) && declaresSample(text)) out.samples.push(path);
    if (isKustomizationPath(path)) {
      // `Kustomization` has no YAML extension, so the unit does not parse it as YAML
      const yaml = kinds.includes('yaml') ? (unit.document('yaml') as YamlFile | undefined) : parseYaml(path, unit.text, []);
      const link = kustomizeLink(path, yaml?.documents[0]?.contents, project);
      if (link) out.kustomize.push(link);
    }
  }
  return out;
}

function emptyPart(): PartialScan {
  return { findings: [], notices: [], skipped: [], filesRead: 0, bytesRead: 0, secrets: [], links: [], kustomize: [], samples: [] };
}

/** The scan-wide steps over the checked files' results, in path order: build links, config, order, baseline, summary. */
export function finishScan(
  root: string,
  filesSeen: number,
  parts: readonly PartialScan[],
  skippedFirst: readonly Skipped[],
  options: ScanOptions,
  digests?: DigestChecks,
): ScanResult {
  const config = options.config;
  const failOn = options.failOn ?? config?.failOn ?? 'high';
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  const skipped: Skipped[] = [...skippedFirst];
  const entries: SecretEntry[] = [];
  const links: BuildLink[] = [];
  const kustomize: KustomizeLink[] = [];
  const samples: string[] = [];
  const stats: ScanStats = { filesSeen, filesRead: 0, bytesRead: 0, skipped: 0 };
  for (const p of parts) {
    for (const f of p.findings) findings.push(f);
    for (const n of p.notices) notices.push(n);
    for (const s of p.skipped) skipped.push(s);
    for (const e of p.secrets) entries.push(e);
    for (const l of p.links) links.push(l);
    for (const k of p.kustomize) kustomize.push(k);
    for (const readme of p.samples) samples.push(readme.slice(0, readme.lastIndexOf('/')));
    stats.filesRead += p.filesRead;
    stats.bytesRead += p.bytesRead;
  }
  linkBuiltDockerfiles(findings, links);
  // A scan of named paths reports on them alone; the config's ignore entries and the baseline's entries for the rest
  // of the tree matched nothing here because nothing there was checked, so they are neither unused nor stale.
  const selected = options.only && !options.only.includes('') ? underAny(options.only) : undefined;
  let final: Finding[] = selected ? findings.filter((f) => selected(f.path)) : findings;
  if (config) {
    const ran = new Set((options.rules ?? allRules).filter((r) => ruleEnabled(r.id, config)).map((r) => r.id));
    if (selected) ran.delete(INEFFECTIVE_SUPPRESSION);
    // Without the API's answers review-policy judged nothing: an ignore entry for it is not unused.
    if (!options.branchPolicy?.answers) ran.delete(REVIEW_POLICY);
    final = applyConfig(final, config, options.today ?? isoDay(new Date()), ran);
  }
  const declared = scopeFindings(final, { builds: links, kustomize, samples }, config, options.rules ?? allRules);
  if (declared) notices.push(declared);
  final.sort(compareFindings);
  stats.skipped = skipped.length;
  // Found while walking or while reading: one order, by path, wherever a thread met them.
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (skipped.length > 0) notices.unshift(skippedNotice(skipped));
  // The one redaction pass: everything below, and every output made from the result, sees findings and notices
  // without credentials (see core/redact.ts). The baseline then compares redacted paths, as it stores them.
  const secrets = new ScanSecrets(entries);
  final = final.map((f) => secrets.finding(f));
  let shown = notices.map((n) => secrets.notice(n));
  let based: ReturnType<typeof applyBaseline> | undefined;
  if (options.baseline) {
    const file = options.baselinePath !== undefined ? { file: secrets.redactPath(options.baselinePath) } : {};
    const baseline = selected ? { ...options.baseline, findings: options.baseline.findings.filter((e) => selected(e.path)) } : options.baseline;
    based = applyBaseline(final, baseline, { secrets, ...file, ...(digests ? { checked: digests } : {}) });
    final = based.findings;
    shown = [...shown, ...based.notices];
  }
  return {
    root,
    failOn,
    findings: final,
    notices: shown,
    summary: summarise(final, failOn),
    stats,
    ...(based ? { baseline: based.stats } : {}),
    secrets,
  };
}

function makeProject(paths: readonly string[], read: (p: string) => string | undefined, refs?: References): Project {
  const said = new Map(refs);
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
    referrers: (p) => said.get(p) ?? [],
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
    return `${list.length} ${reason} (${listed(list)})`;
  });
  return { message: `skipped ${skipped.length} file(s): ${parts.join('; ')}` };
}

/** How a file's line comments start, when they can carry `portcullis: ignore[…]` (see hashCommentFile). */
export function commentStyle(path: string): CommentStyle | undefined {
  if (hashCommentFile(path)) return 'hash';
  const language = sourceLanguageOf(path);
  return language !== undefined && language !== 'python' ? 'slash' : undefined;
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
