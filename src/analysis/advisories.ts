import { BUNDLED_ADVISORIES } from '../data/advisories.generated.js';
import { versionOrder, type VersionCompare } from './versions/index.js';

/** One event of an OSV range: each names the version where the range opens or closes. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** The subset of the OSV schema the rules read (https://ossf.github.io/osv-schema/). */
export interface Advisory {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  /** RFC 3339 time of the record's last change (the cache key of a fetched record). */
  modified?: string;
  /** `CVSS_V3` / `CVSS_V4` vectors (OSV `severity[]`). */
  severity?: { type: string; score: string }[];
  /** GitHub's rating (`CRITICAL`, `HIGH`, `MODERATE`, `LOW`), when the record has one. */
  database_specific?: { severity?: string };
  affected: {
    package: { ecosystem: string; name: string };
    versions?: string[];
    ranges?: { type: string; events: RangeEvent[] }[];
  }[];
  references?: { type: string; url: string }[];
}

type Affected = Advisory['affected'][number];
export type AdvisoryIndex = Map<string, Map<string, { advisory: Advisory; affected: Affected }[]>>;

const keyOf = (ecosystem: string, name: string): [string, string] => {
  const eco = ecosystem.toLowerCase();
  const n = name.toLowerCase();
  return [eco, eco === 'pypi' ? n.replace(/[-_.]+/g, '-') : n];
};

/** ecosystem → package name → the advisories that name it; built once per advisory list. */
export function buildAdvisoryIndex(advisories: readonly Advisory[]): AdvisoryIndex {
  const index: AdvisoryIndex = new Map();
  for (const advisory of advisories) {
    for (const affected of advisory.affected ?? []) {
      if (!affected.package?.name || !affected.package.ecosystem) continue;
      const [eco, name] = keyOf(affected.package.ecosystem, affected.package.name);
      let byName = index.get(eco);
      if (!byName) index.set(eco, (byName = new Map()));
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push({ advisory, affected });
    }
  }
  return index;
}

let bundled: AdvisoryIndex | undefined;
const extraCache = new WeakMap<readonly Advisory[], AdvisoryIndex>();

/** The bundled dataset, plus advisories fetched online when the scan was given some (an online advisory replaces the bundled one with its id). */
export function advisoryIndex(extra?: readonly Advisory[]): AdvisoryIndex {
  if (!extra || extra.length === 0) return (bundled ??= buildAdvisoryIndex(BUNDLED_ADVISORIES));
  let found = extraCache.get(extra);
  if (!found) {
    const replaced = new Set(extra.map((a) => a.id));
    extraCache.set(extra, (found = buildAdvisoryIndex([...BUNDLED_ADVISORIES.filter((a) => !replaced.has(a.id)), ...extra])));
  }
  return found;
}

/** Numeric-aware version order (semver-like: a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [main, pre] = v.replace(/^v/i, '').split(/-(.*)/s);
    return { parts: (main ?? '').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const p = x.parts[i] ?? 0;
    const q = y.parts[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** Where a version stands under one `affected[]` entry: inside a range or listed (with the lowest fix above it), outside, or unknown. */
export type Standing = { affected: true; fixed?: string } | { affected: false } | undefined;

/**
 * OSV's evaluation (https://ossf.github.io/osv-schema/#evaluation): a range's events sorted by their version, then
 * `introduced` opens, `fixed` closes at, `last_affected` closes after; a version at or past every `limit` is outside.
 * Versions are ordered by the ecosystem's rules (analysis/versions); an ecosystem without them (GitHub Actions tags in
 * the bundled data) by a numeric-aware order. Undefined when the order cannot read a version of the range.
 */
export function standing(affected: Affected, version: string): Standing {
  const listed = affected.versions?.some((v) => v === version || v.toLowerCase() === version.toLowerCase()) === true;
  let unknown = false;
  let fixed: string | undefined;
  let inside = listed;
  for (const range of affected.ranges ?? []) {
    const got = inRange(affected.package.ecosystem, range.type, range.events, version);
    if (got === undefined) unknown ||= range.type === 'SEMVER' || range.type === 'ECOSYSTEM';
    else if (got.inside) {
      inside = true;
      if (got.fixed !== undefined && (fixed === undefined || orderOf(affected.package.ecosystem, range.type)!(got.fixed, fixed)! < 0)) fixed = got.fixed;
    }
  }
  if (inside) return fixed !== undefined ? { affected: true, fixed } : { affected: true };
  return unknown ? undefined : { affected: false };
}

const legacy = (a: string, b: string): number | undefined => (/^v?\d/.test(a) && /^v?\d/.test(b) ? Math.sign(compareVersions(a, b)) : undefined);
const orderOf = (ecosystem: string, type: string): VersionCompare | undefined =>
  type === 'SEMVER' || type === 'ECOSYSTEM' ? (versionOrder(ecosystem, type) ?? legacy) : undefined;

function inRange(ecosystem: string, type: string, events: readonly RangeEvent[], version: string): { inside: boolean; fixed?: string } | undefined {
  const order = orderOf(ecosystem, type);
  if (!order || order(version, version) === undefined) return undefined;
  const at = (e: RangeEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
  let unreadable = false;
  const cmp = (a: string, b: string): number => {
    const c = order(a, b);
    if (c === undefined) unreadable = true;
    return c ?? 0;
  };
  const sorted = events
    .filter((e) => at(e) !== '')
    .sort((x, y) => (x.introduced === '0' ? (y.introduced === '0' ? 0 : -1) : y.introduced === '0' ? 1 : cmp(at(x), at(y))));
  let inside = false;
  let fixed: string | undefined;
  const limits: string[] = [];
  for (const e of sorted) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || cmp(version, e.introduced) >= 0) inside = true;
    } else if (e.fixed !== undefined) {
      if (cmp(version, e.fixed) >= 0) inside = false;
      else if (inside && fixed === undefined) fixed = e.fixed;
    } else if (e.last_affected !== undefined) {
      if (cmp(version, e.last_affected) > 0) inside = false;
    } else if (e.limit !== undefined) limits.push(e.limit);
  }
  if (inside && limits.length > 0 && !limits.some((l) => l === '*' || cmp(version, l) < 0)) inside = false;
  if (unreadable) return undefined;
  return inside ? { inside, ...(fixed !== undefined ? { fixed } : {}) } : { inside };
}

/** True when some advisory names the package (any version): a cheap test before `advisoriesFor`. */
export function hasAdvisories(index: AdvisoryIndex, ecosystem: string, name: string): boolean {
  const byName = index.get(ecosystem.toLowerCase());
  return byName !== undefined && byName.has(keyOf(ecosystem, name)[1]);
}

/** The advisories under which `name@version` is affected: listed versions exactly, or inside a SEMVER/ECOSYSTEM range. */
export function advisoriesFor(index: AdvisoryIndex, ecosystem: string, name: string, version: string): Advisory[] {
  const [eco, n] = keyOf(ecosystem, name);
  const out: Advisory[] = [];
  for (const { advisory, affected } of index.get(eco)?.get(n) ?? []) {
    if (standing(affected, version)?.affected && !out.includes(advisory)) out.push(advisory);
  }
  return out;
}

/** The advisory id to show: its GHSA alias for a MAL- entry (what npm audit and GitHub show), with the MAL id beside it. */
export function advisoryLabel(a: Advisory): string {
  const ghsa = a.aliases?.find((x) => x.startsWith('GHSA-'));
  return a.id.startsWith('MAL-') && ghsa ? `${ghsa} / ${a.id}` : a.id;
}

export function advisoryUrl(a: Advisory): string {
  return (a.references ?? []).find((r) => r.type === 'ADVISORY')?.url ?? a.references?.[0]?.url ?? `https://osv.dev/vulnerability/${a.id}`;
}

/** The incident name, from the summary's lead (`chalk/debug hijack (September 2025): …`). */
export function incidentOf(a: Advisory): string {
  return (a.summary ?? a.id).split(':')[0]!.trim();
}
