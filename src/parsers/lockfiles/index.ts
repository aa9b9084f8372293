import { Lru } from '../../core/lru.js';
import type { Notice } from '../../core/types.js';
import { parseBunLock } from './bun.js';
import { parsePackageLock } from './npm.js';
import { parseCargoLock, parseComposerLock, parseGemfileLock, parseGoSum } from './other.js';
import { parsePnpmLock } from './pnpm.js';
import { parsePipfileLock, parsePythonToml, parseRequirementsLock } from './python.js';
import type { LockfileDoc } from './types.js';
import { parseYarnLock } from './yarn.js';

export type { LockEcosystem, LockEntry, LockfileDoc, LockFormat, LockSource } from './types.js';

type Parser = (path: string, text: string, notices: Notice[]) => LockfileDoc;

const PARSERS: Record<string, Parser> = {
  'package-lock.json': parsePackageLock,
  'npm-shrinkwrap.json': parsePackageLock,
  'yarn.lock': parseYarnLock,
  'pnpm-lock.yaml': parsePnpmLock,
  'bun.lock': parseBunLock,
  'poetry.lock': (p, t, n) => parsePythonToml(p, t, n, 'poetry'),
  'uv.lock': (p, t, n) => parsePythonToml(p, t, n, 'uv'),
  'Pipfile.lock': parsePipfileLock,
  'Cargo.lock': parseCargoLock,
  'Gemfile.lock': parseGemfileLock,
  'composer.lock': parseComposerLock,
  'go.sum': parseGoSum,
};

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const isRequirements = (name: string): boolean => /^requirements[^/]*\.txt$/i.test(name);

/** True for the lockfiles this module parses (bun.lockb, a binary format, is not one of them). */
export function isLockfilePath(path: string): boolean {
  const name = baseName(path);
  return name in PARSERS || isRequirements(name);
}

/** Parses a lockfile; never throws: a malformed file gives a notice (with its line when known) and no entries. */
export function parseLockfile(path: string, text: string, notices: Notice[]): LockfileDoc | undefined {
  const name = baseName(path);
  const parser = PARSERS[name] ?? (isRequirements(name) ? parseRequirementsLock : undefined);
  if (!parser) return undefined;
  try {
    return parser(path, text, notices);
  } catch (err) {
    notices.push({ path, message: `could not read lockfile: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}` });
    return undefined;
  }
}

/**
 * Memo of lockfiles read through a rule's project view. Bounded: paths are checked in sorted order, so a manifest and its
 * lockfile (or its workspace root's) are read close together, and keeping every parsed lockfile of a monorepo cost more
 * memory than anything else in a scan.
 */
const byProject = new WeakMap<object, Lru<string, LockfileDoc | undefined>>();
const LOCKFILE_CACHE = 16;
function lockfileCache(project: object): Lru<string, LockfileDoc | undefined> {
  let cache = byProject.get(project);
  if (!cache) byProject.set(project, (cache = new Lru(LOCKFILE_CACHE)));
  return cache;
}

/** Hands readLockfile a lockfile the scan has already parsed as its own file, so it is not read and parsed twice. */
export function rememberLockfile(project: object, path: string, doc: LockfileDoc | undefined): void {
  lockfileCache(project).set(path, doc);
}

export function readLockfile(project: { read(path: string): string | undefined }, path: string): LockfileDoc | undefined {
  return lockfileCache(project).get(path, () => {
    const text = project.read(path);
    return text === undefined ? undefined : parseLockfile(path, text.replace(/^\uFEFF/, ''), []);
  });
}
