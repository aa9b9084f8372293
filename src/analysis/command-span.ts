import type { Span } from '../core/types.js';
import type { ScriptBlock } from './scripts.js';
import type { ShellCommand } from './shell.js';

/**
 * Where a command sits in the source: it ends on the physical line holding `word` (the flag or setting a rule
 * reports) and starts on the nearest line at or above it, within the command's `\`-continued logical line,
 * that holds the program word.
 */
export function commandSpan(block: ScriptBlock, c: ShellCommand, word: string): Span {
  const lines = block.script.split(/\r?\n/);
  const find = (needle: string, from: number): number | undefined => {
    for (let i = from; i < lines.length; i++) {
      if (needle !== '' && lines[i]!.includes(needle)) return i;
      if (!/\\\s*$/.test(lines[i]!)) return undefined;
    }
    return undefined;
  };
  const end = find(word, c.line) ?? find(c.argv[0] ?? '', c.line) ?? c.line;
  let start = end;
  while (start > c.line && !(c.argv[0] && lines[start]!.includes(c.argv[0]))) start--;
  const a = block.lineSpan(start);
  const b = block.lineSpan(end);
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}
