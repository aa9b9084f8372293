// SARIF metadata that must agree with other sources: the project's home with package.json, the rules' levels with the config.
/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are read as loose JSON */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredRules, parseConfig } from '../../src/core/config.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';
import { HOMEPAGE, VERSION } from '../../src/version.js';

describe('the project home', () => {
  it("HOMEPAGE is package.json's homepage and repository", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { homepage: string; repository: { type: string; url: string } };
    expect(pkg.homepage).toBe(HOMEPAGE);
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${HOMEPAGE}.git` });
  });

  it('is the SARIF informationUri and the base of the rule links unless the caller names another', () => {
    const driver = (toSarif({ findings: [], failOn: 'high' }, rules, { version: VERSION }) as any).runs[0].tool.driver;
    expect(driver.informationUri).toBe(HOMEPAGE);
    expect(driver.rules[0].helpUri).toBe(`${HOMEPAGE}/blob/v${VERSION}/docs/rules/${rules[0]!.id}.md`);
    const action = (toSarif({ findings: [], failOn: 'high' }, rules, { version: VERSION, informationUri: 'https://github.com/fork/portcullis' }) as any).runs[0].tool.driver;
    expect(action.informationUri).toBe('https://github.com/fork/portcullis');
  });
});

describe('SARIF rules with the config applied', () => {
  const config = parseConfig('rules:\n  unpinned-action:\n    severity: low\n  curl-pipe-shell:\n    severity: critical\n', '.github/portcullis.yml', rules);
  const files = {
    '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - run: curl -sSL https://example.com/install.sh | sh\n',
  };

  it('configuredRules overrides severities and leaves the registry alone', () => {
    const configured = configuredRules(rules, config);
    expect(configured.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    expect(configured.find((r) => r.id === 'unpinned-action')!.severity).toBe('low');
    expect(rules.find((r) => r.id === 'unpinned-action')!.severity).toBe('high');
    expect(configuredRules(rules, undefined)).toEqual(rules);
  });

  it("each rule's defaultConfiguration.level and security-severity match the severity of its findings", () => {
    const result = scanFiles(files, { config });
    const run = (toSarif(result, configuredRules(rules, config), { version: VERSION }) as any).runs[0];
    const byId = new Map<string, any>(run.tool.driver.rules.map((r: any) => [r.id, r]));
    expect(byId.get('unpinned-action').defaultConfiguration.level).toBe('note');
    expect(byId.get('unpinned-action').properties['security-severity']).toBe('3.0');
    expect(byId.get('curl-pipe-shell').defaultConfiguration.level).toBe('error');
    expect(byId.get('curl-pipe-shell').properties['security-severity']).toBe('9.5');
    const seen = new Set<string>();
    for (const r of run.results) {
      seen.add(r.ruleId);
      const score = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: undefined }[r.properties.severity as string];
      expect(run.tool.driver.rules[r.ruleIndex].properties['security-severity']).toBe(score);
    }
    expect(seen).toEqual(new Set(['unpinned-action', 'curl-pipe-shell']));
  });
});
