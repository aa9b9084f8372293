import { describe, expect, it } from 'vitest';
import { ADMIN_PORTS, adminPortsIn } from '../../src/analysis/admin-ports.js';
import { dockerignoreExcludes, secretSource } from '../../src/analysis/dockerignore.js';
import { parseShell } from '../../src/analysis/shell.js';
import { tlsCommand, tlsSetting } from '../../src/analysis/tls.js';
import { ADMIN_PORTS as REEXPORTED } from '../../src/rules/containers/exposed-admin-port.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const wf = (run: string) => `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${run.split('\n').map((l) => `          ${l}`).join('\n')}\n`;
const scan = (id: string, files: Record<string, string>) => scanFiles(files, { rules: [findRule(id)!] }).findings;
const lines = (id: string, files: Record<string, string>) => scan(id, files).map((f) => `${f.path}:${f.line}`);
const spans = (id: string, files: Record<string, string>) => scan(id, files).map((f) => [f.line, f.column, f.endLine, f.endColumn]);
const df = (body: string) => ({ Dockerfile: `FROM debian:12\n${body}\n` });
const cmd = (script: string) => parseShell(script).commands[0]!;

describe('tls analysis (pure)', () => {
  it('reads every command form', () => {
    const bad = [
      'curl -k https://x', 'curl --insecure https://x', 'curl -fsSLk https://x', 'curl -kfsSL https://x -o a', 'sudo curl -sk https://x',
      'wget --no-check-certificate https://x', 'pip install --trusted-host pypi.x -r r.txt', 'pip3 install --trusted-host=pypi.x a==1',
      'python3 -m pip install --trusted-host pypi.x a', 'pip config set global.trusted-host pypi.x', 'npm config set strict-ssl false',
      'yarn config set strict-ssl false', 'npm set strict-ssl=false', 'git -c http.sslVerify=false clone https://x',
      'git config --global http.sslVerify false', 'git config --global http.https://x.dev/.sslverify "false"',
      'export NODE_TLS_REJECT_UNAUTHORIZED=0', 'NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js', 'env GIT_SSL_NO_VERIFY=1 git pull',
      'echo "NODE_TLS_REJECT_UNAUTHORIZED=0" >> "$GITHUB_ENV"', 'kubectl --insecure-skip-tls-verify get pods', 'conda config --set ssl_verify false',
    ];
    for (const s of bad) expect(tlsCommand(cmd(s)), s).toBeDefined();
    expect(tlsCommand(cmd('curl -fsSLk https://x'))!.word).toBe('-fsSLk');
    const good = [
      'curl -fsSL https://x', 'curl -o -k.txt https://x', 'curl -H "-k" https://x', 'echo curl -k', 'wget https://x', 'pip install --cert ca.pem a',
      'npm config set strict-ssl true', 'git config --global http.sslVerify true', 'git config -f x http.sslVerify true', 'export NODE_TLS_REJECT_UNAUTHORIZED=1',
      'grep -k', 'kubectl --insecure-skip-tls-verify=false get pods',
    ];
    for (const s of good) expect(tlsCommand(cmd(s)), s).toBeUndefined();
  });
  it('reads settings by name and value', () => {
    expect(tlsSetting('NODE_TLS_REJECT_UNAUTHORIZED', '0')).toBeDefined();
    expect(tlsSetting('NODE_TLS_REJECT_UNAUTHORIZED', '1')).toBeUndefined();
    expect(tlsSetting('PYTHONHTTPSVERIFY', '0')).toBeDefined();
    expect(tlsSetting('GIT_SSL_NO_VERIFY', 'true')).toBeDefined();
    expect(tlsSetting('GIT_SSL_NO_VERIFY', '')).toBeUndefined();
    expect(tlsSetting('PIP_TRUSTED_HOST', 'pypi.example.com')).toBeDefined();
    expect(tlsSetting('npm_config_strict_ssl', 'false')).toBeDefined();
    expect(tlsSetting('NPM_CONFIG_STRICT_SSL', 'true')).toBeUndefined();
    expect(tlsSetting('CURL_INSECURE', '1')).toBeUndefined();
  });
});

describe('tls-verification-disabled', () => {
  const id = 'tls-verification-disabled';
  it('spans the exact RUN line, across continuations and CRLF', () => {
    const text = 'FROM debian:12\r\nRUN apt-get update && \\\r\n    curl -fsSLk https://x.dev/a -o /a && \\\r\n    echo done\r\n';
    expect(spans(id, { Dockerfile: text })).toEqual([[3, 5, 3, 38]]);
    expect(spans(id, df('RUN wget --no-check-certificate https://x.dev/a'))).toEqual([[2, 5, 2, 48]]);
  });
  it('spans ENV and ARG pairs, not LABELs', () => {
    const f = df('ENV A=1 NODE_TLS_REJECT_UNAUTHORIZED=0\nARG PIP_TRUSTED_HOST=pypi.x\nLABEL GIT_SSL_NO_VERIFY=1');
    expect(spans(id, f)).toEqual([[2, 9, 2, 39], [3, 5, 3, 28]]);
  });
  it('reads workflow env at every level and run steps', () => {
    const text =
      'on: push\nenv:\n  NODE_TLS_REJECT_UNAUTHORIZED: 0\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env:\n      PYTHONHTTPSVERIFY: "0"\n' +
      '    steps:\n      - env:\n          NPM_CONFIG_STRICT_SSL: false\n        run: |\n          npm ci\n          curl --insecure https://x.dev\n';
    expect(spans(id, { '.github/workflows/a.yml': text })).toEqual([[3, 3, 3, 34], [8, 7, 8, 29], [11, 11, 11, 39], [14, 11, 14, 40]]);
  });
});

describe('unsigned-packages', () => {
  const id = 'unsigned-packages';
  it('reports each package manager form', () => {
    const script = [
      'apk add --allow-untrusted /tmp/x.apk', 'apt-get install -y --allow-unauthenticated x', 'apt install --force-yes x',
      'apt-get -o APT::Get::AllowUnauthenticated=true install x', 'apt-get update -oAcquire::AllowInsecureRepositories=true',
      'yum install -y --nogpgcheck x', 'dnf --setopt=gpgcheck=0 install x', 'tdnf install --nogpgcheck x', 'microdnf install --nogpgcheck x',
      'rpm -ivh --nosignature x.rpm', 'rpm --install --nodigest x.rpm', 'rpm -U --noverify x.rpm', 'zypper --no-gpg-checks install x',
      'echo "deb [trusted=yes] http://x stable main" > /etc/apt/sources.list.d/x.list', 'echo "deb [arch=amd64 trusted=yes] http://x s m" | tee -a /etc/apt/sources.list',
    ];
    expect(lines(id, { '.github/workflows/a.yml': wf(script.join('\n')) })).toHaveLength(script.length);
  });
  it('stays silent on checked installs and mentions', () => {
    const script = ['apk add --no-cache curl', 'apt-get install -y x', 'rpm -q --nosignature x', 'yum install -y x', 'echo "deb [trusted=yes] http://x s m"', 'echo --allow-untrusted'];
    expect(lines(id, { '.github/workflows/a.yml': wf(script.join('\n')) })).toEqual([]);
  });
  it('spans the physical line of a continued RUN', () => {
    expect(spans(id, df('RUN apt-get update && \\\n    apt-get install -y \\\n      --allow-unauthenticated x'))).toEqual([[3, 5, 4, 32]]);
  });
});

describe('add-remote-url', () => {
  const id = 'add-remote-url';
  it('reports URLs and unpinned git sources at the argument', () => {
    expect(spans(id, df('ADD https://x.dev/a.tgz /tmp/\nADD --chown=1:1 git@github.com:o/r.git#v1 /src\nADD https://github.com/o/r.git?ref=main /src'))).toEqual([
      [2, 5, 2, 24], [3, 17, 3, 42], [4, 5, 4, 40],
    ]);
  });
  it('passes a checksum, a commit-pinned git source, local files and COPY', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(lines(id, df(`ADD --checksum=sha256:${'a'.repeat(64)} https://x.dev/a.tgz /tmp/\nADD https://github.com/o/r.git#${sha}:sub /s\nADD https://github.com/o/r.git?checksum=${sha} /s\nADD a.tgz /x\nCOPY https-notes.txt /x`))).toEqual([]);
  });
});

describe('exposed-admin-port', () => {
  const id = 'exposed-admin-port';
  it('exports the default port list with service names', () => {
    expect(REEXPORTED).toBe(ADMIN_PORTS);
    expect(ADMIN_PORTS[22]).toBe('SSH');
    for (const p of [22, 23, 2375, 2376, 3389, 5900, 5432, 3306, 1433, 1521, 6379, 27017, 9200, 9300, 11211, 5984, 8086, 2379, 10250]) expect(ADMIN_PORTS[p], String(p)).toBeTruthy();
    expect(adminPortsIn(5000, 5999).map((p) => p.port)).toEqual([5432, 5900, 5984, 5985, 5986]);
    expect(adminPortsIn(22, 22, { 22: 'custom' })).toEqual([{ port: 22, service: 'custom' }]);
  });
  it('reads EXPOSE forms: protocol, ranges, ARG/ENV values', () => {
    const f = df('ARG SSH=22\nENV DB=3306\nEXPOSE 80 22/tcp 5000-5999/udp\nEXPOSE $SSH ${DB} ${UNKNOWN} 443');
    expect(spans(id, f)).toEqual([[4, 11, 4, 17], [4, 18, 4, 31], [5, 8, 5, 12], [5, 13, 5, 18]]);
    expect(scan(id, f)[1]!.message).toContain('5432 (PostgreSQL)');
  });
  it('reports compose ports published on all interfaces, not on loopback or expose:', () => {
    const compose =
      'services:\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n      - 127.0.0.1:3306:3306\n      - "[::1]:6379:6379"\n      - "2222:22"\n' +
      '      - "27017"\n      - target: 9200\n        published: "9200"\n        host_ip: 0.0.0.0\n      - target: 5900\n        host_ip: localhost\n        published: "5900"\n    expose:\n      - "11211"\n';
    expect(lines(id, { 'compose.yaml': compose })).toEqual(['compose.yaml:5', 'compose.yaml:8', 'compose.yaml:9', 'compose.yaml:10']);
  });
  it('reports a Kubernetes hostPort on an admin port, not a containerPort alone', () => {
    const k8s =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: pg\n      image: postgres\n      ports:\n        - containerPort: 5432\n' +
      '        - containerPort: 22\n          hostPort: 2222\n';
    expect(lines(id, { 'k8s/pod.yaml': k8s })).toEqual(['k8s/pod.yaml:11']);
  });
});

describe('secret-file-copied', () => {
  const id = 'secret-file-copied';
  it('reports secret names and secret globs, not templates, public keys or certificates', () => {
    const f = df(
      'COPY .env /app/\nCOPY .env.production id_rsa /root/\nADD config/credentials.json /c/\nCOPY *.pem /x/\nCOPY --chmod=600 tls.key .aws/credentials /y/\n' +
      'COPY .env.example id_rsa.pub ca.pem server-cert.pem package*.json *.json /z/\nCOPY certs/*.pem /usr/local/share/ca-certificates/\nCOPY --from=build /out/.env /app/',
    );
    expect(spans(id, f)).toEqual([[2, 6, 2, 10], [3, 6, 3, 21], [3, 22, 3, 28], [4, 5, 4, 28], [5, 6, 5, 11], [6, 18, 6, 25], [6, 26, 6, 42]]);
    // `*.pem` matches no file the repository holds: medium, low confidence; the named files are high
    expect(scan(id, f).map((x) => x.severity)).toEqual(['high', 'high', 'high', 'high', 'medium', 'high', 'high']);
    expect(scan(id, { ...f, 'server.pem': 'x' })[4]!.severity).toBe('high');
  });
  it('follows the stages: a file copied into a stage counts only when the final image takes the path it landed on', () => {
    const unused = { Dockerfile: 'FROM node:22 AS unused\nCOPY .npmrc ./\nFROM node:22\nCOPY ["app.js", "/app/"]\n' };
    expect(scan(id, unused)).toEqual([]);
    // a Go build stage that copies the whole context and a .netrc, of which only the binary is taken
    const build = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nCOPY .netrc ./\nRUN go build -o /out/app .\n';
    expect(scan(id, { Dockerfile: `${build}FROM alpine:3.20\nCOPY --from=build /out/app /usr/bin/app\n`, '.gitignore': '.env\n' })).toEqual([]);
    // the final stage takes the whole source directory, .netrc included; a stage built FROM it takes everything
    expect(lines(id, { Dockerfile: `${build}FROM alpine:3.20\nCOPY --from=build /src /src\n` })).toEqual(['Dockerfile:3', 'Dockerfile:4']);
    expect(lines(id, { Dockerfile: `${build}FROM build AS test\n` })).toEqual(['Dockerfile:3', 'Dockerfile:4']);
    // through a stage in the middle, and relative to WORKDIR
    const chain = `${build}FROM alpine:3.20 AS pack\nWORKDIR /pkg\nCOPY --from=build /src ./src\nFROM alpine:3.20\nCOPY --from=pack /pkg/src/.netrc /etc/\n`;
    expect(lines(id, { Dockerfile: chain })).toEqual(['Dockerfile:4']);
  });
  it('skips env files the repository holds when all their values are settings', () => {
    const body = 'FROM debian:12\nCOPY library-scripts/*.env library-scripts/*.sh /tmp/library-scripts/\n';
    const scripts = { 'library-scripts/meta.env': "VERSION='dev'\nDEFINITION_ID='debian'\n", 'library-scripts/common.sh': 'echo\n' };
    expect(lines(id, { Dockerfile: body, ...scripts })).toEqual([]);
    expect(lines(id, { Dockerfile: body, ...scripts, 'library-scripts/deploy.env': `DEPLOY_TOKEN=Hq3vZ8nT2wLk5Rb9Xe1Y\n` })).toEqual(['Dockerfile:2']);
    // an env file the repository does not hold (generated, or kept locally) is still reported, lower when nothing suggests one
    expect(scan(id, { Dockerfile: body }).map((x) => [x.line, x.severity])).toEqual([[2, 'high']]);
    const onlyScripts = { Dockerfile: body, 'library-scripts/common.sh': 'echo\n' };
    expect(scan(id, onlyScripts).map((x) => [x.line, x.severity, x.confidence])).toEqual([[2, 'medium', 'low']]);
    expect(scan(id, { ...onlyScripts, '.gitignore': '*.env\n' }).map((x) => [x.line, x.severity])).toEqual([[2, 'high']]);
    // a .devcontainer Dockerfile built with its parent as the context
    const dev = { '.devcontainer/Dockerfile': 'FROM debian:12\nCOPY .devcontainer/library-scripts/*.env /tmp/\n' };
    expect(lines(id, { ...dev, '.devcontainer/library-scripts/meta.env': "VERSION='dev'\n" })).toEqual([]);
  });
  it('reads the JSON form', () => {
    expect(lines(id, { Dockerfile: 'FROM node:22\nCOPY [".npmrc", "/root/"]\n' })).toEqual(['Dockerfile:2']);
  });
  it('reports a whole-context copy unless .dockerignore excludes .env and .git', () => {
    const body = 'FROM node:22\nCOPY . .\nADD ./ /app\n';
    // app/ as the context: no .git in it, and a .env only when one is there or a .gitignore says developers keep one
    expect(scan(id, { 'app/Dockerfile': body })).toEqual([]);
    const kept = { 'app/Dockerfile': body, '.gitignore': 'node_modules/\n.env\n' };
    expect(scan(id, kept).map((x) => [x.line, x.column, x.endColumn, x.severity])).toEqual([[2, 6, 7, 'medium'], [3, 5, 7, 'medium']]);
    expect(scan(id, { 'app/Dockerfile': body, 'app/.env': 'A=1\n' })[0]!.message).toContain('no .dockerignore excludes .env');
    expect(scan(id, { 'app/Dockerfile': body, 'app/.env.example': 'A=\n' })).toEqual([]);
    // the repository root as the context: .git is there
    expect(scan(id, { Dockerfile: body })[0]!.message).toContain('no .dockerignore excludes .git: the repository history ends up in the image');
    expect(scan(id, { Dockerfile: body, '.gitignore': '.env.local\n' })[0]!.message).toContain('excludes .git or .env');
    expect(lines(id, { ...kept, 'app/.dockerignore': '.git\n' })).toHaveLength(2);
    expect(scan(id, { ...kept, 'app/.dockerignore': '.git\n' })[0]!.message).toContain('does not exclude .env');
    for (const ignore of ['.git\n.env*\n', '# c\n/.git/\n**/.env\n', '*\n!src\n!package.json\n', '.git\n*.env\n.env\n'])
      expect(lines(id, { ...kept, 'app/.dockerignore': ignore }), ignore).toEqual([]);
    expect(lines(id, { ...kept, 'app/.dockerignore': '*\n!.env\n' })).toHaveLength(2);
    // The root .dockerignore is not the context of app/Dockerfile; a <Dockerfile>.dockerignore beside it wins.
    expect(lines(id, { ...kept, '.dockerignore': '.git\n.env\n' })).toHaveLength(2);
    expect(lines(id, { ...kept, 'app/Dockerfile.dockerignore': '.git\n.env\n', 'app/.dockerignore': 'x\n' })).toEqual([]);
  });
  it('dockerignore and glob helpers', () => {
    expect(dockerignoreExcludes('.git', '.git')).toBe(true);
    expect(dockerignoreExcludes('.env*\n!.env', '.env')).toBe(false);
    expect(dockerignoreExcludes('config', 'config/.env')).toBe(true);
    expect(secretSource('keys/id_*')).toBe('keys/id_*');
    expect(secretSource('*')).toBeUndefined();
    expect(secretSource('src/')).toBeUndefined();
  });
});

describe('sudo', () => {
  const id = 'sudo';
  it('reports sudo in any command position of a RUN, not in strings or package names', () => {
    const f = df('RUN sudo apt-get update\nRUN apt-get install -y sudo && echo sudo "sudo x"\nRUN cd /x && env A=1 sudo -u app make | sudo tee /y\nRUN ls | xargs sudo rm\nRUN [ "sudo", "ls" ]');
    expect(lines(id, f)).toEqual(['Dockerfile:2', 'Dockerfile:4', 'Dockerfile:4', 'Dockerfile:5', 'Dockerfile:6']);
  });
  it('spans the physical line of a continuation, with CRLF line ends', () => {
    expect(spans(id, { Dockerfile: 'FROM debian:12\r\nRUN set -e; \\\r\n  sudo make install\r\n' })).toEqual([[3, 3, 3, 20]]);
  });
  it('does not read workflows', () => {
    expect(findRule(id)!.reads).toEqual(['dockerfile']);
  });
});
