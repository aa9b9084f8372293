// What source analysis costs, measured on real code: the tree-sitter runtime's start-up, each grammar's first load,
// parse speed (MB/s) and parse + analysis speed over every JS/TS/Python file of a tree, and how many files the keyword
// prefilter lets through. Not a test; nothing is asserted. Run: npx tsx bench/source-parse.mts [DIR] (default: the
// astro checkout of the real-world corpus).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { discover } from '../src/parsers/discover.js';
import { parseCode, passesPrefilter, skipReason, sourceLanguageOf } from '../src/parsers/code.js';
import { initTreeSitter, withTree, type Grammar } from '../src/parsers/tree-sitter.js';

const root = process.argv[2] ?? join(process.env.TMPDIR ?? '/tmp', 'portcullis-realworld-open', 'astro');
const ms = (t: number) => `${(performance.now() - t).toFixed(1)} ms`;

let t = performance.now();
await initTreeSitter();
console.log(`runtime init: ${ms(t)}`);
for (const g of ['javascript', 'typescript', 'tsx', 'python'] as Grammar[]) {
  t = performance.now();
  withTree(g, 'x', () => 0);
  console.log(`first load of ${g}: ${ms(t)}`);
}

const files = (await discover(root, { exclude: [] })).files.map((f) => f.path).filter((p) => sourceLanguageOf(p));
const texts = files.map((p) => [p, readFileSync(join(root, p), 'utf8')] as const).filter(([p, text]) => !skipReason(p, text));
const bytes = texts.reduce((n, [, text]) => n + Buffer.byteLength(text), 0);
const mb = bytes / 1e6;

t = performance.now();
for (const [p, text] of texts) withTree(sourceLanguageOf(p)!, text, (tree) => tree.rootNode.type);
const parseMs = performance.now() - t;
console.log(`parse only, every file: ${texts.length} files, ${mb.toFixed(1)} MB in ${parseMs.toFixed(0)} ms = ${(mb / (parseMs / 1000)).toFixed(1)} MB/s`);

t = performance.now();
let passed = 0;
let flows = 0;
for (const [p, text] of texts) {
  const doc = parseCode(p, text, []);
  flows += doc?.flows.length ?? 0;
}
const pipelineMs = performance.now() - t;
for (const [p, text] of texts) if (passesPrefilter(sourceLanguageOf(p)!, text)) passed++;
console.log(`pipeline (prefilter, parse, analyse): ${pipelineMs.toFixed(0)} ms for ${texts.length} files (${passed} pass the prefilter), ${flows} flows`);
