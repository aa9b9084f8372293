import type { Notice, Span } from '../../core/types.js';
import { stripBom } from '../source.js';
import { parseComposerJson, parsePackageJson } from './json.js';
import { parseGemfile, parseGoMod, parseRequirements } from './text.js';
import { parseCargoToml, parsePipfile, parsePyproject } from './toml.js';
import { parsePnpmWorkspace } from './pnpm.js';

export type Ecosystem = 'npm' | 'pypi' | 'go' | 'cargo' | 'rubygems' | 'composer';

/** Where a manifest declares its dependencies (the key or table header) and how many it declares. */
export interface DependencyBlock {
  span: Span;
  count: number;
}

/** A package manifest: what it depends on and how it takes part in a workspace. */
export interface PackageManifest {
  role: 'manifest';
  ecosystem: Ecosystem;
  path: string;
  /** The file name, e.g. 'package.json', 'pyproject.toml'. */
  name: string;
  /** Undefined when the manifest declares no dependencies. */
  dependencies: DependencyBlock | undefined;
  /** Member globs when this is a workspace root (npm/yarn/bun `workspaces`, Cargo and uv `members`). */
  workspaces?: string[];
  /** Globs excluded from the workspace (Cargo and uv `exclude`, npm `!` globs stay in `workspaces`). */
  workspaceExclude?: string[];
  isWorkspaceRoot: boolean;
  /** Tools the manifest names: the package manager of `packageManager`, or pyproject's poetry/uv/pdm. */
  tools: string[];
  /** Cargo `package.workspace`: an explicit path to the workspace root. */
  workspacePath?: string;
}

/** A lockfile: recognised, not parsed (a later pass reads them deeply). */
export interface LockfileDoc {
  role: 'lockfile';
  ecosystem: Ecosystem;
  path: string;
  name: string;
}

/** pnpm-workspace.yaml: the member globs of a pnpm workspace. */
export interface WorkspaceDoc {
  role: 'workspace';
  ecosystem: 'npm';
  path: string;
  name: string;
  workspaces: string[];
}

export type ManifestDoc = PackageManifest | LockfileDoc | WorkspaceDoc;

const LOCKFILES: Record<string, Ecosystem> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'yarn.lock': 'npm',
  'pnpm-lock.yaml': 'npm',
  'bun.lock': 'npm',
  'bun.lockb': 'npm',
  'Pipfile.lock': 'pypi',
  'poetry.lock': 'pypi',
  'uv.lock': 'pypi',
  'pdm.lock': 'pypi',
  'go.sum': 'go',
  'Cargo.lock': 'cargo',
  'Gemfile.lock': 'rubygems',
  'composer.lock': 'composer',
};

type ManifestParser = (path: string, text: string, notices: Notice[]) => ManifestDoc | undefined;

const MANIFESTS: Record<string, ManifestParser> = {
  'package.json': parsePackageJson,
  'composer.json': parseComposerJson,
  'pyproject.toml': parsePyproject,
  Pipfile: parsePipfile,
  'Cargo.toml': parseCargoToml,
  'go.mod': parseGoMod,
  Gemfile: parseGemfile,
  'pnpm-workspace.yaml': parsePnpmWorkspace,
};

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const isRequirements = (name: string): boolean => /^requirements[^/]*\.txt$/i.test(name);

const MANIFEST_NAMES: ReadonlySet<string> = new Set([...Object.keys(LOCKFILES), ...Object.keys(MANIFESTS)]);

/** True for package manifests and lockfiles, by file name alone (called for every path a scan classifies). */
export function isManifestPath(path: string): boolean {
  const name = baseName(path);
  return MANIFEST_NAMES.has(name) || ((name.charCodeAt(0) | 0x20) === 0x72 && isRequirements(name));
}

/** Parses a manifest (never throws): invalid files give a notice (with the line when known) and undefined. */
export function parseManifest(path: string, text: string, notices: Notice[]): ManifestDoc | undefined {
  const name = baseName(path);
  const lockEcosystem = Object.hasOwn(LOCKFILES, name) ? LOCKFILES[name] : undefined;
  if (lockEcosystem) return { role: 'lockfile', ecosystem: lockEcosystem, path, name };
  const parser = (Object.hasOwn(MANIFESTS, name) ? MANIFESTS[name] : undefined) ?? (isRequirements(name) ? parseRequirements : undefined);
  if (!parser) return undefined;
  try {
    return parser(path, stripBom(text), notices);
  } catch (err) {
    notices.push({ path, message: `could not read manifest: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}` });
    return undefined;
  }
}
