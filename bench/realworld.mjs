// node bench/realworld.mjs [CORPUS_DIR] [--cli FILE] [--before FILE] [--runs N] [--write FILE]
//
// The real-world section of the benchmark (`npm run bench` runs it after the synthetic trees): for each repository of
// the open real-world corpus (../shared/realworld/repos.tsv) checked out under CORPUS_DIR (default
// $TMPDIR/portcullis-realworld-open, as ../shared/realworld/README.md describes), the CLI's findings, blocking
// findings (each finding's own `blocking`, else severity at or above failOn and not suppressed) and the median wall
// time of `scan DIR --format json` (default configuration). `--before FILE` runs a second CLI bundle (an older build,
// e.g. `git worktree add /tmp/old <commit> && (cd /tmp/old && npm ci && npm run build)`) on the same trees, alternating,
// for a before/after table. Repositories not present are listed as missing. Not a test: nothing is asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const root = join(here, '..');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
let corpus = join(process.env.TMPDIR || '/tmp', 'portcullis-realworld-open');
let cli = join(root, 'dist', 'cli.js');
let before;
let runs = 3;
let write;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--cli') cli = resolve(argv[++i]);
  else if (a === '--before') before = resolve(argv[++i]);
  else if (a === '--runs') runs = Number(argv[++i]);
  else if (a === '--write') write = resolve(argv[++i]);
  else if (!a.startsWith('-')) corpus = resolve(a);
  else {
    console.error(`bench/realworld: unknown argument ${a}`);
    process.exit(2);
  }
}
const list = process.env.REALWORLD_REPOS || join(root, '..', 'shared', 'realworld', 'repos.tsv');
if (!existsSync(list)) {
  console.log(`\nreal-world corpus: no repository list at ${list} (set REALWORLD_REPOS)`);
  process.exit(0);
}
const repos = readFileSync(list, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .map(([dir, name]) => ({ dir, name }));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function scan(bundle, dir) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bundle, 'scan', dir, '--format', 'json'], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${bundle} on ${dir} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  const report = JSON.parse(r.stdout);
  const threshold = report.failOn === 'never' ? 'high' : report.failOn;
  const blocks = (f) =>
    typeof f.blocking === 'boolean' ? f.blocking : !f.suppressed && SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(threshold);
  return { wall, findings: report.findings.length, blocking: report.findings.filter(blocks).length };
}

const sides = before ? [['before', before], ['after', cli]] : [['now', cli]];
const rows = [];
for (const { dir, name } of repos) {
  const path = join(corpus, dir);
  if (!existsSync(path)) {
    rows.push([name, 'missing', ...sides.flatMap(() => ['', '', ''])]);
    continue;
  }
  const results = Object.fromEntries(sides.map(([label]) => [label, []]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const [label, bundle] of order) results[label].push(scan(bundle, path));
  }
  rows.push([
    name,
    'present',
    ...sides.flatMap(([label]) => {
      const r = results[label];
      return [String(r[0].findings), String(r[0].blocking), median(r.map((x) => x.wall)).toFixed(2)];
    }),
  ]);
  console.error(`bench/realworld: ${name} done`);
}
const head = ['repository', 'tree', ...sides.flatMap(([label]) => [`findings (${label})`, `blocking (${label})`, `wall s (${label})`])];
const table = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const machine = `${os.cpus().length} cores, Node ${process.version}; ${runs} runs per side, alternating, median wall; default configuration`;
console.log(`\n${machine}\n\n${table}`);
if (write) writeFileSync(write, `${machine}\n\n${table}\n`);
