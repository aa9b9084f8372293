// npx tsx bench/lockfile.ts [--mb 10] [--runs 5]
// Parses a generated package-lock.json (bench/gen-lockfile.ts) with the lockfile parser and prints the median
// and min time, entries and MB/s. The registry URL in the generated file is npm's configured registry
// (`npm config get registry`), read at run time. Not a test: nothing is asserted.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseLockfile } from '../src/parsers/lockfiles/index.js';
import type { Notice } from '../src/core/types.js';
import { genPackageLock } from './gen-lockfile.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const mb = arg('--mb', 10);
const runs = arg('--runs', 5);
let registry = 'https://registry.invalid/';
try {
  registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim() || registry;
} catch {
  // npm not on PATH: the made-up host does as well for timing
}
const text = genPackageLock(mb * 1024 * 1024, registry);
const times: number[] = [];
let entries = 0;
for (let r = 0; r < runs; r++) {
  const notices: Notice[] = [];
  const t0 = performance.now();
  const doc = parseLockfile('package-lock.json', text, notices);
  times.push(performance.now() - t0);
  entries = doc?.entries.length ?? 0;
  if (notices.length > 0) throw new Error(notices[0]!.message);
}
const floors: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  JSON.parse(text);
  floors.push(performance.now() - t0);
}
floors.sort((a, b) => a - b);
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const size = text.length / 1024 / 1024;
console.log(`package-lock.json ${size.toFixed(1)} MiB, ${entries} entries, ${runs} runs: median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, ${(size / (median / 1000)).toFixed(0)} MiB/s (Node ${process.version}); floor: JSON.parse alone median ${floors[Math.floor(floors.length / 2)]!.toFixed(0)} ms`);
