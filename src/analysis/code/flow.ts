import type { Node } from 'web-tree-sitter';
import type { Span } from '../../core/types.js';

/**
 * What the source-code analysers (one per language, over tree-sitter trees) hand to the three rules that read
 * application code: a dangerous call ("sink") and, when one reaches it, the untrusted value ("source") with the steps
 * in between. The rules turn it into a finding: a flow from a source blocks; a non-constant argument of unknown
 * origin is reported low; an analyser never returns a sink whose argument is constant.
 */
export type SinkRule = 'code-injection' | 'command-injection' | 'unsafe-deserialization';

export type SourceLanguage = 'python' | 'javascript' | 'typescript' | 'tsx';

export interface FlowStep {
  at: Span;
  /** What happens here, in a few words: "request data `req.query.dir`", "assigned to `cmd`", "template string". */
  label: string;
}

export interface CodeFlow {
  rule: SinkRule;
  /** The call: its span and the callee as written, resolved through imports (`child_process.exec`, `yaml.load`). */
  sink: { at: Span; callee: string };
  /** The untrusted value that reaches the sink, when the analyser saw one in the same function. */
  source?: FlowStep;
  /** Source first, sink last: the path code scanning shows (SARIF codeFlows) and the message summarises. */
  steps: FlowStep[];
  /** The fix in the file's language: "`execFile('ls', [dir])` without a shell", "`yaml.safe_load`". */
  fix: string;
}

/** A tree-sitter node's span (rows and columns are 0-based and count UTF-16 units, like JavaScript strings). */
export function spanOf(node: Pick<Node, 'startPosition' | 'endPosition'>): Span {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}
