// Files of a kind the gate checks that it cannot check, each alone in a tree: shared by the in-process and the CLI tests.
import { execFileSync } from 'node:child_process';
import { git, gitRepo } from './git-repo.js';

export interface FailClosedCase {
  name: string;
  files: Record<string, string | Buffer>;
  /** The file that must get the `unchecked-file` finding, and on which line. */
  path: string;
  line?: number;
  /** Text its message must contain. */
  why: string;
  /** True when the file is still checked (the finding says the gate may not see what the tools see). */
  checked?: boolean;
}

const MIB = 1024 * 1024;

/** `head`, then YAML comment lines until the text is longer than `bytes`. */
const padded = (head: string, bytes: number): string => head + '# padding\n'.repeat(Math.ceil((bytes - head.length) / 10) + 1);

const PWN = `on: pull_request_target
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm install
`;

export const FAIL_CLOSED_CASES: readonly FailClosedCase[] = [
  {
    name: 'a NUL byte in a Dockerfile comment',
    files: { Dockerfile: 'FROM node:latest\n# build notes\u0000\nUSER root\n' },
    path: 'Dockerfile',
    line: 2,
    why: 'it contains a NUL byte',
  },
  {
    name: 'a Dockerfile over the 16 MiB size cap',
    files: { 'app/Dockerfile': Buffer.from(padded('FROM node:latest\nUSER root\n', 16 * MIB)) },
    path: 'app/Dockerfile',
    why: "larger than 16 MiB, the gate's size cap for a file",
  },
  {
    name: 'a compose file over the 2 MiB YAML cap',
    files: { 'compose.yaml': padded('services:\n  web:\n    image: node:latest\n    privileged: true\n', 2 * MIB) },
    path: 'compose.yaml',
    why: "larger than 2 MiB, the gate's size cap for parsing YAML",
  },
  {
    name: 'a Kubernetes manifest over the 2 MiB YAML cap',
    files: {
      'deploy/pod.yaml': padded('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: node:latest\n      securityContext:\n        privileged: true\n', 2 * MIB),
    },
    path: 'deploy/pod.yaml',
    why: "larger than 2 MiB, the gate's size cap for parsing YAML",
  },
  {
    name: 'a workflow that does not parse',
    files: { '.github/workflows/ci.yml': PWN.replace('      - run: npm install', '     - run: npm install') },
    path: '.github/workflows/ci.yml',
    line: 10,
    why: 'it does not parse as YAML',
  },
  {
    name: 'a workflow over 512,000 bytes',
    files: { '.github/workflows/big.yml': padded(PWN, 512_000) },
    path: '.github/workflows/big.yml',
    why: 'larger than 512,000 bytes, the most GitHub accepts for a workflow file',
  },
  {
    name: 'a workflow that is not valid UTF-8',
    files: { '.github/workflows/latin1.yml': Buffer.concat([Buffer.from('# caf\xe9\n', 'latin1'), Buffer.from(PWN)]) },
    path: '.github/workflows/latin1.yml',
    why: 'it is not valid UTF-8',
    checked: true,
  },
];

/**
 * A repository tracking a Dockerfile whose path inside it is short enough for git (under PATH_MAX) but whose absolute
 * path is longer than PATH_MAX (4096 on Linux): made one folder at a time with relative paths, as a checkout makes it.
 */
export function longPathRepo(): { root: string; path: string } {
  let path = '';
  const root = gitRepo({ 'README.md': 'x\n' }, (r) => {
    const target = 4096 - r.length + 16;
    const parts: string[] = [];
    let length = 'Dockerfile'.length;
    for (let i = 0; length < target; i++) {
      const part = `${String(i).padStart(2, '0')}${'d'.repeat(Math.min(200, target - length))}`;
      parts.push(part);
      length += part.length + 1;
    }
    path = [...parts, 'Dockerfile'].join('/');
    // A child process (chdir is not allowed in a worker thread) steps down one relative folder at a time.
    const script = "const fs = require('node:fs'); for (const p of process.argv.slice(1)) { fs.mkdirSync(p); process.chdir(p); } fs.writeFileSync('Dockerfile', 'FROM node:latest\\n');";
    execFileSync(process.execPath, ['-e', script, ...parts], { cwd: r });
  });
  if (!git(root, 'ls-files').includes('Dockerfile')) throw new Error('git did not track the long path');
  return { root, path };
}
