import { composeFileReferences, scriptsRunBy } from './analysis/file-references.js';
import type { DocumentKind, FileReference, Finding, Project } from './core/types.js';
import { parseDockerfile } from './parsers/dockerfile.js';
import { isDockerfilePath } from './parsers/index.js';
import { isComposePath, parseWorkload } from './parsers/workloads/index.js';
import { parseYaml } from './parsers/yaml.js';
import type { ScanPlan } from './scan.js';

/*
 * Cheap tests on the text before it is parsed (most Dockerfiles and compose files say nothing about other files, and
 * parsing them all again cost ~0.2 s of CPU at bench scale 1): a command that starts with a path or hands a file to a
 * shell (`/tmp/x`, `./x`, `bash x`, `. x`, `source x`), a COPY into a folder on PATH (or to a file there), a top-level
 * `secrets:`/`configs:`.
 */
// after a separator, a RUN (its flags and the JSON form's `[` skipped) or a compound command's then/do/else
const MAY_RUN_A_COPY =
  /(?:^|[;&|(`]|\bRUN\b(?:[ \t]+--\S+)*(?:[ \t]*\[)?|\b(?:then|do|else)\b)[ \t]*"?(?:(?:sudo|exec|env|time|nohup)[ \t]+)*(?:\.{0,2}\/[^\s;&|"]|(?:ba|da|z|k|a)?sh"?(?:[ \t]*,[ \t]*"?|[ \t]+)(?:-[^c\s"]*"?(?:[ \t]*,[ \t]*"?|[ \t]+))*[^-\s"]|source[ \t]|\.[ \t])/im;
// the destination is the folder or a file in it (`/usr/local/bin/`, `/usr/bin/install-deps`), also in the JSON form
const INTO_PATH = /^[ \t]*(?:COPY|ADD)\b[^\n]*[ \t"](?:\/usr\/local\/s?bin|\/usr\/s?bin|\/s?bin)(?:\/[^\s/"]*)?"?[ \t]*\]?[ \t]*$/im;
const MOUNTS_A_FILE = /^["']?(?:secrets|configs)["']?[ \t]*:/m;

/** Per path, what other files say about it (see FileReference), as pairs so that it crosses to worker threads. */
export type References = readonly (readonly [string, readonly FileReference[]])[];

/**
 * Before the files are checked: the scripts Dockerfiles copy and run (read as shell scripts, see withReferences) and the
 * files compose mounts as secrets and configs (the secret rules read them at their own paths). Only the Dockerfiles and
 * compose files the scan would read are read here, through the project view; one that does not parse says nothing (its
 * own check reports it).
 */
export function findReferences(paths: readonly string[], project: Project, plan: ScanPlan): References {
  const scripts = plan.wanted.has('shell');
  const mounts = plan.wanted.has('text');
  if (!scripts && !mounts) return [];
  const found = new Map<string, FileReference[]>();
  const add = (path: string, ref: FileReference) => {
    const list = found.get(path);
    if (list) list.push(ref);
    else found.set(path, [ref]);
  };
  for (const path of paths) {
    if ((plan.included && !plan.included(path)) || plan.excluded?.(path)) continue;
    const dockerfile = scripts && isDockerfilePath(path);
    const compose = mounts && isComposePath(path);
    if (!dockerfile && !compose) continue;
    const text = project.read(path);
    if (text === undefined || !(dockerfile ? MAY_RUN_A_COPY.test(text) || INTO_PATH.test(text) : MOUNTS_A_FILE.test(text))) continue;
    try {
      if (dockerfile) {
        const doc = parseDockerfile(path, text, []);
        for (const s of doc ? scriptsRunBy(doc, project) : []) add(s.path, { kind: 'script', from: path, at: s.at, name: 'RUN' });
      } else {
        const doc = parseWorkload(path, text, [], () => parseYaml(path, text, []));
        for (const r of doc ? composeFileReferences(doc) : []) add(r.path, r.ref);
      }
    } catch {
      // a file its parser gives up on is reported when it is checked itself
    }
  }
  return [...found];
}

/** A file a Dockerfile runs is a shell script whatever its name: its kinds gain `shell` (it is read once, as for the others). */
export function withReferences(kinds: DocumentKind[], refs: readonly FileReference[] | undefined): DocumentKind[] {
  if (!refs?.some((r) => r.kind === 'script') || kinds.includes('shell') || !kinds.includes('text')) return kinds;
  return [...kinds, 'shell'];
}

/** Findings in a script a Dockerfile runs name the RUN that runs it (a few), as a Dockerfile's name what builds it. */
export function withRunBy(findings: Finding[], refs: readonly FileReference[] | undefined): Finding[] {
  const runs = refs?.filter((r) => r.kind === 'script').slice(0, 3) ?? [];
  if (runs.length === 0 || findings.length === 0) return findings;
  const related = runs.map((r) => ({ path: r.from, at: r.at, label: 'copied into the image and run here' }));
  return findings.map((f) => ({ ...f, related: [...f.related, ...related] }));
}
