/**
 * Which package ecosystems a repository uses, and which of them its Dependabot or Renovate config keeps up to date.
 * Only production files count (core/context.ts): an example Dockerfile or a test fixture's package.json is not
 * something the project ships, so it does not ask for updates.
 */
import { Minimatch } from 'minimatch';
import type { Project, RepositoryDoc } from '../core/types.js';
import { isDockerfilePath } from '../parsers/index.js';
import { isActionPath } from '../parsers/workflow.js';
import { isComposePath } from '../parsers/workloads/index.js';

export const ECOSYSTEMS = ['github-actions', 'docker', 'npm', 'pip', 'gomod', 'cargo', 'bundler', 'composer'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** Dependabot's `package-ecosystem` names (GitHub's docs, "Dependabot options reference"). */
export const DEPENDABOT_ECOSYSTEMS: ReadonlySet<string> = new Set([
  'bazel', 'bun', 'bundler', 'cargo', 'composer', 'conda', 'devcontainers', 'docker', 'docker-compose', 'dotnet-sdk', 'elm', 'gitsubmodule',
  'github-actions', 'gomod', 'gradle', 'helm', 'julia', 'maven', 'mix', 'npm', 'nuget', 'opentofu', 'pip', 'pre-commit', 'pub', 'rust-toolchain',
  'swift', 'terraform', 'uv', 'vcpkg',
]);

/** The Dependabot ecosystems that keep each of ours up to date (pip also covers Pipenv and Poetry). */
const BY_DEPENDABOT: Record<Ecosystem, readonly string[]> = {
  'github-actions': ['github-actions'],
  docker: ['docker', 'docker-compose'],
  npm: ['npm', 'bun'],
  pip: ['pip', 'uv'],
  gomod: ['gomod'],
  cargo: ['cargo'],
  bundler: ['bundler'],
  composer: ['composer'],
};

/** The Renovate managers that keep each of ours up to date (for a config that limits them with `enabledManagers`). */
const BY_RENOVATE: Record<Ecosystem, readonly string[]> = {
  'github-actions': ['github-actions'],
  docker: ['dockerfile', 'docker-compose'],
  npm: ['npm', 'bun'],
  pip: ['pip_requirements', 'pip_setup', 'pip-compile', 'pipenv', 'poetry', 'pep621', 'pep723', 'setup-cfg'],
  gomod: ['gomod'],
  cargo: ['cargo'],
  bundler: ['bundler'],
  composer: ['composer'],
};

export const coveredByDependabot = (names: readonly string[]): Ecosystem[] => ECOSYSTEMS.filter((e) => BY_DEPENDABOT[e].some((n) => names.includes(n)));
export const coveredByRenovate = (managers: readonly string[]): Ecosystem[] => ECOSYSTEMS.filter((e) => BY_RENOVATE[e].some((n) => managers.includes(n)));

const DECLARES_DEPENDENCIES = /"(dev|peer|optional)?[dD]ependencies"\s*:\s*\{\s*"/;

/** The ecosystem a production file belongs to, if any; manifests that declare nothing do not count. */
function ecosystemOf(path: string, project: Project): Ecosystem | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path) || isActionPath(path)) return 'github-actions';
  if (isDockerfilePath(path) || isComposePath(path)) return 'docker';
  switch (name) {
    case 'package.json':
      return DECLARES_DEPENDENCIES.test(project.read(path) ?? '') ? 'npm' : undefined;
    case 'pyproject.toml':
      return /^\s*(dependencies\s*=|\[tool\.poetry\.dependencies\]|\[project\.optional-dependencies\]|\[dependency-groups\])/m.test(project.read(path) ?? '') ? 'pip' : undefined;
    case 'Pipfile':
    case 'poetry.lock':
    case 'uv.lock':
      return 'pip';
    case 'go.mod':
      return 'gomod';
    case 'Cargo.toml':
      return 'cargo';
    case 'Gemfile':
      return 'bundler';
    case 'composer.json':
      return 'composer';
  }
  return /^requirements[^/]*\.(txt|in)$/.test(name) ? 'pip' : undefined;
}

/** Each ecosystem the repository's production files use, with the first file that shows it. */
export function ecosystemsIn(doc: RepositoryDoc, project: Project): Map<Ecosystem, string> {
  const found = new Map<Ecosystem, string>();
  for (const path of doc.paths) {
    if (found.size === ECOSYSTEMS.length) break;
    if (!CANDIDATE.test(path) || doc.contextOf(path) !== 'production') continue;
    const eco = ecosystemOf(path, project);
    if (eco && !found.has(eco)) found.set(eco, path);
  }
  return found;
}

/** A cheap test on the name before the context and the text are looked at. */
const CANDIDATE = /(^|\/)(\.github\/workflows\/[^/]+|action\.ya?ml|[^/]*(Dockerfile|Containerfile|dockerfile|containerfile)[^/]*|(docker-)?compose[^/]*\.ya?ml|package\.json|pyproject\.toml|Pipfile|poetry\.lock|uv\.lock|requirements[^/]*\.(txt|in)|go\.mod|Cargo\.toml|Gemfile|composer\.json)$/;

/**
 * Whether a Dependabot `directory` exists: `/` is the root; a glob (allowed in `directories`) must match a folder.
 * Folders are the discovered files' parents, so an empty folder does not exist, as git does not keep one.
 */
export function directoryExists(directory: string, folders: () => ReadonlySet<string>): boolean {
  const dir = directory.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (dir === '' || dir === '.') return true;
  if (!/[*?[{]/.test(dir)) return folders().has(dir);
  // a trailing `/**` matches the folder itself too (no folder below it), as Dependabot reads it
  const globs = [dir, ...(dir.endsWith('/**') ? [dir.slice(0, -3)] : [])].map((g) => new Minimatch(g, { dot: true, nonegate: true, nocomment: true }));
  for (const f of folders()) if (globs.some((g) => g.match(f))) return true;
  return false;
}

/** Every folder that holds a discovered file, at any depth. */
export function foldersOf(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) for (let cut = p.lastIndexOf('/'); cut > 0 && !out.has(p.slice(0, cut)); cut = p.lastIndexOf('/', cut - 1)) out.add(p.slice(0, cut));
  return out;
}
