import type { Rule } from '../../core/types.js';
import type { LockEntry, LockfileDoc } from '../../parsers/lockfiles/index.js';

const HOST = 'https://packages.example.com';
const lock = (entries: string): string =>
  `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" },\n${entries}\n  }\n}\n`;
const NPM_FORMATS = new Set(['package-lock', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun']);

/** The problem with an entry's hash, or undefined when it has a sha512 (or a yarn berry checksum). */
function problem(doc: LockfileDoc, e: LockEntry): string | undefined {
  if (!e.integrity) return 'has no integrity hash';
  if (doc.format === 'yarn-berry') return undefined; // berry checksums are sha512 of the cached archive
  const algos = e.integrity.split(/\s+/).map((h) => h.replace(/-.*$/, '').toLowerCase());
  if (algos.includes('sha512')) return undefined;
  return `has only a ${algos.join('/')} integrity hash`;
}

export default {
  id: 'lockfile-integrity',
  title: 'Lockfile entry without a strong integrity hash',
  severity: 'medium',
  area: 'supply-chain',
  summary: 'An npm, yarn, pnpm or bun lockfile entry fetched from a registry or URL has no integrity hash, or only a weak one (sha1).',
  rationale:
    'The integrity hash is what makes a lockfile a promise: the package manager refuses a tarball whose hash differs, so a tampered registry, mirror or proxy cannot swap the code. Without it, whatever the URL serves is installed. sha1 dates from old npm releases and is no longer collision-resistant; sha512 is the standard.',
  fix: 'Regenerate the entry so the package manager records a sha512 hash: delete the lockfile entry (or the lockfile) and run `npm install`, `yarn install`, `pnpm install` or `bun install`, then review the diff. Git, file, link and workspace dependencies carry no hash and are not reported.',
  references: ['https://docs.npmjs.com/cli/configuring-npm/package-lock-json', 'https://w3c.github.io/webappsec-subresource-integrity/', 'https://github.com/lirantal/lockfile-lint'],
  examples: {
    bad: [
      {
        path: 'package-lock.json',
        text: lock(`    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "${HOST}/left-pad/-/left-pad-1.3.0.tgz"\n    }`),
        line: 6,
      },
      {
        path: 'yarn.lock',
        text: `# yarn lockfile v1\n\n\nms@^2.1.1:\n  version "2.1.3"\n  resolved "${HOST}/ms/-/ms-2.1.3.tgz"\n  integrity sha1-V0yBOM4dK1hh8mRFvXPRz6/ORcg=\n`,
        line: 7,
      },
    ],
    good: [
      {
        path: 'package-lock.json',
        text: lock(
          `    "node_modules/ms": {\n      "version": "2.1.3",\n      "resolved": "${HOST}/ms/-/ms-2.1.3.tgz",\n      "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA=="\n    },\n    "node_modules/tool": {\n      "version": "1.0.0",\n      "resolved": "git+ssh://git@example.com/org/tool.git#0123456789abcdef0123456789abcdef01234567"\n    }`,
        ),
      },
    ],
  },
  reads: ['lockfile'],
  check(doc, ctx) {
    if (!NPM_FORMATS.has(doc.format)) return;
    for (const e of doc.entries) {
      if (e.source !== 'registry' && e.source !== 'url') continue;
      const what = problem(doc, e);
      if (!what) continue;
      ctx.report({
        message: `${e.name}@${e.version || '?'} ${what}, so a tampered download would install unnoticed: regenerate the entry (\`npm install\`/\`yarn\`/\`pnpm install\`) so the lockfile records a sha512 hash.`,
        at: e.integritySpan ?? e.span,
        fingerprintKey: `${e.name}@${e.version}`,
      });
    }
  },
} satisfies Rule<LockfileDoc>;
