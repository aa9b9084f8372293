import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONCEPT_RULES,
  HERE,
  corpusFiles,
  describeOutcome,
  evaluate,
  formatTable,
  parseDifferences,
  scanCorpus,
  table,
} from './harness.js';

// The peers' verdicts (zizmor, scorecard) against ours; see README files beside this one and DIFFERENCES.md.
const files = corpusFiles();
const scanned = scanCorpus(files);
const differences = parseDifferences(readFileSync(join(HERE, 'DIFFERENCES.md'), 'utf8'));
const outcomes = evaluate(scanned, differences);
const rows = table(outcomes);

console.log(`\nConformance (${files.length} corpus files scanned)\n${formatTable(rows)}\n`);
const misses = outcomes.filter((o) => o.kind === 'required' && !o.ok);
if (misses.length > 0) console.log(`Misses and false findings:\n${misses.map(describeOutcome).join('\n')}\n`);

describe('conformance corpus', () => {
  it('maps only known concepts to rule ids', () => {
    for (const ids of Object.values(CONCEPT_RULES)) for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('scans every corpus file without a rule crash', () => {
    expect(files.length).toBeGreaterThan(200);
    const crashes = scanned.flatMap((s) => s.notices.filter((n) => /could not check/.test(n.message)).map((n) => `${s.source}/${s.file}: ${n.message}`));
    expect(crashes).toEqual([]);
  });

  it('every DIFFERENCES.md row names a scored expectation', () => {
    const known = new Set(outcomes.map((o) => `${o.source}/${o.expectation.file}|${o.expectation.line ?? '-'}|${o.expectation.concept}`));
    for (const d of differences) expect(known.has(`${d.file}|${d.line ?? '-'}|${d.concept}`), `${d.file}:${d.line ?? '-'} ${d.concept}`).toBe(true);
    for (const d of differences) expect(d.reason.trim().length, `${d.file}:${d.line} needs a reason`).toBeGreaterThan(10);
  });

  it.each(rows.filter((r) => r.expected > 0).map((r) => [`${r.concept} (${r.peer})`, r] as const))(
    '%s: recall is at least 95%%',
    (_name, row) => {
      const missed = outcomes
        .filter((o) => o.kind === 'required' && !o.ok && o.expectation.expect === 'finding' && o.source === row.peer && o.expectation.concept === row.concept)
        .map(describeOutcome);
      expect(row.recall, missed.join('\n')).toBeGreaterThanOrEqual(0.95);
    },
  );

  it.each(rows.filter((r) => r.clean > 0).map((r) => [`${r.concept} (${r.peer})`, r] as const))(
    '%s: no finding where the peer expects none',
    (_name, row) => {
      const wrong = outcomes
        .filter((o) => o.kind === 'required' && !o.ok && o.expectation.expect === 'clean' && o.source === row.peer && o.expectation.concept === row.concept)
        .map(describeOutcome);
      expect(wrong).toEqual([]);
    },
  );
});
