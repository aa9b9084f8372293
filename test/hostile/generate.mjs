#!/usr/bin/env node
/**
 * Writes the hostile corpus (issue 9): files a pull request can plant to break, slow down or hijack the gate.
 * Generated at test time, never committed (test/hostile/out/ is gitignored).
 *
 *   node test/hostile/generate.mjs [dir] [--big-bytes N]
 *
 * `generateHostile(dir, { bigBytes })` is also imported by test/hostile/hostile.test.ts. The corpus is deterministic
 * (a seeded PRNG for the random bytes), so a failure reproduces.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names that try to inject workflow commands through the `file=` property or break line-oriented logs. */
export const EVIL_NAMES = ['evil::error file=x::pwned.Dockerfile', 'a%0Ab.Dockerfile', 'x,line=1.Dockerfile', 'new\nline.Dockerfile', 'cr\r.Dockerfile'];

export const DEFAULT_BIG_BYTES = 100 * 1024 * 1024;
/** Just over the default 16 MiB cap. */
export const LOCKFILE_BYTES = 17 * 1024 * 1024;

/** Every case the corpus holds: path (relative to the root) → what it attacks. Symlinks are listed too. */
export const CASES = {
  '.github/workflows/alias-bomb.yml': 'YAML alias bomb (billion laughs) in a workflow',
  'compose.yaml': 'YAML alias bomb in a compose file',
  '.github/workflows/deep-flow.yml': '10,000-level flow nesting [[[…]]] in a workflow',
  'deploy/deep-block.yaml': '10,000-level block nesting (- - - …) in a manifest',
  'deploy/deep-map.yaml': '10,000-level nested flow maps {a: {a: …}}',
  'deep/package.json': '10,000-level JSON nesting in a manifest',
  'src/deep.js': '20,000 nested arrow functions around a command-injection flow, and a 20,000-level array in a sink argument',
  'deep/nested.py': '20,000-level nesting of parentheses, lists and calls in Python, before a real flow',
  'big.js': 'a 100 MB one-line file (over the size cap)',
  'package-lock.json': 'a lockfile over the size cap',
  'near-cap.js': 'a 15 MiB one-line file just under the cap (every text rule reads it)',
  '.github/workflows/ci.yml': 'random bytes with NULs named like a workflow',
  '.github/workflows/latin1.yml': 'invalid UTF-8 without NULs',
  'utf16le/Dockerfile': 'UTF-16 LE with BOM',
  'utf16be/Dockerfile': 'UTF-16 BE with BOM',
  '.github/workflows/utf16le.yml': 'UTF-16 LE workflow with BOM',
  '.github/workflows/utf16be.yml': 'UTF-16 BE workflow with BOM',
  'continuations/Dockerfile': 'a Dockerfile with 100,000 line continuations',
  '.github/workflows/many-jobs.yml': 'a workflow with 3,400 jobs, each needing the previous one (as many as fit in the 512,000 bytes GitHub accepts)',
  'loop/a': 'symlink loop a → b → a',
  'loop/b': 'symlink loop b → a → b',
  'loop/self': 'directory symlink to its own parent (dir → .)',
  'outside-file': 'symlink to /etc/passwd',
  'outside-dir': 'symlink to /etc',
  ...Object.fromEntries(EVIL_NAMES.map((n) => [`names/${n}`, 'a file name that tries to inject a workflow command'])),
  '.github/workflows/command-injection.yml': 'values that look like workflow commands (a real newline then ::error::)',
  'inject/Dockerfile': 'Dockerfile content that looks like workflow commands',
  '.github/workflows/redos.yml': 'ReDoS: 100,000 a with no closing quote; a 260 KB line of ${{ (a workflow under 512,000 bytes)',
  '.github/workflows/redos-nesting.yml': 'ReDoS: unclosed $( ` ${{ ${ repeats in run, uses and env (a workflow under 512,000 bytes)',
  'redos/action.yml': 'ReDoS in a composite action: 200,000 a with no closing quote; a 1 MB line of ${{',
  'redos/nesting/action.yml': 'ReDoS in a composite action: unclosed $( ` ${{ ${ repeats, 200,000 each',
  'redos/Dockerfile': 'ReDoS in a Dockerfile: unclosed ${ repeats in FROM, an unclosed quote, $( repeats',
  '.env': 'a 1 MB base64 blob in a .env',
  'deploy/blob.yaml': 'a 1 MB base64 blob as a YAML value',
};

/**
 * Python nested 20,000 deep three ways (parentheses, lists, calls), then a Flask view with a flow from the request to
 * `os.system` on its last line: the analyser must get through the nesting and still find the flow.
 */
export function deepPython(n = 20_000) {
  return (
    'import os\nfrom flask import request\n\n' +
    `x = ${'('.repeat(n)}1${')'.repeat(n)}\ny = ${'['.repeat(n)}1${']'.repeat(n)}\nz = ${'f('.repeat(n)}1${')'.repeat(n)}\n\n` +
    'def view():\n    os.system("ping " + request.args["host"])\n'
  );
}

/** Deterministic bytes (xorshift32), so a failing case reproduces. */
function randomBytes(n, seed = 0x9e3779b9) {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function utf16be(text) {
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
}

function utf16le(text) {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Ten anchors, each a list of ten aliases of the previous one: 10^10 nodes once expanded. */
function laughs(indent = '') {
  const lines = [`${indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i <= 9; i++) lines.push(`${indent}l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

const UNPINNED_WORKFLOW = `on: pull_request_target
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: echo "\${{ github.event.pull_request.title }}"
`;

/** Jobs in many-jobs.yml: the most that fit in a workflow file GitHub accepts (512,000 bytes). */
export const MANY_JOBS = 3_400;

/** The cases that cost seconds of CPU (volume and ReDoS): `heavy: false` leaves them out. */
export const HEAVY = new Set([
  'near-cap.js',
  'continuations/Dockerfile',
  '.github/workflows/many-jobs.yml',
  '.github/workflows/redos.yml',
  '.github/workflows/redos-nesting.yml',
  'redos/action.yml',
  'redos/nesting/action.yml',
  'redos/Dockerfile',
]);

export function generateHostile(root, { bigBytes = DEFAULT_BIG_BYTES, heavy = true } = {}) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const write = (rel, data) => {
    if (!heavy && HEAVY.has(rel)) return;
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, data);
  };
  const N = 10_000;

  // Alias bombs: the anchors sit where rules look (env, steps' with, compose services and environment).
  write(
    '.github/workflows/alias-bomb.yml',
    `on: push\nx-laughs:\n${laughs('  ')}\nenv: *l9\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env: *l9\n    steps: *l9\n` +
      `  other:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with: *l9\n`,
  );
  write(
    'compose.yaml',
    `x-laughs:\n${laughs('  ')}\nservices:\n  web:\n    image: node:latest\n    environment: *l9\n    ports: *l9\n    volumes: *l9\n    command: *l9\n`,
  );

  // Deep nesting.
  write('.github/workflows/deep-flow.yml', `on: push\njobs: ${'['.repeat(N)}${']'.repeat(N)}\n`);
  write('deploy/deep-block.yaml', `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    ${'- '.repeat(N)}x\n`);
  write('deploy/deep-map.yaml', `apiVersion: v1\nkind: Pod\nspec: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`);
  // Source code: one line per level (a line over 1,000 characters would be skipped as minified, unparsed).
  const D = 20_000;
  write(
    'src/deep.js',
    `const cp = require('child_process');\napp.get('/', (req, res) =>\n${'(() =>\n'.repeat(D)}cp.exec(req.query.d)\n${')\n'.repeat(D)});\n` +
      `cp.exec(${'[\n'.repeat(D)}process.argv[2]${']\n'.repeat(D)});\n`,
  );
  write('deep/nested.py', deepPython());
  write('deep/package.json', `{"name":"deep","dependencies":{"left-pad":"*"},"x":${'{"a":'.repeat(N)}1${'}'.repeat(N)}}\n`);

  // Size: one Buffer.alloc fill each (a few hundred ms for 100 MB).
  write('big.js', Buffer.alloc(bigBytes, 'a'));
  const lockHead = Buffer.from('{"name":"x","lockfileVersion":3,"packages":{"":{}},"padding":"');
  const lock = Buffer.alloc(LOCKFILE_BYTES, 'a');
  lockHead.copy(lock, 0);
  lock.write('"}\n', LOCKFILE_BYTES - 3);
  write('package-lock.json', lock);
  const near = Buffer.alloc(15 * 1024 * 1024, 'a');
  near.write('const x = "', 0);
  write('near-cap.js', near);

  // Binary and bad encodings.
  const binary = randomBytes(64 * 1024);
  binary[0] = 0;
  binary[100] = 0;
  write('.github/workflows/ci.yml', binary);
  const latin1 = Buffer.concat([Buffer.from(`# caf\xe9 \xff\xfe\xc3\x28 \x80\n`, 'latin1'), Buffer.from(UNPINNED_WORKFLOW)]);
  write('.github/workflows/latin1.yml', latin1);
  const dockerfile = 'FROM node:latest\nRUN npm install\n';
  write('utf16le/Dockerfile', utf16le(dockerfile));
  write('utf16be/Dockerfile', utf16be(dockerfile));
  write('.github/workflows/utf16le.yml', utf16le(UNPINNED_WORKFLOW));
  write('.github/workflows/utf16be.yml', utf16be(UNPINNED_WORKFLOW));

  // Volume.
  write('continuations/Dockerfile', `FROM node:latest\nRUN echo start \\\n${'  && echo a \\\n'.repeat(100_000)}  && echo end\n`);
  // A larger workflow would not run on GitHub, and the gate reports it as unchecked-file rather than reading it.
  const jobs = [];
  for (let i = 0; i < MANY_JOBS; i++) {
    jobs.push(`  j${i}:\n    runs-on: ubuntu-latest\n${i > 0 ? `    needs: j${i - 1}\n` : ''}    steps:\n      - uses: actions/checkout@v4\n      - run: echo "\${{ github.event.issue.title }}"\n`);
  }
  write('.github/workflows/many-jobs.yml', `on: issues\npermissions: write-all\njobs:\n${jobs.join('')}`);

  // Symlinks.
  mkdirSync(join(root, 'loop'), { recursive: true });
  symlinkSync('b', join(root, 'loop', 'a'));
  symlinkSync('a', join(root, 'loop', 'b'));
  symlinkSync('.', join(root, 'loop', 'self'));
  symlinkSync('/etc/passwd', join(root, 'outside-file'));
  symlinkSync('/etc', join(root, 'outside-dir'));

  // Names and contents that look like workflow commands.
  for (const name of EVIL_NAMES) write(`names/${name}`, 'FROM node:latest\n');
  write(
    '.github/workflows/command-injection.yml',
    `on: pull_request_target\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n` +
      `      - uses: "evil/act@main\\n::error file=a,line=1::pwned\\r\\n::set-output name=x::y"\n` +
      `      - uses: "docker://alpine:latest%0A::error::pwned"\n` +
      `      - run: echo "\${{ github.event.issue.title }}" "::set-output name=x::y" "%0A::error::pwned"\n` +
      `        env:\n          "::add-mask::x\\n::error::": \${{ github.event.comment.body }}\n`,
  );
  write('inject/Dockerfile', 'FROM node:latest\nENV A="::set-output name=x::y" B="%0A::error::pwned"\nUSER ::error::pwned\n');

  // ReDoS attempts: in workflows as large as GitHub accepts (512,000 bytes), and at full size in composite actions
  // (which only the YAML cap of 2 MiB bounds).
  const redosSteps = (scale) =>
    `      - run: echo "${'a'.repeat(200_000 * scale)}\n` +
    `      - run: echo ${'${{'.repeat(Math.round(350_000 * scale * scale))}\n` +
    `      - run: echo '${'a'.repeat(200_000 * scale)}\n`;
  const nestingSteps = (scale) =>
    `      - run: echo "${'$('.repeat(200_000 * scale)}"\n` +
    `      - run: echo ${'`'.repeat(200_000 * scale + 1)}\n` +
    `      - uses: docker://${'${{'.repeat(200_000 * scale)}\n` +
    `        env:\n          X: ${'${'.repeat(200_000 * scale)}\n`;
  const workflow = (steps) => `on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const action = (steps) => `name: redos\nruns:\n  using: composite\n  steps:\n${steps.replace(/^ {2}/gm, '')}`;
  write('.github/workflows/redos.yml', workflow(redosSteps(0.5)));
  write('.github/workflows/redos-nesting.yml', workflow(nestingSteps(0.3)));
  write('redos/action.yml', action(redosSteps(1)));
  write('redos/nesting/action.yml', action(nestingSteps(1)));
  write('redos/Dockerfile', `FROM ${'${'.repeat(200_000)}\nFROM node:${'${x:-'.repeat(100_000)}\nRUN echo "${'a'.repeat(200_000)}\nENV A=${'$('.repeat(200_000)}\n`);
  const b64 = Buffer.alloc(768 * 1024, 'hostile').toString('base64');
  write('.env', `BLOB=${b64}\nOTHER="${'a'.repeat(100_000)}\n`);
  write('deploy/blob.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: blob\ndata:\n  blob: ${b64}\n`);
  return root;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--big-bytes');
  const bigBytes = at >= 0 ? Number(args.splice(at, 2)[1]) : DEFAULT_BIG_BYTES;
  const dir = resolve(args[0] ?? join(dirname(fileURLToPath(import.meta.url)), 'out'));
  const t = Date.now();
  generateHostile(dir, { bigBytes });
  console.log(`hostile corpus (${Object.keys(CASES).length} cases) written to ${dir} in ${Date.now() - t} ms`);
}
