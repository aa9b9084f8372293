import type { Rule } from '../../core/types.js';
import { gitDependencies, isFullSha } from '../../analysis/git-deps.js';
import { lockedGitNames, lockKey, locksCommit } from '../../analysis/git-lock.js';
import type { LockfileDoc } from '../../parsers/lockfiles/index.js';

const SHA = '4f2d3c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c';
const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'Pipfile', 'Cargo.toml', 'Gemfile']);
const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export default {
  id: 'unpinned-git-dependency',
  title: 'Git dependency not pinned to a commit',
  severity: 'high',
  area: 'supply-chain',
  summary:
    'A dependency is taken from a git repository by branch, tag or default branch instead of a full 40-character commit SHA, and no lockfile beside the manifest ' +
    '(or at its workspace root) locks it to a commit.',
  rationale:
    'A branch moves and a tag can be re-pointed: whoever can push to that repository (or takes over the account) changes what your next install fetches, with no ' +
    'diff in your repository and no registry in between to yank a bad release. Only a full commit SHA names fixed content. A lockfile that records the commit ' +
    '(Gemfile.lock `revision:`, a package-lock or yarn.lock `resolved …#<sha>`, pnpm `commit:`, poetry.lock `resolved_reference`, Cargo.lock `source = "git+…#<sha>"`, ' +
    'Pipfile.lock `ref`) pins it for every install from that lockfile, so such a manifest line is not reported; a lockfile entry that itself names a branch or tag is.',
  fix: 'Pin the dependency to the full commit SHA you reviewed: `github:owner/repo#<sha>` in package.json, `git+https://…@<sha>` in requirements and PEP 508, `rev = "<sha>"` in poetry, uv, Pipfile and Cargo, `ref: "<sha>"` in a Gemfile. Better still, depend on a registry release.',
  references: ['https://docs.npmjs.com/cli/configuring-npm/package-json#git-urls-as-dependencies', 'https://pip.pypa.io/en/stable/topics/vcs-support/', 'https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html#specifying-dependencies-from-git-repositories', 'https://bundler.io/guides/git.html'],
  examples: {
    bad: [
      { path: 'package.json', text: '{\n  "name": "app",\n  "dependencies": {\n    "tool": "github:acme/tool#main"\n  }\n}\n', line: 4 },
      { path: 'requirements.txt', text: 'requests==2.32.3\ngit+https://github.com/acme/lib.git@v1.2#egg=lib\n', line: 2 },
      { path: 'Cargo.toml', text: '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nlib = { git = "https://github.com/acme/lib" }\n', line: 6 },
      { path: 'pyproject.toml', text: '[tool.poetry.dependencies]\npython = "^3.12"\nlib = { git = "https://github.com/acme/lib.git", branch = "main" }\n', line: 3 },
      { path: 'Gemfile', text: "source 'https://gems.example.com'\ngem 'lib', git: 'https://github.com/acme/lib.git', branch: 'main'\n", line: 2 },
      {
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/tool": {\n      "version": "1.0.0",\n      "resolved": "git+ssh://git@github.com/acme/tool.git#main"\n    }\n  }\n}\n',
        line: 6,
      },
    ],
    good: [
      { path: 'package.json', text: `{\n  "dependencies": {\n    "tool": "github:acme/tool#${SHA}",\n    "ms": "^2.1.3"\n  }\n}\n` },
      { path: 'requirements.txt', text: `lib @ git+https://github.com/acme/lib.git@${SHA}\n` },
      { path: 'Cargo.toml', text: `[dependencies]\nlib = { git = "https://github.com/acme/lib", rev = "${SHA}" }\n` },
      {
        path: 'Gemfile',
        text: "source 'https://gems.example.com'\ngem 'lib', git: 'https://github.com/acme/lib.git', branch: 'main'\n",
        files: { 'Gemfile.lock': `GIT\n  remote: https://github.com/acme/lib.git\n  revision: ${SHA}\n  branch: main\n  specs:\n    lib (1.2.0)\n\nGEM\n  remote: https://gems.example.com/\n  specs:\n\nDEPENDENCIES\n  lib!\n` },
      },
    ],
  },
  reads: ['text', 'lockfile'],
  check(doc, ctx) {
    if (typeof doc === 'string') {
      const name = base(ctx.path);
      if (!MANIFESTS.has(name)) return;
      let locked: ReadonlySet<string> | undefined;
      for (const dep of gitDependencies(name, doc)) {
        if (isFullSha(dep.ref)) continue;
        // The lockfile beside the manifest (or at its workspace root) fixes the commit every install fetches.
        if ((locked ??= lockedGitNames(ctx.project, ctx.path)).has(lockKey(name, dep.name))) continue;
        ctx.report({
          message: `${dep.name} comes from git (${dep.url}) ${dep.ref ? `at \`${dep.ref}\`, which can move` : 'at its default branch'}: pin it to the full 40-character commit SHA you reviewed.`,
          at: dep.span,
          fingerprintKey: `${dep.name} ${dep.url} ${dep.ref ?? ''}`,
        });
      }
      return;
    }
    for (const e of doc.entries) {
      if (e.source !== 'git' || locksCommit(doc.format, e)) continue;
      // a requirements file is where people write the reference; a lockfile is regenerated from its manifest
      const fix = doc.format === 'requirements' ? 'pin it to the full 40-character commit SHA you reviewed' : "pin the manifest's reference to the full 40-character commit SHA you reviewed and regenerate the lockfile";
      ctx.report({
        message: `${e.name} is locked to git ${e.resolved ?? ''} ${e.gitRef ? `at \`${e.gitRef}\`, which can move` : 'without a commit'}: ${fix}.`.replace(/ {2,}/g, ' '),
        at: e.resolvedSpan ?? e.span,
        fingerprintKey: `${e.name} ${e.resolved ?? ''} ${e.gitRef ?? ''}`,
      });
    }
  },
} satisfies Rule<string | LockfileDoc>;
