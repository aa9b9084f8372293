import { posix } from 'node:path';
import { minimatch } from 'minimatch';
import type { FileReference, Project, Span } from '../core/types.js';
import type { DockerfileDoc, DockerInstruction } from '../parsers/dockerfile.js';
import { isShellScriptPath, SHELL_PROGRAMS } from '../parsers/shell-doc.js';
import type { WorkloadDoc } from '../parsers/workload.js';
import { copyArgs, resolveIn } from './docker-args.js';
import { dockerfileScripts, type ScriptBlock } from './scripts.js';
import { workdirAfter } from './stage-reach.js';
import { parseShell, programName, unwrap } from './shell.js';

/** The COPYs a RUN's paths are looked up in, latest first: bounds the work on a hostile Dockerfile of 10,000 COPYs and RUNs. */
const MAX_COPIES = 64;
const COPY_FROM_URL = /^[a-z][a-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:/i;
/** Folders on the default PATH: a script copied there runs by its name alone (`COPY setup /usr/local/bin/` then `RUN setup`). */
const PATH_DIRS = new Set(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']);

/** A COPY/ADD from the build context: where it lands in the image, and the source as written. */
interface Landed {
  /** Absolute path of the file, or of the folder the sources go into (`intoDir`). */
  at: string;
  intoDir: boolean;
  source: string;
}

/**
 * The files of the repository that a Dockerfile copies from its build context and then runs in a later `RUN` (as
 * `/tmp/setup`, `./setup`, `bash /tmp/setup`, `. ./env.sh`, or by name from a PATH folder), each with the RUN that runs
 * it. The build context is the Dockerfile's folder or, when the source is not there, a folder above it (see
 * build-context.ts); a source that would leave the repository is ignored, and only files the scan lists are named.
 */
export function scriptsRunBy(doc: DockerfileDoc, project: Project): { path: string; at: Span }[] {
  const dir = doc.path.includes('/') ? doc.path.slice(0, doc.path.lastIndexOf('/')) : '';
  const landedIn = new Map<number, Landed[]>();
  // each RUN's scripts by the line they start on: found per RUN without a scan of every block (10,000 RUNs stay linear)
  const blocksAt = new Map<number, ScriptBlock[]>();
  for (const b of dockerfileScripts(doc)) {
    const line = b.lineSpan(0).line;
    const list = blocksAt.get(line);
    if (list) list.push(b);
    else blocksAt.set(line, [b]);
  }
  const out = new Map<string, Span>();
  // the working directory is followed instruction by instruction (undefined once a variable hides it)
  const stageWorkdir = new Map<number, string | undefined>();
  for (const stage of doc.stages) {
    const landed = stage.parent !== undefined ? (landedIn.get(stage.parent) ?? []).slice(-MAX_COPIES) : [];
    landedIn.set(stage.index, landed);
    let cwd: string | undefined = stage.parent !== undefined ? stageWorkdir.get(stage.parent) : '/';
    for (const ins of stage.instructions) {
      const keyword = ins.keyword.toUpperCase();
      cwd = workdirAfter(doc, ins, cwd);
      if (cwd === undefined) continue;
      if ((keyword === 'COPY' || keyword === 'ADD') && !ins.flags.some((f) => f.name === 'from')) landed.push(...copied(doc, ins, cwd));
      if (keyword !== 'RUN' || landed.length === 0) continue;
      const recent = landed.slice(-MAX_COPIES);
      for (let line = ins.span.line; line <= ins.span.endLine; line++) {
        for (const b of blocksAt.get(line) ?? []) {
          for (const run of runPaths(b.script, cwd)) {
            const path = inContext(project, dir, sourceOf(recent, run, project, dir));
            if (path && !out.has(path) && (run.viaShell || executableName(path))) out.set(path, ins.span);
          }
        }
      }
    }
    stageWorkdir.set(stage.index, cwd);
  }
  return [...out].map(([path, at]) => ({ path, at }));
}

function copied(doc: DockerfileDoc, ins: DockerInstruction, cwd: string): Landed[] {
  const { sources, dest } = copyArgs(ins);
  if (!dest || sources.some((s) => s.value.startsWith('<<'))) return [];
  const to = resolveIn(doc, ins, dest.value);
  if (to.unresolved.length > 0) return [];
  const at = posix.resolve(cwd, to.value);
  const intoDir = sources.length > 1 || /\/$|^\.$/.test(dest.value);
  return sources.filter((s) => !COPY_FROM_URL.test(s.value) && !s.value.includes('$')).map((s) => ({ at, intoDir, source: s.value }));
}

/** A file that runs when executed directly: a shell script by name, or a name with no extension (`install-deps`). */
function executableName(path: string): boolean {
  const name = posix.basename(path);
  return isShellScriptPath(path) || !name.includes('.');
}

interface RunPath {
  /** Absolute path in the image, or a bare name looked up on PATH. */
  path: string;
  /** Given to a shell (`bash x`, `. x`) rather than executed (`./x`): the shell reads it whatever its name. */
  viaShell: boolean;
}

/** The files a RUN script executes or hands to a shell, resolved against the working directory (and any `cd` before them). */
function runPaths(script: string, workdir: string): RunPath[] {
  const out: RunPath[] = [];
  let cwd = workdir;
  for (const cmd of parseShell(script).commands) {
    if (cmd.substitution) continue;
    const argv = unwrap(cmd.argv);
    const first = argv[0];
    if (first === undefined) continue;
    if (first === 'cd') {
      // `cd "$X"` leaves the directory unknown: later relative paths are not resolved
      cwd = argv[1] === undefined || argv[1].startsWith('-') ? cwd : /[$`~]/.test(argv[1]) || cwd === '' ? '' : posix.resolve(cwd, argv[1]);
      continue;
    }
    let file: string | undefined;
    let viaShell = true;
    if (first === '.' || first === 'source') file = argv[1];
    else if (SHELL_PROGRAMS.test(programName(first))) file = shellOperand(argv);
    else {
      file = first;
      viaShell = false;
    }
    if (file === undefined || /[$`~]/.test(file)) continue;
    if (!viaShell && !file.includes('/')) out.push({ path: file, viaShell });
    else if (file.startsWith('/') || cwd !== '') out.push({ path: posix.resolve(cwd, file), viaShell });
  }
  return out;
}

/** The script a shell is started on (`bash -eux /tmp/setup arg`); undefined for `-c` strings and stdin (`-s`). */
function shellOperand(argv: readonly string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') return argv[i + 1];
    if (/^[-+]o$/.test(w) || w === '-O' || w === '+O' || w === '--rcfile' || w === '--init-file') {
      i++;
      continue;
    }
    if (!/^[-+]/.test(w)) return w;
    if (/^-[A-Za-z]*[cs]/.test(w)) return undefined;
  }
  return undefined;
}

/** The source (relative to the build context) of the file a RUN runs, from the latest COPY that put a file there. */
function sourceOf(landed: readonly Landed[], run: RunPath, project: Project, dir: string): string | undefined {
  // run by name: a file copied into a folder on PATH
  if (!run.path.startsWith('/')) {
    if (!landed.some((l) => PATH_DIRS.has(l.intoDir ? l.at : posix.dirname(l.at)))) return undefined;
    for (const bin of PATH_DIRS) {
      const found = sourceOf(landed, { ...run, path: `${bin}/${run.path}` }, project, dir);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (let k = landed.length - 1; k >= 0; k--) {
    const l = landed[k]!;
    const src = l.source.replace(/^\.\//, '').replace(/\/+$/, '');
    if (l.intoDir) {
      if (run.path === posix.join(l.at, posix.basename(src)) && !/[*?[]/.test(src)) return src;
      if (posix.dirname(run.path) === l.at && /[*?[]/.test(posix.basename(src)) && matchesName(src, posix.basename(run.path))) return posix.join(posix.dirname(src), posix.basename(run.path));
      // a folder's contents go into the destination
      if (run.path.startsWith(`${l.at === '/' ? '' : l.at}/`) && isFolder(project, dir, src)) return posix.join(src, run.path.slice(l.at.length));
    } else {
      if (run.path === l.at) return src;
      if (run.path.startsWith(`${l.at}/`) && isFolder(project, dir, src)) return posix.join(src, run.path.slice(l.at.length + 1));
    }
  }
  return undefined;
}

const matchesName = (src: string, name: string): boolean => minimatch(name, posix.basename(src), { dot: true });

function isFolder(project: Project, dir: string, src: string): boolean {
  return src === '.' || src === '' || inContext(project, dir, src, true) !== undefined;
}

/**
 * The repository path of a context-relative source: under the Dockerfile's folder, else under the nearest folder above
 * that has it. Undefined when it leaves the repository or is not a listed file (or, with `folder`, not a listed folder).
 */
function inContext(project: Project, dir: string, rel: string | undefined, folder = false): string | undefined {
  if (rel === undefined || rel.startsWith('/')) return undefined;
  for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const path = posix.normalize(posix.join(d || '.', rel)).replace(/^\.\//, '');
    if (path === '..' || path.startsWith('../') || path.startsWith('/')) return undefined;
    if (folder ? project.list(path).length > 0 || path === '.' : project.has(path)) return path;
    if (d === '') return undefined;
  }
}

/** A compose file's top-level `secrets:` and `configs:` entries with a committed `file:`. */
export function composeFileReferences(doc: WorkloadDoc): { path: string; ref: FileReference }[] {
  return (doc.secretFiles ?? []).map((s) => ({ path: s.path, ref: { kind: s.section === 'configs' ? 'config' : 'secret', from: doc.path, at: s.file.span, name: s.name } }));
}
