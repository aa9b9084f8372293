// node bench/base-gate.mjs [--scale N] [--runs N] [--files N] [--action FILE] [--root-lockfile]
//
// What `gate: new` against the base revision costs: the action bundle on a pull request that changes
// --files (default 20) files of the synthetic monorepo (bench/gen-monorepo.mjs, scale 1 by default), checked out
// as actions/checkout does for a pull request (GitHub's merge commit, parents [base, head], the base present as
// with fetch-depth: 2). Side by side, alternating, medians of --runs (default 5), every side a child process
// with NODE_EXTRA_CA_CERTS unset:
//   - plain: the same action run with `gate: all` (no base: the scan, the reports, the outputs);
//   - new: the default `gate: new`, which also reads the change from git, reads the changed files' base blobs
//     and checks the affected files again at the base (src/action/novelty.ts).
// The pull request's files are picked deterministically across kinds (Dockerfiles, workflows, compose files,
// member package.json files, sources, docs): most edited in place, one deleted, one added. --root-lockfile
// makes one of them the workspace's root lockfile (every member manifest is then checked again).
// comment and review are off, so no API is called. Prints a markdown table. Not a test: nothing is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const here = import.meta.dirname;
const root = join(here, '..');
let scale = 1;
let runs = 5;
let count = 20;
let action = join(root, 'dist', 'index.js');
let rootLockfile = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--scale') scale = Number(argv[++i]);
  else if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--files') count = Number(argv[++i]);
  else if (argv[i] === '--action') action = resolve(argv[++i]);
  else if (argv[i] === '--root-lockfile') rootLockfile = true;
  else {
    console.error(
      'usage: node bench/base-gate.mjs [--scale N] [--runs N] [--files N] [--action FILE] [--root-lockfile]',
    );
    process.exit(2);
  }
}
const log = (...a) => console.error('bench:', ...a);
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
for (const k of Object.keys(env))
  if (k.startsWith('GIT_') || k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete env[k];
const gitEnv = {
  ...env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
};
const git = (cwd, ...args) =>
  execFileSync(
    'git',
    ['-c', 'init.defaultBranch=main', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd,
      env: gitEnv,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  ).trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// ---- the tree, the repository, the pull request ----------------------------------------------------

const tree = join(here, 'out', `scale-${scale}`);
if (!existsSync(join(tree, 'manifest.json'))) {
  const r = spawnSync(process.execPath, [join(here, 'gen-monorepo.mjs'), tree, '--scale', String(scale)], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) throw new Error('generating the tree failed');
}
const repo = join(here, 'out', `base-gate-${scale}-${count}${rootLockfile ? '-rootlock' : ''}`);
rmSync(repo, { recursive: true, force: true });
log(`copying ${tree} into a git repository`);
cpSync(tree, repo, { recursive: true });
git(repo, 'init', '-q');
git(repo, 'add', '-A');
git(repo, 'commit', '-q', '-m', 'base');
const base = git(repo, 'rev-parse', 'HEAD');

const tracked = git(repo, 'ls-files', '-z').split('\0').filter(Boolean).sort();
const rank = (p) => createHash('sha256').update(p).digest('hex');
const kinds = [
  [/(^|\/)Dockerfile$/, 5],
  [/^\.github\/workflows\/.*\.ya?ml$|\/\.github\/workflows\/.*\.ya?ml$/, 5],
  [/(^|\/)(docker-)?compose\.ya?ml$/, 2],
  [/^(apps|packages)\/[^/]+\/package\.json$/, 3],
  [/\.(ts|js|py|go)$/, 3],
  [/\.md$/, 2],
];
const picked = [];
for (const [re, n] of kinds)
  picked.push(
    ...tracked
      .filter((p) => re.test(p) && !picked.includes(p))
      .sort((a, b) => (rank(a) < rank(b) ? -1 : 1))
      .slice(0, n),
  );
if (rootLockfile)
  picked[picked.length - 1] = tracked.find((p) => /^(pnpm-lock\.yaml|package-lock\.json|yarn\.lock)$/.test(p));
const changes = picked.slice(0, count);
// The last one is deleted, one file is added; the others get a line appended (a comment where the kind has one).
changes.forEach((p, i) => {
  const abs = join(repo, p);
  if (i === changes.length - 1) return unlinkSync(abs);
  const text = readFileSync(abs, 'utf8');
  const line = p.endsWith('.json')
    ? null
    : p.endsWith('.md')
      ? '\nEdited in the pull request.\n'
      : '\n# edited in the pull request\n';
  writeFileSync(abs, line ? text + line : text.replace(/"version": "([^"]+)"/, '"version": "$1-pr"'));
});
mkdirSync(join(repo, 'services', 'new-service'), { recursive: true });
writeFileSync(
  join(repo, 'services', 'new-service', 'Dockerfile'),
  'FROM node:22\nCOPY . .\nCMD ["node", "index.js"]\n',
);
git(repo, 'add', '-A');
git(repo, 'commit', '-q', '-m', 'pull request');
const head = git(repo, 'rev-parse', 'HEAD');
const merge = git(repo, 'commit-tree', `${head}^{tree}`, '-p', base, '-p', head, '-m', 'merge');
git(repo, 'checkout', '-q', '--detach', merge);
const changedCount = git(repo, 'diff', '--name-only', base, merge).split('\n').filter(Boolean).length;
log(`pull request: ${changedCount} files changed (${changes.length - 1} edited, 1 deleted, 1 added)`);

// ---- running the action --------------------------------------------------------------------------

const scratch = mkdtempSync(join(os.tmpdir(), 'pc-bench-base-'));
writeFileSync(
  join(scratch, 'event.json'),
  JSON.stringify({
    number: 1,
    pull_request: {
      number: 1,
      head: { sha: head, repo: { full_name: 'acme/mono' } },
      base: { sha: base, repo: { full_name: 'acme/mono' } },
    },
  }),
);
let n = 0;
function runAction(gate) {
  const dir = join(scratch, `run-${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary.md'), '');
  const childEnv = {
    ...env,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(scratch, 'event.json'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    RUNNER_TEMP: dir,
    GITHUB_SHA: merge,
    GITHUB_REPOSITORY: 'acme/mono',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    INPUT_PATH: '.',
    INPUT_COMMENT: 'false',
    INPUT_REVIEW: 'off',
    INPUT_GATE: gate,
    'INPUT_FAIL-ON': 'high',
  };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [action], { cwd: repo, env: childEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const outputs = Object.fromEntries(
    [...readFileSync(join(dir, 'output'), 'utf8').matchAll(/^([a-z-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [
      m[1],
      m[3],
    ]),
  );
  const info = /^Portcullis: gate new against [^\n]*$/m.exec(r.stdout)?.[0];
  rmSync(dir, { recursive: true, force: true });
  return { ms, outputs, info, status: r.status };
}

const samples = { plain: [], new: [] };
const baseStep = [];
const last = {};
for (let i = 0; i < runs; i++) {
  for (const side of i % 2 === 0 ? ['plain', 'new'] : ['new', 'plain']) {
    const r = runAction(side === 'plain' ? 'all' : 'new');
    samples[side].push(r.ms);
    const step = Number(/ in ([\d.]+) s\.$/.exec(r.info ?? '')?.[1]);
    if (side === 'new' && Number.isFinite(step)) baseStep.push(step);
    last[side] = r;
    log(
      `${side}: ${(r.ms / 1000).toFixed(2)} s (exit ${r.status}, ${r.outputs.findings} findings, ${r.outputs.blocking} blocking)`,
    );
  }
}
rmSync(scratch, { recursive: true, force: true });

const plain = median(samples.plain) / 1000;
const fresh = median(samples.new) / 1000;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Scale ${scale}, a pull request changing ${changedCount} files${rootLockfile ? ' (one of them the root lockfile)' : ''}; ${runs} runs per side, medians; ${os.cpus().length} × ${cpu}, Node ${process.versions.node}, load ${os.loadavg()[0].toFixed(1)}.`,
);
console.log('');
console.log('| side | median wall (s) | min (s) | findings | blocking | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(
  `| plain scan (action, \`gate: all\`) | ${plain.toFixed(3)} | ${(Math.min(...samples.plain) / 1000).toFixed(3)} | ${last.plain.outputs.findings} | ${last.plain.outputs.blocking} | 1.00× |`,
);
console.log(
  `| \`gate: new\` against the base | ${fresh.toFixed(3)} | ${(Math.min(...samples.new) / 1000).toFixed(3)} | ${last.new.outputs.findings} | ${last.new.outputs.blocking} | **${(fresh / plain).toFixed(2)}×** |`,
);
console.log('');
console.log(last.new.info ?? '(no base comparison line in the log)');
console.log(`The base step alone (git, base blobs, the affected files checked again): median ${median(baseStep).toFixed(2)} s of the \`gate: new\` run.`);
