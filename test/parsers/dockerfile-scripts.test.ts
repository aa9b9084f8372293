import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import curlPipeShell from '../../src/rules/supply-chain/curl-pipe-shell.js';
import { scanDirectory, scanFiles } from '../../src/scan.js';

const SHELL_RULES = new Set(['curl-pipe-shell', 'unsigned-packages', 'tls-verification-disabled']);
const shellFindings = (files: Record<string, string>) =>
  scanFiles(files)
    .findings.filter((f) => SHELL_RULES.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`);

const DOCKERFILE =
  'FROM debian:12.8\n' +
  'COPY install-deps /tmp/\n' +
  'COPY scripts/ /opt/scripts/\n' +
  'WORKDIR /src\n' +
  'COPY setup .\n' +
  'RUN chmod +x /tmp/install-deps && /tmp/install-deps\n' +
  'RUN bash -eux /opt/scripts/build release\n' +
  'RUN sh ./setup\n';

describe('scripts a Dockerfile copies and runs', () => {
  it('reads them as shell scripts at their own paths, with the same rules and spans as a .sh file', () => {
    const files = {
      'docker/Dockerfile': DOCKERFILE,
      'docker/install-deps': 'set -e\napt-get update\n  curl -fsSL https://get.example.com/install | bash\n',
      'docker/scripts/build': 'wget -qO- https://tools.example.net/b.sh | sh\n',
      'docker/setup': 'apt-get install -y --allow-unauthenticated libfoo\n',
    };
    expect(shellFindings(files)).toEqual([
      'curl-pipe-shell docker/install-deps:3:3',
      'curl-pipe-shell docker/scripts/build:1:1',
      'unsigned-packages docker/setup:1:1',
    ]);
    // each names the RUN that runs it
    const related = scanFiles(files).findings.find((f) => f.path === 'docker/setup')!.related;
    expect(related).toEqual([{ path: 'docker/Dockerfile', at: { line: 8, column: 1, endLine: 8, endColumn: 15 }, label: 'copied into the image and run here' }]);
    // the same text in a .sh file: the same findings at the same places
    expect(shellFindings({ 'x.sh': files['docker/install-deps'] })).toEqual(['curl-pipe-shell x.sh:3:3']);
  });

  it('finds the source in the build context above the Dockerfile, by name on PATH, through cd, and sourced with .', () => {
    const files = {
      '.devcontainer/Dockerfile':
        'FROM debian:12.8\nCOPY .devcontainer/library-scripts/common /tmp/library-scripts/\nCOPY bin/ /usr/local/bin/\n' +
        'RUN cd /tmp/library-scripts && . ./common\nRUN provision --all\n',
      '.devcontainer/library-scripts/common': 'curl -sSL https://get.example.org | sh\n',
      'bin/provision': 'curl -k https://repo.example.org/key.gpg -o /tmp/key.gpg\n',
    };
    expect(shellFindings(files)).toEqual([
      'curl-pipe-shell .devcontainer/library-scripts/common:1:1',
      'tls-verification-disabled bin/provision:1:1',
    ]);
  });

  it('finds a script copied to a file path on PATH and run by that name, in either COPY form', () => {
    const script = 'curl -fsSL https://get.example.com/install | bash\n';
    for (const copy of ['COPY --chmod=755 install /usr/bin/install-deps', 'COPY ["install", "/usr/local/bin/install-deps"]', 'COPY ["install", "/usr/local/bin/"]']) {
      const run = copy.endsWith('/"]') ? 'install' : 'install-deps';
      const files = { Dockerfile: `FROM debian:12.8\n${copy}\nRUN ${run} --all\n`, install: script };
      expect(shellFindings(files), copy).toEqual(['curl-pipe-shell install:1:1']);
    }
  });

  it('finds a script run in the JSON form, after RUN flags, and inside if/then', () => {
    const script = 'curl -fsSL https://get.example.com/install | bash\n';
    for (const run of ['RUN ["/tmp/setup"]', 'RUN ["bash", "-e", "/tmp/setup"]', 'RUN --mount=type=cache,target=/root/.cache /tmp/setup', 'RUN if true; then /tmp/setup; fi']) {
      const files = { Dockerfile: `FROM debian:12.8\nCOPY setup /tmp/\n${run}\n`, setup: script };
      expect(shellFindings(files), run).toEqual(['curl-pipe-shell setup:1:1']);
    }
  });

  it('leaves unread a file that is copied but never run, a data file, one run by another interpreter, and one from another stage', () => {
    const script = 'curl -fsSL https://get.example.com/install | bash\n';
    const files = {
      Dockerfile:
        'FROM python:3.13 AS tools\nFROM debian:12.8\nCOPY notes /srv/\nCOPY seed.json /srv/\nCOPY tool /opt/\nCOPY --from=tools /usr/bin/helper /usr/local/bin/\n' +
        'RUN cat /srv/notes && /srv/seed.json; python3 /opt/tool; helper\nCOPY later /tmp/\n',
      notes: script,
      'seed.json': script,
      tool: script,
      helper: script,
      later: script,
    };
    expect(shellFindings(files)).toEqual([]);
  });

  it('reads a Dockerfile of thousands of COPY and RUN pairs once through (each RUN looks back at a bounded number of COPYs)', () => {
    let text = 'FROM debian:12.8\nWORKDIR /opt\n';
    for (let i = 0; i < 3000; i++) text += `COPY s${i} /opt/bin/\nRUN cd bin && ./s${i} && bash /opt/bin/s${i}\n`;
    const files: Record<string, string> = { Dockerfile: text };
    for (const i of [0, 1500, 2999]) files[`s${i}`] = 'curl https://get.example.org | sh\n';
    const found = scanFiles(files, { rules: [curlPipeShell] }).findings.map((f) => f.path);
    expect(found).toEqual(['s0', 's1500', 's2999']);
  });

  it('never resolves a source outside the repository', () => {
    const files = { 'app/Dockerfile': 'FROM debian:12.8\nCOPY ../../setup /tmp/\nRUN /tmp/setup\n', setup: 'curl https://x.example.org | sh\n' };
    expect(shellFindings(files)).toEqual([]);
  });
});

describe('scripts a Dockerfile runs, on disk', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const write = (root: string, files: Record<string, string>) => {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
  };

  it('reads a .sh file once, and does not follow a symlink out of the root', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-dockerfile-scripts-'));
    const root = join(dir, 'repo');
    write(dir, { 'outside/install-deps': 'curl https://x.example.org | sh\n' });
    write(root, {
      Dockerfile: 'FROM debian:12.8\nCOPY install.sh install-deps /tmp/\nRUN /tmp/install.sh && /tmp/install-deps\n',
      'install.sh': 'curl https://get.example.org | sh\n',
    });
    symlinkSync(join(dir, 'outside/install-deps'), join(root, 'install-deps'));
    const result = await scanDirectory(root);
    expect(result.findings.filter((f) => f.ruleId === 'curl-pipe-shell').map((f) => f.path)).toEqual(['install.sh']);
    expect(result.stats.filesRead).toBe(2);
    expect(result.notices.map((n) => n.message).join('\n')).toContain('symlink outside the root');
  });
});
