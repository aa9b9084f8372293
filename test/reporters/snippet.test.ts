import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markSpan } from '../../src/reporters/snippet.js';

describe('source line with a caret under the span', () => {
  it('puts the caret run under exactly the span, in at most the width, for any line and span', () => {
    const line = fc.string({ unit: fc.constantFrom(...'abc xyz|&$(){}-_=:/.'.split('')), minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(line, fc.nat(), fc.nat(), fc.integer({ min: 20, max: 200 }), (text, a, b, width) => {
        const trimmed = text.replace(/\s+$/, '');
        fc.pre(trimmed.length > 0);
        const from = a % trimmed.length;
        const to = from + 1 + (b % (trimmed.length - from));
        const { source, marker } = markSpan(text, from, to, width);
        expect(source.length).toBeLessThanOrEqual(width);
        expect(marker).toMatch(/^ *\^~*$/);
        const start = marker.indexOf('^');
        // The marked cells hold the span's text: all of it, or (the line cut at the right) its start.
        const marked = source.slice(start, marker.length);
        const span = trimmed.slice(from, to);
        expect(marked.length).toBeGreaterThan(0);
        expect(span.startsWith(marked)).toBe(true);
        if (marked !== span) expect(source.endsWith('…')).toBe(true);
      }),
    );
  });

  it('counts escaped control characters and wide characters as the cells they take', () => {
    expect(markSpan('a\u0007b = 値 here', 8, 12, 80)).toEqual({ source: 'a\\u0007b = 値 here', marker: `${' '.repeat(14)}^~~~` });
  });

  it('cuts a long line on the left and on the right, marking both cuts', () => {
    const line = `${'x'.repeat(100)}TARGET${'y'.repeat(100)}`;
    const { source, marker } = markSpan(line, 100, 106, 40);
    expect(source).toHaveLength(40);
    expect(source.startsWith('…') && source.endsWith('…')).toBe(true);
    expect(source.slice(marker.indexOf('^'), marker.length)).toBe('TARGET');
  });
});
