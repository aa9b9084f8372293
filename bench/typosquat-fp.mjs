#!/usr/bin/env node
// False-alarm rate of typosquat-dependency on the dependency lists of popular npm packages (popular packages depend on
// each other and must not flag). Run: `npx tsx bench/typosquat-fp.mjs [--top 300]`.
// The dependency lists come from `npm view <name> dependencies devDependencies --json` through the npm client (whatever
// registry npm is configured with), cached in bench/out/popular-deps.json; delete it to refetch. PyPI cannot be
// measured the same way here (no client access to its metadata), so only npm is measured.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { typosquatOf } from '../src/analysis/popular.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 300;
const cacheFile = join(root, 'bench', 'out', 'popular-deps.json');
const run = promisify(execFile);

const names = readFileSync(join(root, 'data', 'popular-npm.tsv'), 'utf8').split('\n').slice(1, top + 1).map((l) => l.split('\t')[0]).filter(Boolean);
const cache = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
const missing = names.filter((n) => !(n in cache));
for (let i = 0; i < missing.length; i += 8) {
  await Promise.all(
    missing.slice(i, i + 8).map(async (name) => {
      try {
        const { stdout } = await run('npm', ['view', name, 'dependencies', 'devDependencies', '--json'], { timeout: 60_000 });
        const v = stdout.trim() ? JSON.parse(stdout) : {};
        cache[name] = v.dependencies || v.devDependencies ? [...Object.keys(v.dependencies ?? {}), ...Object.keys(v.devDependencies ?? {})] : Object.keys(v);
      } catch {
        cache[name] = null;
      }
    }),
  );
}
mkdirSync(dirname(cacheFile), { recursive: true });
writeFileSync(cacheFile, JSON.stringify(cache, null, 1));

let total = 0;
const flagged = [];
const unique = new Set();
for (const name of names) {
  for (const dep of cache[name] ?? []) {
    total++;
    unique.add(dep);
    const m = typosquatOf('npm', dep);
    if (m) flagged.push({ in: name, dep, target: m.target, kind: m.kind, rank: m.rank });
  }
}
const flaggedUnique = new Set(flagged.map((f) => f.dep));
console.log(`packages: ${names.length} (fetched ${names.filter((n) => cache[n]).length}), dependency names: ${total} (${unique.size} distinct)`);
console.log(`flagged: ${flagged.length} / ${total} = ${((100 * flagged.length) / Math.max(1, total)).toFixed(3)}% (${flaggedUnique.size} / ${unique.size} distinct names)`);
for (const f of flagged) console.log(`  ${f.in}: ${f.dep} → ${f.target} (#${f.rank}, ${f.kind})`);
