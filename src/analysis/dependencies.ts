import type { Span } from '../core/types.js';
import { LineIndex } from '../parsers/source.js';
import { programName, unwrap } from './shell.js';
import { hasOption, installArgs, isLocalOperand, optionValues } from './install-args.js';

/** One dependency named in a manifest or an install command, with where its name is written. */
export interface DeclaredDependency {
  ecosystem: 'npm' | 'pypi';
  name: string;
  /** The exact version when the declaration pins one (`"1.2.3"`, `==1.2.3`, `name@1.2.3`), else undefined. */
  exact?: string;
  /** package.json: the declared range as written (`"^3.14.1"`). */
  range?: string;
  span: Span;
}

const NPM_BLOCKS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const NPM_EXACT = /^=?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const PEP508 = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:\(?\s*(===?)\s*([^\s,;)*]+)\s*\)?)?/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The last few manifests read: the rules that read a manifest (and the lockfile beside it) ask for the same one in turn. */
const recent: { fileName: string; text: string; deps: readonly DeclaredDependency[] }[] = [];
const RECENT = 4;

/** package.json dependencies of every kind, requirements*.txt lines, pyproject.toml (PEP 621 and Poetry) and Pipfile. Shared: read-only. */
export function manifestDependencies(fileName: string, text: string): readonly DeclaredDependency[] {
  const hit = recent.find((r) => r.text === text && r.fileName === fileName);
  if (hit) return hit.deps;
  const deps = parseDependencies(fileName, text);
  if (recent.unshift({ fileName, text, deps }) > RECENT) recent.pop();
  return deps;
}

function parseDependencies(fileName: string, text: string): DeclaredDependency[] {
  if (fileName === 'package.json') return packageJson(text);
  if (/^requirements[^/]*\.txt$/i.test(fileName)) return requirements(text);
  if (fileName === 'pyproject.toml' || fileName === 'Pipfile') return tomlDeps(text, fileName === 'Pipfile');
  return [];
}

function packageJson(text: string): DeclaredDependency[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(value)) return [];
  const index = new LineIndex(text);
  const out: DeclaredDependency[] = [];
  for (const block of NPM_BLOCKS) {
    const deps = value[block];
    if (!isObject(deps)) continue;
    const from = text.indexOf(`"${block}"`);
    for (const [name, spec] of Object.entries(deps)) {
      const at = text.indexOf(JSON.stringify(name), Math.max(0, from));
      if (at < 0) continue;
      const exact = typeof spec === 'string' ? NPM_EXACT.exec(spec.trim())?.[1] : undefined;
      const range = typeof spec === 'string' ? { range: spec } : {};
      out.push({ ecosystem: 'npm', name, ...(exact ? { exact } : {}), ...range, span: index.span(at + 1, at + 1 + JSON.stringify(name).length - 2) });
    }
  }
  return out;
}

function requirements(text: string): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/(^|\s)#.*$/, '');
    if (/^\s*(-|$)/.test(line) || /^\s*[a-z]+\+|:\/\//.test(line)) return;
    const m = PEP508.exec(line);
    if (!m) return;
    const start = line.indexOf(m[1]!);
    out.push({ ecosystem: 'pypi', name: m[1]!, ...(m[3] && m[4] ? { exact: m[4] } : {}), span: { line: i + 1, column: start + 1, endLine: i + 1, endColumn: start + 1 + m[1]!.length } });
  });
  return out;
}

/** pyproject `dependencies = ["x==1"]` strings and `[tool.poetry.dependencies]` / Pipfile `[packages]` keys, read line by line. */
function tomlDeps(text: string, pipfile: boolean): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  let table = '';
  let inArray = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = header[1]!.replace(/["']/g, '');
      inArray = false;
      return;
    }
    const keyTable = pipfile ? /^(packages|dev-packages)$/.test(table) : /^tool\.poetry\.(dev-)?dependencies$|^tool\.poetry\.group\.[^.]+\.dependencies$/.test(table);
    const arrayTable = !pipfile && /^(project|project\.optional-dependencies|dependency-groups)$/.test(table);
    if (keyTable) {
      const m = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=\s*(.*)$/.exec(line);
      if (!m || m[1]!.toLowerCase() === 'python') return;
      const exact = /^["']\s*={2,3}\s*([^\s"'*,]+)\s*["']/.exec(m[2]!)?.[1] ?? /version\s*=\s*["']={2,3}([^"'*,]+)["']/.exec(m[2]!)?.[1];
      const start = line.indexOf(m[1]!);
      out.push({ ecosystem: 'pypi', name: m[1]!, ...(exact ? { exact } : {}), span: { line: i + 1, column: start + 1, endLine: i + 1, endColumn: start + 1 + m[1]!.length } });
      return;
    }
    if (!arrayTable) return;
    if (table === 'project' && !inArray && !/^\s*dependencies\s*=/.test(line)) return;
    if (/=\s*\[/.test(line) || inArray) {
      inArray = !/\]\s*(#.*)?$/.test(line.replace(/\[[^\]]*\]/g, (s) => (s.includes('"') || s.includes("'") ? s.replace(/\]$/, '') : s)));
      for (const s of line.matchAll(/["']([^"']+)["']/g)) {
        const m = PEP508.exec(s[1]!);
        if (!m) continue;
        const start = s.index! + 1 + s[1]!.indexOf(m[1]!);
        out.push({ ecosystem: 'pypi', name: m[1]!, ...(m[3] && m[4] ? { exact: m[4] } : {}), span: { line: i + 1, column: start + 1, endLine: i + 1, endColumn: start + 1 + m[1]!.length } });
      }
    }
  });
  return out;
}

/** A package named on an install command line (`npm i x@1`, `pip install y==2`), with the word as written. */
export interface InstalledPackage {
  ecosystem: 'npm' | 'pypi';
  name: string;
  exact?: string;
  word: string;
}

export function installedPackages(raw: readonly string[]): InstalledPackage[] {
  let argv = unwrap(raw);
  if (/^python[\d.]*$/.test(programName(argv[0])) && argv[1] === '-m' && /^pip[\d.]*$/.test(argv[2] ?? '')) argv = ['pip', ...argv.slice(3)];
  if (programName(argv[0]) === 'uv' && argv[1] === 'pip') argv = ['pip', ...argv.slice(2)];
  const prog = programName(argv[0]);
  const sub = argv[1] ?? '';
  let ecosystem: 'npm' | 'pypi' | undefined;
  if ((prog === 'npm' && /^(install|i|add|isntall|in)$/.test(sub)) || (/^(yarn|pnpm|bun)$/.test(prog) && sub === 'add')) ecosystem = 'npm';
  else if ((/^pip[\d.]*$|^pipx$/.test(prog) && sub === 'install') || (/^(uv|poetry|pdm)$/.test(prog) && sub === 'add')) ecosystem = 'pypi';
  if (!ecosystem) return [];
  const out: InstalledPackage[] = [];
  // each tool's own options (install-args.ts): `--root-user-action ignore` installs nothing called "ignore"
  const tool = /^pip[\d.]*$/.test(prog) ? 'pip' : prog;
  const parsed = installArgs(tool, argv.slice(2));
  const words = tool === 'pipx' && hasOption(parsed, '--spec') ? optionValues(parsed, '--spec') : parsed.operands;
  for (const w of words) {
    if (isLocalOperand(w) || /[/:\\]/.test(w.replace(/^@[^/]+\//, '')) || /^\./.test(w) || w.includes('$')) continue;
    if (ecosystem === 'npm') {
      const m = /^(@[^/@]+\/[^@]+|[^@]+)(?:@(.+))?$/.exec(w);
      if (!m) continue;
      const exact = m[2] ? NPM_EXACT.exec(m[2])?.[1] : undefined;
      out.push({ ecosystem, name: m[1]!, ...(exact ? { exact } : {}), word: w });
    } else {
      const m = PEP508.exec(w);
      if (!m || m[0].trim().length === 0) continue;
      out.push({ ecosystem, name: m[1]!, ...(m[3] && m[4] ? { exact: m[4] } : {}), word: w });
    }
  }
  return out;
}
