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
  return Object.hasOwn(PARSERS, name) || ((name.charCodeAt(0) | 0x20) === 0x72 && isRequirements(name));
}

/**
 * Parses `readLockfile` made, with their notices, not yet asked for by the scan. A rule reading a manifest parses its
 * lockfile before the scan reaches the lockfile itself when the manifest sorts first (`package.json` < `pnpm-lock.yaml`,
 * `yarn.lock`); the scan's own parse of the same path and text then takes that one (parsing is a function of both).
 */
const handOver: { path: string; text: string; doc: LockfileDoc | undefined; notices: readonly Notice[] }[] = [];
const HAND_OVER = 4;

/** Parses a lockfile; never throws: a malformed file gives a notice (with its line when known) and no entries. */
export function parseLockfile(path: string, text: string, notices: Notice[]): LockfileDoc | undefined {
  const at = handOver.findIndex((r) => r.path === path && r.text === text);
  if (at >= 0) {
    const [made] = handOver.splice(at, 1);
    notices.push(...made!.notices);
    return made!.doc;
  }
  const name = baseName(path);
  const parser = (Object.hasOwn(PARSERS, name) ? PARSERS[name] : undefined) ?? (isRequirements(name) ? parseRequirementsLock : undefined);
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
    const raw = project.read(path);
    if (raw === undefined) return undefined;
    const text = raw.replace(/^\uFEFF/, '');
    const notices: Notice[] = [];
    const doc = parseLockfile(path, text, notices);
    if (handOver.unshift({ path, text, doc, notices }) > HAND_OVER) handOver.pop();
    return doc;
  });
}
