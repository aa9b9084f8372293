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
});
