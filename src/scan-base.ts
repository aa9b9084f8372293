/**
 * The base revision's findings for the files a change can affect, with the same engine, rules and config as
 * the head scan (see action/novelty.ts, which reads the base from git). No I/O of its own: unchanged files are
 * read through the head's reader, the base side of each changed file through `BaseSide.read`.
 *
 * The base view is the head's tree with the change undone: a changed file holds its base text (a renamed one
 * under its head path, so fingerprints compare), an added one is absent, a deleted one is back, and every
 * other file is the workspace's own (it is the same at both revisions).
 */
import { createHash } from 'node:crypto';
import { normaliseSnippet } from './core/fingerprint.js';
import { Lru } from './core/lru.js';
import type { Finding, Project } from './core/types.js';
import type { Flawed, Unread } from './parsers/read.js';
import { excludedPath, SKIP_DIRS } from './parsers/walk.js';
import { sourceLanguageOf } from './parsers/code.js';
import { classify } from './parsers/index.js';
import { isTerraformPath } from './parsers/terraform.js';
import { checkFiles, finishScan, isCandidate, planScan, repositoryParts, type ScanOptions } from './scan.js';
import { findReferences } from './scan-refs.js';

/** One changed file, paths relative to the scan root: `path` on the head side, `previous` on the base side (both for a modified or renamed file). */
export interface PathChange {
  path?: string;
  previous?: string;
}

/** How a file is read: its text, a reason it was skipped, or undefined when there is none. */
export type ReadText = (path: string, strict?: boolean) => string | Unread | Flawed | undefined;

export interface BaseSide {
  changes: readonly PathChange[];
  /** The base text of a changed file, by its base-side path; undefined when the base has no text for it (a submodule, a symlink). */
  read: ReadText;
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const nameOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const isPackageFile = (p: string): boolean => classify(p).some((k) => k === 'manifest' || k === 'lockfile');

function ancestorsOrSelf(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d !== '';) out.push((d = dirOf(d)));
  return out;
}

/**
 * Files a rule reads beside the one it checks, through `ctx.project` (see the rules and analysis/): a Dockerfile's
 * `.dockerignore` (or `<name>.dockerignore`), the manifests and lockfiles of its project and workspace, the other
 * `.tf` files of a Terraform module's folder (their `locals` and `variable` defaults), and the YAML files of a
 * Kubernetes folder (a Gateway's redirect HTTPRoute). Source files read the nearest package.json (js-yaml's version):
 * see affectedPaths. Nothing else is read across files, so a change to any other file can change only that file's own findings.
 */
export function isReadByNeighbours(path: string): boolean {
  return /(^|\.)dockerignore$/.test(nameOf(path)) || isPackageFile(path) || isTerraformPath(path) || /\.ya?ml$/i.test(path);
}

/**
 * The head files whose findings may differ at the base: what the change touches and what reads it.
 * - every changed file;
 * - beside a changed file that rules read as a neighbour (see isReadByNeighbours): everything in its folder
 *   (the Dockerfile beside a `.dockerignore`, the manifest beside its lockfile, the other lockfiles of a project);
 * - for a changed manifest or lockfile, the workspace around it: manifests and lockfiles in every folder above
 *   it (a workspace root's lockfile lists its members) and below it (members read the root's lockfile and
 *   declaration); any Cargo manifest or lockfile when a Cargo.toml changes (`package.workspace` may point anywhere);
 * - files whose findings name a changed file as a related location (a Dockerfile and the workflow or compose
 *   file that builds it).
 * test/scan-base.test.ts checks this against a full scan of the base, for every neighbour a rule example names.
 */
export function affectedPaths(
  changes: readonly PathChange[],
  headPaths: readonly string[],
  headFindings: readonly Finding[],
): Set<string> {
  const touched = new Set<string>();
  const changedHead = new Set<string>();
  for (const c of changes) {
    if (c.path !== undefined) {
      touched.add(c.path);
      changedHead.add(c.path);
    }
    if (c.previous !== undefined) touched.add(c.previous);
  }
  const dirs = new Set<string>();
  const packageDirs = new Set<string>();
  const aboveOrAtPackage = new Set<string>();
  let cargo = false;
  for (const p of touched) {
    if (isReadByNeighbours(p)) dirs.add(dirOf(p));
    if (!isPackageFile(p)) continue;
    packageDirs.add(dirOf(p));
    for (const a of ancestorsOrSelf(dirOf(p))) aboveOrAtPackage.add(a);
    if (nameOf(p) === 'Cargo.toml') cargo = true;
  }
  const out = new Set<string>();
  for (const p of headPaths) {
    const dir = dirOf(p);
    if (changedHead.has(p) || dirs.has(dir)) out.add(p);
    else if (packageDirs.size > 0 && sourceLanguageOf(p) !== undefined && ancestorsOrSelf(dir).some((a) => packageDirs.has(a))) out.add(p);
    else if (packageDirs.size > 0 && isPackageFile(p)) {
      const name = nameOf(p);
      if (
        aboveOrAtPackage.has(dir) ||
        ancestorsOrSelf(dir).some((a) => packageDirs.has(a)) ||
        (cargo && (name === 'Cargo.toml' || name === 'Cargo.lock'))
      )
        out.add(p);
    }
  }
  for (const f of headFindings) if (f.related.some((r) => r.path !== undefined && touched.has(r.path))) out.add(f.path);
  return out;
}

/** Whether discovery would list a path (the same folders skipped and `exclude` globs applied), for files only the base has. */
export function discoverable(exclude: readonly string[]): (path: string) => boolean {
  const excluded = excludedPath(exclude);
  return (path) => {
    const parts = path.split('/');
    if (parts.slice(0, -1).some((d) => SKIP_DIRS.has(d)) || parts[parts.length - 1] === '.git') return false;
    return !excluded(path);
  };
}

/** How many files read through the base view's project stay in memory (as the head scan's). */
const PROJECT_READ_CACHE = 32;

/**
 * The findings of the base revision's versions of `rescan` (head paths), checked through the base view with the
 * head scan's options (config, rules, advisories; no baseline: a baselined finding is existing either way).
 * `readHead` reads a file of the head tree as the head scan did (an unchanged file is the same at the base).
 */
export function scanBase(
  headPaths: readonly string[],
  readHead: ReadText,
  base: BaseSide,
  rescan: ReadonlySet<string>,
  options: ScanOptions,
  listable: (path: string) => boolean,
): { findings: Finding[]; read: ReadText } {
  const head = new Set(headPaths);
  const fromBase = new Map<string, string>(); // head-view path → base-side path whose text it holds
  const added = new Set<string>();
  for (const c of base.changes) {
    if (c.path !== undefined && c.previous !== undefined) fromBase.set(c.path, c.previous);
    else if (c.path !== undefined) added.add(c.path);
  }
  const restored: string[] = [];
  for (const c of base.changes) {
    if (c.path !== undefined || c.previous === undefined) continue;
    // A deleted file is back (where discovery would list it); under a name the head still lists (an untracked copy), it holds the base text.
    if (head.has(c.previous)) fromBase.set(c.previous, c.previous);
    else if (listable(c.previous)) {
      fromBase.set(c.previous, c.previous);
      restored.push(c.previous);
    }
  }
  const paths = [...headPaths.filter((p) => !added.has(p)), ...restored].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inView = new Set(paths);
  const readOne: ReadText = (p, strict) => {
    const previous = fromBase.get(p);
    return previous !== undefined ? base.read(previous, strict) : readHead(p, strict);
  };
  const cache = new Lru<string, string | undefined>(PROJECT_READ_CACHE);
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    const list = byDir.get(dirOf(p));
    if (list) list.push(p);
    else byDir.set(dirOf(p), [p]);
  }
  const project: Project = {
    has: (p) => inView.has(p),
    read: (p) =>
      inView.has(p)
        ? cache.get(p, () => {
            const r = readOne(p);
            return typeof r === 'string' ? r : undefined;
          })
        : undefined,
    list: (dir) => byDir.get(dir) ?? [],
  };
  const { parallel: _parallel, baseline: _baseline, baselinePath: _baselinePath, ...rest } = options;
  const plan = planScan(rest);
  // the head scan's view of which files Dockerfiles run and compose mounts, from the base revision's files
  const refs = new Map(findReferences(paths, project, plan));
  project.referrers = (p) => refs.get(p) ?? [];
  const work = paths.filter((p) => rescan.has(p) && isCandidate(plan, p, refs.has(p)));
  const part = checkFiles(plan, work, 0, work.length, project, readOne);
  // the repository rules read the whole base view, so that a finding on the repository root is existing when the base has
  // it too; review-policy is made from the same API answers and the base's workflow
  return { findings: finishScan('.', paths.length, [part, ...repositoryParts(plan, paths, project, rest)], [], rest).findings, read: readOne };
}

/**
 * A digest of the text a finding flags (its lines, whitespace collapsed), read through `read`: what
 * noveltyAgainstBase compares besides the fingerprint. Files are read once each (findings come sorted by path).
 */
export function flaggedText(read: ReadText): (f: Finding) => string | undefined {
  let path: string | undefined;
  let lines: string[] | undefined;
  return (f) => {
    if (f.path !== path) {
      path = f.path;
      const got = read(f.path, true);
      const text = typeof got === 'string' ? got : got && 'text' in got ? got.text : undefined;
      lines = text?.replace(/^\uFEFF/, '').split(/\r?\n/);
    }
    if (!lines) return undefined;
    const snippet = normaliseSnippet(lines.slice(f.line - 1, Math.max(f.line, f.endLine)).join('\n'));
    return createHash('sha256').update(snippet).digest('base64url').slice(0, 22);
  };
}
