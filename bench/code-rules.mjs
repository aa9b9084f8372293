// What the three source-code rules (code-injection, command-injection, unsafe-deserialization) add to a full scan
// of the synthetic monorepo: the built CLI with every rule against the same CLI with those three disabled by a
// config file, the two sides alternating, medians of --runs. Not a test; nothing is asserted.
//   npm run build && node bench/code-rules.mjs [--scale 1] [--scale 10] [--tree DIR] [--runs 5]
// --tree scans a checked-out repository instead (the real-world corpus's astro has files that pass the prefilter; the
// synthetic monorepo's sources have none, so there the three rules cost the runtime's start-up and the prefilter).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const scales = args.flatMap((a, i) => (a === '--scale' ? [Number(args[i + 1])] : []));
const trees = args.flatMap((a, i) => (a === '--tree' ? [args[i + 1]] : []));
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

// CPU time (user + sys of the child, from /usr/bin/time) beside wall time: on a shared machine it is the steadier figure.
const TIME = '/usr/bin/time';
function scan(dir, config) {
  const argv = [cli, 'scan', dir, '--root', dir, '--config', config, '--format', 'json'];
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = timed
    ? spawnSync(TIME, ['-f', 'cpu:%U %S', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`scan exited ${r.status}: ${r.stderr.slice(-300)}`);
  const cpu = /cpu:([\d.]+) ([\d.]+)/.exec(r.stderr);
  const findings = JSON.parse(r.stdout).findings;
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN, code: findings.filter((f) => CODE_RULES.includes(f.ruleId)).length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log('| tree | wall without the three rules (s) | wall with them (s) | added | CPU without (s) | CPU with (s) | added | their findings |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const targets = [...scales.map((scale) => [`scale ${scale}`, tree(scale)]), ...trees.map((dir) => [dir.split('/').pop(), dir])];
const pct = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
for (const [label, dir] of targets.length ? targets : [['scale 1', tree(1)]]) {
  const samples = { off: [], on: [] };
  let code = 0;
  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const s = scan(dir, side === 'off' ? off : on);
      samples[side].push(s);
      if (side === 'on') code = s.code;
    }
  }
  const [wa, wb, ca, cb] = [
    median(samples.off.map((s) => s.ms)),
    median(samples.on.map((s) => s.ms)),
    median(samples.off.map((s) => s.cpuMs)),
    median(samples.on.map((s) => s.cpuMs)),
  ].map((ms) => ms / 1000);
  console.log(`| ${label} | ${wa.toFixed(3)} | ${wb.toFixed(3)} | ${pct(wa, wb)} | ${ca.toFixed(2)} | ${cb.toFixed(2)} | ${pct(ca, cb)} | ${code} |`);
}
rmSync(scratch, { recursive: true, force: true });
