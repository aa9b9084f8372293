import type { Rule } from '../../core/types.js';
import type { LockfileDoc } from '../../parsers/lockfiles/index.js';

const lock = (entries: string): string =>
  `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" },\n${entries}\n  }\n}\n`;

export default {
  id: 'install-script-dependency',
  title: 'Locked dependency runs an install script',
  severity: 'info',
  area: 'supply-chain',
  summary: 'A lockfile entry declares an install script (`hasInstallScript`, pnpm `requiresBuild`): installing it runs its code on the machine.',
  rationale:
    'Install scripts (`preinstall`, `install`, `postinstall`, native builds) run with the rights of whoever installs: the developer, the CI job and its secrets. Most malicious npm releases, from the ua-parser-js hijack to the Shai-Hulud worm, did their work in an install script. Listing each entry lets a reviewer notice when a pull request brings a new one in.',
  fix: 'Check that the package needs its script. Install with scripts off where you can (`npm ci --ignore-scripts`, pnpm `onlyBuiltDependencies`, npm 11 `install-scripts approve`) and allow only the packages you reviewed.',
  references: ['https://docs.npmjs.com/cli/using-npm/scripts', 'https://pnpm.io/settings#onlybuiltdependencies', 'https://github.com/advisories/GHSA-pjwm-rvh2-c87w'],
  examples: {
    bad: [
      {
        path: 'package-lock.json',
        text: lock(`    "node_modules/esbuild": {\n      "version": "0.21.5",\n      "hasInstallScript": true\n    }`),
        line: 8,
      },
      {
        path: 'pnpm-lock.yaml',
        text: "lockfileVersion: '6.0'\n\npackages:\n\n  /core-js@3.37.1:\n    resolution: {integrity: sha512-Xn6qmxrQZyB0FFY8E3bgRXei3lWDJHhvI+u0q9TKIYM49G8pAr0FgnnrFRAmsbptZL1yxRADVXn+x5AGsbBfyw==}\n    requiresBuild: true\n",
        line: 5,
      },
    ],
    good: [{ path: 'package-lock.json', text: lock(`    "node_modules/ms": {\n      "version": "2.1.3"\n    }`) }],
  },
  reads: ['lockfile'],
  check(doc, ctx) {
    for (const e of doc.entries) {
      if (!e.hasInstallScript) continue;
      ctx.report({
        message: `${e.name}@${e.version || '?'} runs an install script when installed${e.dev ? ' (a dev dependency)' : ''}: check that it needs one, and allow scripts only for packages you reviewed.`,
        at: e.installScriptSpan ?? e.span,
        fingerprintKey: `${e.name}@${e.version}`,
      });
    }
  },
} satisfies Rule<LockfileDoc>;
