// npx tsx bench/terraform.ts TF_DIR [NO_TF_DIR] [--runs 5]
// The cost of the HCL (tree-sitter Terraform) parser: grammar and runtime size, runtime start-up and grammar compile
// in a fresh process, parse throughput (tree-sitter alone, and parse + lowering to the Terraform document) over the
// .tf files under TF_DIR, and whether a scan of NO_TF_DIR (a tree without .tf files) loads any of it. Every start-up
// figure comes from a child process, so nothing is warm. Not a test: nothing is asserted.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const [tfDir, noTfDir] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
if (!tfDir) throw new Error('usage: npx tsx bench/terraform.ts TF_DIR [NO_TF_DIR] [--runs 5]');
const root = join(import.meta.dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `code` (an ES module body) in a fresh Node with tsx, returns its JSON line. */
function child(code: string): Record<string, number | string | boolean | string[]> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const size = (f: string) => statSync(join(root, f)).size;
console.log(`grammar vendor/tree-sitter/tree-sitter-terraform.wasm: ${(size('vendor/tree-sitter/tree-sitter-terraform.wasm') / 1024).toFixed(0)} KiB; runtime web-tree-sitter.wasm: ${(size('node_modules/web-tree-sitter/web-tree-sitter.wasm') / 1024).toFixed(0)} KiB`);

const startup = [...Array(runs)].map(() =>
  child(`
    import { performance } from 'node:perf_hooks';
    const ts = await import('./src/parsers/tree-sitter.ts');
    let t = performance.now(); await ts.initTreeSitter(); const init = performance.now() - t;
    t = performance.now(); ts.withTree('terraform', 'a = 1\\n', () => 0); const grammar = performance.now() - t;
    t = performance.now(); ts.withTree('terraform', 'a = 1\\n', () => 0); const second = performance.now() - t;
    console.log(JSON.stringify({ init, grammar, second }));`),
);
for (const k of ['init', 'grammar', 'second'] as const) console.log(`${k.padEnd(8)} median ${median(startup.map((s) => s[k] as number)).toFixed(1)} ms (${runs} fresh processes)`);

const files: string[] = [];
const walk = (d: string) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(d, e.name));
    else if (e.name.endsWith('.tf')) files.push(join(d, e.name));
  }
};
walk(tfDir);
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
const speed = child(`
  import { readFileSync } from 'node:fs';
  import { performance } from 'node:perf_hooks';
  const ts = await import('./src/parsers/tree-sitter.ts');
  const { parseTerraform } = await import('./src/parsers/terraform.ts');
  await ts.initTreeSitter();
  const texts = ${JSON.stringify(files)}.map((f) => readFileSync(f, 'utf8'));
  ts.withTree('terraform', texts[0] ?? '', () => 0);
  const parse = [], lower = [];
  for (let r = 0; r < ${runs}; r++) {
    let t = performance.now(); for (const x of texts) ts.withTree('terraform', x, () => 0); parse.push(performance.now() - t);
    t = performance.now(); for (const x of texts) parseTerraform('x.tf', x, []); lower.push(performance.now() - t);
  }
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(JSON.stringify({ parse: med(parse), lower: med(lower), rss: process.memoryUsage().rss }));`);
const mbs = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
console.log(`${files.length} .tf files, ${(bytes / 1e6).toFixed(2)} MB: tree-sitter parse ${(speed.parse as number).toFixed(0)} ms (${mbs(speed.parse as number)} MB/s); parse + lowering ${(speed.lower as number).toFixed(0)} ms (${mbs(speed.lower as number)} MB/s); RSS after ${((speed.rss as number) / 2 ** 20).toFixed(0)} MiB`);

for (const dir of [noTfDir, tfDir].filter(Boolean) as string[]) {
  const r = child(`
    const { scanDirectory } = await import('./src/scan.ts');
    const ts = await import('./src/parsers/tree-sitter.ts');
    await scanDirectory(${JSON.stringify(dir)});
    console.log(JSON.stringify({ runtime: ts.treeSitterReady(), grammars: ts.loadedGrammars() }));`);
  console.log(`scan of ${dir}: runtime loaded ${r.runtime}, grammars compiled [${(r.grammars as string[]).join(', ')}]`);
}
