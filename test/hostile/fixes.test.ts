/** One test per fix the hostile corpus and the property tests drove (see test/hostile/hostile.test.ts). */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { findExpressions, replaceExpressions } from '../../src/analysis/expressions.js';
import { parseImageRef } from '../../src/analysis/image-ref.js';
import { logicalLines, parseShell } from '../../src/analysis/shell.js';
import type { Notice } from '../../src/core/types.js';
import { parseDockerfile, substitute } from '../../src/parsers/dockerfile.js';

vi.mock('../../src/parsers/lockfiles/index.js', async (load) => ({
  ...(await load<typeof import('../../src/parsers/lockfiles/index.js')>()),
  parseLockfile: () => {
    throw new RangeError('Maximum call stack size exceeded');
  },
}));
const { makeUnit } = await import('../../src/parsers/index.js');

describe('linear-time fixes', () => {
  it('joins 100,000 continued lines into one logical line (each physical line read once)', () => {
    const script = `echo start \\\n${'  && echo a \\\n'.repeat(100_000)}  && echo end\n`;
    const lines = logicalLines(script);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toBe(0);
    expect(parseShell(script).commands).toHaveLength(100_002);
    // Even backslashes do not continue; odd ones do.
    expect(logicalLines('a \\\\\nb \\\\\\\nc').map((l) => l.text)).toEqual(['a \\\\', 'b \\\\ c']);
  });

  it('replaceExpressions is the old regex replace, without rescanning unclosed ${{', () => {
    const unit = fc.constantFrom('$', '{', '}', '{{', '}}', '${{', 'a', ' ', '\n', "'");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(replaceExpressions(text, 'X')).toBe(text.replace(/\$\{\{[\s\S]*?\}\}/g, 'X'));
      }),
      { numRuns: 300 },
    );
    const hostile = `echo ${'${{'.repeat(300_000)}`;
    expect(replaceExpressions(hostile, 'X')).toBe(hostile);
    expect(findExpressions(hostile)).toEqual([]);
  });

  it('a quoted $( … ) nested deeper than 8 is not followed (no quadratic re-parse, no stack overflow)', () => {
    const deep = parseShell(`echo "${'$('.repeat(100_000)}"`);
    expect(deep.commands.length).toBeLessThanOrEqual(10);
    const shallow = parseShell('echo "$(curl -s "$(cat url)")"');
    expect(shallow.commands.map((c) => c.argv[0])).toEqual(['echo', 'curl', 'cat']);
  });

  it('Docker substitution with unclosed ${ is linear and unchanged', () => {
    const lookup = (n: string): string | undefined => ({ X: 'x' })[n];
    expect(substitute('${X:-d}/${Y:-${X}}/$X/${Z}', lookup).value).toBe('x/${X}/x/${Z}');
    expect(substitute('a ${X b}', lookup).value).toBe('a ${X b}');
    const hostile = `node:${'${x:-'.repeat(200_000)}`;
    expect(substitute(hostile, lookup).value).toBe(hostile);
  });

  it('image references with unclosed ${ or ${{ are parsed in linear time', () => {
    expect(parseImageRef(`${'${'.repeat(200_000)}`)).toBeDefined();
    expect(parseImageRef(`docker.io/${'${{'.repeat(200_000)}`)).toBeDefined();
    expect(parseImageRef('ghcr.io/o/${{ matrix.img }}:${TAG:-1}')).toMatchObject({ registry: 'ghcr.io' });
    expect(parseImageRef('a\nb')).toBeUndefined();
  });
});

describe('parser failures become notices', () => {
  it('a parser that throws gives a notice for that file; the unit stays usable', () => {
    const notices: Notice[] = [];
    const unit = makeUnit('package-lock.json', '{}', notices);
    expect(unit.document('lockfile')).toBeUndefined();
    expect(unit.document('text')).toBe('{}');
    expect(notices).toEqual([{ path: 'package-lock.json', message: 'not checked as lockfile: the parser failed (Maximum call stack size exceeded)' }]);
  });

  it('a lone CR is not a line break in a Dockerfile (as in Docker), so spans stay on LF lines', () => {
    const doc = parseDockerfile('Dockerfile', '\r# comment\nFROM node:latest\nRUN echo\n', [])!;
    expect(doc.images[0]!.span.line).toBe(2);
    expect(doc.stages[0]!.instructions.find((i) => i.keyword === 'RUN')!.span.line).toBe(3);
  });
});
