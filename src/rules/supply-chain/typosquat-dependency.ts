import { installedPackages, manifestDependencies } from '../../analysis/dependencies.js';
import { typosquatOf, type SquatMatch } from '../../analysis/popular.js';
import { commandSpan } from '../../analysis/command-span.js';
import { scriptsOf } from '../../analysis/scripts.js';
import { parseShell } from '../../analysis/shell.js';
import { directLockEntries, lockEntryId, lockedEntries, lockfileFor } from '../../analysis/lockfile-drift.js';
import type { Related, Rule, Span } from '../../core/types.js';
import type { LockEntry, LockfileDoc } from '../../parsers/lockfiles/index.js';
import { dirOf } from '../../parsers/manifests/workspace.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';
import type { ManifestDoc } from '../../parsers/manifests/index.js';
import type { ShellDoc } from '../../parsers/shell-doc.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';

/** What the rule needs of a parsed lockfile (see parsers/lockfiles). */
interface LockLike {
  path: string;
  ecosystem: string;
  format: string;
  entries: { name: string; key?: string; span: Span }[];
}
type Doc = ManifestDoc | LockLike | DockerfileDoc | WorkflowDoc | ShellDoc;

const HOW: Record<SquatMatch['kind'], string> = {
  'one edit': 'one character away from',
  transposition: 'two swapped characters away from',
  separator: 'a separator away from',
  scope: 'a scope confusion of',
  affix: 'a language prefix or suffix away from',
};

const REGISTRY: Record<'npm' | 'pypi', string> = { npm: 'npm (by monthly downloads)', pypi: 'PyPI (by downloads)' };

function message(name: string, ecosystem: 'npm' | 'pypi', m: SquatMatch, where: string): string {
  return (
    `${where} \`${name}\`, which is ${HOW[m.kind]} the popular package \`${m.target}\` (#${m.rank} on ${REGISTRY[ecosystem]}) ` +
    `and is not popular itself: did you mean \`${m.target}\`? Check the name before anything installs it.`
  );
}

export default {
  id: 'typosquat-dependency',
  title: 'Dependency name imitates a popular package',
  severity: 'high',
  alsoBlocksIn: ['dev'],
  area: 'supply-chain',
  summary:
    'A dependency in a manifest, a lockfile or an install command (`npm install`, `pip install` in a Dockerfile `RUN` or a workflow `run:`) is one edit, one ' +
    'transposition, a separator, a scope or a `py`/`python`/`js`/`node` affix away from a popular package of the same ecosystem, and is not popular itself. ' +
    'A name the manifest declares and the lockfile locks is reported once, at the manifest line, with the lockfile entry as related.',
  rationale:
    'Typosquats are published to catch a slip of the keyboard: `expresss`, `python-dateutils`, `crossenv`. Their install scripts run with the ' +
    "developer's or the runner's credentials the moment the name is installed. The bundled popularity lists (npm top 10,000 by monthly downloads, " +
    'PyPI top 15,000) are checked offline; PyPI names compare after PEP 503 normalisation, so `-`, `_` and `.` spellings of one project are the same ' +
    'package. Names of four characters or fewer match only by transposition, a different digit is not a typo (`vue2`), and a name that is popular ' +
    'itself is never reported. Neither is a package with a public record of its own (npm: at least 1% of the imitated package\'s monthly downloads, ' +
    'or 500,000 a month, in the bundled data, so `umask` is not a slip of `imask` and `is-email` not one of `isemail`), nor a scoped name compared ' +
    'with another scope (a scope belongs to its owner: `@npm/types` is not a slip of `@pnpm/types`). In a package-lock, only what the project ' +
    'declares (`packages[""]` and workspace members) is checked: a hoisted entry that another package depends on is not a slip of this ' +
    'project\'s keyboard.',
  fix:
    'Correct the name to the package you meant: in the manifest, then regenerate the lockfile; in a Dockerfile or workflow command, in the command. ' +
    'If the misspelt package was ever installed, treat that machine and its credentials as exposed.',
  references: ['https://blog.npmjs.org/post/163723642530/crossenv-malware-on-the-npm-registry', 'https://peps.python.org/pep-0503/#normalized-names', 'https://github.com/DataDog/guarddog'],
  examples: {
    bad: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": {\n    "expresss": "^4.19.2"\n  }\n}\n', line: 4 },
      { path: 'requirements.txt', text: 'requests==2.32.3\npython-dateutils==2.9.0\n', line: 2 },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN npm install -g loadsh@4.17.21\n', line: 2 },
      {
        path: 'tools/package-lock.json',
        text:
          '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "expresss": "^4.19.2" } },\n' +
          '    "node_modules/expresss": { "version": "4.19.2" }\n  }\n}\n',
        line: 5,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install python-dateutils==2.9.0\n',
        line: 6,
      },
      { path: 'action.yml', text: 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: npm install -g loadsh@4.17.21\n      shell: bash\n', line: 5 },
      { path: 'Makefile', text: '.PHONY: deps\ndeps:\n\t@pip install --root-user-action ignore python-dateutils==2.9.0\n', line: 3 },
    ],
    good: [
      { path: 'package.json', text: '{\n  "name": "web",\n  "dependencies": { "express": "^4.19.2", "js-yaml": "^4.1.0", "@types/node": "^22.0.0" }\n}\n' },
      { path: 'requirements.txt', text: 'python_dateutil==2.9.0\nPyYAML==6.0.2\n' },
      { path: 'bin/bootstrap', text: '#!/usr/bin/env bash\npip install --root-user-action ignore python-dateutil==2.9.0\nnpm install --loglevel verbose lodash@4.17.21\n' },
    ],
  },
  reads: ['lockfile', 'manifest', 'dockerfile', 'workflow', 'shell'],
  check(doc, ctx) {
    const flag = (d: { ecosystem: 'npm' | 'pypi'; name: string }, at: Span, where: string, related?: () => Related[]) => {
      const m = typosquatOf(d.ecosystem, d.name);
      if (!m) return;
      const rel = related?.() ?? [];
      ctx.report({ message: message(d.name, d.ecosystem, m, where), at, confidence: m.kind === 'affix' || m.kind === 'scope' ? 'medium' : 'high', ...(rel.length > 0 ? { related: rel } : {}) });
    };
    if ('entries' in doc) {
      // Only what the project itself asks for (package-lock v2/v3 lists it under `packages[""]` and the workspace members): an
      // entry installed for another package, even hoisted to the top, is that package's choice, not a slip of this project's
      // keyboard. Other formats do not say which entries are direct.
      const declared = (doc as LockfileDoc).direct;
      if (doc.format !== 'package-lock' || !declared) return;
      // A name the manifest beside the lockfile declares is reported there, where a human wrote it.
      let direct: ReadonlySet<string> | undefined;
      const isDirect = (e: LockEntry): boolean => (direct ??= directLockEntries(ctx.project, doc as LockfileDoc)).has(lockEntryId(e));
      for (const e of doc.entries) if (e.key === `node_modules/${e.name}` && declared.has(e.name) && typosquatOf('npm', e.name) && !isDirect(e as LockEntry)) flag({ ecosystem: 'npm', name: e.name }, e.span, `${doc.path.slice(doc.path.lastIndexOf('/') + 1)} installs`);
      return;
    }
    if ('role' in doc) {
      if (doc.role !== 'manifest' || (doc.ecosystem !== 'npm' && doc.ecosystem !== 'pypi')) return;
      const text = ctx.project.read(doc.path);
      if (text === undefined) return;
      const locked = lockfileFor(ctx.project, doc);
      const related = (name: string) => (): Related[] => (locked ? lockedEntries(locked, dirOf(doc.path), name).map((e) => ({ path: locked.lock.path, at: e.span, label: 'locked here' })) : []);
      for (const d of manifestDependencies(doc.name, text)) flag(d, d.span, `${doc.name} depends on`, related(d.name));
      return;
    }
    const blocks = scriptsOf(doc);
    for (const block of blocks) {
      for (const c of parseShell(block.script).commands) {
        for (const p of installedPackages(c.argv)) flag(p, commandSpan(block, c), `\`${c.argv.slice(0, 2).join(' ')}\` installs`);
      }
    }
  },
} satisfies Rule<Doc>;
