// What the three source-code rules (code-injection, command-injection, unsafe-deserialization) add to a full scan
// of the synthetic monorepo: the built CLI with every rule against the same CLI with those three disabled by a
// config file, the two sides alternating, medians of --runs. Not a test; nothing is asserted.
//   npm run build && node bench/code-rules.mjs [--scale 1] [--scale 10] [--runs 5]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const scales = args.flatMap((a, i) => (a === '--scale' ? [Number(args[i + 1])] : []));
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const cli = join(here, '..', 'dist', 'cli.js');
const CODE_RULES = ['code-injection', 'command-injection', 'unsafe-deserialization'];

const scratch = mkdtempSync(join(os.tmpdir(), 'portcullis-code-bench-'));
const off = join(scratch, 'off.yml');
const on = join(scratch, 'on.yml');
writeFileSync(off, `rules:\n${CODE_RULES.map((id) => `  ${id}:\n    enabled: false\n`).join('')}`);
writeFileSync(on, 'rules: {}\n');

function tree(scale) {
  const dir = join(here, 'out', `scale-${scale}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const r = spawnSync(process.execPath, [join(here, 'gen-monorepo.mjs'), dir, '--scale', String(scale)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`generating scale ${scale} failed`);
  return dir;
}

function scan(dir, config) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'scan', dir, '--root', dir, '--config', config, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`scan exited ${r.status}: ${r.stderr.slice(-300)}`);
  const findings = JSON.parse(r.stdout).findings;
  return { ms, code: findings.filter((f) => CODE_RULES.includes(f.ruleId)).length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log('| scale | without the three rules (s) | with them (s) | added | their findings |');
console.log('| --- | --- | --- | --- | --- |');
for (const scale of scales.length ? scales : [1]) {
  const dir = tree(scale);
  const samples = { off: [], on: [] };
  let code = 0;
  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const s = scan(dir, side === 'off' ? off : on);
      samples[side].push(s.ms);
      if (side === 'on') code = s.code;
    }
  }
  const a = median(samples.off) / 1000;
  const b = median(samples.on) / 1000;
  console.log(`| ${scale} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(((b - a) / a) * 100).toFixed(1)}% | ${code} |`);
}
rmSync(scratch, { recursive: true, force: true });
