import { describe, expect, it } from 'vitest';
import { createBaseline } from '../../src/core/baseline.js';
import { toJsonReport } from '../../src/reporters/json.js';
import { toSummaryMarkdown } from '../../src/reporters/summary.js';
import { renderText } from '../../src/reporters/text.js';
import { scanFiles } from '../../src/scan.js';

const files = {
  Dockerfile: 'FROM node:20 # portcullis: ignore[unpinned-image] mirrored | by *ops*\nUSER node\nRUN curl -fsSL https://x.example/i.sh | sh\n',
};
const base = createBaseline(
  scanFiles(files).findings.filter((f) => f.ruleId === 'curl-pipe-shell'),
  (p) => files[p as keyof typeof files],
);
base.findings.push({ fingerprint: 'f'.repeat(32), ruleId: 'runs-as-root', path: 'Dockerfile', context: 'gone' });
const result = scanFiles(files, { baseline: base, baselinePath: '.portcullis-baseline.json' });

describe('reporting suppressed findings', () => {
  it('the scan passes: nothing left blocks', () => {
    expect(result.summary).toMatchObject({ total: 2, suppressed: 2, blocking: 0, result: 'pass' });
    expect(result.baseline).toEqual({ matched: 1, stale: 1 });
  });

  it('text marks each suppressed finding and counts them, with the stale baseline entries', () => {
    const text = renderText(result, { color: false });
    expect(text).toContain('(suppressed: mirrored | by *ops*)');
    expect(text).toContain('(baselined)');
    expect(text).toContain('2 suppressed (1 inline, 1 baselined); 1 baseline entry is fixed (no longer match a finding)');
    expect(text).toMatch(/0 blocking \(fail-on high\): PASS/);
  });

  it('JSON gives each suppressed finding its suppression and the summary the baseline counts', () => {
    const json = toJsonReport(result);
    expect(json.findings.map((f) => f.suppressed?.kind)).toEqual(['inSource', 'baseline']);
    expect(json.findings[0]!.suppressed).toEqual({ kind: 'inSource', reason: 'mirrored | by *ops*', path: 'Dockerfile', line: 1 });
    expect(json.summary.baseline).toEqual({ matched: 1, stale: 1 });
    expect(toJsonReport(scanFiles({ Dockerfile: 'FROM scratch\n' })).summary).not.toHaveProperty('baseline');
  });

  it('the job summary lists every suppression (rule, location, kind, reason) and counts them in the verdict', () => {
    const md = toSummaryMarkdown({ ...result, baseline: result.baseline! });
    expect(md).toContain('2 suppressed (never blocking; listed under Suppressions). 1 baseline entry is fixed (no longer match a finding).');
    const section = md.slice(md.indexOf('### Suppressions'));
    expect(section.split('\n').slice(0, 7)).toEqual([
      '### Suppressions',
      '',
      '| Rule | Location | Kind | Reason |',
      '| --- | --- | --- | --- |',
      '| unpinned-image | Dockerfile:1 | inline comment (Dockerfile:1) | mirrored \\| by \\*ops\\* |',
      '| curl-pipe-shell | Dockerfile:3 | baseline | in baseline |',
      '',
    ]);
    // Listed once, under Suppressions: not again among the findings.
    expect(md.match(/unpinned-image/g)).toHaveLength(2);
    expect(md).not.toContain('### Blocking findings');
    expect(md).not.toContain('(blocking)');
  });
});
