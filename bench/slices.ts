// node --import tsx bench/slices.ts DIR OUTDIR
//
// For bench/run.mjs (not timed): discovers DIR as the scan does and writes to OUTDIR
//   read.txt                 the files a full scan with every rule reads (one path per line, relative to DIR)
//   <slice>.txt              the files of each peer's slice (workflows, dockerfiles, lockfiles; shell: no peer)
//   <slice>.yml              a config that restricts the gate to that slice: only the rules that read that
//                            kind of file (and no rule that reads every text file), and `paths.include` globs
//                            naming only those files
//   secrets.yml              only hardcoded-secret (secretlint's slice is every text file)
// and prints {files, slices: {name: {files, bytes, rules}}} as JSON.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discover } from '../src/parsers/discover.js';
import { classify, isDockerfilePath, mayBeShellByContent } from '../src/parsers/index.js';
import { isWorkflowPath } from '../src/parsers/workflow.js';
import { rules } from '../src/rules/index.js';
import { isCandidate, planScan } from '../src/scan.js';

const [root, out] = process.argv.slice(2);
if (!root || !out) throw new Error('usage: node --import tsx bench/slices.ts DIR OUTDIR');
mkdirSync(out, { recursive: true });

const found = await discover(root, { exclude: [] });
const paths = found.files.map((f) => f.path);
// The files a full scan reads, decided as src/scan.ts decides them.
const plan = planScan({});
const read = paths.filter((p) => isCandidate(plan, p));
writeFileSync(join(out, 'read.txt'), read.join('\n') + '\n');

const LOCKFILE_NAMES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock'];
const slices = {
  workflows: {
    files: paths.filter(isWorkflowPath),
    include: [
      '.github/workflows/*.yml',
      '.github/workflows/*.yaml',
      '**/.github/workflows/*.yml',
      '**/.github/workflows/*.yaml',
    ],
    rules: rules.filter((r) => r.area === 'workflows').map((r) => r.id),
  },
  dockerfiles: {
    files: paths.filter(isDockerfilePath),
    include: [
      '**/Dockerfile',
      '**/Dockerfile.*',
      '**/*.Dockerfile',
      '**/Containerfile',
      '**/Containerfile.*',
      '**/*.Containerfile',
      '**/dockerfile',
      '**/containerfile',
    ],
    rules: rules.filter((r) => r.reads.includes('dockerfile') && !r.reads.includes('text')).map((r) => r.id),
  },
  lockfiles: {
    files: paths.filter((p) => LOCKFILE_NAMES.includes(p.slice(p.lastIndexOf('/') + 1))),
    include: LOCKFILE_NAMES.map((n) => `**/${n}`),
    rules: rules.filter((r) => r.reads.includes('lockfile') && !r.reads.includes('text')).map((r) => r.id),
  },
  // the shell rules alone (no rule that reads every text file) on the files read as shell scripts: by name, or sniffed
  // for a shebang (a name with no extension); scripts that only a Dockerfile's RUN makes shell are among the latter
  shell: {
    files: paths.filter((p) => classify(p).includes('shell') || mayBeShellByContent(p, classify(p))),
    include: [] as string[],
    rules: rules.filter((r) => r.reads.includes('shell') && !r.reads.includes('text')).map((r) => r.id),
  },
  secrets: {
    files: paths.filter((p) => classify(p).includes('text')),
    include: [] as string[],
    rules: rules.filter((r) => r.id === 'hardcoded-secret').map((r) => r.id),
  },
};

const summary: Record<string, { files: number; bytes: number; rules: string[] }> = {};
for (const [name, s] of Object.entries(slices)) {
  writeFileSync(join(out, `${name}.txt`), s.files.join('\n') + '\n');
  const lines = ["# written by bench/slices.ts: the gate restricted to one peer's slice"];
  if (s.include.length > 0) lines.push('paths:', '  include:', ...s.include.map((g) => `    - '${g}'`));
  lines.push('rules:', ...rules.map((r) => `  ${r.id}: { enabled: ${s.rules.includes(r.id)} }`));
  writeFileSync(join(out, `${name}.yml`), lines.join('\n') + '\n');
  let bytes = 0;
  for (const p of s.files) bytes += statSync(join(root, p)).size;
  summary[name] = { files: s.files.length, bytes, rules: s.rules };
}
console.log(JSON.stringify({ files: paths.length, read: read.length, slices: summary }));
