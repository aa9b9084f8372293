// npx tsx bench/workflows.ts [--count 300] [--runs 7]
//
// Issue 3's budget: scanning 300 workflows takes under 0.5 s. Builds a temporary repository whose
// .github/workflows/ holds N workflows (the conformance corpus's workflows and composite actions, repeated
// under new names until there are N), then times the in-process pipeline with every rule: scanDirectory
// (discover + read + parse + check) and scanFiles (parse + check only, texts already in memory).
// Prints the median and min of several runs after one warm-up. Not a test: nothing is asserted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusFiles } from '../test/conformance/harness.js';
import { scanDirectory, scanFiles } from '../src/scan.js';

let count = 300;
let runs = 7;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--count') count = Number(argv[++i]);
  else if (argv[i] === '--runs') runs = Number(argv[++i]);
  else throw new Error(`unknown argument ${argv[i]}; usage: npx tsx bench/workflows.ts [--count N] [--runs N]`);
}

const sources = corpusFiles().filter((f) => /\.ya?ml$/.test(f.file));
const root = mkdtempSync(join(tmpdir(), 'portcullis-wf-bench-'));
const dir = join(root, '.github', 'workflows');
mkdirSync(dir, { recursive: true });
const files: Record<string, string> = {};
let bytes = 0;
for (let i = 0; i < count; i++) {
  const src = sources[i % sources.length]!;
  const name = `.github/workflows/wf-${String(i).padStart(4, '0')}.yml`;
  writeFileSync(join(root, name), src.text);
  files[name] = src.text;
  bytes += Buffer.byteLength(src.text);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
async function time(label: string, fn: () => Promise<{ findings: unknown[] }> | { findings: unknown[] }) {
  await fn();
  const samples: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    findings = (await fn()).findings.length;
    samples.push(performance.now() - t0);
  }
  console.log(`| ${label} | ${count} | ${(bytes / 1024).toFixed(0)} KiB | ${(median(samples) / 1000).toFixed(3)} s | ${(Math.min(...samples) / 1000).toFixed(3)} s | ${findings} |`);
}

console.log(`${count} workflows from ${sources.length} corpus files, ${runs} runs after a warm-up (Node ${process.version})\n`);
console.log('| pipeline | workflows | size | median | min | findings |\n|---|---|---|---|---|---|');
await time('scanDirectory (discover, read, parse, check)', () => scanDirectory(root));
await time('scanFiles (parse, check)', () => scanFiles(files));
rmSync(root, { recursive: true, force: true });
