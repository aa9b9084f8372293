// npx tsx bench/discover.ts DIR [--runs N]
//
// Discovery alone, in-process: the walk (readdir, .gitignore at every level; what runs outside git) against the
// listing from git's index (`git ls-files` plus the checks on its output; what runs in a checkout), alternating,
// median and minimum wall time of N runs each (default 9), after one warm-up of each. DIR must be a git work tree,
// e.g. the synthetic monorepo made a repository:
//
//   node bench/gen-monorepo.mjs /tmp/mono --scale 1
//   cd /tmp/mono && git init -q && git add -A && git commit -qm tree
//   npx tsx bench/discover.ts /tmp/mono
import { discover } from '../src/parsers/discover.js';
import { gitFiles } from '../src/parsers/git-files.js';
import { walk } from '../src/parsers/walk.js';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 9;
const dir = args[0];
if (!dir) throw new Error('usage: npx tsx bench/discover.ts DIR [--runs N]');

const sides: Record<string, () => Promise<number>> = {
  walk: async () => (await walk(dir, { exclude: [] })).files.length,
  'git ls-files only': async () => {
    const r = await gitFiles(dir);
    if ('failed' in r) throw new Error(r.failed);
    return r.entries.length;
  },
  'git (discover)': async () => {
    const r = await discover(dir, { exclude: [] });
    if (r.fallback) throw new Error(r.fallback);
    return r.files.length;
  },
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
const counts: Record<string, number> = {};
for (let i = -1; i < runs; i++) {
  for (const [name, run] of Object.entries(sides)) {
    const t = process.hrtime.bigint();
    counts[name] = await run();
    if (i >= 0) times[name]!.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`| discovery of ${dir} | files | median | min |\n| --- | --: | --: | --: |`);
for (const name of Object.keys(sides)) {
  console.log(`| ${name} | ${counts[name]} | ${median(times[name]!).toFixed(1)} ms | ${Math.min(...times[name]!).toFixed(1)} ms |`);
}
