// The floor for bench/run.mjs: discover the same files the scan reads and read each once with a
// plain loop, no parsing and no rules. Prints one JSON line: {files, bytes, walkMs, readMs}.
//   node --import tsx bench/floor.ts DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { discover } from '../src/parsers/discover.js';
import { classify } from '../src/parsers/index.js';
import { rules } from '../src/rules/index.js';
import { DEFAULT_MAX_FILE_BYTES } from '../src/scan.js';

const root = process.argv[2];
if (!root) throw new Error('usage: node --import tsx bench/floor.ts DIR');
const wanted = new Set(rules.flatMap((r) => r.reads));

const t0 = performance.now();
const found = await discover(root, { maxFileBytes: DEFAULT_MAX_FILE_BYTES, exclude: [] });
const paths = found.files.map((f) => f.path).filter((p) => classify(p).some((k) => wanted.has(k)));
const t1 = performance.now();
let bytes = 0;
for (const p of paths) bytes += readFileSync(join(root, p)).length;
const t2 = performance.now();
console.log(JSON.stringify({ files: paths.length, bytes, walkMs: t1 - t0, readMs: t2 - t1 }));
