// node bench/realworld/sample.mjs [CORPUS_DIR] [--n 120] [--seed 7] [--cli FILE] > sample.tsv
//
// Draws a fresh random sample of BLOCKING findings across the open real-world corpus (../shared/realworld/repos.tsv,
// trees checked out under CORPUS_DIR as its README says) for judging by hand: every blocking finding of the default
// configuration is listed, shuffled with a fixed seed, and the first N are written as TSV with empty `verdict` and
// `why` columns to fill in (TP, FP or noise, with the reason read at the file and line). Not a test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
let corpus = join(process.env.TMPDIR || '/tmp', 'portcullis-realworld-open');
let n = 120;
let seed = 7;
let cli = join(root, 'dist', 'cli.js');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--n') n = Number(argv[++i]);
  else if (argv[i] === '--seed') seed = Number(argv[++i]);
  else if (argv[i] === '--cli') cli = resolve(argv[++i]);
  else corpus = resolve(argv[i]);
}
const repos = readFileSync(process.env.REALWORLD_REPOS || join(root, '..', 'shared', 'realworld', 'repos.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
// mulberry32: a small seeded generator, so the same seed draws the same sample.
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const all = [];
for (const [dir, name, commit] of repos) {
  const path = join(corpus, dir);
  if (!existsSync(path)) continue;
  const r = spawnSync(process.execPath, [cli, 'scan', path, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const report = JSON.parse(r.stdout);
  for (const f of report.findings) if (f.blocking) all.push({ dir, name, commit, f });
}
for (let i = all.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [all[i], all[j]] = [all[j], all[i]];
}
const clean = (s) => s.replace(/[\t\n\r]/g, ' ');
console.log(['repo', 'owner/name', 'path', 'line', 'rule', 'severity', 'context', 'message', 'verdict', 'why'].join('\t'));
for (const { dir, name, f } of all.slice(0, n)) console.log([dir, name, f.path, f.line, f.ruleId, f.severity, f.context, clean(f.message), '', ''].join('\t'));
console.error(`sample: ${Math.min(n, all.length)} of ${all.length} blocking findings (seed ${seed})`);
