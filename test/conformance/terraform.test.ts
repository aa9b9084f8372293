// Terraform network checks of checkov, Trivy and KICS (cases.ts, written from their docs) against the network rules:
// at least 95% recall per peer check, no finding on their passing examples, every deliberate difference explained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTreeSitter } from '../../src/parsers/tree-sitter.js';
import { scanFiles } from '../../src/scan.js';
import { CASES, type Case } from './terraform/cases.js';

const NETWORK = new Set(['exposed-admin-port', 'world-open-port', 'plaintext-traffic', 'public-database']);
const outcome = (c: Case) => {
  const found = scanFiles({ 'infra/main.tf': c.text }).findings.filter((f) => NETWORK.has(f.ruleId));
  return c.expect === 'finding' ? found.some((f) => c.rules.includes(f.ruleId)) : found.length === 0;
};
const checks = [...new Set(CASES.map((c) => `${c.peer} | ${c.check}`))];

describe('Terraform conformance (checkov, Trivy, KICS)', () => {
  const results = new Map<Case, boolean>();
  beforeAll(async () => {
    await initTreeSitter();
    for (const c of CASES) results.set(c, outcome(c));
    const rows = checks.map((k) => {
      const mine = CASES.filter((c) => `${c.peer} | ${c.check}` === k && !c.difference);
      const bad = mine.filter((c) => c.expect === 'finding');
      return `${k.padEnd(70)} recall ${bad.filter((c) => results.get(c)).length}/${bad.length}  clean ${mine.filter((c) => c.expect === 'clean' && results.get(c)).length}/${mine.filter((c) => c.expect === 'clean').length}`;
    });
    console.log(`\nTerraform conformance (${CASES.length} cases)\n${rows.join('\n')}\n`);
  });

  it.each(checks)('%s: recall at least 95%%, no finding on its passing examples', (k) => {
    const mine = CASES.filter((c) => `${c.peer} | ${c.check}` === k && !c.difference);
    const bad = mine.filter((c) => c.expect === 'finding');
    const missed = bad.filter((c) => !results.get(c)).map((c) => c.text);
    if (bad.length > 0) expect((bad.length - missed.length) / bad.length, missed.join('\n---\n')).toBeGreaterThanOrEqual(0.95);
    expect(mine.filter((c) => c.expect === 'clean' && !results.get(c)).map((c) => c.text)).toEqual([]);
  });

  it('each difference is a real disagreement, explained in DIFFERENCES.md', () => {
    const table = readFileSync(join(import.meta.dirname, 'terraform', 'DIFFERENCES.md'), 'utf8');
    const listed = [...table.matchAll(/^\| (checkov|trivy|kics) \| ([^|]+) \| (.{20,}) \|$/gm)].map((m) => `${m[1]} | ${m[2]!.trim()}`);
    const marked = [...new Set(CASES.filter((c) => c.difference).map((c) => `${c.peer} | ${c.check}`))];
    expect(listed.sort()).toEqual(marked.sort());
    // a difference the rules happen to agree with is no difference
    for (const c of CASES.filter((x) => x.difference)) expect(results.get(c), c.text).toBe(false);
  });
});
