import { buildAdvisoryIndex, standing, type Advisory, type AdvisoryIndex } from './advisories.js';
import { cvssBaseScore, scoreSeverity } from './cvss.js';
import { versionOrder } from './versions/index.js';
import { severityRank, type Severity } from '../core/types.js';

/**
 * What the OSV lookup gives `vulnerable-dependency` (see action/osv.ts): plain data, so that it crosses to the
 * worker threads and serves the base revision's scan unchanged.
 */
export interface VulnerabilityData {
  /** Fetched records, `MAL-` and withdrawn ones left out. */
  records: readonly Advisory[];
  /** `ecosystem \0 name \0 version` → the ids OSV matched to that exact version (its own comparison, authoritative where ours cannot read a version). */
  hits: Readonly<Record<string, readonly string[]>>;
  /** The files (relative to the scanned root) whose pinned versions were looked up: the rule reports only there. */
  paths: readonly string[];
}

export const hitKey = (ecosystem: string, name: string, version: string): string => `${ecosystem}\0${name}\0${version}`;

/** One vulnerability as the finding lists it: records that alias each other (a RustSec or Go record and its GHSA twin) are one. */
export interface Vulnerability {
  /** GHSA id first (when any), then the CVE aliases, then the other ids. */
  ids: string[];
  severity: Severity;
  summary: string;
  url: string;
  /** The lowest fixed version above the pinned one, in the range that holds it; undefined: no fixed version yet. */
  fixed?: string;
}

/** GitHub's rating first (`MODERATE` is medium), then the highest CVSS v3/v4 base score, else medium. */
export function advisorySeverity(a: Advisory): Severity {
  const rating = a.database_specific?.severity?.toUpperCase();
  const rated: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };
  if (rating && rated[rating]) return rated[rating];
  const scores = (a.severity ?? []).filter((s) => s.type === 'CVSS_V3' || s.type === 'CVSS_V4').map((s) => cvssBaseScore(s.score));
  const best = Math.max(-1, ...scores.filter((s): s is number => s !== undefined));
  return best >= 0 ? scoreSeverity(best) : 'medium';
}

export const highest = (list: readonly Severity[]): Severity => list.reduce<Severity>((a, b) => (severityRank(b) < severityRank(a) ? b : a), 'info');

const indexes = new WeakMap<readonly Advisory[], AdvisoryIndex>();

/**
 * The vulnerabilities of `name@version`: records whose ranges (evaluated with the ecosystem's version rules) or
 * version lists hold it, and records OSV matched to it when our order cannot read the version; grouped by alias.
 */
export function vulnerabilitiesOf(data: VulnerabilityData, ecosystem: string, name: string, version: string): Vulnerability[] {
  let index = indexes.get(data.records);
  if (!index) indexes.set(data.records, (index = buildAdvisoryIndex(data.records)));
  const eco = ecosystem.toLowerCase();
  const key = eco === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
  const matched = new Map<Advisory, string | undefined>();
  const osvSaid = new Set(data.hits[hitKey(ecosystem, name, version)] ?? []);
  for (const { advisory, affected } of index.get(eco)?.get(key) ?? []) {
    if (advisory.id.startsWith('MAL-')) continue;
    const s = standing(affected, version);
    if (s?.affected || (s === undefined && osvSaid.has(advisory.id))) {
      const fix = s?.affected ? s.fixed : undefined;
      const prior = matched.get(advisory);
      matched.set(advisory, lowest(ecosystem, prior, fix));
    }
  }
  return group(ecosystem, [...matched]);
}

function lowest(ecosystem: string, a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const order = versionOrder(ecosystem, 'ECOSYSTEM');
  return order && (order(b, a) ?? 0) < 0 ? b : a;
}

function group(ecosystem: string, matched: readonly [Advisory, string | undefined][]): Vulnerability[] {
  // Union of records that share an id or alias (a record's aliases are not always symmetric).
  const owner = new Map<string, number>();
  const groups: { records: Advisory[]; fixes: (string | undefined)[] }[] = [];
  for (const [a, fix] of matched) {
    const names = [a.id, ...(a.aliases ?? [])];
    const hit = [...new Set(names.map((n) => owner.get(n)).filter((g): g is number => g !== undefined))];
    let target: number;
    if (hit.length === 0) {
      groups.push({ records: [], fixes: [] });
      target = groups.length - 1;
    } else {
      target = hit[0]!;
      for (const other of hit.slice(1)) {
        groups[target]!.records.push(...groups[other]!.records);
        groups[target]!.fixes.push(...groups[other]!.fixes);
        groups[other] = { records: [], fixes: [] };
        for (const [n, g] of owner) if (g === other) owner.set(n, target);
      }
    }
    groups[target]!.records.push(a);
    groups[target]!.fixes.push(fix);
    for (const n of names) owner.set(n, target);
  }
  return groups.filter((g) => g.records.length > 0).map((g) => describe(ecosystem, g.records, g.fixes));
}

function describe(ecosystem: string, records: readonly Advisory[], fixes: readonly (string | undefined)[]): Vulnerability {
  const all = [...new Set(records.flatMap((r) => [r.id, ...(r.aliases ?? [])]))];
  const ghsa = all.filter((x) => x.startsWith('GHSA-')).sort();
  const cve = all.filter((x) => x.startsWith('CVE-')).sort();
  const own = records.map((r) => r.id).filter((x) => !x.startsWith('GHSA-') && !x.startsWith('CVE-')).sort();
  const ids = [...ghsa, ...cve, ...own];
  const lead = records.find((r) => r.id.startsWith('GHSA-')) ?? records[0]!;
  const fixed = fixes.reduce<string | undefined>((a, b) => (a === undefined ? b : b === undefined ? a : maxOf(ecosystem, a, b)), undefined);
  return {
    ids,
    severity: highest(records.map(advisorySeverity)),
    summary: lead.summary ?? lead.id,
    url: `https://osv.dev/vulnerability/${encodeURIComponent(lead.id)}`,
    // Twins disagreeing on the fix (or one without ranges): the later fix clears both.
    ...(fixed !== undefined ? { fixed } : {}),
  };
}

function maxOf(ecosystem: string, a: string, b: string): string {
  const order = versionOrder(ecosystem, 'ECOSYSTEM');
  return order && (order(b, a) ?? 0) > 0 ? b : a;
}
