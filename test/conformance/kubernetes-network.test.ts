// The Kubernetes network rules against the documented verdicts of kube-linter, checkov, Trivy and KICS (cases written
// from their docs: kubernetes-network/cases.ts; policy differences: kubernetes-network/README.md).
import { describe, expect, it } from 'vitest';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';
import { CASES, type Case } from './kubernetes-network/cases.js';

const reported = (c: Case): boolean =>
  scanFiles({ 'deploy/k8s/manifest.yaml': c.text }, { rules: [findRule(c.rule)!], repository: true }).findings.some((f) => f.ruleId === c.rule);

const scored = CASES.filter((c) => c.difference === undefined).map((c) => ({ ...c, got: reported(c) }));
const checks = [...new Set(scored.map((c) => `${c.peer} ${c.check}`))];

describe('Kubernetes network conformance (kube-linter, checkov, Trivy, KICS)', () => {
  it.each(checks)('%s: recall at least 95%% and no finding on a documented passing example', (check) => {
    const cases = scored.filter((c) => `${c.peer} ${c.check}` === check);
    const bad = cases.filter((c) => c.expect === 'finding');
    if (bad.length > 0) expect(bad.filter((c) => c.got).length / bad.length, bad.filter((c) => !c.got).map((c) => c.text).join('\n---\n')).toBeGreaterThanOrEqual(0.95);
    expect(cases.filter((c) => c.expect === 'clean' && c.got).map((c) => c.text)).toEqual([]);
  });

  it('covers every mapped check with a bad case, and keeps each difference as the peer says it', () => {
    expect(checks.length).toBeGreaterThanOrEqual(14);
    for (const c of CASES.filter((x) => x.difference !== undefined)) {
      // a difference is a case we decide against the peer: it must really differ
      expect(reported(c), c.difference).toBe(c.expect !== 'finding');
    }
  });
});
