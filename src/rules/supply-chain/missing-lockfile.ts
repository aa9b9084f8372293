import type { Confidence, Rule } from '../../core/types.js';
import type { ManifestDoc, PackageManifest } from '../../parsers/manifests/index.js';
import { dirOf, findWorkspaceRoot, joinPath, type WorkspaceRoot } from '../../parsers/manifests/workspace.js';

const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];
const NPM_TOOLS: Record<string, [string, string]> = {
  npm: ['package-lock.json', 'npm install --package-lock-only'],
  yarn: ['yarn.lock', 'yarn install'],
  pnpm: ['pnpm-lock.yaml', 'pnpm install'],
  bun: ['bun.lock', 'bun install'],
};
const PY_LOCKS = ['poetry.lock', 'uv.lock', 'pdm.lock'];
const PY_TOOLS: Record<string, [string, string]> = { poetry: ['poetry.lock', 'poetry lock'], uv: ['uv.lock', 'uv lock'], pdm: ['pdm.lock', 'pdm lock'] };

/** What a manifest's project should have: any of `accept`, and the one to name with the command that makes it. */
interface Expectation {
  accept: string[];
  expected: string;
  /** The command that creates it; alternatives separated by `|`. */
  command: string;
  confidence: Confidence;
}

function expectationFor(doc: PackageManifest, root: WorkspaceRoot | undefined): Expectation | undefined {
  const tool = (table: Record<string, [string, string]>): [string, string] | undefined =>
    [...doc.tools, ...(root?.tools ?? [])].map((t) => table[t]).find((x) => x !== undefined);
  switch (doc.name) {
    case 'package.json': {
      const [expected, command] = tool(NPM_TOOLS) ?? NPM_TOOLS.npm!;
      return { accept: NPM_LOCKS, expected, command, confidence: 'high' };
    }
    case 'pyproject.toml': {
      const known = tool(PY_TOOLS);
      if (known) return { accept: PY_LOCKS, expected: known[0], command: known[1], confidence: 'high' };
      // Plain PEP 621 dependencies: the project may be a library built without a lock-capable tool.
      return { accept: PY_LOCKS, expected: 'uv.lock, poetry.lock or pdm.lock', command: 'uv lock|poetry lock|pdm lock', confidence: 'medium' };
    }
    case 'Pipfile':
      return { accept: ['Pipfile.lock'], expected: 'Pipfile.lock', command: 'pipenv lock', confidence: 'high' };
    case 'Gemfile':
      return { accept: ['Gemfile.lock'], expected: 'Gemfile.lock', command: 'bundle lock', confidence: 'high' };
    case 'composer.json':
      return { accept: ['composer.lock'], expected: 'composer.lock', command: 'composer install', confidence: 'high' };
    case 'go.mod':
      return { accept: ['go.sum'], expected: 'go.sum', command: 'go mod tidy', confidence: 'high' };
    case 'Cargo.toml':
      return { accept: ['Cargo.lock'], expected: 'Cargo.lock', command: 'cargo generate-lockfile', confidence: 'high' };
    default:
      return undefined; // requirements*.txt pins by itself when it pins at all
  }
}

/** A crate with `src/lib.rs` and neither `src/main.rs` nor `src/bin/`: dependents resolve its dependencies with their own lockfile. */
function isLibraryCrate(project: { has(path: string): boolean; list(dir: string): readonly string[] }, dir: string): boolean {
  const src = joinPath(dir, 'src');
  return project.has(joinPath(src, 'lib.rs')) && !project.has(joinPath(src, 'main.rs')) && project.list(joinPath(src, 'bin')).length === 0;
}

const place = (dir: string): string => (dir === '' ? 'the repository root' : `${dir}/`);

export default {
  id: 'missing-lockfile',
  title: 'Dependencies declared without a lockfile',
  severity: 'high',
  area: 'supply-chain',
  summary:
    'A package manifest declares dependencies but its project commits no lockfile, so every install resolves versions afresh. A `go.mod` without `go.sum` is medium: ' +
    'go.mod fixes the versions, and only the local record of their hashes is missing. A Cargo library crate is reported at low confidence.',
  rationale:
    'Without a lockfile, each CI run and each developer install picks whatever versions the registry serves at that moment, including transitive ones. A hijacked maintainer account or a typo-squatted release then reaches your build with no diff to review, and builds are not reproducible. A committed lockfile pins every package by version and integrity hash, so a change in the dependency tree shows up as a reviewable change. ' +
    'Go is different: `go.mod` requires exact versions and minimal version selection never picks a newer one by itself, and the go command checks downloads against the public checksum database; `go.sum` adds the reviewed local record of the hashes (and the only check for private modules), and builds refuse to run without it.',
  fix: 'Generate the lockfile with your package manager (`npm install --package-lock-only`, `yarn install`, `pnpm install`, `bun install`, `pipenv lock`, `poetry lock`, `uv lock`, `pdm lock`, `bundle lock`, `composer install`, `go mod tidy`, `cargo generate-lockfile`) and commit it. In a workspace, the lockfile belongs at the workspace root. In CI, install from the lockfile (`npm ci`, `yarn install --immutable`, `pnpm install --frozen-lockfile`, `uv sync --locked`).',
  references: [
    'https://docs.npmjs.com/cli/configuring-npm/package-lock-json',
    'https://doc.rust-lang.org/cargo/faq.html#why-have-cargolock-in-version-control',
    'https://go.dev/ref/mod#go-sum-files',
    'https://slsa.dev/spec/v1.0/threats',
  ],
  examples: {
    bad: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n', line: 3 },
      {
        path: 'packages/api/package.json',
        text: '{\n  "name": "api",\n  "dependencies": { "zod": "^3.23.0" }\n}\n',
        files: { 'package.json': '{ "private": true, "workspaces": ["packages/*"] }\n' },
        line: 3,
      },
      { path: 'Cargo.toml', text: '[package]\nname = "tool"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n', line: 5 },
      { path: 'go.mod', text: 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', line: 5 },
    ],
    good: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": { "express": "^4.19.2" }\n}\n', files: { 'package-lock.json': '{}' } },
      {
        path: 'packages/api/package.json',
        text: '{\n  "name": "api",\n  "dependencies": { "zod": "^3.23.0" }\n}\n',
        files: { 'package.json': '{ "private": true, "workspaces": { "packages": ["packages/*"] } }\n', 'yarn.lock': '' },
      },
      { path: 'pyproject.toml', text: '[project]\nname = "svc"\ndependencies = ["httpx>=0.27"]\n\n[tool.uv]\n', files: { 'uv.lock': 'version = 1\n' } },
      { path: 'package.json', text: '{\n  "name": "no-deps",\n  "scripts": { "test": "node --test" }\n}\n' },
    ],
  },
  reads: ['manifest'],
  check(doc, ctx) {
    if (doc.role !== 'manifest' || !doc.dependencies) return;
    const root = findWorkspaceRoot(ctx.project, doc);
    const want = expectationFor(doc, root);
    if (!want) return;
    const dir = dirOf(doc.path);
    const dirs = root && root.dir !== dir ? [dir, root.dir] : [dir];
    if (dirs.some((d) => want.accept.some((lock) => ctx.project.has(joinPath(d, lock))))) return;
    const n = doc.dependencies.count;
    const where = root && root.dir !== dir ? `beside it or at its workspace root (${place(root.dir)}, declared by ${root.manifest})` : 'beside it';
    const runAt = root ? root.dir : dir;
    const firstLine = (root && ctx.project.read(root.manifest)?.split('\n')[0]?.replace(/\r$/, '')) || ' ';
    const run = `Run ${want.command.split('|').map((c) => `\`${c}\``).join(' or ')} in ${place(runAt)} and commit ${want.expected}.`;
    const go = doc.name === 'go.mod';
    const library = doc.name === 'Cargo.toml' && isLibraryCrate(ctx.project, dir);
    ctx.report({
      message: go
        ? // go.mod already names exact versions (minimal version selection); go.sum is the local record of their hashes.
          `go.mod requires ${n} ${n === 1 ? 'module' : 'modules'} but there is no go.sum ${where}: the versions are fixed by go.mod, but their hashes are not ` +
          'recorded, so builds fail until `go mod download` fetches them, and each download is then checked only against the checksum database (never for ' +
          `modules in GOPRIVATE/GONOSUMDB), not against a reviewed local record. ${run}`
        : `${doc.name} declares ${n} ${n === 1 ? 'dependency' : 'dependencies'} but there is no lockfile ${where}, so every install resolves versions afresh` +
          `${library ? ' (this crate looks like a library: its Cargo.lock is used only by its own builds and tests, not by the crates that depend on it)' : ''}. ${run}`,
      at: doc.dependencies.span,
      confidence: library ? 'low' : want.confidence,
      ...(go ? { severity: 'medium' as const } : {}),
      ...(root && root.dir !== dir
        ? { related: [{ path: root.manifest, at: { line: 1, column: 1, endLine: 1, endColumn: firstLine.length + 1 }, label: 'the workspace root, where the lockfile belongs' }] }
        : {}),
    });
  },
} satisfies Rule<ManifestDoc>;
