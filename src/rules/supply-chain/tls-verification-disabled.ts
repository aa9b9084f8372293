import { commandSpan } from '../../analysis/command-span.js';
import { scriptsOf, type ScriptDoc } from '../../analysis/scripts.js';
import { parseShell } from '../../analysis/shell.js';
import { tlsCommand, tlsSetting, type TlsFinding } from '../../analysis/tls.js';
import { tlsConfigFormat, tlsConfigSettings } from '../../analysis/tls-config.js';
import { joinSpans, settings } from '../../analysis/workflow-env.js';
import type { Rule } from '../../core/types.js';

const message = (t: TlsFinding, where: string): string =>
  `${t.what}${where}: anyone on the network path (a proxy, a compromised mirror, a spoofed DNS answer) can swap what is downloaded. ` +
  `Keep verification on and ${t.fix}.`;

export default {
  id: 'tls-verification-disabled',
  title: 'TLS certificate verification turned off',
  severity: 'high',
  alsoBlocksIn: ['dev'],
  area: 'supply-chain',
  summary:
    'A Dockerfile, workflow, shell script or Makefile recipe turns off TLS certificate checks: `curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, ' +
    '`npm config set strict-ssl false`, `git -c http.sslVerify=false`, `yum`/`dnf --setopt=sslverify=0`, or an environment setting such as `NODE_TLS_REJECT_UNAUTHORIZED=0`, ' +
    '`PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `PIP_TRUSTED_HOST` or `NPM_CONFIG_STRICT_SSL=false`; or a committed tool config file does: ' +
    '`.npmrc` `strict-ssl=false`, `.yarnrc` `strict-ssl false`, `.yarnrc.yml` `enableStrictSsl: false`, `pip.conf`/`pip.ini` `trusted-host`, ' +
    'a gitconfig `[http] sslVerify = false`, `.curlrc` `insecure`, `.wgetrc` `check_certificate = off`, `.condarc` `ssl_verify: false`, ' +
    '`.bowerrc` `"strict-ssl": false`, `.gemrc` `:ssl_verify_mode: 0` or `.bundle/config` `BUNDLE_SSL_VERIFY_MODE`.',
  rationale:
    'Without certificate checks HTTPS is only encryption to whoever answers: a proxy, a compromised network or a poisoned DNS ' +
    'record can serve any package, script or repository and the build installs it. It is usually added to get past a corporate ' +
    'TLS-inspecting proxy; the right fix is to trust that proxy\'s CA certificate, not every certificate. ' +
    'An `ENV` setting also stays in the image, so the application itself skips verification at run time, and a workflow `env:` ' +
    'setting applies to every later command of the job. Commands are read with shell analysis (combined flags such as `-fsSLk` included, ' +
    'words inside quoted strings not), in Dockerfile `RUN`, workflow `run:` steps, shell scripts and Makefile recipes. A committed config file (`.npmrc`, `pip.conf`, ' +
    '`.gitconfig`…) applies to every command run in its directory or with it installed, on developer machines as well as in CI.',
  fix:
    'Remove the flag or setting. If a proxy re-signs TLS traffic, install its CA certificate (`COPY corp-ca.crt /usr/local/share/ca-certificates/` and ' +
    '`update-ca-certificates`) or point each tool at it: `curl --cacert`, `pip --cert` / `REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`, ' +
    '`npm config set cafile`, `git config http.sslCAInfo`; in config files `cafile=` (.npmrc), `cert =` (pip.conf), `sslCAInfo =` (gitconfig).',
  references: [
    'https://cwe.mitre.org/data/definitions/295.html',
    'https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue',
    'https://pip.pypa.io/en/stable/topics/https-certificates/',
    'https://curl.se/docs/sslcerts.html',
    'https://docs.npmjs.com/cli/v10/using-npm/config#strict-ssl',
    'https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM debian:12\nRUN apt-get update && \\\n    curl -fsSLk https://example.com/tool.tgz -o /tmp/tool.tgz\n', line: 3 },
      { path: 'Dockerfile', text: 'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n', line: 2 },
      { path: 'Dockerfile', text: 'FROM python:3.12\nRUN pip install --trusted-host pypi.example.com -r requirements.txt\n', line: 2 },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      GIT_SSL_NO_VERIFY: "true"\n    steps:\n      - run: npm config set strict-ssl false\n',
        line: 6,
      },
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          git -c http.sslVerify=false clone https://git.example.com/r.git\n',
        line: 7,
      },
      { path: '.npmrc', text: 'registry=https://npm.example.com/\nstrict-ssl=false\n', line: 2 },
      { path: '.yarnrc', text: 'registry "https://npm.example.com/"\nstrict-ssl false\n', line: 2 },
      { path: '.yarnrc.yml', text: 'nodeLinker: node-modules\nenableStrictSsl: false\n', line: 2 },
      { path: 'pip.conf', text: '[global]\nindex-url = https://pypi.example.com/simple\ntrusted-host =\n    pypi.example.com\n', line: 3 },
      { path: 'tools/.gitconfig', text: '[user]\n  name = ci\n[http "https://git.example.com/"]\n  sslVerify = false\n', line: 4 },
      { path: '.curlrc', text: '# defaults for every curl call\nsilent\ninsecure\n', line: 3 },
      { path: '.wgetrc', text: 'check_certificate = off\n', line: 1 },
      { path: '.condarc', text: 'channels:\n  - defaults\nssl_verify: false\n', line: 3 },
      { path: '.bowerrc', text: '{\n  "directory": "vendor",\n  "strict-ssl": false\n}\n', line: 3 },
      { path: '.gemrc', text: ':ssl_verify_mode: 0\n', line: 1 },
      {
        path: 'action.yml',
        text: 'name: fetch\nruns:\n  using: composite\n  steps:\n    - run: wget --no-check-certificate https://example.com/tool.tgz\n      shell: bash\n',
        line: 5,
      },
      { path: 'scripts/fetch.sh', text: '#!/bin/bash\nfor u in "$@"; do\n  wget --no-check-certificate "$u"\ndone\n', line: 3 },
      { path: 'Dockerfile', text: 'FROM rockylinux:9\nRUN yum-config-manager --save --setopt=*.sslverify=0 && \\\n    yum install -y git\n', line: 2 },
      { path: 'Dockerfile', text: 'FROM fedora:41\nRUN dnf -y --setopt=sslverify=False install make\n', line: 2 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text:
          'FROM debian:12\nCOPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt\nRUN update-ca-certificates\n' +
          'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt NODE_TLS_REJECT_UNAUTHORIZED=1\n' +
          'RUN curl -fsSL --cacert /usr/local/share/ca-certificates/corp-ca.crt https://example.com/a -o /tmp/a\n',
      },
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n' +
          '      - run: curl -H "X-Flag: -k" -o -k.txt https://example.com && echo "never use curl -k"\n' +
          '      - run: git config --global http.sslVerify true\n',
      },
      { path: '.npmrc', text: 'cafile=/etc/ssl/certs/corp-ca.pem\nstrict-ssl=true\n' },
      { path: 'pip.conf', text: '[global]\ncert = /etc/ssl/certs/corp-ca.pem\n# trusted-host = pypi.example.com\n' },
      { path: '.gitconfig', text: '[http]\n  sslCAInfo = /etc/ssl/certs/corp-ca.pem\n  sslVerify = true\n[core]\n  sslVerify = false\n' },
      { path: '.condarc', text: 'ssl_verify: /etc/ssl/certs/corp-ca.pem\n' },
      { path: 'Dockerfile', text: 'FROM fedora:41\nRUN dnf -y --setopt=install_weak_deps=False --setopt=sslverify=1 install make\n' },
    ],
  },
  reads: ['dockerfile', 'workflow', 'shell', 'text'],
  check(doc, ctx) {
    if (typeof doc === 'string') {
      const format = tlsConfigFormat(ctx.path);
      for (const hit of format ? tlsConfigSettings(format, doc) : []) ctx.report({ message: message(hit, ''), at: hit.at });
      return;
    }
    const docker = 'stages' in doc;
    if (docker) {
      for (const kv of doc.keyValues) {
        const hit = kv.instruction === 'LABEL' ? undefined : tlsSetting(kv.name, kv.value);
        const where = kv.instruction === 'ENV' ? ' (ENV: also for the running container)' : ' (ARG: for every later RUN)';
        if (hit) ctx.report({ message: message(hit, where), at: kv.span });
      }
    } else if (!('sources' in doc)) {
      for (const s of settings(doc, ['env'])) {
        const hit = tlsSetting(s.key, s.value.value);
        if (hit) ctx.report({ message: message(hit, ` (env of ${s.scope})`), at: joinSpans(s.keySpan, s.value.span) });
      }
    }
    for (const block of scriptsOf(doc)) {
      for (const c of parseShell(block.script).commands) {
        const hit = tlsCommand(c);
        if (hit) ctx.report({ message: message(hit, ''), at: commandSpan(block, c) });
      }
    }
  },
} satisfies Rule<ScriptDoc | string>;
