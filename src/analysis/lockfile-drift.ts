import semver from 'semver';
import { parse } from 'smol-toml';
import type { Project, Span } from '../core/types.js';
import { readLockfile, type LockEntry, type LockfileDoc } from '../parsers/lockfiles/index.js';
import type { PackageManifest } from '../parsers/manifests/index.js';
import { dirOf, findWorkspaceRoot, joinPath, readManifest } from '../parsers/manifests/workspace.js';
import { LineIndex } from '../parsers/source.js';
import { npmGitSpec } from './git-deps.js';

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
  return semver.validRange(range) ? { name: target, range } : undefined;
}

/** The locked entry a declared npm dependency installs, or the entries with its name; a reason when none satisfies. */
export function npmDrift(lock: LockfileDoc, memberDir: string, installName: string, want: { name: string; range: string }): { problem: string; entry?: LockEntry } | undefined {
  let candidates: LockEntry[];
  if (lock.format === 'package-lock') {
    const nested = memberDir ? `${memberDir}/node_modules/${installName}` : undefined;
    const hit = lock.entries.find((e) => e.key === nested) ?? lock.entries.find((e) => e.key === `node_modules/${installName}` || e.key === installName);
    candidates = hit ? [hit] : [];
  } else candidates = lock.entries.filter((e) => e.name === want.name);
  if (candidates.some((e) => e.source === 'link' || e.source === 'workspace' || e.source === 'file' || e.source === 'git')) return undefined;
  if (candidates.length === 0) return { problem: 'has no entry in the lockfile' };
  const versions = candidates.map((e) => e.version).filter((v) => semver.valid(v));
  if (versions.length === 0) return undefined;
  if (versions.some((v) => semver.satisfies(v, want.range, { includePrerelease: true }))) return undefined;
  const entry = candidates.find((e) => semver.valid(e.version))!;
  return { problem: `is locked at ${versions.join(', ')}, outside the declared range \`${want.range}\``, entry };
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

/** The lockfile (with entries) that locks a manifest: beside it, else at its workspace root; `dir` is the lockfile's directory. */
export function lockfileFor(project: Project, doc: PackageManifest): { lock: LockfileDoc; dir: string } | undefined {
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
export function lockedEntries(found: { lock: LockfileDoc; dir: string }, manifestDir: string, name: string): LockEntry[] {
  const { lock } = found;
  if (lock.format === 'package-lock') {
    const memberDir = found.dir === manifestDir ? '' : manifestDir.slice(found.dir ? found.dir.length + 1 : 0);
    const nested = memberDir ? `${memberDir}/node_modules/${name}` : undefined;
    const hit = lock.entries.find((e) => e.key === nested) ?? lock.entries.find((e) => e.key === `node_modules/${name}`);
    return hit ? [hit] : [];
  }
  if (lock.ecosystem === 'pypi') return lock.entries.filter((e) => normalisePy(e.name) === normalisePy(name));
  return lock.entries.filter((e) => e.name === name);
}

/** Identifies an entry across parses of one lockfile (the engine's document and `readLockfile`'s are distinct objects). */
export const lockEntryId = (e: { name: string; span: Span }): string => `${e.span.line}:${e.span.column}:${e.name}`;

/**
 * The ids (`lockEntryId`) of the entries of a lockfile that a manifest beside it (or a package-lock workspace member) declares directly: those are reported
 * at the manifest line a human wrote, so a rule reading the lockfile skips them. `declared` lists a manifest's dependency names.
 */
export function directLockEntries(project: Project, lock: LockfileDoc, declared: (manifest: PackageManifest, text: string) => readonly string[]): Set<string> {
  const out = new Set<string>();
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
    for (const name of declared(m, text)) for (const e of lockedEntries(found, dirOf(path), name)) out.add(lockEntryId(e));
  }
  return out;
}
