import semver from 'semver';
import { parse } from 'smol-toml';
import { Lru } from '../core/lru.js';
import type { Project, Span } from '../core/types.js';
import { readLockfile, type LockEntry, type LockfileDoc } from '../parsers/lockfiles/index.js';
import type { PackageManifest } from '../parsers/manifests/index.js';
import { dirOf, findWorkspaceRoot, joinPath, readManifest } from '../parsers/manifests/workspace.js';
import { LineIndex } from '../parsers/source.js';
import { manifestDependencies } from './dependencies.js';
import { npmGitSpec } from './git-deps.js';

/** A memo that forgets everything when full: bounded, and a scan's distinct ranges and versions rarely fill it. */
function remember<V>(memo: Map<string, V>, key: string, make: (key: string) => V): V {
  let value = memo.get(key);
  if (value === undefined && !memo.has(key)) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, (value = make(key)));
  }
  return value as V;
}
const MEMO_LIMIT = 4096;
const validRanges = new Map<string, boolean>();
const ranges = new Map<string, semver.Range | null>();
const PRERELEASE = { includePrerelease: true };
const isValidRange = (range: string): boolean => remember(validRanges, range, (r) => semver.validRange(r) !== null);
/** `semver.satisfies(v, range, PRERELEASE)` is `new Range(range, PRERELEASE).test(v)`: each range and version is parsed once. */
const rangeOf = (range: string): semver.Range | null =>
  remember(ranges, range, (r) => {
    try {
      return new semver.Range(r, PRERELEASE);
    } catch {
      return null;
    }
  });

/** Entries whose version `semver.valid` accepts, in order, and those versions parsed and sorted (semver order). */
interface Versions {
  valid: readonly LockEntry[];
  sorted: readonly semver.SemVer[];
}

function versionsOf(entries: readonly LockEntry[]): Versions {
  const valid = entries.filter((e) => semver.valid(e.version) !== null);
  // Validity does not depend on `includePrerelease`, so these parse.
  const sorted = valid.map((e) => new semver.SemVer(e.version, PRERELEASE)).sort((a, b) => a.compare(b));
  return { valid, sorted };
}

/**
 * `sorted.some((v) => range.test(v))` in O(log n) per comparator set: with `includePrerelease` a set is an interval of semver
 * order (each comparator bounds it from one side), so only the least version above its lower bound need be tested.
 */
export function someSatisfies(range: semver.Range, sorted: readonly semver.SemVer[]): boolean {
  for (const set of range.set) {
    let lo: semver.SemVer | undefined;
    let loStrict = false;
    let hi: semver.SemVer | undefined;
    let hiStrict = false;
    for (const c of set) {
      if (!(c.semver instanceof semver.SemVer)) continue; // the any-version comparator
      const op = c.operator;
      if (op === '>' || op === '>=' || op === '' || op === '=') {
        const order = lo ? c.semver.compare(lo) : 1;
        if (order > 0) [lo, loStrict] = [c.semver, op === '>'];
        else if (order === 0) loStrict ||= op === '>';
      }
      if (op === '<' || op === '<=' || op === '' || op === '=') {
        const order = hi ? c.semver.compare(hi) : -1;
        if (order < 0) [hi, hiStrict] = [c.semver, op === '<'];
        else if (order === 0) hiStrict ||= op === '<';
      }
    }
    // The first version above the lower bound.
    let a = 0;
    let b = sorted.length;
    while (lo && a < b) {
      const mid = (a + b) >> 1;
      const order = sorted[mid]!.compare(lo);
      if (order > 0 || (order === 0 && !loStrict)) b = mid;
      else a = mid + 1;
    }
    if (a === sorted.length) continue;
    const order = hi ? sorted[a]!.compare(hi) : -1;
    if (order < 0 || (order === 0 && !hiStrict)) return true;
  }
  return false;
}

/** What an npm dependency spec asks of the lockfile: a package name and semver range, or nothing checkable. */
export function npmRange(name: string, spec: string): { name: string; range: string } | undefined {
  let target = name;
  let range = spec.trim();
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(range);
  if (alias) {
    target = alias[1]!;
    range = alias[2] ?? '*';
  }
  if (/^(workspace:|file:|link:|portal:|patch:|catalog:|https?:|git|github:|gitlab:|bitbucket:|\.|\/|~\/)/.test(range) || npmGitSpec(range)) return undefined;
  if (range === '' || range === 'latest') return undefined;
  return isValidRange(range) ? { name: target, range } : undefined;
}

/** Entries of one lockfile by key (the first entry with each key), by name and by PEP 503 name, built once per parse. */
interface LockIndex {
  firstByKey: Map<string | undefined, number>;
  byName: Map<string, LockEntry[]>;
  byPyName?: Map<string, LockEntry[]>;
  /** `versionsOf` the entries of a name, on first use. */
  versions: Map<string, Versions>;
}
const lockIndexes = new WeakMap<readonly LockEntry[], LockIndex>();

function lockIndex(lock: LockfileDoc): LockIndex {
  let idx = lockIndexes.get(lock.entries);
  if (idx) return idx;
  idx = { firstByKey: new Map(), byName: new Map(), versions: new Map() };
  lock.entries.forEach((e, i) => {
    if (!idx!.firstByKey.has(e.key)) idx!.firstByKey.set(e.key, i);
    const same = idx!.byName.get(e.name);
    if (same) same.push(e);
    else idx!.byName.set(e.name, [e]);
  });
  lockIndexes.set(lock.entries, idx);
  return idx;
}

/** The first entry whose key is one of `keys` (`entries.find((e) => keys.includes(e.key))`). */
function firstWithKey(lock: LockfileDoc, ...keys: (string | undefined)[]): LockEntry | undefined {
  const { firstByKey } = lockIndex(lock);
  let first: number | undefined;
  for (const k of keys) {
    const i = firstByKey.get(k);
    if (i !== undefined && (first === undefined || i < first)) first = i;
  }
  return first === undefined ? undefined : lock.entries[first];
}

const NONE: readonly LockEntry[] = [];
const entriesNamed = (lock: LockfileDoc, name: string): readonly LockEntry[] => lockIndex(lock).byName.get(name) ?? NONE;

/** Entries by PEP 503 name (`normalisePy`). */
function pyEntries(lock: LockfileDoc): Map<string, LockEntry[]> {
  const idx = lockIndex(lock);
  if (!idx.byPyName) {
    idx.byPyName = new Map();
    for (const e of lock.entries) {
      const key = normalisePy(e.name);
      const same = idx.byPyName.get(key);
      if (same) same.push(e);
      else idx.byPyName.set(key, [e]);
    }
  }
  return idx.byPyName;
}

/** True when the lockfile locks a package of this PEP 503 name. */
export const locksPyName = (lock: LockfileDoc, name: string): boolean => pyEntries(lock).has(normalisePy(name));

/** A locked version that is a link to a directory of the workspace (or the disk), not a registry release. */
const WORKSPACE_LINK = /^(link:|file:|workspace:|portal:)/;

/** The locked entry a declared npm dependency installs, or the entries with its name; a reason when none satisfies. */
export function npmDrift(lock: LockfileDoc, memberDir: string, installName: string, want: { name: string; range: string }): { problem: string; entry?: LockEntry } | undefined {
  let candidates: readonly LockEntry[];
  let found: Versions | undefined;
  // pnpm records what each workspace member's direct dependency resolved to; a workspace link never drifts.
  const imported = lock.importers?.get(memberDir || '.')?.get(installName);
  if (imported !== undefined && WORKSPACE_LINK.test(imported)) return undefined;
  if (lock.format === 'package-lock') {
    const nested = memberDir ? `${memberDir}/node_modules/${installName}` : undefined;
    const hit = firstWithKey(lock, nested) ?? firstWithKey(lock, `node_modules/${installName}`, installName);
    candidates = hit ? [hit] : NONE;
  } else candidates = entriesNamed(lock, want.name);
  if (candidates.some((e) => e.source === 'link' || e.source === 'workspace' || e.source === 'file' || e.source === 'git')) return undefined;
  if (candidates.length === 0) return { problem: 'has no entry in the lockfile' };
  if (lock.format === 'package-lock') found = versionsOf(candidates);
  else {
    const { versions } = lockIndex(lock);
    found = versions.get(want.name);
    if (!found) versions.set(want.name, (found = versionsOf(candidates)));
  }
  const { valid, sorted } = found;
  if (valid.length === 0) return undefined;
  const range = rangeOf(want.range);
  if (range && someSatisfies(range, sorted)) return undefined;
  return { problem: `is locked at ${valid.map((e) => e.version).join(', ')}, outside the declared range \`${want.range}\``, entry: valid[0] };
}

/** PEP 503 normal form of a Python package name. */
export const normalisePy = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Dependencies of a pyproject.toml (PEP 621, PEP 735 groups, poetry) with the line that declares each. */
export function pyprojectDeps(text: string): { name: string; span: Span }[] {
  let v: Table;
  try {
    v = parse(text) as Table;
  } catch {
    return [];
  }
  const index = new LineIndex(text);
  const lineOf = (needle: string | RegExp): Span => {
    for (let n = 1; n <= index.lineCount; n++) {
      const line = index.line(n);
      if (typeof needle === 'string' ? line.includes(needle) : needle.test(line)) {
        const start = line.length - line.trimStart().length;
        return { line: n, column: start + 1, endLine: n, endColumn: line.trimEnd().length + 1 };
      }
    }
    return index.lineSpan(1);
  };
  const out: { name: string; span: Span }[] = [];
  const own = isTable(v.project) && typeof v.project.name === 'string' ? normalisePy(v.project.name) : undefined;
  const fromStrings = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const req of list) {
      const name = typeof req === 'string' ? /^\s*([A-Za-z0-9][\w.-]*)/.exec(req)?.[1] : undefined;
      if (name && normalisePy(name) !== own) out.push({ name, span: lineOf(`${req}`) });
    }
  };
  const project = isTable(v.project) ? v.project : {};
  fromStrings(project.dependencies);
  if (isTable(v['dependency-groups'])) for (const g of Object.values(v['dependency-groups'])) fromStrings(g);
  const tool = isTable(v.tool) && isTable(v.tool.poetry) ? v.tool.poetry : {};
  const tables = [tool.dependencies, tool['dev-dependencies'], ...(isTable(tool.group) ? Object.values(tool.group).map((g) => (isTable(g) ? g.dependencies : undefined)) : [])];
  for (const t of tables) {
    if (!isTable(t)) continue;
    for (const name of Object.keys(t)) {
      if (name.toLowerCase() === 'python') continue;
      out.push({ name, span: lineOf(new RegExp(`^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`)) });
    }
  }
  return out;
}

/** The lockfiles each manifest is locked by, in the order package managers prefer them. */
export const LOCKS_OF: Readonly<Record<string, readonly string[]>> = {
  'package.json': ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'],
  'pyproject.toml': ['poetry.lock', 'uv.lock'],
  Pipfile: ['Pipfile.lock'],
};
const MANIFEST_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LOCKS_OF).flatMap(([m, locks]) => locks.map((l) => [l, m])));

/** The last few answers of `lockfileFor` per project: the rules that read a manifest each ask for its lockfile in turn. */
const foundFor = new WeakMap<Project, Lru<PackageManifest, { lock: LockfileDoc; dir: string } | undefined>>();

/** The lockfile (with entries) that locks a manifest: beside it, else at its workspace root; `dir` is the lockfile's directory. */
export function lockfileFor(project: Project, doc: PackageManifest): { lock: LockfileDoc; dir: string } | undefined {
  let memo = foundFor.get(project);
  if (!memo) foundFor.set(project, (memo = new Lru(4)));
  return memo.get(doc, () => findLockfile(project, doc));
}

function findLockfile(project: Project, doc: PackageManifest): { lock: LockfileDoc; dir: string } | undefined {
  const names = LOCKS_OF[doc.name] ?? [];
  if (names.length === 0) return undefined;
  const dir = dirOf(doc.path);
  const root = doc.name === 'package.json' || doc.name === 'pyproject.toml' ? findWorkspaceRoot(project, doc) : undefined;
  for (const d of root && root.dir !== dir ? [dir, root.dir] : [dir]) {
    for (const n of names) {
      const path = joinPath(d, n);
      const lock = project.has(path) ? readLockfile(project, path) : undefined;
      if (lock && lock.entries.length > 0) return { lock, dir: d };
    }
  }
  return undefined;
}

/** The entries a dependency declared by the manifest at `manifestDir` installs from a lockfile found by `lockfileFor`. */
export function lockedEntries(found: { lock: LockfileDoc; dir: string }, manifestDir: string, name: string): readonly LockEntry[] {
  const { lock } = found;
  if (lock.format === 'package-lock') {
    const memberDir = found.dir === manifestDir ? '' : manifestDir.slice(found.dir ? found.dir.length + 1 : 0);
    const nested = memberDir ? `${memberDir}/node_modules/${name}` : undefined;
    const hit = firstWithKey(lock, nested) ?? firstWithKey(lock, `node_modules/${name}`);
    return hit ? [hit] : NONE;
  }
  if (lock.ecosystem === 'pypi') return pyEntries(lock).get(normalisePy(name)) ?? NONE;
  return entriesNamed(lock, name);
}

/** Identifies an entry across parses of one lockfile (the engine's document and `readLockfile`'s are distinct objects). */
export const lockEntryId = (e: { name: string; span: Span }): string => `${e.span.line}:${e.span.column}:${e.name}`;

/** `directLockEntries` per project and parsed lockfile (a parse may be shared between scans): the rules that read a lockfile ask for the same set. */
const directOf = new WeakMap<Project, WeakMap<readonly LockEntry[], Set<string>>>();

/**
 * The ids (`lockEntryId`) of the entries of a lockfile that a manifest beside it (or a package-lock workspace member) declares directly: those are reported
 * at the manifest line a human wrote, so a rule reading the lockfile skips them.
 */
export function directLockEntries(project: Project, lock: LockfileDoc): ReadonlySet<string> {
  let memo = directOf.get(project);
  if (!memo) directOf.set(project, (memo = new WeakMap()));
  let out = memo.get(lock.entries);
  if (out) return out;
  out = new Set<string>();
  memo.set(lock.entries, out);
  const base = lock.path.slice(lock.path.lastIndexOf('/') + 1);
  const manifestName = MANIFEST_OF[base];
  if (!manifestName) return out;
  const dir = dirOf(lock.path);
  const paths = [joinPath(dir, manifestName)];
  if (lock.format === 'package-lock') for (const e of lock.entries) if (e.source === 'workspace' && e.key) paths.push(joinPath(joinPath(dir, e.key), 'package.json'));
  for (const path of paths) {
    if (!project.has(path)) continue;
    const m = readManifest(project, path);
    const text = m?.role === 'manifest' ? project.read(path) : undefined;
    if (m?.role !== 'manifest' || text === undefined) continue;
    const found = lockfileFor(project, m);
    if (found?.lock.path !== lock.path) continue;
    for (const d of manifestDependencies(m.name, text)) for (const e of lockedEntries(found, dirOf(path), d.name)) out.add(lockEntryId(e));
  }
  return out;
}
