import type { Span } from '../core/types.js';
import type { ScriptBlock } from './scripts.js';
import type { ShellCommand } from './shell.js';

/**
 * Where a command sits in the source, from the tokenizer's positions of its words: from its first word (an
 * assignment or the program) to the end of its last word, across `\` continuations. Where the script is not the
 * source's text character for character (a YAML scalar), the span covers the whole source lines of those two words.
 */
export function commandSpan(block: ScriptBlock, c: ShellCommand): Span {
  const spans = [...c.assignmentSpans, ...c.spans];
  const from = spans[0];
  const to = spans[spans.length - 1];
  if (!from || !to) return block.lineSpan(c.line);
  if (block.at) {
    const a = block.at(from.line, from.column);
    const b = block.at(to.endLine, to.endColumn);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
  const a = block.lineSpan(from.line);
  const b = block.lineSpan(to.endLine);
  return { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}
