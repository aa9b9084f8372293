import { parse } from 'smol-toml';
import type { Span } from '../core/types.js';
import { keySpan, scanJsonKeys } from '../parsers/lockfiles/json-keys.js';
import { LineIndex } from '../parsers/source.js';

/** A dependency declared from a git repository, with the ref it follows (undefined: the default branch). */
export interface GitDependency {
  name: string;
  url: string;
  ref: string | undefined;
  span: Span;
}

export const isFullSha = (ref: string | undefined): boolean => ref !== undefined && /^[0-9a-f]{40}$/i.test(ref);

/** npm specs that fetch from git: `github:u/r#ref`, `git+https://…#ref`, `git://…`, `u/r#ref`, `https://…/r.git#ref`. */
export function npmGitSpec(spec: string): { url: string; ref: string | undefined } | undefined {
  const isGit =
    /^(git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/.test(spec) ||
    /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec) ||
    /^https?:\/\/[^#]+\.git(#.*)?$/.test(spec);
  if (!isGit) return undefined;
  const hash = spec.indexOf('#');
  const frag = hash < 0 ? undefined : spec.slice(hash + 1);
  const ref = frag === undefined || frag === '' ? undefined : (/(?:^|&)commit=([^&]+)/.exec(frag)?.[1] ?? frag.replace(/^(semver:|tag=|head=)/, ''));
  return { url: hash < 0 ? spec : spec.slice(0, hash), ref };
}

const DEP_SECTIONS = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);

/** Dependencies of a package.json with the span of each key. */
export function packageJsonDeps(text: string): { name: string; spec: string; section: string; span: Span }[] {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: { name: string; spec: string; section: string; span: Span }[] = [];
  scanJsonKeys(text, (parents, key, at) => {
    if (parents.length !== 2 || !DEP_SECTIONS.has(parents[1]!)) return;
    const spec = (value[parents[1]!] as Record<string, unknown> | undefined)?.[key];
    if (typeof spec === 'string') out.push({ name: key, spec, section: parents[1]!, span: keySpan(at) });
  });
  return out;
}

/** Span of the first line of `text` that contains `needle` (trimmed), or line 1. */
function spanOf(index: LineIndex, needle: string, after = 0): Span {
  for (let n = Math.max(1, after); n <= index.lineCount; n++) {
    const line = index.line(n);
    const at = line.indexOf(needle);
    if (at >= 0) {
      const start = line.length - line.trimStart().length;
      return { line: n, column: start + 1, endLine: n, endColumn: line.trimEnd().length + 1 };
    }
  }
  return index.lineSpan(1);
}

/** PEP 508 `name @ git+https://host/repo@ref#…`. */
function pep508Git(req: string): { name: string; url: string; ref: string | undefined } | undefined {
  const m = /^\s*([A-Za-z0-9][\w.-]*)(\[[^\]]*\])?\s*@\s*(git\+[^\s;]+)/.exec(req);
  if (!m) return undefined;
  const url = m[3]!.replace(/#.*$/, '');
  const ref = /^git\+[a-z]+:\/\/(?:[^@/]+@)?[^@]+@([^@]+)$/.exec(url)?.[1];
  return { name: m[1]!, url, ref };
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A TOML dependency table `{ git = "…", rev|tag|branch = "…" }` (poetry, uv sources, Pipfile, Cargo). */
function tableGit(v: unknown): { url: string; ref: string | undefined } | undefined {
  if (!isTable(v) || typeof v.git !== 'string') return undefined;
  const ref = [v.rev, v.ref, v.tag, v.branch].find((x): x is string => typeof x === 'string');
  return { url: v.git, ref };
}

/** Git dependencies declared in a manifest: package.json, pyproject.toml, Pipfile, Cargo.toml or Gemfile. */
export function gitDependencies(fileName: string, text: string): GitDependency[] {
  const out: GitDependency[] = [];
  if (fileName === 'package.json') {
    for (const d of packageJsonDeps(text)) {
      const git = npmGitSpec(d.spec);
      if (git) out.push({ name: d.name, ...git, span: d.span });
    }
    return out;
  }
  const index = new LineIndex(text);
  if (fileName === 'Gemfile') {
    for (let n = 1; n <= index.lineCount; n++) {
      const line = index.line(n);
      const gem = /^\s*gem\s*\(?\s*['"]([^'"]+)['"]/.exec(line);
      const git = /(?:\bgit:\s*|:git\s*=>\s*)['"]([^'"]+)['"]|(?:\bgithub:\s*|:github\s*=>\s*)['"]([^'"]+)['"]/.exec(line);
      if (!gem || !git) continue;
      const ref = /(?:\b(?:ref|tag|branch):\s*|:(?:ref|tag|branch)\s*=>\s*)['"]([^'"]+)['"]/.exec(line)?.[1];
      out.push({ name: gem[1]!, url: git[1] ?? `github:${git[2]}`, ref, span: spanOf(index, line.trim(), n) });
    }
    return out;
  }
  let v: Table;
  try {
    v = parse(text) as Table;
  } catch {
    return out;
  }
  const tables: Table[] = [];
  const push = (t: unknown): void => {
    if (isTable(t)) tables.push(t);
  };
  if (fileName === 'pyproject.toml') {
    const project = isTable(v.project) ? v.project : {};
    const reqs = [...(Array.isArray(project.dependencies) ? project.dependencies : [])];
    if (isTable(project['optional-dependencies'])) for (const l of Object.values(project['optional-dependencies'])) if (Array.isArray(l)) reqs.push(...l);
    for (const req of reqs) {
      const git = typeof req === 'string' ? pep508Git(req) : undefined;
      if (git) out.push({ ...git, span: spanOf(index, req as string) });
    }
    const tool = isTable(v.tool) ? v.tool : {};
    const poetry = isTable(tool.poetry) ? tool.poetry : {};
    push(poetry.dependencies);
    push(poetry['dev-dependencies']);
    if (isTable(poetry.group)) for (const g of Object.values(poetry.group)) push(isTable(g) ? g.dependencies : undefined);
    push(isTable(tool.uv) ? tool.uv.sources : undefined);
  } else if (fileName === 'Pipfile') {
    push(v.packages);
    push(v['dev-packages']);
  } else if (fileName === 'Cargo.toml') {
    for (const k of ['dependencies', 'dev-dependencies', 'build-dependencies']) push(v[k]);
    push(isTable(v.workspace) ? v.workspace.dependencies : undefined);
    if (isTable(v.target)) for (const t of Object.values(v.target)) if (isTable(t)) for (const k of ['dependencies', 'dev-dependencies', 'build-dependencies']) push(t[k]);
  }
  for (const t of tables) {
    for (const [name, dep] of Object.entries(t)) {
      const git = tableGit(dep);
      if (!git) continue;
      const inline = new RegExp(`^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`);
      let span: Span | undefined;
      for (let n = 1; n <= index.lineCount && !span; n++) {
        const line = index.line(n);
        if (inline.test(line) || line.trim().endsWith(`.${name}]`)) span = spanOf(index, line.trim(), n);
      }
      out.push({ name, ...git, span: span ?? index.lineSpan(1) });
    }
  }
  return out;
}

/** The hostname of a URL (`git+` and `git@host:` forms too), lowercased; undefined when it has none. */
export function urlHost(url: string): string | undefined {
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)/.exec(url.replace(/^git\+/, ''));
  if (scp && !/^(https?|git|ssh|file|github|gitlab|bitbucket|gist)$/i.test(scp[1]!)) return scp[1]!.toLowerCase();
  try {
    return new URL(url.replace(/^git\+/, '')).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** Package-manager configs that name registries (`registry=`, `@scope:registry=`, `npmRegistryServer:`, `npmScopes`). */
const REGISTRY_CONFIGS = ['.npmrc', '.yarnrc', '.yarnrc.yml', 'bunfig.toml'];

const SHORTHAND_HOSTS: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org', gist: 'gist.github.com' };
const DECLARING = ['package.json', 'pyproject.toml', 'Pipfile', 'Cargo.toml', 'Gemfile'];

/**
 * Hosts the project names itself: in the manifests of a directory (git dependencies, URL dependencies such as
 * `"pkg": "https://host/pkg.tgz"`, Gemfile `source` lines) and in the registry configuration of that directory or one above it
 * (`.npmrc` `registry=` and `@scope:registry=`, `.yarnrc(.yml)`, `bunfig.toml`). A lockfile entry from such a host is what the
 * project asked for, not an unexpected source.
 */
export function declaredHosts(read: (path: string) => string | undefined, dir: string): Set<string> {
  const hosts = new Set<string>();
  // Registries the project configures for itself or its scopes, beside the lockfile or in a directory above it.
  for (let d: string | undefined = dir; d !== undefined; d = d === '' ? undefined : d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    for (const name of REGISTRY_CONFIGS) {
      const text = read(d ? `${d}/${name}` : name);
      if (text === undefined) continue;
      for (const line of text.split(/\r?\n/)) {
        if (/^\s*[#;]/.test(line)) continue;
        for (const m of line.matchAll(/https?:\/\/[^\s"'`,;]+/g)) {
          const host = urlHost(m[0]);
          if (host) hosts.add(host);
        }
      }
    }
  }
  const add = (url: string): void => {
    const short = /^(github|gitlab|bitbucket|gist):/.exec(url);
    const host = short ? SHORTHAND_HOSTS[short[1]!] : /^[\w.-]+\/[\w.-]+(#.*)?$/.test(url) ? SHORTHAND_HOSTS.github : urlHost(url);
    if (host) hosts.add(host);
  };
  for (const name of DECLARING) {
    const text = read(dir ? `${dir}/${name}` : name);
    if (text === undefined) continue;
    for (const dep of gitDependencies(name, text)) add(dep.url);
    if (name === 'package.json') for (const d of packageJsonDeps(text)) if (/^https?:\/\//i.test(d.spec)) add(d.spec);
    if (name === 'Gemfile') for (const m of text.matchAll(/^\s*source\s*\(?\s*['"]([^'"]+)['"]/gm)) add(m[1]!);
  }
  return hosts;
}
