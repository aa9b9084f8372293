import { describe, expect, it } from 'vitest';
import { SECRET_FORMATS } from '../../src/analysis/secrets/formats.js';
import { ANCHORS, KeywordScanner } from '../../src/analysis/secrets/prefilter.js';

/** The scan by definition: at every offset the longest word that matches there, grouped by line. */
function reference(text: string, keywords: string[], outrankedBy: string[] = []): [number, number, string[]][] {
  const words = [...new Set([...keywords, ...outrankedBy])].sort((a, b) => b.length - a.length);
  const lines: [number, number, string[]][] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const found = new Set<string>();
    for (let i = 0; i < line.length; i++) {
      const w = words.find((k) => line.startsWith(k, i));
      if (w !== undefined && keywords.includes(w)) found.add(w);
    }
    const end = start + (line.endsWith('\r') ? line.length - 1 : line.length);
    if (found.size) lines.push([start, end, [...found].sort()]);
    start += line.length + 1;
  }
  return lines;
}

function scan(scanner: KeywordScanner, text: string): [number, number, string[]][] {
  const out: [number, number, string[]][] = [];
  scanner.scanLines(text, (start, end, found) => out.push([start, end, [...found].sort()]));
  return out;
}

const FORMAT_KEYWORDS = [...new Set(SECRET_FORMATS.flatMap((f) => f.keywords))];
const STEMS = ['key', 'Key', 'KEY', 'secret', 'SECRET', 'token', 'pat', 'PAT'];

describe('the secret keyword scan', () => {
  const texts = [
    '',
    'no keywords at all\nhere either',
    'ghp_ at the start\nand at the end ghp_',
    'ACCOUNT_KEY=AC123 AccountKey; ACCA AKIA\r\nAC\r\n',
    'secret_ then secret, then SECRET_KEY: x',
    'xoxe.xoxb- dp.st.dp.pt. hvs.hvb. SG.sk.eyJ dt0c01. .atlasv1.',
    'https://x:y@host -us key-abc tskey-auth- discord Discord DISCORD dapi',
    'é ghp_😀AKIA\n\n\nİ :AA:APA91b K\u212a glpat-',
    'AC',
    'x\nAC\n',
  ];

  it('finds the same lines and keywords as scanning every offset, through any anchors', () => {
    for (const anchors of [ANCHORS, [], ['_', '-'], ['A', 'AC', 'K']]) {
      const scanner = new KeywordScanner(FORMAT_KEYWORDS, [], anchors);
      for (const text of texts) expect(scan(scanner, text), `${JSON.stringify(text)} with ${anchors.join(' ')}`).toEqual(reference(text, FORMAT_KEYWORDS));
    }
  });

  it('leaves out a keyword where a longer word it is outranked by matches at the same offset', () => {
    const scanner = new KeywordScanner(['AC', 'se', 'ghp_'], ['ACCOUNT', 'secret']);
    const text = 'ACCOUNT secret AC se\nACCOUNT_ID secretive\nghp_ ACC';
    expect(scan(scanner, text)).toEqual(reference(text, ['AC', 'se', 'ghp_'], ['ACCOUNT', 'secret']));
    expect(scan(scanner, text)).toEqual([
      [0, 20, ['AC', 'se']],
      [42, 50, ['AC', 'ghp_']],
    ]);
    expect(scan(new KeywordScanner(FORMAT_KEYWORDS, STEMS), texts.join('\n'))).toEqual(reference(texts.join('\n'), FORMAT_KEYWORDS, STEMS));
  });

  it('rejects keywords it cannot look up', () => {
    expect(() => new KeywordScanner(['x'])).toThrow(/two or more ASCII/);
    expect(() => new KeywordScanner(['ké'])).toThrow(/two or more ASCII/);
  });
});
