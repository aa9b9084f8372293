import { advisoriesFor, advisoryIndex, hasAdvisories, advisoryLabel, advisoryUrl, incidentOf, type Advisory } from '../../analysis/advisories.js';
import { manifestDependencies } from '../../analysis/dependencies.js';
import { directLockEntries, lockEntryId, lockedEntries, lockfileFor } from '../../analysis/lockfile-drift.js';
import { osvEcosystem, osvVersion, pinnedPackages, type PackageDoc } from '../../analysis/packages.js';
import type { Related, Rule } from '../../core/types.js';
import type { LockEntry, LockfileDoc } from '../../parsers/lockfiles/index.js';
import { dirOf } from '../../parsers/manifests/workspace.js';

interface Options {
  /** Advisories fetched online for this scan (`advisories: online`), added to the bundled dataset; not a config-file option. */
  advisories?: readonly Advisory[];
}

/** The fix, for where the version is written: a lockfile entry, a manifest pin, or an install command (Dockerfile RUN, workflow run:). */
const FIX: Record<'lockfile' | 'manifest' | 'command', string> = {
  lockfile: 'Move to a release the advisory lists as safe, regenerate the lockfile, and treat any machine that installed it as compromised: rotate the secrets it could read.',
  manifest: 'Change the pin to a release the advisory lists as safe, regenerate any lockfile, and treat any machine that installed it as compromised: rotate the secrets it could read.',
  command: 'Change the version in this command to a release the advisory lists as safe, and treat any machine or runner that ran it as compromised: rotate the secrets it could read.',
};

function message(name: string, version: string, found: Advisory[], where: string, written: keyof typeof FIX): string {
  const a = found[0]!;
  const more = found.length > 1 ? ` (and ${found.slice(1).map(advisoryLabel).join(', ')})` : '';
  return `${where} \`${name}@${version}\`, a known-malicious release: ${incidentOf(a)}, ${advisoryLabel(a)}${more} (${advisoryUrl(a)}). ${FIX[written]}`;
}

export default {
  id: 'compromised-dependency',
  title: 'Known-malicious package version',
  severity: 'critical',
  alsoBlocksIn: ['dev'],
  area: 'supply-chain',
  summary:
    'A lockfile entry, an exact manifest pin (`"ua-parser-js": "0.7.29"`, `requests==…`) or an install command names a package version that a malware advisory ' +
    'lists as hijacked or malicious (ua-parser-js, event-stream, coa, rc, colors, faker, node-ipc, the 2025 chalk/debug hijack, the Shai-Hulud worm, …). ' +
    'A package the manifest declares and the lockfile locks is reported once, at the manifest line, with the lockfile entry as related.',
  rationale:
    'When a maintainer account is taken over, the attacker publishes releases that run code at install or import time: crypto-miners, password ' +
    'stealers, wallet drainers, worms that publish themselves with the stolen tokens. The releases are pulled within hours, but lockfiles and exact pins ' +
    'keep asking for them, and caches and mirrors keep serving them. The bundled dataset (OSV format, from GitHub malware advisories and OSV MAL- entries) ' +
    'is checked offline; `advisories: online` adds the OSV database at run time.',
  fix:
    'Pin a version the advisory does not list (usually the next release, or the one before): in the manifest, then regenerate the lockfile; in a ' +
    'Dockerfile or workflow command, in the command itself. Audit every machine and CI runner that installed the bad version: rotate its tokens ' +
    'and keys, since install scripts ran with them.',
  references: ['https://github.com/advisories?query=type%3Amalware', 'https://github.com/ossf/malicious-packages', 'https://ossf.github.io/osv-schema/'],
  examples: {
    bad: [
      {
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "debug": "^4.4.0" } },\n    "node_modules/debug": {\n      "version": "4.4.2"\n    }\n  }\n}\n',
        line: 5,
      },
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "ua-parser-js": "0.7.29"\n  }\n}\n', line: 4 },
      {
        path: 'package.json',
        text: '{\n  "name": "web",\n  "dependencies": {\n    "debug": "^4.4.0"\n  }\n}\n',
        files: { 'package-lock.json': '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "debug": "^4.4.0" } },\n    "node_modules/debug": { "version": "4.4.2" }\n  }\n}\n' },
        line: 4,
      },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g chalk@5.6.1\n', line: 2 },
      {
        path: '.github/workflows/release.yml',
        text: 'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm install --no-save debug@4.4.2\n',
        line: 6,
      },
      { path: 'action.yml', text: 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: npm install -g chalk@5.6.1\n      shell: bash\n', line: 5 },
      { path: 'scripts/setup-tools.sh', text: '#!/bin/sh\nset -e\nnpm install --no-save --loglevel warn chalk@5.6.1\n', line: 3 },
    ],
    good: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": { "ua-parser-js": "0.7.30", "chalk": "^5.6.1" }\n}\n' },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g chalk@5.6.2\n' },
      { path: 'Makefile', text: 'tools:\n\tnpm install --no-save chalk@5.6.2\n' },
    ],
  },
  reads: ['lockfile', 'manifest', 'dockerfile', 'workflow', 'shell'],
  check(doc, ctx) {
    const index = advisoryIndex(ctx.options.advisories);
    if ('entries' in doc) {
      // requirements*.txt is read as a manifest too, and entries a manifest beside the lockfile declares are reported at that manifest.
      if (doc.format === 'requirements') return;
      // Most locked names have no advisory: those are skipped before the (lazily found) direct entries are looked at.
      const eco = osvEcosystem(doc.ecosystem);
      let direct: ReadonlySet<string> | undefined;
      const skip = (e: object): boolean => !hasAdvisories(index, eco, (e as LockEntry).name) || (direct ??= directLockEntries(ctx.project, doc as LockfileDoc)).has(lockEntryId(e as LockEntry));
      for (const p of pinnedPackages(doc, (path) => ctx.project.read(path), skip)) {
        const found = advisoriesFor(index, p.ecosystem, p.name, p.version);
        if (found.length > 0) ctx.report({ message: message(p.name, p.version, found, p.where, 'lockfile'), at: p.span });
      }
      return;
    }
    if ('role' in doc && doc.role === 'manifest') {
      const text = ctx.project.read(doc.path);
      if (text === undefined) return;
      const locked = lockfileFor(ctx.project, doc);
      const lockName = locked ? locked.lock.path.slice(locked.lock.path.lastIndexOf('/') + 1) : '';
      for (const d of manifestDependencies(doc.name, text)) {
        const eco = osvEcosystem(d.ecosystem);
        if (!hasAdvisories(index, eco, d.name)) continue;
        const entries = locked ? lockedEntries(locked, dirOf(doc.path), d.name) : [];
        const related: Related[] = entries.map((e) => ({ path: locked!.lock.path, at: e.span, label: 'locked here' }));
        const tries: { version: string; where: string }[] = [
          ...(d.exact ? [{ version: d.exact, where: `${doc.name} pins` }] : []),
          ...entries.filter((e) => e.version).map((e) => ({ version: e.version, where: `${doc.name} depends on \`${d.name}\`, and ${lockName} locks` })),
        ];
        for (const t of tries) {
          const found = advisoriesFor(index, eco, d.name, osvVersion(eco, t.version));
          if (found.length === 0) continue;
          ctx.report({ message: message(d.name, t.version, found, t.where, 'manifest'), at: d.span, ...(related.length > 0 ? { related } : {}) });
          break;
        }
      }
      return;
    }
    for (const p of pinnedPackages(doc, (path) => ctx.project.read(path))) {
      const found = advisoriesFor(index, p.ecosystem, p.name, p.version);
      if (found.length > 0) ctx.report({ message: message(p.name, p.version, found, p.where, 'command'), at: p.span });
    }
  },
} satisfies Rule<PackageDoc, Options>;
