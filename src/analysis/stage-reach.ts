import { posix } from 'node:path';
import type { DockerfileDoc, DockerInstruction, KeyValue, Stage } from '../parsers/dockerfile.js';
import { copyArgs, resolveIn } from './docker-args.js';

/**
 * Which files of each stage end up in the image a Dockerfile builds: all of a stage the final one is built FROM, and
 * of another stage only the paths a `COPY --from` takes out of it (followed through stages that copy from stages).
 * A path that depends on an unknown variable counts as everything, as does a `RUN --mount=from=` (its files can be
 * copied anywhere by the command).
 */
export interface Reach {
  /** Everything in the stage (it is an ancestor of the target, or a path could not be resolved). */
  all: boolean;
  /** Absolute paths inside the stage that are copied out towards the target. */
  paths: Set<string>;
}

export function stageReach(doc: DockerfileDoc, target = doc.stages.length - 1): Map<number, Reach> {
  const reach = new Map<number, Reach>();
  const queue: number[] = [];
  const need = (stage: number, path: string | 'all'): void => {
    for (const s of ancestry(doc, stage)) {
      let r = reach.get(s.index);
      if (!r) reach.set(s.index, (r = { all: false, paths: new Set() }));
      if (r.all || (path !== 'all' && r.paths.has(path))) continue;
      if (path === 'all') r.all = true;
      else r.paths.add(path);
      queue.push(s.index);
    }
  };
  if (doc.stages[target]) need(target, 'all');
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    const stage = doc.stages[queue.pop()!]!;
    const r = reach.get(stage.index)!;
    for (const ins of stage.instructions) {
      const keyword = ins.keyword.toUpperCase();
      if (keyword === 'RUN') {
        for (const f of ins.flags) for (const o of f.name === 'mount' ? f.options : []) if (o.name === 'from' && o.value) {
          const from = stageNamed(doc, o.value);
          if (from !== undefined) need(from, 'all');
        }
        continue;
      }
      const fromFlag = keyword === 'COPY' ? ins.flags.find((f) => f.name === 'from')?.value : undefined;
      const from = fromFlag ? stageNamed(doc, fromFlag) : undefined;
      if (from === undefined) continue;
      const { sources, dest } = copyArgs(ins);
      const landed = dest ? destination(doc, stage, ins, dest.value) : undefined;
      // only what lands where the target needs it matters
      if (!r.all && (landed === undefined || ![...r.paths].some((p) => overlaps(p, landed)))) continue;
      for (const src of sources) {
        const value = resolveIn(doc, ins, src.value);
        if (value.unresolved.length > 0 || /[*?[]/.test(value.value)) {
          need(from, 'all');
          continue;
        }
        const source = posix.resolve('/', value.value);
        // a needed path inside what one source landed on maps back into that source (`/pkg/src/x` ← `/src/x`)
        const inside = r.all || sources.length > 1 || landed === undefined ? [] : [...r.paths].filter((p) => p.startsWith(`${landed}/`));
        if (inside.length > 0 && inside.length === [...r.paths].filter((p) => overlaps(p, landed!)).length)
          for (const p of inside) need(from, posix.join(source, p.slice(landed!.length)));
        else need(from, source);
      }
    }
  }
  return reach;
}

/** True when a file put at `path` in `stage` (an absolute path, or undefined when unknown) reaches the target. */
export function reaches(reach: Map<number, Reach>, stage: number, path: string | undefined): boolean {
  const r = reach.get(stage);
  if (!r) return false;
  if (r.all || path === undefined) return true;
  return [...r.paths].some((p) => path === p || path.startsWith(p === '/' ? '/' : `${p}/`));
}

/** Where a COPY/ADD destination lands: absolute, after WORKDIR; undefined when a variable hides it. */
export function destination(doc: DockerfileDoc, stage: Stage, ins: DockerInstruction, dest: string): string | undefined {
  const value = resolveIn(doc, ins, dest);
  const dir = workdirAt(doc, stage, ins);
  if (value.unresolved.length > 0 || dir === undefined) return undefined;
  return posix.resolve(dir, value.value);
}

/** The WORKDIR in effect at an instruction (inherited through FROM <stage>); undefined when a variable hides it. */
function workdirAt(doc: DockerfileDoc, stage: Stage, at: DockerInstruction): string | undefined {
  let dir: string | undefined = '/';
  for (const s of ancestry(doc, stage.index).reverse()) {
    for (const ins of s.instructions) {
      if (ins === at) return dir;
      dir = workdirAfter(doc, ins, dir);
    }
  }
  return dir;
}

/** The working directory after an instruction, given the one before it: changed by WORKDIR; undefined once a variable hides it. */
export function workdirAfter(doc: DockerfileDoc, ins: DockerInstruction, dir: string | undefined): string | undefined {
  if (ins.keyword.toUpperCase() !== 'WORKDIR' || !ins.args[0]) return dir;
  const value = resolveIn(doc, ins, ins.args[0].value);
  return dir === undefined || value.unresolved.length > 0 ? undefined : posix.resolve(dir, value.value);
}

/** A stage and the stages it is built FROM, nearest first. */
function ancestry(doc: DockerfileDoc, index: number): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  let s: Stage | undefined = doc.stages[index];
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    out.push(s);
    s = s.parent !== undefined ? doc.stages[s.parent] : undefined;
  }
  return out;
}

function stageNamed(doc: DockerfileDoc, ref: string): number | undefined {
  if (/^\d+$/.test(ref)) return doc.stages[Number(ref)] ? Number(ref) : undefined;
  return doc.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === ref.toLowerCase())?.index;
}

const overlaps = (a: string, b: string): boolean =>
  a === b || a.startsWith(b === '/' ? '/' : `${b}/`) || b.startsWith(a === '/' ? '/' : `${a}/`);

/** Where the RUN steps that read a build argument (in its own stage, below it) end up: the image's history, a build stage, or nowhere. */
export function buildArgReadBy(doc: DockerfileDoc, kv: KeyValue): 'image' | 'stage' | 'nowhere' {
  const stage = doc.stages[kv.stage];
  if (!stage) return 'nowhere';
  const reads = new RegExp(`\\$\\{?${kv.name}\\b`);
  const read = stage.instructions.some((ins) => ins.span.line > kv.span.line && ins.keyword.toUpperCase() === 'RUN' && reads.test(ins.args.map((a) => a.value).join(' ')));
  if (!read) return 'nowhere';
  const last = doc.stages.at(-1);
  return last && ancestry(doc, last.index).includes(stage) ? 'image' : 'stage';
}
