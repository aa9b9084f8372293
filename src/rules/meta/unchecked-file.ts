import type { Rule } from '../../core/types.js';

/**
 * The gate fails closed. Its findings come from the scan pipeline (src/fail-closed.ts), which sees what reading and
 * parsing a file did; `check` has nothing to do. It reads the kinds the gate checks, so that with this rule alone those
 * files are still read and parsed (and a file that cannot be is reported).
 */
export default {
  id: 'unchecked-file',
  title: 'File the gate could not check',
  severity: 'high',
  area: 'governance',
  reads: ['dockerfile', 'workflow', 'workload', 'manifest', 'lockfile'],
  summary:
    'A Dockerfile, workflow or action, compose file, Kubernetes manifest, package manifest or lockfile that the gate could not read or parse: over a size cap, NUL bytes, invalid UTF-8, a path too long to open, a symlink out of the scanned folder, or YAML that does not parse.',
  rationale:
    'A gate that passes what it cannot read can be walked around: pad a Dockerfile past the size cap, put a NUL byte in a comment, or break the YAML of a workflow in a way the gate rejects, and the file that matters is never checked while the tools that use it (Docker, GitHub, kubectl) still do. So a file of a kind the gate checks that it could not check is a finding in its own right, naming the file and the reason. Binary files of other kinds are only mentioned in a notice.',
  fix:
    'Make the file plain UTF-8 text without NUL bytes, keep it under the caps (16 MiB a file, 2 MiB for YAML, 512,000 bytes for a workflow, which is also the most GitHub accepts), fix its YAML, and keep symlinks inside the scanned folder. If the file is not what its name says (test data named like a Dockerfile), rename it, or exclude it with `paths.exclude` in the config.',
  references: [
    'https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax',
    'https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-07-Insecure-System-Configuration',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n     - uses: actions/checkout@v4\n',
        line: 7,
      },
      {
        path: 'deploy/.github/workflows/release.yaml',
        text: 'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n\t- run: ./release.sh\n',
        line: 6,
      },
      {
        path: 'action.yml',
        text: '- runs: composite\n',
      },
      { path: 'Dockerfile', text: 'FROM node:22\n# build notes\u0000\nUSER 10001\n', line: 2 },
      { path: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27\n    # notes\u0000\n', line: 4 },
      { path: 'k8s/web.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # \u0000\nspec:\n  containers: []\n', line: 4 },
      { path: 'package.json', text: '{\n  "name": "web",\n  "description": "\u0000"\n}\n', line: 3 },
      { path: 'yarn.lock', text: '# yarn lockfile v1\n\u0000\n', line: 2 },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
      },
      {
        path: '.github/workflows/old.yml',
        text: '# switched off while the release moves\n# on: push\n',
      },
      {
        path: 'docs/snippets/broken.yml',
        text: 'a: [1, 2\nb: }\n',
      },
    ],
  },
  check() {
    // Findings come from the scan pipeline, which knows what reading and parsing each file did.
  },
} satisfies Rule<unknown>;
