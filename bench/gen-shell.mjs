#!/usr/bin/env node
// node bench/gen-shell.mjs DIR [--scale N] [--seed S]
//
// A tree of shell scripts for bench/run.mjs's "shell scripts" rows (the synthetic monorepo of gen-monorepo.mjs, a copy
// of the shared kit's generator, has none): per unit of scale, 300 scripts shaped like the install scripts of dev
// container libraries (functions, if/for/case, apt-get, downloads, some piped into a shell, a few flags that disable
// checks): 150 `*.sh`, 50 with a shebang and no extension, 50 Makefiles, and 50 Dockerfiles that copy a script with
// no extension and no shebang from their folder and run it. Deterministic (bench/prng.mjs). Writes manifest.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFrom, sfc32 } from './prng.mjs';

const args = process.argv.slice(2);
const dir = args[0];
let scale = 1;
let seed = '1';
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--scale') scale = Number(args[++i]);
  else if (args[i] === '--seed') seed = args[++i];
}
if (!dir || !(scale > 0)) throw new Error('usage: node bench/gen-shell.mjs DIR [--scale N] [--seed S]');
const rand = sfc32(...seedFrom(`shell-${seed}`));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const tools = ['jq', 'git', 'curl', 'unzip', 'gnupg2', 'ca-certificates', 'lsb-release', 'make', 'gcc', 'libssl-dev'];

/** One function of an install script; 1 in 8 downloads something into a shell, 1 in 20 turns a check off. */
function block(n) {
  const tool = pick(tools);
  const lines = [
    `install_${tool.replace(/\W/g, '_')}_${n}() {`,
    `    local version="\${1:-latest}"`,
    `    if ! dpkg -s ${tool} > /dev/null 2>&1; then`,
    '        apt-get update -y',
    `        apt-get install -y --no-install-recommends ${tool}`,
    '    fi',
    '    for arch in amd64 arm64; do',
    '        case "${arch}" in',
    `            amd64) url="https://downloads.example.org/${tool}/\${version}/linux-amd64.tar.gz" ;;`,
    `            *) url="https://downloads.example.org/${tool}/\${version}/linux-\${arch}.tar.gz" ;;`,
    '        esac',
    '        echo "fetching ${url}"',
    '    done',
  ];
  const r = rand();
  if (r < 0.125) lines.push(`    curl -fsSL https://get.example.org/${tool}.sh | bash -s -- --version "\${version}"`);
  else if (r < 0.175) lines.push(`    wget --no-check-certificate -qO /tmp/${tool}.tgz "\${url}"`);
  else lines.push(`    curl -fsSLo /tmp/${tool}.tgz "\${url}" && echo "\${SHA256}  /tmp/${tool}.tgz" | sha256sum -c -`);
  lines.push(`    pip3 install --no-cache-dir ${tool}-helper==1.${n % 10}.0`, '}', '');
  return lines.join('\n');
}

function script(blocks, shebang) {
  const body = Array.from({ length: blocks }, (_, i) => block(i)).join('\n');
  const calls = Array.from({ length: blocks }, (_, i) => `install_${pick(tools).replace(/\W/g, '_')}_${i} "$VERSION" || true`).join('\n');
  return `${shebang ? '#!/usr/bin/env bash\n' : ''}# generated for the benchmark\nset -e\nVERSION="\${1:-latest}"\n\n${body}\n${calls}\n`;
}

function makefile() {
  const targets = Array.from({ length: 8 }, (_, i) => {
    const tool = pick(tools);
    return `${tool.replace(/\W/g, '-')}-${i}:\n\t@echo "building ${tool}"\n\tcurl -fsSLo /tmp/${tool}.tgz https://downloads.example.org/${tool}.tgz\n\ttar -xzf /tmp/${tool}.tgz -C $(PREFIX)\n${rand() < 0.1 ? `\tcurl -fsSL https://get.example.org/${tool}.sh | sh\n` : ''}`;
  });
  return `PREFIX ?= /usr/local\n.PHONY: all\nall: ${targets.map((t) => t.slice(0, t.indexOf(':'))).join(' ')}\n\n${targets.join('\n')}`;
}

rmSync(dir, { recursive: true, force: true });
const totals = { files: 0, bytes: 0 };
const write = (path, text) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  totals.files++;
  totals.bytes += Buffer.byteLength(text);
};
for (let u = 0; u < 50 * scale; u++) {
  const at = `tools/set-${Math.floor(u / 10)}/unit-${u}`;
  for (let k = 0; k < 3; k++) write(`${at}/scripts/install-${k}.sh`, script(3 + Math.floor(rand() * 6), rand() < 0.7));
  write(`${at}/bin/provision`, script(3 + Math.floor(rand() * 6), true));
  write(`${at}/Makefile`, makefile());
  write(`${at}/image/setup-deps`, script(3 + Math.floor(rand() * 6), false));
  write(`${at}/image/Dockerfile`, 'FROM debian:12.8@sha256:' + '0'.repeat(64) + '\nCOPY setup-deps /tmp/\nRUN /tmp/setup-deps && rm /tmp/setup-deps\nUSER 1000\n');
}
writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ generator: 'gen-shell.mjs', scale, seed, totals }, null, 1));
console.error(`gen-shell: ${totals.files} files, ${(totals.bytes / 1e6).toFixed(1)} MB in ${dir}`);
