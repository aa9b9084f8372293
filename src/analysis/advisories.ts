import { BUNDLED_ADVISORIES } from '../data/advisories.generated.js';

/** The subset of the OSV schema the rules read (https://ossf.github.io/osv-schema/). */
export interface Advisory {
  id: string;
  summary?: string;
  aliases?: string[];
  affected: {
    package: { ecosystem: string; name: string };
    versions?: string[];
    ranges?: { type: string; events: { introduced?: string; fixed?: string; last_affected?: string }[] }[];
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

function inRanges(affected: Affected, version: string): boolean {
  if (!/^v?\d/.test(version)) return false;
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    let inside = false;
    for (const e of range.events) {
      if (e.introduced !== undefined && (e.introduced === '0' || compareVersions(version, e.introduced) >= 0)) inside = true;
      if (e.fixed !== undefined && compareVersions(version, e.fixed) >= 0) inside = false;
      if (e.last_affected !== undefined && compareVersions(version, e.last_affected) > 0) inside = false;
    }
    if (inside) return true;
  }
  return false;
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
    const listed = affected.versions?.some((v) => v === version || v.toLowerCase() === version.toLowerCase());
    if ((listed || inRanges(affected, version)) && !out.includes(advisory)) out.push(advisory);
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
