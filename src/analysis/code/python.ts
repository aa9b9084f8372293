import type { Node } from 'web-tree-sitter';
import type { CodeFlow } from './flow.js';

/** The Python analyser: sinks and intra-function flows in one module's tree. (Being built; finds nothing yet.) */
export function analysePython(_root: Node): CodeFlow[] {
  return [];
}
