import type { Project, Span } from '../core/types.js';
import type { LockEntry, LockfileDoc } from '../parsers/lockfiles/types.js';
import { dirOf, joinPath, readManifest } from '../parsers/manifests/workspace.js';
import { manifestDependencies } from './dependencies.js';
import { lockEntryId, lockedEntries, lockfileFor, LOCKS_OF } from './lockfile-drift.js';
import { pulledInBy } from './npm-paths.js';

/** How a locked package came to be installed, as far as the lockfile and its manifest tell. */
export interface Relation {
  kind: 'direct' | 'transitive' | 'unknown';
  /** Transitive npm entries: the direct dependencies that pull it in (package-lock.json). */
  via?: string[];
  /** Direct entries: the manifest line that declares it. */
  declared?: { path: string; span: Span };
}

const MANIFEST_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LOCKS_OF).flatMap(([m, locks]) => locks.map((l) => [l, m])));
const declaredOf = new WeakMap<Project, WeakMap<readonly LockEntry[], Map<string, { path: string; span: Span }> | undefined>>();

/** Entry id → the manifest line declaring it, for the manifests a lockfile locks (beside it, and package-lock workspace members); undefined without one. */
function declarations(project: Project, lock: LockfileDoc): Map<string, { path: string; span: Span }> | undefined {
  let memo = declaredOf.get(project);
  if (!memo) declaredOf.set(project, (memo = new WeakMap()));
  if (memo.has(lock.entries)) return memo.get(lock.entries);
  let out: Map<string, { path: string; span: Span }> | undefined;
  const manifestName = MANIFEST_OF[lock.path.slice(lock.path.lastIndexOf('/') + 1)];
  const dir = dirOf(lock.path);
  const paths = manifestName ? [joinPath(dir, manifestName)] : [];
  if (lock.format === 'package-lock') for (const e of lock.entries) if (e.source === 'workspace' && e.key) paths.push(joinPath(joinPath(dir, e.key), 'package.json'));
  for (const path of paths) {
    const m = project.has(path) ? readManifest(project, path) : undefined;
    const text = m?.role === 'manifest' ? project.read(path) : undefined;
    if (m?.role !== 'manifest' || text === undefined) continue;
    const found = lockfileFor(project, m);
    if (found?.lock.path !== lock.path) continue;
    out ??= new Map();
    for (const d of manifestDependencies(m.name, text)) for (const e of lockedEntries(found, dirOf(path), d.name)) if (!out.has(lockEntryId(e))) out.set(lockEntryId(e), { path, span: d.span });
  }
  memo.set(lock.entries, out);
  return out;
}

export function lockRelation(project: Project, lock: LockfileDoc, entry: LockEntry): Relation {
  const declared = declarations(project, lock);
  const hit = declared?.get(lockEntryId(entry));
  if (hit) return { kind: 'direct', declared: hit };
  if (lock.format === 'package-lock' && entry.key) {
    if (lock.direct?.has(entry.name) && entry.key === `node_modules/${entry.name}`) return { kind: 'direct' };
    const text = project.read(lock.path);
    const via = text === undefined ? [] : pulledInBy(text, entry.key);
    if (via.length > 0) return { kind: 'transitive', via };
  }
  return declared ? { kind: 'transitive' } : { kind: 'unknown' };
}

const quote = (s: string): string => `\`${s}\``;

/** The command (or edit) that moves a locked package to `fixed`, in the lockfile's own tool. */
export function lockFix(lock: LockfileDoc, name: string, fixed: string, relation: Relation): string {
  const direct = relation.kind === 'direct';
  const via = relation.via?.[0];
  const raise = via ? `raise ${quote(via)} to a release that accepts ${name} ${fixed}, or ` : '';
  switch (lock.format) {
    case 'package-lock':
      return direct ? quote(`npm install ${name}@${fixed}`) : `${raise}run ${quote(`npm update ${name}`)} where the ranges allow ${fixed} (an \`overrides\` entry forces it)`;
    case 'yarn-classic':
      return direct ? quote(`yarn add ${name}@${fixed}`) : quote(`yarn upgrade ${name}`);
    case 'yarn-berry':
      return direct ? quote(`yarn add ${name}@${fixed}`) : quote(`yarn up -R ${name}`);
    case 'pnpm':
      return direct ? quote(`pnpm add ${name}@${fixed}`) : quote(`pnpm update --recursive ${name}`);
    case 'bun':
      return direct ? quote(`bun add ${name}@${fixed}`) : quote(`bun update ${name}`);
    case 'poetry':
      return direct ? quote(`poetry add ${name}@^${fixed}`) : quote(`poetry update ${name}`);
    case 'uv':
      return direct ? quote(`uv add "${name}>=${fixed}"`) : quote(`uv lock --upgrade-package ${name}`);
    case 'pipfile':
      return direct ? quote(`pipenv install "${name}>=${fixed}"`) : quote(`pipenv update ${name}`);
    case 'requirements':
      return `pin ${quote(`${name}==${fixed}`)} in ${lock.path.slice(lock.path.lastIndexOf('/') + 1)}`;
    case 'cargo':
      return quote(`cargo update -p ${name} --precise ${fixed}`);
    case 'go-sum':
      return `${quote(`go get ${name}@v${fixed.replace(/^v/, '')}`)} then ${quote('go mod tidy')}`;
    case 'gemfile':
      return quote(`bundle update --conservative ${name}`) + ` (the Gemfile must allow ${fixed})`;
    case 'composer':
      return quote(`composer update ${name} --with-dependencies`) + ` (composer.json must allow ${fixed})`;
  }
}
