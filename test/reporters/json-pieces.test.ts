import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeJsonPieces } from '../../src/reporters/json-pieces.js';
import { toJsonReport } from '../../src/reporters/json.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { rules } from '../../src/rules/index.js';
import { scanDirectory } from '../../src/scan.js';

const joined = (v: unknown) => [...jsonPieces(v)].join('');
const compact = (v: unknown) => [...jsonPieces(v, false)].join('');

describe('jsonPieces', () => {
  it('joins to exactly JSON.stringify(value, null, 2) for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        expect(joined(v)).toBe(JSON.stringify(v, null, 2));
        expect(compact(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 500 },
    );
  });

  it('drops undefined and function properties and writes null for them in arrays, as JSON.stringify does', () => {
    const v = { a: undefined, b: [undefined, () => 1, 1, 'x\ny', { c: undefined }], d: {}, e: [], f: [[[]]], g: null, h: '\u2028"' };
    expect(joined(v)).toBe(JSON.stringify(v, null, 2));
    expect(compact(v)).toBe(JSON.stringify(v));
    expect(joined([1, 2, 3, 4, 5, 6, 7, 8, 9, { x: [1] }])).toBe(JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9, { x: [1] }], null, 2));
  });

  it('writes the demo JSON and SARIF reports byte for byte, in batches', async () => {
    const result = await scanDirectory(join(import.meta.dirname, '..', '..', 'fixtures', 'demo'));
    for (const report of [toJsonReport(result), toSarif(result, rules, { version: '0.0.0' })]) {
      const batches: string[] = [];
      writeJsonPieces(report, (s) => batches.push(s), { batch: 4096 });
      expect(batches.length).toBeGreaterThan(3);
      expect(batches.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
      const compactBatches: string[] = [];
      writeJsonPieces(report, (s) => compactBatches.push(s), { pretty: false, batch: 4096 });
      expect(compactBatches.join('')).toBe(`${JSON.stringify(report)}\n`);
    }
  });
});
