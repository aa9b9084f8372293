import type { Rule } from '../../core/types.js';
import type { LockfileDoc } from '../../parsers/lockfiles/index.js';
import { dirOf, joinPath } from '../../parsers/manifests/workspace.js';

/** Lockfiles in order of preference (the first present one carries the finding), with their tool and ecosystem. */
const LOCKS: [file: string, tool: string, ecosystem: string][] = [
  ['package-lock.json', 'npm', 'npm'],
  ['npm-shrinkwrap.json', 'npm', 'npm'],
  ['yarn.lock', 'yarn', 'npm'],
  ['pnpm-lock.yaml', 'pnpm', 'npm'],
  ['bun.lock', 'bun', 'npm'],
  ['bun.lockb', 'bun', 'npm'],
  ['Pipfile.lock', 'pipenv', 'pypi'],
  ['poetry.lock', 'poetry', 'pypi'],
  ['uv.lock', 'uv', 'pypi'],
  ['pdm.lock', 'pdm', 'pypi'],
];
/** Lockfiles that parse as 'lockfile' documents, so they can carry the finding. */
const PARSED = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'Pipfile.lock', 'poetry.lock', 'uv.lock']);

export default {
  id: 'conflicting-lockfiles',
  title: 'Lockfiles of different tools in one project',
  severity: 'low',
  area: 'supply-chain',
  summary: 'One directory holds lockfiles of two package managers (package-lock.json and yarn.lock, poetry.lock and uv.lock…), so CI and developers may install different trees.',
  rationale:
    'Each package manager reads only its own lockfile. With two, which one decides depends on who runs the install: CI may use one and developers the other, reviews check one while the other drifts, and a pinned, audited version in one file says nothing about what the other installs.',
  fix: 'Pick one package manager (declare it in `packageManager` or the tool section of pyproject.toml), delete the other lockfile, and add it to .gitignore.',
  references: ['https://docs.npmjs.com/cli/configuring-npm/package-lock-json', 'https://classic.yarnpkg.com/lang/en/docs/migrating-from-npm/', 'https://docs.astral.sh/uv/concepts/projects/sync/'],
  examples: {
    bad: [
      { path: 'package-lock.json', text: '{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {}\n}\n', files: { 'yarn.lock': '# yarn lockfile v1\n' }, line: 1 },
      { path: 'api/poetry.lock', text: '[metadata]\nlock-version = "2.0"\n', files: { 'api/uv.lock': 'version = 1\n' }, line: 1 },
    ],
    good: [
      { path: 'package-lock.json', text: '{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {}\n}\n', files: { 'api/poetry.lock': '' } },
      { path: 'web/yarn.lock', text: '# yarn lockfile v1\n', files: { 'package-lock.json': '{}\n' } },
    ],
  },
  reads: ['lockfile'],
  check(doc, ctx) {
    const dir = dirOf(doc.path);
    const name = doc.path.slice(dir ? dir.length + 1 : 0);
    const mine = LOCKS.find(([file]) => file === name);
    if (!mine) return;
    const present = LOCKS.filter(([file, , eco]) => eco === mine[2] && ctx.project.has(joinPath(dir, file)));
    const tools = new Set(present.map(([, tool]) => tool));
    if (tools.size < 2) return;
    const carrier = present.find(([file]) => PARSED.has(file));
    if (carrier?.[0] !== name) return;
    const others = present.filter(([, tool]) => tool !== mine[1]);
    const first = ctx.project.read(ctx.path)?.split('\n')[0]?.replace(/\r$/, '') ?? '';
    ctx.report({
      message: `${name} (${mine[1]}) sits beside ${others.map(([file, tool]) => `${file} (${tool})`).join(' and ')}: each tool reads only its own lockfile, so installs differ by who runs them. Keep the lockfile of the tool you use and delete the other.`,
      at: { line: 1, column: 1, endLine: 1, endColumn: first.length + 1 },
      related: others.map(([file]) => ({ path: joinPath(dir, file), at: { line: 1, column: 1, endLine: 1, endColumn: 2 }, label: 'the other lockfile' })),
    });
  },
} satisfies Rule<LockfileDoc>;
