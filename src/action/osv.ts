import type { Advisory } from '../analysis/advisories.js';
import { toAdvisory } from '../analysis/osv-record.js';
import { pinnedPackages, type PackageDoc } from '../analysis/packages.js';
import { hitKey, type VulnerabilityData } from '../analysis/vulnerabilities.js';
import { ruleEnabled } from '../core/config.js';
import { contextClassifier } from '../core/context.js';
import type { Notice, Rule } from '../core/types.js';
import { BUNDLED_ADVISORIES } from '../data/advisories.generated.js';
import { VULNERABILITY_RULE, scanDirectory, type ScanOptions, type ScanResult } from '../scan.js';
import { OsvClient, OsvError, reason } from './osv-client.js';

export { toAdvisory };

/**
 * `advisories: online`: the package versions the repository pins are looked up in the OSV database
 * (https://google.github.io/osv.dev/api/) before the scan, once for both rules that read them: the
 * malicious-package advisories found (OSV `MAL-` entries, and fresher copies of the bundled ones) are
 * added to the bundled dataset for `compromised-dependency`, the other records go to `vulnerable-dependency`.
 * Bounded: one time budget for every request, a request cap, retries only on 429/5xx; any failure means
 * the bundled data alone, with one notice saying why. The gate never fails because the service is down.
 */
export const DEFAULT_OSV_API_URL = 'https://api.osv.dev';

export interface OsvOptions {
  /** Base URL of the OSV API (the action passes `OSV_API_URL` when set). */
  apiUrl?: string;
  /** Time for all requests together, in ms (default 15 000). */
  budgetMs?: number;
  /** At most this many HTTP requests (default 1000); a lookup that would need more falls back to the bundled data. */
  maxRequests?: number;
  /** Further tries of a request answered 429/5xx or dropped (default 2), after `backoffMs` (default 500) doubled each time. */
  retries?: number;
  backoffMs?: number;
  /** Fetch the vulnerability records `vulnerable-dependency` reads, not only malware (default true). */
  vulnerabilities?: boolean;
  /** Queries per `querybatch` request (default and OSV's maximum: 1000). */
  batchSize?: number;
  /** Progress lines (the action passes core.info). */
  log?: (message: string) => void;
}

/** The lookup's options from the environment: `OSV_API_URL` when set (a mirror, or a test's loopback stand-in). */
export function osvOptionsFromEnv(log?: (message: string) => void): OsvOptions {
  const apiUrl = process.env['OSV_API_URL'];
  return { ...(apiUrl ? { apiUrl } : {}), ...(log ? { log } : {}) };
}

export interface PackageQuery {
  /** OSV ecosystem name (`npm`, `PyPI`, …). */
  ecosystem: string;
  name: string;
  version: string;
  /** The files (relative to the scanned root) that pin it. */
  paths?: string[];
}

const MAX_BATCH = 1000;
const DETAIL_CONCURRENCY = 4;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
        const known = seen.get(key);
        if (!known) seen.set(key, { ecosystem: p.ecosystem, name: p.name, version: p.version, paths: [ctx.path] });
        else if (!known.paths!.includes(ctx.path)) known.paths!.push(ctx.path);
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

export interface OnlineAdvisories {
  /** Advisories to add to the bundled ones ([] on failure). */
  advisories: Advisory[];
  /** The records for `vulnerable-dependency` (`MAL-` and withdrawn ones left out), with OSV's matches; absent on failure. */
  vulnerabilities?: Omit<VulnerabilityData, 'paths'>;
  /** Set when the online data could not be used: why, and that the bundled data was. */
  notice?: Notice;
  requests: number;
  queried: number;
}

/** Looks the packages up in OSV: one querybatch pass, then each record needed fetched once (4 at a time). Never throws. */
export async function fetchOsvAdvisories(packages: readonly PackageQuery[], options: OsvOptions = {}): Promise<OnlineAdvisories> {
  const base = (options.apiUrl || DEFAULT_OSV_API_URL).replace(/\/+$/, '');
  const budgetMs = options.budgetMs ?? 15_000;
  const maxRequests = options.maxRequests ?? 1000;
  const batchSize = Math.max(1, Math.min(MAX_BATCH, options.batchSize ?? MAX_BATCH));
  const wantVulns = options.vulnerabilities !== false;
  const client = new OsvClient({ base, budgetMs, maxRequests, retries: options.retries ?? 2, backoffMs: options.backoffMs ?? 500 });
  try {
    const batches = Math.ceil(packages.length / batchSize);
    if (batches > maxRequests) throw new OsvError(`${packages.length} package versions need ${batches} requests, more than the limit of ${maxRequests}`);
    const bundled = bundledById();
    const ids = new Set<string>();
    const hits: Record<string, string[]> = {};
    // A query whose answer is cut (OSV pages past 1,000 records for one version) is asked again with its
    // `next_page_token`, in the next pass, until none is left; the client's request cap and time budget bound it.
    let pending: { p: PackageQuery; token?: string }[] = packages.map((p) => ({ p }));
    while (pending.length > 0) {
      const next: { p: PackageQuery; token: string }[] = [];
      for (let i = 0; i < pending.length; i += batchSize) {
        const chunk = pending.slice(i, i + batchSize);
        const queries = chunk.map(({ p, token }) => ({ package: { ecosystem: p.ecosystem, name: p.name }, version: p.version, ...(token ? { page_token: token } : {}) }));
        const answer = await client.call('/v1/querybatch', { queries });
        const results = isObject(answer) ? answer['results'] : undefined;
        if (!Array.isArray(results) || results.length !== chunk.length) throw new OsvError('querybatch answered in an unexpected shape');
        results.forEach((r, j) => {
          const vulns = isObject(r) ? (r['vulns'] ?? []) : undefined;
          if (!Array.isArray(vulns)) throw new OsvError('querybatch answered in an unexpected shape');
          const p = chunk[j]!.p;
          for (const v of vulns) {
            const id = isObject(v) && typeof v['id'] === 'string' && v['id'] && v['id'].length <= 100 ? v['id'] : undefined;
            if (!id) continue;
            const malware = id.startsWith('MAL-') || bundled.has(id);
            if (malware || wantVulns) ids.add(id);
            if (!id.startsWith('MAL-')) (hits[hitKey(p.ecosystem, p.name, p.version)] ??= []).push(id);
          }
          const token = isObject(r) ? r['next_page_token'] : undefined;
          if (typeof token === 'string' && token !== '' && token.length <= 1000 && token !== chunk[j]!.token) next.push({ p, token });
        });
      }
      pending = next;
    }
    const wanted = [...ids].sort();
    const found: Advisory[] = [];
    // Each record once; at most 4 requests in flight.
    for (let i = 0; i < wanted.length; i += DETAIL_CONCURRENCY) {
      const answers = await Promise.all(wanted.slice(i, i + DETAIL_CONCURRENCY).map((id) => client.call(`/v1/vulns/${encodeURIComponent(id)}`)));
      for (const a of answers) {
        const advisory = toAdvisory(a);
        if (advisory) found.push(advisory);
      }
    }
    const malware = found.filter((a) => a.id.startsWith('MAL-') || [a.id, ...(a.aliases ?? [])].some((x) => bundled.has(x)));
    const advisories = mergeWithBundled(malware, bundled);
    // Malware (MAL- or a bundled malware advisory's twin) is compromised-dependency's alone: never reported twice.
    const records = found.filter((a) => !malware.includes(a));
    options.log?.(
      `advisories: online: ${packages.length} package version(s) looked up in the OSV database in ${client.requests} request(s); ${advisories.length} malware advisory(ies) added to the bundled data, ${records.length} vulnerability record(s) read.`,
    );
    return { advisories, ...(wantVulns ? { vulnerabilities: { records, hits } } : {}), requests: client.requests, queried: packages.length };
  } catch (err) {
    const why = err instanceof OsvError ? err.message : reason(err);
    const notice: Notice = {
      message:
        `advisories: online: the OSV database could not be used (${why}); the bundled advisory data (${BUNDLED_ADVISORIES.length} advisories) was used instead` +
        (wantVulns ? ', and known vulnerabilities (vulnerable-dependency) were not checked.' : '.'),
    };
    options.log?.(notice.message);
    return { advisories: [], notice, requests: client.requests, queried: packages.length };
  } finally {
    client.close();
  }
}

/**
 * The scan, with online advisories when `online` is given: collect the pinned package versions, look
 * them up, then scan with the advisories and records found. A failed lookup adds its notice first in the result.
 */
export async function scanWithOnlineAdvisories(root: string, options: ScanOptions, online?: OsvOptions): Promise<ScanResult & { options: ScanOptions }> {
  const malware = ruleEnabled('compromised-dependency', options.config);
  const vulns = ruleEnabled(VULNERABILITY_RULE, options.config);
  if (!online || (!malware && !vulns)) return { ...(await scanDirectory(root, options)), options };
  const contextOf = contextClassifier(options.config?.contexts);
  // Only what can block is looked up (and so sent): versions pinned by production files, and by dev files, where
  // compromised-dependency also blocks (a dev container runs on a developer's machine). Test fixtures pin old and
  // odd versions on purpose; they would flood the API and the report.
  const queried = (p: string) => ['production', 'dev'].includes(contextOf(p));
  const packages = (await collectPackages(root, options)).filter((p) => (p.paths ?? []).some(queried));
  const fetched: OnlineAdvisories = packages.length > 0 ? await fetchOsvAdvisories(packages, { ...online, vulnerabilities: vulns }) : { advisories: [], requests: 0, queried: 0 };
  // vulnerable-dependency reports on production files only (core/context.ts).
  const paths = [...new Set(packages.flatMap((p) => p.paths ?? []))].filter((p) => contextOf(p) === 'production').sort();
  // `options` of the result: what the scan ran with, so that the base revision is checked the same way (gate: new).
  const used: ScanOptions = {
    ...options,
    ...(malware && fetched.advisories.length > 0 ? { advisories: fetched.advisories } : {}),
    ...(vulns && fetched.vulnerabilities ? { vulnerabilities: { ...fetched.vulnerabilities, paths } } : {}),
  };
  const result = await scanDirectory(root, used);
  if (fetched.notice) result.notices.unshift(fetched.notice);
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

