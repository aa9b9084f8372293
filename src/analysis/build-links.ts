import { posix } from 'node:path';
import type { SourceUnit } from '../core/engine.js';
import type { Finding, Span } from '../core/types.js';
import type { Job, Step, WorkflowDoc } from '../parsers/workflow.js';
import type { WorkloadDoc } from '../parsers/workload.js';
import { getNode, scalarString } from '../parsers/yaml.js';
import { parseShell, programName, unwrap } from './shell.js';

/**
 * Which file builds which Dockerfile: a compose `build:` or a workflow step running `docker build -f`
 * or `docker/build-push-action`. Findings in the Dockerfile then name the file that builds it as a
 * related location, so a reviewer sees where the image is produced. Only these small records are
 * kept across the scan, never the documents.
 */
export interface BuildLink {
  /** Repo-relative POSIX path of the Dockerfile built. */
  dockerfile: string;
  /** The file that builds it, and where. */
  path: string;
  at: Span;
  label: string;
}

/** Links from a compose file's `build:` entries (already resolved by the parser). */
export function workloadBuildLinks(doc: WorkloadDoc): BuildLink[] {
  return doc.builds.map((b) => ({
    dockerfile: b.dockerfile,
    path: doc.path,
    at: b.span,
    label: `built by compose service ${b.service}${b.target ? ` (target ${b.target})` : ''}`,
  }));
}

/** Links from a workflow's `docker build` / `docker buildx build` commands and `docker/build-push-action` steps. */
export function workflowBuildLinks(wf: WorkflowDoc): BuildLink[] {
  if (wf.type !== 'workflow') return [];
  const out: BuildLink[] = [];
  const workflowDir = defaultWorkingDirectory(wf, undefined);
  for (const job of wf.jobs) {
    const jobDir = defaultWorkingDirectory(wf, job) ?? workflowDir;
    for (const step of job.steps) {
      const label = `built by workflow job ${job.id}${step.name ? ` (step "${step.name}")` : ''}`;
      if (step.uses && /^docker\/build-push-action@/.test(step.uses.value)) {
        // `file` is read from the workspace root; `{{defaultContext}}:dir` is a subdirectory of the Git context.
        const file = step.with.get('file')?.value;
        const context = step.with.get('context')?.value.replace(/^\{\{\s*defaultContext\s*\}\}:?/, '');
        const dockerfile = resolve('', context ?? '', file);
        if (dockerfile) out.push({ dockerfile, path: wf.path, at: step.uses.span, label });
        continue;
      }
      if (!step.run) continue;
      const stepDir = scalarString(getNode(step.node, 'working-directory', wf.doc)) ?? jobDir ?? '';
      out.push(...runLinks(wf, step, stepDir, label));
    }
  }
  return out;
}

function defaultWorkingDirectory(wf: WorkflowDoc, job: Job | undefined): string | undefined {
  const owner = job ? job.node : wf.doc.contents;
  return scalarString(getNode(getNode(getNode(owner, 'defaults', wf.doc), 'run', wf.doc), 'working-directory', wf.doc));
}

/** Options of `docker build` that take no value; every other option consumes the next word unless written `--opt=value`. */
const BOOLEAN = new Set([
  '--push', '--load', '--pull', '--no-cache', '-q', '--quiet', '--rm', '--force-rm', '--squash', '--compress', '--check',
  '--disable-content-trust', '--debug', '-D', '--help',
]);

function runLinks(wf: WorkflowDoc, step: Step, cwd: string, label: string): BuildLink[] {
  const run = step.run!;
  const lines = run.value.split('\n');
  const out: BuildLink[] = [];
  for (const cmd of parseShell(run.value).commands) {
    const argv = unwrap(cmd.argv);
    const prog = programName(argv[0]);
    let i: number;
    if ((prog === 'docker' || prog === 'podman') && argv[1] === 'build') i = 2;
    else if ((prog === 'docker' || prog === 'podman') && (argv[1] === 'buildx' || argv[1] === 'image') && argv[2] === 'build') i = 3;
    else if (prog === 'buildah' && (argv[1] === 'bud' || argv[1] === 'build')) i = 2;
    else continue;
    let file: string | undefined;
    let context: string | undefined;
    for (; i < argv.length; i++) {
      const w = argv[i]!;
      const eq = /^(-f|--file)=(.*)$/.exec(w);
      if (eq) file = eq[2];
      else if (w === '-f' || w === '--file') file = argv[++i];
      else if (/^-f[^-=]/.test(w)) file = w.slice(2);
      else if (w.startsWith('-')) {
        if (!w.includes('=') && !BOOLEAN.has(w)) i++;
      } else if (context === undefined) context = w;
    }
    if (context === undefined || context === '-' || /^[a-z][\w+.-]*:\/\/|^git@/i.test(context)) continue;
    const dockerfile = resolve(cwd, context, file);
    if (!dockerfile) continue;
    const source = (lines[cmd.line] ?? '').trim();
    let from = 0;
    for (let k = 0; k < cmd.line; k++) from += lines[k]!.length + 1;
    const at = (source && wf.spanWithin(run.node, source, from)) || run.span;
    out.push({ dockerfile, path: wf.path, at, label });
  }
  return out;
}

/** The Dockerfile a build reads: `file` relative to the working directory, else `Dockerfile` in the context. */
function resolve(cwd: string, context: string, file: string | undefined): string | undefined {
  if (file === '-' || [cwd, context, file ?? ''].some((p) => p.includes('$') || p.includes('{{') || p.includes('__GHA_EXPR__'))) return undefined;
  const joined = file !== undefined ? posix.join(cwd || '.', file) : posix.join(cwd || '.', context || '.', 'Dockerfile');
  const normal = posix.normalize(joined).replace(/^\.\//, '');
  if (normal.startsWith('/') || normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

const MAX_RELATED = 5;

/** Adds to each finding in a built Dockerfile the places that build it (at most a few per finding). */
export function linkBuiltDockerfiles(findings: Finding[], links: readonly BuildLink[]): void {
  if (links.length === 0) return;
  const byFile = new Map<string, BuildLink[]>();
  for (const l of links) {
    let list = byFile.get(l.dockerfile);
    if (!list) byFile.set(l.dockerfile, (list = []));
    if (!list.some((o) => o.path === l.path && o.at.line === l.at.line && o.label === l.label)) list.push(l);
  }
  for (const f of findings) {
    const list = byFile.get(f.path);
    if (!list) continue;
    f.related = [...f.related, ...list.slice(0, MAX_RELATED).map((l) => ({ path: l.path, at: l.at, label: l.label }))];
  }
}

/** The build links a scanned file declares (its workflow or workload document, parsed once and cached by the unit). */
export function unitBuildLinks(unit: SourceUnit): BuildLink[] {
  const out: BuildLink[] = [];
  if (unit.kinds.includes('workflow')) {
    const wf = unit.document('workflow') as WorkflowDoc | undefined;
    if (wf) out.push(...workflowBuildLinks(wf));
  }
  if (unit.kinds.includes('workload')) {
    const doc = unit.document('workload') as WorkloadDoc | undefined;
    if (doc) out.push(...workloadBuildLinks(doc));
  }
  return out;
}
