import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { initTreeSitterFor } from './parsers/tree-sitter.js';
import type { Advisory } from './analysis/advisories.js';
import type { VulnerabilityData } from './analysis/vulnerabilities.js';
import type { Config } from './core/config.js';
import { diskChecker, planScan, type DiskScan, type ParallelScan, type PartialScan, type ScanOptions, type ScanPlan } from './scan.js';

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
 * Each worker's heap: a bound, so a pathological file ends one worker (its chunk is then checked on the main thread,
 * which has no such limit) rather than the job, and a heap that V8 does not let grow far past its live set. Measured
 * at scale 10: an old generation of 64 MB made V8 collect all the time (51 s CPU instead of 27 s; a 1.3 MB
 * pnpm-lock.yaml parses into tens of MB); 96–128 MB cost nothing extra.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
/**
 * One worker per core but one, up to 4 (GitHub's hosted Linux runners have 4 cores): the main thread, idle while
 * workers check, and V8's collector threads use the core left. Measured at scale 10 on 2 cores: one worker 15.7 s,
 * 21 s CPU, 270 MB; two workers 15.9 s, 30 s CPU, 366 MB; the main thread alone 18.4 s, 24 s CPU.
 */
const MAX_DEFAULT_JOBS = 4;

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, MAX_DEFAULT_JOBS));
}

/** The most worker threads a scan starts: one per core. Each holds a heap of its own; `--jobs 64` on 2 cores peaked at 2.3 GB. */
export function maxJobs(): number {
  return Math.max(1, availableParallelism());
}

/** The options a worker can be given (no functions, no custom rules). */
interface WorkerOptions {
  config?: Config;
  inlineSuppressions?: boolean;
  advisories?: readonly Advisory[];
  vulnerabilities?: VulnerabilityData;
  failOn?: ScanOptions['failOn'];
}

interface WorkerInput {
  disk: DiskScan;
  chunk: number;
  chunks: number;
  counter: Int32Array;
  options: WorkerOptions;
}

type WorkerMessage = { chunk: number; part: PartialScan } | { done: true };

/** A started worker: it loads the bundle, then waits for its input. */
interface Started {
  worker: Worker | undefined;
  /** Settles when the worker has said done, failed or exited (never rejects). */
  ended: Promise<void>;
  onMessage?: (m: WorkerMessage) => void;
}

/**
 * Threads for `scanDirectory`. `script` is the file the entry point was loaded from (the bundle); `requested` counts
 * worker threads (even one is worth it: see defaultJobs), at most maxJobs(); `minFiles`: fewer files to check are checked on the main
 * thread alone, where loading the bundle again would cost more than it saves.
 */
export function parallelScan(script: string | URL, requested: number = defaultJobs(), minFiles = MIN_PARALLEL_FILES): ParallelScan & { last?: ThreadStats } {
  const jobs = Math.min(requested, maxJobs());
  let started: Started[] | undefined;
  const self: ParallelScan & { last?: ThreadStats } = {
    minFiles,
    warm() {
      if (jobs >= 1) started ??= Array.from({ length: jobs }, () => start(script));
    },
    async check(disk, plan, options) {
      if (jobs < 1 || disk.work.length < minFiles || options.rules) {
        for (const s of started ?? []) void s.worker?.terminate();
        started = undefined;
        return undefined;
      }
      self.warm();
      const workers = started!;
      started = undefined;
      const stats: ThreadStats = { threads: jobs, chunks: 0, byWorkers: 0 };
      self.last = stats;
      return checkInParallel(workers, disk, plan, options, stats);
    },
  };
  return self;
}

function start(script: string | URL): Started {
  const started: Started = { worker: undefined, ended: Promise.resolve() };
  started.ended = new Promise<void>((resolve) => {
    try {
      started.worker = new Worker(script, { workerData: { tag: TAG }, stdout: false, stderr: false, resourceLimits: WORKER_LIMITS });
    } catch {
      resolve();
      return;
    }
    started.worker.on('message', (m: WorkerMessage) => {
      started.onMessage?.(m);
      if ('done' in m) resolve();
    });
    // Failed (out of memory on a huge file, say) or gone: whatever it did not deliver, the main thread checks.
    started.worker.once('error', () => resolve());
    started.worker.once('exit', () => resolve());
  });
  return started;
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
  workers: readonly Started[],
  disk: DiskScan,
  plan: ScanPlan,
  options: ScanOptions,
  stats: ThreadStats,
): Promise<PartialScan[]> {
  const chunk = chunkSize(disk.work.length, workers.length);
  const chunks = Math.ceil(disk.work.length / chunk);
  stats.chunks = chunks;
  const parts: (PartialScan | undefined)[] = new Array<PartialScan | undefined>(chunks);
  const input: WorkerInput = {
    disk,
    chunk,
    chunks,
    counter: new Int32Array(new SharedArrayBuffer(4)),
    options: {
      ...(options.config ? { config: options.config } : {}),
      ...(options.inlineSuppressions !== undefined ? { inlineSuppressions: options.inlineSuppressions } : {}),
      ...(options.advisories ? { advisories: options.advisories } : {}),
      ...(options.vulnerabilities ? { vulnerabilities: options.vulnerabilities } : {}),
    },
  };
  for (const w of workers) {
    w.onMessage = (m) => {
      if ('chunk' in m) {
        parts[m.chunk] = m.part;
        stats.byWorkers++;
      }
    };
    try {
      w.worker?.postMessage(input);
    } catch {
      // a worker that cannot take its input ends; its share falls to the others and to the main thread
    }
  }
  await Promise.all(workers.map((w) => w.ended));
  for (const w of workers) void w.worker?.terminate();
  let check: ReturnType<typeof diskChecker> | undefined;
  for (let c = 0; c < chunks; c++) parts[c] ??= (check ??= diskChecker(disk, plan))(c * chunk, (c + 1) * chunk);
  return parts as PartialScan[];
}

/** True in a thread started by `parallelScan`: the entry point then calls `serveScanWorker` instead of its own work. */
export function isScanWorker(): boolean {
  return !isMainThread && (workerData as { tag?: string } | null)?.tag === TAG;
}

/** A worker's whole life: wait for the input, claim chunks until none is left, post each result, then say done. */
export function serveScanWorker(): void {
  const port = parentPort!;
  port.once('message', async (input: WorkerInput) => {
    await initTreeSitterFor(input.disk.work);
    const check = diskChecker(input.disk, planScan(input.options));
    for (let c = Atomics.add(input.counter, 0, 1); c < input.chunks; c = Atomics.add(input.counter, 0, 1)) {
      port.postMessage({ chunk: c, part: check(c * input.chunk, (c + 1) * input.chunk) } satisfies WorkerMessage);
    }
    port.postMessage({ done: true } satisfies WorkerMessage);
    port.close();
  });
}
