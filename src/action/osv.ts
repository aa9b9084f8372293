import type { Advisory } from '../analysis/advisories.js';
import { pinnedPackages, type PackageDoc } from '../analysis/packages.js';
import { ruleEnabled } from '../core/config.js';
import type { Notice, Rule } from '../core/types.js';
import { BUNDLED_ADVISORIES } from '../data/advisories.generated.js';
import { scanDirectory, type ScanOptions, type ScanResult } from '../scan.js';

/**
 * `advisories: online`: the package versions the repository pins are looked up in the OSV database
 * (https://google.github.io/osv.dev/api/) before the scan, and the malicious-package advisories found
 * (OSV `MAL-` entries, and fresher copies of the bundled ones) are added to the bundled dataset.
 * Bounded: one time budget for every request, a request cap; any failure means the bundled data
 * alone, with one notice saying why. The gate never fails because the service is down.
 */
export const DEFAULT_OSV_API_URL = 'https://api.osv.dev';

export interface OsvOptions {
  /** Base URL of the OSV API (the action passes `OSV_API_URL` when set). */
  apiUrl?: string;
  /** Time for all requests together, in ms (default 10 000). */
  budgetMs?: number;
  /** At most this many HTTP requests (default 30); a lookup that would need more falls back to the bundled data. */
  maxRequests?: number;
  /** Queries per `querybatch` request (default and OSV's maximum: 1000). */
  batchSize?: number;
  /** Progress lines (the action passes core.info). */
  log?: (message: string) => void;
}

export interface PackageQuery {
  /** OSV ecosystem name (`npm`, `PyPI`, …). */
  ecosystem: string;
  name: string;
  version: string;
}

export interface OnlineAdvisories {
  /** Advisories to add to the bundled ones ([] on failure). */
  advisories: Advisory[];
  /** Set when the online data could not be used: why, and that the bundled data was. */
  notice?: Notice;
  requests: number;
  queried: number;
}

const MAX_BATCH = 1000;
const DETAIL_CONCURRENCY = 4;

class OsvError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The distinct exact package versions the scanned tree pins (lockfiles, exact manifest pins, install commands), read through the scan pipeline. */
export async function collectPackages(root: string, options: ScanOptions = {}): Promise<PackageQuery[]> {
  const seen = new Map<string, PackageQuery>();
  const collector: Rule<PackageDoc> = {
    id: 'osv-package-collector',
    title: 'Package versions for the OSV lookup',
    severity: 'info',
    area: 'supply-chain',
    summary: '',
    rationale: '',
    fix: '',
    references: [],
    examples: { bad: [], good: [] },
    reads: ['lockfile', 'manifest', 'dockerfile', 'workflow'],
    check(doc, ctx) {
      for (const p of pinnedPackages(doc, (path) => ctx.project.read(path))) {
        const key = `${p.ecosystem}\0${p.name}\0${p.version}`;
        if (!seen.has(key)) seen.set(key, { ecosystem: p.ecosystem, name: p.name, version: p.version });
      }
    },
  };
  await scanDirectory(root, {
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.config ? { config: options.config } : {}),
    rules: [collector as Rule],
  });
  return [...seen.values()];
}

/** Looks the packages up in OSV; keeps `MAL-` advisories and those the bundled dataset has (merged with it). Never throws. */
export async function fetchOsvAdvisories(packages: readonly PackageQuery[], options: OsvOptions = {}): Promise<OnlineAdvisories> {
  const base = (options.apiUrl || DEFAULT_OSV_API_URL).replace(/\/+$/, '');
  const budgetMs = options.budgetMs ?? 10_000;
  const maxRequests = options.maxRequests ?? 30;
  const batchSize = Math.max(1, Math.min(MAX_BATCH, options.batchSize ?? MAX_BATCH));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  let requests = 0;
  const call = async (path: string, body?: unknown): Promise<unknown> => {
    if (requests >= maxRequests) throw new OsvError(`more than ${maxRequests} requests would be needed`);
    requests++;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: controller.signal,
      });
    } catch (err) {
      throw new OsvError(controller.signal.aborted ? `no answer within ${budgetMs / 1000} s` : `the request failed: ${reason(err)}`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new OsvError(`${path.startsWith('/v1/querybatch') ? 'querybatch' : 'a vulnerability lookup'} answered HTTP ${res.status}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new OsvError(controller.signal.aborted ? `no complete answer within ${budgetMs / 1000} s` : `the answer could not be read: ${reason(err)}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new OsvError('the answer is not valid JSON');
    }
  };
  try {
    const batches = Math.ceil(packages.length / batchSize);
    if (batches > maxRequests) throw new OsvError(`${packages.length} package versions need ${batches} requests, more than the limit of ${maxRequests}`);
    const bundled = bundledById();
    const ids = new Set<string>();
    for (let i = 0; i < packages.length; i += batchSize) {
      const chunk = packages.slice(i, i + batchSize);
      const answer = await call('/v1/querybatch', { queries: chunk.map((p) => ({ package: { ecosystem: p.ecosystem, name: p.name }, version: p.version })) });
      const results = isObject(answer) ? answer['results'] : undefined;
      if (!Array.isArray(results) || results.length !== chunk.length) throw new OsvError('querybatch answered in an unexpected shape');
      for (const r of results) {
        const vulns = isObject(r) ? (r['vulns'] ?? []) : undefined;
        if (!Array.isArray(vulns)) throw new OsvError('querybatch answered in an unexpected shape');
        for (const v of vulns) {
          const id = isObject(v) && typeof v['id'] === 'string' ? v['id'] : undefined;
          if (id && (id.startsWith('MAL-') || bundled.has(id))) ids.add(id);
        }
      }
    }
    const wanted = [...ids].sort();
    const found: Advisory[] = [];
    for (let i = 0; i < wanted.length; i += DETAIL_CONCURRENCY) {
      const answers = await Promise.all(wanted.slice(i, i + DETAIL_CONCURRENCY).map((id) => call(`/v1/vulns/${encodeURIComponent(id)}`)));
      for (const a of answers) {
        const advisory = toAdvisory(a);
        if (advisory) found.push(advisory);
      }
    }
    const advisories = mergeWithBundled(found, bundled);
    options.log?.(`advisories: online: ${packages.length} package version(s) looked up in the OSV database in ${requests} request(s); ${advisories.length} advisory(ies) added to the bundled data.`);
    return { advisories, requests, queried: packages.length };
  } catch (err) {
    const why = err instanceof OsvError ? err.message : reason(err);
    const notice: Notice = {
      message: `advisories: online: the OSV database could not be used (${why}); the bundled advisory data (${BUNDLED_ADVISORIES.length} advisories) was used instead.`,
    };
    options.log?.(notice.message);
    return { advisories: [], notice, requests, queried: packages.length };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * The scan, with online advisories when `online` is given: collect the pinned package versions, look
 * them up, then scan with the advisories found. A failed lookup adds its notice first in the result.
 */
export async function scanWithOnlineAdvisories(root: string, options: ScanOptions, online?: OsvOptions): Promise<ScanResult & { options: ScanOptions }> {
  if (!online || !ruleEnabled('compromised-dependency', options.config)) return { ...(await scanDirectory(root, options)), options };
  const packages = await collectPackages(root, options);
  const fetched = packages.length > 0 ? await fetchOsvAdvisories(packages, online) : { advisories: [], requests: 0, queried: 0 };
  // `options` of the result: what the scan ran with, so that the base revision can be checked the same way.
  const used = fetched.advisories.length > 0 ? { ...options, advisories: fetched.advisories } : options;
  const result = await scanDirectory(root, used);
  if ('notice' in fetched && fetched.notice) result.notices.unshift(fetched.notice);
  return { ...result, options: used };
}

function bundledById(): Map<string, Advisory> {
  const byId = new Map<string, Advisory>();
  for (const a of BUNDLED_ADVISORIES) {
    byId.set(a.id, a);
    for (const alias of a.aliases ?? []) if (!byId.has(alias)) byId.set(alias, a);
  }
  return byId;
}

/**
 * An online advisory that is (or aliases) a bundled one becomes a copy of the bundled one (its id, incident
 * summary and references) with the affected packages of both: the index then uses it instead.
 */
function mergeWithBundled(found: readonly Advisory[], bundled: ReadonlyMap<string, Advisory>): Advisory[] {
  const merged = new Map<string, Advisory>();
  for (const a of found) {
    const known = [a.id, ...(a.aliases ?? [])].map((id) => bundled.get(id)).find((b) => b !== undefined);
    if (!known) {
      if (!merged.has(a.id)) merged.set(a.id, a);
      continue;
    }
    const prior = merged.get(known.id) ?? known;
    merged.set(known.id, {
      ...prior,
      aliases: [...new Set([...(prior.aliases ?? []), ...(a.id === known.id ? [] : [a.id]), ...(a.aliases ?? [])].filter((x) => x !== known.id))],
      affected: [...prior.affected, ...a.affected],
    });
  }
  return [...merged.values()];
}

/** An OSV vulnerability record → the subset the rules read; undefined when withdrawn or unusable. */
export function toAdvisory(v: unknown): Advisory | undefined {
  if (!isObject(v) || typeof v['id'] !== 'string' || v['withdrawn'] !== undefined || !Array.isArray(v['affected'])) return undefined;
  const affected: Advisory['affected'] = [];
  for (const a of v['affected']) {
    if (!isObject(a) || !isObject(a['package'])) continue;
    const { ecosystem, name } = a['package'];
    if (typeof ecosystem !== 'string' || typeof name !== 'string' || !ecosystem || !name) continue;
    const ranges: NonNullable<Advisory['affected'][number]['ranges']> = [];
    for (const r of Array.isArray(a['ranges']) ? a['ranges'] : []) {
      if (!isObject(r) || typeof r['type'] !== 'string' || !Array.isArray(r['events'])) continue;
      const events = r['events'].filter(isObject).map((e) => {
        const out: { introduced?: string; fixed?: string; last_affected?: string } = {};
        for (const k of ['introduced', 'fixed', 'last_affected'] as const) if (typeof e[k] === 'string') out[k] = e[k];
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
  const summary = typeof v['summary'] === 'string' && v['summary'].trim() ? v['summary'].trim() : `Malicious package ${affected[0]!.package.name} (${v['id']})`;
  const aliases = strings(v['aliases']);
  return {
    id: v['id'],
    // The rules show the summary's lead before the first colon as the incident name.
    summary: summary.replace(/[\r\n]+/g, ' ').slice(0, 300),
    ...(aliases.length ? { aliases } : {}),
    affected,
    references: [...references.filter((r) => r.type === 'ADVISORY'), { type: 'ADVISORY', url: `https://osv.dev/vulnerability/${encodeURIComponent(v['id'])}` }, ...references.filter((r) => r.type !== 'ADVISORY')],
  };
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${err.message}${detail}`.split('\n')[0]!.slice(0, 200);
}
