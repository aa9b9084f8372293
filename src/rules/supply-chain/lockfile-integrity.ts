import type { Related, Rule } from '../../core/types.js';
import type { LockEntry, LockfileDoc } from '../../parsers/lockfiles/index.js';

const HOST = 'https://packages.example.com';
const lock = (entries: string): string =>
  `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "app" },\n${entries}\n  }\n}\n`;
const NPM_FORMATS = new Set(['package-lock', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun']);
const id = (e: LockEntry): string => `${e.name}@${e.version || '?'}`;

/** 'missing' when the entry has no hash at all, 'weak' when it has only hashes weaker than sha256; yarn berry checksums are sha512. */
function problem(doc: LockfileDoc, e: LockEntry): 'missing' | 'weak' | undefined {
  if (!e.integrity) return 'missing';
  if (doc.format === 'yarn-berry') return undefined;
  const algos = e.integrity.split(/\s+/).map((h) => h.replace(/-.*$/, '').toLowerCase());
  return algos.some((a) => a === 'sha512' || a === 'sha384' || a === 'sha256') ? undefined : 'weak';
}

export default {
  id: 'lockfile-integrity',
  title: 'Lockfile entry without a strong integrity hash',
  severity: 'medium',
  area: 'supply-chain',
  summary:
    'An npm, yarn, pnpm or bun lockfile entry fetched from a registry or URL has no integrity hash (medium, one finding per entry), or the lockfile has entries ' +
    'whose only hash is sha1 (low, one finding per lockfile with the count).',
  rationale:
    'The integrity hash is what makes a lockfile a promise: the package manager refuses a tarball whose hash differs, so a tampered registry, mirror or proxy cannot ' +
    'swap the code. Without a hash, whatever the URL serves is installed. A sha1 hash is still checked on every install (npm and yarn verify it, and yarn 1 also ' +
    'verifies the `#<sha1>` fragment of a `resolved` URL), so a swapped tarball is caught unless someone manufactures a sha1 collision against that exact file, ' +
    'which no public attack can do for an existing tarball; sha1 is weak, not absent, so those entries are one low finding per lockfile: they come from ' +
    'lockfiles first written by old npm or yarn releases, and the fix is one regeneration, not one edit per entry.',
  fix:
    'For a missing hash, regenerate the entry so the package manager records one: delete the entry (or the lockfile) and run `npm install`, `yarn install`, ' +
    '`pnpm install` or `bun install`, then review the diff. For sha1-only entries, regenerate the lockfile (delete it and install): the registry publishes sha512 ' +
    'for those versions, and an existing entry keeps its old hash until it is re-resolved. Git, file, link and workspace dependencies carry no hash and are not reported.',
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
    const weak: LockEntry[] = [];
    for (const e of doc.entries) {
      if (e.source !== 'registry' && e.source !== 'url') continue;
      const what = problem(doc, e);
      if (what === 'weak') weak.push(e);
      if (what !== 'missing') continue;
      ctx.report({
        message: `${id(e)} has no integrity hash, so the package manager installs whatever its URL serves: regenerate the entry (\`npm install\`/\`yarn\`/\`pnpm install\`) so the lockfile records a sha512 hash.`,
        at: e.span,
        fingerprintKey: `${e.name}@${e.version}`,
      });
    }
    const first = weak[0];
    if (!first) return;
    const others = weak.length - 1;
    const related: Related[] = weak.slice(1, 4).map((e) => ({ at: e.integritySpan ?? e.span, label: `${id(e)}: sha1 only` }));
    ctx.report({
      message:
        `${id(first)}${others > 0 ? ` and ${others} other ${others === 1 ? 'entry' : 'entries'}` : ''} ${others > 0 ? 'have' : 'has'} only a sha1 integrity hash: ` +
        'installs still verify it, but sha1 is a weak hash. Regenerate the lockfile (delete it and run the install) so it records the sha512 hashes the registry publishes.',
      at: first.integritySpan ?? first.span,
      severity: 'low',
      fingerprintKey: 'sha1-only entries',
      ...(related.length > 0 ? { related } : {}),
    });
  },
} satisfies Rule<LockfileDoc>;
