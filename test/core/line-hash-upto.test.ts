import { describe, expect, it } from 'vitest';
import { lineHashes, lineHashesUpTo } from '../../src/core/fingerprint.js';

/** A deterministic pseudo-random text with repeated lines (occurrence counts), blank lines, tabs, CR, LF and CRLF. */
function bigText(lines: number, seed: number): string {
  let x = seed;
  const rnd = (n: number): number => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const breaks = ['\n', '\r\n', '\r', '\n'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const kind = rnd(6);
    const line = kind === 0 ? '' : kind === 1 ? '  }' : kind === 2 ? '\t\treturn x;' : `  const v${rnd(50)} = "${'ab c'.repeat(rnd(40))}";`;
    out.push(line + breaks[rnd(4)]!);
  }
  return out.join('');
}

describe('lineHashesUpTo', () => {
  it('gives the same hashes as the full computation for every line up to the last flagged one', () => {
    const text = bigText(6_000, 7);
    const full = lineHashes(text);
    for (const last of [1, 2, 3, 17, 500, 2_999, 5_990, 5_999, 6_000, full.length]) {
      expect(lineHashesUpTo(text, last), `last line ${last}`).toEqual(full.slice(0, last));
    }
  });

  it('handles short texts, texts without a final break and lines beyond the end', () => {
    for (const text of ['', 'a', 'a\nb', 'x\r\ny\r\n', 'one\n\n\n   \n', '\r\r\n\r']) {
      const full = lineHashes(text);
      for (let last = 1; last <= full.length + 2; last++) expect(lineHashesUpTo(text, last)).toEqual(full.slice(0, last));
    }
  });

  it('stays exact when the cut would fall inside long whitespace runs or between CR and LF', () => {
    const text = `${'k'.repeat(99)}\r\n${' \t'.repeat(300)}z\r\n`.repeat(50) + 'tail';
    const full = lineHashes(text);
    for (let last = 1; last <= full.length; last += 7) expect(lineHashesUpTo(text, last)).toEqual(full.slice(0, last));
  });
});

describe('lineHashes for the wanted lines only', () => {
  it('gives exactly the full computation\'s hash (occurrence numbers included) on every wanted line, and nothing elsewhere', () => {
    const text = bigText(6_000, 11);
    const full = lineHashes(text);
    const wanted = new Set([1, 2, 40, 41, 999, 3_000, 5_998, full.length]);
    const some = lineHashes(text, wanted);
    for (let i = 0; i < full.length; i++) expect(some[i], `line ${i + 1}`).toBe(wanted.has(i + 1) ? full[i] : undefined);
    // repeated lines (`  }` recurs) keep their occurrence numbers
    const repeats = full.map((h, i) => [h, i + 1] as const).filter(([h]) => !h.endsWith(':1')).slice(0, 20).map(([, l]) => l);
    const again = lineHashesUpTo(text, Math.max(...repeats), new Set(repeats));
    for (const l of repeats) expect(again[l - 1]).toBe(full[l - 1]);
  });
});
