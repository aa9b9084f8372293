import { commandSpan } from '../../analysis/command-span.js';
import { unsignedInstall } from '../../analysis/package-signatures.js';
import { scriptsOf, type ScriptDoc } from '../../analysis/scripts.js';
import { parseShell } from '../../analysis/shell.js';
import type { Rule } from '../../core/types.js';

export default {
  id: 'unsigned-packages',
  title: 'Packages installed without signature checks',
  severity: 'high',
  alsoBlocksIn: ['dev'],
  area: 'containers',
  summary:
    'A package manager is told to skip signature checks: `apk add --allow-untrusted`, `apt-get install --allow-unauthenticated` / ' +
    '`--force-yes` / `-o APT::Get::AllowUnauthenticated=true`, `yum`/`dnf`/`microdnf install --nogpgcheck`, `rpm -i --nosignature`, ' +
    '`zypper --no-gpg-checks`, or an apt source written with `[trusted=yes]`.',
  rationale:
    'Distribution packages are signed so that a mirror, a proxy or anyone on the network path cannot hand over a modified package: ' +
    'the package manager checks the signature against keys it already trusts. Skipping the check installs whatever arrives, as root, ' +
    'into the image or onto the CI runner. It is usually added to get past an error about a missing key, which is fixed by importing the key. ' +
    'Dockerfile `RUN`, workflow `run:` steps, shell scripts and Makefile recipes are read with shell analysis.',
  fix:
    'Remove the flag and import the repository\'s signing key: for apt, download the key to `/etc/apt/keyrings/<name>.gpg` and reference it ' +
    'with `deb [signed-by=/etc/apt/keyrings/<name>.gpg] …`; for yum/dnf/rpm, `rpm --import <key url>` or `gpgkey=` with `gpgcheck=1` in the ' +
    '.repo file; for apk, copy the key into `/etc/apk/keys/`. For a local .apk or .rpm you built, sign it in the build that produces it.',
  references: [
    'https://wiki.debian.org/DebianRepository/UseThirdParty',
    'https://wiki.alpinelinux.org/wiki/Abuild_and_Helpers#Setting_up_the_build_environment',
    'https://dnf.readthedocs.io/en/latest/command_ref.html',
    'https://cwe.mitre.org/data/definitions/494.html',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nCOPY tool.apk /tmp/\nRUN apk add --no-cache --allow-untrusted /tmp/tool.apk\n', line: 3 },
      {
        path: 'Dockerfile',
        text: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y --allow-unauthenticated curl\n',
        line: 3,
      },
      { path: 'Dockerfile', text: 'FROM rockylinux:9\nRUN dnf install -y --nogpgcheck https://example.com/tool.rpm\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM debian:12\nRUN echo "deb [trusted=yes] http://apt.example.com stable main" > /etc/apt/sources.list.d/x.list\n',
        line: 2,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          sudo rpm -ivh --nosignature tool.rpm\n',
        line: 7,
      },
      {
        path: 'action.yml',
        text: 'name: tools\nruns:\n  using: composite\n  steps:\n    - run: sudo apt-get install -y --allow-unauthenticated tool\n      shell: bash\n',
        line: 5,
      },
      { path: 'ci/install-deps.sh', text: '#!/bin/sh\nset -e\nyum install -y --nogpgcheck tool\n', line: 3 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text:
          'FROM debian:12\nRUN curl -fsSL https://apt.example.com/key.gpg | gpg --dearmor -o /etc/apt/keyrings/example.gpg \\\n' +
          ' && echo "deb [signed-by=/etc/apt/keyrings/example.gpg] https://apt.example.com stable main" > /etc/apt/sources.list.d/x.list \\\n' +
          ' && apt-get update && apt-get install -y --no-install-recommends tool\n',
      },
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nRUN apk add --no-cache curl && echo "never use --allow-untrusted"\n' },
    ],
  },
  reads: ['dockerfile', 'workflow', 'shell'],
  check(doc, ctx) {
    for (const block of scriptsOf(doc)) {
      const sh = parseShell(block.script);
      // by line, once: a search per command was quadratic on a 50,000-line script
      const lineText = new Map(sh.lines.map((l) => [l.line, l.text]));
      for (const c of sh.commands) {
        const hit = unsignedInstall(c, lineText.get(c.line));
        if (!hit) continue;
        ctx.report({
          message:
            `\`${hit.command}\` installs packages without checking their signatures: a mirror, a proxy or anyone on the network path ` +
            `can substitute them. Remove it and ${hit.fix}.`,
          at: commandSpan(block, c),
        });
      }
    }
  },
} satisfies Rule<ScriptDoc>;
