// Config `ignore:` entries can accept one package's findings (`package:`) or named advisories (`advisories:`): an
// advisory published later on the same version is not covered, so it is reported (and blocks) again.
import { describe, expect, it } from 'vitest';
import { applyConfig, parseConfig } from '../../src/core/config.js';
import type { Finding } from '../../src/core/types.js';
import { rules } from '../../src/rules/index.js';

const finding = (name: string, version: string, ids: string[][]): Finding => ({
  ruleId: 'vulnerable-dependency',
  severity: 'high',
  confidence: 'high',
  message: `${name}@${version} has known vulnerabilities`,
  path: 'package-lock.json',
  line: 10,
  column: 5,
  endLine: 10,
  endColumn: 20,
  fingerprint: `${name}@${version}`,
  related: [],
  package: { ecosystem: 'npm', name, version },
  advisories: ids.map((alias) => ({ ids: alias, severity: 'high', url: `https://osv.dev/vulnerability/${alias[0]}` })),
});

const config = (ignore: string) => parseConfig(`ignore:\n${ignore}`, '.github/portcullis.yml', rules);
const suppressed = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'vulnerable-dependency').map((f) => [f.fingerprint, f.suppressed?.reason ?? null]);
const ran = new Set(['vulnerable-dependency', 'ineffective-suppression']);

describe('ignore entries for packages and advisories', () => {
  const lodash = finding('lodash', '4.17.20', [['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337']]);
  const lodashTwo = finding('lodash', '4.17.20', [['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'], ['GHSA-29mw-wpgm-hmr9', 'CVE-2020-28500']]);
  const scoped = finding('@babel/traverse', '7.22.0', [['GHSA-67hx-6x53-jw92']]);

  it('accepts a package by name, or only the named version', () => {
    const c = config('  - rule: vulnerable-dependency\n    package: lodash\n    reason: not reachable\n  - rule: vulnerable-dependency\n    package: "@babel/traverse@7.21.0"\n    reason: other version\n');
    expect(suppressed(applyConfig([lodash, scoped], c, '2026-12-07', ran))).toEqual([
      ['lodash@4.17.20', 'not reachable'],
      ['@babel/traverse@7.22.0', null],
    ]);
  });

  it('accepts advisories by any alias, and only when every advisory of the finding is accepted', () => {
    const c = config('  - rule: vulnerable-dependency\n    advisories: [cve-2021-23337]\n    reason: template input is ours\n');
    const out = applyConfig([lodash, lodashTwo], c, '2026-12-07', ran);
    expect(suppressed(out)).toEqual([
      ['lodash@4.17.20', 'template input is ours'],
      ['lodash@4.17.20', null],
    ]);
  });

  it('says which entry matched nothing', () => {
    const c = config('  - rule: vulnerable-dependency\n    package: left-pad\n    reason: gone\n');
    const out = applyConfig([lodash], c, '2026-12-07', ran);
    expect(out.find((f) => f.ruleId === 'ineffective-suppression')?.message).toContain('The ignore entry for vulnerable-dependency (left-pad) matches no finding');
  });
});
