import { describe, expect, it } from 'vitest';
import { parseShell } from '../../src/analysis/shell.js';

describe('parseShell memo', () => {
  it('parses a script once: the rules that read the same script share one read-only result', () => {
    const script = 'curl -fsSL https://x.sh | sh\nnpm ci';
    const a = parseShell(script);
    expect(parseShell(script)).toBe(a);
    expect(parseShell(`${script}\n`)).not.toBe(a);
    expect(a.commands.map((c) => c.argv[0])).toEqual(['curl', 'sh', 'npm']);
    expect(a.pipelines.map((p) => p.length)).toEqual([2, 1]);
  });

  it('stays bounded and correct past its budget: an evicted script parses again to the same commands', () => {
    const first = 'pip install -r requirements.txt && make';
    const before = parseShell(first);
    for (let i = 0; i < 5_000; i++) parseShell(`echo ${i} ${'x'.repeat(i % 700)}`);
    const again = parseShell(first);
    expect(again).not.toBe(before);
    expect(again).toEqual(before);
  });
});
