import { commandSpan } from '../../analysis/command-span.js';
import { unfrozenInstall } from '../../analysis/installs.js';
import { scriptsOf, type ScriptDoc } from '../../analysis/scripts.js';
import { parseShell } from '../../analysis/shell.js';
import type { Rule } from '../../core/types.js';

export default {
  id: 'non-frozen-install',
  title: 'Package install not frozen to a lockfile or exact version',
  severity: 'medium',
  area: 'supply-chain',
  summary:
    'A Dockerfile `RUN`, workflow `run:`, shell script or Makefile recipe installs packages in a way that can pull versions nobody reviewed: `npm install` instead of ' +
    '`npm ci`, `yarn`/`pnpm`/`bun install` without a frozen lockfile, or a named package without an exact version ' +
    '(`pip install requests`, `npm i -g foo`, `go install x@latest`, `gem install rake`, `choco install cmake`).',
  rationale:
    'A build that resolves versions at install time gets whatever the registry serves that minute: a hijacked maintainer account or a ' +
    'typosquat published an hour ago lands in the image or on a runner that holds secrets, and two builds of one commit can differ. ' +
    'A lockfile installed in frozen mode, or an exact version, keeps the set reviewed. Exact pins (`foo==1.2.3`, `foo@1.2.3`, ' +
    '`gem install x -v 1.2.3`, a git URL at a 40-hex commit), local paths and `pip install --require-hashes` are not reported. ' +
    '`pip install -r requirements.txt` without hashes, `pip install --upgrade pip` (or setuptools and wheel, even with a range) and a version held in a variable ' +
    'without a default in the file are reported with low confidence. In a Dockerfile, `$NAME` versions take the `ARG`/`ENV` default the file declares. `pnpm install` ' +
    'in a workflow `run:` is not reported (pnpm freezes the lockfile by itself when it detects CI, and the runner sets `CI=true`); in a Dockerfile it is, with ' +
    'medium confidence. `go install tool` builds the tools go.mod declares and is not reported.',
  fix:
    'Use the lockfile in frozen mode: `npm ci`, `yarn install --immutable` (Yarn 1: `--frozen-lockfile`), `pnpm install --frozen-lockfile`, ' +
    '`bun install --frozen-lockfile`, `pip install --require-hashes -r requirements.txt`. For one-off tools pin an exact version: ' +
    '`npm i -g foo@1.2.3`, `pip install foo==1.2.3`, `go install example.com/x@v1.2.3`.',
  references: [
    'https://docs.npmjs.com/cli/commands/npm-ci',
    'https://pip.pypa.io/en/stable/topics/secure-installs/',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies',
    'https://docs.zizmor.sh/audits/#adhoc-packages',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM node:22\nCOPY . .\nRUN npm install && npm run build\n', line: 3 },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          pip install pytest\n          go install golang.org/x/vuln/cmd/govulncheck@latest\n',
        line: 7,
      },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN yarn install\n', line: 2 },
      { path: 'action.yml', text: 'name: lint\nruns:\n  using: composite\n  steps:\n    - run: npm install -g eslint\n      shell: bash\n', line: 5 },
      { path: 'Makefile', text: 'dev:\n\tpip install --root-user-action ignore poetry\n', line: 2 },
      { path: 'scripts/restore.sh', text: '#!/bin/sh\nset -e\ndotnet add src/Api package Serilog\n', line: 3 },
    ],
    good: [
      { path: 'Dockerfile', text: 'FROM node:22\nCOPY . .\nRUN npm ci && npm run build\nRUN pip install --require-hashes -r requirements.txt\n' },
      { path: 'scripts/restore.sh', text: '#!/bin/sh\nset -e\ndotnet add src/Api package Serilog --version 4.0.1\nnuget install packages.config\n' },
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          pip install pytest==8.3.3 -e .\n' +
          '          npm install -g typescript@5.6.3\n          go install golang.org/x/vuln/cmd/govulncheck@v1.1.3\n          yarn install --immutable\n',
      },
      {
        path: 'scripts/bootstrap.sh',
        text: '#!/bin/bash\npip install --root-user-action ignore poetry==1.8.5\nnpm install --loglevel verbose sax@0.1.1\nnpm install ./vendor/tool-1.2.3.tgz\n',
      },
    ],
  },
  reads: ['dockerfile', 'workflow', 'shell'],
  check(doc, ctx) {
    const docker = 'stages' in doc;
    const blocks = scriptsOf(doc);
    // A version written as `$BUN_VERSION` is the ARG/ENV default the Dockerfile declares for it.
    const defaults = new Map<string, string>();
    if (docker) for (const kv of doc.keyValues) if (kv.instruction !== 'LABEL' && kv.value !== undefined && !kv.value.includes('$')) defaults.set(kv.name, kv.value);
    const expand = (w: string): string => (w.includes('$') ? w.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => defaults.get((a ?? b)!) ?? m) : w);
    for (const block of blocks) {
      for (const c of parseShell(block.script).commands) {
        const found = unfrozenInstall(defaults.size > 0 ? c.argv.map(expand) : c.argv, { ci: !docker && !('sources' in doc) });
        if (!found) continue;
        ctx.report({
          message: `\`${found.command}\` ${found.problem}: ${found.fix}.`,
          at: commandSpan(block, c),
          confidence: found.confidence,
        });
      }
    }
  },
} satisfies Rule<ScriptDoc>;
