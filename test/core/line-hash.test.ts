import { describe, expect, it } from 'vitest';
import { lineHash, lineHashes } from '../../src/core/fingerprint.js';

// Inputs and expected hashes from github/codeql-action's own tests (src/fingerprints.test.ts):
// the values code scanning computes itself, so alerts keep matching whoever computes them.
const VECTORS: [string, string[]][] = [
  ['', ['c129715d7a2bc9a3:1']],
  [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
  [
    ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
    ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1'],
  ],
];
const WITH_FINAL_BREAK = [
  'e9496ae3ebfced30:1',
  'fb7c023a8b9ccb3f:1',
  'ce8ba1a563dcdaca:1',
  'e20e36e16fcb0cc8:1',
  'b3edc88f2938467e:1',
  'c8e28b0b4002a3a0:1',
  'c129715d7a2bc9a3:1',
];
for (const text of [
  ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n',
  ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
  ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
  ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
]) {
  VECTORS.push([text, WITH_FINAL_BREAK]);
}
VECTORS.push([
  'Lorem ipsum dolor sit amet.\n'.repeat(10),
  [
    ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
    'a7f2ff1481e87703:1',
    'a9cf91f7bbf1862b:1',
    '55ec222b86bcae53:1',
    'cc97dc7b1d7d8f7b:1',
    'c129715d7a2bc9a3:1',
  ],
]);

describe('lineHashes (code scanning primaryLocationLineHash)', () => {
  it.each(VECTORS.map(([text, hashes], i) => [i, text, hashes] as const))('matches codeql-action vector %i', (_i, text, hashes) => {
    expect(lineHashes(text)).toEqual(hashes);
  });

  it('gives one hash per line, LF, CRLF and CR alike', () => {
    for (const text of ['a\nb\n', 'a\r\nb\r\n', 'a\rb\r']) expect(lineHashes(text)).toHaveLength(3);
  });

  it('ignores indentation and spaces inside the line, but not other characters', () => {
    expect(lineHashes('x:\n  run: echo hi\n')[1]).toBe(lineHashes('x:\n      run:   echo hi\n')[1]);
    expect(lineHashes('x:\n  run: echo hi\n')[1]).not.toBe(lineHashes('x:\n  run: echo ho\n')[1]);
  });

  it('lineHash reads one line of a split file', () => {
    const lines = ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n'.split('\n');
    expect(lineHash(lines, 2)).toBe('fb7c023a8b9ccb3f:1');
    expect(lineHash(lines, 99)).toBeUndefined();
  });

  it('equals a direct 64-bit BigInt computation on random text (wide characters, high and low hash halves, repeats)', () => {
    let x = 11;
    const rnd = (n: number): number => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
    const pieces = ['\n', '\r', '\r\n', ' ', '\t', 'a', 'Z', '0', '{', '\u00e9', '\u4e2d', '\uffff', '\ud83d\ude00', 'same line\n'];
    for (let t = 0; t < 40; t++) {
      let text = '';
      const n = rnd(400);
      for (let i = 0; i < n; i++) text += pieces[rnd(pieces.length)]!;
      expect(lineHashes(text), JSON.stringify(text)).toEqual(referenceLineHashes(text));
    }
  });
});

/** The algorithm as codeql-action states it, with BigInt arithmetic: the reference the fast version must match. */
function referenceLineHashes(text: string): string[] {
  const MOD = 37n;
  const FIRST = BigInt.asUintN(64, MOD ** 100n);
  const window = new Array<number>(100).fill(0);
  const starts = new Array<number>(100).fill(-1);
  const out: string[] = [];
  const seen = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let line = 0;
  let atStart = true;
  let afterCR = false;
  const emit = (): void => {
    const value = hash.toString(16);
    const n = (seen.get(value) ?? 0) + 1;
    seen.set(value, n);
    out[starts[index]! - 1] = `${value}:${n}`;
    starts[index] = -1;
  };
  const push = (code: number): void => {
    hash = BigInt.asUintN(64, MOD * hash + BigInt(code) - FIRST * BigInt(window[index]!));
    window[index] = code;
    index = (index + 1) % 100;
  };
  const take = (code: number): void => {
    if (code === 32 || code === 9 || (afterCR && code === 10)) {
      afterCR = false;
      return;
    }
    afterCR = code === 13;
    if (code === 13) code = 10;
    if (starts[index] !== -1) emit();
    if (atStart) {
      atStart = false;
      starts[index] = ++line;
    }
    if (code === 10) atStart = true;
    push(code);
  };
  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(0xffff);
  for (let i = 0; i < 100; i++) {
    if (starts[index] !== -1) emit();
    push(0);
  }
  return out;
}

describe('lineHashes occurrence counts', () => {
  it('count per full 64-bit value, also when two values share their low 32 bits', () => {
    // 200,000 distinct lines: by the birthday bound some hashes share a low half with a different high half.
    const text = Array.from({ length: 200_000 }, (_, i) => `x${((i * 2654435761) >>> 0).toString(16)}${i}`).join('\n');
    const hashes = lineHashes(text);
    const values = hashes.map((h) => h.slice(0, h.indexOf(':')));
    const highByLow = new Map<string, Set<string>>();
    for (const v of values) {
      const low = v.padStart(16, '0').slice(8);
      highByLow.set(low, (highByLow.get(low) ?? new Set()).add(v));
    }
    expect([...highByLow.values()].some((s) => s.size > 1)).toBe(true);
    const seen = new Map<string, number>();
    const expected = values.map((v) => `${v}:${seen.set(v, (seen.get(v) ?? 0) + 1).get(v)}`);
    expect(hashes).toEqual(expected);
    expect(hashes).toEqual(referenceLineHashes(text));
    // asked for only the lines whose low half another line shares: each still gets its own full value and count
    const clashing = new Set<number>();
    values.forEach((v, i) => {
      if (highByLow.get(v.padStart(16, '0').slice(8))!.size > 1) clashing.add(i + 1);
    });
    const some = lineHashes(text, clashing);
    for (const l of clashing) expect(some[l - 1], `line ${l}`).toBe(hashes[l - 1]);
  });
});
