// npm run bench [-- --scale 1|10] [--runs N]
//
// Generates the synthetic monorepo (bench/gen-monorepo.mjs) at scale 1 (~10k files) and 10 (~100k)
// into bench/out/ when absent, then runs the built CLI bundle (`dist/cli.js scan DIR --format json
// --stats`) in a child process N times and prints a markdown table: median and min wall time,
// files/s and MB/s (from the scan's own counts of what it read), peak RSS, and a floor (the same
// files discovered and read once by a plain loop, bench/floor.ts). Not a test: nothing is asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const root = join(here, '..');
const cli = join(root, 'dist', 'cli.js');

let scales = [1, 10];
let runs = 5;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--scale') scales = [Number(argv[++i])];
  else if (argv[i] === '--runs') runs = Number(argv[++i]);
  else {
    console.error(`bench: unknown argument ${argv[i]}\nusage: node bench/run.mjs [--scale N] [--runs N]`);
    process.exit(2);
  }
}
if (!scales.every((s) => s > 0) || !(Number.isInteger(runs) && runs >= 1)) {
  console.error('bench: --scale must be positive and --runs a positive integer');
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}

// The machine's extra CA bundle adds start-up time to every Node process and has nothing to do with a scan.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const hasTime = existsSync('/usr/bin/time');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (x, d = 2) => x.toFixed(d);

function ensureTree(scale) {
  const dir = join(here, 'out', `scale-${scale}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [join(here, 'gen-monorepo.mjs'), dir, '--scale', String(scale)], { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`bench: generating scale ${scale} failed`);
  return dir;
}

/** One timed child run; peak RSS from /usr/bin/time -v, else from an exit hook preloaded into the child. */
function timed(args) {
  const hook = "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kb:'+process.resourceUsage().maxRSS+'\\n'))";
  const [cmd, full] = hasTime ? ['/usr/bin/time', ['-v', process.execPath, ...args]] : [process.execPath, ['--import', hook, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const rss = Number((hasTime ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss-kb:(\d+)/).exec(r.stderr)?.[1] ?? NaN);
  return { ms, rssMb: rss / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rows = [];
const start = [];
for (let i = 0; i < runs; i++) start.push(timed([cli, '--version']));
rows.push(['-', 'start-up (`--version`)', '-', '-', fmt(median(start.map((s) => s.ms)) / 1000, 3), '-', '-', fmt(median(start.map((s) => s.rssMb)), 0)]);

for (const scale of scales) {
  const dir = ensureTree(scale);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const samples = [];
  let stats;
  let findings;
  for (let i = 0; i < runs; i++) {
    const s = timed([cli, 'scan', dir, '--format', 'json', '--stats']);
    if (s.status !== 0 && s.status !== 1) throw new Error(`bench: scan exited ${s.status}: ${s.stderr.trim().split('\n')[0]}`);
    stats = JSON.parse(/stats: (\{.*\})/.exec(s.stderr)[1]);
    findings = JSON.parse(s.stdout).findings.length;
    samples.push(s);
  }
  const wall = median(samples.map((s) => s.ms)) / 1000;
  rows.push([
    `${scale} (${manifest.totals.files} files, ${fmt(manifest.totals.bytes / 1e6, 1)} MB)`,
    `scan: ${stats.filesRead} files read, ${fmt(stats.bytesRead / 1e6, 1)} MB, ${findings} findings`,
    fmt(stats.filesRead / wall, 0),
    fmt(stats.bytesRead / 1e6 / wall, 1),
    fmt(wall, 3),
    fmt(Math.min(...samples.map((s) => s.ms)) / 1000, 3),
    String(runs),
    fmt(Math.max(...samples.map((s) => s.rssMb)), 0),
  ]);

  const floors = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'floor.ts'), dir], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench: floor failed: ${r.stderr.trim().split('\n')[0]}`);
    floors.push(JSON.parse(r.stdout));
  }
  const walk = median(floors.map((f) => f.walkMs)) / 1000;
  const read = median(floors.map((f) => f.readMs)) / 1000;
  rows.push([
    '',
    `floor: discover (${fmt(walk, 3)} s) + plain read of ${floors[0].files} files`,
    fmt(floors[0].files / (walk + read), 0),
    fmt(floors[0].bytes / 1e6 / (walk + read), 1),
    fmt(walk + read, 3),
    '-',
    String(runs),
    '-',
  ]);
}

const head = ['scale', 'what', 'files/s', 'MB/s', 'median wall (s)', 'min wall (s)', 'runs', 'peak RSS (MB)'];
console.log(`\nNode ${process.version}, ${hasTime ? '/usr/bin/time -v' : 'resourceUsage hook'} for RSS, in-process time for the floor\n`);
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
