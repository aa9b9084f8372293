import { posix } from 'node:path';
import { minimatch } from 'minimatch';
import type { Project } from '../core/types.js';
import type { WorkloadDoc } from '../parsers/workload.js';
import { parseWorkload } from '../parsers/workloads/index.js';
import { parseYaml } from '../parsers/yaml.js';
import { dotenvHoldsCredentials } from './dotenv.js';

/* What a Dockerfile's build context holds, as far as the repository shows it: the files a COPY takes, and what developers keep locally. */

const isDotenvName = (path: string): boolean => /(^|\/)(\.env(\.[^/]*)?|[^/]*\.env)$/.test(path);

/**
 * The repository's files a COPY source names (a glob within one directory), looked up from the Dockerfile's directory
 * and, when that directory is not there, from the directories above it (a `.devcontainer/` Dockerfile is often built
 * with its parent as the context). Undefined when the source's directory is nowhere in the repository.
 */
export function matchingFiles(project: Project, contextDir: string, source: string): string[] | undefined {
  const rel = source.replace(/^\.\//, '');
  if (/[*?[]/.test(posix.dirname(rel))) return undefined;
  for (let d = contextDir.replace(/\/$/, ''); ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const path = posix.join(d, rel);
    const listed = project.list(posix.dirname(path) === '.' ? '' : posix.dirname(path));
    if (listed.length > 0) return listed.filter((p) => minimatch(p, path, { dot: true })).slice(0, 50);
    if (d === '') return undefined;
  }
}

/** True when a .gitignore in `dir` or above ignores a file called `name`: developers keep such a file locally. */
export function ignoredLocally(project: Project, dir: string, name: string): boolean {
  for (let d = dir.replace(/\/$/, ''); ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const text = project.read(d === '' ? '.gitignore' : `${d}/.gitignore`) ?? '';
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim().replace(/^\/+/, '').replace(/\/+$/, '');
      if (line !== '' && !line.startsWith('#') && !line.startsWith('!') && minimatch(name, line, { dot: true, matchBase: true })) return true;
    }
    if (d === '') return false;
  }
}

/** A .env in the context's own directory, or one developers keep locally (a .gitignore names it). */
export function localDotenv(project: Project, contextDir: string): boolean {
  const dir = contextDir.replace(/\/$/, '');
  if (project.list(dir).some((p) => isDotenvName(p) && !/\.(example|sample|template|dist)$/.test(p))) return true;
  return ignoredLocally(project, dir, '.env') || ignoredLocally(project, dir, '.env.local');
}

/** An env file (`.env`, `.env.*`, `*.env`) whose values are all settings, not credentials. */
export function settingsOnlyEnvFile(path: string, text: string | undefined): boolean {
  return isDotenvName(path) && text !== undefined && !dotenvHoldsCredentials(text);
}

const COMPOSE_FILE = /(^|\/)(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;
/** Compose files parsed for their `build:` entries, per scanned tree (rules of many Dockerfiles ask about the same few). */
const composeMemo = new WeakMap<Project, Map<string, WorkloadDoc['builds']>>();

/**
 * The compose services that build `dockerfile`, from the compose files in its directory and the three above it: with
 * the stage each builds (`target:`) and whether it sets its own `command:` or `entrypoint:`.
 */
export function composeBuildsOf(project: Project, dockerfile: string): WorkloadDoc['builds'] {
  let memo = composeMemo.get(project);
  if (!memo) composeMemo.set(project, (memo = new Map()));
  const out: WorkloadDoc['builds'] = [];
  let dir = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/')) : '';
  for (let level = 0; level < 4; level++) {
    for (const path of project.list(dir).filter((p) => COMPOSE_FILE.test(p))) {
      let builds = memo.get(path);
      if (!builds) {
        const text = project.read(path) ?? '';
        builds = parseWorkload(path, text, [], () => parseYaml(path, text, []))?.builds ?? [];
        memo.set(path, builds);
      }
      out.push(...builds.filter((b) => b.dockerfile === dockerfile));
    }
    if (dir === '') break;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
  return out;
}
