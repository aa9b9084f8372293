import { ESTABLISHED_NPM, POPULAR_NPM, POPULAR_PYPI } from '../data/popular.generated.js';

/**
 * Typosquat lookup against the bundled popularity lists (names only, most popular first). Each ecosystem's index is
 * built on first use: the names by normalised form and by length; the buckets a lookup reads (names of one length by a
 * prefix or suffix, see `nearNames`, and names by separator-free form) are built when first read, so that a lookup reads
 * a handful of small buckets and a scan of a few names builds little.
 */
export type PopularEcosystem = 'npm' | 'pypi';

export interface SquatMatch {
  /** The popular package the name imitates, as the list spells it. */
  target: string;
  /** 1-based popularity rank of the target in its ecosystem's list. */
  rank: number;
  kind: 'one edit' | 'transposition' | 'separator' | 'scope' | 'affix';
}

/** One name, or several when they share a key: a string per entry keeps building the index fast. */
type Bucket = Map<string, string | string[]>;

interface Index {
  /** Normalised name → 1-based rank (the first spelling wins). */
  rank: Map<string, number>;
  /** The list as spelled, in rank order. */
  spelled: string[];
  /** The normalised names by length, for `near`. */
  byLength: string[][];
  /** By length ℓ, built on first use: the names of that length by their first and by their last `affixLength(ℓ)` characters. */
  near: ({ prefix: Bucket; suffix: Bucket } | undefined)[];
  /** Names with a separator by their separator-free form (a name without one is its own), built on first use. */
  unseparated?: Bucket;
}

/** Names shorter than this only match by transposition: a one-edit neighbourhood of `ms` or `ws` is mostly real packages. */
export const MIN_EDIT_LENGTH = 5;

const indexes = new Map<PopularEcosystem, Index>();

/** PyPI names compare after PEP 503 normalisation (`-`, `_`, `.` runs are one separator); npm names are lowercase. */
export function normaliseName(ecosystem: PopularEcosystem, name: string): string {
  const lower = name.toLowerCase();
  return ecosystem === 'pypi' ? lower.replace(/[-_.]+/g, '-') : lower;
}

const SEPARATOR = /[-_.]/;
const unseparate = (name: string): string => name.replace(/[-_.]/g, '');

/**
 * Two names at one edit (as `oneEdit` counts it), the longer or equal one of length ℓ, share their first or their last
 * floor((ℓ-1)/2) characters: if the first difference is at i < k, what follows the edit is equal and at least k long.
 */
const affixLength = (length: number): number => (length - 1) >> 1;

function push(map: Bucket, key: string, value: string): void {
  const had = map.get(key);
  if (had === undefined) map.set(key, value);
  else if (typeof had === 'string') {
    if (had !== value) map.set(key, [had, value]);
  } else if (!had.includes(value)) had.push(value);
}

const all = (v: string | string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

function index(ecosystem: PopularEcosystem): Index {
  let found = indexes.get(ecosystem);
  if (found) return found;
  const spelled = (ecosystem === 'npm' ? POPULAR_NPM : POPULAR_PYPI).split('\n');
  const idx: Index = { rank: new Map(), spelled, byLength: [], near: [] };
  for (let i = 0; i < spelled.length; i++) {
    const name = normaliseName(ecosystem, spelled[i]!);
    if (idx.rank.has(name)) continue;
    idx.rank.set(name, i + 1);
    (idx.byLength[name.length] ??= []).push(name);
  }
  indexes.set(ecosystem, (found = idx));
  return found;
}

function nearBuckets(idx: Index, length: number): { prefix: Bucket; suffix: Bucket } {
  let near = idx.near[length];
  if (!near) {
    near = idx.near[length] = { prefix: new Map(), suffix: new Map() };
    const k = affixLength(length);
    for (const name of idx.byLength[length] ?? []) {
      push(near.prefix, name.slice(0, k), name);
      push(near.suffix, name.slice(length - k), name);
    }
  }
  return near;
}

function unseparated(idx: Index): Bucket {
  if (!idx.unseparated) {
    idx.unseparated = new Map();
    for (const name of idx.rank.keys()) if (SEPARATOR.test(name)) push(idx.unseparated, unseparate(name), name);
  }
  return idx.unseparated;
}

/** Popular names that may be one edit from `n` (a superset of those `oneEdit` accepts under the length rule of `typosquatOf`). */
function nearNames(idx: Index, n: string): Set<string> {
  const out = new Set<string>();
  const length = n.length;
  if (length < MIN_EDIT_LENGTH) {
    // Below MIN_EDIT_LENGTH only a transposition counts, and it keeps the length: try each one.
    for (let i = 0; i + 1 < length; i++) {
      if (n[i] === n[i + 1]) continue;
      const t = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
      if (idx.rank.has(t)) out.add(t);
    }
    return out;
  }
  for (let l = Math.max(length - 1, MIN_EDIT_LENGTH); l <= length + 1; l++) {
    const k = affixLength(l);
    const { prefix, suffix } = nearBuckets(idx, l);
    for (const c of all(prefix.get(n.slice(0, k)))) out.add(c);
    for (const c of all(suffix.get(n.slice(length - k)))) out.add(c);
  }
  return out;
}

export function isPopular(ecosystem: PopularEcosystem, name: string): boolean {
  return index(ecosystem).rank.has(normaliseName(ecosystem, name));
}

export function popularRank(ecosystem: PopularEcosystem, name: string): number | undefined {
  return index(ecosystem).rank.get(normaliseName(ecosystem, name));
}

/** Optimal-string-alignment distance, capped: returns 2 for anything beyond one edit. */
function oneEdit(a: string, b: string): 'one edit' | 'transposition' | undefined {
  if (a === b || Math.abs(a.length - b.length) > 1) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return slip(a[i]!, b[i]!) ? 'one edit' : undefined;
    if (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) return 'transposition';
    return undefined;
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i) ? 'one edit' : undefined;
}

const KEYBOARD = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const LOOKALIKE = new Set(['0o', 'o0', '1l', 'l1', '1i', 'i1', 'il', 'li', '5s', 's5', 'vu', 'uv', '-_', '_-', '-.', '.-', '_.', '._']);

/**
 * A substitution counts as a typo only between neighbouring keys or look-alike characters: measured on the dependency
 * lists of popular packages, other substitutions are real, different packages (`eclint`/`eslint`, `test-each`/`jest-each`).
 */
function slip(x: string, y: string): boolean {
  if (LOOKALIKE.has(x + y)) return true;
  const at = (c: string) => KEYBOARD.findIndex((row) => row.includes(c));
  const rx = at(x);
  const ry = at(y);
  if (rx < 0 || ry < 0 || Math.abs(rx - ry) > 1) return false;
  const cx = KEYBOARD[rx]!.indexOf(x);
  const cy = KEYBOARD[ry]!.indexOf(y);
  if (rx === ry) return Math.abs(cx - cy) === 1;
  return cy === cx || cy - cx === (ry > rx ? -1 : 1);
}

/** `.js` is how many npm packages spell their own name (`expect.js`), so the suffix counts only with `-`, `_` or nothing. */
const AFFIX = /^(?:(?:py|python|js|node)[-_.]?(.+)|(.+?)(?:[-_.]?(?:py|python|node)|[-_]?js))$/;

let established: Set<string> | undefined;

/**
 * True for a name near a popular package that had an established public record of its own when the data was bundled: at
 * least 1% of that package's monthly downloads, or 500,000 a month (data/established-npm.tsv). A squat registered later
 * cannot be in the list, and typo traffic alone stays far below it (`loadsh` has 0.01% of `lodash`'s downloads).
 */
export function isEstablished(ecosystem: PopularEcosystem, name: string): boolean {
  if (ecosystem !== 'npm') return false; // no download data beyond the PyPI top list is bundled
  established ??= new Set(ESTABLISHED_NPM.split('\n').map((n) => normaliseName('npm', n)));
  return established.has(normaliseName(ecosystem, name));
}

/**
 * The popular package that `name` imitates, or undefined when `name` is popular itself, an established package of its own
 * (`isEstablished`), or resembles nothing. When several popular names are near, the most popular wins.
 */
export function typosquatOf(ecosystem: PopularEcosystem, name: string): SquatMatch | undefined {
  const m = nearestPopular(ecosystem, name);
  return m && !isEstablished(ecosystem, name) ? m : undefined;
}

/** The most popular package `name` is a slip away from, whatever `name`'s own history (`typosquatOf` without `isEstablished`). */
export function nearestPopular(ecosystem: PopularEcosystem, name: string): SquatMatch | undefined {
  const idx = index(ecosystem);
  const n = normaliseName(ecosystem, name);
  if (idx.rank.has(n) || n.length < 3) return undefined;
  const found: SquatMatch[] = [];
  const consider = (target: string, kind: SquatMatch['kind']) => {
    const rank = idx.rank.get(target);
    if (rank === undefined || target === n) return;
    // A scope belongs to its owner: a scoped name is never a slip of another scope's name (`@npm/types`, `@pnpm/types`),
    // and one under the target's own scope is the same publisher.
    if (n.startsWith('@') && target.startsWith('@')) return;
    found.push({ target: idx.spelled[rank - 1]!, rank, kind });
  };
  // One edit or one transposition.
  for (const c of nearNames(idx, n)) {
    const kind = oneEdit(n, c);
    if (!kind) continue;
    if (Math.min(n.length, c.length) < MIN_EDIT_LENGTH && kind !== 'transposition') continue;
    // A different digit is usually a different package (`vue2`/`vue3`, `md4`/`md5`), not a typo.
    if (/\d/.test(diffChars(n, c))) continue;
    consider(c, kind);
  }
  const joined = unseparate(n);
  consider(joined, 'separator');
  for (const c of all(unseparated(idx).get(joined))) consider(c, 'separator');
  if (ecosystem === 'npm') {
    const scoped = /^@([^/]+)\/(.+)$/.exec(n);
    if (scoped) consider(`${scoped[1]}-${scoped[2]}`, 'scope');
    // Only `types-x` for `@types/x`: other `scope-x` names are mostly the scope's own older, unscoped packages (`babel-cli`, `rollup-plugin-babel`).
    const dashed = /^types-(.+)$/.exec(n);
    if (dashed) consider(`@types/${dashed[1]}`, 'scope');
  }
  const affix = AFFIX.exec(n);
  const bare = affix?.[1] ?? affix?.[2];
  if (bare && bare.length >= 4) consider(bare, 'affix');
  found.sort((a, b) => a.rank - b.rank);
  return found[0];
}

/** The characters in which two names at one edit differ (both sides), to tell `vue2`/`vue3` from `expres`/`express`. */
function diffChars(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  return a.slice(i, a.length - j) + b.slice(i, b.length - j);
}
