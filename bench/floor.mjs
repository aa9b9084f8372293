// node bench/floor.mjs DIR LIST
//
// The floor for bench/run.mjs: a plain Node loop that lists the tree (readdir, skipping .git and
// node_modules, no stat) and reads each file named in LIST (one path per line, relative to DIR: the
// files a full scan reads, written by bench/slices.ts) once, with no parsing and no rules. Timed by
// run.mjs as a child process, like the scan. Prints {files, bytes, walkMs, readMs}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [dir, list] = process.argv.slice(2);
const t0 = performance.now();
let entries = 0;
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    entries++;
    if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(join(d, e.name));
  }
};
walk(dir);
const t1 = performance.now();
let files = 0;
let bytes = 0;
for (const p of readFileSync(list, 'utf8').split('\n')) {
  if (!p) continue;
  bytes += readFileSync(join(dir, p), 'utf8').length;
  files++;
}
const t2 = performance.now();
console.log(JSON.stringify({ entries, files, bytes, walkMs: t1 - t0, readMs: t2 - t1 }));
