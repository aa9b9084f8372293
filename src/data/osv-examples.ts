import type { ExampleRecord } from '../core/types.js';

/**
 * Two OSV records as the OSV API serves them (trimmed to the fields the rules read), for `vulnerable-dependency`'s
 * examples and docs. Facts from the GitHub advisories GHSA-35jh-r3h4-6jhm and GHSA-29mw-wpgm-hmr9.
 */
export const LODASH_COMMAND_INJECTION: ExampleRecord = {
  id: 'GHSA-35jh-r3h4-6jhm',
  summary: 'Command Injection in lodash',
  aliases: ['CVE-2021-23337'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  database_specific: { severity: 'HIGH' },
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
};

export const LODASH_REDOS: ExampleRecord = {
  id: 'GHSA-29mw-wpgm-hmr9',
  summary: 'Regular Expression Denial of Service (ReDoS) in lodash',
  aliases: ['CVE-2020-28500'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }],
  database_specific: { severity: 'MODERATE' },
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '4.0.0' }, { fixed: '4.17.21' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-28500' }],
};
