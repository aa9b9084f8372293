import { severityRank, type AdvisoryRef } from '../core/types.js';
import { highest, type Vulnerability } from './vulnerabilities.js';
import { versionOrder } from './versions/index.js';

const DETAILED = 3;
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);
const label = (v: Vulnerability): string => (v.ids.length > 1 ? `${v.ids[0]} (${v.ids.slice(1, 4).join(', ')}${v.ids.length > 4 ? ', …' : ''})` : v.ids[0]!);

/** Most severe first, then by id: the order of the message, the SARIF tags and the config's advisory list. */
export function sortVulnerabilities(list: readonly Vulnerability[]): Vulnerability[] {
  return [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.ids[0]! < b.ids[0]! ? -1 : 1));
}

export const advisoryRefs = (list: readonly Vulnerability[]): AdvisoryRef[] => list.map((v) => ({ ids: v.ids, severity: v.severity, url: v.url }));

/** The version that clears every listed vulnerability with a fix: the highest of their lowest fixes. */
function targetVersion(ecosystem: string, list: readonly Vulnerability[]): string | undefined {
  const order = versionOrder(ecosystem, 'ECOSYSTEM');
  return list
    .map((v) => v.fixed)
    .filter((f): f is string => f !== undefined)
    .reduce<string | undefined>((a, b) => (a === undefined || (order?.(b, a) ?? 0) > 0 ? b : a), undefined);
}

/**
 * `<subject> has N known vulnerabilities: <ids> (<severity>): <summary>; …. Fixed in X: <command>.` The summaries are
 * the advisories' own one-liners (data from the network, shown as text); at most three in full, the rest by id.
 */
export function vulnerabilityMessage(subject: string, ecosystem: string, list: readonly Vulnerability[], fix: (version: string) => string): string {
  const sorted = sortVulnerabilities(list);
  const n = sorted.length;
  const shown = sorted.slice(0, DETAILED).map((v) => `${label(v)}, ${v.severity}: ${clip(v.summary, 110)}`);
  const more = n > DETAILED ? `; and ${n - DETAILED} more (${sorted.slice(DETAILED, DETAILED + 5).map((v) => v.ids[0]).join(', ')}${n > DETAILED + 5 ? ', …' : ''})` : '';
  const head = `${subject} has ${n === 1 ? 'a known vulnerability' : `${n} known vulnerabilities (highest: ${highest(sorted.map((v) => v.severity))})`}: ${shown.join('; ')}${more}.`;
  const target = targetVersion(ecosystem, sorted);
  const unfixed = sorted.filter((v) => v.fixed === undefined).map((v) => v.ids[0]!);
  const accept = 'accept it with a config `ignore` entry (a reason and an `until:` date) if the vulnerable code is not reachable, or replace the package';
  if (target === undefined) return `${head} No fixed version yet: ${accept}.`;
  const fixed = `Fixed in ${target}${sorted.some((v) => v.fixed !== undefined && v.fixed !== target) ? ' (the highest fix among them)' : ''}: ${fix(target)}.`;
  return unfixed.length === 0 ? `${head} ${fixed}` : `${head} ${fixed} No fixed version yet for ${unfixed.join(', ')}: ${accept}.`;
}
