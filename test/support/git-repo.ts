// Real temporary git repositories for the discovery tests: created with the git on PATH, with a fixed author and date
// and no system or global config (HOME points at an empty folder), so nothing of the machine's setup leaks in.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'portcullis-git-home-'));
const temps: string[] = [home];

export const GIT_ENV: Record<string, string> = {
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: home,
  XDG_CONFIG_HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes { relativePath: content } under `root` (folders made as needed). */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** A fresh temporary folder, removed by `removeTemps`. */
export function tempDir(prefix = 'portcullis-repo-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A repository whose one commit holds `files`, ignored or not (after `before(root)`, if given, changed the tree). */
export function gitRepo(files: Record<string, string | Buffer>, before?: (root: string) => void): string {
  const root = tempDir();
  git(root, 'init', '-q', '-b', 'main');
  writeTree(root, files);
  before?.(root);
  git(root, 'add', '-A', '--force');
  git(root, 'commit', '-q', '--no-verify', '-m', 'init');
  return root;
}

/** `rm -rf`, which walks folders relative to each other: a path longer than PATH_MAX is removed too. */
export function removeTemps(): void {
  for (const d of temps.splice(0)) execFileSync('rm', ['-rf', d]);
}
