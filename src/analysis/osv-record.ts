import type { Advisory, RangeEvent } from './advisories.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const oneLine = (s: string, max: number): string => s.replace(/\s+/g, ' ').trim().slice(0, max);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/**
 * An OSV vulnerability record (https://ossf.github.io/osv-schema/) → the subset the rules read; undefined when
 * withdrawn or unusable. The record comes from the network: every field is checked for its type, texts are cut to
 * one line of bounded length, and only https reference URLs are kept.
 */
export function toAdvisory(v: unknown): Advisory | undefined {
  if (!isObject(v) || typeof v['id'] !== 'string' || !v['id'] || v['withdrawn'] !== undefined || !Array.isArray(v['affected'])) return undefined;
  const id = v['id'].slice(0, 100);
  const affected: Advisory['affected'] = [];
  for (const a of v['affected']) {
    if (!isObject(a) || !isObject(a['package'])) continue;
    const { ecosystem, name } = a['package'];
    if (typeof ecosystem !== 'string' || typeof name !== 'string' || !ecosystem || !name) continue;
    const ranges: NonNullable<Advisory['affected'][number]['ranges']> = [];
    for (const r of Array.isArray(a['ranges']) ? a['ranges'] : []) {
      if (!isObject(r) || typeof r['type'] !== 'string' || !Array.isArray(r['events'])) continue;
      const events = r['events'].filter(isObject).map((e) => {
        const out: RangeEvent = {};
        for (const k of EVENT_KEYS) if (typeof e[k] === 'string') out[k] = e[k];
        return out;
      });
      ranges.push({ type: r['type'], events });
    }
    const versions = strings(a['versions']);
    if (versions.length === 0 && ranges.length === 0) continue;
    affected.push({ package: { ecosystem, name }, ...(versions.length ? { versions } : {}), ...(ranges.length ? { ranges } : {}) });
  }
  if (affected.length === 0) return undefined;
  const references = (Array.isArray(v['references']) ? v['references'] : [])
    .filter(isObject)
    .filter((r) => typeof r['type'] === 'string' && typeof r['url'] === 'string' && /^https:\/\//.test(r['url']))
    .map((r) => ({ type: r['type'] as string, url: r['url'] as string }));
  const details = typeof v['details'] === 'string' ? v['details'] : '';
  const summary =
    typeof v['summary'] === 'string' && v['summary'].trim()
      ? v['summary']
      : id.startsWith('MAL-')
        ? `Malicious package ${affected[0]!.package.name} (${id})`
        : details.split(/\n\s*\n/)[0]!.trim() || id;
  const aliases = strings(v['aliases']).filter((x) => x.length <= 100);
  const severity = (Array.isArray(v['severity']) ? v['severity'] : [])
    .filter(isObject)
    .filter((s) => typeof s['type'] === 'string' && typeof s['score'] === 'string')
    .map((s) => ({ type: s['type'] as string, score: (s['score'] as string).slice(0, 200) }));
  const rating = isObject(v['database_specific']) && typeof v['database_specific']['severity'] === 'string' ? v['database_specific']['severity'] : undefined;
  return {
    id,
    // The rules show the summary's lead before the first colon as the incident name.
    summary: oneLine(summary, 300),
    ...(aliases.length ? { aliases } : {}),
    ...(typeof v['modified'] === 'string' ? { modified: v['modified'] } : {}),
    ...(severity.length ? { severity } : {}),
    ...(rating ? { database_specific: { severity: rating } } : {}),
    affected,
    references: [
      ...references.filter((r) => r.type === 'ADVISORY'),
      { type: 'ADVISORY', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` },
      ...references.filter((r) => r.type !== 'ADVISORY'),
    ],
  };
}
