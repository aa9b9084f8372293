import { FILE_CONTEXTS } from '../core/context.js';
import type { Finding } from '../core/types.js';

/**
 * Findings in files outside the gate's contexts (tests, examples, docs, vendored code, dev environments) cannot block:
 * reporters list them only as one count per context, and the JSON report and SARIF carry them in full.
 */
export function isListed(f: Finding): boolean {
  return f.outOfScope !== 'context';
}

/** "412 findings in test files, 3 in docs files", in context order; '' when every finding is listed. */
export function unlistedCounts(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) if (!isListed(f)) counts.set(f.context ?? 'production', (counts.get(f.context ?? 'production') ?? 0) + 1);
  return FILE_CONTEXTS.filter((c) => counts.has(c))
    .map((c, i) => {
      const n = counts.get(c)!;
      return `${n}${i === 0 ? ` ${n === 1 ? 'finding' : 'findings'}` : ''} in ${c} files`;
    })
    .join(', ');
}
