import type { Span } from '../core/types.js';
import type { DockerfileDoc } from '../parsers/dockerfile.js';
import type { ManifestDoc } from '../parsers/manifests/index.js';
import type { ShellDoc } from '../parsers/shell-doc.js';
import type { WorkflowDoc } from '../parsers/workflow.js';
import { commandSpan } from './command-span.js';
import { installedPackages, manifestDependencies } from './dependencies.js';
import { scriptsOf } from './scripts.js';
import { parseShell } from './shell.js';

/** What is read of a parsed lockfile (see parsers/lockfiles). */
export interface LockLike {
  path: string;
  ecosystem: string;
  format: string;
  entries: { name: string; version: string; span: Span }[];
}
export type PackageDoc = ManifestDoc | LockLike | DockerfileDoc | WorkflowDoc | ShellDoc;

/** One exact package version the repository asks for: a lockfile entry, an exact manifest pin or an install command's `name@version`. */
export interface PinnedPackage {
  /** OSV ecosystem name (`npm`, `PyPI`, `crates.io`, …). */
  ecosystem: string;
  name: string;
  version: string;
  span: Span;
  /** How the file asks for it, for messages: `package-lock.json locks`, `package.json pins`, `` `npm install` installs ``. */
  where: string;
}

/** Our ecosystem names → OSV's (https://ossf.github.io/osv-schema/#affectedpackage-field). */
export const OSV_ECOSYSTEM: Readonly<Record<string, string>> = { npm: 'npm', pypi: 'PyPI', cargo: 'crates.io', go: 'Go', rubygems: 'RubyGems', packagist: 'Packagist', composer: 'Packagist' };

export const osvEcosystem = (e: string): string => OSV_ECOSYSTEM[e] ?? e;
/** OSV's Go versions carry no `v` (go.sum writes `v1.2.3`). */
export const osvVersion = (ecosystem: string, version: string): string => (ecosystem === 'Go' ? version.replace(/^v/, '') : version);

/** The exact package versions one document asks for; `read` gives a manifest's text. Pure: no I/O beyond `read`. */
export function pinnedPackages(doc: PackageDoc, read: (path: string) => string | undefined, skipEntry?: (entry: object) => boolean): PinnedPackage[] {
  const out: PinnedPackage[] = [];
  const add = (ecosystem: string, name: string, version: string, span: Span, where: string) => {
    const eco = osvEcosystem(ecosystem);
    out.push({ ecosystem: eco, name, version: osvVersion(eco, version), span, where });
  };
  if ('entries' in doc) {
    const file = doc.path.slice(doc.path.lastIndexOf('/') + 1);
    for (const e of doc.entries) if (e.version && !skipEntry?.(e)) add(doc.ecosystem, e.name, e.version, e.span, `${file} locks`);
    return out;
  }
  if ('role' in doc) {
    if (doc.role !== 'manifest') return out;
    const text = read(doc.path);
    if (text === undefined) return out;
    for (const d of manifestDependencies(doc.name, text)) if (d.exact) add(d.ecosystem, d.name, d.exact, d.span, `${doc.name} pins`);
    return out;
  }
  const blocks = scriptsOf(doc);
  for (const block of blocks) {
    for (const c of parseShell(block.script).commands) {
      for (const p of installedPackages(c.argv)) if (p.exact) add(p.ecosystem, p.name, p.exact, commandSpan(block, c), `\`${c.argv.slice(0, 2).join(' ')}\` installs`);
    }
  }
  return out;
}
