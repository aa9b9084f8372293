import semver from 'semver';
import { parse } from 'smol-toml';
import type { Span } from '../core/types.js';
import type { LockEntry, LockfileDoc } from '../parsers/lockfiles/index.js';
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
