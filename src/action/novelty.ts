/**
 * `gate: new`: which findings the base revision (base.ts) does not have. The change is read from git as two
 * trees (`git diff-tree`, renames detected); the base side of each changed file is read as a blob (`git cat-file
 * --batch`: object bytes, no checkout, no filters); the files the change can affect are checked again as they
 * are at the base (scan-base.ts) and compared by fingerprint (core/diff.ts).
 */
import { dirname, join } from 'node:path';
import { noveltyAgainstBase, type Novelty } from '../core/diff.js';
import type { Finding } from '../core/types.js';
import { decodeText, readTextFile, sizeReason, type Unread } from '../parsers/read.js';
import { DEFAULT_MAX_FILE_BYTES, type ScanOptions } from '../scan.js';
import { affectedPaths, discoverable, flaggedText, scanBase, type PathChange } from '../scan-base.js';
import type { RunContext } from './context.js';
import { resolveBase, BaseUnavailable, type BaseRevision, type GitPlace } from './base.js';
import { readBlobs, runGit, type GitOptions } from './git.js';

export interface Measured {
  /** fingerprint → new/existing, for every finding of the head scan. */
  novelty: Map<string, Novelty>;
  base: BaseRevision;
  /** Files that differ between the base and the head; files checked again at the base. */
  changed: number;
  rescanned: number;
}

/** What the head scan saw and ran with (paths relative to the scan root). */
export interface HeadScan {
  findings: readonly Finding[];
  discovered?: readonly string[];
  options: ScanOptions;
}

/** More base text than this is not held in memory: the comparison falls back to `gate: all`. */
const MAX_BASE_BYTES = 256 * 1024 * 1024;
const GITLINK = '160000';
const SYMLINK = '120000';

/**
 * Throws BaseUnavailable (with the notice to show) when there is no base to compare with. `resolved`: the base
 * revision the run resolved already (main.ts resolves it once), else it is resolved here.
 */
export async function measureNovelty(
  ctx: RunContext,
  place: GitPlace,
  head: HeadScan,
  exclude: readonly string[],
  resolved?: () => Promise<BaseRevision>,
): Promise<Measured> {
  const base = await (resolved ? resolved() : resolveBase(ctx, place));
  const opts: GitOptions = { cwd: place.root, ceiling: dirname(place.workspace) };
  const fail = (why: string) =>
    new BaseUnavailable(
      `Portcullis could not compare ${base.subject} with its base commit ${base.sha.slice(0, 12)} (${why}), so every finding counts, as with \`gate: all\`.`,
    );
  if (!head.discovered) throw fail('the scan did not list its files');
  let entries: DiffEntry[];
  try {
    entries = parseRawDiff(
      await runGit(
        [
          'diff-tree',
          '-r',
          '-z',
          '--raw',
          '-M',
          '--no-commit-id',
          '--no-ext-diff',
          '--no-textconv',
          base.sha,
          base.head,
        ],
        opts,
      ),
    );
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err));
  }
  const changes = toScanChanges(entries, base.prefix, head.discovered);
  const maxFileBytes = head.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let texts: Map<string, Buffer | Unread>;
  try {
    texts = await readBaseBlobs(entries, base.prefix, maxFileBytes, opts);
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err));
  }
  const rescan = affectedPaths(changes, head.discovered, head.findings);
  // A finding on a file the scan did not list has no base version to compare with: it counts as new (fail closed).
  const listed = new Set(head.discovered);
  for (const f of head.findings) if (!listed.has(f.path)) rescan.add(f.path);
  const listable = discoverable([...exclude, ...(head.options.config?.paths.exclude ?? [])]);
  const readHead = (p: string, strict?: boolean) => readTextFile(join(place.root, p), maxFileBytes, { strict: strict === true });
  const baseScan = scanBase(
    head.discovered,
    readHead,
    {
      changes,
      read: (p, strict) => {
        const blob = texts.get(p);
        return Buffer.isBuffer(blob) ? decodeText(blob, strict === true) : blob;
      },
    },
    rescan,
    head.options,
    listable,
  );
  // Matched by fingerprint and flagged text: a secret whose value was swapped under the same name is new.
  const content = { head: flaggedText(readHead), base: flaggedText(baseScan.read) };
  return {
    novelty: noveltyAgainstBase(head.findings, baseScan.findings, rescan, content),
    base,
    changed: changes.length,
    rescanned: rescan.size,
  };
}

/** One line of `git diff-tree --raw -z`: modes and objects of both sides, status, and the path(s). */
export interface DiffEntry {
  baseMode: string;
  headMode: string;
  baseOid: string;
  status: string;
  /** Base-side path (the old name of a rename). */
  from: string;
  /** Head-side path. */
  to: string;
}

export function parseRawDiff(out: Buffer): DiffEntry[] {
  const parts = out.toString('utf8').split('\0');
  const entries: DiffEntry[] = [];
  for (let i = 0; i < parts.length; i++) {
    const meta = parts[i]!;
    if (!meta.startsWith(':')) continue;
    const [baseMode = '', headMode = '', baseOid = '', , status = ''] = meta.slice(1).split(' ');
    const from = parts[++i] ?? '';
    const to = status.startsWith('R') || status.startsWith('C') ? (parts[++i] ?? '') : from;
    entries.push({ baseMode, headMode, baseOid, status: status[0] ?? 'M', from, to });
  }
  return entries;
}

/**
 * The change as the scan names files (relative to the scan root; a side outside it is absent). A submodule whose
 * commit changed stands for every file the head lists under it, none of them with a base side.
 */
export function toScanChanges(
  entries: readonly DiffEntry[],
  prefix: string,
  headPaths: readonly string[],
): PathChange[] {
  const local = (p: string): string | undefined =>
    p.startsWith(prefix) && p.length > prefix.length ? p.slice(prefix.length) : undefined;
  const out: PathChange[] = [];
  for (const e of entries) {
    const hasBase = e.status !== 'A';
    const hasHead = e.status !== 'D';
    if (hasHead && e.headMode === GITLINK) {
      const under = local(e.to);
      if (under !== undefined) for (const p of headPaths) if (p.startsWith(`${under}/`)) out.push({ path: p });
    }
    const previous = hasBase && e.baseMode !== GITLINK ? local(e.from) : undefined;
    const path = hasHead && e.headMode !== GITLINK ? local(e.to) : undefined;
    if (previous !== undefined || path !== undefined)
      out.push({ ...(path !== undefined ? { path } : {}), ...(previous !== undefined ? { previous } : {}) });
  }
  return out;
}

/** The base text of every changed regular file (by scan-relative base path), read as objects in two `cat-file` runs. */
async function readBaseBlobs(
  entries: readonly DiffEntry[],
  prefix: string,
  maxFileBytes: number,
  opts: GitOptions,
): Promise<Map<string, Buffer | Unread>> {
  const wanted = new Map<string, string[]>(); // oid → base paths
  for (const e of entries) {
    if (e.status === 'A' || e.baseMode === GITLINK || e.baseMode === SYMLINK || !e.from.startsWith(prefix)) continue;
    if (!/^[0-9a-f]{40,64}$/.test(e.baseOid)) continue;
    const list = wanted.get(e.baseOid);
    if (list) list.push(e.from.slice(prefix.length));
    else wanted.set(e.baseOid, [e.from.slice(prefix.length)]);
  }
  const out = new Map<string, Buffer | Unread>();
  const blobs = await readBlobs([...wanted.keys()], opts, {
    maxEach: maxFileBytes,
    maxTotal: MAX_BASE_BYTES,
    tooMuch: () => new Error(`the changed files hold more than ${MAX_BASE_BYTES / 1024 / 1024} MiB at the base`),
  });
  for (const [oid, blob] of blobs) {
    const read: Buffer | Unread = Buffer.isBuffer(blob) ? blob : { skip: sizeReason(maxFileBytes), cause: 'size' };
    for (const p of wanted.get(oid) ?? []) out.set(p, read);
  }
  return out;
}
