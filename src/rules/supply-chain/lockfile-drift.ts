import type { Rule } from '../../core/types.js';
import { lockfileFor, locksPyName, npmDrift, npmRange, pyprojectDeps } from '../../analysis/lockfile-drift.js';
import { packageJsonDeps } from '../../analysis/git-deps.js';
import type { ManifestDoc } from '../../parsers/manifests/index.js';
import { dirOf } from '../../parsers/manifests/workspace.js';

const HOST = 'https://packages.example.com';
const lock = (entries: string): string =>
  `{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "name": "web" },\n${entries}\n  }\n}\n`;
const ms = `    "node_modules/ms": {\n      "version": "2.1.3",\n      "resolved": "${HOST}/ms/-/ms-2.1.3.tgz",\n      "integrity": "sha512-AAAA"\n    }`;

export default {
  id: 'lockfile-drift',
  title: 'Lockfile does not satisfy the manifest',
  severity: 'medium',
  area: 'supply-chain',
  summary:
    'A dependency declared in package.json (or pyproject.toml) has no lockfile entry, or is locked at a version outside the declared range. Workspace links ' +
    '(`workspace:`, `link:`, `file:`, `portal:` specs, and dependencies the lockfile resolves to a link to a workspace package, as pnpm does) never drift.',
  rationale:
    'When manifest and lockfile disagree, `npm ci` and frozen installs fail, and plain installs quietly resolve a fresh version that nobody reviewed. A pull request that edits package.json without the lockfile (or the reverse, a hand-edited lockfile) is also how a dependency change hides from review.',
  fix: 'Run the package manager’s install (`npm install`, `yarn install`, `pnpm install`, `bun install`, `poetry lock`, `uv lock`) so the lockfile matches the manifest, and commit both files together. In CI, install with `npm ci`, `--frozen-lockfile`, `--immutable` or `uv sync --locked` so drift fails the build.',
  references: ['https://docs.npmjs.com/cli/commands/npm-ci', 'https://python-poetry.org/docs/cli/#check', 'https://docs.astral.sh/uv/concepts/projects/sync/#checking-if-the-lockfile-is-up-to-date'],
  examples: {
    bad: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "ms": "^3.0.0"\n  }\n}\n', files: { 'package-lock.json': lock(ms) }, line: 4 },
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "ms": "^2.1.0",\n    "debug": "^4.3.0"\n  }\n}\n', files: { 'package-lock.json': lock(ms) }, line: 5 },
      {
        path: 'pyproject.toml',
        text: '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = [\n  "httpx>=0.27",\n  "rich>=13",\n]\n',
        files: { 'uv.lock': 'version = 1\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\n' },
        line: 6,
      },
    ],
    good: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "ms": "^2.1.0",\n    "local": "file:../local",\n    "next": "latest"\n  }\n}\n', files: { 'package-lock.json': lock(ms) } },
      { path: 'package.json', text: '{\n  "dependencies": { "ms": "~2.1.0" }\n}\n', files: { 'yarn.lock': `# yarn lockfile v1\n\nms@~2.1.0:\n  version "2.1.3"\n  resolved "${HOST}/ms/-/ms-2.1.3.tgz"\n` } },
    ],
  },
  reads: ['manifest'],
  check(doc, ctx) {
    if (doc.role !== 'manifest' || !doc.dependencies) return;
    const dir = dirOf(doc.path);
    const text = ctx.project.read(doc.path);
    if (text === undefined || (doc.name !== 'package.json' && doc.name !== 'pyproject.toml')) return;
    const found = lockfileFor(ctx.project, doc);
    if (!found) return;
    const { lock: lockDoc } = found;
    if (doc.name === 'package.json') {
      const memberDir = found.dir === dir ? '' : dir.slice(found.dir ? found.dir.length + 1 : 0);
      for (const dep of packageJsonDeps(text)) {
        const want = npmRange(dep.name, dep.spec);
        if (!want) continue;
        const drift = npmDrift(lockDoc, memberDir, dep.name, want);
        if (!drift) continue;
        ctx.report({
          message: `${dep.name}@${dep.spec} (${dep.section}) ${drift.problem} ${lockDoc.path}, so \`npm ci\`/frozen installs fail or install something unreviewed: run the install and commit the updated lockfile.`,
          at: dep.span,
          fingerprintKey: `${dep.name} ${dep.spec}`,
          ...(drift.entry ? { related: [{ path: lockDoc.path, at: drift.entry.span, label: 'the locked entry' }] } : {}),
        });
      }
      return;
    }
    for (const dep of pyprojectDeps(text)) {
      if (locksPyName(lockDoc, dep.name)) continue;
      ctx.report({
        message: `${dep.name} is declared in ${doc.name} but missing from ${lockDoc.path}: run \`${lockDoc.path.endsWith('uv.lock') ? 'uv lock' : 'poetry lock'}\` and commit the lockfile.`,
        at: dep.span,
        fingerprintKey: dep.name,
      });
    }
  },
} satisfies Rule<ManifestDoc>;
