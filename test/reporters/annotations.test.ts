import { describe, expect, it } from 'vitest';
import type { Finding, Notice, Severity } from '../../src/core/types.js';
import { findingAnnotation, MAX_MESSAGE_CHARS, toAnnotations } from '../../src/reporters/annotations.js';

function finding(severity: Severity, i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: `rule-${severity}`,
    severity,
    confidence: 'high',
    message: `${severity} problem ${i}; fix it like this`,
    path: `dir/file-${String(i).padStart(3, '0')}.txt`,
    line: i + 1,
    column: 3,
    endLine: i + 1,
    endColumn: 9,
    related: [],
    fingerprint: `fp-${severity}-${i}`,
    ...over,
  };
}

const many = (severity: Severity, n: number): Finding[] => Array.from({ length: n }, (_, i) => finding(severity, i));
const levels = (as: { level: string }[]) => as.map((a) => a.level);

describe('annotations: levels and fields', () => {
  it('maps critical/high to error, medium to warning, low/info to notice', () => {
    const got = toAnnotations(
      (['info', 'low', 'medium', 'high', 'critical'] as Severity[]).map((s, i) => finding(s, i)),
      [],
    );
    expect(levels(got)).toEqual(['error', 'error', 'warning', 'notice', 'notice']);
    expect(got.map((a) => a.title)).toEqual([
      'portcullis(rule-critical)',
      'portcullis(rule-high)',
      'portcullis(rule-medium)',
      'portcullis(rule-low)',
      'portcullis(rule-info)',
    ]);
  });

  it('titles carry the rule id and title; the message carries the finding message', () => {
    const a = findingAnnotation(finding('high', 4, { ruleId: 'secret-in-env', message: 'ENV API_TOKEN holds a secret; pass it as a build secret' }), {
      ruleTitle: (id) => (id === 'secret-in-env' ? 'Secret in ENV' : undefined),
    });
    expect(a.title).toBe('portcullis(secret-in-env): Secret in ENV');
    expect(a.message).toContain('ENV API_TOKEN holds a secret; pass it as a build secret');
    expect(a).toMatchObject({ level: 'error', file: 'dir/file-004.txt', startLine: 5, endLine: 5, startColumn: 3, endColumn: 8 });
  });

  it('gives columns only for single-line spans', () => {
    const a = findingAnnotation(finding('medium', 1, { line: 2, endLine: 4, column: 5, endColumn: 2 }));
    expect(a.startLine).toBe(2);
    expect(a.endLine).toBe(4);
    expect(a.startColumn).toBeUndefined();
    expect(a.endColumn).toBeUndefined();
  });

  it('keeps messages under 4,096 characters', () => {
    const a = findingAnnotation(finding('low', 1, { message: 'x'.repeat(10_000) }));
    expect(a.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(a.message.endsWith('…')).toBe(true);
  });

  it('lets the fail-on threshold decide what is an error', () => {
    const fs = [finding('high', 0), finding('medium', 1), finding('low', 2)];
    expect(levels(toAnnotations(fs, [], { failOn: 'medium' }))).toEqual(['error', 'error', 'notice']);
    expect(levels(toAnnotations(fs, [], { failOn: 'critical' }))).toEqual(['warning', 'warning', 'notice']);
    expect(levels(toAnnotations(fs, [], { failOn: 'never' }))).toEqual(['warning', 'warning', 'notice']);
  });
});

describe('annotations: budget', () => {
  it('emits at most 10 errors, 10 warnings, 9 notices and one "N more" notice, most severe first', () => {
    const fs = [...many('info', 12), ...many('medium', 15), ...many('critical', 6), ...many('high', 8), ...many('low', 4)];
    const got = toAnnotations(fs, [], { reportPath: '/tmp/r/portcullis-report.json' });
    const count = (l: string) => got.filter((a) => a.level === l).length;
    expect(count('error')).toBe(10);
    expect(count('warning')).toBe(10);
    expect(count('notice')).toBe(10);
    // The errors are all 6 criticals, then the first 4 highs (by location).
    const errs = got.filter((a) => a.level === 'error').map((a) => a.title);
    expect(errs.slice(0, 6).every((t) => t.includes('rule-critical'))).toBe(true);
    expect(errs.slice(6).every((t) => t.includes('rule-high'))).toBe(true);
    // Low before info among notices.
    const notices = got.filter((a) => a.level === 'notice');
    expect(notices.slice(0, 4).every((a) => a.title.includes('rule-low'))).toBe(true);
    expect(notices.slice(4, 9).every((a) => a.title.includes('rule-info'))).toBe(true);
    const last = got[got.length - 1]!;
    expect(last.level).toBe('notice');
    // Omitted: 4 high, 5 medium, 7 info.
    expect(last.message).toContain('16 more findings (4 high, 5 medium, 7 info)');
    expect(last.message).toContain('job summary');
    expect(last.message).toContain('/tmp/r/portcullis-report.json');
    expect(last.file).toBeUndefined();
  });

  it('uses all 10 notice slots when nothing is left out', () => {
    const got = toAnnotations(many('low', 10), []);
    expect(got).toHaveLength(10);
    expect(got.every((a) => a.title === 'portcullis(rule-low)')).toBe(true);
  });

  it('adds the "N more" notice when only errors overflow', () => {
    const got = toAnnotations(many('high', 11), []);
    expect(levels(got)).toEqual([...Array(10).fill('error'), 'notice']);
    expect(got[10]!.message).toContain('1 more finding (1 high)');
  });

  it('puts scan notices after finding notices, and counts those left out', () => {
    const scan: Notice[] = Array.from({ length: 5 }, (_, i) => ({ path: `x${i}.yml`, line: 2, message: `could not parse x${i}.yml` }));
    const got = toAnnotations(many('info', 7), scan);
    expect(got).toHaveLength(10);
    expect(got.slice(0, 7).every((a) => a.title === 'portcullis(rule-info)')).toBe(true);
    expect(got.slice(7, 9).map((a) => a.message)).toEqual(['could not parse x0.yml', 'could not parse x1.yml']);
    expect(got[7]).toMatchObject({ file: 'x0.yml', startLine: 2, title: 'portcullis: scan notice' });
    expect(got[9]!.message).toContain('3 more scan notices');
    expect(got[9]!.message).not.toContain('more finding');
  });

  it('emits scan notices without a file as plain notices', () => {
    const got = toAnnotations([], [{ message: 'skipped 2 file(s): 2 too big (a, b)' }]);
    expect(got).toEqual([{ level: 'notice', title: 'portcullis: scan notice', message: 'skipped 2 file(s): 2 too big (a, b)' }]);
  });

  it('keeps reserved slots free: one error for the verdict, and what the step already wrote', () => {
    const got = toAnnotations(many('high', 20), [], { reserved: { error: 1 } });
    expect(levels(got)).toEqual([...Array(9).fill('error'), 'notice']);
    expect(got[9]!.message).toBe(
      '11 more findings (11 high) not shown as annotations (GitHub shows 10 per level per step, and one error is kept for the verdict): see the job summary and the JSON report.',
    );
    // Three notices already written: six findings and the overflow line make ten.
    const notices = toAnnotations(many('low', 10), [], { reserved: { notice: 3 } });
    expect(levels(notices)).toEqual([...Array(6).fill('notice'), 'notice']);
    expect(notices[6]!.message).toContain('4 more findings (4 low)');
    // Nothing left out: no overflow line, every free slot used.
    expect(toAnnotations(many('high', 9), [], { reserved: { error: 1 } })).toHaveLength(9);
  });

  it('never exceeds 30 annotations for 50,000 findings', () => {
    const fs = (['critical', 'high', 'medium', 'low', 'info'] as Severity[]).flatMap((s) => many(s, 10_000));
    const got = toAnnotations(fs, [{ message: 'n' }]);
    expect(got.length).toBe(30);
    expect(got[29]!.message).toContain('49971 more findings (9990 critical, 10000 high, 9990 medium, 9991 low, 10000 info) and 1 more scan notice');
  });
});
