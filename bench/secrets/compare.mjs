// node bench/secrets/compare.mjs [--runs N] [--no-real] [--out FILE]   (BENCH_COMMIT=sha names the commit measured)
//
// Side by side: the gate restricted to `hardcoded-secret` and secretlint 13 with
// @secretlint/secretlint-rule-preset-recommend, on the same trees:
//   (a) the labelled examples (bench/secrets/gen-labelled.mjs): per format, found / missed / false alarms;
//   (b) the 10k-file synthetic monorepo (bench/gen-monorepo.mjs --scale 1), its manifest as extra labels;
//   (c) a large real-world-like tree: the text files (JS/TS/JSON/MD/YAML/TXT) of this repository's
//       node_modules, copied into bench/out/real-world/ with folder names that neither tool skips.
// Each tool runs in a child process (NODE_EXTRA_CA_CERTS unset), N runs alternating gate and
// secretlint; reports the median wall time, files/s, MB/s (over the files and bytes in the tree),
// peak RSS (/usr/bin/time -v, else a resourceUsage hook) and findings. The gate runs from an esbuild
// bundle of bench/secrets/gate-entry.ts (no TypeScript loader at run time, like the action's
// bundle); secretlint runs its own CLI (`secretlint "**/*" --format json`). Writes the tables to
// bench/RESULTS-secrets.md (or --out) and exits 1 when the labelled assertion fails: the gate finds
// every secret secretlint finds, with no more false alarms. secretlint is a dev dependency used only
// here and in test/secrets-compare.test.ts; nothing under src/ imports it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeLabelled } from './gen-labelled.mjs';
import { foundOnlyBy, fromGate, fromSecretlint, labelsFromManifest, markdownTable, score } from './score.mjs';

const here = import.meta.dirname;
const root = path.join(here, '..', '..');
const outDir = path.join(root, 'bench', 'out');
let runs = 5;
let real = true;
let outFile = path.join(root, 'bench', 'RESULTS-secrets.md');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--no-real') real = false;
  else if (argv[i] === '--out') outFile = path.resolve(argv[++i]);
  else {
    console.error(`compare: unknown argument ${argv[i]}\nusage: node bench/secrets/compare.mjs [--runs N] [--no-real] [--out FILE]`);
    process.exit(2);
  }
}
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('compare: --runs must be a positive integer');

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const hasTime = fs.existsSync('/usr/bin/time');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const log = (...a) => console.error('compare:', ...a);

// ---------------------------------------------------------------- the two tools

const gateBundle = path.join(outDir, 'gate-secrets.mjs');
async function buildGate() {
  fs.mkdirSync(outDir, { recursive: true });
  // esbuild comes with tsx and vite (dev dependencies); its JS API needs no install script.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(here, 'gate-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: gateBundle,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
}
const secretlintBin = path.join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
const secretlintConfig = JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] });
const secretlintVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'secretlint', 'package.json'), 'utf8')).version;
const presetVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend', 'package.json'), 'utf8')).version;

const tools = {
  gate: {
    label: 'gate (hardcoded-secret)',
    args: (dir) => [gateBundle, dir],
    parse: (stdout) => {
      const r = JSON.parse(stdout);
      return { findings: fromGate(r.findings), stats: r.stats };
    },
  },
  secretlint: {
    label: `secretlint ${secretlintVersion} + preset-recommend ${presetVersion}`,
    args: (dir) => [secretlintBin, '**/*', '--cwd', dir, '--format', 'json', '--secretlintrcJSON', secretlintConfig, '--no-color', '--no-terminalLink'],
    parse: (stdout, dir) => ({ findings: fromSecretlint(stdout.trim() ? JSON.parse(stdout) : [], dir) }),
  },
};

/** One timed child run: wall ms, peak RSS MB, parsed output. */
function timed(tool, dir) {
  const hook =
    "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('maxrss-kb:'+u.maxRSS+'\\ncpu-us:'+(u.userCPUTime+u.systemCPUTime)+'\\n')})";
  const args = tool.args(dir);
  const [cmd, full] = hasTime ? ['/usr/bin/time', ['-v', process.execPath, ...args]] : [process.execPath, ['--import', hook, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`compare: ${tool.label} exited ${r.status}: ${r.stderr.trim().split('\n').slice(0, 5).join('\n')}`);
  const rss = Number((hasTime ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss-kb:(\d+)/).exec(r.stderr)?.[1] ?? NaN);
  const cpu = hasTime
    ? Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN)
    : Number(/cpu-us:(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1e6;
  return { ms, cpu, rssMb: rss / 1024, ...tool.parse(r.stdout, dir) };
}

/** Files and bytes in a tree, skipping what both tools skip (.git, node_modules). */
function treeSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(path.join(d, e.name));
      } else if (e.isFile()) {
        files++;
        bytes += fs.statSync(path.join(d, e.name)).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** Runs both tools `runs` times each, alternating, and summarises. */
function measure(name, dir) {
  const size = treeSize(dir);
  const samples = { gate: [], secretlint: [] };
  for (let i = 0; i < runs; i++) {
    for (const key of i % 2 === 0 ? ['gate', 'secretlint'] : ['secretlint', 'gate']) {
      samples[key].push(timed(tools[key], dir));
      log(`${name}: ${key} run ${i + 1}/${runs}: ${(samples[key].at(-1).ms / 1000).toFixed(2)} s`);
    }
  }
  const rows = [];
  for (const key of ['gate', 'secretlint']) {
    const s = samples[key];
    const wall = median(s.map((x) => x.ms)) / 1000;
    rows.push({
      tree: name,
      tool: tools[key].label,
      files: size.files,
      mb: size.bytes / 1e6,
      wall,
      min: Math.min(...s.map((x) => x.ms)) / 1000,
      cpu: median(s.map((x) => x.cpu)),
      filesPerS: size.files / wall,
      mbPerS: size.bytes / 1e6 / wall,
      rss: Math.max(...s.map((x) => x.rssMb)),
      findings: s.at(-1).findings.length,
      read: s.at(-1).stats,
    });
  }
  return { rows, last: { gate: samples.gate.at(-1), secretlint: samples.secretlint.at(-1) } };
}

// ---------------------------------------------------------------- trees

function labelledTree() {
  const dir = path.join(outDir, 'labelled');
  fs.rmSync(dir, { recursive: true, force: true });
  const labels = writeLabelled(dir);
  return { dir, labels };
}

function monorepo() {
  const dir = path.join(outDir, 'scale-1');
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [path.join(root, 'bench', 'gen-monorepo.mjs'), dir, '--scale', '1'], { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error('compare: generating the monorepo failed');
  }
  return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) };
}

const TEXT_EXT = /\.(?:[cm]?js|[cm]?ts|json|md|ya?ml|txt)$/;
/** Folder names one of the tools skips by default, renamed in the copy so both read the same files. */
const RENAME = new Set(['node_modules', 'vendor', 'third_party', 'bower_components', '.git', '.venv', 'venv', '__pycache__', '.tox', '.terraform']);
function realWorld() {
  const dir = path.join(outDir, 'real-world');
  const stamp = path.join(outDir, 'real-world.copied');
  if (fs.existsSync(stamp)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const copy = (from, to) => {
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, e.name);
      const dst = path.join(to, RENAME.has(e.name) ? `${e.name.replace(/^\./, '')}_` : e.name);
      if (e.isDirectory()) copy(src, dst);
      else if (e.isFile() && TEXT_EXT.test(e.name) && e.name !== '.gitignore') {
        fs.mkdirSync(to, { recursive: true });
        fs.copyFileSync(src, dst);
      }
    }
  };
  copy(path.join(root, 'node_modules'), path.join(dir, 'packages'));
  fs.writeFileSync(stamp, '');
  return dir;
}

// ---------------------------------------------------------------- run

const loadStart = os.loadavg();
await buildGate();
const sections = [];
const allRows = [];
let ok = true;

{
  const { dir, labels } = labelledTree();
  log(`labelled: ${labels.filter((l) => l.secret).length} secrets, ${labels.filter((l) => !l.secret).length} decoys`);
  const { rows, last } = measure('labelled examples', dir);
  allRows.push(...rows);
  const scores = { gate: score(labels, last.gate.findings), secretlint: score(labels, last.secretlint.findings) };
  const missed = foundOnlyBy(scores.secretlint, scores.gate);
  const verdict =
    missed.length === 0 && scores.gate.falseAlarms <= scores.secretlint.falseAlarms
      ? `**Holds**: the gate finds every secret secretlint finds (${scores.secretlint.found.size}) and more (${scores.gate.found.size} of ${labels.filter((l) => l.secret).length}), with ${scores.gate.falseAlarms} false alarm(s) against secretlint's ${scores.secretlint.falseAlarms}.`
      : `**Fails**: ${missed.length} secret(s) found by secretlint and missed by the gate (${missed.map((l) => `${l.file}:${l.line} ${l.format}`).join(', ') || 'none'}); false alarms gate ${scores.gate.falseAlarms}, secretlint ${scores.secretlint.falseAlarms}.`;
  if (!verdict.startsWith('**Holds')) ok = false;
  const extra = (name) =>
    [...scores[name].unlabelled.map((f) => `${f.file}:${f.line}`), ...[...scores[name].decoysHit].map((l) => `${l.file}:${l.line} (${l.format})`)].join(', ') || 'none';
  sections.push(
    '## (a) Labelled examples',
    '',
    `\`node bench/secrets/gen-labelled.mjs\` (seed \`labelled-1\`): ${new Set(labels.map((l) => l.file)).size} files, ${labels.filter((l) => l.secret).length} planted secrets in ${new Set(labels.filter((l) => l.secret).map((l) => l.format)).size} formats, ${labels.filter((l) => !l.secret).length} decoys; the labels are bench/secrets/labels.json. A finding counts on a label when it is in the same file and its line range covers the label's line; several findings on one label count once; an AWS key id and its secret key are one credential.`,
    '',
    verdict,
    '',
    markdownTable(labels, { gate: scores.gate, secretlint: scores.secretlint }),
    '',
    `Gate false alarms: ${extra('gate')}. secretlint false alarms: ${extra('secretlint')}.`,
    '',
  );
}

{
  const { dir, manifest } = monorepo();
  const labels = labelsFromManifest(manifest);
  const { rows, last } = measure(`synthetic monorepo (scale 1)`, dir);
  allRows.push(...rows);
  const scores = { gate: score(labels, last.gate.findings), secretlint: score(labels, last.secretlint.findings) };
  const secrets = labels.filter((l) => l.secret).length;
  sections.push(
    '## (b) Synthetic monorepo, scale 1: manifest labels',
    '',
    `\`node bench/gen-monorepo.mjs bench/out/scale-1 --scale 1\`: ${manifest.totals.files} files; its manifest plants ${secrets} hardcoded secrets and ${labels.length - secrets} secret-like decoys outside node_modules. Unlabelled findings here are not necessarily false alarms (the manifest labels generic passwords in Dockerfile ENV lines as secret-in-env only).`,
    '',
    markdownTable(labels, { gate: scores.gate, secretlint: scores.secretlint }),
    '',
  );
}

if (real) {
  const dir = realWorld();
  const { rows, last } = measure('real-world (node_modules text files)', dir);
  allRows.push(...rows);
  const byFile = (fs_) => new Set(fs_.map((f) => f.file)).size;
  sections.push(
    '## (c) Real-world-like tree',
    '',
    `The ${rows[0].files} JS/TS/JSON/MD/YAML/TXT files (${rows[0].mb.toFixed(1)} MB) of this repository's node_modules (${Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages).length - 1} packages), copied into bench/out/real-world/ with skipped folder names renamed. No labels: every finding there is in published package code and is most likely a test fixture or a false alarm. Gate: ${last.gate.findings.length} findings in ${byFile(last.gate.findings)} files; secretlint: ${last.secretlint.findings.length} findings in ${byFile(last.secretlint.findings)} files.`,
    '',
  );
}

const commit = process.env.BENCH_COMMIT ?? spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
const head = ['tree', 'tool', 'files', 'MB', 'median wall (s)', 'min wall (s)', 'median CPU user+sys (s)', 'files/s', 'MB/s', 'peak RSS (MB)', 'findings'];
const table = [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...allRows.map((r) =>
    `| ${r.tree} | ${r.tool} | ${r.files} | ${r.mb.toFixed(1)} | ${r.wall.toFixed(3)} | ${r.min.toFixed(3)} | ${r.cpu.toFixed(2)} | ${r.filesPerS.toFixed(0)} | ${r.mbPerS.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.findings} |`,
  ),
];
const speedups = [];
for (let i = 0; i < allRows.length; i += 2) {
  speedups.push(`${allRows[i].tree}: ${(allRows[i + 1].wall / allRows[i].wall).toFixed(1)}× wall, ${(allRows[i + 1].cpu / allRows[i].cpu).toFixed(1)}× CPU`);
}

const md = [
  '# Secret scanning: the gate against secretlint',
  '',
  'Produced by `node bench/secrets/compare.mjs' + (runs !== 5 ? ` --runs ${runs}` : '') + (real ? '' : ' --no-real') + '`' + (commit ? ` at commit ${commit}` : '') + ' (not a test; the labelled part is also asserted by test/secrets-compare.test.ts).',
  '',
  `Machine: ${os.cpus().length} cores (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}. ${runs} runs per tool and tree, alternating; wall time is the child process's, start-up included; peak RSS from ${hasTime ? '`/usr/bin/time -v`' : 'a resourceUsage hook'}, the maximum over the runs. Load average (1/5/15 min) at the start ${loadStart.map((x) => x.toFixed(1)).join(' / ')}, at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}: a load above the core count means other work shared the machine and the times are inflated and noisy. files and MB are what the tree holds outside .git/node_modules (both tools read them all; the gate skips binary files by extension and content).`,
  '',
  `Tools: the gate with only \`hardcoded-secret\` enabled, from an esbuild bundle of bench/secrets/gate-entry.ts; secretlint ${secretlintVersion} CLI with @secretlint/secretlint-rule-preset-recommend ${presetVersion} (\`secretlint "**/*" --format json\`).`,
  '',
  table.join('\n'),
  '',
  `secretlint's median wall and CPU time over the gate's (above 1: the gate is faster): ${speedups.join('; ')}. files/s and MB/s are from the median wall time; CPU time (user + system of the child) is the steadier figure when the machine is shared.`,
  '',
  ...sections,
].join('\n');
fs.writeFileSync(outFile, md);
console.log(md);
if (!ok) {
  log('the labelled assertion fails (see above)');
  process.exitCode = 1;
}
