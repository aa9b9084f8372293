/**
 * Real git repositories for the base-aware gate tests, made the way GitHub and actions/checkout make them:
 * a base commit, the pull request's commit on top, GitHub's merge commit (`refs/pull/N/merge`, parents
 * [base, head]) pushed to a bare `origin`, and a workspace that fetches one commit at a given depth and checks
 * it out detached. Fixed author, committer and dates (so commit SHAs are the same on every run), HOME pointed
 * at a temporary folder, no system or global config.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Files = Readonly<Record<string, string>>;

const home = mkdtempSync(join(tmpdir(), 'pc-git-home-'));

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export function git(cwd: string, args: readonly string[]): string {
  const fixed = [
    '-c',
    'init.defaultBranch=main',
    '-c',
    'commit.gpgsign=false',
    '-c',
    'core.autocrlf=false',
    '-c',
    'core.hooksPath=/dev/null',
  ];
  return execFileSync('git', [...fixed, ...args], {
    cwd,
    env: gitEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Replaces the work tree's files (all but .git) with `files` and commits them; returns the commit. */
export function commitTree(repo: string, files: Files, message: string): string {
  for (const entry of readdirSync(repo))
    if (entry !== '.git') rmSync(join(repo, entry), { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--allow-empty', '-m', message]);
  return git(repo, ['rev-parse', 'HEAD']);
}

export interface PullRequestRepo {
  /** The bare repository a checkout fetches from (`file://` URL). */
  origin: string;
  base: string;
  head: string;
  /** GitHub's merge commit: the head's tree, parents [base, head]. */
  merge: string;
}

/** `dir/src` (the author's clone) and `dir/origin.git` (the bare remote with main and refs/pull/1/{head,merge}). */
export function createPullRequestRepo(dir: string, base: Files, head: Files): PullRequestRepo {
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  git(src, ['init', '-q']);
  const baseSha = commitTree(src, base, 'base');
  const headSha = commitTree(src, head, 'pull request');
  const merge = git(src, [
    'commit-tree',
    `${headSha}^{tree}`,
    '-p',
    baseSha,
    '-p',
    headSha,
    '-m',
    `Merge ${headSha} into ${baseSha}`,
  ]);
  git(src, ['update-ref', 'refs/heads/main', baseSha]);
  git(src, ['update-ref', 'refs/pull/1/head', headSha]);
  git(src, ['update-ref', 'refs/pull/1/merge', merge]);
  const origin = join(dir, 'origin.git');
  git(dir, ['init', '-q', '--bare', origin]);
  git(src, [
    'push',
    '-q',
    `file://${origin}`,
    'refs/heads/main:refs/heads/main',
    'refs/pull/1/head:refs/pull/1/head',
    'refs/pull/1/merge:refs/pull/1/merge',
  ]);
  return { origin: `file://${origin}`, base: baseSha, head: headSha, merge };
}

/** What actions/checkout does: init, `origin` remote, fetch one commit at `depth`, detached checkout. */
export function checkoutCommit(workspace: string, origin: string, sha: string, depth: number): void {
  mkdirSync(workspace, { recursive: true });
  git(workspace, ['init', '-q']);
  git(workspace, ['remote', 'add', 'origin', origin]);
  git(workspace, ['fetch', '-q', '--no-tags', `--depth=${depth}`, 'origin', sha]);
  git(workspace, ['checkout', '-q', '--detach', sha]);
}

/** A pull request's files as GitHub's "list pull request files" returns them, from `git diff` (plain paths only). */
export function pullRequestFiles(
  repo: string,
  base: string,
  head: string,
): {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  patch?: string;
  previous_filename?: string;
}[] {
  const diff = git(repo, ['diff', '-M', '--no-color', '--no-ext-diff', base, head]);
  if (!diff) return [];
  return diff
    .split(/^diff --git /m)
    .filter((s) => s.trim() !== '')
    .map((section) => {
      const lines = section.split('\n');
      const at = lines.findIndex((l) => l.startsWith('@@'));
      const header = at < 0 ? lines : lines.slice(0, at);
      const field = (prefix: string) => header.find((l) => l.startsWith(prefix))?.slice(prefix.length);
      const [, a = '', b = ''] = /^a\/(\S+) b\/(\S+)$/.exec(lines[0]!) ?? [];
      const status = header.some((l) => l.startsWith('new file mode'))
        ? 'added'
        : header.some((l) => l.startsWith('deleted file mode'))
          ? 'removed'
          : field('rename from ')
            ? 'renamed'
            : 'modified';
      return {
        filename: status === 'removed' ? a : b,
        status,
        ...(at >= 0 ? { patch: lines.slice(at).join('\n') } : {}),
        ...(status === 'renamed' ? { previous_filename: a } : {}),
      };
    });
}
