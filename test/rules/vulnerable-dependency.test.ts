import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/analysis/advisories.js';
import { toAdvisory } from '../../src/analysis/osv-record.js';
import { advisorySeverity, vulnerabilitiesOf, type VulnerabilityData } from '../../src/analysis/vulnerabilities.js';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const rule = findRule('vulnerable-dependency')!;
const rec = (id: string, eco: string, name: string, events: Record<string, string>[], extra: Partial<Advisory> = {}): Advisory => ({
  id,
  summary: `${id} summary`,
  affected: [{ package: { ecosystem: eco, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
  ...extra,
});
const data = (records: Advisory[], paths: string[] = [], hits: VulnerabilityData['hits'] = {}): VulnerabilityData => ({ records, hits, paths });

describe('range evaluation', () => {
  it('evaluates events in version order, with last_affected and limit, and names the lowest fix above the pin', () => {
    const r = rec('GHSA-aaaa-bbbb-cccc', 'npm', 'x', [{ fixed: '2.0.1' }, { introduced: '2.0.0' }, { fixed: '1.4.2' }, { introduced: '1.0.0' }]);
    const d = data([r]);
    expect(vulnerabilitiesOf(d, 'npm', 'x', '1.4.1')[0]?.fixed).toBe('1.4.2');
    expect(vulnerabilitiesOf(d, 'npm', 'x', '1.4.2')).toEqual([]);
    expect(vulnerabilitiesOf(d, 'npm', 'x', '2.0.0')[0]?.fixed).toBe('2.0.1');
    expect(vulnerabilitiesOf(d, 'npm', 'x', '0.9.0')).toEqual([]);
    const last = data([rec('GHSA-last-last-last', 'PyPI', 'Jinja2', [{ introduced: '0' }, { last_affected: '3.1.2' }])]);
    // PyPI names are normalised and versions ordered by PEP 440 (3.1.2 == 3.1.2.0).
    expect(vulnerabilitiesOf(last, 'PyPI', 'jinja2', '3.1.2.0')).toHaveLength(1);
    expect(vulnerabilitiesOf(last, 'PyPI', 'jinja2', '3.1.2')[0]?.fixed).toBeUndefined();
    expect(vulnerabilitiesOf(last, 'PyPI', 'jinja2', '3.1.3')).toEqual([]);
    const limited = data([rec('GHSA-limi-limi-limi', 'npm', 'y', [{ introduced: '0' }, { limit: '3.0.0' }])]);
    expect(vulnerabilitiesOf(limited, 'npm', 'y', '2.9.9')).toHaveLength(1);
    expect(vulnerabilitiesOf(limited, 'npm', 'y', '3.0.0')).toEqual([]);
  });

  it('trusts OSV’s own match only where its order cannot read the version', () => {
    const r = rec('GHSA-odd1-odd1-odd1', 'npm', 'z', [{ introduced: '0' }, { fixed: '1.0.0' }]);
    expect(vulnerabilitiesOf(data([r]), 'npm', 'z', 'not-semver')).toEqual([]);
    expect(vulnerabilitiesOf(data([r], [], { 'npm\0z\0not-semver': ['GHSA-odd1-odd1-odd1'] }), 'npm', 'z', 'not-semver')).toHaveLength(1);
    // A readable version outside the range stays outside whatever the hit list says.
    expect(vulnerabilitiesOf(data([r], [], { 'npm\0z\x002.0.0': ['GHSA-odd1-odd1-odd1'] }), 'npm', 'z', '2.0.0')).toEqual([]);
  });

  it('counts records that alias each other once, GHSA first then CVE, and leaves MAL- records out', () => {
    const rust = rec('RUSTSEC-2023-0001', 'crates.io', 'tokio', [{ introduced: '0' }, { fixed: '1.18.4' }], { aliases: ['CVE-2023-22466', 'GHSA-7rrj-xr53-82p7'] });
    const ghsa = rec('GHSA-7rrj-xr53-82p7', 'crates.io', 'tokio', [{ introduced: '1.7.0' }, { fixed: '1.18.5' }], { aliases: ['CVE-2023-22466'], database_specific: { severity: 'MODERATE' } });
    const mal = rec('MAL-2024-1', 'crates.io', 'tokio', [{ introduced: '0' }]);
    const got = vulnerabilitiesOf(data([rust, ghsa, mal]), 'crates.io', 'tokio', '1.18.0');
    expect(got).toHaveLength(1);
    expect(got[0]!.ids).toEqual(['GHSA-7rrj-xr53-82p7', 'CVE-2023-22466', 'RUSTSEC-2023-0001']);
    // Twins disagreeing on the fix: the later clears both.
    expect(got[0]!.fixed).toBe('1.18.5');
  });
});

describe('severity', () => {
  it('takes database_specific.severity, else the CVSS base score, else medium', () => {
    const base = rec('GHSA-sev1-sev1-sev1', 'npm', 'a', [{ introduced: '0' }]);
    expect(advisorySeverity({ ...base, database_specific: { severity: 'MODERATE' }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] })).toBe('medium');
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] })).toBe('critical'); // 9.8
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }] })).toBe('medium'); // 5.3
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] })).toBe('critical'); // 9.3
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V3', score: 'not a vector' }] })).toBe('medium');
    expect(advisorySeverity(base)).toBe('medium');
  });
});

describe('OSV records read from the network', () => {
  it('drops withdrawn and unusable records and keeps the fields the rule reads', () => {
    const raw = { id: 'GHSA-w1th-w1th-w1th', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] };
    expect(toAdvisory({ ...raw, withdrawn: '2024-02-01T00:00:00Z' })).toBeUndefined();
    expect(toAdvisory({ id: 'GHSA-x', affected: 'nope' })).toBeUndefined();
    const a = toAdvisory({ ...raw, summary: 'line one\nline two', database_specific: { severity: 'HIGH' }, references: [{ type: 'WEB', url: 'http://insecure' }] })!;
    expect(a.summary).toBe('line one line two');
    expect(a.database_specific?.severity).toBe('HIGH');
    expect(a.references?.some((r) => r.url.startsWith('http:'))).toBe(false);
  });
});

const lock = (deps: Record<string, string>, nested: Record<string, string> = {}) =>
  JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: Object.fromEntries(Object.keys(deps).map((n) => [n, `^${deps[n]}`])) },
        ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, ...(n === 'express' ? { dependencies: { qs: '6.0.0' } } : {}) }])),
        ...Object.fromEntries(Object.entries(nested).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
      },
    },
    null,
    2,
  ) + '\n';

describe('the rule through the engine', () => {
  const lodash1 = rec('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }], { aliases: ['CVE-2021-23337'], database_specific: { severity: 'HIGH' } });
  const lodash2 = rec('GHSA-29mw-wpgm-hmr9', 'npm', 'lodash', [{ introduced: '4.0.0' }, { fixed: '4.17.21' }], { aliases: ['CVE-2020-28500'], database_specific: { severity: 'MODERATE' } });
  const qs = rec('GHSA-hrpp-h998-j3pp', 'npm', 'qs', [{ introduced: '6.0.0' }, { fixed: '6.0.4' }], { database_specific: { severity: 'HIGH' } });
  const files = {
    'package.json': JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.20', express: '^4.0.0' } }, null, 2) + '\n',
    'package-lock.json': lock({ lodash: '4.17.20', express: '4.0.0' }, { qs: '6.0.0' }),
  };
  const scan = (records: Advisory[], paths = ['package-lock.json', 'package.json']) =>
    scanFiles(files, { rules: [rule], vulnerabilities: data(records, paths) }).findings.filter((f) => f.ruleId === rule.id);

  it('reports one finding per package version at its entry, listing every advisory, with the fix command', () => {
    const found = scan([lodash1, lodash2, qs]);
    const lodash = found.find((f) => f.message.includes('lodash@4.17.20'))!;
    const lines = files['package-lock.json'].split('\n');
    expect(lodash.line).toBe(lines.findIndex((l) => l.includes('"node_modules/lodash"')) + 1);
    expect(lodash.severity).toBe('high');
    expect(lodash.message).toContain('GHSA-35jh-r3h4-6jhm (CVE-2021-23337)');
    expect(lodash.message).toContain('GHSA-29mw-wpgm-hmr9 (CVE-2020-28500)');
    expect(lodash.message).toContain('Fixed in 4.17.21');
    expect(lodash.message).toContain('`npm install lodash@4.17.21`');
    expect(lodash.message).toContain('a direct dependency');
    expect(lodash.related.map((r) => r.path)).toEqual(['package.json']);
    const q = found.find((f) => f.message.includes('qs@6.0.0'))!;
    expect(q.message).toContain('as a dependency of `express`');
    expect(found).toHaveLength(2);
  });

  it('keys the finding by package, version and file: a newly published advisory does not change it', () => {
    const before = scan([lodash2]).find((f) => f.message.includes('lodash'))!;
    const after = scan([lodash1, lodash2]).find((f) => f.message.includes('lodash'))!;
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('says nothing without the lookup, or on files that were not looked up', () => {
    expect(scanFiles(files, { rules: [rule] }).findings).toEqual([]);
    expect(scan([lodash1], ['other/package-lock.json'])).toEqual([]);
  });
});
