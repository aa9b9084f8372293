import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchOsvAdvisories, scanWithOnlineAdvisories } from '../../src/action/osv.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory, type ScanResult } from '../../src/scan.js';
import { startFakeOsv, type FakeOsv } from '../support/fake-osv.js';

// Records in the shape the OSV API serves them (schema 1.6), facts from the public advisories.
const LODASH = {
  schema_version: '1.6.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-02-20T19:47:44Z',
  published: '2021-05-06T16:05:51Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  details: '`lodash` versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      database_specific: { source: 'https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/2021/05/GHSA-35jh-r3h4-6jhm/GHSA-35jh-r3h4-6jhm.json' },
    },
  ],
  references: [
    { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
    { type: 'WEB', url: 'https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c' },
  ],
  database_specific: { cwe_ids: ['CWE-77', 'CWE-94'], severity: 'HIGH', github_reviewed: true, nvd_published_at: '2021-02-15T13:15:00Z' },
};
const JINJA2 = {
  schema_version: '1.6.0',
  id: 'GHSA-h5c8-rqwp-cp95',
  modified: '2024-06-20T00:00:00Z',
  published: '2024-01-11T15:20:48Z',
  aliases: ['CVE-2024-22195'],
  summary: 'Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter',
  details: 'The `xmlattr` filter in affected versions of Jinja accepts keys containing spaces.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }],
  affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2', purl: 'pkg:pypi/jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.3' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-22195' }],
  database_specific: { cwe_ids: ['CWE-79'], severity: 'MODERATE', github_reviewed: true },
};
// A RustSec record and its GitHub twin: one vulnerability.
const TOKIO_RUSTSEC = {
  schema_version: '1.6.0',
  id: 'RUSTSEC-2023-0001',
  modified: '2023-06-13T13:10:24Z',
  published: '2023-01-04T12:00:00Z',
  aliases: ['CVE-2023-22466', 'GHSA-7rrj-xr53-82p7'],
  summary: 'reject_remote_clients Configuration corruption',
  details: 'On Windows, configuring a named pipe server with pipe_mode will force ServerOptions::reject_remote_clients as false.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N' }],
  affected: [
    {
      package: { ecosystem: 'crates.io', name: 'tokio', purl: 'pkg:cargo/tokio' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.7.0' }, { fixed: '1.18.4' }, { introduced: '1.19.0' }, { fixed: '1.20.3' }, { introduced: '1.21.0' }, { fixed: '1.23.1' }] }],
    },
  ],
  references: [{ type: 'PACKAGE', url: 'https://crates.io/crates/tokio' }],
};
const TOKIO_GHSA = {
  ...TOKIO_RUSTSEC,
  id: 'GHSA-7rrj-xr53-82p7',
  aliases: ['CVE-2023-22466'],
  summary: 'Tokio reject_remote_clients configuration may get dropped when creating a Windows named pipe',
  database_specific: { severity: 'LOW', github_reviewed: true },
};
const WITHDRAWN = { ...LODASH, id: 'GHSA-wwww-wwww-wwww', aliases: [], withdrawn: '2024-03-01T00:00:00Z', summary: 'Withdrawn advisory' };
const MAL = {
  schema_version: '1.6.0',
  id: 'MAL-2099-4343',
  modified: '2099-01-01T00:00:00Z',
  summary: 'Malicious code in quiet-helper-lib (npm)',
  affected: [{ package: { ecosystem: 'npm', name: 'quiet-helper-lib' }, versions: ['1.2.3'] }],
};

let osv: FakeOsv;
let root: string;
beforeAll(async () => {
  osv = await startFakeOsv();
});
afterAll(() => osv.close());
beforeEach(() => {
  osv.reset();
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pc-osv-vulns-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (files: Record<string, string>) => {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
};
const npmLock = (deps: Record<string, string>) =>
  JSON.stringify(
    { name: 'app', lockfileVersion: 3, packages: { '': { name: 'app', dependencies: Object.fromEntries(Object.keys(deps).map((n) => [n, `^${deps[n]}`])) }, ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])) } },
    null,
    2,
  ) + '\n';
const cargoLock = (name: string, version: string) => `version = 3\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "${name}",\n]\n\n[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
const lineOf = (path: string, needle: string) => readFileSync(join(root, path), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
const vulns = (r: ScanResult) => r.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
const notices = (r: ScanResult) => r.notices.filter((n) => n.message.startsWith('advisories: online'));

function serveAll(): void {
  for (const r of [LODASH, JINJA2, TOKIO_RUSTSEC, TOKIO_GHSA, WITHDRAWN, MAL]) osv.records.set(r.id, r);
  osv.matches.set('npm lodash 4.17.20', [LODASH.id, WITHDRAWN.id]);
  osv.matches.set('PyPI jinja2 3.1.2', [JINJA2.id]);
  osv.matches.set('crates.io tokio 1.18.0', [TOKIO_RUSTSEC.id, TOKIO_GHSA.id]);
  osv.matches.set('npm quiet-helper-lib 1.2.3', [MAL.id]);
}
const REPO = {
  'package.json': JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.20', 'quiet-helper-lib': '^1.2.3' } }, null, 2) + '\n',
  'package-lock.json': npmLock({ lodash: '4.17.20', 'quiet-helper-lib': '1.2.3' }),
  'requirements.txt': 'flask==3.0.0\njinja2==3.1.2\n',
  'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ntokio = "1.18"\n',
  'Cargo.lock': cargoLock('tokio', '1.18.0'),
};

describe('the stand-in serves what the OSV service serves', () => {
  it('every record it serves here validates against the published OSV JSON schema', () => {
    // test/support/osv-schema.json: validation/schema.json of github.com/ossf/osv-schema (Apache-2.0), as published.
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'support', 'osv-schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    for (const r of [LODASH, JINJA2, TOKIO_RUSTSEC, TOKIO_GHSA, WITHDRAWN, MAL]) expect(validate(r) ? [] : validate.errors, r.id).toEqual([]);
    // And it rejects what the service would never send.
    expect(validate({ ...LODASH, affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [] }] }] })).toBe(false);
  });
});

describe('vulnerable-dependency through the OSV stand-in', () => {
  it('reports each vulnerable version once at its entry, with advisories, fixed version and fix command; one lookup for both rules', async () => {
    write(REPO);
    serveAll();
    const offline = await scanDirectory(root);
    expect(vulns(offline)).toEqual([]);
    const online = await scanWithOnlineAdvisories(root, {}, { apiUrl: osv.url });
    expect(notices(online)).toEqual([]);
    const found = vulns(online);
    expect(found.map((f) => `${f.path}:${f.line} ${f.severity}`).sort()).toEqual(
      [`Cargo.lock:${lineOf('Cargo.lock', 'name = "tokio"')} low`, `package-lock.json:${lineOf('package-lock.json', '"node_modules/lodash"')} high`, `requirements.txt:2 medium`].sort(),
    );
    const lodash = found.find((f) => f.path === 'package-lock.json')!;
    expect(lodash.message).toContain('`lodash@4.17.20`, a direct dependency locked in package-lock.json');
    expect(lodash.message).toContain('GHSA-35jh-r3h4-6jhm (CVE-2021-23337)');
    expect(lodash.message).toContain('Command Injection in lodash');
    expect(lodash.message).toContain('Fixed in 4.17.21: `npm install lodash@4.17.21`');
    expect(lodash.message).not.toContain('GHSA-wwww'); // withdrawn
    expect(lodash.related).toEqual([expect.objectContaining({ path: 'package.json', label: 'declared here' })]);
    const jinja = found.find((f) => f.path === 'requirements.txt')!;
    expect(jinja.message).toContain('GHSA-h5c8-rqwp-cp95 (CVE-2024-22195)');
    expect(jinja.message).toContain('Fixed in 3.1.3: pin `jinja2==3.1.3` in requirements.txt');
    const tokio = found.find((f) => f.path === 'Cargo.lock')!;
    // The RustSec record and its GitHub twin are one vulnerability, GHSA first; GitHub's LOW rating wins over the CVSS score.
    expect(tokio.message).toContain('has a known vulnerability: GHSA-7rrj-xr53-82p7 (CVE-2023-22466, RUSTSEC-2023-0001)');
    expect(tokio.message).toContain('Fixed in 1.18.4: `cargo update -p tokio --precise 1.18.4`');
    expect(tokio.advisories).toEqual([{ ids: ['GHSA-7rrj-xr53-82p7', 'CVE-2023-22466', 'RUSTSEC-2023-0001'], severity: 'low', url: 'https://osv.dev/vulnerability/GHSA-7rrj-xr53-82p7' }]);
    // SARIF: the ids as tags, and each advisory's page.
    const sarif = toSarif(online, rules, { version: '0.0.0' }) as unknown as { runs: { results: { ruleId: string; properties: { tags?: string[]; advisories?: { url: string }[] } }[] }[] };
    const tokioResult = sarif.runs[0]!.results.find((r) => r.ruleId === 'vulnerable-dependency' && r.properties.tags?.includes('RUSTSEC-2023-0001'))!;
    expect(tokioResult.properties.tags).toEqual(['GHSA-7rrj-xr53-82p7', 'CVE-2023-22466', 'RUSTSEC-2023-0001']);
    expect(tokioResult.properties.advisories).toEqual([expect.objectContaining({ url: 'https://osv.dev/vulnerability/GHSA-7rrj-xr53-82p7' })]);
    // MAL- records stay with compromised-dependency.
    expect(online.findings.filter((f) => f.ruleId === 'compromised-dependency').map((f) => f.message)).toEqual([expect.stringContaining('quiet-helper-lib@1.2.3')]);
    expect(found.some((f) => f.message.includes('quiet-helper-lib'))).toBe(false);
    // One querybatch pass, then each record once, at most 4 at a time.
    const calls = osv.log.map((r) => `${r.method} ${r.url}`);
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /v1/querybatch']);
    expect(calls.filter((c) => c.startsWith('GET')).sort()).toEqual([...new Set([LODASH, JINJA2, TOKIO_RUSTSEC, TOKIO_GHSA, WITHDRAWN, MAL].map((r) => `GET /v1/vulns/${r.id}`))].sort());
    expect(osv.maxInFlight).toBeGreaterThan(1);
    expect(osv.maxInFlight).toBeLessThanOrEqual(4);
    // Only names and versions are sent.
    const sent = JSON.parse(osv.log[0]!.body) as { queries: Record<string, unknown>[] };
    for (const q of sent.queries) expect(Object.keys(q).sort()).toEqual(['package', 'version']);
  });

  it('neither sends nor reports the versions that only lockfiles of tests and fixtures pin', async () => {
    write({ 'test/fixtures/old/package-lock.json': npmLock({ lodash: '4.17.20' }), 'test/fixtures/old/package.json': JSON.stringify({ name: 'f', dependencies: { lodash: '^4.17.20' } }) });
    serveAll();
    const online = await scanWithOnlineAdvisories(root, {}, { apiUrl: osv.url });
    expect(vulns(online)).toEqual([]);
    expect(osv.log).toEqual([]);
  });

  it('tries again after a 429 (Retry-After) and a 503, then reports as usual', async () => {
    write(REPO);
    serveAll();
    osv.failures = [429, 503];
    const online = await scanWithOnlineAdvisories(root, {}, { apiUrl: osv.url, backoffMs: 10 });
    expect(notices(online)).toEqual([]);
    expect(vulns(online)).toHaveLength(3);
    expect(osv.log.slice(0, 3).map((r) => r.url)).toEqual(['/v1/querybatch', '/v1/querybatch', '/v1/querybatch']);
  });

  describe('falls back to the bundled data with one notice and the offline verdict', () => {
    const cases: [string, (number | 'hang' | null)[], RegExp, number, { budgetMs?: number; retries?: number }][] = [
      ['rate-limited past the retries', [429, 429, 429], /querybatch answered HTTP 429 \(after 3 tries\)/, 3, {}],
      ['failing (503)', [503, 503, 503], /querybatch answered HTTP 503/, 3, {}],
      ['a client error, not retried', [400], /querybatch answered HTTP 400/, 1, {}],
      ['slow: no answer within the budget', ['hang'], /no answer within 0\.3 s/, 1, { budgetMs: 300 }],
      ['a record lookup failing', [null, ...Array<number>(12).fill(500)], /vulnerability lookup answered HTTP 500/, 0, { retries: 0 }],
    ];
    for (const [what, failures, why, requests, extra] of cases) {
      it(what, async () => {
        write(REPO);
        serveAll();
        osv.failures = [...failures];
        const offline = await scanDirectory(root);
        const online = await scanWithOnlineAdvisories(root, {}, { apiUrl: osv.url, backoffMs: 10, ...extra });
        const got = notices(online);
        expect(got).toHaveLength(1);
        expect(got[0]!.message).toMatch(why);
        expect(got[0]!.message).toContain('known vulnerabilities (vulnerable-dependency) were not checked');
        expect(online.findings).toEqual(offline.findings);
        expect(online.summary).toEqual(offline.summary);
        if (requests > 0) expect(osv.log).toHaveLength(requests);
      });
    }
  });

  it('follows next_page_token: a version whose records span pages gets all of them, asked again only for that query', async () => {
    serveAll();
    osv.pageSize = 1;
    const got = await fetchOsvAdvisories([{ ecosystem: 'crates.io', name: 'tokio', version: '1.18.0' }, { ecosystem: 'PyPI', name: 'jinja2', version: '3.1.2' }], { apiUrl: osv.url });
    expect(got.notice).toBeUndefined();
    const batches = osv.log.filter((r) => r.url === '/v1/querybatch').map((r) => (JSON.parse(r.body) as { queries: { package: { name: string }; page_token?: string }[] }).queries);
    expect(batches.map((q) => q.map((x) => `${x.package.name}${x.page_token ? ` ${x.page_token}` : ''}`))).toEqual([['tokio', 'jinja2'], ['tokio page-1']]);
    expect(got.vulnerabilities?.hits[['crates.io', 'tokio', '1.18.0'].join('\0')]).toEqual([TOKIO_RUSTSEC.id, TOKIO_GHSA.id]);
  });

  it('asks at most 1,000 versions per querybatch: 2,500 versions take 3 requests', async () => {
    const packages = Array.from({ length: 2500 }, (_, i) => ({ ecosystem: 'npm', name: `pkg-${i}`, version: '1.0.0' }));
    const got = await fetchOsvAdvisories(packages, { apiUrl: osv.url });
    expect(got.notice).toBeUndefined();
    expect(osv.log.map((r) => (JSON.parse(r.body) as { queries: unknown[] }).queries.length)).toEqual([1000, 1000, 500]);
  });
});
