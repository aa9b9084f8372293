import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Advisory } from './analysis/advisories.js';
import type { Config } from './core/config.js';
import { readTextFile } from './parsers/discover.js';
import { checkFiles, planScan, projectOnDisk, type ParallelScan, type PartialScan, type ScanOptions, type ScanPlan } from './scan.js';

/**
 * Checking files on several threads. The sorted path list is cut into fixed runs ("chunks"); every worker
 * claims the next chunk from one shared counter until none is left, so a slow chunk does not hold a whole share
 * back. The main thread only collects (its heap holds the findings, not the parsing). Each chunk's result is kept under its index and the scan merges them in
 * index order: findings, notices, skipped files and build links come out exactly as a one-thread scan lists
 * them (files are checked independently; a neighbour a rule reads is read through the same project view).
 *
 * A worker is the entry bundle itself started again (see `isScanWorker`); it rebuilds the plan from the
 * serialisable options. A worker that fails or exits early costs nothing but time: the main thread checks
 * every chunk no worker delivered.
 */

const TAG = 'portcullis-scan-worker';
/** Below this many files to check, a worker's start-up (loading the bundle, ~0.15 s) costs more than it saves. */
export const MIN_PARALLEL_FILES = 1500;
/**
 * Each worker's heap. The live set of a worker is one file's documents and a few cached neighbours; without a
 * limit V8 lets garbage pile up to several hundred MB before a full collection. A file too large for the limit
 * ends that worker; its chunk is then checked on the main thread, which has no such limit.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };
/** GitHub's hosted Linux runners have 4 cores; beyond that, memory grows faster than time shrinks. */
const MAX_DEFAULT_JOBS = 4;

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_JOBS));
}

/** The options a worker can be given (no functions, no custom rules). */
interface WorkerOptions {
  config?: Config;
  inlineSuppressions?: boolean;
  advisories?: readonly Advisory[];
  failOn?: ScanOptions['failOn'];
}

interface WorkerInput {
  tag: typeof TAG;
  root: string;
  /** Every file of the tree (what rules may read as neighbours), and the files to check. */
  paths: readonly string[];
  work: readonly string[];
  maxFileBytes: number;
  chunk: number;
  chunks: number;
  counter: Int32Array;
  options: WorkerOptions;
}

type WorkerMessage = { chunk: number; part: PartialScan } | { done: true };

/**
 * Threads for `scanDirectory`. `script` is the file the entry point was loaded from (the bundle); `jobs` counts
 * threads including the main one; `minFiles`: smaller trees are scanned on one thread.
 */
export function parallelScan(script: string | URL, jobs: number = defaultJobs(), minFiles = MIN_PARALLEL_FILES): ParallelScan & { last?: ThreadStats } {
  const self: ParallelScan & { last?: ThreadStats } = {
    jobs,
    async check(root, paths, work, plan, maxFileBytes, options) {
      if (jobs <= 1 || work.length < minFiles || options.rules) return undefined;
      const stats: ThreadStats = { threads: jobs, chunks: 0, byWorkers: 0 };
      self.last = stats;
      return checkInParallel(script, jobs, root, paths, work, plan, maxFileBytes, options, stats);
    },
  };
  return self;
}

/** How the last parallel scan went (for --stats): chunks in all, and how many of them worker threads checked. */
export interface ThreadStats {
  threads: number;
  chunks: number;
  byWorkers: number;
}

/** Chunks small enough to balance the threads, large enough that each message carries real work. */
function chunkSize(files: number, threads: number): number {
  return Math.max(32, Math.min(1024, Math.ceil(files / (threads * 16))));
}

async function checkInParallel(
  script: string | URL,
  jobs: number,
  root: string,
  paths: readonly string[],
  work: readonly string[],
  plan: ScanPlan,
  maxFileBytes: number,
  options: ScanOptions,
  stats: ThreadStats,
): Promise<PartialScan[]> {
  const chunk = chunkSize(work.length, jobs);
  const chunks = Math.ceil(work.length / chunk);
  stats.chunks = chunks;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const parts: (PartialScan | undefined)[] = new Array<PartialScan | undefined>(chunks);
  const input: WorkerInput = {
    tag: TAG,
    root,
    paths,
    work,
    maxFileBytes,
    chunk,
    chunks,
    counter,
    options: {
      ...(options.config ? { config: options.config } : {}),
      ...(options.inlineSuppressions !== undefined ? { inlineSuppressions: options.inlineSuppressions } : {}),
      ...(options.advisories ? { advisories: options.advisories } : {}),
    },
  };
  const finished: Promise<void>[] = [];
  for (let i = 0; i < jobs; i++) {
    finished.push(
      new Promise<void>((resolve) => {
        let worker: Worker;
        try {
          worker = new Worker(script, { workerData: input, stdout: false, stderr: false, resourceLimits: WORKER_LIMITS });
        } catch {
          resolve();
          return;
        }
        worker.on('message', (m: WorkerMessage) => {
          if ('chunk' in m) {
            parts[m.chunk] = m.part;
            stats.byWorkers++;
          }
        });
        // Done, failed (out of memory on a huge file, say) or gone: whatever it did not deliver, the main thread checks below.
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      }),
    );
  }
  await Promise.all(finished);
  let project: ReturnType<typeof projectOnDisk> | undefined;
  const read = (p: string) => readTextFile(join(root, p), maxFileBytes);
  for (let c = 0; c < chunks; c++) {
    parts[c] ??= checkFiles(plan, work, c * chunk, Math.min(work.length, (c + 1) * chunk), (project ??= projectOnDisk(root, paths, maxFileBytes)), read);
  }
  return parts as PartialScan[];
}

/** True in a thread started by `parallelScan`: the entry point then calls `serveScanWorker` instead of its own work. */
export function isScanWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerInput> | null)?.tag === TAG;
}

/** A worker's whole life: claim chunks until none is left, post each result, then say done. */
export function serveScanWorker(): void {
  const input = workerData as WorkerInput;
  const port = parentPort!;
  const plan = planScan(input.options);
  const project = projectOnDisk(input.root, input.paths, input.maxFileBytes);
  const read = (p: string) => readTextFile(join(input.root, p), input.maxFileBytes);
  for (let c = Atomics.add(input.counter, 0, 1); c < input.chunks; c = Atomics.add(input.counter, 0, 1)) {
    const part = checkFiles(plan, input.work, c * input.chunk, Math.min(input.work.length, (c + 1) * input.chunk), project, read);
    port.postMessage({ chunk: c, part } satisfies WorkerMessage);
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
}
