import { parse, TomlError } from 'smol-toml';
import type { Notice, Span } from '../../core/types.js';
import { LineIndex } from '../source.js';
import type { PackageManifest } from './index.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const get = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isTable(o) ? o[k] : undefined), v);
const size = (v: unknown): number => (Array.isArray(v) ? v.length : isTable(v) ? Object.keys(v).length : 0);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Where table headers and keys sit, by full dotted path (e.g. 'tool.poetry.dependencies'), to point findings at them. */
export class TomlLocator {
  private readonly entries: { path: string; line: number }[] = [];
  constructor(readonly index: LineIndex) {
    let table = '';
    let inString: string | undefined;
    for (let n = 1; n <= index.lineCount; n++) {
      const line = index.line(n);
      if (inString) {
        if (line.split(inString).length % 2 === 0) inString = undefined;
        continue;
      }
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
      if (header) {
        table = normaliseKey(header[1]!);
        this.entries.push({ path: table, line: n });
      } else {
        const key = /^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(line);
        if (key) this.entries.push({ path: table ? `${table}.${normaliseKey(key[1]!)}` : normaliseKey(key[1]!), line: n });
      }
      for (const quote of ['"""', "'''"]) if (line.split(quote).length % 2 === 0) inString = quote;
    }
  }
  /** First line whose header or key is `path` or lies inside it. */
  line(path: string): number | undefined {
    return this.find((p) => p === path || p.startsWith(`${path}.`));
  }
  find(test: (path: string) => boolean): number | undefined {
    return this.entries.find((e) => test(e.path))?.line;
  }
  span(line: number): Span {
    const text = this.index.line(line);
    const start = text.length - text.trimStart().length;
    return { line, column: start + 1, endLine: line, endColumn: text.replace(/\s+#.*$/, '').trimEnd().length + 1 };
  }
}

function normaliseKey(raw: string): string {
  return (raw.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? []).map((p) => p.trim().replace(/^["']|["']$/g, '')).join('.');
}

function parseToml(path: string, text: string, notices: Notice[]): { value: Table; locator: TomlLocator } | undefined {
  try {
    return { value: parse(text) as Table, locator: new TomlLocator(new LineIndex(text)) };
  } catch (err) {
    const line = err instanceof TomlError ? err.line : undefined;
    notices.push({ path, ...(line ? { line } : {}), message: `invalid TOML: ${(err as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}` });
    return undefined;
  }
}

/** The block of the first candidate (in order of preference) that declares something; the count is over all of them. */
function block(locator: TomlLocator, candidates: { path: string; count: number }[]): PackageManifest['dependencies'] {
  const total = candidates.reduce((n, c) => n + c.count, 0);
  if (total === 0) return undefined;
  const first = candidates.find((c) => c.count > 0)!;
  const line = locator.line(first.path) ?? 1;
  return { span: locator.span(line), count: total };
}

export function parsePyproject(path: string, text: string, notices: Notice[]): PackageManifest | undefined {
  const parsed = parseToml(path, text, notices);
  if (!parsed) return undefined;
  const { value: v, locator } = parsed;
  const poetryDeps = get(v, 'tool', 'poetry', 'dependencies');
  const poetryGroups = get(v, 'tool', 'poetry', 'group');
  const groupCount = isTable(poetryGroups) ? Object.values(poetryGroups).reduce<number>((n, g) => n + size(get(g, 'dependencies')), 0) : 0;
  const optional = get(v, 'project', 'optional-dependencies');
  const pep735 = get(v, 'dependency-groups');
  const pdmDev = get(v, 'tool', 'pdm', 'dev-dependencies');
  const dependencies = block(locator, [
    { path: 'project.dependencies', count: size(get(v, 'project', 'dependencies')) },
    { path: 'tool.poetry.dependencies', count: isTable(poetryDeps) ? Object.keys(poetryDeps).filter((k) => k.toLowerCase() !== 'python').length : 0 },
    { path: 'project.optional-dependencies', count: isTable(optional) ? Object.values(optional).reduce<number>((n, l) => n + size(l), 0) : 0 },
    { path: 'tool.poetry.group', count: groupCount },
    { path: 'tool.poetry.dev-dependencies', count: size(get(v, 'tool', 'poetry', 'dev-dependencies')) },
    { path: 'dependency-groups', count: isTable(pep735) ? Object.values(pep735).reduce<number>((n, l) => n + strings(l).length, 0) : 0 },
    { path: 'tool.uv.dev-dependencies', count: size(get(v, 'tool', 'uv', 'dev-dependencies')) },
    { path: 'tool.pdm.dev-dependencies', count: isTable(pdmDev) ? Object.values(pdmDev).reduce<number>((n, l) => n + size(l), 0) : 0 },
  ]);
  const backend = String(get(v, 'build-system', 'build-backend') ?? '');
  const tools: string[] = [];
  if (get(v, 'tool', 'poetry') !== undefined || backend.startsWith('poetry')) tools.push('poetry');
  if (get(v, 'tool', 'uv') !== undefined) tools.push('uv');
  if (get(v, 'tool', 'pdm') !== undefined || backend.startsWith('pdm')) tools.push('pdm');
  const uvWorkspace = get(v, 'tool', 'uv', 'workspace');
  return {
    role: 'manifest',
    ecosystem: 'pypi',
    path,
    name: 'pyproject.toml',
    dependencies,
    isWorkspaceRoot: isTable(uvWorkspace),
    workspaces: strings(get(uvWorkspace, 'members')),
    workspaceExclude: strings(get(uvWorkspace, 'exclude')),
    tools,
  };
}

const CARGO_KINDS = ['dependencies', 'dev-dependencies', 'build-dependencies'];

export function parseCargoToml(path: string, text: string, notices: Notice[]): PackageManifest | undefined {
  const parsed = parseToml(path, text, notices);
  if (!parsed) return undefined;
  const { value: v, locator } = parsed;
  const target = get(v, 'target');
  const targetCount = isTable(target) ? Object.values(target).reduce<number>((n, t) => n + CARGO_KINDS.reduce((m, k) => m + size(get(t, k)), 0), 0) : 0;
  const candidates = [...CARGO_KINDS, 'workspace.dependencies'].map((p) => ({ path: p, count: size(get(v, ...p.split('.'))) }));
  let dependencies = block(locator, candidates);
  if (targetCount > 0) {
    const line = locator.find((p) => /^target\..+\.(dev-|build-)?dependencies(\.|$)/.test(p)) ?? 1;
    dependencies = dependencies ? { ...dependencies, count: dependencies.count + targetCount } : { span: locator.span(line), count: targetCount };
  }
  const workspace = get(v, 'workspace');
  const explicitRoot = get(v, 'package', 'workspace');
  return {
    role: 'manifest',
    ecosystem: 'cargo',
    path,
    name: 'Cargo.toml',
    dependencies,
    isWorkspaceRoot: isTable(workspace),
    workspaces: strings(get(workspace, 'members')),
    workspaceExclude: strings(get(workspace, 'exclude')),
    tools: ['cargo'],
    ...(typeof explicitRoot === 'string' ? { workspacePath: explicitRoot } : {}),
  };
}

export function parsePipfile(path: string, text: string, notices: Notice[]): PackageManifest | undefined {
  const parsed = parseToml(path, text, notices);
  if (!parsed) return undefined;
  const { value: v, locator } = parsed;
  const dependencies = block(locator, [
    { path: 'packages', count: size(v.packages) },
    { path: 'dev-packages', count: size(v['dev-packages']) },
  ]);
  return { role: 'manifest', ecosystem: 'pypi', path, name: 'Pipfile', dependencies, isWorkspaceRoot: false, tools: ['pipenv'] };
}
