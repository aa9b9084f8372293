/**
 * `portcullis init`: the files that make the gate a required check of a repository. A pinned, least-privilege
 * workflow for pull requests, the merge queue and pushes to the default branch, a baseline of today's findings so
 * that existing debt is reported without blocking, and a starter config naming it. Nothing is overwritten without
 * --force, and nothing is written through a symlink.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../config-file.js';
import { BASELINE_FILE, formatBaseline } from '../core/baseline.js';
import { DEFAULT_CONFIG_FILES } from '../core/config.js';
import { scanDirectory, type ParallelScan } from '../scan.js';
import { HOMEPAGE, REPOSITORY, VERSION } from '../version.js';
import { isInside } from '../gate-file.js';
import { UsageError } from './args.js';
import { baselineOf } from './baseline-file.js';
import { folderInside, writeNoFollow } from './write.js';

export const WORKFLOW_FILE = '.github/workflows/portcullis.yml';
const CONFIG_FILE = '.github/portcullis.yml';
/** actions/checkout, pinned: the version the project's own CI reviewed and runs. */
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
/**
 * What the action is pinned to. A commit cannot name its own SHA, so a release's is not known to the code: the
 * workflow names this placeholder, which no run can resolve (the job fails until it is replaced), and says how to
 * find the SHA of the release the user reviewed, as the README recommends.
 */
export const PLACEHOLDER_COMMIT = '0000000000000000000000000000000000000000';

export interface InitOptions {
  /** The repository root as the user reaches it (see the CLI's target). */
  root: string;
  force: boolean;
  /** The sticky comment and inline review: `pull-requests: write` on the job. */
  comment: boolean;
  parallel: ParallelScan;
}

/** Writes the files and returns what to print: what was written, and the next steps. */
export async function init(options: InitOptions): Promise<string> {
  const { root, force } = options;
  const present = (rel: string) => lstatSync(join(root, rel), { throwIfNoEntry: false }) !== undefined;
  const existingConfig = DEFAULT_CONFIG_FILES.find(present);
  const config = loadConfig(root)?.config;
  // An existing config that names a baseline keeps it: the CLI, pre-commit and the workflow all read that one.
  const baselineRel = config?.baseline !== undefined ? inside(root, config.baseline) : BASELINE_FILE;
  const replaced = [WORKFLOW_FILE, baselineRel].filter(present);
  if (replaced.length > 0 && !force) {
    throw new UsageError(`init: ${replaced.join(' and ')} already exist${replaced.length === 1 ? 's' : ''}; nothing written (--force replaces ${replaced.length === 1 ? 'it' : 'them'})`);
  }
  // Every folder is made (or checked) before anything is written: a symlinked `.github` stops init with no file written.
  const workflowPath = folderInside(root, WORKFLOW_FILE);
  const baselinePath = folderInside(root, baselineRel);
  const configPath = existingConfig ? undefined : folderInside(root, CONFIG_FILE);

  // The workflow being replaced is not part of the debt: the new one is judged on its own.
  const result = await scanDirectory(root, { ...(config ? { config } : {}), exclude: [WORKFLOW_FILE], repository: true, parallel: options.parallel });
  const { baseline } = await baselineOf(result, root, baselinePath);
  const branch = defaultBranch(root);
  const input = existingConfig && config?.baseline === undefined ? baselineRel : undefined;

  writeNoFollow(workflowPath, workflow({ comment: options.comment, branch: branch.name, baseline: input }), { exclusive: !force });
  writeNoFollow(baselinePath, formatBaseline(baseline), { exclusive: !force });
  if (configPath) writeNoFollow(configPath, configText(baselineRel), { exclusive: true });

  const n = baseline.findings.length;
  const files = [WORKFLOW_FILE, baselineRel, ...(existingConfig ? [] : [CONFIG_FILE])];
  return [
    `portcullis init: wrote in ${root}:`,
    `  ${WORKFLOW_FILE}: pull requests, the merge queue and pushes to ${branch.name}${branch.guessed ? ' (not found in git; change it if your default branch differs)' : ''}; contents: read${options.comment ? ', pull-requests: write for the comment' : ''}`,
    `  ${baselineRel}: today's ${n} finding${n === 1 ? '' : 's'}, reported as existing debt and never blocking`,
    existingConfig
      ? `  ${existingConfig} was left as it is${input ? `; the workflow names the baseline (add \`baseline: ${input}\` to it for local scans)` : ''}`
      : `  ${CONFIG_FILE}: \`baseline: ${baselineRel}\`, read by the workflow, \`portcullis scan\` and pre-commit`,
    '',
    `Pin the action first: the workflow names ${REPOSITORY}@${PLACEHOLDER_COMMIT.slice(0, 7)}…, a placeholder that no run can resolve.`,
    `Replace it with the full commit SHA of the release you reviewed (v${VERSION}), e.g. from`,
    `  git ls-remote ${HOMEPAGE} refs/tags/v${VERSION}`,
    '',
    'Next:',
    `  1. git add ${files.join(' ')} && git commit -m "Add the Portcullis gate"`,
    '  2. Push and open a pull request: the Portcullis check runs and blocks only new findings.',
    '  3. Make it required: Settings > Rules (or Branches) > require the status check "portcullis";',
    '     with a merge queue the same check runs on merge_group.',
    '',
  ].join('\n');
}

function workflow(o: { comment: boolean; branch: string; baseline: string | undefined }): string {
  const inputs = [...(o.baseline ? [`          baseline: ${yamlString(o.baseline)}`] : []), ...(o.comment ? [] : ['          comment: false', '          review: off'])];
  const jobPermissions = o.comment
    ? `    permissions:
      contents: read
      # One comment on the pull request and inline review comments; without it the gate still annotates and fails.
      pull-requests: write
`
    : '';
  return `# Portcullis, the security gate (written by \`portcullis init\` ${VERSION}). A pull request fails when it adds a
# blocking finding; the findings in the baseline are existing debt, reported and never blocking.
name: Portcullis

on:
  pull_request:
  # The merge queue is gated the same way: what the queued change adds to its base.
  merge_group:
  push:
    branches: [${yamlString(o.branch)}]

# Least privilege: the scan reads the checkout and nothing else.
permissions:
  contents: read

jobs:
  portcullis:
    runs-on: ubuntu-latest
    timeout-minutes: 10
${jobPermissions}    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
          # The merge commit and its first parent: the gate compares with the base and blocks only what is new.
          fetch-depth: 2
      # PIN ME: ${PLACEHOLDER_COMMIT} is a placeholder, not a release. Replace it with the full commit
      # SHA of the release you reviewed: git ls-remote ${HOMEPAGE} refs/tags/v${VERSION}
      - uses: ${REPOSITORY}@${PLACEHOLDER_COMMIT} # v${VERSION}
${inputs.length > 0 ? `        with:\n${inputs.join('\n')}\n` : ''}`;
}

function configText(baseline: string): string {
  return `# Portcullis configuration (see ${HOMEPAGE}#configuration), read by the workflow, \`portcullis scan\` and pre-commit.
# Findings listed in the baseline (written by \`portcullis init\`; \`portcullis baseline\` rewrites it) do not block.
baseline: ${yamlString(baseline)}
# fail-on: high                  # lowest severity that blocks: critical, high, medium, low, info or never
# paths:
#   exclude: ['**/testdata/**']  # paths not to scan
# rules:
#   self-hosted-runner:
#     enabled: false
`;
}

/** A plain YAML scalar when that is safe, else a double-quoted one (JSON's escapes are YAML's). */
function yamlString(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) ? s : JSON.stringify(s);
}

/** The config's baseline path, relative to the root and inside it. */
function inside(root: string, file: string): string {
  const rel = relative(resolve(root), resolve(root, file));
  if (rel === '' || !isInside(resolve(root), resolve(root, file))) throw new UsageError(`init: the config's baseline ${JSON.stringify(file)} is outside the repository`);
  return rel.split(sep).join('/');
}

/** The branch pushes are gated on: origin's default branch, else the one checked out, else main. */
function defaultBranch(root: string): { name: string; guessed: boolean } {
  for (const ref of ['refs/remotes/origin/HEAD', 'HEAD']) {
    try {
      const args = ['-c', 'core.fsmonitor=false', 'symbolic-ref', '--quiet', '--short', ref];
      const out = execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, shell: false }).trim();
      const name = ref === 'HEAD' ? out : out.replace(/^origin\//, '');
      if (name && name.length < 200 && !/[\s\p{Cc}]/u.test(name)) return { name, guessed: false };
    } catch {
      // not a git checkout, no origin, or a detached HEAD: the next guess
    }
  }
  return { name: 'main', guessed: true };
}
