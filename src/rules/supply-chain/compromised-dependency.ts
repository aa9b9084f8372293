import { advisoriesFor, advisoryIndex, advisoryLabel, advisoryUrl, incidentOf, type Advisory } from '../../analysis/advisories.js';
import { pinnedPackages, type PackageDoc } from '../../analysis/packages.js';
import type { Rule } from '../../core/types.js';

interface Options {
  /** Advisories fetched online for this scan (`advisories: online`), added to the bundled dataset; not a config-file option. */
  advisories?: readonly Advisory[];
}

function message(name: string, version: string, found: Advisory[], where: string): string {
  const a = found[0]!;
  const more = found.length > 1 ? ` (and ${found.slice(1).map(advisoryLabel).join(', ')})` : '';
  return (
    `${where} \`${name}@${version}\`, a known-malicious release: ${incidentOf(a)}, ${advisoryLabel(a)}${more} (${advisoryUrl(a)}). ` +
    'Move to a release the advisory lists as safe, regenerate the lockfile, and treat any machine that installed it as compromised: rotate the secrets it could read.'
  );
}

export default {
  id: 'compromised-dependency',
  title: 'Known-malicious package version',
  severity: 'critical',
  area: 'supply-chain',
  summary:
    'A lockfile entry, an exact manifest pin (`"ua-parser-js": "0.7.29"`, `requests==…`) or an install command names a package version that a malware advisory ' +
    'lists as hijacked or malicious (ua-parser-js, event-stream, coa, rc, colors, faker, node-ipc, the 2025 chalk/debug hijack, the Shai-Hulud worm, …).',
  rationale:
    'When a maintainer account is taken over, the attacker publishes releases that run code at install or import time: crypto-miners, password ' +
    'stealers, wallet drainers, worms that publish themselves with the stolen tokens. The releases are pulled within hours, but lockfiles and exact pins ' +
    'keep asking for them, and caches and mirrors keep serving them. The bundled dataset (OSV format, from GitHub malware advisories and OSV MAL- entries) ' +
    'is checked offline; `advisories: online` adds the OSV database at run time.',
  fix:
    'Pin a version the advisory does not list (usually the next release, or the one before), regenerate the lockfile, and audit every machine and CI ' +
    'runner that installed the bad version: rotate its tokens and keys, since install scripts ran with them.',
  references: ['https://github.com/advisories?query=type%3Amalware', 'https://github.com/ossf/malicious-packages', 'https://ossf.github.io/osv-schema/'],
  examples: {
    bad: [
      {
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "debug": "^4.4.0" } },\n    "node_modules/debug": {\n      "version": "4.4.2"\n    }\n  }\n}\n',
        line: 5,
      },
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "ua-parser-js": "0.7.29"\n  }\n}\n', line: 4 },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g chalk@5.6.1\n', line: 2 },
    ],
    good: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": { "ua-parser-js": "0.7.30", "chalk": "^5.6.1" }\n}\n' },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g chalk@5.6.2\n' },
    ],
  },
  reads: ['lockfile', 'manifest', 'dockerfile', 'workflow'],
  check(doc, ctx) {
    const index = advisoryIndex(ctx.options.advisories);
    for (const p of pinnedPackages(doc, (path) => ctx.project.read(path))) {
      const found = advisoriesFor(index, p.ecosystem, p.name, p.version);
      if (found.length > 0) ctx.report({ message: message(p.name, p.version, found, p.where), at: p.span });
    }
  },
} satisfies Rule<PackageDoc, Options>;
